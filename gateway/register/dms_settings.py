"""`[dms]`: which DMS backends register the documents, and how hand-offs, outages and statuses behave.

[dms]
backends = ["builtin", "edxml-http"]   # builtin (the SQL register) always; plus edxml-folder / edxml-http
alert_after_minutes = 30               # tell [alerts] admin when a DMS has been down this long (R19)
notify_statuses = ["02", "03", "06"]   # status codes the e-mail sender is told of (R15)
retry_base_seconds = 30                # back-off of a DMS that is down: doubles up to retry_max_seconds
retry_max_seconds = 1800
lease_seconds = 120                    # a hand-off in progress is retried after this if its sender died
poll_seconds = 60                      # how often status packages are fetched
attach_original_email = false          # add the sender's e-mail (.eml) to each document package

[dms.folder]                           # edxml-folder: the DMS imports from / writes to shared folders
outgoing = "dms/outgoing"
incoming = "dms/incoming"

[dms.http]                             # edxml-http: the vendor-SDK endpoints
url = "https://qlvb.example.gov.vn/edoc"
organ_id = "000.00.00.H34"             # the DMS's identifier (the `to` header); default: [agency] code
token_env = "GATEWAY_DMS_TOKEN"        # bearer token (or token = "…"), and/or a client certificate:
# client_cert = "pki/gateway.pem"      # client_key = "pki/gateway.key"
# ca_file = "pki/province-ca.pem"      # the DMS's private CA
timeout_seconds = 30
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gateway.config import Section
from gateway.edxml import STATUS_NAMES

BACKENDS = ("builtin", "edxml-folder", "edxml-http")


@dataclass(frozen=True)
class FolderSettings:
    outgoing: Path
    incoming: Path


@dataclass(frozen=True)
class HttpSettings:
    url: str
    organ_id: str | None = None
    token: str | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_file: Path | None = None
    verify_tls: bool = True
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class DmsSettings:
    backends: tuple[str, ...] = ("builtin",)
    folder: FolderSettings | None = None
    http: HttpSettings | None = None
    alert_after_minutes: float = 30.0
    notify_statuses: tuple[str, ...] = ("02", "03", "06")
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 1800.0
    lease_seconds: float = 120.0
    poll_seconds: int = 60
    attach_original_email: bool = False

    @property
    def destinations(self) -> tuple[str, ...]:
        """The DMS backends that receive hand-offs through the queue (all but builtin)."""
        return tuple(b for b in self.backends if b != "builtin")


def _file(sec: Section, name: str) -> Path | None:
    path = sec.path_value(name, None)
    if path is not None and not path.is_file():
        raise sec.error(name, f"no such file: {path}")
    return path


def dms_settings(sec: Section) -> DmsSettings:
    backends = sec.str_list("backends", ("builtin",))
    for b in backends:
        if b not in BACKENDS:
            raise sec.error("backends", f"{b!r} is not one of {', '.join(BACKENDS)}")
    if "builtin" not in backends:
        raise sec.error("backends", "must include builtin: the SQL register keeps the incoming numbers and history")
    if len(set(backends)) != len(backends):
        raise sec.error("backends", "lists a backend twice")
    folder = http = None
    f = sec.table("folder")
    if "edxml-folder" in backends:
        folder = FolderSettings(outgoing=f.path_value("outgoing"), incoming=f.path_value("incoming"))
    f.check_unknown()
    h = sec.table("http")
    if "edxml-http" in backends:
        url = h.str("url")
        if not re.match(r"^https?://[^/\s]+", url):
            raise h.error("url", f"{url!r} is not an http:// or https:// URL")
        http = HttpSettings(
            url=url.rstrip("/"),
            organ_id=h.str("organ_id", None),
            token=h.secret("token"),
            client_cert=_file(h, "client_cert"),
            client_key=_file(h, "client_key"),
            ca_file=_file(h, "ca_file"),
            verify_tls=h.bool("verify_tls", True),
            timeout_seconds=h.float("timeout_seconds", 30.0, minimum=0.1),
        )
    h.check_unknown()
    notify = sec.str_list("notify_statuses", ("02", "03", "06"))
    for code in notify:
        if code not in STATUS_NAMES:
            raise sec.error("notify_statuses", f"{code!r} is not a status code ({', '.join(STATUS_NAMES)})")
    settings = DmsSettings(
        backends=backends,
        folder=folder,
        http=http,
        alert_after_minutes=sec.float("alert_after_minutes", 30.0, minimum=0),
        notify_statuses=notify,
        retry_base_seconds=sec.float("retry_base_seconds", 30.0, minimum=0),
        retry_max_seconds=sec.float("retry_max_seconds", 1800.0, minimum=0),
        lease_seconds=sec.float("lease_seconds", 120.0, minimum=1),
        poll_seconds=sec.int("poll_seconds", 60, minimum=1),
        attach_original_email=sec.bool("attach_original_email", False),
    )
    sec.check_unknown()
    return settings
