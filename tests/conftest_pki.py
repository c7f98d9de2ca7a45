"""Shared test material for signatures, authenticity and legal value: built once per test run, cached.

Everything is made at test time: a throw-away PKI (`gateway.samples.pki.make_pki`), a two-page scanned
công văn of "Sở Tài chính tỉnh Khánh Hòa" (`gateway.samples.render`), every signed and tampered variant
the verifier must tell apart, DKIM keys, and verifiers for each revocation setting. The agency directory
is the shipped `agencies.example.toml`. Plain cached functions (not fixtures) so that every test module
shares one copy.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from gateway.directory import Directory, load_directory
from gateway.pdf.signatures import SignatureSettings, SignatureVerifier
from gateway.revocation import RefreshSettings
from gateway.samples import pki as pkimod
from gateway.samples.render import SampleDoc, render_document, render_scan
from tests import pdf_tampering as tampering

REPO = Path(__file__).resolve().parent.parent
REGISTRY = "vanthu@stc.khanhhoa.example"  # the issuer's registry mailbox in agencies.example.toml
REGISTRY_DOMAIN = "stc.khanhhoa.example"
ISSUER_NAME = "Sở Tài chính tỉnh Khánh Hòa"
SIGNER_NAME = "Nguyễn Văn An"
NO_REFRESH = RefreshSettings(cache_dir=None)  # verifiers read the trust folder only


@cache
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="gateway-pki-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@cache
def pki() -> pkimod.TestPki:
    return pkimod.make_pki(workdir() / "pki", agency_name=ISSUER_NAME, person_name=SIGNER_NAME)


@cache
def sha1_pki() -> pkimod.Sha1Pki:
    """The older government hierarchy's traits: SHA-1 root, intermediate, leaf, TSA and CRLs."""
    return pkimod.make_sha1_pki(workdir() / "sha1-pki", agency_name=ISSUER_NAME)


@cache
def both_roots_trust_dir(*, sha1_policy: bool = True) -> Path:
    """A trust folder with both hierarchies; `sha1_policy`: trust.toml allows SHA-1 under the old root only."""
    from gateway.trust import fingerprint

    folder = workdir() / ("trust-both-sha1" if sha1_policy else "trust-both")
    pki().write_trust_dir(folder)
    sha1_pki().write_trust_dir(folder)
    if sha1_policy:
        der = sha1_pki().root.cert.public_bytes(serialization.Encoding.DER)
        (folder / "trust.toml").write_text(
            f'[[root]]\nfingerprint = "{fingerprint(der)}"\nname = "Old Root CA"\nallow_sha1 = true\n',
            encoding="utf-8",
        )
    return folder


SAMPLE = SampleDoc(
    issuer="SỞ TÀI CHÍNH",
    parent_issuer="ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    number="125/STC-NS",
    place="Khánh Hòa",
    date=date(2024, 5, 14),
    title="",
    subject="V/v hướng dẫn lập dự toán ngân sách năm 2025",
    authority="KT. GIÁM ĐỐC",
    signer_title="PHÓ GIÁM ĐỐC",
    signer_name=SIGNER_NAME,
    recipients_paper=("Như trên;", "Lưu: VT, NS."),
    pages=2,
)


@cache
def scan() -> bytes:
    """The unsigned two-page scan every fixture starts from."""
    return render_scan(render_document(SAMPLE), seed=3)


def _builders() -> dict[str, Callable[[], bytes]]:
    p = pki()
    s = pkimod.sign_pdf
    return {
        "unsigned": scan,
        "good_visible": lambda: s(scan(), p.person, visible=True),
        "invisible_timestamp": lambda: s(
            scan(), p.agency, timestamp=p.tsa, subfilter="ETSI.CAdES.detached", field_name="KySoCoQuan"
        ),
        "full_chain": lambda: s(scan(), p.person, embed_chain=True),
        "byte_flipped": lambda: tampering.flip_byte_in_signed_range(pdf("good_visible")),
        "drawn_after": lambda: tampering.draw_on_page_after_signing(pdf("good_visible")),
        "empty_field_after": lambda: tampering.add_empty_signature_field(pdf("good_visible")),
        "form_signed": lambda: s(tampering.form_pdf(), p.person),
        "form_filled_after": lambda: tampering.fill_form_field_after_signing(pdf("form_signed")),
        "form_signed_twice": lambda: s(
            tampering.fill_form_field_after_signing(pdf("form_signed")), p.agency, field_name="KySoCoQuan"
        ),
        "expired": lambda: s(scan(), p.expired),
        "expired_timestamp": lambda: s(scan(), p.expired, timestamp=p.tsa),
        "untrusted_root": lambda: s(scan(), p.rogue),
        "revoked": lambda: s(scan(), p.revoked),
        "revoked_timestamp": lambda: s(scan(), p.revoked, timestamp=p.tsa),
        "sha1": lambda: s(scan(), p.person, md_algorithm="sha1"),
        "encryption_only": lambda: s(scan(), p.encryption_only),
        "document_timestamp": lambda: tampering.add_document_timestamp(pdf("good_visible"), p.tsa),
        "two_signatures": lambda: s(
            pdf("good_visible"), p.agency, field_name="KySoCoQuan", subfilter="ETSI.CAdES.detached"
        ),
        "unsupported_subfilter": lambda: tampering.set_subfilter(pdf("good_visible"), "adbe.pkcs7.sha1"),
        "encrypted": lambda: tampering.encrypt_pdf(pdf("good_visible")),
        "flate_bomb": lambda: tampering.append_flate_bomb(pdf("good_visible"), mib=200),
        # the traits of real government documents (issue 10)
        "gazette_chain": _gazette_chain,
        "struct_tampered": lambda: tampering.change_structure_after_signing(pdf("gazette_first")),
        "gazette_first": lambda: s(
            tampering.tagged_form_pdf(), p.person, field_name="LanhDao", certify=True, tagged=True, **_VISIBLE_TOP
        ),
        "sha1_chain": lambda: s(
            scan(), sha1_pki().agency, md_algorithm="sha1", timestamp=sha1_pki().tsa, timestamp_md="sha1"
        ),
        "expired_earlier_timestamp": lambda: s(
            scan(), p.expired, timestamp=p.tsa, timestamp_at=p.expired.cert.not_valid_after_utc - timedelta(days=10)
        ),
        "revoked_after_timestamp": lambda: s(
            scan(), p.revoked, timestamp=p.tsa, timestamp_at=datetime.now(UTC) - timedelta(days=2)
        ),
        "claimed_time_shifted": lambda: s(
            scan(), p.agency, timestamp=p.tsa, claimed_time=pkimod.vietnam_time_as_utc(datetime.now(UTC))
        ),
    }


