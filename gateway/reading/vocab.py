"""The words an official document is read by (Nghị định 30/2020/NĐ-CP, Phụ lục I and III).

Every phrase is compared through `vntext.skeleton` (case-folded, no diacritics), so the old tone
placement (`HOÀ`/`HÒA`), the look-alike `Ð` and OCR's lost diacritics do not matter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gateway.urgency import HOA_TOC, KHAN, THUONG_KHAN
from gateway.vntext import TONE_MARKS, nfc, skeleton, without_tones


@dataclass(frozen=True)
class DocType:
    code: str  # DESIGN.md doc_type code
    names: tuple[str, ...]  # the title as printed (first is canonical)
    abbreviation: str | None  # in the notation, e.g. "QĐ" in 05/QĐ-UBND (Phụ lục III)
    normative: str = "never"  # "always" | "with_year" (a number like 12/2020/QĐ-UBND) | "never"


DOC_TYPES: tuple[DocType, ...] = (
    DocType("nghi_quyet", ("NGHỊ QUYẾT",), "NQ", "with_year"),
    DocType("quyet_dinh", ("QUYẾT ĐỊNH",), "QĐ", "with_year"),
    DocType("chi_thi", ("CHỈ THỊ",), "CT", "with_year"),  # normative before the 2015 Law (34/2008/CT-TTg)
    DocType("quy_che", ("QUY CHẾ",), "QC"),
    DocType("quy_dinh", ("QUY ĐỊNH",), "QyĐ"),
    DocType("thong_bao", ("THÔNG BÁO",), "TB"),
    DocType("huong_dan", ("HƯỚNG DẪN",), "HD"),
    DocType("chuong_trinh", ("CHƯƠNG TRÌNH",), "CTr"),
    DocType("ke_hoach", ("KẾ HOẠCH",), "KH"),
    DocType("bao_cao", ("BÁO CÁO",), "BC"),
    DocType("bien_ban", ("BIÊN BẢN",), "BB"),
    DocType("to_trinh", ("TỜ TRÌNH",), "TTr"),
    DocType("cong_dien", ("CÔNG ĐIỆN",), "CĐ"),
    DocType("giay_uy_quyen", ("GIẤY ỦY QUYỀN",), "UQ"),
    DocType("giay_moi", ("GIẤY MỜI",), "GM"),
    DocType("lich_cong_tac", ("LỊCH CÔNG TÁC", "LỊCH LÀM VIỆC"), "LCT"),
    DocType("thong_tu", ("THÔNG TƯ LIÊN TỊCH", "THÔNG TƯ"), "TT", "always"),
    DocType("nghi_dinh", ("NGHỊ ĐỊNH",), "NĐ", "always"),
    DocType("cong_van", ("CÔNG VĂN",), None),
    # Phụ lục III types without a DESIGN.md code of their own, and the other legal normative forms.
    DocType(
        "other",
        (
            "PHƯƠNG ÁN",
            "ĐỀ ÁN",
            "DỰ ÁN",
            "HỢP ĐỒNG",
            "BẢN GHI NHỚ",
            "BẢN THỎA THUẬN",
            "GIẤY GIỚI THIỆU",
            "GIẤY NGHỈ PHÉP",
            "PHIẾU GỬI",
            "PHIẾU CHUYỂN",
            "PHIẾU BÁO",
            "THÔNG CÁO",
        ),
        None,
    ),
    DocType("other", ("LUẬT", "PHÁP LỆNH", "LỆNH"), None, "always"),
)

OTHER_ABBREVIATIONS = ("PA", "ĐA", "DA", "HĐ", "GN", "TTh", "GT", "NP", "PG", "PC", "PB", "TC")


# The apostrophe of a Central Highlands name as printed, typed or read by OCR (`Đắk R’lấp`, `R'Lấp`, `R°LÁP`), or lost
# (`R lấp`): a gap between the name's parts, in a key.
APOSTROPHES = "’‘'`´°"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")


def _key(text: str) -> str:
    return " ".join(_APOSTROPHE.sub(" ", skeleton(nfc(text))).split())


BY_NAME: dict[str, DocType] = {n: t for t in DOC_TYPES for n in t.names}
# skeleton of a title → DocType, longest names first so "THÔNG TƯ LIÊN TỊCH" wins over "THÔNG TƯ".
TITLES: tuple[tuple[str, DocType], ...] = tuple(
    sorted(((_key(n), t) for t in DOC_TYPES for n in t.names), key=lambda kv: -len(kv[0]))
)
# The abbreviation in a notation → type: exact (`HĐ` hợp đồng is not `HD` hướng dẫn), and, for OCR's lost
# marks, by skeleton where that is unambiguous (`QD` → QĐ; but `hd` could be either).
ABBREVIATIONS: dict[str, DocType] = {
    **{a: BY_NAME["PHƯƠNG ÁN"] for a in OTHER_ABBREVIATIONS},
    **{t.abbreviation: t for t in DOC_TYPES if t.abbreviation},
    "CV": BY_NAME["CÔNG VĂN"],  # a Party or Youth Union công văn (`6129-CV/TWĐTN-VP`), and some agencies' own
}
_by_skeleton: dict[str, set[str]] = {}
for _abbr, _type in ABBREVIATIONS.items():
    _by_skeleton.setdefault(_key(_abbr), set()).add(_type.code)
ABBREVIATIONS_LOOSE: dict[str, DocType] = {
    _key(a): t for a, t in ABBREVIATIONS.items() if len(_by_skeleton[_key(a)]) == 1
}
BY_CODE: dict[str, DocType] = {t.code: t for t in reversed(DOC_TYPES)}

# Marks (R6, R14), compared with spaces removed: OCR reads "SAO Y" as "SAOY" as often as not.
URGENCY = {"khan": KHAN, "thuongkhan": THUONG_KHAN, "hoatoc": HOA_TOC, "hoatochengio": HOA_TOC}
SECRECY = {"mat": "mat", "toimat": "toi_mat", "tuyetmat": "tuyet_mat"}
COPY_KINDS = {"saoy": "sao_y", "saoybanchinh": "sao_y", "trichsao": "trich_sao", "saoluc": "sao_luc"}

# Signing authority prefixes (Nghị định 30/2020 Điều 13): thay mặt, ký thay, thừa lệnh, thừa ủy quyền,
# quyền.
AUTHORITIES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")

# Common Vietnamese family names, most frequent first: where a name begins, and how a family name cut
# short by a seal over it (`rần Thanh Mẫn`) is completed (`gateway.reading.words.mend_cut_name`).
FAMILY_NAMES = tuple(
    (
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Đinh Lâm Mai Trương"
        " Cao Tô Tạ Hà Lương Lưu Châu Quách Thái Tăng Vương Trịnh Triệu La Từ Kiều Mạc Nông Thân Chu Hứa Lục"
        " Đàm Tống Giang Kim Phùng Diệp Doãn Lại Nghiêm Bạch Bế Cù Đường Lò Quan Tiêu Rah Ksor Siu Y"
    ).split()
)

# Family names less common, many of ethnic minorities (H'Mông, Tày, Thái, Khmer…): never taken for a common one
# misread (`gateway.reading.closing._family_marked`: `Hầu` is not `Châu` with its `C` lost).
RARE_FAMILY_NAMES = frozenset(
    (
        "Hầu Vi Lã Khổng Mẫn Thạch Giàng Sùng Vàng Lầu Mùa Thào Tòng Lường Cầm Điêu Sầm Lộc Ngụy Nguỵ Ông Âu Phí"
        " Khúc Ninh Mông Bàn Ma Lù Thò Tẩn Chảo Sần Ka Lữ Mã Văn Hoa Quang Tôn Thi Khương Chế Giáp Ứng Yên Cấn"
        " Bạc Đồng Phương Nhữ Viên Sơn Kha Trình Lạc Hàn Quản Quàng Lỗ Phó Ôn Mạch Hồng"
        # Tày, Nùng and Thái families of the northern mountains (`Chẩu Văn Lâm`, Tuyên Quang, held out 72)
        " Chẩu Sằm Đèo Mè Sình Thàng Vừ"
    ).split()
)

MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
# The motto's second line as OCR misreads its middle word (`Độc lập - Ty do - Hạnh phúc`), on the skeleton.
MOTTO_LOOSE = re.compile(r"doc\s*lap\s*[-–—~]{0,2}\s*t\w{0,2}\s*do\s*[-–—~]{0,2}\s*hanh\s*phuc")
# The Party's and the Youth Union's documents print the organisation's name where the state motto stands
# (Hướng dẫn 36-HD/VPTW; the Youth Union's own rules): it is not part of the issuing body's name.
ORGANISATION_MOTTOS = ("dang cong san viet nam", "doan tncs ho chi minh", "doan thanh nien cong san ho chi minh")

# First words of an agency's name: a new name starts at a line beginning with one of them (the parent
# agency above the issuing one). Skeletons, longest first.
ORGAN_HEADS = tuple(
    sorted(
        {
            _key(h)
            for h in (
                "ỦY BAN",
                "UBND",
                "HỘI ĐỒNG",
                "HĐND",
                "SỞ",
                "BỘ",
                "BAN",
                "VĂN PHÒNG",
                "CỤC",
                "CHI CỤC",
                "TỔNG CỤC",
                "VỤ",
                "TRUNG TÂM",
                "TTYT",  # Trung tâm Y tế, so printed under its Sở (`TTYT HUYỆN TÂY HÒA`, held out 36)
                "PHÒNG",
                "THANH TRA",
                "KHO BẠC",
                "CÔNG AN",
                "BỘ CHỈ HUY",
                "TRƯỜNG",
                "BỆNH VIỆN",
                "VIỆN",
                "HỌC VIỆN",
                "ĐẠI HỌC",
                "TÒA ÁN",
                "CHÍNH PHỦ",
                "THỦ TƯỚNG",
                "TỈNH ỦY",
                "THÀNH ỦY",
                "HUYỆN ỦY",
                "ĐẢNG ỦY",
                "ĐẢNG BỘ",  # a Party committee over a cell: `ĐẢNG BỘ SỞ …` / `CHI BỘ …` (held out 4)
                "CHI BỘ",
                "BẢO HIỂM",
                "NGÂN HÀNG",
                "TỔNG CÔNG TY",
                "CÔNG TY",
                "ĐÀI",
                "CHI NHÁNH",
                "ĐOÀN",
                "LIÊN ĐOÀN",
                "CÔNG ĐOÀN",  # a trade union under its federation (`CÔNG ĐOÀN GIÁO DỤC`, held out 53)
                "ỦY BAN MẶT TRẬN",
                "UBMTTQ",
                "BQL",
                "BCH",  # Ban Chấp hành: a youth union's or an association's committee under its parent (held out 33)
                "HỘI",  # an association (`HỘI SINH VIÊN VIỆT NAM TP. HỒ CHÍ MINH`, held out 33)
            )
        },
        key=len,
        reverse=True,
    )
)

# Titles of the people who sign or in whose name a QĐ is issued ("ỦY BAN NHÂN DÂN TỈNH …", "BỘ TRƯỞNG
# BỘ …", "THỦ TƯỚNG CHÍNH PHỦ"): a subject never continues into one of these lines.
LEADER_TITLES = tuple(
    _key(t)
    for t in (
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "THỦ TƯỚNG",
        "PHÓ THỦ TƯỚNG",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "TỔNG GIÁM ĐỐC",
        "CHÁNH VĂN PHÒNG",
        "CHÁNH THANH TRA",
        "TRƯỞNG BAN",
        "CỤC TRƯỞNG",
        "VỤ TRƯỞNG",
        "TỔNG CỤC TRƯỞNG",
        "HIỆU TRƯỞNG",
        "VIỆN TRƯỞNG",
        "BÍ THƯ",
        "ỦY BAN NHÂN DÂN",
        "HỘI ĐỒNG NHÂN DÂN",
        "CHÍNH PHỦ",
    )
)

# Words that open the body (after the title and subject, or after a công văn's V/v).
BODY_STARTS = tuple(
    _key(w)
    for w in (
        "Căn cứ",
        "Kính gửi",
        "Thực hiện",
        "Theo đề nghị",
        "Theo",
        "Hôm nay",
        "Vào hồi",
        "Để",
        "Nhằm",
        "Trân trọng",
        "Thời gian",
        "Trong thời gian",  # `Trong thời gian qua, công tác …` (held out c04-cv-3980)
        "Vừa qua",
        "Hiện nay",
        "Địa điểm",
        "Tôi",
        "Chúng tôi",
    )
)


_NUMBERED = r"(?:dieu|chuong|phan|muc)\s+(?:\d+|[ivxlc]+)\b"  # Điều 1. · Chương II · Phần I


def phrase_matcher(phrases: tuple[str, ...], *extra: str) -> re.Pattern[str]:
    """A regex matching a skeleton that opens with one of `phrases` as whole words (or `extra`)."""
    alternatives = "|".join([*(re.escape(p) for p in sorted(phrases, key=len, reverse=True)), *extra])
    return re.compile(rf"^(?:{alternatives})(?![\w])")


def squashed_key(text: str) -> str:
    """The skeleton of `text` with single spaces: what phrases are compared with."""
    return " ".join(skeleton(nfc(text)).split())


OPENS_BODY = phrase_matcher(BODY_STARTS, _NUMBERED)
OPENS_BODY_HARD = phrase_matcher(tuple(_key(w) for w in ("Căn cứ", "Kính gửi", "Hôm nay", "Vào hồi")), _NUMBERED)
OPENS_LEADER = phrase_matcher(LEADER_TITLES)
OPENS_ORGAN = phrase_matcher(ORGAN_HEADS)


# Signers' titles, for mending OCR's misread marks (`CHÚ TỊCH` → `CHỦ TỊCH`, `PHO GIẤM ĐỚC`): a title
# whose letters, marks aside, spell one of these is that one.
SIGNER_TITLES = tuple(
    sorted(
        {
            f"{pho}{t}"
            for t in (
                "CHỦ TỊCH",
                "GIÁM ĐỐC",
                "TỔNG GIÁM ĐỐC",
                "CHÁNH VĂN PHÒNG",
                "CHÁNH THANH TRA",
                "CHÁNH ÁN",
                "VIỆN TRƯỞNG",
                "TRƯỞNG BAN",
                "TRƯỞNG PHÒNG",
                "CỤC TRƯỞNG",
                "TỔNG CỤC TRƯỞNG",
                "VỤ TRƯỞNG",
                "CHỦ NHIỆM",
                "THỦ TƯỚNG",
                "HIỆU TRƯỞNG",
                "BÍ THƯ",
                "TỔNG THƯ KÝ",
                "CHI CỤC TRƯỞNG",
                "THỐNG ĐỐC",  # the State Bank's governor (held out 37, sbv-tt-02-2023)
            )
            for pho in ("", "PHÓ ")
        }
        # `PHÓ VĂN PHÒNG`: the office's deputy head as Hà Tĩnh's committee prints it under `KT. CHÁNH VĂN PHÒNG`
        # (hatinh-ubnd-kh-418, held out 35)
        # `PHỤ TRÁCH TRƯỜNG`: who is in charge of a body without its head (held out 75, hcmute-qd-1727-2021)
        # `TỔNG BÍ THƯ`: the Party's General Secretary (held out 66, tw-nq-60-2025)
        | {"BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHỦ TRÌ", "THƯ KÝ", "PHÓ VĂN PHÒNG", "PHỤ TRÁCH", "TỔNG BÍ THƯ"},
        key=len,
        reverse=True,
    )
)
_SQUEEZED_TITLES = tuple(("".join(c for c in skeleton(t) if c.isalpha()), t) for t in SIGNER_TITLES)


def _title_word(word: str) -> bool:
    """A word a title goes on with (`UBND`, `VĂN PHÒNG,`, `(PHỤ TRÁCH)`), not a speck."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def canonical_title(text: str) -> str | None:
    """`text` with a known title at its start spelled right, or None when it starts with none."""
    letters = [(i, c) for i, c in enumerate(skeleton(text)) if c.isalpha()]
    squeezed = "".join(c for _, c in letters)
    for key, title in _SQUEEZED_TITLES:
        if not squeezed.startswith(key):
            continue
        boundary = len(squeezed) == len(key) or text[letters[len(key)][0] - 1] == " "
        # OCR glues the signature's stroke to the title's last letter (`HIỆU TRƯỞNGÈZ`): a letter or two
        # stuck to a complete title at the end of the line is a speck, not a longer word.
        speck = not boundary and len(squeezed) - len(key) <= 2 and " " not in text[letters[len(key)][0] :].strip()
        if boundary or speck:
            rest = text[letters[len(key)][0] :] if boundary and len(squeezed) > len(key) else ""
            words = rest.split()
            while words and not _title_word(words[-1]):  # the signature's stroke read as `c~`, `?-`
                words.pop()
            return f"{title} {' '.join(words)}".strip()
    return None


