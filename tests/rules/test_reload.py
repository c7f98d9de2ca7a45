"""Hot reload: real rule files on disk, edited while a `RuleBook` holds them."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from gateway.models import Delivery, LegalValue, Metadata
from gateway.rules import RuleBook, RuleError, RuleFacts, RulesSettings

LOCAL = """[profile]
title = "Sở Tài chính — thử tải lại"
extends = "national"

[sources]
KH = "Quy định ban hành kèm theo Quyết định số 20/2014/QĐ-UBND"

[[rule]]
id = "reports"
basis = "KH Đ5.5"
description = "Báo cáo định kỳ"
action = "{action}"
when = {{ field = "metadata.doc_type", {operator} = "bao_cao" }}
"""

REPORT = RuleFacts(
    metadata=Metadata(doc_type="bao_cao", subject="Báo cáo tháng 6"),
    legal_value=LegalValue.EQUIVALENT_TO_PAPER,
)


def edit(path: Path, text: str) -> None:
    """Rewrite a rule file the way an editor does, and make sure its mtime moves even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


@pytest.fixture
def local(tmp_path: Path) -> Path:
    path = tmp_path / "local.toml"
    edit(path, LOCAL.format(action="electronic_only", operator="equals"))
    return path


def test_good_edit_is_picked_up_and_unchanged_files_are_not_reread(tmp_path: Path, local: Path) -> None:
    book = RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path)
    first = book.current()
    assert book.current() is first and book.reloads == 0
    assert book.decide(REPORT).delivery is Delivery.ELECTRONIC_ONLY
    edit(local, LOCAL.format(action="paper_also", operator="equals"))
    second = book.current()
    assert second is not first and book.reloads == 1
    assert book.decide(REPORT).delivery is Delivery.PAPER_ALSO
    assert book.current() is second


def test_broken_edit_keeps_the_last_good_rules_logs_and_tells_the_admin_once(
    tmp_path: Path, local: Path, caplog: pytest.LogCaptureFixture
) -> None:
    told: list[str] = []
    book = RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path, on_error=told.append)
    good = book.current()
    edit(local, LOCAL.format(action="paper_also", operator="equalz"))
    with caplog.at_level(logging.ERROR, logger="gateway.rules.reload"):
        assert book.current() is good
        assert book.current() is good  # asked again: no second report
    assert book.decide(REPORT).delivery is Delivery.ELECTRONIC_ONLY  # still the old rule
    assert len(told) == 1
    assert f"{local}:13: rule reports: unknown operator 'equalz' (did you mean 'equals'?)" in told[0]
    assert "vẫn dùng bộ quy tắc hợp lệ trước đó" in told[0]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "last good rules stay in use" in record.getMessage() and "equalz" in record.getMessage()
    # The admin fixes the file: the new rules apply, nobody is told anything more.
    edit(local, LOCAL.format(action="paper_only", operator="equals"))
    assert book.decide(REPORT).delivery is Delivery.PAPER_ONLY
    assert len(told) == 1
    # Broken again, differently: reported again.
    edit(local, LOCAL.format(action="paper", operator="equals"))
    assert book.decide(REPORT).delivery is Delivery.PAPER_ONLY
    assert len(told) == 2 and "unknown action 'paper'" in told[1]


def test_deleted_file_keeps_the_last_good_rules(tmp_path: Path, local: Path) -> None:
    told: list[str] = []
    book = RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path, on_error=told.append)
    local.unlink()
    assert book.decide(REPORT).delivery is Delivery.ELECTRONIC_ONLY
    assert len(told) == 1 and "no such profile" in told[0]


def test_a_new_file_shadowing_the_parent_triggers_a_reload(tmp_path: Path, local: Path) -> None:
    """`extends = "national"` found the shipped file; an admin's own national.toml next to it wins."""
    book = RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path)
    secret = RuleFacts(metadata=Metadata(secrecy="mat"))
    assert book.decide(secret).rule == "secret"
    edit(
        tmp_path / "national.toml",
        '[profile]\ntitle = "Riêng"\n[sources]\nTTg = "QĐ 28"\n'
        '[[rule]]\nid = "default"\nbasis = "TTg Đ5.3"\ndescription = "Mặc định"\naction = "paper_also"\n',
    )
    assert book.decide(secret).rule == "default"
    assert book.current().chain == (local, tmp_path / "national.toml")


def test_notify_admin_false_only_logs(tmp_path: Path, local: Path, caplog: pytest.LogCaptureFixture) -> None:
    told: list[str] = []
    settings = RulesSettings(profile="local", dir=tmp_path, notify_admin=False)
    book = RuleBook(settings, tmp_path, on_error=told.append)
    edit(local, "not toml at all [")
    with caplog.at_level(logging.ERROR, logger="gateway.rules.reload"):
        book.current()
    assert told == [] and "TOML syntax error" in caplog.text


def test_a_failing_callback_does_not_break_current(tmp_path: Path, local: Path) -> None:
    def boom(message: str) -> None:
        raise OSError("mail server down")

    book = RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path, on_error=boom)
    good = book.current()
    edit(local, "[profile]\n")
    assert book.current() is good


def test_first_load_must_succeed(tmp_path: Path) -> None:
    edit(tmp_path / "local.toml", LOCAL.format(action="electronic_only", operator="matchez"))
    with pytest.raises(RuleError) as caught:
        RuleBook(RulesSettings(profile="local", dir=tmp_path), tmp_path)
    assert "matchez" in str(caught.value)


def test_agency_aliases_from_settings_reach_the_facts(tmp_path: Path) -> None:
    """R12: `[rules] agency_aliases` lets 'Sở TC' on a Nơi nhận list name us."""
    settings = RulesSettings(profile="bac-giang", dir=tmp_path, agency_aliases=("Sở TC",))
    book = RuleBook(settings, tmp_path)
    facts = RuleFacts(
        metadata=Metadata(recipients_paper=("Sở TC;",), recipients_electronic=("Sở Nội vụ;",)),
        legal_value=LegalValue.EQUIVALENT_TO_PAPER,
        receiving_agency="Sở Tài chính tỉnh Bắc Giang",
    )
    assert book.decide(facts).rule == "bg-paper-list"
    assert book.explain(facts).decision.rule == "bg-paper-list"
