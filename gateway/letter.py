"""MIME bytes → `Letter`: headers, addresses, dates, body text and attachments of one e-mail (R1, R2, R4).

Who does what:
- **mail-parser** reads the message: addresses (with its address defects), the Date header (as an aware
  datetime), the MIME and charset defects, and the plain/HTML body text.
- The **standard library** decodes what mail-parser leaves encoded or mangles: attachment bytes (mail-parser
  keeps payloads in their transfer encoding) and header text. mail-parser silently drops the bytes of raw
  8-bit headers that are not UTF-8 (an old Vietnamese client sending windows-1258 loses every accented
  letter), so header text is decoded here: raw 8-bit bytes as UTF-8, else windows-1258 (with a defect),
  then RFC 2047 words with `email.headerregistry` (lenient, per word, joins multi-byte characters split
  across words). All text is NFC (R2).
- Hostile input is bounded before mail-parser sees it: its RFC 2047 decoding is quadratic (a 1 MB subject
  of encoded words costs ~30 s), so header values longer than `MAX_HEADER_CHARS` are cut and headers past
  `MAX_HEADERS` per part are dropped, on a parsed copy; the raw bytes are never changed (R20). Nesting
  too deep for the standard parser leaves a letter with its top-level headers only, and a defect.

`parse_letter` never raises. Attachments are every leaf part, `message/rfc822` contents included, that is
not the letter's own body text; PDFs are recognised by their `%PDF-` magic bytes whatever the declared
type. R2 formats: `.pdf` → kind `pdf`; `.doc/.docx/.odt/.fodt` → kind `editable` (registered, flagged as
an unsigned editable copy); anything else → `other`.

`reply_suppression` and `reply_address` implement RFC 3834 (automatic responses): never answer automatic
mail, and answer only the envelope sender (Return-Path).
"""

from __future__ import annotations

import binascii
import email
import email.parser
import email.utils
import hashlib
import html.parser
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import Message
from typing import TYPE_CHECKING

from gateway import mimeblobs
from gateway.pdf.magic import looks_like_pdf
from gateway.vntext import nfc

if TYPE_CHECKING:
    import mailparser

MAX_HEADER_CHARS = 32 * 1024  # one header value (a To: with hundreds of agencies fits easily)
MAX_HEADERS = 1000  # per MIME part
MAX_FILENAME_BYTES = 180  # UTF-8 bytes of a sanitised filename, extension included

KIND_PDF = "pdf"
KIND_EDITABLE = "editable"
KIND_OTHER = "other"

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
FODT = "application/vnd.oasis.opendocument.text-flat-xml"
UNKNOWN = "application/octet-stream"
EXTENSIONS = {PDF: "pdf", DOC: "doc", DOCX: "docx", ODT: "odt", FODT: "fodt"}


@dataclass(frozen=True)
class Attachment:
    """One attached file, decoded."""

    filename: str  # sanitised, NFC: safe as a file name, extension matching what the bytes are
    original_filename: str | None  # as decoded from the message (RFC 2231 / RFC 2047), for the record
    declared_type: str  # the Content-Type type/subtype as sent
    media_type: str  # what the bytes are: PDF by magic, doc/docx/odt/fodt by signature, else declared
    # (application/octet-stream when the declared type is one of those and the signature is missing)
    kind: str  # "pdf" | "editable" | "other"
    data: bytes = field(repr=False)
    sha256: str
    size: int
    nested: bool = False  # inside an attached message (message/rfc822)


@dataclass(frozen=True)
class Letter:
    """One e-mail as the gateway sees it. Every text is decoded and NFC; absent values are None or ()."""

    message_id: str | None = None
    from_address: str | None = None
    from_name: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    subject: str | None = None
    date: datetime | None = None  # the sender's claim (R13), aware, in its offset; None if absent or bad
    return_path: str | None = None  # the envelope sender; None if absent or null
    null_sender: bool = False  # Return-Path: <> (bounces and other automatic mail)
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()  # every top-level header, in order, decoded
    received_hops: tuple[str, ...] = ()  # Received: values, newest (ours) first, unfolded
    content_type: str = "text/plain"  # of the whole message
    report_type: str | None = None  # the report-type of a multipart/report (RFC 6522)
    content_types: tuple[str, ...] = ()  # of every MIME part outside attached messages, in order
    body_text: str = ""  # plain text, or text taken from HTML when there is no plain part
    attachments: tuple[Attachment, ...] = ()
    defects: tuple[str, ...] = ()
    structure_unread: bool = False  # the MIME structure was too deep to read whole: parts may be missing

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), decoded; None if absent."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def header_all(self, name: str) -> tuple[str, ...]:
        wanted = name.lower()
        return tuple(value for key, value in self.headers if key.lower() == wanted)


