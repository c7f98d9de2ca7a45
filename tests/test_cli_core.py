"""The core CLI: `gateway check` (the dry-run verdict of DESIGN.md), `gateway register …`, `gateway demo`."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from gateway.cli import app
from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.sql import history
from gateway.samples.render import SampleDoc, render_document
from tests.e2e_helpers import numbered_letter
from tests.hostile_samples import good_letter

ICT = timezone(timedelta(hours=7))
runner = CliRunner()


def test_check_pdf_prints_the_verdict_of_the_design(tmp_path):
    pdf = tmp_path / "qd.pdf"
    pdf.write_bytes(render_document(SampleDoc(number="12/2020/QĐ-UBND", pages=2)))
    result = runner.invoke(app, ["check", str(pdf), "--json", "--received", "2026-02-16T09:00:00+07:00"])
    assert result.exit_code == 0, result.output
    v = json.loads(result.stdout)
    assert set(v) == {"source", "letter", "reception", "documents", "outcome", "reasons", "disposition"}
    assert v["source"]["kind"] == "pdf" and v["letter"] is None
    # A bare PDF: registered as the rules say, but no letter to answer and no mailbox copy to file.
    assert v["disposition"]["reply"] is None and v["disposition"]["folder"] is None
    assert v["disposition"]["numbering_year"] == 2026
    # 16/02/2026 is Tết: officially received on Monday 23/02 at 07:30 (R13).
    assert v["reception"]["official_received_at"] == "2026-02-23T07:30:00+07:00"
    assert v["reception"]["after_hours"] is True
    doc = v["documents"][0]
    assert doc["pages"] == 2 and doc["signatures"] == [] and doc["legal_value"] == "reference_only"
    assert doc["metadata"]["number"] == "12/2020/QĐ-UBND" and doc["metadata"]["legal_normative"] is True
    assert set(doc["decision"]) >= {"delivery", "rule", "basis", "explanation"}
    assert not list(tmp_path.glob("storage"))  # a dry run writes nothing


def test_check_eml_and_profile_option(tmp_path):
    eml = tmp_path / "letter.eml"
    secret = render_document(SampleDoc(number="3/STTTT-VP", secrecy="MẬT", title="", subject="V/v nhân sự"))
    eml.write_bytes(good_letter([("3-STTTT-VP.pdf", secret)], subject="Công văn số 3/STTTT-VP"))
    out = {}
    for profile in ("national", "khanh-hoa"):
        result = runner.invoke(app, ["check", str(eml), "--json", "--profile", profile])
        assert result.exit_code == 0, result.output
        out[profile] = json.loads(result.stdout)
    v = out["national"]
    assert v["letter"]["from"] == "vanthu@sotttt.hanoi.gov.vn"
    assert v["documents"][0]["metadata"]["number"] == "3/STTTT-VP"
    decisions = {p: o["documents"][0]["decision"] for p, o in out.items()}
    assert {d["delivery"] for d in decisions.values()} == {"refuse"}  # secret: refused everywhere (R6)
    # What the daemon will do, as if the letter came from the mailbox: the secret-document refusal (it
    # points to the paper channel), the copy filed under Refused — but with no directory and no DKIM the
    # sender's origin is not verified, so the refusal is withheld (issue 17: no backscatter).
    disposition = v["disposition"]
    assert disposition["letter_state"] == "REFUSED" and disposition["folder"] == "refused"
    assert disposition["register_status"] == "từ chối nhận" and disposition["dms_handoff"] is False
    assert disposition["reply"]["kind"] == "refusal_secret" and disposition["reply"]["to"] is None
    assert disposition["reply"]["withheld"]["code"] == "sender_unverified"
    assert "KH" in decisions["khanh-hoa"]["basis"] and "KH" not in decisions["national"]["basis"]
    result = runner.invoke(app, ["check", str(eml)])
    assert result.exit_code == 0 and "3/STTTT-VP" in result.stdout


def test_config_errors_name_file_key_and_problem(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[outgoing]\nmax_attempts = "nhiều"\n', encoding="utf-8")
    result = runner.invoke(app, ["register", "list", "--config", str(cfg)])
    assert result.exit_code == 2
    assert f"{cfg}: outgoing.max_attempts: must be a whole number" in result.output


def test_broken_rules_stop_the_daemon_at_start_with_the_reason(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[rules]\nprofile = "mine"\n', encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_text('extends = "national"\n[[rule]]\nid = "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["run", "--once", "--config", str(cfg)])
    assert result.exit_code == 2
    assert "rules error" in result.output and "mine.toml" in result.output


def test_register_list_and_paper_received(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n[rules]\nprofile = "khanh-hoa"\n', encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    admit(
        sessions,
        settings.storage_dir,
        numbered_letter(5),
        source=Source.FILE,
        received_at=datetime(2026, 3, 3, 9, 0, tzinfo=ICT),
    )
    process_pending(sessions, build_stages(settings))

    listed = runner.invoke(app, ["register", "list", "--json", "--config", str(cfg)])
    assert listed.exit_code == 0, listed.output
    [entry] = json.loads(listed.stdout)
    assert (entry["number"], entry["year"], entry["notation"]) == (1, 2026, "5/STTTT-VP")
    assert entry["official_received_at"] == "2026-03-03T09:00:00+07:00"
    # Unsigned, origin unproven: for information only, the paper original must come (TTg Đ4.2, R4).
    assert entry["delivery"] == "paper_only" and entry["paper_awaited"] is True
    table = runner.invoke(app, ["register", "list", "--config", str(cfg)], env={"COLUMNS": "200"})
    assert "1/2026" in table.stdout and "chờ bản giấy" in table.stdout

    ok = runner.invoke(app, ["register", "paper-received", "1/2026", "--config", str(cfg), "--clerk", "Lan"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, ["register", "paper-received", "1/2026", "--config", str(cfg)])
    assert again.exit_code == 1 and "already recorded" in again.output
    missing = runner.invoke(app, ["register", "paper-received", "9/2026", "--config", str(cfg)])
    assert missing.exit_code == 1 and "no register entry number 9" in missing.output
    [entry] = json.loads(runner.invoke(app, ["register", "list", "--json", "--config", str(cfg)]).stdout)
    assert entry["paper_received_at"] is not None
    with sessions() as s:  # the status history (R16): arrived, accepted, then the clerk's paper note
        steps = [(h.status, h.actor, h.note) for h in history(s, entry["id"])]
    assert steps == [
        ("đã đến", "gateway", None),
        ("đã tiếp nhận", "gateway", None),
        ("đã tiếp nhận", "Lan", "đã nhận bản giấy"),
    ]


@pytest.mark.slow  # the whole demo: daemon, SMTP both ways, then the web workplace
def test_demo_runs_on_the_embedded_default(tmp_path):
    import threading
    import time
    from io import StringIO

    import httpx2
    from rich.console import Console

    from gateway.demo import run_demo
    from gateway.register.sql import list_entries

    out = StringIO()
    stop = threading.Event()
    done: list[int] = []
    console = Console(file=out, width=160)
    demo = threading.Thread(
        target=lambda: done.append(run_demo(tmp_path / "demo", console=console, web=True, stop=stop))
    )
    demo.start()
    deadline = time.monotonic() + 240
    while "Mật khẩu:" not in out.getvalue() and demo.is_alive() and time.monotonic() < deadline:
        time.sleep(0.5)
    text = out.getvalue()
    try:
        address = re.search(r"(http://127\.0\.0\.1:\d+)/", text).group(1)
        password = re.search(r"Mật khẩu: (\S+)", text).group(1)
        with httpx2.Client(base_url=address, follow_redirects=True) as web:
            token = re.search(r'name="csrf" value="([^"]+)"', web.get("/login").text).group(1)
            web.post("/login", data={"username": "vanthu", "password": password, "csrf": token, "next": "/quarantine"})
            queue = web.get("/quarantine")
        assert queue.status_code == 200 and "[khẩn] Công văn số 2141/STC-KHTC" in queue.text
        assert "Tiếp nhận và vào sổ" in queue.text  # the demo clerk may act
    finally:
        stop.set()
        demo.join(60)
    assert done == [0]
    settings = load_settings(tmp_path / "demo" / "config.toml")
    with open_database(settings.database_url)() as s:
        entries = list_entries(s)
    numbered = [(e.number, e.delivery) for e in entries if e.number]
    assert numbered == [(1, "paper_also"), (2, "electronic_only")]  # signed decision; invitation (KH Đ5)
    assert sum(1 for e in entries if e.status == "từ chối nhận") == 2  # the secret report, the non-PDF
    assert sum(1 for e in entries if e.status == "đã đến") == 1  # the hidden file name: waiting for a clerk
    assert text.count("Xác nhận đã nhận văn bản") == 2 and text.count("Từ chối tiếp nhận văn bản") == 1
    assert text.count("Không tiếp nhận qua thư điện tử văn bản có độ mật") == 1  # R6: the paper channel
    assert text.count("Văn bản đang chờ văn thư kiểm tra") == 1
    # R18: the two accepted documents went to the DMS's folder as edXML packages; one is shown, valid.
    from gateway.edxml import read_package, schema_errors

    packages = sorted((tmp_path / "demo" / "dms" / "outgoing").glob("*.edxml"))
    assert [re.sub(r"-\d{4}-", "-YEAR-", p.name) for p in packages] == [
        "00000001-edoc-YEAR-1.edxml",
        "00000002-edoc-YEAR-2.edxml",
    ]
    assert all(schema_errors(p.read_bytes()) == [] for p in packages)
    assert read_package(packages[0].read_bytes()).package.header.code_notation == "QĐ-STC"
    assert "000.00.12.H34,2026/11/18,125/QĐ-STC" in text and "(Base64 trimmed)" in text


def test_check_in_words_escapes_markup_and_words_signatures(tmp_path):
    from tests import conftest_pki

    cfg = tmp_path / "config.toml"
    reply_domain = conftest_pki.REGISTRY.rpartition("@")[2]  # answered though not DKIM-signed (issue 17)
    cfg.write_text(
        f'[signatures]\ntrust_dir = "{conftest_pki.pki().trust_dir}"\n[outgoing]\nreply_domains = ["{reply_domain}"]\n',
        encoding="utf-8",
    )
    eml = tmp_path / "letter.eml"
    eml.write_bytes(
        conftest_pki.letter(
            attachment=conftest_pki.pdf("byte_flipped"),
            subject="[khẩn] Gửi công văn số 125/STC-NS",
            extra_headers=(("Return-Path", f"<{conftest_pki.REGISTRY}>"),),
        )
    )
    result = runner.invoke(app, ["check", str(eml), "--config", str(cfg)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "[khẩn] Gửi công văn số 125/STC-NS" in out  # not swallowed as Rich markup
    assert "nội dung văn bản đã bị thay đổi sau khi ký" in out  # the signature in words, beside its code
    assert "Disposition: letter REFUSED" in out and "reply refusal (template refusal)" in out
