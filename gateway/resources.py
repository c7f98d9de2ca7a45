"""Files shipped inside the package (rules, reply templates, calendar data), found with `importlib.resources`.

They are package data (`[tool.setuptools.package-data]`), so a wheel installed anywhere has them; an admin's
copy (`[rules] dir`, `[gateway] templates_dir`) is searched first and overrides a shipped file of the same
name. The gateway is installed unzipped (pip always does), so each resource is a real folder on disk:
`shipped` says so loudly instead of failing later with a confusing "no such file".
"""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

DISTRIBUTION = "official-mail-gateway"


def shipped(*parts: str) -> Path:
    """The shipped file or folder `gateway/defaults/<parts…>` as a path."""
    node = resources.files("gateway").joinpath("defaults", *parts)
    path = Path(str(node))
    if not path.exists():
        raise FileNotFoundError(f"shipped resource missing from the installed package: defaults/{'/'.join(parts)}")
    return path


def version() -> str:
    """The installed version (`gateway --version`, the logs, the web footer, User-Agent headers)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def user_agent() -> str:
    return f"official-mail-gateway/{version()}"
