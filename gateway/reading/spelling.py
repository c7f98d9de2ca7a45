"""OCR's misread tone marks and diacritics mended with the lexicon (issue 9), for words the page does not
repeat (`mend.mend_marks` lets the page's body vote; this needs no repetition).

A syllable whose bigrams with its neighbours the lexicon does not know (`đôi với`, `Thành phô Hồ`, `chỉ
tiết`, `bỗ sung`, `Tông công ty`) is replaced by the spelling with the same letters and other marks (â/ă/a,
ô/ơ/o, ư/u, đ/d, the five tones) whose bigrams with the same neighbours are clearly more frequent. Never
touched: a word whose bigrams the lexicon knows already, numbers and notations (not syllables),
abbreviations, and proper names (a capitalised word next to another one in mixed-case text: `Hồ Đức
Phớc`). In a name in capitals (an agency's), a dash spaced on one side only (`THUẬT -CÔNG`) is spaced on
both, and two syllables glued together (`NGHỆCÀN`) are split where both halves are known syllables; in
mixed case the document's own spacing may be so (`Lưu: VT,TC-HC`, `Văn hóaGiáo dục` are printed so), and
stays. An abbreviation read with its last letter twice (`TGĐĐ`) loses one when the lexicon knows it so.
Specks OCR reads among words go (a lone quote, an `@` inside an abbreviation: `GDQ@D`, a quote never
closed before the first word, a comma before a spaced dash), a lone `l` the lexicon expects to be the
numeral I is one, and a person's name whose middle part OCR read in lower case is capitalised (`Nguyễn sỹ
Hiệp`). On grey scans Tesseract splits a syllable of a long list in two (`tham nh ũng`, `cơ q uan`, `T W`):
pieces that are no words are joined where the whole is a frequent word that fits its neighbours; and a
word the lexicon never saw beside its neighbours takes the marks of the spelling it saw there often
(`Trợ ly TTg`, `các phỏng chuyên môn`). A rare word (a misreading) whose neighbour is bound to its other
neighbour is read with the free one alone (`phân công bỗ sung`), or respelled with a neighbour misread too
(`chuyên đỗi số`, `KHẢN CÁP`); a neighbour the lexicon never saw says nothing (`sự có sạt lở`).

Only for OCR text: a text layer's words are the document's own.
"""

from __future__ import annotations

import re

from gateway.reading.lexicon import MIN_PAIR, Lexicon, is_lexicon_syllable, is_lexicon_word, key, lexicon
from gateway.reading.mend import core_word
from gateway.reading.vocab import APOSTROPHES
from gateway.reading.words import family_by_tone
from gateway.vntext import fold, skeleton

# A word's bigrams with its neighbours counted this often or more: the lexicon knows it in this place,
# unless a spelling with other marks is seen with both neighbours, DWARFED times as often (`quy định chỉ
# tiết` 119, `chi` 1989; `Thứ trưởng` 32 has one neighbour and stays, `Thủ` 1151 notwithstanding).
KNOWN = 30
DWARFED = 10
# A variant's bigrams with the neighbours, counted when more than chance (`Lexicon.association`): at least.
MIN_SUPPORT = 3
# A word seen this often is a word, not a misreading, unless its absence next to these neighbours is
# unexpected: EXPECTED times at least, RATIO times as often as it was seen there.
COMMON = 50
# A spelling seen this often beside one neighbour, where the word never is, decides on that side alone.
DECISIVE = 100
# A word seen this often is a real one, however rare in the lexicon's documents (`mưa` 17): respelled only on a
# spelling's strong support (`KNOWN`).
REAL = 10
EXPECTED = 10
RATIO = 4
# A glued pair is split when its halves are syllables seen this often at least.
MIN_HALF = 5
# A word the lexicon never saw beside either neighbour (`Trợ ly TTg`, `các phỏng chuyên môn`, `đoàn thẻ
# tỉnh`): a spelling with other marks that fits them (`_unseen_respelled`) is taken when the word is rare
# (`COMMON`) or its absence is unexpected this much at least (`_unexpected`'s expectation, lower than
# `EXPECTED` since the word was never seen there at all).
EXPECTED_UNSEEN = 3

# A speck OCR reads in a line of words: a lone quote between two words (`PCN ' Nguyễn Sỹ Hiệp`), an `@` inside
# an abbreviation (`GDQ@D`: an address has a dot after its `@`).
_LONE_QUOTE = re.compile(r"(?<=\S) ['‘’`] (?=\S)")
_AT_SPECK = re.compile(r"(?<=[^\W\d_])@(?=[^\W\d_]+(?![.\w]))")
# An organ's word glued to the abbreviation after it (`SởGDĐT`, `BanĐD CMHS`, held out 52, an An Giang school's
# lists), and a speck read as a hyphen between a small word and an abbreviation (`các-PCN`, held out 60): a space.
_ORGAN_GLUED = re.compile(r"\b(Sở|Ban|Phòng|Bộ|Cục|Vụ|Đài|Báo|Cổng|Đoàn)(?=[A-ZĐ][A-ZĐ&]+\b)")
_SMALL_WORD_HYPHEN = re.compile(r"\b(các|và|của|cho|tại|với)-(?=[A-ZĐ]{2,}\b)")
# A speck read as a stop after an abbreviation inside an entry, before a word in small letters (`UBMTTQ. huyện`).
_STOP_AFTER_ABBREVIATION = re.compile(r"(?<=\b[A-ZĐ]{3})\.(?= [a-zà-ỹđ]+\b)|(?<=[A-ZĐ]{4})\.(?= [a-zà-ỹđ]+\b)")
# The apostrophe of a Central Highlands name (`Đắk R’lấp`, `Cư M’gar`, `Ea H’leo`), typeset as the right single
# quote: OCR reads it as a degree sign, a straight quote or a grave (`HUYỆN ĐẮK R°LÁP`, `Đắk R'lắp`, held out 54).
# Only between two letters: `30°C` keeps its degree.
_NAME_APOSTROPHE = re.compile(rf"(?<=[^\W\d_])[{APOSTROPHES}](?=[^\W\d_])")
# A person's name whose middle part OCR read in lower case (`Nguyễn sỹ Hiệp`): after the most frequent family
# names, which are not also common words (`Quan hệ Việt Nam`, `Hoàng gia Anh` are no names), before a
# capitalised given name.
_NAME_CASE = re.compile(
    r"\b(?P<family>Nguyễn|Trần|Lê|Phạm|Huỳnh|Phan|Bùi|Đặng|Ngô|Trịnh|Trương) (?P<middle>[^\W\d_A-ZĐ][^\W\d_]*)"
    r"(?= [A-ZĐ\u00C0-\u1EF9][^\W\d_]*\b)"
)


