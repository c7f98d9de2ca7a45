"""`[web]` in config.toml: where the workplace listens, the units documents are handed to, session and
login limits."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.config import Section, Settings


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"  # loopback only; put a TLS reverse proxy in front for other machines
    port: int = 8080
    units: tuple[str, ...] = ()  # chuyển xử lý: the units and people documents go to (empty: typed freely)
    session_hours: int = 10
    secure_cookie: bool = False  # always mark the session cookie Secure (it is anyway over HTTPS)
    login_attempts: int = 5  # failed logins allowed per user name and per address …
    login_window_minutes: int = 15  # … in this many minutes
    forwarded_allow_ips: tuple[str, ...] = ("127.0.0.1",)  # reverse proxies whose X-Forwarded-* to believe


def web_settings(settings: Settings) -> WebSettings:
    sec: Section = settings.section("web")
    w = WebSettings(
        host=sec.str("host", WebSettings.host),
        port=sec.int("port", WebSettings.port, minimum=0),
        units=sec.str_list("units", ()),
        session_hours=sec.int("session_hours", WebSettings.session_hours, minimum=1),
        secure_cookie=sec.bool("secure_cookie", False),
        login_attempts=sec.int("login_attempts", WebSettings.login_attempts, minimum=1),
        login_window_minutes=sec.int("login_window_minutes", WebSettings.login_window_minutes, minimum=1),
        forwarded_allow_ips=sec.str_list("forwarded_allow_ips", WebSettings.forwarded_allow_ips),
    )
    sec.check_unknown()
    return w