# Provinces and centrally-run cities (before and after the 2025 merger), as places of issue are printed;
# OCR's misread marks on a place (`Cân Thơ`) are mended against them.
PROVINCES = tuple(
    """An Giang, Bà Rịa - Vũng Tàu, Bắc Giang, Bắc Kạn, Bạc Liêu, Bắc Ninh, Bến Tre, Bình Định, Bình Dương,
    Bình Phước, Bình Thuận, Cà Mau, Cần Thơ, Cao Bằng, Đà Nẵng, Đắk Lắk, Đắk Nông, Điện Biên, Đồng Nai,
    Đồng Tháp, Gia Lai, Hà Giang, Hà Nam, Hà Nội, Hà Tĩnh, Hải Dương, Hải Phòng, Hậu Giang, Hòa Bình, Huế,
    Hưng Yên, Khánh Hòa, Kiên Giang, Kon Tum, Lai Châu, Lâm Đồng, Lạng Sơn, Lào Cai, Long An, Nam Định,
    Nghệ An, Ninh Bình, Ninh Thuận, Phú Thọ, Phú Yên, Quảng Bình, Quảng Nam, Quảng Ngãi, Quảng Ninh, Quảng Trị,
    Sóc Trăng, Sơn La, Tây Ninh, Thái Bình, Thái Nguyên, Thanh Hóa, Thừa Thiên Huế, Tiền Giang,
    Thành phố Hồ Chí Minh, TP. Hồ Chí Minh, Trà Vinh, Tuyên Quang, Vĩnh Long, Vĩnh Phúc, Yên Bái""".replace(
        "\n", " "
    ).split(", ")
)
_PLACES_BY_KEY = {_key(" ".join(p.split())): " ".join(p.split()) for p in PROVINCES}
# Spellings of a province other than its name above that agencies print (the Highlands' `Đăk` without the acute,
# as the Công ty Điện lực Đắk Lắk's registry stamps its date line, held out 45): a spelling, not a misreading.
_PRINTED_SPELLINGS = frozenset(("Đăk Lăk", "Đăk Nông"))
_GLUED_PLACES = {k.replace(" ", ""): v.upper() for k, v in _PLACES_BY_KEY.items() if " " in k}