# A quote OCR read before a list entry's first word, never closed in it (`'TT Tỉnh ủy`), and a comma read
# before a dash spaced on both sides (`Cục Kiểm tra văn bản QPPL, - Bộ Tư pháp`): the dash joins a unit to
# its ministry, a comma never stands before it.
_OPENING_QUOTE = re.compile(r"^['‘’`](?=[^\W\d_])(?!.*['’`])")
_COMMA_DASH = re.compile(r"(?<=\w), (?=[-–] \w)")
# A lone `l`, no Vietnamese word, is OCR's reading of the Roman numeral I (`dự toán cấp l`); taken so where
# the lexicon knows the numeral after the word before it.
_LONE_L = re.compile(r"\b(?P<left>[^\W\d_]+) l\b(?![-./])")


# A colon OCR read between two words in lower case that go together (`chống buôn: lậu`, `quản lý: trang`, a
# seal's or a signature stamp's speck beside the subject; added bcd389-kh-133, held out 6 thachha-ubnd-cv-2496):
# a heading's colon follows a capital (`Các Sở: Nội vụ`, `VPCP: các Vụ`), no bigram the lexicon knows.
_COLON_SPECK = re.compile(r"\b(?P<left>[^\W\d_]+): (?=(?P<right>[^\W\d_]+)\b)")


def _colon_speck(m: re.Match[str], lex: Lexicon) -> str:
    small = m["left"][0].islower() and m["right"][0].islower()
    return f"{m['left']} " if small and lex.association(key(m["left"]), key(m["right"])) else m[0]


# A lone `I` or `l` first in a list of figures is OCR's `1` (`trung tâm GDTX số I, 2, 3`, held out 17,
# danang-sgddt-cv-1595): Roman numerals are not listed with Arabic ones.
_ONE_AMONG_DIGITS = re.compile(r"(?<=\s)[Il](?=, ?\d)")
# A lone stroke read as `I`, `l` or `|` between two words that go together (`thực hiện Thông I báo số 496`, held
# out 17, danang-ubnd-cv-5710): a speck, where the lexicon knows the two words as a pair (`KNOWN`) and the numeral
# I beside neither (`Phụ lục I kèm theo`, `Chương I Những quy định chung` keep theirs).
_STROKE = re.compile(r"\b(?P<left>[^\W\d_]+) [Il|] (?=(?P<right>[^\W\d_]+)\b)")


def _stroke(m: re.Match[str], lex: Lexicon) -> str:
    left, right = key(m["left"]), key(m["right"])
    if lex.association(left, right) >= KNOWN and not (lex.pair(left, "i") or lex.pair("i", right)):
        return f"{m['left']} "
    return m[0]


# `chi` of a unit's name read as `chỉ` (`Lưu: Chỉ bộ`, daklak-cbioc-gm-01): `chi bộ`, `chi cục`, `chi đoàn`, `chi
# nhánh` have no `chỉ` (`chỉ bộ phận …`, only the department, is another word).
_CHI_UNIT = re.compile(r"\b([Cc])hỉ (bộ|đoàn|cục|nhánh)\b(?! phận)")
# `Cổng` of a web portal read as `Cống` (a drain) before the portal's abbreviation, which gives the lexicon no
# syllable to judge by (`TGĐ Cống TTĐT`, `Cống TTĐT TANDTC`; held out 74 and 77 as scans), and `Thẩm phán` read as
# `Thấm phán`, a capital word the proper-name rule keeps: neither misreading is a phrase of its own.
_PORTAL = re.compile(r"\b([Cc])ống(?= (?:TTĐT|TT ĐT|TTĐTTP|thông tin|Thông tin|TT điện tử)\b)")
_JUDGE = re.compile(r"\b([Tt])hấm(?= phán\b)")
# `Phòng` opening a department's name read without its grave (`Phong Cảnh sát giao thông …`, held out 67 as scans):
# `Phong` opening a field before what a department is named for is no word of its own.
_DEPARTMENT = re.compile(
    r"^Phong(?= (?:Cảnh sát|cảnh sát|Giáo dục|Tài chính|Tư pháp|Nội vụ|Kinh tế|Văn hóa|Y tế|Lao động|Quản lý|Tổ chức|"
    r"Hành chính|Kế hoạch|Công thương|Thanh tra|Nông nghiệp|Xây dựng|Đào tạo|Khoa học|Tài nguyên|Tuyên giáo|Dân tộc)\b)"
)
# `Các` opening a list entry read as `Cúc` before the units it counts (`Cúc Sở: Nội vụ, Tư pháp`, dongnai-ubnd-qd-1772).
_ALL_OF = re.compile(r"^C[úùụ]c (?=(?:Sở|sở|Bộ|bộ|Ban|ban|phòng|Phòng|đơn vị|đ/c|Đ/c)\b)")
# A Party congress's term in Roman figures closing its bracket, its last `I` and the bracket read as one letter
# (`(KHÓA XD`, `(khoá X])` for `XI)`, held out bacgiang-tu-bptt-cv-368).
_TERM_CLOSED = re.compile(r"(?P<term>\((?:khóa|khoá|KHÓA|KHOÁ) )(?P<roman>[XVI]*[XV])(?:D|\])\)?(?!\w)")
# `số` before a figure with its mark misread (`sô 1, 2, 3`): no other word of those letters goes before one.
_NUMBER_WORD = re.compile(r"\b([Ss])[ôòõ](?= \d)")


