"""Logging in and out: argon2 passwords, a server-side session per login, a throttle on failures, every
login and logout (and every failed attempt) in the audit log."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.register.audit import audit
from gateway.web.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE, redirect, remote, render, workplace
from gateway.web.security import same_token
from gateway.web.users import User, authenticate, end_session, start_session


def _secure(request: Request) -> bool:
    return workplace(request).web.secure_cookie or request.url.scheme == "https"


def _next(value: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    if not value:
        return "/register"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/register"
    return value


def _login_page(request: Request, *, status: int = 200, message: str | None = None, next_url: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status=status, login_csrf=token, message=message, next_url=next_url)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), max_age=3600
    )
    return response


async def login_form(request: Request) -> Response:
    return await run_in_threadpool(_login_page, request, next_url=_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_login, request, form)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _login(request: Request, form: FormData) -> Response:
    wp = workplace(request)
    next_url = _next(_text(form, "next"))
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), _text(form, "csrf")):
        return _login_page(
            request, status=403, message="Biểu mẫu đăng nhập không hợp lệ; hãy thử lại.", next_url=next_url
        )
    username = _text(form, "username").strip().lower()[:64]
    address = remote(request) or "?"
    keys = (f"user:{username}", f"addr:{address}")
    wait = wp.throttle.blocked_for(*keys)
    if wait > 0:
        minutes = int(wait // 60) + 1
        message = f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút."
        return _login_page(request, status=429, message=message, next_url=next_url)
    with wp.writers.begin() as s:
        user = authenticate(s, username, _text(form, "password"))
        if user is None:
            audit(s, username or "?", "login_failed", remote=address)
        else:
            token = start_session(s, user, hours=wp.web.session_hours, remote=address)
            audit(s, user.actor, "login", remote=address)
    if user is None:
        wp.throttle.failed(*keys)
        return _login_page(request, status=401, message="Sai tên đăng nhập hoặc mật khẩu.", next_url=next_url)
    wp.throttle.succeeded(*keys)
    response = redirect(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=wp.web.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def logout(request: Request, user: User, _form: FormData | None) -> Response:
    wp = workplace(request)
    with wp.writers.begin() as s:
        end_session(s, request.cookies.get(SESSION_COOKIE))
        audit(s, user.actor, "logout", remote=remote(request))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response
