"""A real Dovecot IMAP server for the tests: throw-away config, Maildir store and users.

`DovecotServer.start()` runs the Debian binary (`/usr/sbin/dovecot -F`) on free loopback ports, one plain
IMAP port (which also offers STARTTLS) and one implicit-TLS port, with a certificate issued by a throw-away
CA (`ca_file`; point `SSL_CERT_FILE` at it to verify). Users (plain passwords) are added at any time with
`add_user`, one passwd-file each, so a new user can log in at once.

Fixtures, registered for every test by `tests/conftest.py`:
- `dovecot` (session): the running server;
- `imap_user` (function): a fresh user with an empty mailbox, so tests never see each other's mail.

When run as root, Dovecot's auth process runs as `dovecot` and the mail is owned by `nobody` (Dovecot
refuses users with uid 0), so the temporary folders are made world-readable. Not root: everything runs
as the current user.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import grp
import ipaddress
import itertools
import os
import pwd
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imapclient import IMAPClient

from gateway.config import MailboxSettings

DOVECOT = Path("/usr/sbin/dovecot")
DOVEADM = Path("/usr/bin/doveadm")
HOST = "127.0.0.1"
INSTALL_HINT = "Dovecot is not installed: run `bash scripts/install-system-deps.sh` (needs root or sudo)"


class DovecotUnavailable(RuntimeError):
    """Dovecot is missing or would not start; the message says why (and the server log, if any)."""


@dataclass
class DovecotServer:
    """One running Dovecot instance and helpers to look into its mailboxes from the outside."""

    host: str
    port: int  # plain IMAP, STARTTLS offered
    tls_port: int  # implicit TLS
    root: Path  # everything of this instance: config, users, mail, logs, sockets
    config: Path
    ca_file: Path  # the CA that issued the server certificate (for SSL_CERT_FILE)
    users: dict[str, str] = field(default_factory=dict)  # name -> password
    process: subprocess.Popen | None = field(default=None, repr=False)
    _mail_uid: int = field(default=0, repr=False)
    _counter: Iterator[int] = field(default_factory=itertools.count, repr=False)

    # -- lifecycle ---------------------------------------------------------------------------------------

    @classmethod
    def start(cls, *, imap_capability: str | None = None, idle_notify_seconds: int = 1) -> DovecotServer:
        """Start a fresh instance. `imap_capability` replaces the advertised capabilities (e.g. without
        MOVE); `idle_notify_seconds` is how often an idling client gets "* OK Still here"."""
        for binary in (DOVECOT, DOVEADM):
            if not binary.exists():
                raise DovecotUnavailable(f"{INSTALL_HINT} ({binary} not found)")
        root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        try:
            return cls._start_in(root, imap_capability, idle_notify_seconds)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    @classmethod
    def _start_in(cls, root: Path, imap_capability: str | None, idle_notify_seconds: int) -> DovecotServer:
        as_root = os.geteuid() == 0
        mail_uid = pwd.getpwnam("nobody").pw_uid if as_root else os.getuid()
        for sub in ("run", "state", "mail", "users"):
            (root / sub).mkdir()
        for d in (root, root / "run", root / "state", root / "users"):
            d.chmod(0o755)  # the auth process (user dovecot) reads the users file, imap (nobody) the mail
        (root / "mail").chmod(0o700)
        if as_root:
            os.chown(root / "mail", mail_uid, pwd.getpwuid(mail_uid).pw_gid)
        ca_file, chain, key = write_test_certificates(root)
        last_error = ""
        for _attempt in range(3):  # a free port may be taken between probing and binding it
            port, tls_port = _free_port(), _free_port()
            config = root / "dovecot.conf"
            config.write_text(
                _config_text(root, port, tls_port, chain, key, imap_capability, idle_notify_seconds, as_root)
            )
            config.chmod(0o644)
            server = cls(HOST, port, tls_port, root, config, ca_file, _mail_uid=mail_uid)
            log = (root / "dovecot.out").open("ab")
            server.process = subprocess.Popen(
                [str(DOVECOT), "-F", "-c", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
            log.close()
            if server._wait_ready(timeout=15.0):
                return server
            last_error = server._log_tail()
            server.stop(remove=False)
            if "Address already in use" not in last_error:
                break
        raise DovecotUnavailable(f"Dovecot did not start; its log:\n{last_error}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            if _greets(self.host, self.port) and _accepts(self.host, self.tls_port):
                return True
            time.sleep(0.05)
        return False

    def stop(self, *, remove: bool = True) -> None:
        """Stop the master (it stops its children) and delete the instance's files."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server but keep its mail and configuration: an IMAP outage (`resume` ends it)."""
        self.stop(remove=False)

    def resume(self) -> None:
        """Start the paused server again on the same ports, with the same mail."""
        log = (self.root / "dovecot.out").open("ab")
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(self.config)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        if not self._wait_ready(timeout=15.0):
            raise DovecotUnavailable(f"Dovecot did not start again; its log:\n{self._log_tail()}")

    def _log_tail(self, chars: int = 4000) -> str:
        text = ""
        for name in ("dovecot.out", "dovecot.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return text[-chars:]

    def log_text(self) -> str:
        """The server's log so far (logins show `TLS` when the connection was encrypted)."""
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- users -------------------------------------------------------------------------------------------

    def add_user(self, name: str | None = None, password: str | None = None) -> str:
        """A new user with an empty mailbox; returns the name (its password is `users[name]`)."""
        name = name or f"user{next(self._counter)}"
        if name in self.users:
            raise ValueError(f"user {name} exists")
        if not re.fullmatch(r"[a-z0-9_.-]+", name):
            raise ValueError(f"user name {name!r}: use a-z, 0-9, _ . - only")
        if password is not None and (":" in password or "\n" in password):
            raise ValueError("a password in a passwd-file cannot hold ':' or a line break")
        self.users[name] = password or secrets.token_hex(8)
        self._write_user(name)
        return name

    def _write_user(self, name: str) -> None:
        # One passwd-file per user: Dovecot re-reads a changed file at most once a second, a new file at
        # once, so a user added now can log in now.
        gid = pwd.getpwuid(self._mail_uid).pw_gid
        line = f"{name}:{{PLAIN}}{self.users[name]}:{self._mail_uid}:{gid}::{self.root / 'mail' / name}::\n"
        path = self.root / "users" / name
        path.write_text(line, encoding="utf-8")
        path.chmod(0o644)

    # -- looking into mailboxes --------------------------------------------------------------------------

    def settings(self, user: str, *, tls: str = "plain", **overrides: object) -> MailboxSettings:
        """`MailboxSettings` for `user` on this server: `tls` plain (allowed in tests), starttls or
        implicit (verified: set `SSL_CERT_FILE` to `ca_file`, or pass `verify_tls=False`)."""
        base = MailboxSettings(
            name=f"test-{user}",
            host=self.host,
            port=self.tls_port if tls == "implicit" else self.port,
            tls=tls,
            username=user,
            password=self.users[user],
            timeout_seconds=5.0,
            poll_seconds=1,
        )
        return dataclasses.replace(base, **overrides)

    def client(self, user: str, *, tls: bool = False) -> IMAPClient:
        """A logged-in `IMAPClient` (plain, or implicit TLS verified against `ca_file`); times come
        back timezone-aware. Close it with `logout()`."""
        if tls:
            context = ssl.create_default_context(cafile=str(self.ca_file))
            client = IMAPClient(self.host, self.tls_port, ssl=True, ssl_context=context, timeout=10)
        else:
            client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.normalise_times = False
        password = self.users[user]
        try:
            if password.isascii():
                client.login(user, password)
            else:  # LOGIN is ASCII-only
                client.plain_login(user, password)
        except BaseException:
            client.shutdown()
            raise
        return client

    @contextmanager
    def session(self, user: str) -> Iterator[IMAPClient]:
        client = self.client(user)
        try:
            yield client
        finally:
            client.logout()

    def append(
        self,
        user: str,
        folder: str,
        raw: bytes,
        internaldate: dt.datetime | None = None,
        flags: tuple[str, ...] = (),
    ) -> int:
        """APPEND `raw` to `folder` (created if missing); returns its UID (from APPENDUID)."""
        with self.session(user) as c:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            response = c.append(folder, raw, flags=flags, msg_time=internaldate)
        match = re.search(rb"APPENDUID \d+ (\d+)", response)
        if not match:
            raise AssertionError(f"no APPENDUID in {response!r}")
        return int(match.group(1))

    def folder_uids(self, user: str, folder: str) -> list[int]:
        """The UIDs in `folder`, ascending (read-only: flags are left alone)."""
        with self.session(user) as c:
            c.select_folder(folder, readonly=True)
            return sorted(c.search("ALL"))

    def folders(self, user: str) -> set[str]:
        with self.session(user) as c:
            return {name for _flags, _sep, name in c.list_folders()}

    def flags(self, user: str, folder: str, uid: int) -> tuple[bytes, ...]:
        with self.session(user) as c:
            c.select_folder(folder, readonly=True)
            return tuple(c.fetch([uid], ["FLAGS"])[uid][b"FLAGS"])

    def message(self, user: str, folder: str, uid: int) -> bytes:
        with self.session(user) as c:
            c.select_folder(folder, readonly=True)
            return c.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]

    def uidvalidity(self, user: str, folder: str) -> int:
        with self.session(user) as c:
            return c.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]

    def reset_uidvalidity(self, user: str, folder: str) -> int:
        """Make a real UIDVALIDITY change, as when a server's index is lost or a mailbox is restored.

        The messages stay (same files, same INTERNALDATE) but Dovecot's UID list and indexes are deleted,
        so it renumbers them from 1 under a new UIDVALIDITY. Sessions that have the folder selected are
        dropped by the server ("IMAP session state is inconsistent"). Returns the new UIDVALIDITY.
        """
        before = self.uidvalidity(user, folder)
        control = Path(self._doveadm("mailbox", "path", "-u", user, "-t", "control", folder))
        index = Path(self._doveadm("mailbox", "path", "-u", user, "-t", "index", folder))
        index_root = Path(self._doveadm("mailbox", "path", "-u", user, "-t", "index", "INBOX"))
        doomed = [control / "dovecot-uidlist", *index.glob("dovecot.index*")]
        doomed += index_root.glob("dovecot.list.index*")
        for path in doomed:
            path.unlink(missing_ok=True)
        after = self.uidvalidity(user, folder)
        if after == before:
            raise AssertionError(f"UIDVALIDITY of {user}/{folder} did not change ({before})")
        return after

    def _doveadm(self, *args: str) -> str:
        result = subprocess.run(
            [str(DOVEADM), "-c", str(self.config), *args], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            raise AssertionError(f"doveadm {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout.strip()


@contextmanager
def running_dovecot(*, imap_capability: str | None = None, idle_notify_seconds: int = 1) -> Iterator[DovecotServer]:
    """A Dovecot started for the block (options as `DovecotServer.start`); fails the test if unavailable."""
    try:
        server = DovecotServer.start(imap_capability=imap_capability, idle_notify_seconds=idle_notify_seconds)
    except DovecotUnavailable as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        pytest.fail(problem, pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """The session's Dovecot (started once; users isolate the tests from each other)."""
    with running_dovecot() as server:
        yield server


@pytest.fixture
def imap_user(dovecot: DovecotServer) -> str:
    """A fresh user with an empty mailbox on the session's Dovecot; its password is `dovecot.users[name]`."""
    return dovecot.add_user()


# -- helpers -----------------------------------------------------------------------------------------------


def _config_text(
    root: Path,
    port: int,
    tls_port: int,
    chain: Path,
    key: Path,
    imap_capability: str | None,
    idle_notify_seconds: int,
    as_root: bool,
) -> str:
    me, group = getpass.getuser(), grp.getgrgid(os.getgid()).gr_name
    # Run as root: Dovecot's own unprivileged users. Not root: everything as the current user.
    users = (
        ""
        if as_root
        else f"default_internal_user = {me}\ndefault_internal_group = {group}\ndefault_login_user = {me}\n"
    )
    capability = f"imap_capability = {imap_capability}\n" if imap_capability else ""
    no_chroot = "" if as_root else "  chroot =\n"
    return f"""# Throw-away Dovecot for the tests; everything lives under {root}.
protocols = imap
listen = {HOST}
instance_name = test-{root.name}
base_dir = {root / "run"}
state_dir = {root / "state"}
log_path = {root / "dovecot.log"}
{users}first_valid_uid = 1
ssl = yes
ssl_cert = <{chain}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0  # and no auth penalty (anvil below): a wrong-password test must not slow the rest
login_trusted_networks =
mail_location = maildir:~/Maildir
mail_max_userip_connections = 100
imap_idle_notify_interval = {idle_notify_seconds} secs
{capability}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root / "users"}/%u
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root / "users"}/%u
}}
service imap-login {{
{no_chroot}  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def write_test_certificates(root: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for localhost / 127.0.0.1 it issued."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Gateway test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file, chain, key_file = root / "ca.pem", root / "server.pem", root / "server.key"
    ca_file.write_bytes(ca.public_bytes(pem))
    chain.write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    for path in (ca_file, chain):
        path.chmod(0o644)
    key_file.chmod(0o600)  # read by Dovecot's config process, which runs as the invoking user
    return ca_file, chain, key_file


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _greets(host: str, port: int) -> bool:
    """True once the plain port sends its IMAP greeting."""
    try:
        with socket.create_connection((host, port), timeout=2.0) as s:
            return s.recv(64).startswith(b"* OK")
    except OSError:
        return False


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2.0):
            return True
    except OSError:
        return False
