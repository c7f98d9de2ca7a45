"""Legal value (R4: TTg Đ4.1–4.2, BG Đ4.1, KH Đ4.1b) and the agency directory it relies on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gateway.config import ConfigError, Section, load_settings
from gateway.directory import (
    DirectorySettings,
    directory_settings,
    load_directory,
    load_directory_from_settings,
    name_key,
)
from gateway.legal import (
    SignatureRole,
    legal_assessment,
    legal_value,
    origin_proven,
    signature_role,
    signed_by_issuer,
)
from gateway.models import Agency, Authenticity, Indication, LegalValue, SignatureReport, Signer
from tests.conftest_pki import REGISTRY, REGISTRY_DOMAIN, REPO, directory

EQ, ORIGIN, REF = LegalValue.EQUIVALENT_TO_PAPER, LegalValue.VALID_BY_ORIGIN, LegalValue.REFERENCE_ONLY
STC = "Sở Tài chính tỉnh Khánh Hòa"
PROVEN = Authenticity(dkim="pass", spf="pass", directory_match=True, dkim_domain=REGISTRY_DOMAIN)


def sig(
    indication: Indication = Indication.TOTAL_PASSED,
    sub: str | None = None,
    *,
    cn: str = "Nguyễn Văn An",
    o: str | None = STC,
    ou: str | None = None,
    revocation_checked: bool = True,
) -> SignatureReport:
    return SignatureReport(
        field="Signature1",
        signer=Signer(common_name=cn, organization=o, organizational_unit=ou),
        indication=indication,
        sub_indication=sub,
        intact=indication != Indication.TOTAL_FAILED,
        trusted=indication == Indication.TOTAL_PASSED,
        coverage="ENTIRE_FILE",
        modified_after_signing=False,
        claimed_signing_time=None,
        revocation_checked=revocation_checked,
    )


def issuer() -> Agency:
    agency = directory().by_issuer_name("SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")
    assert agency is not None
    return agency


def value(signatures, *, authenticity=None, from_address=REGISTRY, issuer_agency="default", **kw) -> LegalValue:
    return legal_value(
        signatures,
        issuer_agency=issuer() if issuer_agency == "default" else issuer_agency,
        sender_agency=directory().by_address(from_address),
        authenticity=authenticity,
        from_address=from_address,
        **kw,
    )


# --- equivalent to paper (TTg Đ4.1) ---------------------------------------------------------------------


def test_valid_signature_of_the_issuer_is_equivalent_to_paper():
    assert value([sig()]) == EQ
    assert value([sig(cn=STC, o=STC)]) == EQ  # the agency's own certificate (ký số cơ quan)
    assert value([sig(o="UBND tỉnh Khánh Hòa", ou=STC)]) == EQ  # the agency as the unit of its parent
    assert value([sig(Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND"), sig()]) == EQ


def test_valid_signature_of_another_agency_is_not():
    other = sig(o="Sở Nội vụ tỉnh Vĩnh Long", cn="Trần Văn Bình")
    assert value([other]) == REF
    # …but the letter can still be valid by origin when it came from the issuer's registry
    assert value([other], authenticity=PROVEN) == ORIGIN


def test_issuer_not_in_the_directory_matches_by_the_name_read_from_the_document():
    assert value([sig()], issuer_agency=None, issuer_name="SỞ TÀI CHÍNH TỈNH KHÁNH HÒA") == EQ
    assert value([sig()], issuer_agency=None, issuer_name="SỞ NỘI VỤ TỈNH VĨNH LONG") == REF
    assert value([sig()], issuer_agency=None) == REF


def test_its_signer():
    # the certificate names the person who signs the document, and no organisation
    assert value([sig(o=None)], signer_name="NGUYỄN VĂN AN") == EQ
    # the same name under another organisation is someone else
    assert value([sig(o="Công ty TNHH Mẫu")], signer_name="Nguyễn Văn An") == REF
    assert value([sig(o=None, cn="Nguyễn Văn Bình")], signer_name="Nguyễn Văn An") == REF


def test_signature_that_did_not_pass_is_never_equivalent():
    for s in (
        sig(Indication.TOTAL_FAILED, "HASH_FAILURE"),
        sig(Indication.INDETERMINATE, "REVOKED_NO_POE"),
        sig(Indication.INDETERMINATE, "TRY_LATER"),
    ):
        assert value([s]) == REF


def test_soft_fail_pass_still_counts_and_says_so():
    # the admin chose soft-fail; the report carries revocation_checked=False for the clerk to see
    s = sig(revocation_checked=False)
    assert value([s]) == EQ and not s.revocation_checked


# --- valid by origin (BG Đ4.1) --------------------------------------------------------------------------


def test_unsigned_scan_from_the_issuers_registry_is_valid_by_origin():
    assert value([], authenticity=PROVEN) == ORIGIN
    assert value([sig(Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND")], authenticity=PROVEN) == ORIGIN


def test_tampered_or_revoked_document_is_not_rescued_by_its_envelope():
    for s in (
        sig(Indication.TOTAL_FAILED, "HASH_FAILURE"),
        sig(Indication.TOTAL_FAILED, "FORMAT_FAILURE"),
        sig(Indication.INDETERMINATE, "REVOKED_NO_POE"),
        sig(Indication.TOTAL_FAILED, "REVOKED"),
    ):
        assert value([s], authenticity=PROVEN) == REF, s.sub_indication


@pytest.mark.parametrize(
    ("authenticity", "from_address", "issuer_agency"),
    [
        (replace(PROVEN, dkim="fail"), REGISTRY, "default"),
        (replace(PROVEN, dkim="none", dkim_domain=None), REGISTRY, "default"),
        (replace(PROVEN, dkim="temperror"), REGISTRY, "default"),
        (replace(PROVEN, dkim_domain="attacker.example"), REGISTRY, "default"),
        (PROVEN, "nguyenvanan@stc.khanhhoa.example", "default"),  # staff mailbox, not the registry
        (PROVEN, "vanthu@snv.vinhlong.example", "default"),  # another agency's registry
        (PROVEN, REGISTRY, None),  # issuer unknown: origin cannot be the issuer's
        (None, REGISTRY, "default"),  # a bare PDF has no envelope
    ],
    ids=["dkim-fail", "no-dkim", "dkim-temperror", "unaligned", "staff", "other-agency", "no-issuer", "bare"],
)
def test_origin_not_proven(authenticity, from_address, issuer_agency):
    assert value([], authenticity=authenticity, from_address=from_address, issuer_agency=issuer_agency) == REF


def test_origin_proven_needs_the_same_agency():
    d = directory()
    sender = d.by_address(REGISTRY)
    assert origin_proven(issuer_agency=sender, sender_agency=sender, authenticity=PROVEN, from_address=REGISTRY)
    other = d.by_address("vanthu@snv.vinhlong.example")
    assert not origin_proven(issuer_agency=other, sender_agency=sender, authenticity=PROVEN, from_address=REGISTRY)


def test_signed_by_issuer_without_a_signer():
    report = replace(sig(), signer=None)
    assert not signed_by_issuer(report, issuer_agency=issuer(), issuer_name=STC, signer_name="Nguyễn Văn An")


# --- the directory --------------------------------------------------------------------------------------


def test_example_directory_lookups():
    d = directory()
    assert len(d) == 5
    assert d.by_address("Văn Thư <VanThu@STC.KhanhHoa.example>").name == STC
    assert d.by_address("someone@stc.khanhhoa.example") is None
    assert d.by_domain("stc.khanhhoa.example.").name == STC
    assert d.by_domain("khanhhoa.example") is None
    # document headers: upper case, old-style tone marks, abbreviations, short names with their parent
    assert d.by_issuer_name("ỦY BAN NHÂN DÂN TỈNH KHÁNH HOÀ").name == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert d.by_issuer_name("UBND TỈNH KHÁNH HÒA").name == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert d.by_issuer_name("SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA").name == STC
    assert d.by_issuer_name("SỞ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG").name == "Sở Nội vụ tỉnh Vĩnh Long"
    assert d.by_issuer_name("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA") is None
    assert d.by_issuer_name("") is None
    # certificates: the most specific of OU/O/CN wins; diacritics may be missing in old certificates
    assert d.by_signer(Signer(common_name="Nguyễn Văn An", organization="SO TAI CHINH TINH KHANH HOA")).name == STC
    assert d.by_signer(Signer(common_name="X", organization="UBND tỉnh Khánh Hòa", organizational_unit=STC)).name == STC
    assert d.by_signer(Signer(common_name="X", organization="UBND tỉnh Khánh Hòa")).name == (
        "Ủy ban nhân dân tỉnh Khánh Hòa"
    )
    assert d.by_signer(Signer(common_name="X", organization="Công ty Mẫu")) is None
    assert d.by_signer(None) is None
    commune = d.by_address("ubndxatanlap@mail.example")
    assert commune.electronic_capable is False and commune.code == "000.21.43.H10"


def test_ambiguous_lookups_answer_none(tmp_path):
    path = tmp_path / "agencies.toml"
    path.write_text(
        """
