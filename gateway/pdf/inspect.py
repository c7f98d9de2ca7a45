"""The safety scan of one PDF (R6, R3): is it a PDF, can it be read, how many pages, does it carry anything
active (JavaScript, Launch actions, embedded files, XFA), is it encrypted, does it have a text layer — all
under tight decode limits, so a decompression bomb is stopped in bounded time and memory.

How it reads:
- pypdf in strict mode first; a file that strict parsing rejects is read again leniently and, if that
  works, scanned with a note in `Safety.problems` ("damaged structure") — readers repair such files every
  day; the signature check decides about integrity.
- Limits are pypdf 7 `Configuration` values applied with `pypdf.apply_configuration` (a context variable,
  reset on exit: nothing global changes, other threads and later callers keep pypdf's defaults). Set from
  `PdfLimits`: `zlib/lzw/run_length/brotli/jbig2_maximum_output_length`,
  `array_based_stream_maximum_output_length` and `image_maximum_buffer_size` = `max_stream_bytes`;
  `stream_decoding_work_maximum_length` = 4 × that; `maximum_declared_stream_length` = `max_bytes`;
  `zlib_maximum_recovery_input_length` = `max_recovery_bytes` (pypdf's byte-by-byte repair of damaged
  flate data is slow); `jbig2dec_binary` = None (the scan never starts a process).
- Every object reachable from the trailer is walked (at most `max_objects`) looking for actions:
  /S /JavaScript or a /JS key anywhere (document /OpenAction, /Names /JavaScript, page, annotation and
  form-field /AA, annotation /A, /Next chains), /S /Launch, embedded files (/EmbeddedFiles, /EF,
  /Type /EmbeddedFile, /FileAttachment annotations) and /XFA.
- Every reachable non-image stream with a filter is decoded once, without keeping the result: one stream
  decoding past `max_stream_bytes`, or all of them past `max_total_decoded_bytes`, is a bomb. Peak memory
  is about 2 × `max_stream_bytes` (zlib's output blocks and their joined copy): 64 MiB by default, for a
  200 MiB bomb. Images are not decoded (nothing here needs their pixels); one declaring more than
  `max_image_pixels` is a bomb for whatever renders it (OCR), and refused as one.
- Text layer: the first `text_pages` pages' extractable text; True as soon as one page has
  `min_text_chars` non-space characters.

What makes a document unacceptable (`acceptable=False`; `UNACCEPTABLE` lists the codes): too large, not a
PDF, truncated, encrypted (even with an owner password only: the signature check and storage need the
plain file), decompression bomb, JavaScript, Launch, no pages, too many pages, too complex to scan fully —
and, by judgement, embedded files (R6 asks for a malware scan before use, and the gateway cannot scan what
is packed inside; annexes belong in separate attachments) and XFA (dynamic forms can script, and show
different content in different viewers, so the clerk might not read what was signed).

Pure: bytes in, values out; `inspect_pdf` never raises.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from gateway.models import Reason, Safety
from gateway.pdf.magic import MAGIC_WINDOW, looks_like_pdf
from gateway.vntext import nfc

MiB = 1024 * 1024
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class PdfLimits:
    """How far the scan goes before it calls a file too large, too complex or a bomb."""

    max_bytes: int = 50 * MiB  # the file itself (the default mailbox limit)
    max_pages: int = 2000
    max_stream_bytes: int = 32 * MiB  # one stream, decoded
    max_total_decoded_bytes: int = 256 * MiB  # every non-image stream, decoded, together
    # Page content as a reader meets it: every reference from a page's /Contents counts, so one stream
    # referenced 8 times is 8 × its size (issue 17: 30 MiB × 8 took 7 GB in text extraction).
    max_content_bytes: int = 64 * MiB
    max_repeated_content_bytes: int = 1 * MiB  # a content stream this large may appear once in /Contents
    max_objects: int = 100_000  # dictionaries and arrays walked looking for actions
    max_image_pixels: int = 150_000_000  # an A3 colour page at 600 dpi is 70 million
    max_recovery_bytes: int = 1 * MiB  # pypdf's byte-by-byte repair of damaged flate data
    text_pages: int = 3  # pages tried for a text layer
    min_text_chars: int = 20  # non-space characters that make a text layer


@dataclass(frozen=True)
class PdfInspection:
    sha256: str
    size: int
    readable: bool  # a PDF whose structure and content could be read (after decryption, if any)
    acceptable: bool  # no finding in UNACCEPTABLE
    pages: int | None = None
    version: str | None = None  # from the header, e.g. "1.7"
    safety: Safety = field(default_factory=Safety)
    has_text_layer: bool | None = None  # None: not determined (unreadable, encrypted, bomb…)
    reasons: tuple[Reason, ...] = ()


MESSAGES = {
    "pdf_too_large": (
        "Tệp PDF quá lớn (tối đa {max_mb} MB); đề nghị giảm dung lượng (ví dụ quét ở độ phân giải thấp hơn) "
        "hoặc tách thành nhiều tệp rồi gửi lại."
    ),
    "pdf_unreadable": ("Tệp không phải tệp PDF hợp lệ hoặc bị hỏng, không đọc được; đề nghị kiểm tra và gửi lại."),
    "pdf_truncated": "Tệp PDF không đầy đủ (bị cắt cụt, có thể do lỗi khi gửi); đề nghị gửi lại tệp.",
    "pdf_encrypted": "Tệp PDF được đặt mật khẩu/mã hóa; đề nghị gửi lại bản không mã hóa.",
    "pdf_decompression_bomb": (
        "Tệp PDF chứa dữ liệu nén bất thường, giải nén vượt quá giới hạn an toàn; đề nghị kiểm tra và gửi "
        "lại tệp được tạo bằng phần mềm thông dụng."
    ),
    "pdf_javascript": (
        "Tệp PDF có chứa mã lệnh JavaScript, có thể gây mất an toàn thông tin; đề nghị gửi lại bản PDF "
        "không chứa mã lệnh."
    ),
    "pdf_launch": (
        "Tệp PDF có lệnh tự động mở chương trình hoặc tệp khác (Launch), có thể gây mất an toàn thông tin; "
        "đề nghị gửi lại bản PDF không chứa lệnh này."
    ),
    "pdf_embedded_files": (
        "Tệp PDF có chứa tệp khác được nhúng bên trong, không kiểm tra được an toàn; đề nghị gửi các tài "
        "liệu kèm theo thành tệp đính kèm riêng."
    ),
    "pdf_xfa": (
        "Tệp PDF dùng biểu mẫu động XFA, nội dung hiển thị có thể khác nhau giữa các phần mềm; đề nghị gửi "
        "lại bản PDF thông thường (đã làm phẳng biểu mẫu)."
    ),
    "pdf_no_pages": "Tệp PDF không có trang nào; đề nghị kiểm tra và gửi lại.",
    "pdf_too_many_pages": ("Tệp PDF có quá nhiều trang (tối đa {max_pages} trang); đề nghị tách thành nhiều tệp."),
    "pdf_too_complex": (
        "Tệp PDF có cấu trúc quá phức tạp, không kiểm tra hết được; đề nghị xuất lại tệp PDF bằng phần mềm "
        "thông dụng rồi gửi lại."
    ),
}
UNACCEPTABLE = frozenset(MESSAGES)  # every finding with a reason refuses the document (see the docstring)
_NOTED_ACTIONS = frozenset({"/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition", "/RichMediaExecute"})
_NOTED_ANNOTATIONS = frozenset({"/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})


class _Stop(Exception):
    """A finding after which the scan stops (bomb, too complex)."""


class _Strict(Exception):
    """Strict parsing failed somewhere: scan again leniently."""


@dataclass
class _Scan:
    """The findings as they accumulate (internal; `PdfInspection` is the frozen result)."""

    codes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    encrypted: bool = False
    javascript: bool = False
    embedded_files: bool = False
    launch: bool = False
    xfa: bool = False
    readable: bool = False
    pages: int | None = None
    has_text_layer: bool | None = None

    def flag(self, code: str, problem: str | None = None) -> None:
        if code not in self.codes:
            self.codes.append(code)
        if problem:
            self.note(problem)

    def note(self, problem: str) -> None:
        problem = _CONTROL.sub("?", problem)
        problem = problem if len(problem) <= 300 else problem[:297] + "..."
        if problem not in self.problems and len(self.problems) < 50:
            self.problems.append(problem)

    def limit(self, exc: LimitReachedError, where: str) -> None:
        """A pypdf limit hit: decoding limits mean a bomb; structural ones a file too complex to scan."""
        text = str(exc)
        lowered = text.lower()
        if "recovery limit" in lowered:
            self.note(f"{where}: damaged compressed data ({text})")
            return
        if "decompress" in lowered or "decoding" in lowered or "buffer size" in lowered:
            self.flag("pdf_decompression_bomb", f"{where}: {text}")
        else:
            self.flag("pdf_too_complex", f"{where}: {text}")
        raise _Stop


def inspect_pdf(data: bytes, limits: PdfLimits = PdfLimits()) -> PdfInspection:
    """Scan `data` (the bytes of one attachment). Never raises."""
    digest = hashlib.sha256(data).hexdigest()
    version = _version(data)
    try:
        scan = _scan(data, limits)
    except Exception as exc:  # a pypdf failure nobody foresaw: refuse, never crash the pipeline
        scan = _Scan()
        scan.flag("pdf_unreadable", f"scan failed: {type(exc).__name__}: {exc}")
    if not scan.readable and not scan.codes:  # never "acceptable" without having been read
        scan.flag("pdf_unreadable")
    reasons = tuple(
        Reason(code, nfc(MESSAGES[code].format(max_mb=limits.max_bytes // MiB, max_pages=limits.max_pages)))
        for code in scan.codes
    )
    return PdfInspection(
        sha256=digest,
        size=len(data),
        readable=scan.readable,
        acceptable=not (set(scan.codes) & UNACCEPTABLE),
        pages=scan.pages,
        version=version,
        safety=Safety(
            encrypted=scan.encrypted,
            javascript=scan.javascript,
            embedded_files=scan.embedded_files,
            launch=scan.launch,
            xfa=scan.xfa,
            problems=tuple(scan.problems),
        ),
        has_text_layer=scan.has_text_layer,
        reasons=reasons,
    )


def _version(data: bytes) -> str | None:
    match = re.search(rb"%PDF-(\d\.\d)", data[: MAGIC_WINDOW + 16])
    return match.group(1).decode("ascii") if match else None


def _configuration(limits: PdfLimits) -> dict:
    stream = limits.max_stream_bytes
    return {
        "maximum_declared_stream_length": limits.max_bytes,
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "array_based_stream_maximum_output_length": stream,
        "image_maximum_buffer_size": stream,
        "stream_decoding_work_maximum_length": 4 * stream,
        "zlib_maximum_recovery_input_length": limits.max_recovery_bytes,
        "jbig2dec_binary": None,
    }


def _scan(data: bytes, limits: PdfLimits) -> _Scan:
    if len(data) > limits.max_bytes:
        scan = _Scan()
        scan.flag("pdf_too_large", f"{len(data)} bytes > {limits.max_bytes}")
        return scan
    if not looks_like_pdf(data):
        scan = _Scan()
        scan.flag("pdf_unreadable", "no %PDF- header in the first 1024 bytes")
        return scan
    with apply_configuration(**_configuration(limits)):
        try:
            return _scan_with(data, limits, strict=True)
        except _Strict as exc:
            scan = _scan_with(data, limits, strict=False)
            scan.note(f"damaged structure, read leniently (strict parsing: {exc})")
            return scan


def _scan_with(data: bytes, limits: PdfLimits, *, strict: bool) -> _Scan:
    scan = _Scan()
    truncated = data.rfind(b"%%EOF", max(0, len(data) - MAGIC_WINDOW)) == -1
    if truncated:
        scan.flag("pdf_truncated", "no %%EOF marker in the last 1024 bytes")
    try:
        reader = _open(data, scan, strict=strict, truncated=truncated)
        if reader is None:
            return scan
        scan.readable = True
        if not _decrypt(reader, scan):
            return scan
        scan.pages = _count_pages(reader, scan, limits, strict)
        streams = _walk(reader, scan, limits, strict)
        sizes = _sweep(streams, scan, limits)
        if scan.pages:
            _content_load(reader, sizes, scan, limits)
            scan.has_text_layer = _text_layer(reader, scan, limits)
    except _Stop:
        pass
    return scan


class BytesReader(io.RawIOBase):
    """A read-only, seekable file over `data`, sharing it. pypdf asks a `BytesIO` for its buffer to learn
    its size, and a BytesIO made from bytes copies them then (a 49 MB scan: 49 MB more for as long as the
    reader lives, issue 16); through this (buffered: `reader_of`) it seeks to the end instead."""

    def __init__(self, data: bytes):
        super().__init__()
        self._view = memoryview(data)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = max(0, min(len(buffer), len(self._view) - self._pos))
        buffer[:n] = self._view[self._pos : self._pos + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos


LARGE_PDF = 4 * 1024 * 1024  # bytes: read through `BytesReader` rather than a copying BytesIO


def reader_of(data: bytes) -> io.BufferedReader | io.BytesIO:
    """`data` as a file for a PDF library: a BytesIO for a small document (the fastest), a buffered
    `BytesReader` sharing the bytes for a large one."""
    if len(data) < LARGE_PDF:
        return io.BytesIO(data)
    return io.BufferedReader(BytesReader(data), buffer_size=64 * 1024)


def _open(data: bytes, scan: _Scan, *, strict: bool, truncated: bool) -> PdfReader | None:
    try:
        return PdfReader(reader_of(data), strict=strict)
    except LimitReachedError as exc:
        scan.limit(exc, "opening")
    except Exception as exc:
        if strict and not truncated:
            raise _Strict(f"{type(exc).__name__}: {exc}") from exc
        if not truncated:
            scan.flag("pdf_unreadable", f"{type(exc).__name__}: {exc}")
        else:
            scan.note(f"{type(exc).__name__}: {exc}")
    return None


def _decrypt(reader: PdfReader, scan: _Scan) -> bool:
    """False when the content stays locked (a user password is needed)."""
    if not reader.is_encrypted:
        return True
    scan.encrypted = True
    scan.flag("pdf_encrypted")
    try:
        opened = bool(reader.decrypt(""))
    except Exception as exc:
        scan.note(f"encryption not supported: {type(exc).__name__}: {exc}")
        opened = False
    if not opened:
        scan.readable = False
        scan.note("a password is needed to open it")
        return False
    scan.note("encrypted with an owner password only (opens without a password)")
    return True


def _count_pages(reader: PdfReader, scan: _Scan, limits: PdfLimits, strict: bool) -> int | None:
    try:
        pages = len(reader.pages)
    except LimitReachedError as exc:
        scan.limit(exc, "page tree")
        return None
    except Exception as exc:
        if strict:
            raise _Strict(f"page tree: {type(exc).__name__}: {exc}") from exc
        scan.readable = False
        scan.flag("pdf_unreadable", f"page tree: {type(exc).__name__}: {exc}")
        raise _Stop from exc
    if pages == 0:
        scan.flag("pdf_no_pages")
    elif pages > limits.max_pages:
        scan.flag("pdf_too_many_pages", f"{pages} pages > {limits.max_pages}")
    return pages


def _name(value: object) -> str | None:
    try:
        value = value.get_object() if isinstance(value, IndirectObject) else value
    except Exception:
        return None
    return str(value) if value is not None else None


def _text(value: object) -> str | None:
    try:
        value = value.get_object() if isinstance(value, IndirectObject) else value
    except Exception:
        return None
    return str(value) if isinstance(value, str) else None


_CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)


def _walk(reader: PdfReader, scan: _Scan, limits: PdfLimits, strict: bool) -> list[tuple[StreamObject, str]]:
    """Visit every dictionary and array reachable from the trailer; return the streams met."""
    streams: list[tuple[StreamObject, str]] = []
    seen: set[tuple[int, int]] = set()
    trailer = reader.trailer
    stack: list[tuple[object, str]] = [
        (value, "trailer") for key, value in dict.items(trailer) if key not in ("/Encrypt",)
    ]
    visited = 0
    while stack:
        value, where = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            where = f"{value.idnum} {value.generation} R"
            try:
                value = value.get_object()
            except LimitReachedError as exc:
                scan.limit(exc, f"object {where}")
            except Exception as exc:
                if strict:
                    raise _Strict(f"object {where}: {type(exc).__name__}: {exc}") from exc
                scan.note(f"object {where} unreadable: {type(exc).__name__}: {exc}")
                continue
        if not isinstance(value, DictionaryObject | ArrayObject):
            continue
        visited += 1
        if visited > limits.max_objects:
            scan.flag("pdf_too_complex", f"more than {limits.max_objects} objects")
            raise _Stop
        if isinstance(value, DictionaryObject):
            _look_at(value, where, scan)
            if isinstance(value, StreamObject):
                streams.append((value, where))
            children: Iterable[Any] = dict.values(value)
        else:
            children = list.__iter__(value)
        stack.extend(
            (child, where) for child in children if isinstance(child, IndirectObject | DictionaryObject | ArrayObject)
        )
    return streams


def _look_at(d: DictionaryObject, where: str, scan: _Scan) -> None:
    """Flag what one dictionary carries: actions, embedded files, XFA."""
    action = _name(d.get("/S"))
    if action == "/JavaScript" or "/JS" in d:
        scan.javascript = True
        scan.flag("pdf_javascript", f"JavaScript action in {where}")
    if action == "/Launch":
        scan.launch = True
        scan.flag("pdf_launch", f"Launch action in {where}")
    if action in _NOTED_ACTIONS:
        scan.note(f"{action[1:]} action in {where}")
    subtype = _name(d.get("/Subtype"))
    if subtype in _NOTED_ANNOTATIONS:
        scan.note(f"{subtype[1:]} annotation in {where}")
    if (
        "/EmbeddedFiles" in d
        or "/EF" in d
        or _name(d.get("/Type")) == "/EmbeddedFile"
        or (subtype == "/FileAttachment")
    ):
        scan.embedded_files = True
        scan.flag("pdf_embedded_files")
        if "/EF" in d or subtype == "/FileAttachment":  # a file specification: it has the file's name
            label = _text(d.get("/UF")) or _text(d.get("/F")) or _text(d.get("/Contents"))
            scan.note(f"embedded file {label!r} in {where}")
    if "/XFA" in d:
        scan.xfa = True
        scan.flag("pdf_xfa", f"XFA form in {where}")


def _sweep(streams: list[tuple[StreamObject, str]], scan: _Scan, limits: PdfLimits) -> dict[str, int]:
    """Decode every non-image stream once (keeping nothing) to find bombs before anything else does;
    returns the decoded size of each stream by its reference ("12 0 R")."""
    total = 0
    sizes: dict[str, int] = {}
    for stream, where in streams:
        if _name(stream.get("/Subtype")) == "/Image":
            _check_image(stream, where, scan, limits)
            continue
        if "/Filter" not in stream:
            continue
        try:
            size = len(decode_stream_data(stream))
        except LimitReachedError as exc:
            scan.limit(exc, f"stream {where}")
            continue
        except Exception as exc:
            scan.note(f"stream {where} could not be decoded: {type(exc).__name__}: {exc}")
            continue
        sizes[where] = size
        total += size
        if total > limits.max_total_decoded_bytes:
            scan.flag(
                "pdf_decompression_bomb",
                f"streams decode to more than {limits.max_total_decoded_bytes} bytes",
            )
            raise _Stop
    return sizes


def _content_load(reader: PdfReader, sizes: dict[str, int], scan: _Scan, limits: PdfLimits) -> None:
    """Bound the page content a text extractor decodes, counting every reference from /Contents: a stream
    referenced several times is decoded several times, and each copy stays in memory (issue 17)."""
    total = 0
    for index, page in enumerate(reader.pages):
        if index >= limits.max_pages:
            return
        contents: Any = dict.get(page, "/Contents")
        if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
            contents = contents.get_object()  # an indirect array of references
        refs = list(list.__iter__(contents)) if isinstance(contents, ArrayObject) else [contents]
        seen: set[str] = set()
        for ref in refs:
            if not isinstance(ref, IndirectObject):
                continue
            key = f"{ref.idnum} {ref.generation} R"
            size = sizes.get(key, 0)
            if key in seen and size > limits.max_repeated_content_bytes:
                scan.flag("pdf_decompression_bomb", f"page {index + 1}: content stream {key} ({size} bytes) repeated")
                raise _Stop
            seen.add(key)
            total += size
            if total > limits.max_content_bytes:
                scan.flag("pdf_decompression_bomb", f"page content decodes to more than {limits.max_content_bytes}")
                raise _Stop


def _check_image(stream: StreamObject, where: str, scan: _Scan, limits: PdfLimits) -> None:
    try:
        width = int(stream["/Width"].get_object())  # type: ignore[call-overload]
        height = int(stream["/Height"].get_object())  # type: ignore[call-overload]
    except Exception:
        return
    if width < 0 or height < 0:
        scan.note(f"image {where} has a negative size")
    elif width * height > limits.max_image_pixels:
        scan.flag(
            "pdf_decompression_bomb",
            f"image {where} declares {width}×{height} pixels (> {limits.max_image_pixels})",
        )
        raise _Stop


def _text_layer(reader: PdfReader, scan: _Scan, limits: PdfLimits) -> bool | None:
    try:
        for index in range(min(limits.text_pages, len(reader.pages))):
            text = reader.pages[index].extract_text()
            if sum(1 for char in text if not char.isspace()) >= limits.min_text_chars:
                return True
    except LimitReachedError as exc:
        scan.note(f"text extraction stopped: {exc}")
        return None
    except Exception as exc:
        scan.note(f"text extraction failed: {type(exc).__name__}: {exc}")
        return None
    return False
