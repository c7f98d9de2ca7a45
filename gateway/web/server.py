"""The workplace served by uvicorn in a background thread (the demo, the browser tests)."""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.applications import Starlette


class WebServer:
    def __init__(self, app: Starlette, *, host: str = "127.0.0.1", port: int):
        self.host, self.port = host, port
        self._server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False, lifespan="off")
        )
        self._thread = threading.Thread(target=self._server.run, name="web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> WebServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web workplace did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
