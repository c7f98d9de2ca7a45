"""The [reading] table of config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config import ConfigError, Section
from gateway.reading import ReadingSettings, reading_settings


def _section(data: dict) -> Section:
    return Section(data, "reading", Path("config.toml"), Path("."))


def test_defaults_and_values():
    assert reading_settings(_section({})) == ReadingSettings(True, "vie", 60.0, 200, "")
    got = reading_settings(
        _section({"ocr": False, "language": "vie+eng", "ocr_timeout_seconds": 5, "dpi": 300, "tessdata": "/t"})
    )
    assert got == ReadingSettings(False, "vie+eng", 5.0, 300, "/t")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"ocr": "yes"}, "reading.ocr"),
        ({"language": "vie; rm -rf /"}, "reading.language"),
        ({"dpi": 50}, "reading.dpi"),
        ({"dpi": 1200}, "reading.dpi"),
        ({"ocr_timeout_seconds": 0}, "reading.ocr_timeout_seconds"),
        ({"ocr_langauge": "vie"}, "reading.ocr_langauge"),
    ],
)
def test_bad_values_name_the_key(data, key):
    with pytest.raises(ConfigError) as err:
        reading_settings(_section(data))
    assert err.value.key == key and err.value.file == "config.toml"


def test_the_old_tesseract_key_still_starts_with_a_warning(caplog):
    """`[reading] tesseract` named the program before OCR ran in the process: an admin's config keeps
    working, and the log says the key can go."""
    with caplog.at_level("WARNING"):
        assert reading_settings(_section({"tesseract": "/usr/bin/tesseract"})) == ReadingSettings()
    assert "[reading] tesseract is no longer used" in caplog.text
