"""Loading profiles: the shipped ones, `extends` (override by id, disable, placement), name resolution,
the `[rules]` settings table."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from gateway.config import ConfigError, Section
from gateway.models import Delivery, Metadata
from gateway.rules import (
    SHIPPED_DIR,
    Profile,
    Rule,
    RuleError,
    RuleFacts,
    RulesSettings,
    basis_text,
    check_profile,
    decide,
    default_targets,
    load_profile,
    rules_settings,
    shipped_profiles,
)

HEADER = '[profile]\ntitle = "Thử"\n{extends}\n[sources]\nTTg = "Quyết định số 28/2018/QĐ-TTg"\n'


def write(path: Path, body: str, extends: str | None = None) -> Path:
    path.write_text(HEADER.format(extends=f'extends = "{extends}"' if extends else "") + body, encoding="utf-8")
    return path


def ids(profile: Profile) -> list[str]:
    return [r.id for r in profile.rules]


# ------------------------------------------------------------------------------------- shipped profiles


def test_shipped_profiles_are_found_next_to_the_package() -> None:
    assert SHIPPED_DIR == Path(__file__).resolve().parents[2] / "gateway" / "defaults" / "rules"
    assert shipped_profiles() == ("bac-giang", "khanh-hoa", "national")


@pytest.mark.parametrize("name", ["national", "khanh-hoa", "bac-giang"])
def test_shipped_profile_is_valid_and_cites_real_articles(name: str) -> None:
    assert check_profile(name, RulesSettings()) == []
    profile = load_profile(name, RulesSettings())
    # R6: secrets are refused first in every profile.
    assert profile.rules[0].id == "secret" and profile.rules[0].action is Delivery.REFUSE
    assert profile.rules[-1].when is None
    sources = profile.source_map
    for rule in profile.rules:
        text = basis_text(rule.basis, sources)
        assert "Điều" in text and "Quyết định số" in text, rule.id
        assert rule.description == unicodedata.normalize("NFC", rule.description)


def test_shipped_rule_files_are_nfc_text() -> None:
    for path in [*SHIPPED_DIR.glob("*.toml"), SHIPPED_DIR / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert text == unicodedata.normalize("NFC", text), path.name


def test_shipped_profiles_cite_the_articles_of_their_regulation() -> None:
    kh = load_profile("khanh-hoa", RulesSettings())
    assert {r.basis for r in kh.rules if r.id.startswith("kh-")} >= {"KH Đ5.1", "KH Đ5.2", "KH Đ6"}
    assert "Quyết định số 20/2014/QĐ-UBND" in kh.source_map["KH"]
    bg = load_profile("bac-giang", RulesSettings())
    assert {r.basis for r in bg.rules if r.id.startswith("bg-")} == {"BG Đ3.2a", "BG Đ3.2d", "BG Đ6"}
    assert "Quyết định số 133/2015/QĐ-UBND" in bg.source_map["BG"]
    national = load_profile("national", RulesSettings())
    assert next(r for r in national.rules if r.id == "to-government").basis == "TTg Đ7.2a"


def test_basis_is_spelled_out_as_vietnamese_legal_citation() -> None:
    sources = {"KH": "Quy định X", "TTg": "Quyết định Y"}
    assert basis_text("KH Đ5.2", sources) == "khoản 2 Điều 5 Quy định X"
    assert basis_text("TTg Đ7.2a", sources) == "điểm a khoản 2 Điều 7 Quyết định Y"
    assert basis_text("TTg Đ5.4, Đ9.1", sources) == "khoản 4 Điều 5, khoản 1 Điều 9 Quyết định Y"
    assert basis_text("KH Đ1.2; TTg Đ1", sources) == "khoản 2 Điều 1 Quy định X; Điều 1 Quyết định Y"


# ---------------------------------------------------------------------------------------------- extends


BASE = """
[[rule]]
id = "a"
basis = "TTg Đ1"
description = "Quy tắc A"
action = "refuse"
register_note = "ghi chú A"
when = { field = "metadata.secrecy", exists = true }