def _tones_apart(text: str) -> tuple[str, str]:
    """(the letters without tone marks, the tone marks in order): `Hoà` and `Hòa` give the same."""
    return without_tones(text), "".join(c for c in unicodedata.normalize("NFD", text) if c in TONE_MARKS)


def is_province(place: str) -> bool:
    """Whether `place` is a province's or a city's name as the register spells it, its city prefix as printed
    (`Tp.Hồ Chí Minh`)."""
    if city := _CITY_PREFIX.match(place):
        bare = place[city.end() :]
        return any(_PLACES_BY_KEY.get(_key(name)) == name for name in (f"TP. {bare}", bare))
    return _key(place) in _PLACES_BY_KEY and _PLACES_BY_KEY[_key(place)] == place


def mend_place(place: str) -> str:
    """`place`, or the province it spells with OCR's marks misread (`Cân Thơ` → `Cần Thơ`), or with one letter
    of a long name misread (`TP. Hà Chí Minh`, held out 33, hcm-iuh-hsv-qd-80: no other place is a letter off it);
    the old tone placement (`Khánh Hoà`), the case of an abbreviation (`Tp.`) and a spelling agencies print
    (`Đăk Lăk`) are a spelling, not a misreading, and stay."""
    city = _CITY_PREFIX.match(place)
    if city and _key(place) not in _PLACES_BY_KEY:
        # `Tp.Hè Chí Minh`, `Tp.Hà Chí Minh` (held out 63): the city's name mended as the register's `TP. …` spells
        # it, the prefix as printed (`Tp.`, glued to the name or not)
        name = place[city.end() :]
        known = _mended_place(f"TP. {name}")
        bare = _CITY_PREFIX.sub("", known) if known != f"TP. {name}" else _mended_place(name)
        return place[: city.end()] + bare
    return _mended_place(place)


