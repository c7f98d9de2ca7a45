"""Large base64 bodies kept out of the standard e-mail parser, decoded straight from the raw bytes (issue 16).

The standard parser keeps every line of a body as its own string until the body ends, then joins them:
a 66 MB letter carrying a 49 MB PDF costs 120 MB of line objects plus the 66 MB joined text, on top of
the raw bytes, and the attachment is then decoded from that text (two more copies). Here the parser reads
a copy of the message in which each long run of base64 lines (`BLOB_MIN_BYTES` or more) is one short
placeholder word; afterwards a part whose payload is just a placeholder is a `Blob`, decoded from the raw
bytes a slice at a time into its final buffer, and every other part gets its payload back as the parser
would have made it.

The placeholder cannot change how the message is read: a run is made of whole lines of base64 letters
(no colon, no space, no leading "--"), so it is never a header, a continuation line or a boundary, and
the placeholder is such a line too; its last line ending stays in place, so the parser strips it before a
boundary exactly as before. The placeholder word is random and absent from the message.
"""

from __future__ import annotations

import binascii
import io
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message

BLOB_MIN_BYTES = 1024 * 1024  # shorter bodies cost little: the standard path reads them
DECODE_SLICE = 1024 * 1024  # raw bytes decoded at a time
_RUN = re.compile(rb"(?m)^(?:[A-Za-z0-9+/=]++\r?\n)++")  # whole lines of base64 letters, possessive: no backtracking
_LINE_ENDS = b"\r\n"
_PLACEHOLDER = "GWBLOB"  # then 16 random hex digits, "N" and the run's index


@dataclass(frozen=True)
class Blob:
    """A run of base64 lines of the raw message, `raw[start:end]` (without its last line ending)."""

    start: int
    end: int


@dataclass(frozen=True)
class Reduced:
    """The message as the parser reads it, and the runs its placeholders stand for."""

    data: bytes
    runs: dict[str, Blob]  # placeholder word → run


def reduce(raw: bytes, min_bytes: int | None = None) -> Reduced:
    """`raw` with every run of base64 lines of `min_bytes` (default `BLOB_MIN_BYTES`) or more replaced by
    a placeholder word."""
    min_bytes = BLOB_MIN_BYTES if min_bytes is None else max(min_bytes, 1)
    if len(raw) < min_bytes:
        return Reduced(raw, {})
    prefix = _PLACEHOLDER + secrets.token_hex(8).upper()
    while prefix.encode("ascii") in raw:
        prefix = _PLACEHOLDER + secrets.token_hex(8).upper()
    pieces: list[bytes] = []
    runs: dict[str, Blob] = {}
    kept = 0
    for match in _RUN.finditer(raw):
        start, end = match.span()
        if end - start < min_bytes:
            continue
        end -= 2 if raw[end - 2 : end] == _LINE_ENDS else 1  # the last line ending stays in the message
        word = f"{prefix}N{len(runs)}"
        runs[word] = Blob(start, end)
        pieces += [raw[kept:start], word.encode("ascii")]
        kept = end
    if not runs:
        return Reduced(raw, {})
    pieces.append(raw[kept:])
    return Reduced(b"".join(pieces), runs)


def restore(message: Message, raw: bytes, reduced: Reduced, keep: Callable[[Message], bool]) -> dict[int, Blob]:
    """Put each part's payload back as the standard parser makes it, except for parts whose payload is
    a single placeholder and for which `keep(part)` is true: those are returned, by `id(part)`, and their
    payload stays the placeholder (`decode` reads them; `restore_part` puts one back)."""
    if not reduced.runs:
        return {}
    kept: dict[int, Blob] = {}
    for part in _walk(message):
        payload = getattr(part, "_payload", None)  # the parser's own text, as `get_payload` reads it
        blob = reduced.runs.get(payload.rstrip("\r\n")) if isinstance(payload, str) else None
        if blob is not None and keep(part):
            kept[id(part)] = blob
            continue
        restore_part(part, raw, reduced)
    return kept


def _walk(message: Message) -> Iterator[Message]:
    """Every part, without recursion (`Message.walk` recurses: a deeply nested letter would fail here)."""
    stack = [message]
    while stack:
        part = stack.pop()
        yield part
        payload = getattr(part, "_payload", None)
        if isinstance(payload, list):
            stack.extend(p for p in reversed(payload) if isinstance(p, Message))


def restore_part(part: Message, raw: bytes, reduced: Reduced) -> None:
    """The part's payload, preamble and epilogue with their placeholders replaced by the runs."""
    for attr in ("_payload", "preamble", "epilogue"):
        text = getattr(part, attr, None)
        if isinstance(text, str) and _PLACEHOLDER in text:
            for word, run in reduced.runs.items():
                if word in text:
                    text = text.replace(word, raw[run.start : run.end].decode("ascii"))
            setattr(part, attr, text)


def decode(raw: bytes, blob: Blob) -> bytes | None:
    """The bytes the run's base64 stands for, decoded `DECODE_SLICE` at a time into one buffer; None if
    it is not clean base64 (bad padding or letters), which the caller reads the standard way."""
    out = io.BytesIO()
    carry = b""
    view = memoryview(raw)
    try:
        for at in range(blob.start, blob.end, DECODE_SLICE):
            text = carry + bytes(view[at : min(at + DECODE_SLICE, blob.end)]).translate(None, _LINE_ENDS)
            whole = len(text) - len(text) % 4
            out.write(binascii.a2b_base64(text[:whole], strict_mode=True))
            carry = text[whole:]
    except binascii.Error:
        return None
    finally:
        view.release()
    if carry:
        return None  # not a multiple of four letters: the standard decoder says what is wrong
    return out.getvalue()  # the buffer itself, not a copy