# ------------------------------------------------------------------------------------------- parsing


def parse_letter(raw: bytes) -> Letter:
    """The `Letter` in `raw` (RFC 5322 bytes). Never raises: unparseable input gives a Letter with defects."""
    try:
        return _parse(raw)
    except Exception as exc:  # last resort: hostile input must not crash the pipeline
        return Letter(defects=(_defect(f"unparseable: {type(exc).__name__}: {exc}"),))


def _parse(raw: bytes) -> Letter:
    import mailparser  # here: the daemon's parent handles `Letter`s its workers parsed, and never parses (issue 16)

    defects: list[str] = []
    message, blobs = _message_tree(_without_bare_cr(raw, defects), defects)
    try:
        parser = mailparser.MailParser(message)
    except Exception as exc:  # e.g. MailParserRecursionError: keep at least the top-level headers
        defects.append(f"structure: {type(exc).__name__}: {exc}; only the top-level headers were read")
        message = _read_tree(_without_bare_cr(raw, []), headersonly=True)
        blobs = _Blobs(raw, mimeblobs.Reduced(raw, {}), {})
        _bound_headers(message, defects)
        parser = mailparser.MailParser(message)
    defects.extend(_mailparser_defects(parser))

    headers = tuple((_header_name(name), _decode_header(value, defects, name)) for name, value in message.raw_items())
    view = Letter(headers=headers)  # for header lookups while the rest is decoded
    for name in _SINGLE_HEADERS:  # RFC 5322 §3.6: a second From is a classic spoofing trick
        if len(view.header_all(name)) > 1:
            defects.append(f"header {name}: appears {len(view.header_all(name))} times; the first is used")
    from_name, from_address = _first_address(parser, view, "from", defects)
    return_path, null_sender = _return_path(view.header("Return-Path"), defects)
    attachments, content_types = _attachments(message, blobs, defects)
    return Letter(
        message_id=next(iter(_msg_ids(view.header("Message-ID"))), None),
        from_address=from_address,
        from_name=from_name,
        to=tuple(a for _, a in _addresses(parser, view, "to", defects)),
        cc=tuple(a for _, a in _addresses(parser, view, "cc", defects)),
        reply_to=tuple(a for _, a in _addresses(parser, view, "reply-to", defects)),
        subject=view.header("Subject"),
        date=_date(parser),
        return_path=return_path,
        null_sender=null_sender,
        in_reply_to=next(iter(_msg_ids(view.header("In-Reply-To"))), None),
        references=_msg_ids(view.header("References")),
        headers=headers,
        received_hops=view.header_all("Received"),
        content_type=_content_type(message),
        report_type=_report_type(message),
        content_types=content_types,
        body_text=_body_text(parser),
        attachments=attachments,
        defects=tuple(dict.fromkeys(_defect(d) for d in defects)),
        structure_unread=any(d.startswith("structure:") for d in defects),
    )


def _defect(text: str) -> str:
    text = _clean(text)
    return text if len(text) <= 500 else text[:497] + "..."


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_BARE_CR = re.compile(rb"\r(?!\n)")


def _without_bare_cr(raw: bytes, defects: list[str]) -> bytes:
    """`raw` with each bare CR (not followed by LF) in the top-level header block made a space, for parsing
    only: the standard parser ends a line at a bare CR, so "Subject: x<CR>Bcc: y" would become two headers
    and a Bcc the sender never wrote (RFC 5322 §2.2 forbids a bare CR in a header). The original bytes are
    kept as received (R20)."""
    end = _HEADER_END.search(raw)
    head_end = end.start() if end else len(raw)
    head = raw[:head_end]
    if b"\r" not in head or b"\n" not in head or not _BARE_CR.search(head):
        return raw  # no bare CR, or a message with CR-only line ends (old Mac), read as the parser reads it
    defects.append("headers: bare CR characters (not followed by LF) in the header block; read as spaces")
    return _BARE_CR.sub(b" ", head) + raw[head_end:]


