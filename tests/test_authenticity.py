"""Sender origin (R4): DKIM with dkimpy and offline test keys, trusted Authentication-Results, the
agency directory — and that a spoofed From never earns `valid_by_origin`."""

from __future__ import annotations

import pytest

from gateway.authenticity import (
    AuthenticitySettings,
    authenticity_settings,
    check_authenticity,
    dkim_aligned,
)
from gateway.config import ConfigError, Section
from gateway.directory import load_directory
from gateway.legal import legal_value
from gateway.models import LegalValue
from gateway.samples.pki import dkim_sign, make_dkim_key
from tests.conftest_pki import (
    REGISTRY,
    REGISTRY_DOMAIN,
    SIGNER_NAME,
    directory,
    dkim_key,
    impostor_key,
    letter,
    pdf,
    verifier,
    workdir,
)


def offline() -> AuthenticitySettings:
    return AuthenticitySettings(dkim_keys_dir=dkim_key().keys_dir, use_dns=False)


def check(raw: bytes, from_address: str | None = REGISTRY, settings: AuthenticitySettings | None = None):
    return check_authenticity(raw, from_address, settings or offline(), directory())


def test_dkim_pass():
    a = check(dkim_sign(letter(attachment=pdf("unsigned")), dkim_key()))
    assert (a.dkim, a.dkim_domain, a.directory_match, a.spf) == ("pass", REGISTRY_DOMAIN, True, "none")


def test_dkim_fail_when_the_body_was_changed():
    signed = dkim_sign(letter(), dkim_key())
    tampered = signed.replace(b"125/STC-NS.", b"126/STC-NS.")
    assert tampered != signed
    a = check(tampered)
    assert (a.dkim, a.dkim_domain) == ("fail", REGISTRY_DOMAIN)


def test_dkim_fail_when_signed_with_another_key():
    a = check(dkim_sign(letter(), impostor_key()))
    assert a.dkim == "fail"


def test_dkim_absent():
    a = check(letter())
    assert (a.dkim, a.dkim_domain, a.directory_match) == ("none", None, True)


def test_dkim_key_not_found_is_permerror():
    other = make_dkim_key(workdir() / "dkim-unpublished", "other.example", "s1")
    a = check(dkim_sign(letter(from_="x@other.example"), other), from_address="x@other.example")
    assert (a.dkim, a.directory_match) == ("permerror", False)


def test_hostile_selector_never_leaves_the_keys_folder(tmp_path):
    # a key file one level above the keys folder must not be reachable through s=../…
    keys = tmp_path / "keys"
    keys.mkdir()
    key = make_dkim_key(tmp_path, REGISTRY_DOMAIN, "mail")
    hostile = key.__class__(selector="../mail", domain=REGISTRY_DOMAIN, private_pem=key.private_pem, keys_dir=keys)
    raw = dkim_sign(letter(), hostile)
    assert b"s=../mail" in raw
    a = check(raw, settings=AuthenticitySettings(dkim_keys_dir=keys, use_dns=False))
    assert a.dkim == "permerror"


def test_two_from_headers_cannot_pass():
    raw = dkim_sign(letter(), dkim_key())
    raw = b"From: Attacker <boss@attacker.example>\r\n" + raw
    a = check(raw, from_address=None)
    assert a.dkim == "permerror" and a.dkim_domain is None


def test_from_address_read_from_the_message_when_not_given():
    a = check(dkim_sign(letter(), dkim_key()), from_address=None)
    assert a.directory_match and a.dkim == "pass"


AR_OURS = (
    "mx.ubnd.khanhhoa.example; dkim=pass header.d=stc.khanhhoa.example header.i=@stc.khanhhoa.example;"
    " spf=pass smtp.mailfrom=vanthu@stc.khanhhoa.example"
)
AR_FORGED = (
    "mx.attacker.example; dkim=pass header.d=stc.khanhhoa.example; spf=pass smtp.mailfrom=vanthu@stc.khanhhoa.example"
)


