"""The revocation refresher (issue 10): CRLs of the test CA served by a local HTTP server — fresh, stale,
unreachable, forged, rolled back — fetched into the cache the verifier reads; fetching turned off with
CRLs dropped in by hand. Never the internet: the test PKI's certificates name this server's URLs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.config import ConfigError, Section
from gateway.models import Indication
from gateway.pdf.signatures import SignatureSettings, SignatureVerifier, signature_settings
from gateway.revocation import (
    WANTED_FILE,
    RefreshSettings,
    cache_file,
    learned_urls,
    load_state,
    refresh_and_reload,
    refresh_revocation,
)
from gateway.samples import pki as pkimod
from gateway.trust import crl_state
from gateway.wording import signature_explanation

P, IND = Indication.TOTAL_PASSED, Indication.INDETERMINATE


@dataclass
class CrlServer:
    """A local HTTP server: `routes[path] = (status, body)`; `hits` counts requests per path."""

    url: str
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def server() -> Iterator[CrlServer]:
    state = CrlServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
            status, body = state.routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@dataclass(frozen=True)
class Material:
    pki: pkimod.TestPki
    good: bytes
    revoked: bytes
    fresh_sub_crl: bytes
    fresh_root_crl: bytes


@pytest.fixture(scope="module")
def material(server, tmp_path_factory) -> Material:
    """A PKI whose certificates name the local server's CRLs, and two signed PDFs."""
    from gateway.samples.render import SampleDoc, render_document

    pki = pkimod.make_pki(tmp_path_factory.mktemp("rpki"), crl_base_url=server.url)
    pdf = render_document(SampleDoc(pages=1))
    return Material(
        pki=pki,
        good=pkimod.sign_pdf(pdf, pki.person),
        revoked=pkimod.sign_pdf(pdf, pki.revoked),
        fresh_sub_crl=pki.sub_crl,
        fresh_root_crl=pki.root_crl,
    )


@pytest.fixture
def serve_fresh(server, material) -> CrlServer:
    server.routes.clear()
    server.hits.clear()
    server.routes[pkimod.SUB_CRL_PATH] = (200, material.fresh_sub_crl)
    server.routes[pkimod.ROOT_CRL_PATH] = (200, material.fresh_root_crl)
    return server


def _verifier(material: Material, tmp_path: Path, *, mode: str = "hard-fail", fetch: bool = True) -> SignatureVerifier:
    trust = material.pki.write_trust_dir(tmp_path / "trust", crls=False)
    refresh = RefreshSettings(cache_dir=tmp_path / "cache", fetch=fetch, timeout_seconds=5)
    return SignatureVerifier(SignatureSettings(trust_dir=trust, revocation=mode, refresh=refresh))


def _stale_sub_crl(material: Material) -> bytes:
    now = datetime.now(UTC)
    revoked = [(material.pki.revoked.cert, now - timedelta(hours=1))]
    return pkimod.make_crl(
        material.pki.sub, revoked, this_update=now - timedelta(days=10), next_update=now - timedelta(days=3)
    )