def _read_tree(raw: bytes, *, headersonly: bool = False) -> Message:
    """`email.message_from_bytes(raw)`, the same tree, without its memory peak (issue 16): that decodes the
    whole message into one string and copies it into a StringIO (four bytes a character), ten times a
    large letter's size at the peak (716 MB for a 69 MB letter); read through a text wrapper 8 KB at a
    time (ASCII with surrogate escapes and no newline translation, as `message_from_bytes` decodes), the
    peak is the parsed tree (274 MB)."""
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="ascii", errors="surrogateescape", newline="")
    return email.parser.Parser().parse(text, headersonly=headersonly)


def _message_tree(raw: bytes, defects: list[str]) -> tuple[Message, _Blobs]:
    """The compat32 tree that mail-parser itself builds from bytes, with its headers bounded, and its large
    attachments left in `raw` to be decoded from there (`gateway.mimeblobs`, issue 16)."""
    reduced = mimeblobs.reduce(raw)
    try:
        message = _read_tree(reduced.data)
    except RecursionError:
        defects.append("structure: MIME nesting too deep; only the top-level headers were read")
        message = _read_tree(reduced.data, headersonly=True)
    _bound_headers(message, defects)
    return message, _Blobs(raw, reduced, mimeblobs.restore(message, raw, reduced, _attachment_only))


@dataclass(frozen=True)
class _Blobs:
    """The parts whose base64 body stayed in the raw message (`gateway.mimeblobs`), by `id(part)`."""

    raw: bytes
    reduced: mimeblobs.Reduced
    parts: dict[int, mimeblobs.Blob]

    def decoded(self, part: Message) -> bytes | None:
        """The part's bytes if it is one of them and its base64 is clean; else None, with its payload put
        back for the standard decoder (which records what is wrong)."""
        blob = self.parts.pop(id(part), None)
        if blob is None:
            return None
        data = mimeblobs.decode(self.raw, blob)
        if data is None:
            mimeblobs.restore_part(part, self.raw, self.reduced)
        return data


def _attachment_only(part: Message) -> bool:
    """A part mail-parser files as an attachment without reading it (named, base64, not text): its
    payload may stay a placeholder (`gateway.mimeblobs`). The name is read as mail-parser reads it."""
    try:
        if part.get("content-transfer-encoding", "").strip().lower() != "base64":
            return False
        if part.get_content_maintype() in ("text", "message", "multipart"):
            return False
        if part.get_content_subtype() in ("plain", "html"):
            return False
        from mailparser.utils import decode_header_part, mime_header_view  # parsing only, as `_parse` (issue 16)

        view, _ = mime_header_view(part)
        return bool(decode_header_part(view.get_filename()))
    except Exception:
        return False


def _parts(message: Message):
    """(part, nested) for every part, depth first in document order, without recursion.

    `nested` is True inside an attached message (message/rfc822).
    """
    stack = [(message, False)]
    while stack:
        part, nested = stack.pop()
        yield part, nested
        payload = part.get_payload()
        if isinstance(payload, list):
            inner = nested or part.get_content_type() == "message/rfc822"
            stack.extend((p, inner) for p in reversed(payload) if isinstance(p, Message))


def _bound_headers(message: Message, defects: list[str]) -> None:
    """Cut header values past MAX_HEADER_CHARS and drop headers past MAX_HEADERS, in every part."""
    for part, _ in _parts(message):
        items = list(part.raw_items())
        too_many = len(items) > MAX_HEADERS
        too_long = [name for name, value in items if len(str(value)) > MAX_HEADER_CHARS]
        if not too_many and not too_long:
            continue
        if too_many:
            defects.append(f"headers: {len(items)} headers in one part; only the first {MAX_HEADERS} were read")
        for name in dict.fromkeys(too_long):
            defects.append(f"headers: {_header_name(name)} longer than {MAX_HEADER_CHARS} characters, cut")
        for name in {name for name, _ in items}:
            del part[name]
        for name, value in items[:MAX_HEADERS]:
            part[name] = str(value)[:MAX_HEADER_CHARS]


