"""PDF signature verification (R3, R4; SIGNATURES.md): every fixture is made at test time with a
throw-away CA and checked for its exact ETSI indication, sub-indication and legal value."""

from __future__ import annotations

import asyncio
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization

from gateway.config import ConfigError, Section
from gateway.legal import legal_value
from gateway.models import DOCUMENT_FIELD, Authenticity, Indication, LegalValue
from gateway.pdf.signatures import (
    SignatureSettings,
    SignatureVerifier,
    claimed_time_shift,
    signature_settings,
)
from gateway.samples import pki as pkimod
from gateway.trust import fingerprint, load_trust_store
from gateway.wording import signature_sentence
from tests import pdf_tampering as tampering
from tests.conftest_pki import (
    ISSUER_NAME,
    REGISTRY,
    REGISTRY_DOMAIN,
    SIGNER_NAME,
    directory,
    pdf,
    pki,
    sha1_pki,
    verifier,
)

P, IND, F = Indication.TOTAL_PASSED, Indication.INDETERMINATE, Indication.TOTAL_FAILED
EQ, ORIGIN, REF = LegalValue.EQUIVALENT_TO_PAPER, LegalValue.VALID_BY_ORIGIN, LegalValue.REFERENCE_ONLY

# fixture, verifier kind, [(indication, sub-indication) per signature], legal value of the bare PDF,
# legal value when the letter provably came from the issuer's registry mailbox (DKIM pass, aligned).
CASES = [
    ("good_visible", "hard-fail", [(P, None)], EQ, EQ),
    ("invisible_timestamp", "hard-fail", [(P, None)], EQ, EQ),
    ("full_chain", "hard-fail", [(P, None)], EQ, EQ),
    ("byte_flipped", "hard-fail", [(F, "HASH_FAILURE")], REF, REF),
    ("drawn_after", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    ("empty_field_after", "hard-fail", [(P, None)], EQ, EQ),
    ("form_signed", "hard-fail", [(P, None)], EQ, EQ),
    ("form_filled_after", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    ("form_signed_twice", "hard-fail", [(P, None), (P, None)], EQ, EQ),
    ("expired", "hard-fail", [(IND, "OUT_OF_BOUNDS_NO_POE")], REF, ORIGIN),
    ("expired_timestamp", "hard-fail", [(F, "EXPIRED")], REF, REF),
    ("untrusted_root", "hard-fail", [(IND, "NO_CERTIFICATE_CHAIN_FOUND")], REF, ORIGIN),
    ("revoked", "hard-fail", [(IND, "REVOKED_NO_POE")], REF, REF),
    ("revoked_timestamp", "hard-fail", [(F, "REVOKED")], REF, REF),
    ("revoked", "no-crl", [(IND, "TRY_LATER")], REF, ORIGIN),
    ("good_visible", "no-crl", [(IND, "TRY_LATER")], REF, ORIGIN),
    ("revoked", "soft-fail", [(IND, "REVOKED_NO_POE")], REF, REF),
    ("sha1", "hard-fail", [(IND, "CRYPTO_CONSTRAINTS_FAILURE")], REF, ORIGIN),
    ("sha1", "sha1", [(P, None)], EQ, EQ),
    ("encryption_only", "hard-fail", [(IND, "CHAIN_CONSTRAINTS_FAILURE")], REF, ORIGIN),
    ("document_timestamp", "hard-fail", [(P, None), (P, None)], EQ, EQ),
    ("two_signatures", "hard-fail", [(P, None), (P, None)], EQ, EQ),
    ("unsupported_subfilter", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    ("unsigned", "hard-fail", [], REF, ORIGIN),
    ("encrypted", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    ("flate_bomb", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    # the traits of real government documents (issue 10)
    ("gazette_chain", "hard-fail", [(P, None)] * 5, EQ, EQ),
    ("struct_tampered", "hard-fail", [(F, "FORMAT_FAILURE")], REF, REF),
    ("sha1_chain", "both", [(P, None)], EQ, EQ),
    ("sha1_chain", "both-strict", [(IND, "CRYPTO_CONSTRAINTS_FAILURE")], REF, ORIGIN),
    ("sha1", "both", [(IND, "CRYPTO_CONSTRAINTS_FAILURE")], REF, ORIGIN),
    ("expired_earlier_timestamp", "hard-fail", [(P, None)], EQ, EQ),
    ("revoked_after_timestamp", "hard-fail", [(P, None)], EQ, EQ),
    ("claimed_time_shifted", "hard-fail", [(P, None)], EQ, EQ),
]

PROVEN = Authenticity(dkim="pass", spf="pass", directory_match=True, dkim_domain=REGISTRY_DOMAIN)


def _legal(reports, authenticity=None):
    issuer = directory().by_issuer_name("SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")
    assert issuer is not None and issuer.name == ISSUER_NAME
    return legal_value(
        reports,
        issuer_agency=issuer,
        sender_agency=directory().by_address(REGISTRY) if authenticity else None,
        authenticity=authenticity,
        from_address=REGISTRY if authenticity else None,
        signer_name=SIGNER_NAME,
    )


@pytest.mark.parametrize(("name", "kind", "expected", "bare", "proven"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_indication_sub_indication_and_legal_value(name, kind, expected, bare, proven):
    reports = verifier(kind).verify(pdf(name))
    assert [(r.indication, r.sub_indication) for r in reports] == expected
    assert _legal(reports) == bare
    assert _legal(reports, PROVEN) == proven
    for r in reports:
        assert signature_sentence(r).startswith(("Chữ ký số", "Tệp PDF", "Không đọc"))
        assert (r.indication == P) == (r.sub_indication is None)


def test_good_signature_details():
    (r,) = verifier().verify(pdf("good_visible"))
    p = pki()
    assert r.field == "Signature1"
    assert r.intact and r.trusted and r.revocation_checked
    assert r.coverage == "ENTIRE_FILE" and not r.modified_after_signing
    assert r.sub_filter == "adbe.pkcs7.detached"
    assert r.signer.common_name == SIGNER_NAME
    assert r.signer.organization == ISSUER_NAME
    assert r.signer.organizational_unit == "Lãnh đạo"
    assert r.signer.serial_number == format(p.person.cert.serial_number, "X")
    assert "Demo Sub CA" in r.signer.issuer
    assert r.signer.not_before < datetime.now(UTC) < r.signer.not_after
    # the signer's own clock is reported as a claim, and there is no timestamp to prove it
    assert abs(r.claimed_signing_time - datetime.now(UTC)) < timedelta(hours=1)
    assert r.timestamp_time is None
    assert directory().by_signer(r.signer).name == ISSUER_NAME


def test_timestamp_and_cades_subfilter():
    (r,) = verifier().verify(pdf("invisible_timestamp"))
    assert r.field == "KySoCoQuan"
    assert r.sub_filter == "ETSI.CAdES.detached"
    assert r.timestamp_time is not None and abs(r.timestamp_time - datetime.now(UTC)) < timedelta(hours=1)
    # the agency certificate has digitalSignature without nonRepudiation: accepted
    assert r.signer.common_name == ISSUER_NAME


def test_hash_failure_is_not_hidden_by_a_valid_cms_signature():
    (r,) = verifier().verify(pdf("byte_flipped"))
    assert not r.intact and not r.trusted
    assert any(p.startswith("hash_failure") for p in r.problems)
    assert "thay đổi" in signature_sentence(r)


def test_content_drawn_after_signing_is_modified_after_signing():
    (r,) = verifier().verify(pdf("drawn_after"))
    assert r.intact  # the signed revision itself is untouched…
    assert r.coverage == "ENTIRE_REVISION"
    assert r.modified_after_signing  # …but the page was drawn on afterwards
    assert not r.trusted
    assert "sửa đổi sau khi ký" in signature_sentence(r)


def test_last_signature_must_cover_the_whole_file():
    # pyHanko alone calls a form filled in after the last signature FORM_FILLING and passes it;
    # nothing signed that change, so the gateway fails the signature.
    (r,) = verifier().verify(pdf("form_filled_after"))
    assert r.intact and r.coverage == "ENTIRE_REVISION" and r.modified_after_signing
    assert "FORM_FILLING" in r.problems[0]
    # the same filling followed by a signature that covers it is fine
    first, second = verifier().verify(pdf("form_signed_twice"))
    assert not first.modified_after_signing and second.coverage == "ENTIRE_FILE"
    # only validation data after the last signature (here an empty signature field) is tolerated
    (r,) = verifier().verify(pdf("empty_field_after"))
    assert r.coverage == "ENTIRE_REVISION" and not r.modified_after_signing


def test_two_signatures_person_then_agency():
    first, second = verifier().verify(pdf("two_signatures"))
    assert (first.field, second.field) == ("Signature1", "KySoCoQuan")
    assert first.coverage == "ENTIRE_REVISION" and not first.modified_after_signing  # form filling is fine
    assert second.coverage == "ENTIRE_FILE"
    assert first.signer.common_name == SIGNER_NAME and second.signer.common_name == ISSUER_NAME
    assert directory().by_signer(first.signer) == directory().by_signer(second.signer)


def test_unsupported_subfilter_is_reported_not_dropped():
    (r,) = verifier().verify(pdf("unsupported_subfilter"))
    assert r.field == "Signature1"
    assert r.sub_filter == "adbe.pkcs7.sha1"
    assert any(p.startswith("unsupported_subfilter") for p in r.problems)
    assert r.signer is not None and r.signer.common_name == SIGNER_NAME  # who claims to have signed


def test_revoked_with_crl_reports_revocation_checked():
    for kind in ("hard-fail", "soft-fail"):
        (r,) = verifier(kind).verify(pdf("revoked"))
        assert r.revocation_checked and not r.trusted


def test_hard_fail_without_crl_says_revocation_was_not_checked():
    (r,) = verifier("no-crl").verify(pdf("good_visible"))
    assert r.revocation_checked is False
    assert any(p.startswith("no_revocation_data") for p in r.problems)
    assert "thu hồi" in signature_sentence(r)


def test_soft_fail_without_crl_says_revocation_was_not_checked():
    # The trap of SIGNATURES.md: offline soft-fail passes a revoked certificate. It must say so.
    (r,) = verifier("soft-no-crl").verify(pdf("revoked"))
    assert r.indication == P
    assert r.revocation_checked is False
    assert any(p.startswith("revocation_not_checked") for p in r.problems)
    assert "thu hồi" in signature_sentence(r)


def test_expired_and_revoked_with_timestamp_prove_the_time():
    (expired,) = verifier().verify(pdf("expired_timestamp"))
    assert expired.timestamp_time > expired.signer.not_after
    (revoked,) = verifier().verify(pdf("revoked_timestamp"))
    assert revoked.timestamp_time is not None


def test_document_timestamp_after_the_last_signature():
    sig, ts = verifier().verify(pdf("document_timestamp"))
    assert sig.coverage == "ENTIRE_REVISION" and not sig.modified_after_signing  # LTA update only
    assert ts.field.startswith("Timestamp") and (ts.sub_filter, ts.coverage) == (
        "ETSI.RFC3161",
        "ENTIRE_FILE",
    )
    assert ts.timestamp_time is not None and "Demo TSA" in ts.signer.common_name
    assert directory().by_signer(ts.signer) is None  # a TSA is nobody's signature


def test_encrypted_pdf_gives_one_clear_document_report():
    (r,) = verifier().verify(pdf("encrypted"))
    assert r.field == DOCUMENT_FIELD
    assert r.problems[0].startswith("encrypted")
    assert signature_sentence(r) == "Tệp PDF được mã hóa nên không kiểm tra được chữ ký số."


def test_flate_bomb_is_refused_without_being_decoded():
    bomb = pdf("flate_bomb")
    assert len(bomb) < 2 * 1024 * 1024  # 200 MiB when inflated
    v = verifier()
    tracemalloc.start()
    try:
        (r,) = v.verify(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.field == DOCUMENT_FIELD and "PdfDecodeLimitError" in r.problems[0]
    assert peak < 64 * 1024 * 1024  # never inflated: the decode limit stopped it


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
        b"%PDF-1.4\n" + b"\x00" * 500,
    ],
    ids=["empty", "text", "no-xref", "zeros"],
)
def test_garbage_never_raises(data):
    reports = verifier().verify(data)
    assert reports == () or [(r.field, r.indication) for r in reports] == [(DOCUMENT_FIELD, F)]


def test_truncated_signed_pdf_never_raises():
    data = pdf("good_visible")
    # cut inside the scan: the signature is gone with the rest, nothing to report, nothing raised
    assert all(r.indication != P for r in verifier().verify(data[: len(data) // 3]))
    # cut inside the signature's update: still seen, never passed
    for cut in (len(data) - 2000, len(data) - 30):
        reports = verifier().verify(data[:cut])
        assert reports, "a signed PDF cut short is never 'unsigned'"
        assert all(r.indication != P for r in reports)


def test_verify_works_inside_a_running_event_loop():
    signed = pdf("good_visible")  # pyHanko's signing is synchronous: made before the loop starts

    async def inside() -> tuple:
        return verifier().verify(signed)

    (r,) = asyncio.run(inside())
    assert r.indication == P


def test_one_verifier_shared_by_worker_threads():
    from concurrent.futures import ThreadPoolExecutor

    names = ["good_visible", "revoked", "byte_flipped", "two_signatures", "unsigned", "sha1"] * 3
    v = verifier()
    expected = {n: [(r.indication, r.sub_indication) for r in v.verify(pdf(n))] for n in set(names)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: (n, v.verify(pdf(n))), names))
    for n, reports in results:
        assert [(r.indication, r.sub_indication) for r in reports] == expected[n]


def test_settings_defaults_and_errors(tmp_path):
    s = signature_settings(Section({}, "signatures", None, tmp_path))
    assert (s.trust_dir, s.revocation, s.allow_sha1) == (tmp_path / "trust", "hard-fail", False)
    (tmp_path / "roots").mkdir()
    s = signature_settings(
        Section(
            {"trust_dir": "roots", "revocation": "soft-fail", "allow_sha1": True},
            "signatures",
            None,
            tmp_path,
        )
    )
    assert (s.trust_dir, s.revocation, s.allow_sha1) == (tmp_path / "roots", "soft-fail", True)
    bad = [
        ({"revocation": "ignore"}, "signatures.revocation"),
        ({"trust_dir": "missing"}, "signatures.trust_dir"),
        ({"allow_sha1": "yes"}, "signatures.allow_sha1"),
        ({"trust_folder": "roots"}, "signatures.trust_folder"),
    ]
    for data, key in bad:
        with pytest.raises(ConfigError) as err:
            signature_settings(Section(data, "signatures", None, tmp_path))
        assert err.value.key == key


def test_trust_store_formats(tmp_path):
    p = pki()
    folder = tmp_path / "trust"
    folder.mkdir()
    # root as DER .crt, intermediate inside a P7B bundle, both CRLs in one PEM file, plus a README
    (folder / "root.crt").write_bytes(p.root.cert.public_bytes(serialization.Encoding.DER))
    pkimod.write_p7b(folder / "chain.p7b", [p.sub.cert])
    from cryptography import x509

    pems = b"".join(x509.load_der_x509_crl(c).public_bytes(serialization.Encoding.PEM) for c in (p.sub_crl, p.root_crl))
    (folder / "crls.pem").write_bytes(pems)
    (folder / "README.md").write_text("Thêm chứng thư gốc vào đây.", encoding="utf-8")
    store = load_trust_store(folder)
    assert (len(store.roots), len(store.intermediates), len(store.crls)) == (1, 1, 2)
    v = SignatureVerifier(verifier().settings, trust=store)
    assert [r.indication for r in v.verify(pdf("good_visible"))] == [P]
    assert [r.sub_indication for r in v.verify(pdf("revoked"))] == ["REVOKED_NO_POE"]


def test_trust_store_errors_name_the_file(tmp_path):
    assert load_trust_store(tmp_path / "absent").roots == ()
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(ConfigError) as err:
        load_trust_store(tmp_path)
    assert err.value.file.endswith("broken.pem") and err.value.key == "signatures.trust_dir"


def test_reload_picks_up_a_new_crl(tmp_path):
    p = pki()
    folder = p.write_trust_dir(tmp_path / "trust", crls=False)
    v = SignatureVerifier(SignatureSettings(trust_dir=folder))
    assert [r.sub_indication for r in v.verify(pdf("revoked"))] == ["TRY_LATER"]
    (folder / "sub-ca.crl").write_bytes(p.sub_crl)
    (folder / "root.crl").write_bytes(p.root_crl)
    assert len(v.reload().crls) == 2
    assert [r.sub_indication for r in v.verify(pdf("revoked"))] == ["REVOKED_NO_POE"]


def test_vietnamese_field_name():
    signed = pkimod.sign_pdf(pdf("unsigned"), pki().person, field_name="Chữ ký Giám đốc")
    (r,) = verifier().verify(signed)
    assert (r.field, r.indication, r.problems) == ("Chữ ký Giám đốc", P, ())


def test_empty_trust_store_trusts_nothing(tmp_path):
    v = SignatureVerifier(verifier().settings, trust=load_trust_store(tmp_path))
    (r,) = v.verify(pdf("good_visible"))
    assert (r.indication, r.sub_indication) == (IND, "NO_CERTIFICATE_CHAIN_FOUND")


# --- real government documents (issue 10): each trait reproduced with the test CA ---------------------


def test_five_signatures_in_a_tagged_hybrid_file_each_cover_their_revision():
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY

    data = pdf("gazette_chain")
    reader = PdfFileReader(io.BytesIO(data), strict=True)  # the strict cross-reference checks pass…
    assert reader.xrefs.hybrid_xrefs_present and reader.xrefs.total_revisions >= 7
    reports = verifier().verify(data)
    assert [r.field for r in reports] == ["LanhDao", "CoQuan1", "CoQuan2", "CoQuan3", "CongBao"]
    assert [r.coverage for r in reports] == ["ENTIRE_REVISION"] * 4 + ["ENTIRE_FILE"]
    assert all(r.intact and r.trusted and not r.modified_after_signing and not r.problems for r in reports)
    assert reports[-1].timestamp_time is not None
    # …while pyHanko's default policy calls the first four modified: the fixture has the real traits
    lenient = PdfFileReader(io.BytesIO(data), strict=False)
    for emb in lenient.embedded_signatures[:4]:
        emb.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
        assert type(emb.diff_result).__name__ == "SuspiciousModification", emb.field_name


@pytest.mark.parametrize("how", ["alt", "form"])
def test_structure_tree_changes_other_than_signature_bookkeeping_fail(how):
    (r,) = verifier().verify(tampering.change_structure_after_signing(pdf("gazette_first"), how=how))
    assert (r.indication, r.sub_indication, r.modified_after_signing) == (F, "FORMAT_FAILURE", True)
    assert r.intact and "sửa đổi sau khi ký" in signature_sentence(r)


def test_sha1_accepted_only_under_the_root_that_allows_it_and_never_silently():
    (old,) = verifier("both").verify(pdf("sha1_chain"))
    assert old.indication == P and old.weak_algorithm == "SHA-1"
    weak = next(p for p in old.problems if p.startswith("weak_algorithm"))
    assert "certificate chain" in weak and "signature" in weak and "timestamp" in weak
    assert old.timestamp_time is not None  # the SHA-1 timestamp is trusted under the same policy
    assert "thuật toán yếu" in signature_sentence(old)
    # the same store without the policy: SHA-1 refused, the timestamp too
    (strict,) = verifier("both-strict").verify(pdf("sha1_chain"))
    assert (strict.sub_indication, strict.weak_algorithm) == ("CRYPTO_CONSTRAINTS_FAILURE", None)
    # a SHA-1 signature under the other root stays refused although the old root allows SHA-1
    (other,) = verifier("both").verify(pdf("sha1"))
    assert other.sub_indication == "CRYPTO_CONSTRAINTS_FAILURE"
    # a SHA-256 signature under the policy carries no note
    (clean,) = verifier("both").verify(pdf("good_visible"))
    assert clean.indication == P and clean.weak_algorithm is None


def test_allow_sha1_for_every_root_still_notes_it():
    (r,) = verifier("sha1").verify(pdf("sha1"))
    assert (r.indication, r.weak_algorithm) == (P, "SHA-1")
    assert any(p.startswith("weak_algorithm") and "signature" in p for p in r.problems)


def test_sha1_self_signed_root_is_a_trust_anchor():
    store = load_trust_store(sha1_pki().trust_dir)
    assert (len(store.roots), len(store.intermediates), len(store.crls)) == (1, 1, 2)
    assert store.roots[0].hash_algo == "sha1"


def test_trust_policy_errors_name_file_and_key(tmp_path):
    folder = pki().write_trust_dir(tmp_path / "trust")
    root_fp = fingerprint(pki().root.cert.public_bytes(serialization.Encoding.DER))
    sub_fp = fingerprint(pki().sub.cert.public_bytes(serialization.Encoding.DER))
    cases = [
        ('[[root]]\nfingerprint = "abc"\n', "root[0].fingerprint"),
        (f'[[root]]\nfingerprint = "{sub_fp}"\nallow_sha1 = true\n', "root[0].fingerprint"),  # not a root
        (f'[[root]]\nfingerprint = "{root_fp}"\nallow_sha2 = true\n', "root[0].allow_sha2"),
        (f'[[root]]\nfingerprint = "{root_fp}"\n[[root]]\nfingerprint = "{root_fp}"\n', "root[1].fingerprint"),
        ("[roots]\n", "roots"),
    ]
    for text, key in cases:
        (folder / "trust.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_trust_store(folder)
        assert err.value.key == key and err.value.file.endswith("trust.toml"), text
    # colons and capitals are how fingerprints are printed: accepted
    spaced = ":".join(root_fp[i : i + 2] for i in range(0, 64, 2)).upper()
    (folder / "trust.toml").write_text(f'[[root]]\nfingerprint = "{spaced}"\nallow_sha1 = true\n', encoding="utf-8")
    assert load_trust_store(folder).policies[0].allow_sha1


def test_chain_validated_at_the_time_a_trusted_timestamp_proves():
    (r,) = verifier().verify(pdf("expired_earlier_timestamp"))
    assert r.indication == P and r.timestamp_time < r.signer.not_after < datetime.now(UTC)
    assert r.validated_at == r.timestamp_time  # not "now", when the certificate has expired
    (revoked,) = verifier().verify(pdf("revoked_after_timestamp"))
    assert revoked.indication == P and revoked.validated_at == revoked.timestamp_time
    # without a timestamp nothing proves the time: the same kind of certificate is out of bounds
    (plain,) = verifier().verify(pdf("expired"))
    assert plain.sub_indication == "OUT_OF_BOUNDS_NO_POE" and plain.validated_at > plain.signer.not_after


def test_claimed_time_seven_hours_off_is_reported_and_never_used():
    (r,) = verifier().verify(pdf("claimed_time_shifted"))
    assert r.indication == P and r.claimed_time_shifted
    assert timedelta(hours=6) < r.claimed_signing_time - r.timestamp_time <= timedelta(hours=7)
    assert r.validated_at != r.claimed_signing_time
    assert any(p.startswith("claimed_time_shifted") for p in r.problems)
    (honest,) = verifier().verify(pdf("invisible_timestamp"))
    assert not honest.claimed_time_shifted


def test_claimed_time_shift_without_a_timestamp():
    t = datetime(2026, 6, 10, 7, 15, 42, tzinfo=UTC)
    # signingTime is local time labelled UTC, /M is right (as in a real Government portal document)
    assert claimed_time_shift(t + timedelta(hours=7), t, None) is not None
    assert claimed_time_shift(t, t + timedelta(minutes=1), None) is None
    assert claimed_time_shift(t, None, None) is None
    # with a timestamp: a claim 7 h after it is the local-time slip; a claim before it is honest
    assert claimed_time_shift(t + timedelta(hours=7), None, t + timedelta(minutes=5)) is not None
    assert claimed_time_shift(t - timedelta(minutes=1), None, t) is None
