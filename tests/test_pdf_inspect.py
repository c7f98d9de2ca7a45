"""The PDF safety scan (R6, R3): each hostile PDF gives exactly its flags and reason codes; good ones pass."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.models import Safety
from gateway.pdf.inspect import MESSAGES, PdfInspection, PdfLimits, inspect_pdf, looks_like_pdf
from tests import hostile_samples as samples

ROOT = Path(__file__).resolve().parents[1]


def codes(result: PdfInspection) -> list[str]:
    return [reason.code for reason in result.reasons]


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return samples.flate_bomb_pdf()


def test_good_document_passes_with_a_text_layer():
    data = samples.good_pdf()
    result = inspect_pdf(data)
    assert result.readable and result.acceptable
    assert result.pages == 1
    assert result.has_text_layer is True
    assert result.safety == Safety()
    assert result.reasons == ()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == len(data)
    assert result.version == data[5:8].decode()


def test_page_count_of_a_longer_document():
    result = inspect_pdf(samples.good_pdf(pages=3))
    assert (result.pages, result.acceptable) == (3, True)


def test_scan_has_no_text_layer_but_is_acceptable():
    result = inspect_pdf(samples.scan_pdf())
    assert result.acceptable and result.pages == 1
    assert result.has_text_layer is False


def test_html_named_pdf_is_unreadable():
    result = inspect_pdf(samples.not_a_pdf())
    assert codes(result) == ["pdf_unreadable"]
    assert not result.readable and not result.acceptable
    assert result.pages is None and result.has_text_layer is None
    assert "không phải tệp PDF hợp lệ" in result.reasons[0].message


@pytest.mark.parametrize("data", [b"", b"%PDF-", b"%PDF-1.7\n" + bytes(range(256)) * 8, b"\x00" * 2000])
def test_garbage_never_raises(data):
    result = inspect_pdf(data)
    assert not result.acceptable
    assert codes(result) in (["pdf_unreadable"], ["pdf_truncated"])


def test_truncated_pdf():
    result = inspect_pdf(samples.truncated_pdf())
    assert codes(result) == ["pdf_truncated"]
    assert not result.readable and not result.acceptable


def test_encrypted_pdf_needing_a_password():
    result = inspect_pdf(samples.encrypted_pdf())
    assert codes(result) == ["pdf_encrypted"]
    assert result.safety.encrypted
    assert result.pages is None and not result.readable and not result.acceptable
    assert result.reasons[0].message == "Tệp PDF được đặt mật khẩu/mã hóa; đề nghị gửi lại bản không mã hóa."


def test_encrypted_with_owner_password_only_is_scanned_but_refused():
    result = inspect_pdf(samples.encrypted_pdf(user_password=""))
    assert codes(result) == ["pdf_encrypted"]
    assert result.safety.encrypted and result.readable and not result.acceptable
    assert result.pages == 1 and result.has_text_layer is True


@pytest.mark.parametrize("where", ["open_action", "names", "page_aa", "annotation", "next"])
def test_javascript_is_found_wherever_it_hides(where):
    result = inspect_pdf(samples.javascript_pdf(where))
    assert codes(result) == ["pdf_javascript"]
    assert result.safety.javascript and not result.safety.launch
    assert not result.acceptable and result.pages == 1
    assert any("JavaScript action in" in p for p in result.safety.problems)


def test_launch_action():
    result = inspect_pdf(samples.launch_pdf())
    assert codes(result) == ["pdf_launch"]
    assert result.safety.launch and not result.safety.javascript and not result.acceptable


def test_embedded_file_is_named():
    result = inspect_pdf(samples.embedded_file_pdf())
    assert codes(result) == ["pdf_embedded_files"]
    assert result.safety.embedded_files and not result.acceptable
    assert any("phu-luc.exe" in p for p in result.safety.problems)


def test_xfa_form():
    result = inspect_pdf(samples.xfa_pdf())
    assert codes(result) == ["pdf_xfa"]
    assert result.safety.xfa and not result.acceptable


def test_no_pages():
    result = inspect_pdf(samples.empty_pdf())
    assert codes(result) == ["pdf_no_pages"]
    assert result.pages == 0 and not result.acceptable


def test_too_large_is_refused_before_parsing():
    result = inspect_pdf(samples.good_pdf(), PdfLimits(max_bytes=10_000))
    assert codes(result) == ["pdf_too_large"]
    assert result.pages is None and not result.readable
    assert "0 MB" in result.reasons[0].message  # the limit, formatted


def test_too_many_pages():
    result = inspect_pdf(samples.good_pdf(pages=3), PdfLimits(max_pages=2))
    assert codes(result) == ["pdf_too_many_pages"]
    assert result.pages == 3 and "tối đa 2 trang" in result.reasons[0].message


def test_object_walk_is_bounded():
    result = inspect_pdf(samples.good_pdf(), PdfLimits(max_objects=5))
    assert codes(result) == ["pdf_too_complex"]
    assert not result.acceptable


def test_damaged_xref_is_repaired_leniently_and_noted():
    result = inspect_pdf(samples.broken_xref_pdf())
    assert result.acceptable and result.pages == 1 and result.has_text_layer
    assert any(p.startswith("damaged structure") for p in result.safety.problems)


def test_flate_bomb_is_stopped(bomb):
    assert len(bomb) < 300_000  # 200 MiB of zeros in about 200 KB
    result = inspect_pdf(bomb)
    assert codes(result) == ["pdf_decompression_bomb"]
    assert result.readable and not result.acceptable and result.has_text_layer is None


def test_flate_bomb_in_an_embedded_file_is_found_too():
    result = inspect_pdf(samples.flate_bomb_pdf("embedded"))
    assert codes(result) == ["pdf_embedded_files", "pdf_decompression_bomb"]


def test_image_declaring_400_million_pixels_is_a_bomb():
    result = inspect_pdf(samples.huge_image_pdf())
    assert codes(result) == ["pdf_decompression_bomb"]
    assert any("20000×20000" in p for p in result.safety.problems)


# Linux keeps a process's ru_maxrss across fork and exec, so in a child of pytest `getrusage` would report
# pytest's own peak. VmHWM (the peak RSS of this address space) starts afresh at exec.
_MEASURE = """
import json, resource, sys, time
from gateway.pdf.inspect import inspect_pdf