def _mailparser_defects(parser: mailparser.MailParser) -> list[str]:
    out = []
    for entry in parser.defects:
        if isinstance(entry, dict):
            for where, items in entry.items():
                for item in items if isinstance(items, list) else [items]:
                    out.append(f"{where}: {item}")
        else:
            out.append(str(entry))
    return out


# ---------------------------------------------------------------------------------------- header text

_SINGLE_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID")
_UNFOLD = re.compile(r"\r?\n(?=[ \t])")
_REGISTRY = HeaderRegistry(default_class=UnstructuredHeader, use_default_map=False)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _header_name(name: str) -> str:
    return _SURROGATE.sub("\ufffd", str(name)).strip()


def _recover_8bit(text: str, defects: list[str], what: str) -> str:
    """Text the parser kept as surrogate escapes (raw 8-bit bytes): UTF-8 if it is, else windows-1258."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        defects.append(f"{what}: raw 8-bit text that is not UTF-8, read as windows-1258")
        return data.decode("cp1258", "replace")


def _decode_text(value: object, defects: list[str], what: str) -> str:
    """A header value or parameter as NFC text: unfolded, raw 8-bit bytes recovered, RFC 2047 decoded."""
    text = _UNFOLD.sub("", str(value))
    if _SURROGATE.search(text):
        text = _recover_8bit(text, defects, what)
    if "=?" in text:
        try:
            text = str(_REGISTRY("x-decoded", text))
        except Exception as exc:  # keep the encoded text rather than lose the header
            defects.append(f"{what}: undecodable encoded words ({type(exc).__name__})")
        if _SURROGATE.search(text) or "\ufffd" in text:
            defects.append(f"{what}: encoded words in an unknown or wrong charset")
    return nfc(_SURROGATE.sub("\ufffd", text))


def _clean(text: str) -> str:
    """No control characters (tab and newline aside), no lone surrogates."""
    return _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text))


def _decode_header(value: object, defects: list[str], name: str) -> str:
    return _clean(_decode_text(value, defects, f"header {_header_name(name)}")).replace("\n", " ").strip()


def _msg_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    ids = re.findall(r"<[^<>\s]+>", value)
    return tuple(ids) if ids else tuple(value.split()[:1])


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _report_type(message: Message) -> str | None:
    try:
        value = message.get_param("report-type")
    except Exception:
        return None
    if not value or _content_type(message) != "multipart/report":
        return None
    return str(email.utils.collapse_rfc2231_value(value)).strip().lower()


# ------------------------------------------------------------------------------------ addresses, date

_ADDRESS = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+")


def _addresses(
    parser: mailparser.MailParser, view: Letter, name: str, defects: list[str]
) -> tuple[tuple[str | None, str], ...]:
    """(display name, address) pairs: mail-parser's reading, else the decoded header's (raw 8-bit names)."""
    try:  # mail-parser's attribute API: parser.from_, parser.to, parser.reply_to_ …
        found = [(n, a) for n, a in getattr(parser, name.replace("-", "_") + "_") or [] if a]
    except Exception:
        found = []
    if not found and view.header(name) is not None:
        found = email.utils.getaddresses(list(view.header_all(name)))
        found = [(n, a) for n, a in found if _ADDRESS.fullmatch(a or "")]
        if found:
            defects.append(f"header {name}: addresses read from the decoded header")
    return tuple((nfc(_clean(n)).strip() or None, _clean(a).strip()) for n, a in found)


def _first_address(
    parser: mailparser.MailParser, view: Letter, name: str, defects: list[str]
) -> tuple[str | None, str | None]:
    found = _addresses(parser, view, name, defects)
    return found[0] if found else (None, None)


def _return_path(value: str | None, defects: list[str]) -> tuple[str | None, bool]:
    """(envelope sender, null sender?) from the topmost Return-Path (RFC 5321 §4.4)."""
    if value is None:
        return None, False
    if re.sub(r"\s+", "", value) == "<>":
        return None, True
    _, address = email.utils.parseaddr(value)
    if _ADDRESS.fullmatch(address):
        return address, False
    defects.append(f"header Return-Path: not an address: {value[:100]!r}")
    return None, False


def _date(parser: mailparser.MailParser) -> datetime | None:
    """The Date header, aware, in the offset the sender wrote (mail-parser gives UTC plus the offset)."""
    try:
        value = parser.date
    except Exception:
        return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(timezone(timedelta(hours=float(parser.timezone))))
    except (TypeError, ValueError, OverflowError):
        return value


# ------------------------------------------------------------------------------------------ body text


class _HtmlText(html.parser.HTMLParser):
    _BLOCKS = frozenset("address article br dd div dt h1 h2 h3 h4 h5 h6 hr li p pre section table tr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "head", "title"):
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML body: no tags, scripts or styles; one line per block."""
    reader = _HtmlText()
    try:
        reader.feed(markup)
        reader.close()
    except Exception:
        pass
    lines = (" ".join(line.split()) for line in "".join(reader.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _body_text(parser: mailparser.MailParser) -> str:
    try:
        plain = [t for t in parser.text_plain if t.strip()]
        text = "\n\n".join(plain) if plain else html_to_text("\n".join(parser.text_html))
    except Exception:
        return ""
    return nfc(_clean(text.replace("\r\n", "\n").replace("\r", "\n"))).strip()


# ---------------------------------------------------------------------------------------- attachments

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIMETYPE = ODT.encode("ascii")
_FODT_MARK = b'office:mimetype="application/vnd.oasis.opendocument.text"'


def _attachments(message: Message, blobs: _Blobs, defects: list[str]) -> tuple[tuple[Attachment, ...], tuple[str, ...]]:
    found: list[Attachment] = []
    types: list[str] = []
    try:
        for part, nested in _parts(message):
            ctype = _content_type(part)
            if not nested:
                types.append(ctype)
            if part.is_multipart():
                continue
            try:
                attachment = _attachment(part, ctype, nested, len(found) + 1, blobs, defects)
            except Exception as exc:
                defects.append(f"part {ctype}: unreadable: {type(exc).__name__}: {exc}")
                continue
            if attachment is not None:
                found.append(attachment)
    except RecursionError:
        defects.append("structure: MIME nesting too deep; some parts were not read")
    return tuple(found), tuple(types)


_BASE64_LINE_ENDS = str.maketrans("", "", "\r\n")


def _decoded(part: Message, blobs: _Blobs) -> bytes:
    """The part's decoded payload, as `get_payload(decode=True)` gives it. A clean base64 body (the usual
    attachment) is decoded in one step: the standard decoder first splits it into a list of its lines and
    joins them again, three times its size at the peak (190 MB for a 53 MB PDF, issue 16). Anything else
    (other encodings, bad padding or characters, whose defects the standard decoder records) goes the
    standard way. A large attachment left in the raw message (`_Blobs`) is decoded from there."""
    left_in_raw = blobs.decoded(part)
    if left_in_raw is not None:
        return left_in_raw
    payload = part.get_payload()
    if isinstance(payload, str) and part.get("content-transfer-encoding", "").strip().lower() == "base64":
        joined = payload.translate(_BASE64_LINE_ENDS)
        if joined.isascii() and len(joined) % 4 == 0:
            try:
                return binascii.a2b_base64(joined, strict_mode=True)
            except binascii.Error:
                pass
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _attachment(
    part: Message, ctype: str, nested: bool, index: int, blobs: _Blobs, defects: list[str]
) -> Attachment | None:
    known = len(part.defects)
    data = _decoded(part, blobs)
    for defect in part.defects[known:]:
        defects.append(f"{ctype}: {type(defect).__name__}: {(defect.__doc__ or '').strip()}")
    original = _filename(part, defects)
    disposition = part.get_content_disposition()
    is_pdf = looks_like_pdf(data)
    is_body = ctype.split("/")[0] in ("text", "message", "multipart")
    if original is None and disposition != "attachment" and not is_pdf and is_body:
        return None  # the letter's own text (or an empty report block)
    media_type, kind = identify(data, ctype, original)
    return Attachment(
        filename=sanitize_filename(original, media_type, index),
        original_filename=original,
        declared_type=ctype,
        media_type=media_type,
        kind=kind,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        nested=nested,
    )


def _filename(part: Message, defects: list[str]) -> str | None:
    """The filename as sent: RFC 2231 (`filename*=`), RFC 2047 words inside quotes, or raw 8-bit."""
    try:
        value = part.get_filename()
    except Exception as exc:
        defects.append(f"filename: unreadable ({type(exc).__name__})")
        return None
    if not value:
        return None
    text = _visible_controls(_SURROGATE.sub("\ufffd", _decode_text(value, defects, "filename"))).strip()
    return text or None


def _visible_controls(text: str) -> str:
    """Control characters shown as their Unicode control pictures (a NUL as "␀"), tab and line breaks as
    spaces (folding): kept visible in the name as sent, so that the pipeline flags the name (issue 17)
    instead of the character vanishing; storable anywhere (PostgreSQL text refuses NUL)."""
    out = []
    for c in text:
        code = ord(c)
        if c in "\t\r\n" or 0x80 <= code < 0xA0:
            out.append(" ")
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        else:
            out.append(c)
    return "".join(out)


def identify(data: bytes, declared_type: str, filename: str | None) -> tuple[str, str]:
    """(media type, kind) from the bytes: PDF by magic; R2 editable formats by signature; else the declared
    type — or application/octet-stream when the declared type is one of those and the signature is missing
    (an HTML page sent as application/pdf is not a PDF)."""
    if looks_like_pdf(data):
        return PDF, KIND_PDF
    editable = _editable_type(data, filename)
    if editable:
        return editable, KIND_EDITABLE
    if declared_type in EXTENSIONS:  # claims a format whose signature is missing: say nothing false
        return UNKNOWN, KIND_OTHER
    return declared_type, KIND_OTHER


def _editable_type(data: bytes, filename: str | None) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names:
                    info = archive.getinfo("mimetype")
                    if info.file_size <= 100 and archive.read(info).strip() == _ODT_MIMETYPE:
                        return ODT
        except Exception:
            return None
        return None
    if data.startswith(_OLE2) and _split_extension(filename or "")[1].lower() == "doc":
        return DOC  # OLE2 is also .xls/.ppt/.msg: the name decides
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") and _FODT_MARK in head:
        return FODT
    return None


# ------------------------------------------------------------------------------------------ filenames

CONTROL_PICTURES = re.compile("[\u2400-\u2421]")  # how `_filename` shows control characters
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})  # controls, bidi, invisible
_RESERVED_CHARACTERS = frozenset('<>:"|?*')
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
_EXTENSION = re.compile(r"(.+)\.([A-Za-z0-9]{1,10})")


