"""`gateway outbox list [--failed]` and `gateway outbox retry ID` against a real register (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from typer.testing import CliRunner

from gateway.cli import app
from gateway.config import load_settings
from gateway.outbox import enqueue
from gateway.register.db import open_database
from gateway.register.schema import OutboxRow
from gateway.replies import Rendered, build_message

runner = CliRunner()


def test_list_failed_then_retry(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n', encoding="utf-8")
    sessions = open_database(load_settings(cfg).database_url)
    with sessions.begin() as s:
        for i, state in enumerate(("sent", "failed", "pending")):
            msg = build_message(
                Rendered("Thông báo", "Nội dung\n"),
                from_address="vanthu@ubnd.example.gov.vn",
                from_name="Văn thư",
                to=f"so{i}@example.gov.vn",
                message_id=f"<n{i}@ubnd.example.gov.vn>",
                in_reply_to=None,
            )
            row = enqueue(s, letter_id=None, kind="rules_error", message=msg, recipients=[f"so{i}@example.gov.vn"])
            row.state, row.attempts = state, 8 if state == "failed" else 0
            row.last_error = "SMTPRecipientsRefused: 550 no such user" if state == "failed" else None
            if state == "sent":
                row.sent_at = datetime.now(UTC)
    result = runner.invoke(app, ["outbox", "list", "--failed", "--json", "-c", str(cfg)])
    assert result.exit_code == 0, result.output
    failed = json.loads(result.output)
    assert [(d["recipients"], d["attempts"]) for d in failed] == [(["so1@example.gov.vn"], 8)]
    assert "550" in failed[0]["last_error"]
    everything = json.loads(runner.invoke(app, ["outbox", "list", "--json", "-c", str(cfg)]).output)
    assert [d["state"] for d in everything] == ["pending", "failed", "sent"]
    table = runner.invoke(app, ["outbox", "list", "--failed", "-c", str(cfg)])
    assert "so1@example.gov.vn" in table.output and "so0@" not in table.output

    result = runner.invoke(app, ["outbox", "retry", str(failed[0]["id"]), "-c", str(cfg)])
    assert result.exit_code == 0, result.output
    with sessions() as s:
        row = s.get_one(OutboxRow, failed[0]["id"])
        assert (row.state, row.attempts) == ("pending", 0)
    sent_id = everything[2]["id"]
    result = runner.invoke(app, ["outbox", "retry", str(sent_id), "-c", str(cfg)])
    assert result.exit_code == 1 and "not sent twice" in result.output
    assert runner.invoke(app, ["outbox", "retry", "999", "-c", str(cfg)]).exit_code == 1