def test_authentication_results_trusted_only_from_our_authserv_id():
    ours = AuthenticitySettings(trusted_authserv_id="mx.ubnd.khanhhoa.example", use_dns=False)
    a = check(letter(extra_headers=(("Authentication-Results", AR_OURS),)), settings=ours)
    assert (a.dkim, a.spf, a.dkim_domain) == ("pass", "pass", REGISTRY_DOMAIN)
    # the same claim under another authserv-id is the sender's own word: ignored
    a = check(letter(extra_headers=(("Authentication-Results", AR_FORGED),)), settings=ours)
    assert (a.dkim, a.spf) == ("none", "none")
    # and without a trusted id configured, no header is believed at all
    a = check(letter(extra_headers=(("Authentication-Results", AR_OURS),)))
    assert (a.dkim, a.spf) == ("none", "none")


def test_only_the_topmost_header_of_our_server_counts():
    ours = AuthenticitySettings(trusted_authserv_id="mx.ubnd.khanhhoa.example", use_dns=False)
    fail = "mx.ubnd.khanhhoa.example; dkim=fail header.d=stc.khanhhoa.example; spf=fail"
    raw = letter(extra_headers=(("Authentication-Results", fail), ("Authentication-Results", AR_OURS)))
    a = check(raw, settings=ours)
    assert (a.dkim, a.spf) == ("fail", "fail")


def test_dkim_alignment():
    assert dkim_aligned("stc.khanhhoa.example", "vanthu@stc.khanhhoa.example")
    assert dkim_aligned("khanhhoa.example", "Văn thư <vanthu@stc.khanhhoa.example>")
    assert not dkim_aligned("attacker.example", "vanthu@stc.khanhhoa.example")
    assert not dkim_aligned("hoa.example", "vanthu@stc.khanhhoa.example")  # a suffix is not a parent
    assert not dkim_aligned("example", "vanthu@stc.khanhhoa.example")
    assert not dkim_aligned(None, "vanthu@stc.khanhhoa.example")


def _origin_value(raw: bytes, from_address: str, document: bytes) -> LegalValue:
    d = directory()
    return legal_value(
        verifier().verify(document),
        issuer_agency=d.by_issuer_name("SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"),
        sender_agency=d.by_address(from_address),
        authenticity=check(raw, from_address=from_address),
        from_address=from_address,
        signer_name=SIGNER_NAME,
    )


def test_genuine_registry_letter_is_valid_by_origin():
    scan = pdf("unsigned")
    raw = dkim_sign(letter(attachment=scan), dkim_key())
    assert _origin_value(raw, REGISTRY, scan) == LegalValue.VALID_BY_ORIGIN


def _swap_attachment(scan: bytes) -> bytes:
    """The registry's genuine DKIM signature from one letter, replayed on a letter carrying `scan`."""
    genuine = dkim_sign(letter(attachment=pdf("good_visible")), dkim_key())
    header_end = genuine.index(b"\r\nFrom:") + 2
    return genuine[:header_end] + letter(attachment=scan)


@pytest.mark.parametrize("document", ["unsigned", "untrusted_root"])
def test_spoofed_from_never_gets_valid_by_origin(document):
    """A valid-looking PDF (a clean scan, or one signed under a root nobody trusts) with From: forged."""
    scan = pdf(document)
    attacker = make_dkim_key(workdir() / "dkim-attacker", "attacker.example", "k1")
    letters = {
        "no DKIM": letter(attachment=scan),
        "DKIM of another domain": dkim_sign(letter(attachment=scan), attacker),
        "registry selector, wrong key": dkim_sign(letter(attachment=scan), impostor_key()),
        "genuine signature, display name changed": dkim_sign(letter(attachment=scan), dkim_key()).replace(
            b"=?utf-8?b?VsSDbiB0aMawIFPhu58gVMOgaSBjaMOtbmg=?=", b"=?utf-8?q?Gi=C3=A1m_=C4=91=E1=BB=91c?="
        ),
        "genuine signature, attachment swapped": _swap_attachment(scan),
        "forged Authentication-Results": letter(
            attachment=scan,
            extra_headers=(("Authentication-Results", AR_OURS.replace("mx.ubnd", "mx.other")),),
        ),
        "two From headers": b"From: vanthu@stc.khanhhoa.example\r\n" + dkim_sign(letter(attachment=scan), attacker),
    }
    for why, raw in letters.items():
        assert _origin_value(raw, REGISTRY, scan) == LegalValue.REFERENCE_ONLY, why


def test_letter_from_an_address_outside_the_registry_is_not_valid_by_origin():
    # DKIM passes for the agency's domain, but the sender is a staff mailbox, not the registry's
    scan = pdf("unsigned")
    staff = "nguyenvanan@stc.khanhhoa.example"
    raw = dkim_sign(letter(from_=staff, attachment=scan), dkim_key())
    assert check(raw, from_address=staff).dkim == "pass"
    assert _origin_value(raw, staff, scan) == LegalValue.REFERENCE_ONLY