def _split_extension(name: str) -> tuple[str, str]:
    match = _EXTENSION.fullmatch(name)
    return (match.group(1), match.group(2)) if match else (name, "")


def sanitize_filename(name: str | None, media_type: str | None = None, index: int = 1) -> str:
    """A safe, readable file name for `name`: NFC; path separators become "-" (so "05/QĐ-UBND" stays
    legible); no control, bidi or invisible characters; no leading dots or dashes; at most
    MAX_FILENAME_BYTES of UTF-8; and an extension that says what the bytes are (a PDF named `congvan.bin`
    becomes `congvan.bin.pdf`). No name at all: `tep-dinh-kem-<index>`.
    """
    text = nfc(name or "").replace("\\", "-").replace("/", "-")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\t" or category == "Zs":
            kept.append(" ")
        elif category in _DROPPED_CATEGORIES or CONTROL_PICTURES.match(char):
            continue
        else:
            kept.append("_" if char in _RESERVED_CHARACTERS else char)
    text = " ".join("".join(kept).split()).lstrip(". -_").rstrip(". ")
    stem, extension = _split_extension(text)
    wanted = EXTENSIONS.get(media_type or "")
    if wanted and extension.lower() != wanted:
        stem, extension = text, wanted
    if not stem:
        stem = f"tep-dinh-kem-{index}"
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    budget = MAX_FILENAME_BYTES - (len(extension) + 1 if extension else 0)
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(". ") or f"tep-dinh-kem-{index}"
    return f"{stem}.{extension}" if extension else stem


