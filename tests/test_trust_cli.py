"""`gateway trust list | add | check | refresh` and `gateway check --trust DIR` (issue 10)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from gateway.cli import app
from gateway.samples import pki as pkimod
from gateway.trust import fingerprint, load_trust_store
from tests import pdf_tampering as tampering
from tests.conftest_pki import both_roots_trust_dir, pdf, pki, sha1_pki

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def config(tmp_path: Path, trust_dir: Path, *, revocation: str = "hard-fail") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[signatures]\ntrust_dir = "{trust_dir}"\nrevocation = "{revocation}"\nfetch_revocation = false\n'
        f'revocation_cache_dir = "{tmp_path / "cache"}"\n',
        encoding="utf-8",
    )
    return path


def fp(cert) -> str:
    return fingerprint(cert.public_bytes(serialization.Encoding.DER))


def cert_file(path: Path, cert, encoding=serialization.Encoding.PEM) -> Path:
    path.write_bytes(cert.public_bytes(encoding))
    return path


def test_list_shows_fingerprints_sha1_policy_and_crl_freshness(tmp_path):
    folder = both_roots_trust_dir(sha1_policy=True)
    result = runner.invoke(app, ["trust", "list", "--trust", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["sha256"]: r for r in json.loads(result.stdout)["certificates"]}
    p, old = pki(), sha1_pki()
    assert set(rows) == {fp(p.root.cert), fp(p.sub.cert), fp(old.root.cert), fp(old.sub.cert)}
    assert rows[fp(old.root.cert)]["role"] == "root" and rows[fp(old.root.cert)]["signed_with"] == "sha1"
    assert rows[fp(old.sub.cert)]["sha1_allowed"] and not rows[fp(p.sub.cert)]["sha1_allowed"]
    assert {r["crl"]["state"] for r in rows.values()} == {"fresh"}
    # a stale CRL and a missing one
    stale_dir = p.write_trust_dir(tmp_path / "stale", crls=False)
    now = datetime.now(UTC)
    (stale_dir / "sub.crl").write_bytes(
        pkimod.make_crl(p.sub, this_update=now - timedelta(days=9), next_update=now - timedelta(days=2))
    )
    result = runner.invoke(app, ["trust", "list", "--trust", str(stale_dir)])
    assert result.exit_code == 0, result.output
    assert fp(p.sub.cert) in result.stdout and "stale" in result.stdout and "missing" in result.stdout
    assert "2 root(s)" not in result.stdout and "1 root(s), 1 intermediate(s), 1 CRL(s)" in result.stdout


def test_add_shows_the_fingerprint_and_asks_first(tmp_path):
    p = pki()
    folder = tmp_path / "trust"
    folder.mkdir()
    root_file = cert_file(tmp_path / "root.cer", p.root.cert, serialization.Encoding.DER)
    refused = runner.invoke(app, ["trust", "add", str(root_file), "--trust", str(folder)], input="n\n")
    assert refused.exit_code == 1 and fp(p.root.cert) in refused.stdout and "nothing added" in refused.stdout
    assert not list(folder.iterdir())
    accepted = runner.invoke(app, ["trust", "add", str(root_file), "--trust", str(folder)], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    chain = pkimod.write_p7b(tmp_path / "chain.p7b", [p.sub.cert])
    crl = tmp_path / "sub.crl"
    crl.write_bytes(p.sub_crl)
    for f in (chain, crl):
        result = runner.invoke(app, ["trust", "add", str(f), "--trust", str(folder), "--yes"])
        assert result.exit_code == 0, result.output
    store = load_trust_store(folder)
    assert (len(store.roots), len(store.intermediates), len(store.crls)) == (1, 1, 1)
    # the same file again adds nothing; a leaf certificate is refused
    again = runner.invoke(app, ["trust", "add", str(root_file), "--trust", str(folder), "--yes"])
    assert "added 0 file(s)" in again.stdout
    leaf = cert_file(tmp_path / "leaf.pem", p.person.cert)
    refused = runner.invoke(app, ["trust", "add", str(leaf), "--trust", str(folder), "--yes"])
    assert refused.exit_code == 1 and "not a CA certificate" in refused.output
    not_pki = tmp_path / "notes.txt"
    not_pki.write_text("Chứng thư gốc", encoding="utf-8")
    assert runner.invoke(app, ["trust", "add", str(not_pki), "--trust", str(folder), "--yes"]).exit_code == 1


def test_add_with_allow_sha1_writes_the_policy(tmp_path):
    old = sha1_pki()
    folder = tmp_path / "trust"
    folder.mkdir()
    root = cert_file(tmp_path / "old-root.pem", old.root.cert)
    sub = cert_file(tmp_path / "old-sub.pem", old.sub.cert)
    bad = runner.invoke(app, ["trust", "add", str(sub), "--trust", str(folder), "--yes", "--allow-sha1"])
    assert bad.exit_code == 1 and "root certificates only" in bad.output
    result = runner.invoke(app, ["trust", "add", str(root), "--trust", str(folder), "--yes", "--allow-sha1"])
    assert result.exit_code == 0, result.output
    assert "thuật toán yếu" in result.stdout
    store = load_trust_store(folder)
    assert store.sha1_allowed(store.roots[0]) and store.policies[0].fingerprint == fp(old.root.cert)
    assert runner.invoke(app, ["trust", "add", str(sub), "--trust", str(folder), "--yes"]).exit_code == 0


def test_check_explains_each_signature_in_vietnamese(tmp_path):
    chain = tmp_path / "gazette.pdf"
    chain.write_bytes(pdf("gazette_chain"))
    ok = runner.invoke(app, ["trust", "check", str(chain), "--trust", str(pki().trust_dir)])
    assert ok.exit_code == 0, ok.output
    for field in ("LanhDao", "CoQuan1", "CoQuan2", "CoQuan3", "CongBao"):
        assert f"{field}:" in ok.stdout
    assert ok.stdout.count("TOTAL_PASSED") == 5 and "hợp lệ" in ok.stdout
    rogue = tmp_path / "rogue.pdf"
    rogue.write_bytes(pdf("untrusted_root"))
    bad = runner.invoke(app, ["trust", "check", str(rogue), "--trust", str(pki().trust_dir)])
    assert bad.exit_code == 1
    assert "NO_CERTIFICATE_CHAIN_FOUND" in bad.stdout and "chưa có trong kho tin cậy" in bad.stdout
    # without CRLs, in hard-fail: what is missing, and what to do
    no_crl = pki().write_trust_dir(tmp_path / "no-crl", crls=False)
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf("good_visible"))
    result = runner.invoke(app, ["trust", "check", str(good), "--config", str(config(tmp_path, no_crl)), "--json"])
    assert result.exit_code == 1
    (sig,) = json.loads(result.stdout)["signatures"]
    assert sig["sub_indication"] == "TRY_LATER"
    assert any("Demo Sub CA" in line and "gateway trust refresh" in line for line in sig["explanation"])
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(tampering.tagged_form_pdf())
    none = runner.invoke(app, ["trust", "check", str(unsigned), "--trust", str(pki().trust_dir)])
    assert none.exit_code == 1 and "không có chữ ký số" in none.stdout


def test_check_with_the_sha1_policy_shows_the_weak_algorithm(tmp_path):
    doc = tmp_path / "old.pdf"
    doc.write_bytes(pdf("sha1_chain"))
    result = runner.invoke(app, ["trust", "check", str(doc), "--trust", str(both_roots_trust_dir(sha1_policy=True))])
    assert result.exit_code == 0, result.output
    assert "thuật toán yếu SHA-1" in result.stdout


def test_gateway_check_uses_the_trust_folder_given(tmp_path):
    doc = tmp_path / "signed.pdf"
    doc.write_bytes(pdf("gazette_first"))
    result = runner.invoke(app, ["check", str(doc), "--json", "--trust", str(pki().trust_dir)])
    assert result.exit_code == 0, result.output
    (sig,) = json.loads(result.stdout)["documents"][0]["signatures"]
    assert (sig["indication"], sig["field"]) == ("TOTAL_PASSED", "LanhDao")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["check", str(doc), "--json", "--trust", str(empty)])
    (sig,) = json.loads(result.stdout)["documents"][0]["signatures"]
    assert sig["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
    missing = runner.invoke(app, ["check", str(doc), "--trust", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_refresh_with_fetching_off(tmp_path):
    folder = pki().write_trust_dir(tmp_path / "trust")
    result = runner.invoke(app, ["trust", "refresh", "--config", str(config(tmp_path, folder))])
    assert result.exit_code == 0, result.output
    assert "turned off" in result.stdout and "CRL of Demo Sub CA (thử nghiệm): fresh" in result.stdout
