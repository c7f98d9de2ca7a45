"""One connection to an official mailbox over IMAP (R1): incremental, read-only fetching, moving after the fact.

`gateway.intake.imap` drives it: the cursor, the spool, filing decided letters.

One `ImapMailbox` is one connection to one `MailboxSettings` mailbox (imapclient underneath):
- `connect` opens it (implicit TLS, STARTTLS, or plain when the config explicitly allowed it), with
  `timeout_seconds` on every socket operation, logs in, creates the inbox / processed / refused /
  quarantine folders when missing and selects the inbox.
- `fetch_new(after_uid)` yields the messages whose UID is above `after_uid`, in UID order, in batches of
  `batch_size`: sizes (`RFC822.SIZE`) and `INTERNALDATE` first, then `BODY.PEEK[]` — or only
  `BODY.PEEK[HEADER]` for a message over `max_message_bytes` (`truncated=True`). PEEK never sets \\Seen:
  fetching leaves the mailbox as the clerks see it.
- A letter is known by (mailbox, UIDVALIDITY, UID); `resume_uid` says where to resume after a restart,
  and `fetch_new(after_uid, uidvalidity)` ignores an `after_uid` from another UIDVALIDITY. When
  UIDVALIDITY changed, everything still in the inbox is fetched again; the spool's sha256 of the raw
  bytes keeps it from being registered twice (R18, DESIGN.md "Nothing doubled").
- `move(uid, folder)` / `move_many(uids, folder)` file messages away (one UID MOVE for many, else COPY +
  UID EXPUNGE). The daemon calls them only after the letter's register entries and reply are committed
  (DESIGN.md, "Nothing lost").
- `wait_for_activity(timeout, stop)` idles (IDLE re-issued every `idle_renew_seconds`, well inside the 29
  minutes of RFC 2177) or, without IDLE, sleeps and polls with NOOP. The daemon fetches after it returns
  either way: the periodic poll is the safety net.

Every failure — refused connection, timeout, TLS, login, protocol error, dropped session — surfaces as
`MailboxError` (`MailboxAuthError` for a rejected login); the connection is then closed and the daemon
reconnects after a delay from `backoff_delays`.

FETCH commands complete before a message is yielded, so the caller may `move` while iterating.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from functools import partial

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from gateway.config import MailboxSettings
from gateway.tls import client_context

log = logging.getLogger(__name__)
MOVE_CHUNK = 500  # UIDs per UID SEARCH / UID MOVE: the command line stays short even with scattered UIDs
PIECES_OVER = 8 * 1024 * 1024  # a message larger than this is fetched in pieces (issue 16) ...
PIECE_BYTES = 2 * 1024 * 1024  # ... of this size: BODY.PEEK[]<offset.length>


class MailboxError(Exception):
    """The mailbox could not be reached or used; the connection is closed. Back off and reconnect."""


class MessageVanished(Exception):
    """A message fetched in pieces was expunged before its last piece came: there is nothing to take in."""


class MailboxAuthError(MailboxError):
    """The server refused the username or password (an admin must act; retrying will not help soon)."""


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the server holds it, identified by (mailbox, uidvalidity, uid)."""

    mailbox: str  # MailboxSettings.name
    folder: str
    uidvalidity: int
    uid: int
    size: int  # RFC822.SIZE: the full message's size, even when truncated
    internaldate: datetime  # timezone-aware: when it entered the mailbox (R13 received_at)
    raw: bytes  # BODY.PEEK[], or only the header section (BODY.PEEK[HEADER]) when truncated; b"" when in pieces
    truncated: bool  # size > max_message_bytes: only the header was fetched
    pieces: Callable[[], Iterator[bytes]] | None = field(default=None, compare=False, repr=False)
    # a message over PIECES_OVER: its bytes are fetched a piece at a time as this iterator is read (before
    # the next message is asked for); MessageVanished if it is expunged meanwhile


def resume_uid(saved_uidvalidity: int | None, saved_uid: int | None, uidvalidity: int) -> int:
    """The UID to fetch after: the last one seen if the saved UIDVALIDITY is still current, else 0.

    After a UIDVALIDITY change the old UIDs mean nothing; everything in the folder is fetched again and
    recognised by the sha256 of its raw bytes (DESIGN.md, "Nothing doubled").
    """
    if saved_uidvalidity is None or saved_uid is None or saved_uidvalidity != uidvalidity:
        return 0
    return saved_uid