# ------------------------------------------------------------------------ automatic replies (RFC 3834)

_DAEMON_LOCAL_PARTS = frozenset(
    "mailer-daemon mailerdaemon mail-daemon postmaster listserv majordomo mdaemon "
    "noreply no-reply no_reply donotreply do-not-reply do_not_reply bounce bounces".split()
)
_DAEMON_SUFFIXES = ("-request", "-owner", "-bounce", "-bounces")
_DSN_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
_MDN_TYPES = frozenset({"message/disposition-notification", "message/global-disposition-notification"})
_AUTOREPLY_HEADERS = (
    "X-Autoreply",
    "X-Autorespond",
    "X-Autoresponder",
    "X-AutoReply-From",
    "X-Mail-Autoreply",
    "X-Autogenerated",
    "X-Auto-Reply",
    "X-Auto-Response-Suppress",  # Exchange marks its own automatic mail with it (issue 15)
)
# The subjects vacation responders give their replies when they send no header saying so (many agency mail
# servers): "Automatic reply: …", "Out of Office: …", Outlook in Vietnamese "Trả lời tự động: …", and the
# like. Only at the start and followed by a colon or nothing, so "V/v cán bộ vắng mặt" is no auto-reply.
_AUTOREPLY_SUBJECT = re.compile(
    r"^\s*(?:(?:re|tl|aw|fw|fwd)\s*:\s*)*"
    r"(?:automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office(?: auto ?reply)?|"
    r"trả lời tự động|tự động trả lời|thư trả lời tự động|vắng mặt|đang vắng mặt)\s*(?::|$)"
)
_PRECEDENCES = frozenset({"bulk", "list", "junk", "auto_reply"})