[[agency]]
name = "Sở Tài chính tỉnh Khánh Hòa"
aliases = ["Sở Tài chính"]
domains = ["khanhhoa.example"]

[[agency]]
name = "Sở Tài chính tỉnh Vĩnh Long"
aliases = ["Sở Tài chính"]
domains = ["khanhhoa.example"]
""",
        encoding="utf-8",
    )
    d = load_directory(path)
    assert d.by_issuer_name("Sở Tài chính") is None
    assert d.by_domain("khanhhoa.example") is None
    # the province in the parent line settles it even without a `parent` key
    assert d.by_issuer_name("SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG").name == "Sở Tài chính tỉnh Vĩnh Long"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[agency]]\nname = "A"\ncode = "12.34"\n', "agency[0].code"),
        ('[[agency]]\nname = "A"\nmailbox = ["a@b.example"]\n', "agency[0].mailbox"),
        ('[[agency]]\ncode = "000.00.12.H34"\n', "agency[0].name"),
        ('[[agency]]\nname = "A"\nmailboxes = ["Văn thư <a@b.example>"]\n', "agency[0].mailboxes"),
        (
            '[[agency]]\nname = "A"\nmailboxes = ["a@b.example"]\n'
            '[[agency]]\nname = "B"\nmailboxes = ["a@b.example"]\n',
            "agency.mailboxes",
        ),
        ('[agencies]\nname = "A"\n', "agencies"),
        ("[[agency]\n", "(syntax)"),
    ],
    ids=["bad-code", "typo", "no-name", "not-bare", "duplicate-mailbox", "unknown-table", "syntax"],
)
def test_directory_errors_name_file_and_key(tmp_path, text, key):
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_directory(path)
    assert err.value.key == key and err.value.file == str(path)


def test_directory_settings(tmp_path):
    assert directory_settings(Section({}, "directory", None, tmp_path)) == DirectorySettings(file=None)
    (tmp_path / "agencies.toml").write_text("", encoding="utf-8")
    assert directory_settings(Section({}, "directory", None, tmp_path)).file == tmp_path / "agencies.toml"
    assert directory_settings(Section({"file": "agencies.toml"}, "directory", None, tmp_path)).file == (
        tmp_path / "agencies.toml"
    )
    with pytest.raises(ConfigError) as err:
        directory_settings(Section({"file": "missing.toml"}, "directory", None, tmp_path))
    assert err.value.key == "directory.file"
    assert len(load_directory(None)) == 0


def test_directory_from_settings(tmp_path):
    (tmp_path / "agencies.toml").write_text(
        (REPO / "agencies.example.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "config.toml").write_text('[directory]\nfile = "agencies.toml"\n', encoding="utf-8")
    d = load_directory_from_settings(load_settings(tmp_path / "config.toml"))
    assert len(d) == 5 and d.file == tmp_path / "agencies.toml"


def test_name_key():
    assert name_key("ỦY BAN NHÂN DÂN TP. HỒ CHÍ MINH") == name_key("UBND Thành phố Hồ Chí Minh")
    assert name_key("HĐND tỉnh Khánh Hoà") == "hoi dong nhan dan tinh khanh hoa"


# --- real signers (issue 10): the issuer's signature counts, a publishing unit's is reported only ---------


def test_publishing_unit_signature_is_reported_but_does_not_stand_in_for_the_issuer():
    gazette = sig(cn="Trung tâm Thông tin - Công báo", o="Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa")
    portal = sig(cn="CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", o="VĂN PHÒNG CHÍNH PHỦ")
    agency = replace(sig(cn=STC, o=STC), field="KySoCoQuan")
    # the issuer signed, then the gazette centre published: equivalent to paper, on the agency's signature
    a = legal_assessment(
        [agency, replace(gazette, field="CongBao")],
        issuer_agency=issuer(),
        sender_agency=None,
        authenticity=None,
        from_address=None,
    )
    assert (a.value, a.basis) == (EQ, "KySoCoQuan")
    assert [(s.field, s.role, s.counts) for s in a.signatures] == [
        ("KySoCoQuan", SignatureRole.ISSUER, True),
        ("CongBao", SignatureRole.PUBLISHER, False),
    ]
    assert "publishing unit" in a.signatures[1].why
    # the publisher alone is not the issuer — even when its certificate names the issuer's office
    assert value([gazette]) == REF
    vpcp = directory().by_issuer_name("VĂN PHÒNG CHÍNH PHỦ")
    assert vpcp is not None and value([portal], issuer_agency=vpcp) == REF
    assert value([portal], issuer_agency=None, issuer_name="VĂN PHÒNG CHÍNH PHỦ") == REF
    # …while the office's own certificate does count
    assert value([sig(cn="VĂN PHÒNG CHÍNH PHỦ", o="VĂN PHÒNG CHÍNH PHỦ")], issuer_agency=vpcp) == EQ


def test_publisher_kind_in_the_directory(tmp_path):
    path = tmp_path / "agencies.toml"
    path.write_text(
        '[[agency]]\nname = "Sở Tài chính tỉnh Khánh Hòa"\n\n'
        '[[agency]]\nname = "Trung tâm Tin học tỉnh Khánh Hòa"\nkind = "publisher"\n'
        'certificate_subjects = ["Trung tâm Tin học tỉnh Khánh Hòa"]\n',
        encoding="utf-8",
    )
    d = load_directory(path)
    center = sig(cn="Trung tâm Tin học tỉnh Khánh Hòa", o="Sở Tài chính tỉnh Khánh Hòa")
    stc = d.by_issuer_name("Sở Tài chính tỉnh Khánh Hòa")
    without = legal_assessment([center], issuer_agency=stc, sender_agency=None, authenticity=None, from_address=None)
    assert without.value == EQ  # its organisation is the issuer, and nothing says it is a publisher
    with_dir = legal_assessment(
        [center], issuer_agency=stc, sender_agency=None, authenticity=None, from_address=None, directory=d
    )
    assert (with_dir.value, with_dir.signatures[0].role) == (REF, SignatureRole.PUBLISHER)


def test_roles_of_person_agency_and_stranger():
    roles = [
        signature_role(s, issuer_agency=issuer(), signer_name="Nguyễn Văn An")[0]
        for s in (
            sig(o=None),  # the named signer, no organisation
            sig(cn=STC, o=STC),  # the agency's own certificate
            sig(cn="Trần Văn Bình", o="Sở Nội vụ tỉnh Vĩnh Long"),
            replace(sig(cn="Demo TSA"), sub_filter="ETSI.RFC3161"),
        )
    ]
    assert roles == [SignatureRole.ISSUER_SIGNER, SignatureRole.ISSUER, SignatureRole.OTHER, SignatureRole.TIMESTAMP]
    failed = legal_assessment(
        [sig(Indication.INDETERMINATE, "TRY_LATER")],
        issuer_agency=issuer(),
        sender_agency=None,
        authenticity=None,
        from_address=None,
    )
    assert (failed.value, failed.basis, failed.signatures[0].counts) == (REF, None, False)
