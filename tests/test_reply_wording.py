"""Every reply kind rendered as a sender or an admin reads it (issue 14, R5, R6, R15): no internal codes, no
English, no Message-IDs, legal references in Vietnamese order, the sender addressed as "Quý cơ quan", and no
contradictions (a paper-only acknowledgement never says the sender need not send again; a refused secret
document points to the paper channel, never to "khắc phục … gửi lại")."""

from __future__ import annotations

import re

import pytest

from gateway.disposition import REPLY_KINDS, Recipient
from gateway.replies import render, shipped_environment
from gateway.reply_samples import sample_cases

CASES = sample_cases()
KIND_OF = {k.name: k for k in REPLY_KINDS}

INTERNAL_CODE = re.compile(r"\b(?:TTg|KH|VL|BG|QB) Đ\d|\bR\d{1,2}\b|\(theo [A-Z]{2,3} ")
MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
ARTICLE_FIRST = re.compile(r"Điều \d+ khoản \d+")
ENGLISH = re.compile(
    r"\b(?:the|and|of|to|is|not|none|None|null|True|False|error|letter|document|status|reply|undefined)\b"
)
THIRD_PERSON = re.compile(r"[Đđ]ề nghị cơ quan gửi|\bcơ quan gửi (?:chuyển|gửi|khắc phục)")


def _rendered(case):
    return render(shipped_environment(), case.kind, case.context)


def test_every_reply_kind_has_a_sample_and_renders():
    assert {c.kind for c in CASES} == set(KIND_OF)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind}-{c.case}")
def test_wording(case):
    r = _rendered(case)
    text = f"{r.subject}\n{r.body}"
    assert not INTERNAL_CODE.search(text), INTERNAL_CODE.search(text)
    assert not MESSAGE_ID.search(text), MESSAGE_ID.search(text)
    assert not ARTICLE_FIRST.search(text), ARTICLE_FIRST.search(text)
    assert not THIRD_PERSON.search(text), THIRD_PERSON.search(text)
    if KIND_OF[case.kind].to == Recipient.SENDER:
        # Commands an admin types are English-looking; what a sender reads has none.
        assert not ENGLISH.search(text), ENGLISH.search(text)
        assert r.body.startswith("Kính gửi: "), r.body[:40]
        assert "Quý cơ quan" in r.body
        assert "{{" not in text and "}}" not in text
    for line in r.body.splitlines():
        assert not line.startswith((".", ",", ";")), f"a sentence broken across lines: {line!r}"


def _case(kind, name):
    return next(c for c in CASES if c.kind == kind and c.case == name)


def test_a_paper_only_acknowledgement_never_says_no_need_to_send_again():
    body = _rendered(_case("acknowledgement", "paper_only")).body
    assert "không cần gửi lại" not in body
    assert "chỉ được lưu để tham khảo" in body and "gửi bản giấy" in body
    electronic = _rendered(_case("acknowledgement", "electronic_only")).body
    assert "không cần gửi lại" in electronic and "tham khảo" not in electronic


def test_a_secret_refusal_points_to_the_paper_channel():
    body = _rendered(_case("refusal_secret", "secret")).body
    assert "khắc phục" not in body and "gửi lại văn bản." not in body
    assert "không gửi lại văn bản này qua thư điện tử" in body
    assert "bí mật nhà nước" in body and "bằng giấy" in body
    assert body.index("Căn cứ") < body.index("không được tiếp nhận")


def test_a_refusal_gives_its_basis_first_and_asks_to_correct_and_resend():
    body = _rendered(_case("refusal", "document")).body
    assert body.index("Căn cứ") < body.index("Lý do")
    assert "Chữ ký số không hợp lệ" in body
    assert "\nĐề nghị Quý cơ quan khắc phục các nội dung nêu trên và gửi lại văn bản." in body


def test_the_sample_letter_context_has_every_key_the_real_one_has():
    import inspect

    from gateway.replies import letter_context

    source = inspect.getsource(letter_context)
    keys = set(re.findall(r'^\s{8}"([a-z_]+)":', source, re.M))
    sample = _case("acknowledgement", "electronic_only").context
    assert keys and keys <= set(sample), keys - set(sample)
    entry_keys = set(re.findall(r'^\s{16}"([a-z_]+)":', source, re.M))
    assert entry_keys and entry_keys <= set(sample["entries"][0]), entry_keys - set(sample["entries"][0])
