"""Talking to the workplace like a browser does, through Starlette's TestClient."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from gateway.web.app import create_app
from tests.web.conftest import PASSWORDS, Workplace

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def client(wp: Workplace) -> TestClient:
    return TestClient(create_app(wp.settings, stages=wp.stages), follow_redirects=False)


def login(c: TestClient, username: str, password: str | None = None):
    page = c.get("/login")
    token = CSRF.search(page.text)
    assert token, page.text
    return c.post(
        "/login",
        data={"username": username, "password": password or PASSWORDS[username], "csrf": token.group(1), "next": ""},
    )


def logged_in(wp: Workplace, username: str) -> TestClient:
    c = client(wp)
    response = login(c, username)
    assert response.status_code == 303, response.text
    return c


def csrf_of(c: TestClient, path: str = "/register") -> str:
    match = CSRF.search(c.get(path).text)
    assert match
    return match.group(1)


def post(c: TestClient, path: str, data: dict | None = None, *, csrf: bool = True):
    form = dict(data or {})
    if csrf:
        form["csrf"] = csrf_of(c)
    return c.post(path, data=form)
