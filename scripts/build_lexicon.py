"""Build gateway/defaults/lexicon/syllables.tsv.xz: Vietnamese syllables and syllable bigrams with their
frequencies, counted in public-domain legal and administrative text (issue 9, `gateway.reading.lexicon`).

Legal normative documents and administrative documents are not protected by copyright (Luật Sở hữu trí tuệ,
Điều 15). The sources are pinned below by repository and commit; each is read with `git show` from a local
clone (`--git owner/name=PATH`, a bare or a normal clone that has the commit), the seed regulations from
`--seeds` (default ../shared/seeds). None of them is a document of the evaluation sets: a source document
whose own number or subject is that of a document in tests/reading/real_*.toml or documents.toml is left
out and named on stderr, and the repositories the evaluation sets came from are never sources.

    .venv/bin/python scripts/build_lexicon.py --seeds ../shared/seeds \
        --git Ansvar-Systems/vietnamese-law-mcp=CLONE --git ericphan28/van-ban-plus=CLONE \
        --git diepxuan/diepxuan.github.io=CLONE \
        --git TommyNhatNguyen/Crawl-Documents-Data-From-VanBanPhapLuatBinhDuong=CLONE
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import itertools
import json
import lzma
import re
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.reading.lexicon import DATA_FILE, is_lexicon_word, key  # noqa: E402
from gateway.vntext import fold  # noqa: E402


@dataclass(frozen=True)
class GitSource:
    repo: str
    commit: str
    paths: tuple[str, ...]
    # html (thuvienphapluat page: the document's own div), json (provisions), md, csv (trích yếu), phapdien
    # (a topic of Bộ Pháp điển in Markdown: its documents' numbers in `**Số hiệu** | …` rows)
    kind: str
    note: str


SOURCES = (
    GitSource(
        "Ansvar-Systems/vietnamese-law-mcp",
        "dc9ac73e9ca843ff62b75b42cfcc6158ee7d61f0",
        tuple(
            f"data/source/{name}.html"
            for name in (
                "competition-law-2018",
                "constitution-2013",
                "consumer-rights-protection-law-2023",
                "cybersecurity-law-2018",
                "e-transactions-law-2023",
                "enterprise-law-2020",
                "information-technology-law-2006",
                "personal-data-protection-decree-2023",
                "telecommunications-law-2009",
            )
        ),
        "html",
        "web copies of laws and of provincial decisions (the page's document text only)",
    ),
    GitSource(
        "Ansvar-Systems/vietnamese-law-mcp",
        "dc9ac73e9ca843ff62b75b42cfcc6158ee7d61f0",
        ("data/seed/penal-code-2015.json",),
        "json",
        "Bộ luật Hình sự 2015, its articles",
    ),
    GitSource(
        "ericphan28/van-ban-plus",
        "527bcb7c5c67e64b4dc6fc46a01b62e6233002f1",
        tuple(
            f"docs/van-ban-phap-quy/nghi-dinh/30-2020-ND-CP/van-ban-goc/30.2020.NĐ-CP/{name}.md"
            for name in ("30_2020_ND_CP", "Phuluc1", "Phuluc2", "Phuluc3", "Phuluc4", "Phuluc5", "Phuluc6")
        ),
        "md",
        "Nghị định 30/2020/NĐ-CP and its appendices",
    ),
    GitSource(
        "diepxuan/diepxuan.github.io",
        "fbaa690e1c9ff35deabbf5e9a8b8830ce3d54048",
        tuple(
            f"van-ban/{topic}/"
            for topic in (
                "can-bo-cong-chuc-vien-chuc",
                "giao-duc-dao-tao",
                "to-chuc-bo-may-nha-nuoc",
                "to-chuc-chinh-tri-xa-hoi-hoi",
                "van-hoa-the-thao-du-lich",
                "xay-dung-phap-luat-va-thi-hanh-phap-luat",
                "y-te-duoc",
            )
        ),
        "phapdien",
        "Bộ Pháp điển's topics as published by Bộ Tư pháp, every .md file of these folders",
    ),
    GitSource(
        "TommyNhatNguyen/Crawl-Documents-Data-From-VanBanPhapLuatBinhDuong",
        "cf241d7f5f7a277432db7c6265f0b7ef6d11b904",
        ("data_vanbanphapluatBinhDuong.csv",),
        "csv",
        "trích yếu of Ủy ban nhân dân tỉnh Bình Dương's documents (column trich_yeu, each once)",
    ),
)

# Where the evaluation sets came from (tests/reading/real_*.toml) and the reserved repositories: never sources.
FORBIDDEN_REPOS = frozenset(
    r.lower()
    for r in (
        "TonBao2k/sohoavb",
        "HuynhPPP/QLVB_WEB",
        "ducminh0302/law-advisor",
        "hrmaster1982-dev/phapluat-8chude-data",
        "nghiado905/mineru_vietocr",
        "teije05-art/clone-pjj-tax-legal-22dec",
        "tnt305/tai_lieu_noi_bo",
        "johnPa02/thuvienphapluat-crawler",
        "hpbaotho/04-quanly-vanban-quanhuyen",
        "QuangDuyxyz/OCR_LOCAL_VBHC",
        "hwolp/RAG_TongHopVBHC",
        "dangthanhthi/Du_An_Luu_Tru_CongVan",
    )
)

MIN_BIGRAM = 2  # a bigram seen once is noise as often as knowledge; kept out to keep the file small
_WORD = re.compile(r"[^\W\d_]+")
_SO_HIEU = re.compile(r"\*\*Số hiệu\*\*\s*\|\s*([^|\n]+)")
_NUMBER = re.compile(r"S[ốố]\s*:?\s*(\d{1,6}\s*/[\w/.\-–]+)", re.IGNORECASE)


class _DocDiv(HTMLParser):
    """The text inside thuvienphapluat's `<div class="content1">`: the document, not the site around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            if tag == "div":
                self.depth += 1
            if tag in ("p", "br", "tr", "td", "div", "li"):
                self.parts.append("\n")
        elif tag == "div" and ("class", "content1") in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _git_show(gitdir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(gitdir), "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def _expand(gitdir: Path, commit: str, path: str) -> list[str]:
    """A folder (`…/`) as its Markdown files, a file as itself."""
    if not path.endswith("/"):
        return [path]
    out = subprocess.run(
        ["git", "--git-dir", str(gitdir), "ls-tree", "-r", "--name-only", "-z", commit, path],
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(p for p in out.split("\0") if p.endswith(".md"))


def _resolve(gitdir: Path, commit: str) -> str:
    out = subprocess.run(
        ["git", "--git-dir", str(gitdir), "rev-parse", f"{commit}^{{commit}}"], check=True, capture_output=True
    )
    return out.stdout.decode().strip()


def _documents(source: GitSource, data: bytes) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """(own numbers, subject, text) of each document in one source file."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if source.kind == "html":
        parser = _DocDiv()
        parser.feed(text)
        body = html.unescape("".join(parser.parts))
        yield (_own_number(body),), "", body
    elif source.kind == "json":
        for provision in json.loads(text)["provisions"]:
            yield (), "", provision.get("content", "")
    elif source.kind == "md":
        yield (_own_number(text),), "", text
    elif source.kind == "phapdien":  # a topic: left out whole if any of its documents is a labelled one
        body = re.sub(r"(?s)\A---.*?\n---\n", "", text)
        yield tuple(n.strip() for n in _SO_HIEU.findall(body)), "", body
    elif source.kind == "csv":
        seen: set[str] = set()
        for row in csv.DictReader(io.StringIO(text)):
            subject = row.get("trich_yeu") or ""
            if subject and subject not in seen:
                seen.add(subject)
                yield (row.get("so_ky_hieu") or "",), subject, subject


def _own_number(text: str) -> str:
    match = _NUMBER.search(text[:3000])
    return match.group(1) if match else ""


def _key(text: str) -> str:
    """A subject's matching form: its words, folded."""
    return " ".join(_WORD.findall(fold(text)))


def _number_key(number: str) -> str:
    """A number's matching form: folded, without spaces, dashes unified."""
    return re.sub(r"\s+", "", fold(number)).replace("–", "-")


def _evaluation_keys() -> tuple[set[str], set[str]]:
    """The numbers and subjects of every labelled document (folded), to keep them out of the lexicon."""
    numbers, subjects = set(), set()
    for name in ("real_texts.toml", "real_pdfs.toml", "documents.toml", "seed_texts.toml"):
        path = ROOT / "tests" / "reading" / name
        if not path.exists():
            continue
        for doc in tomllib.loads(path.read_text(encoding="utf-8")).get("doc", []):
            expect = doc.get("expect", {})
            if expect.get("number"):
                numbers.add(_number_key(expect["number"]))
            if expect.get("subject") and len(expect["subject"]) > 20:
                subjects.add(_key(expect["subject"]))
    numbers.discard("")
    return numbers, subjects


def _phrases(text: str) -> Iterator[list[str]]:
    """Runs of words (`key`) between punctuation, digits and anything not a syllable or an abbreviation."""
    for line in re.split(r"[^\w\s]|\d|_|\n", key(text)):
        run: list[str] = []
        for word in line.split():
            if is_lexicon_word(word):
                run.append(word)
            else:
                if run:
                    yield run
                run = []
        if run:
            yield run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--git", action="append", default=[], help="owner/name=PATH of a local clone")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args()
    clones = dict(item.split("=", 1) for item in args.git)

    numbers, subjects = _evaluation_keys()
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    header: list[str] = []
    left_out: list[str] = []

    def count(text: str) -> None:
        for run in _phrases(text):
            unigrams.update(run)
            bigrams.update(f"{a} {b}" for a, b in itertools.pairwise(run))

    for source in SOURCES:
        assert source.repo.lower() not in FORBIDDEN_REPOS, source.repo
        if source.repo not in clones:
            sys.exit(f"no clone given for {source.repo} (--git {source.repo}=PATH)")
        gitdir = Path(clones[source.repo])
        commit = _resolve(gitdir, source.commit)
        header.append(f"# source: github.com/{source.repo} commit {commit} ({source.note}):")
        for folder in source.paths:
            docs = 0
            for path in _expand(gitdir, commit, folder):
                for own, subject, text in _documents(source, _git_show(gitdir, commit, path)):
                    known = [n for n in own if n and _number_key(n) in numbers]
                    if known or (subject and _key(subject) in subjects):
                        left_out.append(f"{source.repo}:{path}: {known[0] if known else subject[:60]}")
                        continue
                    count(text)
                    docs += 1
            header.append(f"#   {folder} ({docs} documents)")
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        sys.exit(f"no seed regulations in {args.seeds} (--seeds DIR)")
    header.append(f"# source: the seed regulations kept verbatim in shared/seeds ({len(seeds)} files):")
    for path in seeds:
        data = path.read_bytes()
        text = data.decode("utf-8")
        if _number_key(_own_number(text)) in numbers:
            left_out.append(f"seeds/{path.name}")
            continue
        count(text)
        header.append(f"#   {path.name} sha256 {hashlib.sha256(data).hexdigest()}")

    kept = {k: v for k, v in bigrams.items() if v >= MIN_BIGRAM}
    lines = [
        "# Vietnamese syllables (1) and syllable bigrams (2) (NFC, lower case) with their counts;",
        "# built by scripts/build_lexicon.py from public-domain legal and administrative text (Luật Sở hữu",
        "# trí tuệ, Điều 15), none of them a document of the evaluation sets (checked by number and subject).",
        f"# {sum(unigrams.values())} words read; bigrams seen fewer than {MIN_BIGRAM} times left out; "
        f"{len(left_out)} source documents left out",
        "# because their number or subject is that of a labelled document (a number shared by chance counts).",
        *header,
    ]
    lines += [f"1\t{w}\t{n}" for w, n in sorted(unigrams.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += [f"2\t{w}\t{n}" for w, n in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(lzma.compress(payload, preset=9 | lzma.PRESET_EXTREME))
    for item in sorted(set(left_out)):
        print(f"left out (an evaluation document): {item}", file=sys.stderr)
    print(
        f"{args.out}: {len(unigrams)} syllables, {len(kept)} bigrams, {args.out.stat().st_size} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
