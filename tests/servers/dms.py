"""A stand-in for the agency's DMS over HTTP (aiohttp, in a thread): the vendor-SDK endpoints the gateway's
`edxml-http` backend speaks, with what a real one does and what the tests need to provoke.

- `POST /sendEdoc` keeps each package once per (docId, messageType) — the DMS de-duplicates on docId, as
  the exchange axis does — and checks the bearer token and the body's SHA-256 header. Every POST is
  logged in `posts`, so a test sees how often a package was *sent* as well as how often it was *kept*.
- `fail_next(status, n)` answers the next n requests with that HTTP status; `on_post` runs before a
  package is answered (a test may kill the gateway there, mid-hand-off).
- `stop()` takes the server down (connection refused); `start()` brings it back on the same port.
- `add_status(id, package)` queues a status package for `/getReceivedEdocList` and `/getEdoc`;
  `/updateStatus` records what the gateway did with it in `handled`.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from gateway.samples.sink import free_port


@dataclass
class DmsServer:
    token: str | None = None
    port: int = 0
    kept: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (docId, messageType) → package
    posts: list[tuple[str, str]] = field(default_factory=list)  # every POST /sendEdoc
    statuses: dict[str, bytes] = field(default_factory=dict)
    handled: dict[str, str] = field(default_factory=dict)  # status id → done | fail
    on_post: Callable[[str], None] | None = None
    tls: ssl.SSLContext | None = None  # serve HTTPS with this context
    _errors: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def fail_next(self, status: int, n: int = 1) -> None:
        with self._lock:
            self._errors.extend([status] * n)

    def add_status(self, ref: str, package: bytes) -> None:
        with self._lock:
            self.statuses[ref] = package

    def _error(self) -> web.Response | None:
        with self._lock:
            status = self._errors.pop(0) if self._errors else None
        return web.json_response({"status": "FAIL", "message": "lỗi thử nghiệm"}, status=status) if status else None

    def _authorised(self, request: web.Request) -> bool:
        return self.token is None or request.headers.get("Authorization") == f"Bearer {self.token}"

    async def _send(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"status": "FAIL", "message": "unauthorised"}, status=401)
        body = await request.read()
        doc_id = urllib.parse.unquote(request.headers.get("docId", ""))
        kind = request.headers.get("messageType", "")
        if request.headers.get("sha256") != hashlib.sha256(body).hexdigest():
            return web.json_response({"status": "FAIL", "message": "checksum"}, status=400)
        with self._lock:
            self.posts.append((doc_id, kind))
        if self.on_post is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_post, doc_id)
        error = self._error()
        if error is not None:
            return error
        with self._lock:
            self.kept.setdefault((doc_id, kind), body)
            number = len(self.kept)
        return web.json_response({"status": "OK", "id": f"dms-{number}", "docId": doc_id})

    async def _list(self, request: web.Request) -> web.Response:
        error = self._error()
        if error is not None:
            return error
        with self._lock:
            waiting = [{"id": ref} for ref in self.statuses if ref not in self.handled]
        return web.json_response({"data": waiting})

    async def _get(self, request: web.Request) -> web.Response:
        ref = request.headers.get("docId", "")
        with self._lock:
            data = self.statuses.get(ref)
        if data is None:
            return web.json_response({"status": "FAIL"}, status=404)
        return web.Response(body=data, content_type="application/xml")

    async def _update(self, request: web.Request) -> web.Response:
        with self._lock:
            self.handled[request.headers.get("docId", "")] = request.headers.get("status", "")
        return web.json_response({"status": "OK"})

    def start(self) -> DmsServer:
        self.port = self.port or free_port()
        app = web.Application(client_max_size=200 * 1024 * 1024)
        app.add_routes(
            [
                web.post("/sendEdoc", self._send),
                web.get("/getReceivedEdocList", self._list),
                web.get("/getEdoc", self._get),
                web.post("/updateStatus", self._update),
            ]
        )
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True, ssl_context=self.tls)
            self._loop.run_until_complete(site.start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="dms-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the stand-in DMS did not start")
        return self

    def stop(self) -> None:
        """Down: the port refuses connections until `start()`."""
        if self._loop is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = self._runner = self._thread = None


@pytest.fixture
def dms_server() -> Iterator[DmsServer]:
    server = DmsServer(token="bí-mật-thử-nghiệm".encode().hex()).start()
    try:
        yield server
    finally:
        server.stop()
