"""`gateway rules check|show|fields|explain` through the real command line (typer's runner)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli import app
from gateway.cli.rules import explanation_lines
from gateway.models import Agency, LegalValue, Metadata
from gateway.rules import FIELDS, RuleFacts, RulesSettings, explain, load_profile

BAD = Path(__file__).parent / "bad"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["rules", *args])
    return result.exit_code, result.output


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "config.toml"
    path.write_text(
        '[agency]\nname = "Sở Tài chính tỉnh Khánh Hòa"\n\n[rules]\nprofile = "khanh-hoa"\n', encoding="utf-8"
    )
    return path


def test_check_defaults_to_configured_and_shipped_profiles(config: Path) -> None:
    code, out = run("check", "--config", str(config))
    assert code == 0, out
    assert [line.split()[1] for line in out.splitlines()] == ["bac-giang:", "khanh-hoa:", "national:"]
    assert "OK     khanh-hoa: 15 rules" in out


def test_check_reports_file_line_rule_and_problem_and_exits_1(config: Path) -> None:
    code, out = run("check", "--config", str(config), str(BAD / "unknown_operator.toml"), "national")
    assert code == 1
    assert "unknown_operator.toml:14: rule kh-schedule: unknown operator 'matchez' (did you mean 'matches'?)" in out
    assert "OK     national: 7 rules" in out


def test_check_json(config: Path) -> None:
    code, out = run("check", "--json", "--config", str(config), str(BAD / "nested_problems.toml"))
    assert code == 1
    [result] = json.loads(out)
    assert result["ok"] is False
    assert [(p["line"], p["rule"]) for p in result["problems"]] == [(14, "bg-paper-list")] * 2 + [(15, "bg-paper-list")]


def test_check_a_broken_configured_profile(config: Path) -> None:
    (config.parent / "rules" / "khanh-hoa.toml").write_text(
        '[profile]\ntitle = "Sửa hỏng"\nextends = "national"\n[[rule]]\nid = "default"\naction = "paper"\n',
        encoding="utf-8",
    )
    code, out = run("check", "--config", str(config))
    assert code == 1
    assert "khanh-hoa.toml:6: rule default: unknown action 'paper'" in out


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[rules]\nprofil = "national"\n', encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert "rules.profil: is not a known setting" in result.output + (result.stderr or "")


def test_show_lists_the_merged_order(config: Path) -> None:
    code, out = run("show", "--config", str(config))
    assert code == 0
    order = [line.split(".")[1].split()[0] for line in out.splitlines() if line[:4].strip().rstrip(".").isdigit()]
    assert order == [r.id for r in load_profile("khanh-hoa", RulesSettings()).rules]
    assert order.index("kh-personnel") < order.index("to-government") < order.index("kh-schedule")


def test_fields_lists_every_field() -> None:
    code, out = run("fields")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(FIELDS)
    code, out = run("fields", "--json")
    assert {f["field"] for f in json.loads(out)} == set(FIELDS)


# ---------------------------------------------------------------------------------------------- explain

INVITATION = RuleFacts(
    metadata=Metadata(doc_type="giay_moi", subject="Mời dự họp giao ban quý II"),
    legal_value=LegalValue.EQUIVALENT_TO_PAPER,
    sender_agency=Agency(name="Sở Y tế tỉnh Khánh Hòa"),
    receiving_agency="Sở Tài chính tỉnh Khánh Hòa",
)


def test_explanation_lines_show_every_rule_condition_and_decision() -> None:
    lines = explanation_lines(explain(load_profile("khanh-hoa", RulesSettings()), INVITATION))
    text = "\n".join(lines)
    assert lines[0].startswith("   1. secret [KH Đ1.2, Đ6; TTg Đ1.2] → refuse: no match")
    assert "failed  metadata.secrecy exists   (seen: null)" in text
    assert 'held    metadata.doc_type equals "giay_moi"   (seen: "giay_moi")' in text
    assert "kh-invitation [KH Đ5.2] → electronic_only: MATCH" in text
    assert "not reached: kh-meeting-materials, kh-copies, kh-reports, kh-drafts, default" in text
    assert "  Decision: electronic_only — rule kh-invitation (KH Đ5.2)" in text
    assert "khoản 2 Điều 5 Quy định ban hành kèm theo Quyết định số 20/2014/QĐ-UBND" in text


@pytest.fixture
def stand_in_pipeline(monkeypatch: pytest.MonkeyPatch) -> list:
    """The lead's `gateway.pipeline.document_facts`, replaced by one returning known facts: what is under
    test here is the command's own work (profile choice, rendering, JSON, exit codes)."""
    calls: list = []
    module = types.ModuleType("gateway.pipeline")

    def document_facts(path: Path, settings):
        calls.append((path, settings.agency.name))
        return [("giaymoi.pdf", INVITATION), ("baocao.pdf", RuleFacts(metadata=Metadata(doc_type="bao_cao")))]

    module.document_facts = document_facts
    monkeypatch.setitem(sys.modules, "gateway.pipeline", module)
    return calls