def test_settings(tmp_path):
    s = authenticity_settings(Section({}, "authenticity", None, tmp_path))
    assert s == AuthenticitySettings()
    (tmp_path / "dkim").mkdir()
    s = authenticity_settings(
        Section(
            {
                "dkim_keys_dir": "dkim",
                "dns_resolver": "10.0.0.53",
                "trusted_authserv_id": "MX.Example.VN",
                "dkim_timeout": 2,
                "use_dns": False,
            },
            "authenticity",
            None,
            tmp_path,
        )
    )
    assert (s.dkim_keys_dir, s.dns_resolver, s.trusted_authserv_id, s.dkim_timeout, s.use_dns) == (
        tmp_path / "dkim",
        "10.0.0.53",
        "mx.example.vn",
        2.0,
        False,
    )
    for data, key in [
        ({"dns_resolver": "dns.google"}, "authenticity.dns_resolver"),
        ({"dns_resolver": "10.0.0.53:99999"}, "authenticity.dns_resolver"),
        ({"dkim_keys_dir": "nowhere"}, "authenticity.dkim_keys_dir"),
        ({"dkim_timeout": 0}, "authenticity.dkim_timeout"),
        ({"dkim_key_dir": "dkim"}, "authenticity.dkim_key_dir"),
    ]:
        with pytest.raises(ConfigError) as err:
            authenticity_settings(Section(data, "authenticity", None, tmp_path))
        assert err.value.key == key


def test_garbage_message_never_raises():
    empty = load_directory(None)
    for raw in (
        b"",
        b"\x00\xff" * 100,
        b"DKIM-Signature: v=1; a=rsa-sha256; d=\r\n\r\nbody",
        b"From:\r\n\r\n",
    ):
        a = check_authenticity(raw, None, offline(), empty)
        assert a.dkim in ("none", "permerror", "fail") and not a.directory_match


class _DnsServer:
    """A real DNS server on 127.0.0.1 (UDP, random port) answering TXT queries from a dict, or silent."""

    def __init__(self, records: dict[str, str] | None):
        import socket
        import threading

        self.records = records
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.queries: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import dns.message
        import dns.rcode
        import dns.rrset

        while not self.stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            name = query.question[0].name.to_text().rstrip(".")
            self.queries.append(name)
            if self.records is None:
                continue  # silent: the client times out
            response = dns.message.make_response(query)
            if name in self.records:
                value = self.records[name]
                chunks = " ".join(f'"{value[i : i + 200]}"' for i in range(0, len(value), 200))
                response.answer.append(dns.rrset.from_text(name + ".", 60, "IN", "TXT", chunks))
            else:
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(response.to_wire(), peer)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_dkim_key_from_dns():
    key = make_dkim_key(workdir() / "dkim-dns", "dns-only.example", "s1")
    record = key.record_file.read_text().strip()
    server = _DnsServer({"s1._domainkey.dns-only.example": record})
    try:
        settings = AuthenticitySettings(dns_resolver=server.address, dkim_timeout=2)
        raw = dkim_sign(letter(from_="x@dns-only.example"), key)
        a = check(raw, from_address="x@dns-only.example", settings=settings)
        assert (a.dkim, a.dkim_domain) == ("pass", "dns-only.example")
        assert server.queries == ["s1._domainkey.dns-only.example"]
        # no such record: a permanent error, not a temporary one
        other = make_dkim_key(workdir() / "dkim-dns-missing", "dns-only.example", "s2")
        assert check(dkim_sign(letter(from_="x@dns-only.example"), other), settings=settings).dkim == "permerror"
    finally:
        server.close()


def test_dns_timeout_is_temperror():
    server = _DnsServer(None)
    try:
        key = make_dkim_key(workdir() / "dkim-dns-silent", "dns-only.example", "s3")
        settings = AuthenticitySettings(dns_resolver=server.address, dkim_timeout=0.5)
        raw = dkim_sign(letter(from_="x@dns-only.example"), key)
        assert check(raw, from_address="x@dns-only.example", settings=settings).dkim == "temperror"
        assert server.queries  # it was asked
    finally:
        server.close()
