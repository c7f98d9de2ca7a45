"""Workplace accounts and their sessions.

Roles: `van_thu` (the registry clerk: reads and acts), `lanh_dao` (a leader: reads only), `admin` (acts, and
also sees the rules, the trust store, the directory and the outbox's failed replies). Passwords are hashed
with argon2id; sessions are server-side rows keyed by the sha256 of a random cookie token, each with its
own CSRF token, ended by logging out or by time.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gateway.register.schema import UserRow, WebSessionRow
from gateway.vntext import nfc
from gateway.vntime import aware


class Role(enum.StrEnum):
    VAN_THU = "van_thu"
    LANH_DAO = "lanh_dao"
    ADMIN = "admin"


ROLE_VI = {Role.VAN_THU: "văn thư", Role.LANH_DAO: "lãnh đạo", Role.ADMIN: "quản trị"}
ACTING_ROLES = frozenset({Role.VAN_THU, Role.ADMIN})  # may change the register; lãnh đạo only reads
MIN_PASSWORD = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # verified against when the user does not exist


class UserError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    """Who is logged in (a detached copy of the row)."""

    id: int
    username: str
    full_name: str
    role: Role

    @property
    def actor(self) -> str:
        """How the history and the audit log name them: `Nguyễn Thị Lan (lan)`."""
        return f"{self.full_name} ({self.username})"

    @property
    def can_act(self) -> bool:
        return self.role in ACTING_ROLES

    @property
    def role_vi(self) -> str:
        return ROLE_VI[self.role]


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.full_name, Role(row.role))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")


def add_user(s: Session, *, username: str, full_name: str, role: Role, password: str) -> User:
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise UserError(f"invalid user name {username!r}: letters, digits, '.', '_' and '-' only")
    if s.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise UserError(f"the user {username!r} exists already")
    check_password(password)
    now = datetime.now(UTC)
    row = UserRow(
        username=username,
        full_name=nfc(full_name).strip() or username,
        role=Role(role).value,
        password_hash=_hasher.hash(password),
        active=True,
        created_at=now,
        password_changed_at=now,
    )
    s.add(row)
    s.flush()
    return _user(row)


def _row(s: Session, username: str) -> UserRow:
    row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
    if row is None:
        raise UserError(f"no user {username!r}")
    return row


def set_password(s: Session, username: str, password: str) -> None:
    check_password(password)
    row = _row(s, username)
    row.password_hash = _hasher.hash(password)
    row.password_changed_at = datetime.now(UTC)
    s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))  # log out everywhere


def set_active(s: Session, username: str, active: bool) -> None:
    row = _row(s, username)
    row.active = active
    if not active:
        s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))


def list_users(s: Session) -> list[UserRow]:
    return list(s.scalars(select(UserRow).order_by(UserRow.username)))


def authenticate(s: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (as slow either way)."""
    row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return _user(row)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    user: User
    csrf_token: str


def start_session(s: Session, user: User, *, hours: int, remote: str | None) -> str:
    """A new session for `user`; returns the cookie's token (only its hash is stored)."""
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    s.add(
        WebSessionRow(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            remote=(remote or "")[:64] or None,
        )
    )
    return token


def find_session(s: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    found = s.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    session, user = found
    if aware(session.expires_at) <= datetime.now(UTC) or not user.active:
        return None
    return WebSession(_user(user), session.csrf_token)


def end_session(s: Session, token: str | None) -> None:
    if token:
        s.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _token_hash(token)))