_VISIBLE_TOP = {"visible": True, "on_page": 0, "box": (330, 120, 500, 190), "subfilter": "ETSI.CAdES.detached"}


def _gazette_chain() -> bytes:
    """A leader certifies (DocMDP P=2), a form field is filled, the agency signs three times, the provincial
    gazette centre signs last: five visible signatures, each filed in the structure tree, in a tagged
    hybrid-reference file, the last with a timestamp — as the provincial documents of issue 10 are."""
    p = pki()
    doc = pdf("gazette_first")
    doc = tampering.fill_form_field_after_signing(doc)
    for i, x in enumerate((72, 200, 328)):
        doc = pkimod.sign_pdf(
            doc, p.agency, field_name=f"CoQuan{i + 1}", visible=True, tagged=True, on_page=0, box=(x, 300, x + 110, 340)
        )
    return pkimod.sign_pdf(
        doc,
        p.publisher,
        field_name="CongBao",
        visible=True,
        tagged=True,
        on_page=0,
        box=(72, 400, 182, 440),
        timestamp=p.tsa,
    )


@cache
def pdf(name: str) -> bytes:
    return _builders()[name]()


@cache
def verifier(kind: str = "hard-fail") -> SignatureVerifier:
    """`hard-fail`, `soft-fail`: the full trust folder; `no-crl`, `soft-no-crl`: the same without CRLs;
    `sha1`: hard-fail, SHA-1 allowed everywhere; `both`: both hierarchies, SHA-1 allowed under the old root
    only (trust.toml); `both-strict`: both hierarchies, no SHA-1 anywhere."""
    p = pki()
    if kind in ("both", "both-strict"):
        folder = both_roots_trust_dir(sha1_policy=kind == "both")
        return SignatureVerifier(SignatureSettings(trust_dir=folder, refresh=NO_REFRESH))
    if kind in ("no-crl", "soft-no-crl"):
        trust = p.write_trust_dir(workdir() / "trust-no-crl", crls=False)
        mode = "hard-fail" if kind == "no-crl" else "soft-fail"
        return SignatureVerifier(SignatureSettings(trust_dir=trust, revocation=mode, refresh=NO_REFRESH))
    if kind == "sha1":
        return SignatureVerifier(SignatureSettings(trust_dir=p.trust_dir, allow_sha1=True, refresh=NO_REFRESH))
    return SignatureVerifier(SignatureSettings(trust_dir=p.trust_dir, revocation=kind, refresh=NO_REFRESH))


@cache
def directory() -> Directory:
    return load_directory(REPO / "agencies.example.toml")


@cache
def dkim_key(domain: str = REGISTRY_DOMAIN, selector: str = "mail") -> pkimod.DkimKey:
    return pkimod.make_dkim_key(workdir() / "dkim", domain, selector)


@cache
def impostor_key(domain: str = REGISTRY_DOMAIN, selector: str = "mail") -> pkimod.DkimKey:
    """A key with the registry's selector and domain whose public half is published nowhere."""
    return pkimod.make_dkim_key(workdir() / "dkim-impostor", domain, selector)


def letter(
    *,
    from_: str = f"Văn thư Sở Tài chính <{REGISTRY}>",
    attachment: bytes | None = None,
    subject: str = "Gửi công văn số 125/STC-NS",
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A letter as a sending agency's mail system writes it (CRLF), with an optional PDF attached."""
    msg = EmailMessage()
    for name, value in extra_headers:
        msg[name] = value
    msg["From"] = from_
    msg["To"] = "vanthu@ubnd.khanhhoa.example"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 14 May 2024 09:15:00 +0700"
    msg["Message-ID"] = "<125-stc-ns@stc.khanhhoa.example>"
    msg.set_content("Kính gửi: Văn thư UBND tỉnh.\nSở Tài chính gửi kèm công văn số 125/STC-NS.\n")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="125-STC-NS.pdf")
    return msg.as_bytes(policy=SMTP)
