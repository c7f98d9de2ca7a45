"""MIME → Letter (R1, R2): good letters read right, hostile ones give clear defects, never exceptions;
automatic mail is never answered (RFC 3834)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.letter import (
    DOC,
    DOCX,
    FODT,
    MAX_FILENAME_BYTES,
    MAX_HEADER_CHARS,
    ODT,
    PDF,
    Letter,
    parse_letter,
    reply_address,
    reply_suppression,
    sanitize_filename,
)
from gateway.pdf.inspect import inspect_pdf
from tests import hostile_samples as samples


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# ------------------------------------------------------------------------------------- good letters


def test_good_letter_reads_every_field():
    pdf = samples.good_pdf()
    letter = parse_letter(samples.good_letter([pdf]))
    assert letter.subject == samples.SUBJECT and nfc(letter.subject)
    assert letter.from_address == samples.SENDER
    assert letter.from_name == samples.SENDER_NAME
    assert letter.to == (samples.RECIPIENT,)
    assert letter.date == samples.DATE and letter.date.utcoffset() == timedelta(hours=7)
    assert letter.message_id == "<20200305093000.1@sotttt.hanoi.gov.vn>"
    assert letter.return_path == samples.SENDER and not letter.null_sender
    assert len(letter.received_hops) == 2 and "mx.ubnd.example.gov.vn" in letter.received_hops[0]
    assert letter.body_text.startswith("Kính gửi Văn thư UBND,") and nfc(letter.body_text)
    assert letter.defects == ()
    [attachment] = letter.attachments
    assert attachment.filename == attachment.original_filename == "congvan-1.pdf"
    assert (attachment.declared_type, attachment.media_type, attachment.kind) == (PDF, PDF, "pdf")
    assert attachment.data == pdf and attachment.size == len(pdf)
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()
    assert not attachment.nested
    assert reply_suppression(letter) is None
    assert reply_address(letter) == samples.SENDER


def test_several_pdfs_with_vietnamese_rfc2231_names():
    decomposed = unicodedata.normalize("NFD", "Quyết định số 05/QĐ-UBND.pdf")
    raw = samples.good_letter([("Công văn.pdf", samples.good_pdf()), (decomposed, samples.scan_pdf())])
    assert b"filename*=utf-8''" in raw  # the names really travel RFC 2231-encoded
    letter = parse_letter(raw)
    assert [a.original_filename for a in letter.attachments] == [
        "Công văn.pdf",
        "Quyết định số 05/QĐ-UBND.pdf",
    ]
    assert [a.filename for a in letter.attachments] == ["Công văn.pdf", "Quyết định số 05-QĐ-UBND.pdf"]
    assert all(nfc(a.filename) and a.kind == "pdf" for a in letter.attachments)
    assert letter.attachments[1].data == samples.scan_pdf()


def test_windows_1258_subject_is_decoded_and_nfc():
    raw = samples.windows1258_subject_letter()
    assert b"=?windows-1258?Q?" in raw and b"=EC" in raw  # U+0301 (sắc) sent as a combining mark
    letter = parse_letter(raw)
    assert letter.subject == samples.WINDOWS_1258_SUBJECT
    assert nfc(letter.subject) and nfc(letter.body_text)
    assert letter.body_text == "Kính gửi: Văn thư."


def test_raw_8bit_windows_1258_subject_is_recovered_with_a_defect():
    letter = parse_letter(samples.raw_8bit_subject_letter())
    assert letter.subject == samples.WINDOWS_1258_SUBJECT
    assert any("read as windows-1258" in d for d in letter.defects)


def test_rfc2047_encoded_filename():
    [attachment] = parse_letter(samples.rfc2047_filename_letter()).attachments
    assert attachment.filename == attachment.original_filename == "Công văn số 05.pdf"


def test_forwarded_message_rfc822_attachment_is_walked():
    letter = parse_letter(samples.rfc822_attachment_letter())
    assert letter.subject == "Fwd: Công văn gốc số 05/QĐ-UBND"
    [attachment] = letter.attachments
    assert attachment.filename == "05-QD-UBND.pdf" and attachment.kind == "pdf" and attachment.nested
    assert attachment.data == samples.good_pdf()
    assert "message/rfc822" in letter.content_types
    assert letter.content_types.count("application/pdf") == 0  # types inside the attached message


def test_pdf_sent_as_octet_stream_named_bin_is_recognised_by_magic():
    [attachment] = parse_letter(samples.octet_stream_pdf_letter()).attachments
    assert attachment.declared_type == "application/octet-stream"
    assert (attachment.media_type, attachment.kind) == (PDF, "pdf")
    assert attachment.original_filename == "congvan.bin"
    assert attachment.filename == "congvan.bin.pdf"


def test_html_named_pdf_is_not_a_pdf():
    [attachment] = parse_letter(samples.not_a_pdf_letter()).attachments
    assert attachment.declared_type == PDF
    assert (attachment.media_type, attachment.kind) == ("application/octet-stream", "other")
    assert [r.code for r in inspect_pdf(attachment.data).reasons] == ["pdf_unreadable"]


def test_editable_formats_are_recognised_by_signature():
    letter = parse_letter(samples.editable_letter())
    found = [(a.filename, a.media_type, a.kind) for a in letter.attachments]
    assert found == [
        ("du-thao.docx", DOCX, "editable"),
        ("du-thao.odt", ODT, "editable"),
        ("du-thao.fodt", FODT, "editable"),
        ("du-thao.doc", DOC, "editable"),
        ("gia-mao.docx", "application/octet-stream", "other"),  # named .docx, is not one
    ]


def test_large_attachment():
    raw = samples.large_attachment_letter()
    assert len(raw) > 50 * 1024 * 1024  # over the default mailbox limit once in base64
    letter = parse_letter(raw)
    [attachment] = letter.attachments
    assert attachment.size > 40 * 1000 * 1000 and attachment.kind == "pdf"
    assert inspect_pdf(attachment.data).acceptable


def test_html_only_body_becomes_text():
    letter = parse_letter(samples.html_only_letter())
    assert letter.body_text == "Kính gửi Văn thư,\nXin gửi kèm công văn."
    assert letter.attachments == ()


def test_second_from_header_is_reported():
    letter = parse_letter(samples.duplicate_from_letter())
    assert letter.from_address == samples.SENDER
    assert "header From: appears 2 times; the first is used" in letter.defects


# ------------------------------------------------------------------------------------------ filenames


def test_path_climbing_bidi_filename_is_defused():
    letter = parse_letter(samples.bidi_filename_letter())
    [attachment] = letter.attachments
    assert attachment.original_filename == samples.BIDI_FILENAME
    assert attachment.filename == "fdp.exe.pdf"  # it is a PDF: the extension says so, last
    assert attachment.kind == "pdf"


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("../../etc/passwd", None, "etc-passwd"),
        ("..\\..\\windows\\evil.pdf", PDF, "windows-evil.pdf"),
        ("...hidden.pdf", PDF, "hidden.pdf"),
        ("bao\x00cao\x1b[31m.pdf", PDF, "baocao[31m.pdf"),
        ("a\u202egpj.exe", None, "agpj.exe"),
        ("tên\u200bfile\u2066.pdf", PDF, "tênfile.pdf"),
        ('x<y>:"z"|?*.pdf', PDF, "x_y___z____.pdf"),
        ("CON.pdf", PDF, "_CON.pdf"),
        ("  Tờ   trình .PDF ", PDF, "Tờ trình.PDF"),
        ("bang-tinh.xlsx", "application/vnd.ms-excel", "bang-tinh.xlsx"),
        ("congvan", PDF, "congvan.pdf"),
        (None, PDF, "tep-dinh-kem-3.pdf"),
        ("....", None, "tep-dinh-kem-3"),
    ],
)
def test_sanitize_filename(name, media_type, expected):
    assert sanitize_filename(name, media_type, 3) == expected


def test_sanitized_filename_is_bounded_and_keeps_its_extension():
    name = unicodedata.normalize("NFD", "Quyết định phê duyệt kế hoạch " * 20) + ".pdf"
    result = sanitize_filename(name, PDF)
    assert len(result.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert result.endswith(".pdf") and result.startswith("Quyết định") and nfc(result)


# ------------------------------------------------------------------------------------ hostile MIME


def test_broken_boundary_keeps_headers_and_reports_defects():
    letter = parse_letter(samples.broken_boundary_letter())
    assert letter.subject == "broken boundary" and letter.from_address == samples.SENDER
    assert letter.attachments == ()
    assert any("StartBoundaryNotFoundDefect" in d for d in letter.defects)


def test_unclosed_multipart_gives_the_truncated_pdf():
    letter = parse_letter(samples.unclosed_multipart_letter())
    assert any("CloseBoundaryNotFoundDefect" in d for d in letter.defects)
    [attachment] = letter.attachments
    assert attachment.kind == "pdf"
    assert [r.code for r in inspect_pdf(attachment.data).reasons] == ["pdf_truncated"]


def test_missing_headers():
    letter = parse_letter(samples.missing_headers_letter())
    assert (letter.subject, letter.from_address, letter.date, letter.message_id) == (None, None, None, None)
    assert letter.to == () and letter.return_path is None
    assert letter.body_text == "Không có tiêu đề."
    assert reply_suppression(letter).startswith("no_return_path")


def test_not_a_message_at_all():
    letter = parse_letter(samples.no_header_at_all_letter())
    assert letter.subject is None and letter.attachments == ()
    assert any("MissingHeaderBodySeparatorDefect" in d for d in letter.defects)


def test_8bit_garbage_everywhere():
    letter = parse_letter(samples.garbage_8bit_letter())
    assert letter.date is None
    assert letter.from_address is None
    assert letter.to == (samples.RECIPIENT,)
    assert any("invalid-date" in d for d in letter.defects)
    assert any("from[0]: invalid-utf8" in d for d in letter.defects)
    assert all(nfc(v) and "\x00" not in v for _, v in letter.headers)
    assert letter.subject is not None and "!!!notbase64" in letter.subject


def test_100_kb_header_line_is_cut():
    letter = parse_letter(samples.huge_header_letter())
    assert len(letter.header("X-Huge")) == MAX_HEADER_CHARS
    assert letter.subject == "big header"
    assert any("X-Huge longer than" in d for d in letter.defects)


def test_megabyte_of_encoded_words_is_bounded():
    """Bare mail-parser needs ~30 s for this subject (quadratic RFC 2047 decoding); the subject is decoded
    by the standard library and cut (speed: bench, not here)."""
    letter = parse_letter(samples.huge_encoded_subject_letter())
    assert letter.subject.startswith("VềVề") and len(letter.subject) < MAX_HEADER_CHARS
    assert any("Subject longer than" in d for d in letter.defects)


def test_deep_nesting_keeps_the_top_level_headers():
    letter = parse_letter(samples.deep_nesting_letter())
    assert letter.subject == "deep" and letter.from_address == samples.SENDER
    assert any("nesting too deep" in d for d in letter.defects)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw):
    assert isinstance(parse_letter(raw), Letter)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=30))
def test_corrupted_letters_never_raise(flips):
    raw = bytearray(samples.bidi_filename_letter())
    for position, value in flips:
        raw[position % 1500] = value  # headers and MIME structure, where parsing happens
    letter = parse_letter(bytes(raw))
    assert isinstance(letter, Letter)
    assert all(nfc(a.filename) and "/" not in a.filename for a in letter.attachments)


# ------------------------------------------------------------------------ RFC 3834: never answer these


@pytest.mark.parametrize(
    ("builder", "code"),
    [
        (samples.auto_reply_letter, "auto_submitted"),
        (samples.x_autoreply_letter, "autoreply_header"),
        (samples.bounce_dsn_letter, "null_sender"),
        (samples.dsn_without_report_type_letter, "delivery_status_notification"),
        (samples.mdn_letter, "disposition_notification"),
        (samples.mailing_list_letter, "list_header"),
        (samples.null_sender_letter, "null_sender"),
        (samples.mailer_daemon_letter, "daemon_sender"),
        (samples.precedence_bulk_letter, "precedence"),
    ],
)
def test_automatic_mail_is_not_answered(builder, code):
    reason = reply_suppression(parse_letter(builder()))
    assert reason is not None and reason.split(":")[0] == code


def test_bounce_is_recognised_as_a_report_even_with_a_return_path():
    letter = parse_letter(samples.bounce_dsn_letter().replace(b"Return-Path: <>", b"Return-Path: <x@y.vn>"))
    assert letter.report_type == "delivery-status"
    assert reply_suppression(letter).startswith("daemon_sender")  # From: MAILER-DAEMON@…
    relabelled = parse_letter(
        samples.bounce_dsn_letter()
        .replace(b"Return-Path: <>", b"Return-Path: <x@y.vn>")
        .replace(b"MAILER-DAEMON@", b"he-thong@")
    )
    assert reply_suppression(relabelled).startswith("delivery_status_notification")


@pytest.mark.parametrize("local", ["postmaster", "owner-vanthu", "vanthu-request", "no-reply", "ban-tin-bounces"])
def test_daemon_like_senders_are_not_answered(local):
    letter = parse_letter(samples.good_letter(return_path=f"<{local}@hanoi.gov.vn>"))
    assert reply_suppression(letter) == f"daemon_sender: {local}@hanoi.gov.vn"


def test_ordinary_letters_are_answered():
    for raw in (samples.good_letter([samples.good_pdf()]), samples.auto_submitted_no_letter()):
        letter = parse_letter(raw)
        assert reply_suppression(letter) is None
        assert reply_address(letter) == samples.SENDER


def test_reply_goes_to_return_path_only():
    raw = samples.good_letter(
        from_="Văn thư <vanthu@hanoi.gov.vn>",
        return_path="<bounces+123@relay.hanoi.gov.vn>",
        extra_headers=[("Reply-To", "lanhdao@hanoi.gov.vn")],
    )
    letter = parse_letter(raw)
    assert letter.reply_to == ("lanhdao@hanoi.gov.vn",)
    assert reply_address(letter) == "bounces+123@relay.hanoi.gov.vn"


def test_null_and_missing_return_path():
    null = parse_letter(samples.null_sender_letter())
    assert null.null_sender and null.return_path is None and reply_address(null) is None
    missing = parse_letter(samples.good_letter(return_path=None))
    assert not missing.null_sender and reply_address(missing) is None
    assert reply_suppression(missing).startswith("no_return_path")