def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

data = open(sys.argv[1], "rb").read()
inspect_pdf(open(sys.argv[2], "rb").read())  # warm up imports and caches on a good document
before = peak_kib()
started = time.perf_counter()
result = inspect_pdf(data)
elapsed = time.perf_counter() - started
print(json.dumps({"codes": [r.code for r in result.reasons], "before_kib": before, "after_kib": peak_kib(),
                  "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "seconds": elapsed}))
"""


def test_flate_bomb_memory_stays_bounded(bomb, tmp_path):
    """Peak RSS of a fresh interpreter: its growth stays far below the 200 MiB the bomb inflates to."""
    bomb_file, good_file = tmp_path / "bomb.pdf", tmp_path / "good.pdf"
    bomb_file.write_bytes(bomb)
    good_file.write_bytes(samples.good_pdf())
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(bomb_file), str(good_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    growth_mib = (figures["after_kib"] - figures["before_kib"]) / 1024
    print(f"flate bomb: {figures} → peak RSS growth {growth_mib:.1f} MiB")
    assert figures["codes"] == ["pdf_decompression_bomb"]
    assert 0 < figures["before_kib"] < 150 * 1024  # a fresh interpreter, not pytest's inherited peak
    # zlib's block buffer plus the joined result: about twice the 32 MiB stream limit, never the 200 MiB
    limit_mib = PdfLimits().max_stream_bytes / 1024 / 1024
    assert growth_mib < 2.5 * limit_mib < 100, figures  # the time is printed above; speed belongs to bench/


def test_limits_do_not_leak_into_pypdf_defaults(bomb):
    default = pypdf.get_configuration()
    inspect_pdf(bomb, PdfLimits(max_stream_bytes=1024 * 1024))
    assert pypdf.get_configuration() == default
    assert pypdf.get_configuration().zlib_maximum_output_length == 75_000_000


def test_magic_bytes_anywhere_in_the_first_1024():
    pdf = samples.good_pdf()
    assert looks_like_pdf(pdf)
    assert looks_like_pdf(b"\x00" * 1023 + pdf)  # starts at offset 1023
    assert not looks_like_pdf(b"\x00" * 1024 + pdf)
    prefixed = inspect_pdf(b"junk\r\n" * 20 + pdf)
    assert prefixed.acceptable and prefixed.pages == 1  # read leniently, as viewers do
    assert any(p.startswith("damaged structure") for p in prefixed.safety.problems)


def test_reason_messages_are_vietnamese_nfc():
    for code, message in MESSAGES.items():
        assert code.startswith("pdf_")
        assert unicodedata.is_normalized("NFC", message)
        assert "đề nghị" in message  # every reason tells the sender what to do (R5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=20))
def test_corrupted_documents_never_raise(flips):
    data = bytearray(samples.good_pdf())
    for position, value in flips:
        data[position % len(data)] = value
    result = inspect_pdf(bytes(data))
    assert isinstance(result, PdfInspection)
    assert result.acceptable == (not result.reasons)