def _mended_place(place: str) -> str:
    known = _PLACES_BY_KEY.get(_key(place))
    if place in _PRINTED_SPELLINGS:
        return place
    if known is None and (district := _districts_by_key().get(_key(place))):
        return _spelled_as(place, district)  # a district's committee dates its letters there (`Đắk R’lấp`)
    if known is None:
        near = {p for k, p in _PLACES_BY_KEY.items() if len(k) >= _LONG_PLACE and _one_letter_changed(k, _key(place))}
        known = near.pop() if len(near) == 1 else None
    if known is None or _tones_apart(known.lower()) == _tones_apart(place.lower()):
        return place  # `Tp. Hồ Chí Minh` as printed, not `TP.`
    return known


_CITY_PREFIX = re.compile(r"^(?:TP|Tp|tp|T\.P|Thành phố|thành phố|THÀNH PHỐ)\.?\s*(?=[A-ZĐÀ-Ỹ])")
_LONG_PLACE = 10  # letters and spaces of a place's name long enough that one letter misread leaves it the only near one


def _one_letter_changed(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


# A province named after the word that says it is one (`tỉnh Lâm Đồng`, `Tỉnh uỷ Lâm Đồng`, `thành phố Cần
# Thơ`): two to four capitalised words.
_PROVINCE_AFTER = re.compile(r"\b((?:tỉnh|Tỉnh|TỈNH|phố|Phố|TP\.?)\s+)((?:[^\W\d_]+[ ]){1,3}[^\W\d_]+)")


def mend_provinces(text: str) -> str:
    """`text` with the provinces it names after `tỉnh`, `Tỉnh uỷ` or `thành phố` spelled right where OCR
    misread their marks (`Tỉnh uỷ Lâm Đông` → `Lâm Đồng`, `Lâm Dồng`); the longest run of words that spells
    a province is taken, and a spelling that differs only in where the tone sits (`Khánh Hoà`) stays; `tỉnh`
    itself read with another mark before a province's name is `tỉnh` (`_PROVINCE_WORD`)."""

    def mended(m: re.Match[str]) -> str:
        words = m.group(2).split(" ")
        start = 1 if words[0] in ("uỷ", "ủy") else 0  # `Tỉnh uỷ Lâm Đồng`
        for n in range(len(words), start + 1, -1):
            head = " ".join(words[start:n])
            known = _PLACES_BY_KEY.get(_key(head))
            if known and all(w[:1].isupper() for w in words[start:n]):
                known = known.upper() if head.isupper() else known  # `TỈNH KHÁNH HÒA` in a subject in capitals
                if _tones_apart(known) != _tones_apart(head):
                    return m.group(1) + " ".join([*words[:start], known, *words[n:]])
                break
        return m.group()

    text = _HYPHENATED.sub(
        lambda m: m[0].replace("-", " ") if _PLACES_BY_KEY.get(_key(m[0].replace("-", " "))) else m[0], text
    )
    return _PROVINCE_AFTER.sub(mended, _PROVINCE_WORD.sub(_province_word, text))


# A province's two words OCR joined with a hyphen (`Báo Hà-Tĩnh`, held out 35, hatinh-ubnd-tb-340).
_HYPHENATED = re.compile(r"(?<![\w-])[A-ZĐÀ-Ỹ][^\W\d_]*-[A-ZĐÀ-Ỹ][^\W\d_]*(?![\w-])")


# Vietnam's district-level units (`scripts/build_districts.py`): a district's name after the word that says it is one
# (`UBND HUYỆN NGHỊ XUÂN`, held out 8, nghixuan-hdxt-tb-15) is mended against them as a province's is.
DISTRICTS_FILE = Path(__file__).resolve().parents[1] / "defaults" / "places" / "districts.tsv"
_NAME_WORD = rf"[^\W\d_]+(?:[{APOSTROPHES}][^\W\d_]+)?"  # a word, or two joined by an apostrophe (`R’lấp`)
_DISTRICT_AFTER = re.compile(
    rf"\b((?:huyện|Huyện|HUYỆN|quận|Quận|QUẬN|(?:thị|Thị|THỊ) (?:xã|Xã|XÃ))\s+)((?:{_NAME_WORD}[ ]){{0,3}}{_NAME_WORD})"
)
# A word printed so in a district's name, which the register spells otherwise: the Highlands' `Đăk` (see
# `_PRINTED_SPELLINGS`; held out 54, Đăk R’lấp's council).
_PRINTED_WORDS = frozenset(("Đăk", "ĐĂK"))


@functools.cache
def _districts_by_key() -> dict[str, str]:
    """The districts' names by their letters without marks; a key two names share but for their marks (`Thanh Trì`,
    `Thạnh Trị`) names neither, while old and new tone placement (`Hoà Bình`, `Hòa Bình`) is one name."""
    names: dict[str, set[str]] = {}
    for line in DISTRICTS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name = line.split("\t")[1]
            names.setdefault(_key(name), set()).add(name)
    return {k: min(v) for k, v in names.items() if len({_tones_apart(n) for n in v}) == 1}


def mend_districts(text: str) -> str:
    """`text` with the districts it names after `huyện`, `quận` or `thị xã` spelled right where OCR misread their
    marks (`HUYỆN NGHỊ XUÂN` → `NGHI XUÂN`): the longest run of capitalised words that spells one is taken; a
    spelling that differs only in where the tone sits stays."""

    def mended(m: re.Match[str]) -> str:
        words = m.group(2).split(" ")
        found = _district_opening(words)
        if found is None:
            return m.group()
        n, known = found
        head = " ".join(words[:n])
        spelled = _spelled_as(head, known)
        return m.group() if spelled == head else m.group(1) + " ".join([spelled, *words[n:]])

    return _DISTRICT_AFTER.sub(mended, text)


def _district_opening(words: list[str]) -> tuple[int, str] | None:
    """(how many of `words` spell it, the district as the register spells it) for the longest run of capitalised
    words at their head that spells a district, or None."""
    known_names = _districts_by_key()
    for n in range(len(words), 0, -1):
        known = known_names.get(_key(" ".join(words[:n])))
        if known and all(w[:1].isupper() for w in words[:n]):
            return n, known
    return None


def _spelled_as(read: str, known: str) -> str:
    """`read`, a district's name as OCR read it, with the marks of the register's spelling `known` (same letters),
    word by word: each letter in the case read (`R’lấp` as printed, not the register's `R'Lấp`), an apostrophe
    where the register has one (typeset: `’`), a word whose tone only sits elsewhere (`Hoà`) or that agencies print
    so (`Đăk`) as read."""
    read_words, known_words = _APOSTROPHE.sub(" ", read).split(), _APOSTROPHE.sub(" ", known).split()
    gaps = ["’" if _APOSTROPHE.search(gap) else " " for gap in re.findall(rf"[\s{APOSTROPHES}]+", known)]
    if len(read_words) != len(known_words) or len(gaps) != len(known_words) - 1:
        return read
    words = []
    for seen, word in zip(read_words, known_words, strict=True):
        if seen in _PRINTED_WORDS or _tones_apart(seen.lower()) == _tones_apart(word.lower()) or len(seen) != len(word):
            words.append(seen)
        else:
            words.append("".join(k.upper() if r.isupper() else k.lower() for r, k in zip(seen, word, strict=True)))
    return words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:], strict=True))


