"""The `[rules]` table of config.toml.

```toml
[rules]
profile = "khanh-hoa"        # a profile name, or a path to a .toml file (relative to config.toml)
dir = "rules"                # the admin's rule files, relative to config.toml
notify_admin = true          # mail the admin when an edited rule file is broken (the old rules stay)
agency_aliases = ["Sở Tài chính", "STC"]   # our agency's other names on Nơi nhận lists (R12)
```
"""

from __future__ import annotations

from dataclasses import replace

from gateway.config import Section
from gateway.rules.facts import RuleFacts
from gateway.rules.load import PROFILE_NAME, looks_like_path
from gateway.rules.model import RulesSettings


def rules_settings(sec: Section) -> RulesSettings:
    """Typed `[rules]` settings; `ConfigError` naming the key for anything wrong or unknown."""
    profile = sec.str("profile", RulesSettings.profile).strip()
    if looks_like_path(profile):
        profile = str(sec.path_value("profile"))
    elif not PROFILE_NAME.fullmatch(profile):
        raise sec.error(
            "profile",
            f"{profile!r} is neither a profile name (like 'khanh-hoa') nor a path to a .toml file",
        )
    aliases = sec.str_list("agency_aliases", ())
    settings = RulesSettings(
        profile=profile,
        dir=sec.path_value("dir", "rules"),
        notify_admin=sec.bool("notify_admin", True),
        agency_aliases=tuple(a.strip() for a in aliases if a.strip()),
    )
    sec.check_unknown()
    return settings


def complete_facts(facts: RuleFacts, settings: RulesSettings) -> RuleFacts:
    """`facts` with our agency's aliases from `[rules] agency_aliases` (R12) unless they carry some."""
    if facts.receiving_aliases or not settings.agency_aliases:
        return facts
    return replace(facts, receiving_aliases=settings.agency_aliases)
