"""Conditions: the operators' Vietnamese-aware semantics (R2), absent values, explanations, and hostile
input (any TOML value as a condition gives issues, never an exception)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.models import Agency, Delivery, Indication, LegalValue, Metadata, SignatureReport
from gateway.rules import (
    COMBINATORS,
    FIELDS,
    OPERATORS,
    Profile,
    Rule,
    RuleFacts,
    explain,
)
from gateway.rules.conditions import FactReader, evaluate, parse_condition

README = Path(__file__).resolve().parents[2] / "gateway" / "defaults" / "rules" / "README.md"


def holds(cond: dict, facts: RuleFacts) -> bool:
    parsed, issues = parse_condition(cond)
    assert not issues, issues
    assert parsed is not None
    return evaluate(parsed, FactReader(facts)).held


def subject(text: str) -> RuleFacts:
    return RuleFacts(metadata=Metadata(subject=text))


@pytest.mark.parametrize(
    ("keywords", "text", "expected"),
    [
        ("tham nhũng", "Kế hoạch phòng, chống tham nhũng năm 2025", True),
        ("THAM NHŨNG", "kế hoạch phòng chống tham nhũng", True),  # case-insensitive
        ("tố cáo", "V/v xử lý đơn tố cáo", True),
        ("tố", "Về việc khen thưởng cá nhân tốt", False),  # whole words: "tố" is not in "tốt"
        ("mời họp", "Giấy mời họp giao ban", True),
        ("mời họp", "mời họpx", False),
        ("Khánh Hòa", "Sở Y tế tỉnh Khánh Hoà", True),  # old and new tone placement
        ("bổ nhiệm", unicodedata.normalize("NFD", "Về việc bổ nhiệm cán bộ"), True),  # NFD text
        ("bổ nhiệm", "Ve viec bo nhiem can bo", False),  # diacritics matter unless told otherwise
        (["lịch công tác", "lịch làm việc"], "Thông báo lịch làm việc tuần 3", True),
    ],
)
def test_matches_is_whole_word_and_vietnamese_aware(keywords, text: str, expected: bool) -> None:
    assert holds({"field": "metadata.subject", "matches": keywords}, subject(text)) is expected


def test_ignore_diacritics_for_matches_equals_and_regex() -> None:
    ocr = subject("Ve viec bo nhiem can bo")
    assert holds({"field": "metadata.subject", "matches": "bổ nhiệm", "ignore_diacritics": True}, ocr)
    assert holds({"field": "metadata.subject", "equals": "về việc bổ nhiệm cán bộ", "ignore_diacritics": True}, ocr)
    assert not holds({"field": "metadata.subject", "equals": "về việc bổ nhiệm cán bộ"}, ocr)
    pattern = r"\b(điều động|luân chuyển)\s+(ông|bà)\b"
    facts = subject("Ve viec dieu dong ong Nguyen Van A")
    assert holds({"field": "metadata.subject", "regex": pattern, "ignore_diacritics": True}, facts)
    assert not holds({"field": "metadata.subject", "regex": pattern}, facts)
    assert holds({"field": "metadata.subject", "regex": pattern}, subject("Về việc ĐIỀU ĐỘNG ÔNG Nguyễn Văn A"))


def test_equals_and_in_on_codes_bools_ints() -> None:
    facts = RuleFacts(
        metadata=Metadata(doc_type="giay_moi", legal_normative=False),
        signatures=(
            SignatureReport("S1", None, Indication.TOTAL_PASSED, None, True, True, "ENTIRE_FILE", False, None),
            SignatureReport("S2", None, Indication.INDETERMINATE, "NO_POE", True, False, "ENTIRE_FILE", False, None),
        ),
        legal_value=LegalValue.EQUIVALENT_TO_PAPER,
    )
    assert holds({"field": "metadata.doc_type", "in": ["lich_cong_tac", "giay_moi"]}, facts)
    assert holds({"field": "metadata.legal_normative", "equals": False}, facts)
    assert holds({"field": "signature.count", "equals": 2}, facts)
    assert holds({"field": "signature.count", "in": [1, 2]}, facts)
    assert holds({"field": "signature.any_passed", "equals": True}, facts)
    assert not holds({"field": "signature.all_passed", "equals": True}, facts)
    assert holds({"field": "signature.indications", "equals": "INDETERMINATE"}, facts)  # any item
    assert holds({"field": "legal_value", "equals": "equivalent_to_paper"}, facts)


def test_absent_values_never_equal_but_can_be_tested_for_existence() -> None:
    unknown_sender = RuleFacts(metadata=Metadata())
    assert not holds({"field": "sender.electronic_capable", "equals": False}, unknown_sender)
    assert not holds({"field": "sender.electronic_capable", "equals": True}, unknown_sender)
    assert holds({"field": "sender.electronic_capable", "exists": False}, unknown_sender)
    assert holds({"field": "sender.known", "equals": False}, unknown_sender)
    assert not holds({"field": "addressees", "exists": True}, unknown_sender)  # empty list
    assert not holds({"field": "letter.dkim", "in": ["pass", "fail", "none"]}, unknown_sender)
    assert not holds({"field": "metadata.subject", "matches": "họp"}, unknown_sender)
    known = RuleFacts(metadata=Metadata(), sender_agency=Agency(name="Sở Nội vụ", electronic_capable=False))
    assert holds({"field": "sender.electronic_capable", "equals": False}, known)


def test_combinators() -> None:
    facts = RuleFacts(metadata=Metadata(doc_type="bao_cao", urgency="khan"))
    report = {"field": "metadata.doc_type", "equals": "bao_cao"}
    secret = {"field": "metadata.secrecy", "exists": True}
    assert holds({"all": [report, {"not": secret}]}, facts)
    assert not holds({"all": [report, secret]}, facts)
    assert holds({"any": [secret, report]}, facts)
    assert not holds({"not": {"any": [secret, report]}}, facts)


def test_our_agency_on_the_recipient_lists_r12() -> None:
    meta = Metadata(
        recipients_paper=("Như trên;", "- Sở Tài chính (để thực hiện);", "Lưu: VT, TC."),
        recipients_electronic=("UBND các huyện;",),
    )
    us = RuleFacts(metadata=meta, receiving_agency="Sở Tài chính tỉnh Bắc Giang")
    assert holds({"field": "recipients.us_on_paper", "equals": True}, us)
    assert holds({"field": "recipients.us_on_electronic", "equals": False}, us)
    assert holds({"field": "recipients.has_electronic_list", "equals": True}, us)
    them = RuleFacts(metadata=meta, receiving_agency="Sở Nội vụ tỉnh Bắc Giang")
    assert holds({"field": "recipients.us_on_paper", "equals": False}, them)
    alias = RuleFacts(metadata=meta, receiving_agency="Cơ quan X", receiving_aliases=("Sở Tài chính",))
    assert holds({"field": "recipients.us_on_paper", "equals": True}, alias)
    nobody = RuleFacts(metadata=meta, receiving_agency=None)
    assert holds({"field": "recipients.us_on_paper", "equals": False}, nobody)


def test_explanation_shows_each_condition_and_the_value_seen() -> None:
    when, _ = parse_condition(
        {
            "any": [
                {"field": "metadata.doc_type", "equals": "giay_moi"},
                {"field": "metadata.subject", "matches": "họp"},
            ]
        }
    )
    rules = (
        Rule(
            "secret",
            "TTg Đ1.2",
            "Văn bản mật",
            Delivery.REFUSE,
            parse_condition({"field": "metadata.secrecy", "exists": True})[0],
            Path("p.toml"),
            3,
        ),
        Rule("meet", "TTg Đ5.3", "Mời họp", Delivery.ELECTRONIC_ONLY, when, Path("p.toml"), 9),
        Rule("default", "TTg Đ4.1", "Mặc định", Delivery.PAPER_ALSO, None, Path("p.toml"), 15),
    )
    profile = Profile("p", "Thử", Path("p.toml"), rules, (("TTg", "Quyết định số 28/2018/QĐ-TTg"),))
    e = explain(profile, subject("Giấy mời họp giao ban"))
    assert [(r.rule, r.matched) for r in e.considered] == [("secret", False), ("meet", True)]
    assert e.not_reached == ("default",)
    secret, meet = e.considered
    assert secret.condition.condition == "metadata.secrecy exists" and secret.condition.seen is None
    assert meet.condition.condition == "any of" and meet.condition.held
    doc_type, subj = meet.condition.parts
    assert (doc_type.held, doc_type.seen) == (False, None)
    assert (subj.held, subj.seen) == (True, "Giấy mời họp giao ban")
    assert e.decision.rule == "meet" and e.decision.basis == "TTg Đ5.3"
    assert "khoản 3 Điều 5 Quyết định số 28/2018/QĐ-TTg" in e.decision.explanation
    fallback = explain(profile, subject("Về việc khác"))
    assert fallback.decision.delivery is Delivery.PAPER_ALSO and fallback.considered[-1].condition is None
    assert "bản chính bằng giấy (có chữ ký, đóng dấu)" in fallback.decision.explanation


def test_readme_documents_every_field_and_operator() -> None:
    text = README.read_text(encoding="utf-8")
    for path in FIELDS:
        assert f"`{path}`" in text, path
    for op in (*OPERATORS, *COMBINATORS):
        assert f"| `{op}` |" in text, op


# -------------------------------------------------------------------------------------- hostile input

toml_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(list(FIELDS)),
)
toml_keys = st.one_of(st.sampled_from([*OPERATORS, *COMBINATORS, "field", "ignore_diacritics"]), st.text(max_size=6))
toml_values = st.recursive(
    toml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(toml_keys, children, max_size=3)),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(toml_values, st.text(max_size=40))
def test_any_toml_value_gives_a_condition_or_issues_never_an_exception(data, text: str) -> None:
    cond, issues = parse_condition(data)
    assert (cond is None) == bool(issues)
    assert all(isinstance(i.problem, str) and i.problem for i in issues)
    if cond is not None:
        facts = RuleFacts(
            metadata=Metadata(subject=text, doc_type="giay_moi", recipients_paper=(text,)),
            addressees=(text,),
            receiving_agency=text,
        )
        result = evaluate(cond, FactReader(facts))
        assert isinstance(result.held, bool)
