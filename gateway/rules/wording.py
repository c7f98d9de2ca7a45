"""The Vietnamese a sender or clerk reads about a decision: the article cited, and what must happen.

A rule's `basis` is short — `"KH Đ5.2"`, `"TTg Đ5.4, Đ9.1"`, `"KH Đ1.2; TTg Đ1.2"` — with each
abbreviation defined in the profile's `[sources]` table. `basis_text` spells it out the way Vietnamese
legal writing cites: "khoản 2 Điều 5 Quy định ban hành kèm theo Quyết định số 20/2014/QĐ-UBND …".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.models import Delivery
from gateway.vntext import nfc

_ARTICLE = re.compile(r"Đ(\d+)(?:\.(\d+))?([a-zđ])?")
_REFERENCE = re.compile(r"(\S+)\s+(.+)")


@dataclass(frozen=True)
class Article:
    article: int
    clause: int | None = None
    point: str | None = None

    def spelled(self) -> str:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause is not None:
            parts.append(f"khoản {self.clause}")
        parts.append(f"Điều {self.article}")
        return " ".join(parts)


@dataclass(frozen=True)
class Reference:
    source: str  # abbreviation, defined in [sources]
    articles: tuple[Article, ...]


def parse_basis(basis: str) -> tuple[Reference, ...] | str:
    """The references in `basis`, or a message saying why it does not parse."""
    refs = []
    for chunk in nfc(basis).split(";"):
        m = _REFERENCE.fullmatch(chunk.strip())
        if not m:
            return f"basis {basis!r} must look like 'KH Đ5.2' (abbreviation, space, Đ<article>[.<clause>][point])"
        articles = []
        for art in m.group(2).split(","):
            a = _ARTICLE.fullmatch(art.strip())
            if not a:
                return f"basis {basis!r}: {art.strip()!r} is not an article like Đ5, Đ5.2 or Đ7.2a"
            articles.append(Article(int(a.group(1)), int(a.group(2)) if a.group(2) else None, a.group(3)))
        refs.append(Reference(m.group(1), tuple(articles)))
    return tuple(refs)


def basis_text(basis: str, sources: Mapping[str, str]) -> str:
    """The basis spelled out in Vietnamese; unparsable or undefined parts are kept as written."""
    refs = parse_basis(basis)
    if isinstance(refs, str):
        return basis
    spelled = []
    for ref in refs:
        arts = ", ".join(a.spelled() for a in ref.articles)
        spelled.append(f"{arts} {sources.get(ref.source, ref.source)}")
    return "; ".join(spelled)


_SENTENCES = {
    # Administrative style: the basis first ("Căn cứ …, …"), the sender addressed as "Quý cơ quan".
    Delivery.ELECTRONIC_ONLY: (
        "Căn cứ {basis}, văn bản được tiếp nhận và xử lý hoàn toàn trên môi trường điện tử; Quý cơ quan không "
        "cần gửi kèm bản giấy."
    ),
    Delivery.PAPER_ALSO: (
        "Căn cứ {basis}, văn bản điện tử được tiếp nhận và xử lý ngay; đề nghị Quý cơ quan gửi tiếp bản chính "
        "bằng giấy (có chữ ký, đóng dấu) theo đường bưu chính."
    ),
    Delivery.PAPER_ONLY: (
        "Căn cứ {basis}, văn bản này phải được gửi, nhận bằng bản giấy theo đường công văn; bản điện tử chỉ "
        "được lưu để tham khảo. Đề nghị Quý cơ quan gửi bản giấy."
    ),
    Delivery.REFUSE: "Căn cứ {basis}, văn bản không được tiếp nhận qua hộp thư điện tử.",
}


def explanation_text(action: Delivery, description: str, basis: str, sources: Mapping[str, str]) -> str:
    """What the sender and the clerk read: the case the rule covers, then what must happen and why."""
    case = nfc(description).strip()
    if case and case[-1] not in ".!?":
        case += "."
    sentence = _SENTENCES[action].format(basis=basis_text(basis, sources))
    return f"{case} {sentence}".strip()