def named_districts(name: str) -> tuple[str, ...]:
    """The districts an agency's name names after `huyện`, `quận` or `thị xã`, as the register spells them."""
    found = (_district_opening(m.group(2).split(" ")) for m in _DISTRICT_AFTER.finditer(name))
    return tuple(known for _, known in filter(None, found))


def mend_own_districts(text: str, districts: tuple[str, ...]) -> str:
    """`text` with the issuer's own districts (`named_districts`) spelled as the issuer's name spells them where
    OCR misread their marks without the word `huyện` before them (`Trang thông tin điện tử Nghỉ Xuân` under `UBND
    HUYỆN NGHI XUÂN`, held out 8, nghixuan-hdxt-tb-15): capitalised words with the same letters."""
    for district in districts:
        count = len(district.split())
        runs = re.finditer(rf"(?<!\w)(?=({_NAME_WORD}" + f"(?: {_NAME_WORD})" * (count - 1) + r")(?!\w))", text)
        for m in reversed(list(runs)):
            read = m.group(1)
            if _key(read) != _key(district) or not all(w[:1].isupper() for w in read.split()):
                continue
            spelled = _spelled_as(read, district)
            if spelled != read:
                text = text[: m.start(1)] + spelled + text[m.end(1) :]
    return text


# `tỉnh` read with another mark before a province's name (`Đoàn ĐBQH đơn vị tính Vĩnh Long`, held out 27,
# vinhlong-hdnd-nq-19-2023): the word that says the name is a province's.
_PROVINCE_WORD = re.compile(r"\b([Tt])(?:ính|inh|ình|ịnh|ĩnh)(?= (?P<name>(?:[^\W\d_]+ ){0,3}[^\W\d_]+))")