def test_explain_text(config: Path, tmp_path: Path, stand_in_pipeline: list) -> None:
    letter = tmp_path / "letter.eml"
    letter.write_bytes(b"Subject: x\r\n\r\nbody\r\n")
    code, out = run("explain", str(letter), "--config", str(config))
    assert code == 0, out
    assert stand_in_pipeline == [(letter, "Sở Tài chính tỉnh Khánh Hòa")]
    assert out.startswith("Profile khanh-hoa: Khánh Hòa")
    assert "\ngiaymoi.pdf\n" in out and "\nbaocao.pdf\n" in out
    assert "Decision: electronic_only — rule kh-invitation (KH Đ5.2)" in out
    assert "Decision: paper_only — rule reference-only (TTg Đ4.2)" in out  # unsigned report (R4)


def test_explain_json_with_another_profile(config: Path, tmp_path: Path, stand_in_pipeline: list) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    code, out = run("explain", str(pdf), "--profile", "national", "--config", str(config), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["profile"] == "national"
    first = data["documents"][0]
    assert first["filename"] == "giaymoi.pdf"
    assert first["decision"]["delivery"] == "electronic_only" and first["decision"]["rule"] == "default"
    assert first["considered"][0]["rule"] == "secret"
    assert first["considered"][0]["condition"] == {
        "condition": "metadata.secrecy exists",
        "held": False,
        "seen": None,
        "parts": [],
    }


def test_explain_with_a_broken_profile_exits_1(config: Path, tmp_path: Path, stand_in_pipeline: list) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(app, ["rules", "explain", str(pdf), "--profile", str(BAD / "bad_regex.toml")])
    assert result.exit_code == 1
    assert "bad_regex.toml:12: rule bg-individual: bad regular expression" in result.output + (result.stderr or "")
    assert stand_in_pipeline == []


def test_explain_end_to_end_on_a_rendered_pdf(config: Path, tmp_path: Path) -> None:
    """The real pipeline reads a born-digital giấy mời; the rules see what it read (R7, R4)."""
    from gateway.samples.render import SampleDoc, render_document

    pdf = tmp_path / "giaymoi.pdf"
    doc = SampleDoc(
        issuer="SỞ Y TẾ",
        parent_issuer="UBND TỈNH KHÁNH HÒA",
        number="125/GM-SYT",
        place="Khánh Hòa",
        title="GIẤY MỜI",
        subject="Mời dự họp giao ban công tác quý II",
        authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
    )
    pdf.write_bytes(render_document(doc))
    result = runner.invoke(app, ["rules", "explain", str(pdf), "--config", str(config), "--json"])
    code, out = result.exit_code, result.stdout  # logs go to stderr, the JSON alone to stdout
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    assert document["filename"] == "giaymoi.pdf"
    seen = {
        c["condition"]: c["seen"]
        for r in document["considered"]
        if r["condition"]
        for c in [r["condition"], *r["condition"]["parts"]]
    }
    assert seen['legal_value equals "reference_only"'] == "reference_only"  # unsigned: R4 TTg Đ4.2
    assert document["decision"]["rule"] == "reference-only"
    code, text = run("explain", str(pdf), "--config", str(config))
    assert code == 0 and "Decision: paper_only — rule reference-only (TTg Đ4.2)" in text
    # A profile that looks at what was read from the page: type, subject, our name on Nơi nhận.
    probe = tmp_path / "probe.toml"
    probe.write_text(
        '[profile]\ntitle = "Thử"\n[sources]\nKH = "QĐ 20/2014/QĐ-UBND"\n'
        '[[rule]]\nid = "invitation"\nbasis = "KH Đ5.2"\ndescription = "Giấy mời"\n'
        'action = "electronic_only"\n'
        'when.all = [ { field = "metadata.doc_type", equals = "giay_moi" }, '
        '{ field = "metadata.subject", matches = "giao ban" } ]\n'
        '[[rule]]\nid = "default"\nbasis = "KH Đ6"\ndescription = "Mặc định"\naction = "paper_also"\n',
        encoding="utf-8",
    )
    code, out = run("explain", str(pdf), "--config", str(config), "--profile", str(probe), "--json")
    assert code == 0, out
    [document] = json.loads(out)["documents"]
    assert document["decision"]["rule"] == "invitation", document["considered"]
    parts = document["considered"][0]["condition"]["parts"]
    assert parts[0]["seen"] == "giay_moi" and "giao ban" in parts[1]["seen"]


def test_check_reports_a_reply_template_that_does_not_exist(config: Path) -> None:
    profile = config.parent / "rules" / "mine.toml"
    profile.write_text(
        '[profile]\ntitle = "Thử: mẫu thư trả lời"\nextends = "national"\n\n'
        '[[rule]]\nid = "default"\ntemplate = "acknowledgement_moi"\n',
        encoding="utf-8",
    )
    code, out = run("check", "--config", str(config), str(profile))
    assert code == 1
    assert "mine.toml:5: rule default: template 'acknowledgement_moi': TemplateNotFound" in out
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "acknowledgement_moi.txt.j2").write_text(
        "{% block subject %}Đã nhận{% endblock %}{% block body %}Cảm ơn.{% endblock %}", encoding="utf-8"
    )
    config.write_text(config.read_text(encoding="utf-8") + '\n[gateway]\ntemplates_dir = "templates"\n', "utf-8")
    code, out = run("check", "--config", str(config), str(profile))
    assert code == 0, out