[[rule]]
id = "b"
basis = "TTg Đ4.2"
description = "Quy tắc B"
action = "paper_only"
when = { field = "legal_value", equals = "reference_only" }

[[rule]]
id = "default"
basis = "TTg Đ5.3"
description = "Mặc định"
action = "electronic_only"
"""


def test_child_overrides_keys_disables_and_inserts_before_the_inherited_default(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", BASE)
    child = tmp_path / "child.toml"
    child.write_text(
        """
[profile]
title = "Con"
extends = "base"

[sources]
X = "Quy định riêng"

[[rule]]
id = "a"
action = "paper_only"
basis = "X Đ2"

[[rule]]
id = "b"
enabled = false

[[rule]]
id = "new1"
basis = "X Đ3"
description = "Mới 1"
action = "paper_also"
when = { field = "metadata.doc_type", equals = "quyet_dinh" }

[[rule]]
id = "new2"
basis = "X Đ4"
description = "Mới 2"
action = "electronic_only"
when = { field = "metadata.doc_type", equals = "giay_moi" }

[[rule]]
id = "default"
action = "paper_also"
""",
        encoding="utf-8",
    )
    profile = load_profile(str(child), RulesSettings(dir=tmp_path))
    assert ids(profile) == ["a", "new1", "new2", "default"]
    a = profile.rules[0]
    # keys given replace the inherited ones; the others are kept
    assert (a.action, a.basis, a.description, a.register_note) == (
        Delivery.PAPER_ONLY,
        "X Đ2",
        "Quy tắc A",
        "ghi chú A",
    )
    assert a.when is not None
    assert profile.rules[-1].action is Delivery.PAPER_ALSO and profile.rules[-1].description == "Mặc định"
    assert profile.chain == (child, tmp_path / "base.toml")
    assert profile.source_map["X"] == "Quy định riêng" and "TTg" in profile.source_map


def test_before_and_after_place_new_rules(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", BASE)
    rule = (
        '[[rule]]\nid = "{id}"\nbasis = "TTg Đ2"\ndescription = "x"\naction = "refuse"\n{where}\n'
        'when = {{ field = "metadata.number", equals = "{id}" }}\n'
    )
    child = write(
        tmp_path / "child.toml",
        rule.format(id="first", where='before = "a"')
        + rule.format(id="after-a", where='after = "a"')
        + rule.format(id="before-default", where=""),
        extends="base",
    )
    profile = load_profile(str(child), RulesSettings(dir=tmp_path))
    assert ids(profile) == ["first", "a", "after-a", "b", "before-default", "default"]


def test_grandchild_sees_the_whole_chain_and_an_override_can_move(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", BASE)
    write(tmp_path / "mid.toml", '[[rule]]\nid = "b"\nafter = "default"\n', extends="base")
    leaf = write(tmp_path / "leaf.toml", '[[rule]]\nid = "a"\ndescription = "A mới"\n', extends="mid")
    problems = check_profile(str(leaf), RulesSettings(dir=tmp_path))
    # moving b after the default makes it unreachable and last: reported where the move was written
    assert [(p.file.name, p.line, p.rule) for p in problems] == [("mid.toml", 6, "b"), ("mid.toml", 6, "b")]
    assert "can never match: the catch-all rule 'default' (base.toml:22)" in problems[0].problem
    assert "must end with a default rule" in problems[1].problem


def test_profile_names_resolve_admin_dir_first_then_shipped(tmp_path: Path) -> None:
    settings = RulesSettings(dir=tmp_path)
    assert load_profile("national", settings).file == SHIPPED_DIR / "national.toml"
    own = write(tmp_path / "national.toml", BASE)
    assert load_profile("national", settings).file == own
    # shipped khanh-hoa extends the national profile next to it, not the admin's copy
    assert load_profile("khanh-hoa", settings).chain[1] == SHIPPED_DIR / "national.toml"
    # an admin profile extends the admin's national first
    write(tmp_path / "mine.toml", "", extends="national")
    assert load_profile("mine", settings).chain == (tmp_path / "mine.toml", own)


def test_relative_paths_are_taken_from_base_dir(tmp_path: Path) -> None:
    write(tmp_path / "p.toml", BASE)
    assert ids(load_profile("p.toml", RulesSettings(), base_dir=tmp_path)) == ["a", "b", "default"]
    with pytest.raises(RuleError) as caught:
        load_profile("nope", RulesSettings(dir=tmp_path))
    assert "no such profile" in str(caught.value)
    with pytest.raises(RuleError) as caught:
        load_profile("Bad Name!", RulesSettings(dir=tmp_path))
    assert "a profile is a name like 'khanh-hoa'" in str(caught.value)


def test_conditions_may_be_written_as_sub_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path / "sub.toml",
        """