def _impostor(material: Material) -> pkimod.KeyAndCert:
    """The intermediate's name and certificate with a key that is not its own."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return pkimod.KeyAndCert(name="impostor", key=key, cert=material.pki.sub.cert)


def test_fresh_crls_fetched_make_hard_fail_work(serve_fresh, material, tmp_path):
    v = _verifier(material, tmp_path)
    (before,) = v.verify(material.good)
    assert (before.indication, before.sub_indication, before.revocation_checked) == (IND, "TRY_LATER", False)
    assert any(p.startswith("no_revocation_data") for p in before.problems)
    # the leaf names its CA's CRL; the intermediate in the store names the root's
    assert v.wanted_crl_urls() == {serve_fresh.url + pkimod.SUB_CRL_PATH}

    report = refresh_and_reload(v)
    assert sorted(r.outcome for r in report.results) == ["updated", "updated"]
    assert all(not r.stale and r.issuer for r in report.results)
    assert sorted(s.state() for s in report.states) == ["fresh", "fresh"]  # the root's and the intermediate's

    (good,) = v.verify(material.good)
    assert (good.indication, good.revocation_checked, good.problems) == (P, True, ())
    (revoked,) = v.verify(material.revoked)
    assert revoked.sub_indication == "REVOKED_NO_POE" and revoked.revocation_checked

    # the next run finds nothing new, and the state file says when each URL last worked
    again = refresh_and_reload(v)
    assert [r.outcome for r in again.results] == ["unchanged", "unchanged"]
    state = load_state(tmp_path / "cache")
    assert all(entry["error"] is None and entry["last_success"] for entry in state.values())
    assert serve_fresh.hits == {pkimod.SUB_CRL_PATH: 2, pkimod.ROOT_CRL_PATH: 2}


def test_learned_crl_urls_survive_a_restart(serve_fresh, material, tmp_path):
    v = _verifier(material, tmp_path)
    v.verify(material.good)
    refresh_and_reload(v)
    assert learned_urls(tmp_path / "cache") == (serve_fresh.url + pkimod.SUB_CRL_PATH,)
    assert (tmp_path / "cache" / WANTED_FILE).is_file()
    # a new process that has verified nothing yet still keeps the leaf CRL current
    restarted = _verifier(material, tmp_path)
    report = refresh_revocation(restarted.settings.refresh, restarted.trust)
    assert {r.url for r in report.results} == {serve_fresh.url + pkimod.SUB_CRL_PATH, serve_fresh.url + "/root.crl"}


def test_stale_crl_is_reported_as_such(serve_fresh, material, tmp_path):
    serve_fresh.routes[pkimod.SUB_CRL_PATH] = (200, _stale_sub_crl(material))
    for mode in ("hard-fail", "soft-fail"):
        v = _verifier(material, tmp_path / mode, mode=mode)
        v.verify(material.good)
        report = refresh_and_reload(v)
        sub = next(r for r in report.results if r.url.endswith(pkimod.SUB_CRL_PATH))
        assert sub.outcome == "updated" and sub.stale
        sub_ca = next(s for s in report.states if "Sub CA" in s.ca.subject.human_friendly)
        assert sub_ca.state() == "stale"
        (r,) = v.verify(material.good)
        assert (r.indication, r.sub_indication, r.revocation_checked) == (IND, "TRY_LATER", False)
        stale = next(p for p in r.problems if p.startswith("stale_revocation_data"))
        assert "Demo Sub CA" in stale
        assert any("đã quá hạn" in line for line in signature_explanation(r))


def test_unreachable_server_keeps_the_crl_already_held(serve_fresh, material, tmp_path):
    v = _verifier(material, tmp_path)
    v.verify(material.good)
    refresh_and_reload(v)
    serve_fresh.routes.clear()  # 404 everywhere
    report = refresh_and_reload(v)
    assert [r.outcome for r in report.results] == ["unreachable", "unreachable"]
    assert all("404" in r.detail for r in report.results)
    (good,) = v.verify(material.good)
    assert good.indication == P  # still current: fetched a moment ago
    state = load_state(tmp_path / "cache")
    assert all(entry["error"].startswith("unreachable") and entry["last_success"] for entry in state.values())
    # a port nobody listens on
    dead = RefreshSettings(cache_dir=tmp_path / "dead", crl_urls=("http://127.0.0.1:9/x.crl",), timeout_seconds=2)
    (only,) = [r for r in refresh_revocation(dead, v.trust).results if r.url.endswith("/x.crl")]
    assert only.outcome == "unreachable"


def test_forged_garbage_and_rolled_back_crls_are_rejected(serve_fresh, material, tmp_path):
    now = datetime.now(UTC)
    v = _verifier(material, tmp_path)
    v.verify(material.good)
    # a CRL with the CA's name but another key: it would "unrevoke" anything
    impostor = _impostor(material)
    serve_fresh.routes[pkimod.SUB_CRL_PATH] = (200, pkimod.make_crl(impostor, this_update=now, next_update=now))
    serve_fresh.routes[pkimod.ROOT_CRL_PATH] = (200, b"<html>maintenance</html>")
    report = refresh_and_reload(v)
    outcomes = {r.url.rsplit("/", 1)[1]: (r.outcome, r.detail) for r in report.results}
    assert outcomes["sub.crl"][0] == "rejected" and "not signed by a CA" in outcomes["sub.crl"][1]
    assert outcomes["root.crl"][0] == "rejected" and "not a CRL" in outcomes["root.crl"][1]
    assert not any((tmp_path / "cache").glob("*.crl"))
    # a fresh CRL is taken; an older one served afterwards does not replace it
    serve_fresh.routes[pkimod.SUB_CRL_PATH] = (200, material.fresh_sub_crl)
    serve_fresh.routes[pkimod.ROOT_CRL_PATH] = (200, material.fresh_root_crl)
    refresh_and_reload(v)
    held = cache_file(tmp_path / "cache", serve_fresh.url + pkimod.SUB_CRL_PATH).read_bytes()
    older = pkimod.make_crl(material.pki.sub, this_update=now - timedelta(days=2), next_update=now + timedelta(days=9))
    serve_fresh.routes[pkimod.SUB_CRL_PATH] = (200, older)
    (sub,) = [r for r in refresh_and_reload(v).results if r.url.endswith(pkimod.SUB_CRL_PATH)]
    assert sub.outcome == "rejected" and "older than the CRL already held" in sub.detail
    assert cache_file(tmp_path / "cache", serve_fresh.url + pkimod.SUB_CRL_PATH).read_bytes() == held
    (revoked,) = v.verify(material.revoked)
    assert revoked.sub_indication == "REVOKED_NO_POE"


def test_air_gapped_admin_turns_fetching_off_and_drops_crls_in_by_hand(serve_fresh, material, tmp_path):
    v = _verifier(material, tmp_path, fetch=False)
    v.verify(material.good)
    report = refresh_and_reload(v)
    assert report.results == () and "turned off" in report.skipped
    assert serve_fresh.hits == {}
    (before,) = v.verify(material.good)
    assert before.sub_indication == "TRY_LATER"
    (v.settings.trust_dir / "sub.crl").write_bytes(material.fresh_sub_crl)
    (v.settings.trust_dir / "root.crl").write_bytes(material.fresh_root_crl)
    states = refresh_and_reload(v).states  # the job still re-reads the trust folder
    assert sorted(s.state() for s in states) == ["fresh", "fresh"]
    (after,) = v.verify(material.good)
    assert (after.indication, after.revocation_checked) == (P, True)


def test_refresh_settings(tmp_path):
    s = signature_settings(Section({}, "signatures", None, tmp_path))
    assert s.refresh == RefreshSettings(cache_dir=tmp_path / "storage" / "revocation")
    s = signature_settings(Section({}, "signatures", None, tmp_path), storage_dir=tmp_path / "data")
    assert s.refresh.cache_dir == tmp_path / "data" / "revocation"
    data = {
        "fetch_revocation": False,
        "refresh_minutes": 60,
        "crl_urls": ["http://ca.gov.vn/pki/pub/crl/cpcag2.crl"],
        "revocation_cache_dir": "crl-cache",
        "fetch_timeout_seconds": 5,
    }
    s = signature_settings(Section(data, "signatures", None, tmp_path))
    assert s.refresh == RefreshSettings(
        cache_dir=tmp_path / "crl-cache",
        fetch=False,
        refresh_minutes=60,
        crl_urls=("http://ca.gov.vn/pki/pub/crl/cpcag2.crl",),
        timeout_seconds=5.0,
    )
    for bad, key in (
        ({"crl_urls": ["ftp://ca.gov.vn/x.crl"]}, "signatures.crl_urls"),
        ({"crl_urls": "http://x"}, "signatures.crl_urls"),
        ({"refresh_minutes": 1}, "signatures.refresh_minutes"),
        ({"fetch_revocation": "no"}, "signatures.fetch_revocation"),
    ):
        with pytest.raises(ConfigError) as err:
            signature_settings(Section(bad, "signatures", None, tmp_path))
        assert err.value.key == key


def test_crl_state_needs_the_cas_signature(material, tmp_path):
    """A CRL that merely names a CA does not count as that CA's (trust list must not be fooled either)."""
    from gateway.trust import load_trust_store

    now = datetime.now(UTC)
    folder = material.pki.write_trust_dir(tmp_path / "trust", crls=False)
    impostor = _impostor(material)
    (folder / "fake.crl").write_bytes(pkimod.make_crl(impostor, this_update=now, next_update=now + timedelta(days=1)))
    store = load_trust_store(folder)
    (sub,) = store.intermediates
    assert len(store.crls) == 1 and crl_state(store, sub).state() == "missing"  # loaded, not attributed


