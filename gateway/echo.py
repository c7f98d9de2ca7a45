"""Text of the sender's choosing, made safe to repeat in the gateway's own messages (issue 17).

A refusal or an acknowledgement repeats what the letter said — its subject, the sender's name, file names,
the document's number and trích yếu. Whoever writes a letter chooses that text; unfiltered, the gateway
would carry a stranger's advertisement or link to the address it answers. `echo` keeps such text short,
on one line, without control characters and without links: web addresses (with a scheme, `www.`, or a
host name with a path or a common top-level domain) are replaced by "[…]". E-mail addresses are kept
(a letter's notation or the sender's address may be one).
"""

from __future__ import annotations

import re

from gateway.vntext import nfc

REMOVED = "[…]"
SUBJECT_CHARS = 200
NAME_CHARS = 160
FILENAME_CHARS = 120
NOTATION_CHARS = 80
TEXT_CHARS = 400
REASON_CHARS = 1000

_CONTROLS = re.compile(r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_SCHEME_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]{1,15}:(?://|[^\s@]*\.[a-z]{2,})[^\s<>\"']*")
_WWW = re.compile(r"(?i)\bwww\d?\.[^\s<>\"']+")
_HOST_WITH_PATH = re.compile(r"(?i)(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}[/?#][^\s<>\"']*")
_TLDS = (
    "com|net|org|info|biz|xyz|top|online|site|club|shop|store|vip|io|co|me|ru|cn|su|tk|ml|ga|cf|gq|link|"
    "click|live|app|dev|win|bid|loan|work|icu|buzz|fun|space|website|tech|pw|cc|ws|ly|gl|to|us|uk|de|fr|vn"
)
_BARE_HOST = re.compile(rf"(?i)(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?![@\w-]|\.\w)")


def strip_links(text: str) -> str:
    """`text` with every web address replaced by "[…]"."""
    for pattern in (_SCHEME_URL, _WWW, _HOST_WITH_PATH, _BARE_HOST):
        text = pattern.sub(REMOVED, text)
    return text


def echo(text: str | None, limit: int) -> str | None:
    """Sender-chosen `text` as our messages may repeat it: NFC, one line, no controls, no links, at most
    `limit` characters (cut with "…"). None stays None."""
    if text is None:
        return None
    text = " ".join(_CONTROLS.sub(" ", nfc(str(text))).split())
    text = strip_links(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def echo_multiline(text: str | None, limit: int) -> str | None:
    """As `echo`, keeping line breaks (a reason's message may have several lines)."""
    if text is None:
        return None
    lines = (echo(line, limit) or "" for line in nfc(str(text)).splitlines())
    joined = "\n".join(lines).strip()
    if len(joined) > limit:
        joined = joined[: limit - 1].rstrip() + "…"
    return joined