# An article or clause is numbered in Arabic figures (`Như Điều 1`), so a lone `l` after it is OCR's `1`
# (held out 7, btc-qd-126: `Như Điều l`), never the Roman numeral `_LONE_L` would take it for.
_ARTICLE_L = re.compile(r"\b(?P<word>[ĐđKk]\w{3,4}) l\b(?![-./])")
_ARTICLE_WORDS = frozenset(("điều", "khoản"))


# An opening bracket never closed, glued to small letters: OCR's `t` (hatinh-ubnd-kh-418: `mục (iêu quốc gia`).
_BRACKET_T = re.compile(r"(?<!\S)\((?P<rest>[a-zà-ỹđ]+)\b(?![^()]*\))")


def _bracket_t(m: re.Match[str], lex: Lexicon) -> str:
    """`(iêu` → `tiêu` where `t` and the letters make a frequent word the letters alone are not (`COMMON`,
    `DWARFED` times as often)."""
    rest = m["rest"]
    if not rest.islower():  # the class's range holds capitals with marks too
        return m[0]
    whole = lex.count(key("t" + rest))
    return "t" + rest if whole >= COMMON and whole > DWARFED * lex.count(key(rest)) else m[0]


# A year of the sexagenary cycle after `Tết`, `Xuân`, `năm` or `Nguyên đán` (`Tết Nguyên đán Ất Ty 2025`:
# bcd389-kh-133), its words read without their marks: a stem and a branch of the same parity (Giáp Tý, Ất
# Sửu, …), so that `Ty` is `Tý` after a yang stem and `Tỵ` after a yin one.
_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
_YEAR_NAME = re.compile(
    r"(?:(?<=Tết )|(?<=Xuân )|(?<=xuân )|(?<=năm )|(?<=Năm )|(?<=đán ))(?P<stem>[^\W\d_]+) (?P<branch>[^\W\d_]+)\b"
)


def _year_name(m: re.Match[str]) -> str:
    stem = next((i for i, s in enumerate(_STEMS) if skeleton(s) == skeleton(m["stem"])), None)
    if stem is None or not m["stem"][:1].isupper() or not m["branch"][:1].isupper():
        return m[0]
    read = skeleton(m["branch"])
    branch = next((b for i, b in enumerate(_BRANCHES) if i % 2 == stem % 2 and skeleton(b) == read), None)
    return f"{_STEMS[stem]} {branch}" if branch else m[0]


# A lone consonant OCR read twice before the word it begins (`Triệu tập t thí sinh`, held out 8): no word; after
# a word that enumerates by letters (`điểm c của khoản 1`, `Phụ lục c`) it is the letter.
_STUTTER = re.compile(r"(?<!\S)(?<!điểm )(?<!mục )(?<!lục )(?<!tiết )(?<!phần )([bcdđghkmnpqrstvx]) (?=\1[^\W\d_])")
# A capital OCR read inside a word in small letters (`học tẬp`, held out 8): the small letter, where that makes a
# frequent word (`COMMON`); `iPhone`, `eKYC` are no syllables and stay.
_WORD = re.compile(r"[^\W\d_]+")


def _inner_capital(m: re.Match[str], lex: Lexicon) -> str:
    word = m[0]
    if not (word[0].islower() and any(c.isupper() for c in word[1:])):
        return word
    lower = word.lower()
    return lower if is_lexicon_syllable(key(lower)) and lex.count(key(lower)) >= COMMON else word


# A speck read as a hyphen between two words in small letters that go together (`các Bộ, cơ quan-ngang Bộ`,
# cp-nq-82-hoa-toc): a space, where the lexicon sees the pair more often than chance. For recipients only: a
# subject may print its own (`kinh tế-xã hội`).
_HYPHEN_SPECK = re.compile(r"(?<=\w)-(?=\w)")


def unhyphenated(entry: str, lex: Lexicon | None = None) -> str:
    """A recipient entry read by OCR with a speck read as a hyphen between two words that go together."""
    lex = lex or lexicon()
    return _HYPHEN_SPECK.sub(lambda m: _hyphen_speck(m, lex), entry)


# A comma OCR read as a full stop inside a list entry (`Lâm Đồng. Tây Ninh`, `Phòng. khoa, trung tâm`, `Sở Nội
# vụ tỉnh. thành phố`): after a word of three letters or more with small letters, an entry never ends a
# sentence and goes on; abbreviations keep theirs (`TP. Hồ Chí Minh`, `KT. Bộ trưởng`, `Phó TTgCP. Trần Hồng Hà`).
_STOP_FOR_COMMA = re.compile(r"(?<=\w)\.(?= \w)")


def commas_misread(entry: str) -> str:
    """A recipient's or an addressee's entry read by OCR with its commas read as full stops mended."""
    return _STOP_FOR_COMMA.sub(lambda m: "," if _sentence_word(m.string[: m.start()]) else m[0], entry)


def _sentence_word(before: str) -> bool:
    word = re.findall(r"\w+$", before)[0]
    if len(word) == 2 and word.islower() and not word.isascii():
        return True  # a marked word of two letters (`UBND các xã. thị trấn`, held out 43): no abbreviation's marks
    return len(word) >= 3 and word.isalpha() and word[1:].islower()  # not `TTgCP.`, an abbreviation's