def _refreshing_gateway(serve_fresh, material, tmp_path):
    """A gateway whose trust folder has no CRL and whose refresher fetches the sub-CA's from `serve_fresh`."""
    from gateway.config import load_settings
    from gateway.daemon import Gateway

    trust = material.pki.write_trust_dir(tmp_path / "trust", crls=False)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[signatures]\ntrust_dir = "{trust}"\ncrl_urls = ["{serve_fresh.url}{pkimod.SUB_CRL_PATH}"]\n',
        encoding="utf-8",
    )
    return trust, Gateway(load_settings(cfg))


def test_the_daemon_job_refreshes_and_never_raises(serve_fresh, material, tmp_path):
    """`Gateway.refresh_revocation` is the scheduled job: it fetches, the verifier sees the CRLs; a broken
    refresh is logged, the daemon goes on."""
    trust, gw = _refreshing_gateway(serve_fresh, material, tmp_path)
    assert gw.stages.verifier.settings.refresh.cache_dir == tmp_path / "storage" / "revocation"
    (before,) = gw.stages.verifier.verify(material.good)
    assert before.sub_indication == "TRY_LATER"
    gw.refresh_revocation()
    (after,) = gw.stages.verifier.verify(material.good)
    assert after.indication == P and after.revocation_checked
    (tmp_path / "storage" / "revocation" / "state.json").write_text("{not json", encoding="utf-8")
    (trust / "broken.crl").write_bytes(b"not a crl")  # the trust folder no longer loads
    gw.refresh_revocation()  # logged, not raised
    (still,) = gw.stages.verifier.verify(material.good)
    assert still.indication == P  # the last good trust store stays in use