def _token(value: str) -> str:
    """The keyword of a header such as Auto-Submitted or Precedence, without parameters or comments."""
    return value.split(";")[0].split("(")[0].strip().lower()


def _is_daemon(address: str) -> bool:
    local = address.rsplit("@", 1)[0].lower()
    return local in _DAEMON_LOCAL_PARTS or local.startswith("owner-") or local.endswith(_DAEMON_SUFFIXES)


def reply_suppression(letter: Letter) -> str | None:
    """Why the gateway must not answer `letter` automatically (RFC 3834 §2), or None if it may.

    The result reads `code: detail`; the code (before the first colon) is stable: `null_sender`,
    `no_return_path`, `daemon_sender`, `delivery_status_notification`, `disposition_notification`,
    `feedback_report`, `auto_submitted`, `autoreply_header`, `precedence`, `list_header`, `autoreply_subject`.
    """
    if letter.null_sender:
        return "null_sender: Return-Path is <>"
    if letter.return_path is None:
        return "no_return_path: no envelope sender to answer (RFC 3834 §4)"
    for address in (letter.return_path, letter.from_address):
        if address and _is_daemon(address):
            return f"daemon_sender: {address}"
    types = set(letter.content_types)
    if letter.report_type == "delivery-status" or types & _DSN_TYPES:
        return "delivery_status_notification: a bounce or delay notice (RFC 3464)"
    if letter.report_type == "disposition-notification" or types & _MDN_TYPES:
        return "disposition_notification: a read receipt (RFC 8098)"
    if letter.report_type == "feedback-report" or "message/feedback-report" in types:
        return "feedback_report: an abuse report (RFC 5965)"
    auto = letter.header("Auto-Submitted")
    if auto is not None and _token(auto) != "no":
        return f"auto_submitted: {auto}"
    for name in _AUTOREPLY_HEADERS:
        value = letter.header(name)
        if value is not None and _token(value) not in ("no", "false", "0"):
            return f"autoreply_header: {name}: {value}"
    precedence = letter.header("Precedence")
    if precedence is not None and _token(precedence) in _PRECEDENCES:
        return f"precedence: {precedence}"
    for name, _ in letter.headers:
        if name.lower().startswith("list-"):
            return f"list_header: {name}"
    if letter.subject and _AUTOREPLY_SUBJECT.match(nfc(letter.subject).casefold()):
        return f"autoreply_subject: {letter.subject[:120]}"
    return None


def reply_address(letter: Letter) -> str | None:
    """Where an automatic reply goes: the envelope sender (Return-Path) only, never From or Reply-To
    (RFC 3834 §4); None for a null or missing Return-Path."""
    return None if letter.null_sender else letter.return_path