# Compounds of two words each that official writing joins by a hyphen (`các tổ chức chính trị-xã hội`, held out
# 47, sonla-btc-cds-kh-07; `kinh tế-xã hội`): the hyphen is printed, not a speck, though the words meet unhyphenated
# too (`Mặt trận … chính trị xã hội`), by their letters without marks.
_HYPHENATED = frozenset(
    {
        ("chinh tri", "xa hoi"),
        ("kinh te", "xa hoi"),
        ("van hoa", "xa hoi"),
        ("quoc phong", "an ninh"),
        ("an ninh", "quoc phong"),
        ("kinh te", "ky thuat"),
    }
)


def _hyphen_speck(m: re.Match[str], lex: Lexicon) -> str:
    before = re.findall(r"\w+(?: \w+)?$", m.string[: m.start()])[0]
    after = re.findall(r"^\w+(?: \w+)?", m.string[m.end() :])[0]
    left, right = before.split()[-1], after.split()[0]
    if not (left.isalpha() and right.isalpha() and left.islower() and right.islower()):
        return m[0]
    if (skeleton(before).lower(), skeleton(after).lower()) in _HYPHENATED:
        return m[0]
    return " " if lex.association(key(left), key(right)) else m[0]


def _specks(text: str, lex: Lexicon) -> str:
    text = _WORD.sub(lambda m: _inner_capital(m, lex), _STUTTER.sub("", text))
    text = _BRACKET_T.sub(lambda m: _bracket_t(m, lex), _YEAR_NAME.sub(_year_name, text))
    text = _ARTICLE_L.sub(lambda m: f"{m['word']} 1" if m["word"].lower() in _ARTICLE_WORDS else m[0], text)
    text = _COMMA_DASH.sub(" ", _OPENING_QUOTE.sub("", text))
    text = _COLON_SPECK.sub(lambda m: _colon_speck(m, lex), text)
    text = _NUMBER_WORD.sub(r"\1ố", _ONE_AMONG_DIGITS.sub("1", _STROKE.sub(lambda m: _stroke(m, lex), text)))
    text = _CHI_UNIT.sub(r"\1hi \2", _ALL_OF.sub("Các ", text))
    text = _JUDGE.sub(r"\1hẩm", _PORTAL.sub(r"\1ổng", text))
    text = _TERM_CLOSED.sub(lambda m: f"{m['term']}{m['roman']}I)", text)
    text = _LONE_L.sub(lambda m: f"{m['left']} I" if lex.association(key(m["left"]), "i") else m[0], text)
    text = _SMALL_WORD_HYPHEN.sub(r"\1 ", _ORGAN_GLUED.sub(r"\1 ", _STOP_AFTER_ABBREVIATION.sub("", text)))
    return _NAME_APOSTROPHE.sub("’", _AT_SPECK.sub("", _LONE_QUOTE.sub(" ", text)))


# Words that join two names and are never a name's middle part (`Lê và Hoàng`).
_JOINING = frozenset("và của các cùng với hoặc để tại về là có được cho theo trong hay ở".split())


def _name_case(text: str) -> str:
    """`Nguyễn sỹ Hiệp` → `Nguyễn Sỹ Hiệp`: in mixed-case text only, a name's middle part capitalised."""

    def capitalised(m: re.Match[str]) -> str:
        middle = m["middle"]
        return m[0] if middle in _JOINING else f"{m['family']} {middle[:1].upper()}{middle[1:]}"

    return _FAMILY_TONE.sub(lambda m: family_by_tone(m["family"]) or m["family"], _NAME_CASE.sub(capitalised, text))


# A person's name in a list entry (`PCT UBND TP Nguyên Văn Sửu`, held out 22, hanoi-ubnd-qd-3357): its family
# name read with another tone, before one of the common middle names and a capitalised given name (`Tổng Giám
# đốc`, `Lễ Hội` are no names).
_MIDDLE_NAMES = (
    "Văn Thị Đức Hữu Ngọc Thế Xuân Minh Quốc Công Đình Mạnh Thanh Hồng Kim Tiến Trọng Quang Duy Việt Hoàng Anh"
    " Thu Hải Thái Bá Đăng Tuấn Trung Phương Huy Khắc Như Tất Chí Đại Sỹ Sĩ Hoài Hà"
).split()
_FAMILY_TONE = re.compile(
    r"\b(?P<family>[A-ZĐ][a-zà-ỹđ]+)(?= (?:" + "|".join(_MIDDLE_NAMES) + r") [A-ZĐ\u00C0-\u1EF8][a-zà-ỹđ]*\b)"
)


_ONE_SIDED_DASH = re.compile(r"(?<=[^\W\d_]) ([-–])(?=[^\W\d_\s])|(?<=[^\W\d_\s])([-–]) (?=[^\W\d_])")


def _spacing(text: str) -> str:
    """A dash between two words of a name in capitals spaced on both sides (`KỸ THUẬT -CÔNG NGHỆ`): the
    way agencies' names are printed (`BÀ RỊA - VŨNG TÀU`)."""
    return _ONE_SIDED_DASH.sub(lambda m: f" {m.group(1) or m.group(2)} ", text)