def test_a_broken_trust_edit_still_lets_a_verifier_read_the_refreshed_crls(serve_fresh, material, tmp_path):
    """A verifier that did not reload after the refresher fetched the CRLs (an evaluation worker with no
    letter meanwhile), then meets an admin's broken trust edit: it keeps its last good certificates, but
    with the cached CRLs, not the ones it started with (R5)."""
    trust, gw = _refreshing_gateway(serve_fresh, material, tmp_path)
    worker = SignatureVerifier(gw.stages.signatures)  # as a pool worker builds its own
    (before,) = worker.verify(material.good)
    assert before.sub_indication == "TRY_LATER"
    gw.refresh_revocation()  # the daemon's verifier is not built: the cache alone is written
    assert gw.stages.built_verifier() is None
    (trust / "broken.crl").write_bytes(b"not a crl")
    with pytest.raises(ConfigError):
        worker.reload()
    (after,) = worker.verify(material.good)
    assert after.indication == P and after.revocation_checked


@pytest.mark.slow  # evaluation worker processes
def test_the_daemons_refresh_reaches_its_evaluation_workers(serve_fresh, material, tmp_path):
    """The daemon refreshes the CRLs without a verifier of its own (it never imports pyHanko: its pool
    verifies, issue 16); the workers read them again before their next letter."""
    from gateway.config import load_settings
    from gateway.daemon import Gateway
    from tests.hostile_samples import good_letter

    trust = material.pki.write_trust_dir(tmp_path / "trust", crls=False)
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[signatures]\ntrust_dir = "{trust}"\ncrl_urls = ["{serve_fresh.url}{pkimod.SUB_CRL_PATH}"]\n'
        "[reading]\nocr = false\n",
        encoding="utf-8",
    )
    letter = tmp_path / "letter.eml"
    letter.write_bytes(good_letter([("cv.pdf", material.good)]))
    gw = Gateway(load_settings(cfg))
    pool = gw._started_pool()
    try:

        def signature():
            ev = pool.result(pool.submit(str(letter), datetime.now(UTC), False, False))
            (doc,) = ev.verdict.documents
            (report,) = doc.signatures
            return report

        assert signature().sub_indication == "TRY_LATER"  # no CRL yet
        gw.refresh_revocation()
        assert gw.stages.built_verifier() is None  # refreshed without one
        assert signature().indication == P and signature().revocation_checked
        (trust / "broken.crl").write_bytes(b"not a crl")  # the trust folder no longer loads
        assert signature().indication == P  # the workers keep the last good store
    finally:
        gw.close_pool()