def backoff_delays(base: float = 1.0, cap: float = 300.0, rng: Callable[[], float] = random.random) -> Iterator[float]:
    """Endless reconnect delays: the ceiling doubles from `base` up to `cap`; each delay is drawn between
    half the ceiling and the ceiling ("equal jitter"), so gateways that lost the same server do not
    return in step. `rng()` is in [0, 1)."""
    ceiling = min(base, cap)
    while True:
        yield ceiling / 2 + rng() * ceiling / 2
        ceiling = min(ceiling * 2, cap)


def _batches(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _size_groups(uids: Sequence[int], sizes: dict[int, int], budget: int) -> Iterator[list[int]]:
    """Consecutive UIDs whose bodies together stay within `budget` bytes (a lone message always fits)."""
    group: list[int] = []
    total = 0
    for uid in uids:
        if group and total + sizes[uid] > budget:
            yield group
            group, total = [], 0
        group.append(uid)
        total += sizes[uid]
    if group:
        yield group


def _uid_set(uids: Sequence[int]) -> str:
    """An IMAP sequence set of UIDs: "3:7,9,12:13"."""
    runs: list[list[int]] = []
    for uid in sorted(uids):
        if runs and uid == runs[-1][1] + 1:
            runs[-1][1] = uid
        else:
            runs.append([uid, uid])
    return ",".join(str(a) if a == b else f"{a}:{b}" for a, b in runs)


def _is_new_mail(response: tuple) -> bool:
    return len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")


def _is_bye(response: tuple) -> bool:
    return len(response) >= 1 and response[0] == b"BYE"


def _aware(value: datetime) -> datetime:
    """imapclient's fixed offset as a plain `timezone` (UTC when the server gave none)."""
    offset = value.utcoffset()
    return value.replace(tzinfo=timezone(offset) if offset is not None else UTC)


class ImapMailbox:
    """One connection to one official mailbox. Not thread-safe: one thread drives it."""

    def __init__(self, settings: MailboxSettings):
        self.settings = settings
        self._client: IMAPClient | None = None
        self._uidvalidity: int | None = None

    # -- connection ---------------------------------------------------------------------------------------

    def __enter__(self) -> ImapMailbox:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._client is not None

    def connect(self) -> None:
        """Connect, log in, create missing folders and select the inbox; `MailboxError` on failure."""
        s = self.settings
        self.close()
        if s.password is None:
            raise MailboxAuthError(f"mailbox {s.name}: no password configured")
        if s.tls == "plain":
            log.warning("plain IMAP without TLS to %s:%d (tests only)", s.host, s.port, extra={"mailbox": s.name})
        if not s.verify_tls and s.tls != "plain":
            log.warning("TLS certificate of %s is NOT verified", s.host, extra={"mailbox": s.name})
        context = client_context(verify=s.verify_tls, ca_file=s.ca_file)
        client: IMAPClient | None = None
        try:
            client = IMAPClient(s.host, s.port, ssl=s.tls == "implicit", ssl_context=context, timeout=s.timeout_seconds)
            if s.tls == "starttls":
                client.starttls(context)
            client.normalise_times = False  # keep INTERNALDATE timezone-aware
            if f"{s.username}{s.password}".isascii():
                client.login(s.username, s.password)
            else:  # LOGIN is ASCII-only; SASL PLAIN carries UTF-8 (RFC 4616)
                client.plain_login(s.username, s.password)
        except LoginError as exc:
            _shutdown(client)
            raise MailboxAuthError(f"mailbox {s.name}: login as {s.username} refused: {exc}") from exc
        except (IMAPClientError, OSError) as exc:
            _shutdown(client)
            raise MailboxError(f"mailbox {s.name}: cannot connect to {s.host}:{s.port}: {exc!r}") from exc
        self._client = client
        log.info("connected to %s:%d (%s) as %s", s.host, s.port, s.tls, s.username, extra={"mailbox": s.name})
        with self._guard("prepare folders"):
            self._ensure_folders()
            self._select()

    def close(self) -> None:
        """Log out (or just drop the socket if the session is already broken). Never raises."""
        client, self._client = self._client, None  # `_uidvalidity` stays, to notice a change on reconnect
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # the session is being thrown away anyway
            _shutdown(client)

    @contextmanager
    def _guard(self, action: str) -> Iterator[IMAPClient]:
        """Run `action` on the live client; any failure closes the connection and becomes MailboxError."""
        if self._client is None:
            raise MailboxError(f"mailbox {self.settings.name}: not connected ({action})")
        try:
            yield self._client
        except (IMAPClientError, OSError) as exc:
            log.warning("%s failed: %r", action, exc, extra={"mailbox": self.settings.name})
            self.close()
            raise MailboxError(f"mailbox {self.settings.name}: {action} failed: {exc!r}") from exc

    def _ensure_folders(self) -> None:
        client = self._client
        assert client is not None
        f = self.settings.folders
        for folder in dict.fromkeys((f.inbox, f.processed, f.refused, f.quarantine)):
            if client.folder_exists(folder):
                continue
            try:
                client.create_folder(folder)
            except IMAPClientError:
                if not client.folder_exists(folder):  # someone else may just have created it
                    raise
            try:
                client.subscribe_folder(folder)  # so that clerks see it in their mail program
            except IMAPClientError as exc:
                log.info("could not subscribe to %s: %s", folder, exc, extra={"mailbox": self.settings.name})
            log.info("created folder %s", folder, extra={"mailbox": self.settings.name})

    def _select(self) -> int:
        assert self._client is not None
        response = self._client.select_folder(self.settings.folders.inbox)
        uidvalidity = int(response[b"UIDVALIDITY"])
        if self._uidvalidity is not None and uidvalidity != self._uidvalidity:
            log.warning(
                "UIDVALIDITY of %s changed from %d to %d",
                self.settings.folders.inbox,
                self._uidvalidity,
                uidvalidity,
                extra={"mailbox": self.settings.name},
            )
        self._uidvalidity = uidvalidity
        return uidvalidity

    def capabilities(self) -> frozenset[str]:
        with self._guard("CAPABILITY") as client:
            return frozenset(c.decode("ascii", "replace") for c in client.capabilities())

    def uidvalidity(self) -> int:
        """The inbox's UIDVALIDITY as of the last SELECT (each `fetch_new` selects again)."""
        if self._client is None or self._uidvalidity is None:
            raise MailboxError(f"mailbox {self.settings.name}: not connected")
        return self._uidvalidity

    # -- fetching -----------------------------------------------------------------------------------------

    def fetch_new(
        self, after_uid: int, uidvalidity: int | None = None, *, skip: Container[int] = ()
    ) -> Iterator[FetchedMessage]:
        """The messages with a UID above `after_uid`, ascending, each with the current UIDVALIDITY.

        `after_uid` counts under `uidvalidity` (default: the value `uidvalidity()` gave before this
        call). The inbox is selected again first; if its UIDVALIDITY is no longer that one, `after_uid`
        means nothing and every message is fetched (see `resume_uid`).
        """
        expected = uidvalidity if uidvalidity is not None else self._uidvalidity
        with self._guard("search") as client:
            current = self._select()
            if after_uid and current != expected:
                log.warning(
                    "UID %d was under UIDVALIDITY %s, now %d: fetching everything",
                    after_uid,
                    expected,
                    current,
                    extra={"mailbox": self.settings.name},
                )
                after_uid = 0
            found = client.search(["UID", f"{after_uid + 1}:*"])
        # "UID n:*" always matches the highest UID, even when it is below n (RFC 3501 §6.4.8).
        uids = sorted(uid for uid in found if uid > after_uid and uid not in skip)  # skip: held back for now
        if uids:
            log.info("%d new message(s) after UID %d", len(uids), after_uid, extra={"mailbox": self.settings.name})
        yield from self.fetch_uids(uids)

    def fetch_uids(self, uids: Iterable[int]) -> Iterator[FetchedMessage]:
        """The given messages (those still there), ascending, without setting \\Seen."""
        wanted = sorted(set(uids))
        for batch in _batches(wanted, self.settings.batch_size):
            yield from self._fetch_batch(batch)

    def _fetch_batch(self, batch: Sequence[int]) -> Iterator[FetchedMessage]:
        s = self.settings
        uidvalidity = self.uidvalidity()
        with self._guard("fetch sizes") as client:
            meta = client.fetch(batch, ["RFC822.SIZE", "INTERNALDATE"])
        present = [uid for uid in batch if b"RFC822.SIZE" in meta.get(uid, {})]
        for gone in sorted(set(batch) - set(present)):
            log.info("UID %d vanished before it was fetched", gone, extra={"mailbox": s.name})
        sizes = {uid: int(meta[uid][b"RFC822.SIZE"]) for uid in present}
        too_big = {uid for uid in present if sizes[uid] > s.max_message_bytes}
        in_pieces = {uid for uid in present if uid not in too_big and sizes[uid] > PIECES_OVER}
        budget = {uid: 0 if uid in too_big or uid in in_pieces else sizes[uid] for uid in present}
        for group in _size_groups(present, budget, s.max_message_bytes):
            whole = [uid for uid in group if uid not in too_big and uid not in in_pieces]
            heads = [uid for uid in group if uid in too_big]
            with self._guard("fetch bodies") as client:
                bodies = client.fetch(whole, ["BODY.PEEK[]"]) if whole else {}
                headers = client.fetch(heads, ["BODY.PEEK[HEADER]"]) if heads else {}
            for uid in group:
                truncated = uid in too_big
                message = partial(
                    FetchedMessage,
                    mailbox=s.name,
                    folder=s.folders.inbox,
                    uidvalidity=uidvalidity,
                    uid=uid,
                    size=sizes[uid],
                    internaldate=_aware(meta[uid][b"INTERNALDATE"]),
                    truncated=truncated,
                )
                if uid in in_pieces:
                    yield message(raw=b"", pieces=partial(self._pieces, uid))
                    continue
                data = (headers if truncated else bodies).get(uid, {})
                raw = data.get(b"BODY[HEADER]" if truncated else b"BODY[]")
                if raw is None:
                    log.info("UID %d vanished while it was fetched", uid, extra={"mailbox": s.name})
                    continue
                if truncated:
                    log.warning(
                        "UID %d is %d bytes, over the %d-byte limit: header only",
                        uid,
                        sizes[uid],
                        s.max_message_bytes,
                        extra={"mailbox": s.name},
                    )
                yield message(raw=bytes(raw))

    def _pieces(self, uid: int) -> Iterator[bytes]:
        """Message `uid`'s bytes, `PIECE_BYTES` at a time (a partial FETCH each: the connection never holds
        the whole message, nor do imaplib's and imapclient's copies of it)."""
        offset = 0
        while True:
            with self._guard(f"fetch UID {uid} from byte {offset}") as client:
                response = client.fetch([uid], [f"BODY.PEEK[]<{offset}.{PIECE_BYTES}>"])
            if uid not in response:
                log.info("UID %d vanished while it was fetched", uid, extra={"mailbox": self.settings.name})
                raise MessageVanished(f"UID {uid} vanished at byte {offset}")
            piece = bytes(response.pop(uid).get(f"BODY[]<{offset}>".encode("ascii")) or b"")
            if piece:
                yield piece
            offset += len(piece)
            if len(piece) < PIECE_BYTES:
                return

    # -- filing -------------------------------------------------------------------------------------------

    def move(self, uid: int, folder: str) -> bool:
        """Move inbox message `uid` to `folder` (created if it went missing); False if `uid` is gone.

        MOVE when the server has it, else COPY, \\Deleted and UID EXPUNGE (UIDPLUS); without UIDPLUS a
        plain EXPUNGE, with any other message's \\Deleted flag lifted meanwhile so only `uid` goes.
        Call it only once the letter's register entries and reply are committed (R18: registered first,
        filed after; a crash in between leaves the message in the inbox, fetched again and deduplicated).
        """
        return bool(self.move_many([uid], folder))

    def move_many(self, uids: Iterable[int], folder: str) -> list[int]:
        """Move the inbox messages `uids` to `folder` with one UID SEARCH and one UID MOVE per `MOVE_CHUNK`
        UIDs (issue 16: one round trip per message cost more than the letter's evaluation); returns the
        UIDs moved — those gone already (moved before a crash) are left out. Same rules as `move`."""
        wanted = sorted(set(uids))
        moved: list[int] = []
        for chunk in _batches(wanted, MOVE_CHUNK):
            with self._guard(f"move {len(chunk)} message(s) to {folder}") as client:
                present = sorted(set(client.search(["UID", _uid_set(chunk)])) & set(chunk))
                for gone in sorted(set(chunk) - set(present)):
                    log.info("UID %d already gone, not moved", gone, extra={"mailbox": self.settings.name})
                if not present:
                    continue
                try:
                    self._move(client, present, folder)
                except IMAPClientError as exc:
                    if "TRYCREATE" not in str(exc):
                        raise
                    client.create_folder(folder)
                    self._move(client, present, folder)
            log.info("moved UID %s to %s", _uid_set(present), folder, extra={"mailbox": self.settings.name})
            moved += present
        return moved

    def destroy(self, uid: int) -> bool:
        """Delete inbox message `uid` for good (\\Deleted, then UID EXPUNGE, or EXPUNGE with every other
        message's \\Deleted flag lifted meanwhile): a refused secret document is not kept anywhere (R6).
        False if `uid` is gone already."""
        with self._guard(f"destroy UID {uid}") as client:
            if not client.search(["UID", str(uid)]):
                return False
            client.add_flags([uid], [DELETED], silent=True)
            self._expunge_only(client, [uid])
        log.warning("destroyed UID %d (secret document, R6)", uid, extra={"mailbox": self.settings.name})
        return True

    def _expunge_only(self, client: IMAPClient, uids: list[int]) -> None:
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
            return
        ours = set(uids)
        others = [u for u in client.search(["DELETED"]) if u not in ours]
        if others:
            client.remove_flags(others, [DELETED], silent=True)
        try:
            client.expunge()
        finally:
            if others:
                client.add_flags(others, [DELETED], silent=True)

    def _move(self, client: IMAPClient, uids: list[int], folder: str) -> None:
        if client.has_capability("MOVE"):
            client.move(uids, folder)
            return
        client.copy(uids, folder)
        client.add_flags(uids, [DELETED], silent=True)
        self._expunge_only(client, uids)

    # -- waiting ------------------------------------------------------------------------------------------

    def wait_for_activity(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Wait up to `timeout` seconds for news in the inbox; True as soon as the server reports new
        mail (EXISTS/RECENT), False on timeout or when `stop` is set. IDLE when the server and the
        settings allow it, else sleep and ask with NOOP at the end."""
        with self._guard("CAPABILITY") as client:
            can_idle = self.settings.idle and client.has_capability("IDLE")
        if can_idle:
            return self._idle(timeout, stop)
        return self._sleep_then_noop(timeout, stop)

    def _idle(self, timeout: float, stop: threading.Event | None) -> bool:
        deadline = time.monotonic() + timeout
        renew = float(self.settings.idle_renew_seconds)
        rounds = 0
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            if rounds:
                log.debug("IDLE renewed", extra={"mailbox": self.settings.name})
            rounds += 1
            with self._guard("IDLE") as client:
                client.idle()
                try:
                    news = self._idle_until(client, min(deadline, time.monotonic() + renew), stop)
                finally:
                    _text, late = client.idle_done()
            if news or any(_is_new_mail(r) for r in late):
                return True
        return False

    def _idle_until(self, client: IMAPClient, until: float, stop: threading.Event | None) -> bool:
        """Inside one IDLE command: True on new mail, False at `until`, on `stop`, or on early silence
        (which can mean a closed socket: the caller's DONE then finds out)."""
        while True:
            left = until - time.monotonic()
            if left <= 0 or (stop and stop.is_set()):
                return False
            wait = min(left, 0.5) if stop else left  # look at `stop` twice a second
            started = time.monotonic()
            responses = client.idle_check(timeout=wait)
            if any(_is_bye(r) for r in responses):
                raise IMAPClient.AbortError(f"server closed the session: {responses!r}")
            if any(_is_new_mail(r) for r in responses):
                return True
            if not responses and time.monotonic() - started < wait / 2:
                return False  # woken without a response: let DONE probe the connection

    def _sleep_then_noop(self, timeout: float, stop: threading.Event | None) -> bool:
        if stop is not None:
            if stop.wait(timeout):
                return False
        else:
            time.sleep(timeout)
        with self._guard("NOOP") as client:
            _text, responses = client.noop()
        return any(_is_new_mail(r) for r in responses)


def _shutdown(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.shutdown()
    except Exception:  # already closed
        pass