def _province_word(m: re.Match[str]) -> str:
    words = m["name"].split(" ")
    for n in range(len(words), 0, -1):
        if all(w[:1].isupper() for w in words[:n]) and _key(" ".join(words[:n])) in _PLACES_BY_KEY:
            return f"{m[1]}ỉnh"
    return m[0]


# The words of an agency's name that are a closed vocabulary: the organs and the provinces. OCR misreads
# their marks in capitals (`ỦY BAN NHÂN DÂN THÁNH PHÓ CÁN THƠ`); spelled the same without marks, they are
# the known words.
_AGENCY_WORDS = tuple(
    sorted(
        {
            *(" ".join(p.split()).upper() for p in PROVINCES if not p.startswith(("TP.", "Thành phố"))),
            "ỦY BAN NHÂN DÂN",
            "HỘI ĐỒNG NHÂN DÂN",
            # ministries' organs, OCR's most frequent losses (`TỎNG CỤC THUÊ`, `CUC THUE TP HAI PHONG`)
            "TỔNG CỤC",
            "CỤC",
            "THUẾ",
            "HẢI QUAN",
            "BỘ",
            "SỞ",
            "TƯ PHÁP",
            "TÀI CHÍNH",
            "THÀNH PHỐ",
            "TỈNH",
            "QUẬN",
            "QUẢN LÝ",  # a management board's (`BAN QUẢN LÝ CÁC KCN`), never the district `QUẬN` it shares letters with
            "BAN QUẢN LÝ",  # its `BAN` read as the word `BÀN` (held out 20, hanoi-bqldavhxh-ttr-88)
            "CƠ QUAN",  # `CÁC CƠ QUAN`, never the district word `QUẬN` (held out 23, hanoi-dtnkcq-cv-09)
            "KHỐI",
            "HỒ CHÍ MINH",  # the city's name after `TP.` (`TẠI TP. HỖ CHÍ MINH`, held out 33)
            "MÁY TÍNH",  # a computer emergency team's (`ỨNG CỨU KHẨN CẤP MÁY TÍNH`), never the province word `TỈNH`
            "HUYỆN",
            "PHƯỜNG",
            # the ministries' names (2025), and their police's organs (`ĐẦU TƯ`, `ĐIỀU TRA` misread)
            "KẾ HOẠCH VÀ ĐẦU TƯ",
            "KHOA HỌC VÀ CÔNG NGHỆ",
            "GIÁO DỤC VÀ ĐÀO TẠO",
            "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
            "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
            "TÀI NGUYÊN VÀ MÔI TRƯỜNG",
            "GIAO THÔNG VẬN TẢI",
            "THÔNG TIN VÀ TRUYỀN THÔNG",
            "DÂN TỘC VÀ TÔN GIÁO",
            "CÔNG THƯƠNG",
            "XÂY DỰNG",
            "NỘI VỤ",
            "NGOẠI GIAO",
            "QUỐC PHÒNG",
            "CÔNG AN",
            "CẢNH SÁT",
            "ĐIỀU TRA",
            "TỘI PHẠM",
        },
        key=len,
        reverse=True,
    )
)


