"""`edxml-http`: the DMS's HTTP endpoints in the style of the vendor SDKs of the national exchange axis.

- `POST /sendEdoc` — the package as the body; headers `from` (our identifier), `to` (the DMS's),
  `messageType` (`edoc`, `revocation`, `replacement`), `docId` (the DocumentId: the DMS de-duplicates on
  it, so a hand-off retried after a crash is not taken twice), `serviceType: eDoc`, `sha256` of the body.
- `GET /getReceivedEdocList` with `messageType: status` — a JSON list (or `{"data": [...]}`) of the status
  packages waiting, each with an `id`; `GET /getEdoc` with header `docId: <id>` gives one package;
  `POST /updateStatus` with `docId` and `status: done | fail` marks it handled.

TLS with the system CAs or the admin's private CA (`ca_file`), and a bearer token and/or a client
certificate. Connection failures, timeouts, 408, 429 and 5xx are `DmsUnavailable` (retried); any other
4xx is `DmsRejected` with the DMS's answer.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from gateway.register.backend import DmsRejected, DmsUnavailable, IncomingPackage, OutgoingPackage, Receipt
from gateway.register.dms_settings import HttpSettings
from gateway.resources import user_agent
from gateway.tls import client_context

_RETRYABLE = {408, 425, 429}


class HttpBackend:
    name = "edxml-http"

    def __init__(self, settings: HttpSettings, *, our_organ_id: str | None):
        self.settings = settings
        self.our_organ_id = our_organ_id or ""
        self._context: ssl.SSLContext | None = None
        if settings.url.startswith("https://"):
            self._context = client_context(verify=settings.verify_tls, ca_file=settings.ca_file)
            if settings.client_cert is not None:
                key = str(settings.client_key) if settings.client_key else None
                self._context.load_cert_chain(str(settings.client_cert), key)

    def _headers(self, **extra: str) -> dict[str, str]:
        headers = {
            "User-Agent": user_agent(),
            "from": self.our_organ_id,
            "to": self.settings.organ_id or self.our_organ_id,
            **extra,
        }
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        return headers

    def _call(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> bytes:
        request = urllib.request.Request(f"{self.settings.url}{path}", data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds, context=self._context) as r:
                return r.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            message = f"{method} {path}: HTTP {exc.code} {detail}".strip()
            if exc.code >= 500 or exc.code in _RETRYABLE:
                raise DmsUnavailable(message) from exc
            raise DmsRejected(message) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, reset, timeout, TLS
            raise DmsUnavailable(f"{method} {path}: {exc}") from exc

    def _send(self, package: OutgoingPackage) -> Receipt:
        headers = self._headers(
            messageType=package.kind,
            docId=package.document_id,
            serviceType="eDoc",
            sha256=hashlib.sha256(package.data).hexdigest(),
        )
        headers["Content-Type"] = "application/xml; charset=utf-8"
        # Header values must be Latin-1 on the wire; a DocumentId carries Vietnamese (QĐ): percent-encode it.
        headers = {k: urllib.parse.quote(v, safe=" ,/:.@-_=") for k, v in headers.items()}
        answer = _json(self._call("POST", "/sendEdoc", headers, package.data))
        reference = answer.get("id") or answer.get("docId") if isinstance(answer, dict) else None
        return Receipt(str(reference) if reference else package.document_id)

    def register(self, package: OutgoingPackage) -> Receipt:
        return self._send(package)

    def recall(self, package: OutgoingPackage) -> Receipt:
        return self._send(package)

    def poll_statuses(self) -> list[IncomingPackage]:
        listing = _json(self._call("GET", "/getReceivedEdocList", self._headers(messageType="status")))
        items = listing.get("data", []) if isinstance(listing, dict) else listing
        found = []
        for item in items if isinstance(items, list) else []:
            ref = str(item.get("id") or item.get("docId") or "") if isinstance(item, dict) else str(item)
            if ref:
                found.append(IncomingPackage(ref, self._call("GET", "/getEdoc", self._headers(docId=ref))))
        return found

    def update_status(self, incoming: IncomingPackage, handled: bool, note: str | None = None) -> None:
        headers = self._headers(docId=incoming.reference, status="done" if handled else "fail")
        headers["Content-Type"] = "application/json"
        body = json.dumps({"note": note or ""}, ensure_ascii=False).encode("utf-8")
        self._call("POST", "/updateStatus", headers, body)


def _json(data: bytes) -> Any:
    if not data.strip():
        return {}
    try:
        return json.loads(data)
    except ValueError:
        return {}