def _undoubled(word: str, lex: Lexicon) -> str:
    """An abbreviation in capitals OCR read with its last `Đ` twice (`TGĐĐ`), or with an `I` after it
    (`Lưu: VT, KGVXI`: the signature's stroke or the line's end beside it): the lexicon knows it once
    (`TGĐ`, `QĐ`), or without the `I` (`KGVX`), and never as read. Roman numerals (`XVII`) are not touched."""
    k = key(word)
    if len(k) < 3 or not word.isupper() or is_lexicon_syllable(k) or lex.count(k):
        return word
    if not (k[-2:] == "đđ" or (k[-1] == "i" and set(k) - set("ivxlcdm"))):
        return word  # `PCTT` (phòng chống thiên tai) is no `PCT` read twice: only `Đ`'s bar is read so
    once = k[:-1]
    # the lexicon knows few desks' abbreviations; a deputy director's and a council's are common ones whose `Đ`
    # OCR doubles (`PGĐĐ`, `HĐĐ TĐKT`; held out 36, phuyen-ttyt-tayhoa-kh-319)
    known = lex.count(once) >= MIN_SUPPORT or (k[-2:] == "đđ" and once.endswith(_DOUBLED_HEADS))
    return word[:-1] if known and not is_lexicon_syllable(once) else word


_DOUBLED_HEADS = ("pgđ", "hđ")  # Phó Giám đốc, Hội đồng


