"""Build gateway/defaults/places/districts.tsv: Vietnam's district-level units (huyện, quận, thị xã, thành phố
thuộc tỉnh) as the national register of administrative units named them before the 2025 reorganisation, for
mending OCR's misread marks on a district's name after the word that says it is one (issue 9,
`gateway.reading.vocab.mend_districts`). Documents issued before July 2025, and the units' successors' archives,
keep naming them.

The names are facts of the public register (Quyết định 124/2004/QĐ-TTg's code list, as the General Statistics
Office publishes it); the machine-readable copy read here is github.com/daohoangson/dvhcvn's data/dvhcvn.json
(its data/date.txt: 01/03/2025), from a clone (`--git PATH`, read with `git show`) at the commit pinned below.

    .venv/bin/python scripts/build_districts.py --git CLONE
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "gateway" / "defaults" / "places" / "districts.tsv"
REPO, COMMIT = "daohoangson/dvhcvn", "4b1b6b5"
TYPES = {"Huyện": "huyện", "Quận": "quận", "Thị xã": "thị xã", "Thành phố": "thành phố"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--git", required=True, help=f"a clone of {REPO} that has commit {COMMIT}")
    args = parser.parse_args()
    raw = subprocess.run(
        ["git", f"--git-dir={args.git}", "show", f"{COMMIT}:data/dvhcvn.json"], check=True, capture_output=True
    ).stdout
    data = json.loads(raw)
    rows = set()
    for province in data["data"]:
        for district in province["level2s"]:
            kind = TYPES[district["type"]]
            name = unicodedata.normalize("NFC", district["name"])
            prefix = district["type"] + " "
            if not name.lower().startswith(prefix.lower()):  # `Thành Phố Bắc Kạn`, `Thị Xã Buôn Hồ`
                print(f"skipped: {name!r}", file=sys.stderr)
                continue
            rows.add((kind, " ".join(name[len(prefix) :].split()), unicodedata.normalize("NFC", province["name"])))
    lines = [
        "# Vietnam's district-level units before the 2025 reorganisation: kind, name, province (NFC, tab-separated);",
        f"# built by scripts/build_districts.py from github.com/{REPO} commit {COMMIT}, data/dvhcvn.json",
        f"# (the national register of administrative units as of {data.get('data_date', '?')}).",
        *("\t".join(r) for r in sorted(rows)),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} units -> {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