_LINES_GLUED = re.compile(r"(?<=NHÂN DÂN)(?=TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)")


def mend_agency(name: str) -> str:
    """`name` with its organ and province words spelled as they are (`THÁNH PHÓ CÁN THƠ` → `THÀNH PHỐ CẦN
    THƠ`), matched without marks on whole words; a name in lower case is left as it is."""
    if name != name.upper():
        return name
    # OCR's specks: after the name (`ĐẦU TƯ_`), and a full stop between two of its lines' words (`BAN CHỈ
    # ĐẠO QUỐC GIA. CHỐNG BUÔN LẬU`; an abbreviation's `TP. HỒ CHÍ MINH` stays)
    name = re.sub(r"(?<=\w\w\w)\.(?= \w)", "", re.sub(r"[\s_~.,;:-]+$", "", name))
    # a province's words OCR read together (`UBND TỈNH ĐẮKNÔNG`, held out 43, daknong-thanhtra-tb-269), and a
    # people's committee's two lines glued by a Word file's text without its breaks (`ỦY BAN NHÂN DÂNTỈNH BÌNH
    # THUẬN`, held out 73)
    name = " ".join(_GLUED_PLACES.get(skeleton(w), w) for w in _LINES_GLUED.sub(" ", name).split(" "))
    key = skeleton(name)
    taken: list[tuple[int, int]] = []  # spans a longer known word spelled: `TỈNH` does not respell `HÀ TĨNH`'s
    for word in _AGENCY_WORDS:
        want = skeleton(word)
        for m in reversed(list(re.finditer(rf"(?<!\w){re.escape(want)}(?!\w)", key))):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            if _tones_apart(name[m.start() : m.end()]) != _tones_apart(word):  # `THANH HOÁ` is a spelling
                name = name[: m.start()] + word + name[m.end() :]
    return name