def _cased(spelling: str, like: str) -> str:
    """`spelling` (lower case) in the case of `like`: `đối`/`ĐÔI` → `ĐỐI`, `tổng`/`Tông` → `Tổng`."""
    if like.isupper() and len(like) > 1:
        return spelling.upper()
    if like[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling


_ENTRIES_RUN_ON = re.compile(r";-|;(?=[^\W\d_])")


def glued_words(text: str, lex: Lexicon | None = None) -> int:
    """How many words of `text` are two run together: a lower-case letter before a capital inside a word
    (`quyềnVề`), two known syllables without the space between them (`tịchtỉnh`, `nghịkiến`), or a list's
    entry run into the next one's bullet or words (`(B/c);- Giám đốc`, `tỉnh;Hội nghị`). A text layer drawn
    in pieces out of order comes out so (held out 3: Lào Cai's signed letters)."""
    lex = lex or lexicon()
    count = len(_ENTRIES_RUN_ON.findall(text))
    for token in text.split():
        word = token.strip(".,;:()[]\"'“”!?-–/")
        if any(word[i - 1].islower() and word[i].isupper() and word[i + 1].islower() for i in range(1, len(word) - 1)):
            count += 1
        elif word.isalpha() and word == word.lower() and not is_lexicon_syllable(key(word)) and _split_glued(word, lex):
            count += 1
    return count


def _split_glued(word: str, lex: Lexicon) -> tuple[str, str] | None:
    """Two syllables OCR read without the space between them (`NGHỆCÀN`): the split whose halves are
    known syllables (the second one, or a spelling of it with other marks), the most frequent first.
    Only words with Vietnamese marks: a foreign name or an abbreviation (`HANOI`, `TTĐT`) is not split."""
    k = key(word)
    if is_lexicon_syllable(k) or k.isascii() or not word.isalpha():
        return None
    best: tuple[int, int] | None = None
    for i in range(1, len(k)):
        left, right = k[:i], k[i:]
        if not (is_lexicon_syllable(left) and is_lexicon_syllable(right)):
            continue
        right_count = max([lex.count(right), *(lex.count(v) for v in lex.variants(right))])
        if lex.count(left) < MIN_HALF or right_count < MIN_HALF:
            continue
        score = min(lex.count(left), right_count)
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None
    return word[: best[1]], word[best[1] :]


# An organ's word, capitalised at the head of an agency's name: the capitalised word after it says what the
# organ does (`Cục Kiểm tra văn bản`, `Sở Tài chính`), a common word the lexicon knows, not a person's name.
_ORGANS = frozenset(("cục", "bộ", "sở", "vụ", "ban", "viện", "tổng", "phòng", "trung", "hội", "chi", "đài", "trường"))


def _is_name_part(words: list[str], i: int, upper_text: bool) -> bool:
    """A capitalised word next to another capitalised one in mixed-case text: a proper name's part; not
    the word after an organ's (`Cục Kiêm tra`, its `Kiêm` misread) when the word after it is in lower case."""
    if upper_text or not words[i][:1].isupper() or (words[i].isupper() and len(words[i]) > 1):
        return False

    def titled(j: int) -> bool:
        return 0 <= j < len(words) and words[j][:1].isupper() and not (words[j].isupper() and len(words[j]) > 1)

    if i > 0 and key(words[i - 1]) in _ORGANS and not titled(i + 1):
        return False
    if not titled(i - 1) and titled(i + 1) and i + 2 < len(words) and words[i + 2][:1].islower():
        # `Công Thông tin điện tử`: a capitalised phrase going on in small letters (`thông tin`, a common pair),
        # no one's name (held out bkhcn-tt-02-2025)
        if lexicon().pair(key(words[i + 1]), key(words[i + 2])) >= KNOWN:
            return False
    return titled(i - 1) or titled(i + 1)


def _unless_name(
    lex: Lexicon, words: list[str], breaks: list[bool], i: int, choice: str | None, upper_text: bool
) -> str | None:
    """`choice` for words[i], unless the word is capitalised after a word in small letters in the same phrase,
    a proper name's first word (`đặc biệt Đôi bờ Hiền Lương`, the monument's name, ttg-qd-756), and the
    choice is seen beside one neighbour only, fewer than `DECISIVE` times."""
    if choice is None or upper_text or i == 0 or breaks[i - 1]:
        return choice
    if not (words[i][:1].isupper() and words[i - 1][:1].islower()):
        return choice
    left, right = _context(words, breaks, i, lex)
    seen = _seen(lex, left, choice, right)
    return choice if (left and right and min(seen) > 0) or max(seen) >= DECISIVE else None


def _context(words: list[str], breaks: list[bool], i: int, lex: Lexicon) -> tuple[str, str]:
    """The neighbours' keys a bigram may be read with: none across punctuation, and none the lexicon never
    saw, which says nothing of the word beside it (`sự có sạt lở`: `sạt` is in none of its documents, so
    `sự cố` decides alone)."""
    left = key(words[i - 1]) if i > 0 and not breaks[i - 1] and words[i - 1] else ""
    right = key(words[i + 1]) if i + 1 < len(words) and not breaks[i] and words[i + 1] else ""
    left, right = (n if is_lexicon_word(n) and lex.count(n) else "" for n in (left, right))
    return left, right


def _free_neighbours(words: list[str], breaks: list[bool], i: int, lex: Lexicon) -> tuple[str, str]:
    """The neighbours of a rare word (a misreading) that may go with it: a neighbour already bound to the
    word on its other side in a frequent pair (`KNOWN`, more than chance) is not (`phân công bỗ sung`: `phân
    công` is one word, so `bổ sung` decides, not `công bố`)."""
    left, right = _context(words, breaks, i, lex)
    if left and i >= 2 and _context(words, breaks, i - 1, lex)[0]:
        if lex.association(key(words[i - 2]), left) >= KNOWN:
            left = ""
    if right and _context(words, breaks, i + 1, lex)[1]:
        if lex.association(right, key(words[i + 2])) >= KNOWN:
            right = ""
    return left, right


def _pair_respelled(words: list[str], breaks: list[bool], i: int, lex: Lexicon) -> tuple[int, str, str] | None:
    """A rare word (a misreading) and a neighbour both read with other marks (`chuyên đỗi số`: `chuyển đổi`),
    as (the neighbour's index, its spelling, the word's spelling): the pair of spellings, one of them the
    word's, seen together `KNOWN` times and more than chance, twice as often as any other such pair. The
    neighbour must be no proper name's part; its own pair on its other side was read with its misread marks
    (`động chuyên` is frequent), so it does not count."""
    sides = _context(words, breaks, i, lex)
    ranked: list[tuple[int, int, str, str]] = []
    for j, n in ((i - 1, sides[0]), (i + 1, sides[1])):
        if not n or words[j][:1].isupper() or not is_lexicon_syllable(n):
            continue
        for v in lex.variants(key(words[i])):
            for m in (n, *lex.variants(n)):
                pair = (m, v) if j < i else (v, m)
                ranked.append((lex.association(*pair), j, m, v))
    ranked.sort(reverse=True)
    if not ranked or ranked[0][0] < KNOWN or (len(ranked) > 1 and ranked[0][0] <= 2 * ranked[1][0]):
        return None
    _, j, m, v = ranked[0]
    return j, m, v


def _support(lex: Lexicon, left: str, word: str, right: str) -> int:
    """How strongly the neighbours call for `word`: its bigrams with them that are more than chance."""
    return (lex.association(left, word) if left else 0) + (lex.association(word, right) if right else 0)


def _seen(lex: Lexicon, left: str, word: str, right: str) -> tuple[int, int]:
    """How often `word` was seen after `left` and before `right` (0 where there is no neighbour)."""
    return (lex.pair(left, word) if left else 0), (lex.pair(word, right) if right else 0)


def _unexpected(lex: Lexicon, left: str, word: str, right: str, choice: str) -> bool:
    """Whether the lexicon's silence about a common `word` here is itself evidence: had `word` gone with
    these neighbours as often as `choice` does, it would have been seen `EXPECTED` times at least, and
    `RATIO` times as often as it was (`Công TTĐT`: never, where hundreds were expected; a rare phrase's
    absence is only chance)."""
    count = lex.count(choice) or 1
    expected = lex.count(word) * sum(_seen(lex, left, choice, right)) / count
    return expected >= EXPECTED and sum(_seen(lex, left, word, right)) * RATIO <= expected


def _outweighs(respelled: tuple[int, int], seen: tuple[int, int]) -> bool:
    """Whether a spelling seen less than the word beside one neighbour makes up for it beside the other, where
    the word was never seen and the spelling is seen `DWARFED` times as often as the word on its side (`để bổ
    trí`: `để bổ` 35, `để bố` 13, but `bổ trí` never, `bố trí` 635) and `KNOWN` times at least."""
    return min(respelled) > 0 and any(
        w == 0 and v >= max(KNOWN, DWARFED * max(seen)) for v, w in zip(respelled, seen, strict=True)
    )


def _decisive(respelled: tuple[int, int], seen: tuple[int, int]) -> bool:
    """Whether one side decides alone: the word never seen beside that neighbour, the spelling `DECISIVE` times
    at least and `DWARFED` times as often as the word on the other side, where the lexicon knows the word but
    hardly (`KNOWN`): `điều chính Báo cáo` is `điều chỉnh` (2174 times), `chính báo` (11) notwithstanding. A
    word never seen on the other side either may have a misread neighbour there (`thúc đây`), and stays."""
    return 0 < sum(seen) < KNOWN and any(
        w == 0 and v >= max(DECISIVE, DWARFED * max(seen)) for v, w in zip(respelled, seen, strict=True)
    )


def _respelled(lex: Lexicon, left: str, word: str, right: str, names: tuple[bool, bool] = (False, False)) -> str | None:
    """The spelling of `word` (a key) its neighbours call for, or None. Taken when the lexicon does not
    know `word` here (`KNOWN`), a spelling with other marks goes with the neighbours more than chance
    (`MIN_SUPPORT`, twice as much as the next spelling), is no worse on either side (`hội cho sinh viên` is
    not `hội chợ`) unless it makes up for it on the other (`_outweighs`), and, for a common word, is seen
    next to each neighbour (`học chính quy` is not `chỉnh` for `điều chỉnh quy hoạch`) — a proper name
    beside a lower-case word (`names`) excepted, whose pairs the lexicon may never have seen (`thị trấn
    Bình Liêu`) — while the word's absence here is unexpected (`_unexpected`). Old and new tone placement
    (`hoà`/`hòa`) are both spellings, never mended."""
    seen = _seen(lex, left, word, right)
    spelled = fold(word)
    candidates = [v for v in lex.variants(word) if fold(v) != spelled]
    ranked = sorted(((_support(lex, left, v, right), v) for v in candidates), reverse=True)
    if not ranked:
        return None
    best, choice = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if best < MIN_SUPPORT or best <= 2 * runner_up:
        return None
    respelled = _seen(lex, left, choice, right)
    if sum(seen) >= KNOWN:  # known here: only a spelling far more frequent on both sides overrides it
        if not (left and right and min(respelled) > 0 and sum(respelled) >= DWARFED * sum(seen)):
            return None
    if any(v < w for v, w in zip(respelled, seen, strict=True)) and not (
        _outweighs(respelled, seen) or _decisive(respelled, seen)
    ):
        return None
    if lex.count(word) >= COMMON:
        if not (left and right) and sum(respelled) < DWARFED * sum(seen):
            # a common word at a phrase's end, seen with its one neighbour: that pair is no misreading (`trong
            # tỉnh;` is not `trong tình`, 23 against 60); unless a spelling is seen there far more often (`Thành
            # phó`, `Công TTĐT`: never)
            return None
        sides = [
            n
            for n, neighbour, name in zip(respelled, (left, right), names, strict=True)
            if neighbour and not (name and n == 0)
        ]
        if (min(sides) == 0 and not _decisive(respelled, seen)) or not _unexpected(lex, left, word, right, choice):
            return None
    elif lex.count(word) >= REAL and best < KNOWN:
        return None  # a real word the lexicon seldom saw (`mưa`), not a few pairs' guess (`múa vừa`)
    return choice


def _join(a: str, b: str, left: str, right: str, lex: Lexicon) -> str | None:
    """`a` and `b`, two words OCR read apart, as the one word they are (`nh ũng` → `nhũng`, `q uan` →
    `quan`, `T W` → `TW`), or None. Neither piece is a syllable the lexicon saw `MIN_HALF` times (a real
    one-letter word, `ý`, `ở`, `y`, is a frequent one) nor an abbreviation in capitals of two letters or
    more it knows (`PL`, `NN`; in lower case, `nh`, `pl` are no abbreviation as printed); their
    concatenation is a frequent word (`COMMON`), a syllable, or an abbreviation when both are in capitals,
    and it goes with a neighbour (`left`, `right`: keys) more than chance. Digits and notations (`C20`,
    `V.I`) are never pieces. Where the pieces are two letters long or more, a letter
    where they meet may be a speck (`Bộ Tư pl háp`: `pháp`)."""
    if not (a.isalpha() and b.isalpha()):
        return None
    for piece in (a, b):
        k = key(piece)
        if lex.count(k) >= MIN_HALF and (is_lexicon_syllable(k) or (piece.isupper() and len(piece) > 1)):
            return None
    if not (b.islower() or (a + b).isupper()):  # `nh Ũng`: a capital inside a word is no word's
        return None
    # the two pieces as they are, or with a speck OCR read as a letter where they meet (`pl háp`: `pháp`)
    for joined in (a + b, *((a[:-1] + b, a + b[1:]) if min(len(a), len(b)) > 1 else ())):
        k = key(joined)
        if not (is_lexicon_syllable(k) or (joined.isupper() and is_lexicon_word(k))) or lex.count(k) < COMMON:
            continue
        if (left and lex.association(left, k)) or (right and lex.association(k, right)):
            return joined
    return None


def _joined(tokens: list[str], lex: Lexicon) -> list[str]:
    """The tokens with a syllable OCR read in two pieces joined (`_join`): on grey scans Tesseract splits one
    syllable in a long list (`tham nh ũng`, `các cơ q uan`, `trực thuộc T W`)."""
    out = list(tokens)
    i = 0
    while i + 1 < len(out):
        head, a, inner = core_word(out[i])
        lead, b, tail = core_word(out[i + 1])
        if a and b and not inner and not lead:
            before = core_word(out[i - 1]) if i > 0 else ("", "", "")
            after = core_word(out[i + 2]) if i + 2 < len(out) else ("", "", "")
            left = key(before[1]) if before[1] and not before[2] and not head else ""
            right = key(after[1]) if after[1] and not after[0] and not tail else ""
            left = left if is_lexicon_word(left) else ""
            right = right if is_lexicon_word(right) else ""
            joined = _join(a, b, left, right, lex)
            if joined is not None:
                out[i : i + 2] = [head + joined + tail]
                continue
        i += 1
    return out


def _fits(lex: Lexicon, left: str, right: str) -> bool:
    """Whether two words were seen together more often than chance would put them side by side (`các
    phòng` 98 where 69 were expected), and `MIN_PAIR` times at least."""
    n = lex.pair(left, right)
    return n >= MIN_PAIR and n * lex.total > lex.count(left) * lex.count(right)


def _unseen_respelled(lex: Lexicon, left: str, word: str, right: str) -> str | None:
    """The spelling of `word` (a key) its neighbours call for when the lexicon never saw `word` beside
    either of them. Taken: a spelling with other marks seen beside both more often than chance, `KNOWN`
    times at least in all (`Trợ ly TTg`: `trợ lý` 70, `lý ttg` 11; `các phỏng chuyên môn`: `các phòng` 98,
    `phòng chuyên` 16, too common a neighbour for `Lexicon.association`); else one that goes with a
    neighbour `KNOWN` times more than chance where the other neighbour, if any, is seen with no spelling
    of the word (`đoàn thẻ tỉnh`, `các đoàn thẻ`: `đoàn thể` 143). It must be seen twice as often as the next
    such spelling, and a common word's absence there must be unexpected (`EXPECTED_UNSEEN`); a rare word's
    is no evidence for it. Old and new tone placement are never mended. Not for text in capitals, whose
    names (`TỈNH BẮC GIANG`) cannot be told from words."""
    if not (left or right) or any(_seen(lex, left, word, right)):
        return None
    spelled = fold(word)
    spellings = [v for v in lex.variants(word) if fold(v) != spelled]
    both: list[tuple[int, str]] = []
    one: list[tuple[int, str]] = []
    for v in spellings:
        seen = _seen(lex, left, v, right)
        if left and right and _fits(lex, left, v) and _fits(lex, v, right) and sum(seen) >= KNOWN:
            both.append((sum(seen), v))
            continue
        silent = [n for n, s in zip((left, right), seen, strict=True) if n and s == 0]
        if len(silent) < 2 and _support(lex, left, v, right) >= KNOWN:
            if not any(lex.pair(*((n, w) if n == left else (w, n))) for n in silent for w in (word, *spellings)):
                one.append((_support(lex, left, v, right), v))
    ranked = sorted(both or one, reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] <= 2 * ranked[1][0]):
        return None
    total, choice = ranked[0]
    if lex.count(word) >= COMMON and lex.count(word) * total / (lex.count(choice) or 1) < EXPECTED_UNSEEN:
        return None
    return choice