[[rule]]
id = "paper"
basis = "TTg Đ7.2a"
description = "Gửi Chính phủ"
action = "paper_also"

[rule.when]
field = "addressees"
matches = ["Thủ tướng Chính phủ"]

[[rule]]
id = "default"
basis = "TTg Đ5.3"
description = "Mặc định"
action = "electronic_only"
""",
    )
    profile = load_profile(str(path), RulesSettings())
    facts = RuleFacts(metadata=Metadata(), addressees=("Thủ tướng Chính phủ",))
    assert decide(profile, facts).rule == "paper"
    broken = path.read_text(encoding="utf-8").replace("matches = ", "matchez = ")
    path.write_text(broken, encoding="utf-8")
    [problem] = check_profile(str(path), RulesSettings())
    assert (problem.line, problem.rule) == (15, "paper")  # the line of `matchez` in [rule.when]


def test_a_profile_must_end_with_a_catch_all() -> None:
    rule = Rule("x", "TTg Đ1", "x", Delivery.REFUSE, None, Path("x.toml"), 1)
    assert Profile("p", "t", Path("p.toml"), (rule,), ()).rules == (rule,)
    with pytest.raises(ValueError, match="catch-all"):
        Profile("p", "t", Path("p.toml"), (), ())


# ----------------------------------------------------------------------------------------- [rules] table


def section(data: dict, base: Path) -> Section:
    return Section(data, "rules", base / "config.toml", base)


def test_rules_settings_defaults_and_paths_relative_to_config(tmp_path: Path) -> None:
    s = rules_settings(section({}, tmp_path))
    assert s == RulesSettings(profile="national", dir=tmp_path / "rules", notify_admin=True, agency_aliases=())
    s = rules_settings(
        section(
            {
                "profile": "local/mine.toml",
                "dir": "/etc/gw/rules",
                "notify_admin": False,
                "agency_aliases": ["STC"],
            },
            tmp_path,
        )
    )
    assert s.profile == str(tmp_path / "local" / "mine.toml")
    assert s.dir == Path("/etc/gw/rules") and not s.notify_admin and s.agency_aliases == ("STC",)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"profle": "national"}, "rules.profle"),
        ({"profile": "Khánh Hòa"}, "rules.profile"),
        ({"profile": 3}, "rules.profile"),
        ({"notify_admin": "yes"}, "rules.notify_admin"),
        ({"agency_aliases": "STC"}, "rules.agency_aliases"),
    ],
)
def test_rules_settings_errors_name_the_key(tmp_path: Path, data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        rules_settings(section(data, tmp_path))
    assert caught.value.key == key


def test_default_check_targets_are_the_configured_and_the_shipped_profiles(tmp_path: Path) -> None:
    shipped = tuple(str(SHIPPED_DIR / f"{n}.toml") for n in ("bac-giang", "khanh-hoa", "national"))
    assert default_targets(RulesSettings(dir=tmp_path)) == shipped
    write(tmp_path / "mine.toml", BASE)
    assert default_targets(RulesSettings(profile="mine", dir=tmp_path)) == ("mine", *shipped)
