"""The workplace application: routes, who may see and do what, and the page frame.

Every page handler is a plain function `(request, user, form) -> Response`, run in a worker thread, wrapped
by `page()` which looks the session up, enforces the role, checks the CSRF token of every POST and hands
over the parsed form. Reads go through the reader sessions (never waiting behind the daemon's writer);
writes through the writer sessions, each with its audit row in the same transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.config import Settings
from gateway.models import LetterState
from gateway.pipeline import Stages
from gateway.register.db import open_database, open_reader
from gateway.register.schema import LetterRow
from gateway.resources import version
from gateway.urgency import name_vi
from gateway.vntime import VN_TZ, in_vietnam, vn_datetime
from gateway.web.security import LoginThrottle, SecurityHeaders, same_token
from gateway.web.settings import WebSettings, web_settings
from gateway.web.users import User, WebSession, find_session
from gateway.wording import DELIVERY_VI, LETTER_STATE_VI, OUTCOME_VI, SECRECY_VI, doc_type_name

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "gw_session"
LOGIN_CSRF_COOKIE = "gw_login_csrf"

Handler = Callable[[Request, User, FormData | None], Response]


@dataclass
class Workplace:
    """What every request needs: settings, the two session factories, the login throttle, templates, and
    the pipeline's stages (built on first use: only a release or a refusal needs them)."""

    settings: Settings
    web: WebSettings
    readers: sessionmaker[Session]
    writers: sessionmaker[Session]
    templates: Environment
    throttle: LoginThrottle
    _stages: Stages | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def stages(self) -> Stages:
        with self._lock:
            if self._stages is None:
                from gateway.pipeline import build_stages

                self._stages = build_stages(self.settings)
            return self._stages


def workplace(request: Request) -> Workplace:
    return request.app.state.workplace


def _day(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = in_vietnam(value)
    return f"{value:%d/%m/%Y}"


def _when(value: Any) -> str:
    return vn_datetime(value) if value else ""


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["gateway_version"] = version()
    env.filters.update(
        day=_day,
        when=_when,
        urgency=name_vi,
        doc_type=doc_type_name,
        delivery=lambda code: DELIVERY_VI.get(code or "", code or ""),
        outcome=lambda code: OUTCOME_VI.get(code or "", code or ""),
        letter_state=lambda code: LETTER_STATE_VI.get(code or "", code or ""),
        secrecy=lambda code: SECRECY_VI.get(code or "", code or ""),
    )
    return env


def remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    wp = workplace(request)
    session: WebSession | None = getattr(request.state, "session", None)
    with wp.readers() as s:
        waiting = s.scalar(select(func.count(LetterRow.id)).where(LetterRow.state == LetterState.QUARANTINED))
    html = wp.templates.get_template(template).render(
        request=request,
        user=session.user if session else None,
        csrf=session.csrf_token if session else "",
        agency=wp.settings.agency,
        waiting=waiting or 0,
        today=datetime.now(VN_TZ).date(),
        query=lambda **kw: urlencode({k: v for k, v in kw.items() if v not in (None, "", False)}),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def problem(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "problem.html", status=status, message=message)


def text(form: FormData | None, name: str, *, limit: int = 2000) -> str:
    """A form field as NFC text, trimmed (a file upload or a missing field is empty)."""
    from gateway.vntext import nfc

    value = form.get(name) if form is not None else None
    return nfc(value).strip()[:limit] if isinstance(value, str) else ""


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def page(handler: Handler, *, act: bool = False, admin: bool = False) -> Callable[[Request], Any]:
    """An endpoint for `handler`: logged-in users only; `act`: văn thư and admin only (lãnh đạo reads);
    `admin`: admin only. Every POST must carry the session's CSRF token."""

    async def endpoint(request: Request) -> Response:
        wp = workplace(request)
        token = request.cookies.get(SESSION_COOKIE)

        def lookup() -> WebSession | None:
            with wp.readers() as s:
                return find_session(s, token)

        session = await run_in_threadpool(lookup)
        if session is None:
            if request.method == "GET":
                return redirect(
                    "/login?"
                    + urlencode({"next": request.url.path + (f"?{request.url.query}" if request.url.query else "")})
                )
            return await run_in_threadpool(problem, request, 401, "Phiên làm việc đã hết hạn; hãy đăng nhập lại.")
        request.state.session = session
        user = session.user
        if (admin and user.role != "admin") or (act and not user.can_act):
            return await run_in_threadpool(
                problem, request, 403, f"Tài khoản {user.role_vi} không được thực hiện việc này."
            )
        form = None
        if request.method == "POST":
            form = await request.form()
            if not same_token(session.csrf_token, text(form, "csrf")):
                return await run_in_threadpool(
                    problem,
                    request,
                    403,
                    "Biểu mẫu không hợp lệ (thiếu mã xác thực CSRF); hãy tải lại trang và thử lại.",
                )
        return await run_in_threadpool(handler, request, user, form)

    return endpoint


def create_app(
    settings: Settings,
    *,
    readers: sessionmaker[Session] | None = None,
    writers: sessionmaker[Session] | None = None,
    stages: Stages | None = None,
) -> Starlette:
    """The workplace on the register of `settings` (its database; no mailbox or SMTP secret needed)."""
    from gateway.web import admin, auth, documents, pages, quarantine, reports

    web = web_settings(settings)
    wp = Workplace(
        settings=settings,
        web=web,
        readers=readers or open_reader(settings.database_url),
        writers=writers or open_database(settings.database_url),
        templates=_environment(),
        throttle=LoginThrottle(web.login_attempts, web.login_window_minutes * 60.0),
        _stages=stages,
    )
    routes = [
        Route("/", lambda request: redirect("/register")),
        Route("/login", auth.login_form, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", page(auth.logout), methods=["POST"]),
        Route("/register", page(pages.register)),
        Route("/entries/{entry_id:int}", page(pages.entry)),
        Route("/entries/{entry_id:int}/paper", page(pages.paper, act=True), methods=["POST"]),
        Route("/entries/{entry_id:int}/assign", page(pages.assign_entry, act=True), methods=["POST"]),
        Route("/entries/{entry_id:int}/note", page(pages.note, act=True), methods=["POST"]),
        Route("/letters/{letter_id:int}", page(pages.letter)),
        Route("/letters/{letter_id:int}/raw", page(documents.raw_letter)),
        Route("/letters/{letter_id:int}/documents/{sha256:str}", page(documents.document)),
        Route("/quarantine", page(quarantine.listing)),
        Route("/letters/{letter_id:int}/release", page(quarantine.release, act=True), methods=["POST"]),
        Route("/letters/{letter_id:int}/refuse", page(quarantine.refuse, act=True), methods=["POST"]),
        Route("/letters/{letter_id:int}/reprocess", page(quarantine.reprocess, act=True), methods=["POST"]),
        Route("/official-register", page(reports.official_register)),
        Route("/official-register.{fmt:str}", page(reports.official_register_file)),
        Route("/report", page(reports.report)),
        Route("/report.{fmt:str}", page(reports.report_file)),
        Route("/admin", page(admin.overview, admin=True)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.workplace = wp
    return app