def mend_spelling(text: str, lex: Lexicon | None = None) -> str:
    """`text` (one field read by OCR) with spacing slips, glued syllables and misread marks mended."""
    lex = lex or lexicon()
    letters = [c for c in text if c.isalpha()]
    upper_text = bool(letters) and all(c.isupper() for c in letters)
    tokens: list[str] = []
    # words a hyphen joins are each read with their neighbour on the other side (`Vụ pháp ché-Bộ Tài chính`,
    # held out 14, khanhhoa-ubnd-qd-21-2023): set apart, to be joined again
    text = _GLUED_BY_HYPHEN.sub(f" {_JOINED}-", _specks(text, lex))
    for token in (_spacing(text) if upper_text else _name_case(text)).split(" "):
        head, word, tail = core_word(token)
        halves = _split_glued(word, lex) if word and upper_text else None
        if halves is None and word.islower() and (glued := _split_glued(word, lex)):
            # in small letters only two words that go together (`thịxã`, held out 54, daknong-stnmt-tb-75)
            halves = glued if lex.association(key(glued[0]), key(glued[1])) >= KNOWN else None
        tokens += [head + halves[0], halves[1] + tail] if halves else [head + _undoubled(word, lex) + tail]
    parts = [core_word(t) for t in _joined(tokens, lex)]
    words = [w for _, w, _ in parts]
    # a break after word i: punctuation between it and the next word
    breaks = [bool(parts[i][2]) or (i + 1 < len(parts) and bool(parts[i + 1][0])) for i in range(len(parts))]
    unseen: list[int] = []
    for i, word in enumerate(words):
        k = key(word)
        if not word or not is_lexicon_syllable(k) or _is_name_part(words, i, upper_text):
            continue
        if not upper_text and 2 <= len(word) <= 3 and word.isupper():
            continue  # an abbreviation among small letters (`CA các tỉnh`: Công an, not `CẢ`; `UB`, `TW`)
        left, right = _context(words, breaks, i, lex)
        if not (left or right):
            continue

        lower = not word[:1].isupper()  # a proper name's part beside a lower-case word is no evidence
        left_name, right_name = (
            lower and 0 <= j < len(words) and _is_name_part(words, j, upper_text) for j in (i - 1, i + 1)
        )
        choice = _respelled(lex, left, k, right, (left_name, right_name))
        neighbour: tuple[int, str] | None = None  # a neighbour respelled with it
        if choice is None and lex.count(k) < REAL:
            free = _free_neighbours(words, breaks, i, lex)
            if free != (left, right) and any(free):
                choice = _respelled(lex, free[0], k, free[1], (left_name, right_name))
        if choice is None and lex.count(k) < REAL and (pair := _pair_respelled(words, breaks, i, lex)):
            j, other, choice = pair
            neighbour = (j, other)
        choice = _unless_name(lex, words, breaks, i, choice, upper_text)
        if choice is not None and neighbour is not None:
            words[neighbour[0]] = _cased(neighbour[1], words[neighbour[0]])
        if choice is not None:
            words[i] = _cased(choice, word)
        elif not (upper_text or word.isupper() or left_name or right_name):  # capitals: a name, a heading
            unseen.append(i)
    # a word unseen beside its neighbours, once they are mended (`được thúc đây`: `đây` is `đẩy` first)
    for i in unseen:
        left, right = _context(words, breaks, i, lex)
        choice = _unless_name(lex, words, breaks, i, _unseen_respelled(lex, left, key(words[i]), right), upper_text)
        if choice is not None:
            words[i] = _cased(choice, words[i])
    mended = " ".join(head + w + tail for (head, _, tail), w in zip(parts, words, strict=True))
    # after the lexicon, which knows `phong cảnh` (a landscape) far better than a department's `Phòng Cảnh sát`
    return _DEPARTMENT.sub("Phòng", mended.replace(f" {_JOINED}-", "-"))


_GLUED_BY_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_JOINED = "\u2060"  # a word joiner marks a hyphen's word while it is set apart


def mend_capitals(text: str, lex: Lexicon | None = None) -> str:
    """An agency's name in capitals (an issuer read by OCR) with its words respelled as in small letters,
    where capitals alone would keep them as a name's (`CAI CÁCH` → `CẢI CÁCH`: held out 5, bcdcchc-qd-46).
    Its province and organ words are set right after (`vocab.mend_agency`), so `BẮC NINH` stays."""
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return text
    lower = text.lower()
    mended = mend_spelling(lower, lex)
    return mended.upper() if mended != lower else text
