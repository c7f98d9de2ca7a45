"""What an admin sees, read-only: the rules in force, the trust store, the agency directory, the users, and
the replies the outbox gave up on."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.config import ConfigError
from gateway.directory import load_directory_from_settings
from gateway.pdf.signatures import signature_settings
from gateway.register.schema import OutboxRow
from gateway.rules import RuleError, load_profile, rules_settings
from gateway.trust import load_trust_store
from gateway.web.app import render, workplace
from gateway.web.users import ROLE_VI, Role, User, list_users


def _certificates(folder: Path | None) -> tuple[list[dict], str | None]:
    try:
        store = load_trust_store(folder)
    except ConfigError as exc:
        return [], str(exc)
    rows = []
    for kind, certs in (("gốc", store.roots), ("trung gian", store.intermediates)):
        for c in certs:
            validity = c["tbs_certificate"]["validity"]
            rows.append(
                {
                    "kind": kind,
                    "subject": c.subject.human_friendly,
                    "sha256": hashlib.sha256(c.dump()).hexdigest().upper(),
                    "not_before": validity["not_before"].native,
                    "not_after": validity["not_after"].native,
                }
            )
    return rows, None


def overview(request: Request, _user: User, _form: FormData | None) -> Response:
    wp = workplace(request)
    settings = wp.settings
    rs = rules_settings(settings.section("rules"))
    try:
        profile, rules_error = load_profile(rs.profile, rs, base_dir=settings.base_dir), None
    except RuleError as exc:
        profile, rules_error = None, str(exc)
    trust_dir = signature_settings(settings.section("signatures")).trust_dir
    certificates, trust_error = _certificates(trust_dir)
    try:
        agencies, directory_error = load_directory_from_settings(settings).agencies, None
    except ConfigError as exc:
        agencies, directory_error = (), str(exc)
    with wp.readers() as s:
        failed = list(s.scalars(select(OutboxRow).where(OutboxRow.state == "failed").order_by(OutboxRow.id.desc())))
        users = list_users(s)
    return render(
        request,
        "admin.html",
        profile=profile,
        rules_error=rules_error,
        trust_dir=trust_dir,
        certificates=certificates,
        trust_error=trust_error,
        agencies=agencies,
        directory_error=directory_error,
        failed=failed,
        users=[(u, ROLE_VI[Role(u.role)]) for u in users],
    )
