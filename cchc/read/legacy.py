"""Vietnamese typed in the legacy 8-bit encodings, as it arrives in Excel cells, converted to Unicode.

Older offices still type with Unikey/Vietkey set to a legacy charset and a matching font. Excel stores each byte
as the Windows-1252 character of that byte, so the cell text looks like Latin-1 garbage:

* TCVN3 (TCVN 5712:1993 "VN3", the "ABC" charset; fonts ".VnTime", ".VnArial", ".VnCentury Schoolbook", ...):
  one byte per precomposed letter. "Sè hå s¬" is "Số hồ sơ". The lowercase fonts have only seven uppercase
  letters of their own (Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7); capitals with a tone mark are typed with the "H" fonts
  (".VnTimeH", ".VnArialH"), which draw the *lowercase* codes (and a-z) as capitals: "TæNG Sè" in .VnTimeH reads
  "TỔNG SỐ". Pass ``upper=True`` for those.
* VNI (VNI-Windows; fonts "VNI-Times", "VNI-Helve", ...): an ASCII base letter followed by one character for the
  marks. "Soá hoà sô" is "Số hồ sơ". Capitals have capital mark characters ("SOÁ"), so VNI needs no flag.

Neither can be told from Unicode by the characters alone: "á" (U+00E1) is Unicode "á", TCVN3 "ỏ" and, after a
vowel in VNI, the circumflex-and-acute of "ấ". So the converters assume their input *is* legacy text, with one
safety rule: a text that holds any character only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and their capitals, the
U+1EA0-U+1EF9 letters, or a combining mark as in NFD text) is returned unchanged (in NFC), because a legacy cell
never contains them. Text whose Unicode letters are all in Latin-1 ("Tên", "Tháng") would be mangled ("Tờn",
"Thỏng"): the converters are therefore not idempotent on such words, and a caller should decide once per sheet or
column, from the cell's font (`encoding_of_font`) or from the texts (`guess_encoding`), and convert once. ASCII,
digits and punctuation are never changed; characters a table does not name pass through as they are.

The tables below are literal data. Sources, cross-checked letter by letter (all agree on everything used here):

* TCVN3: xvnkb ``tcvn.h`` (Dao Hai Lam, github.com/lamdao/xvnkb), VBKey ``Modules/mdlCodeTable.bas``
  (``TCVN3_TABLE``, github.com/khiemdoan/VBKey) and GNU libiconv ``lib/tcvn.h`` (TCVN 5712 VN1, whose lowercase
  letters and 0xA1-0xAE are the VN3 ones). The 67 lowercase letters and the 7 capitals agree in all three.
  libiconv/xvnkb also place the VN1-only capitals (Á at 0x83, Ầ at 0xC1, ...) in bytes VN3 leaves free; VBKey,
  like the ABC fonts, gives capitals the lowercase codes. Those VN1-only positions are *not* decoded here: most
  of them are Windows-1252 punctuation ("–", "—", curly quotes, "…", "•", "™") that a real text may contain.
  VN1's combining tone marks at 0xB0-0xB4 ("°±²³´") are not decoded either, for the same reason.
* VNI: xvnkb ``vni.h``, VBKey ``VNI_WINDOWS_TABLE`` and the ``$NCR_VNI`` table of
  github.com/congbang10h/ts20160327 ``code/php/include/vncode.inc.php``; all 134 letters agree in the three.
  (duydev/vietnamese-conversion has "ë"/"ì" for ỷ/ỹ, which would collide with ặ and ì: not used.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- Fonts -------------------------------------------------------------------------------------------------------

#: Font-name prefix (compared case-insensitively, after stripping spaces) → legacy encoding.
LEGACY_FONTS: dict[str, str] = {
    ".vn": "tcvn3",  # .VnTime, .VnArial, .VnTimeH, .VnCentury Schoolbook, ...
    "vni-": "vni",  # VNI-Times, VNI-Helve, VNI-Helve-Condense, ...
    "vni ": "vni",  # "VNI Times" as some machines name it
}

ENCODINGS = ("tcvn3", "vni")


def encoding_of_font(name: str | None) -> str | None:
    """The legacy encoding a font name implies ("tcvn3", "vni"), or None for a Unicode font (Times New Roman)."""
    if not name:
        return None
    folded = name.strip().lower()
    for prefix, encoding in LEGACY_FONTS.items():
        if folded.startswith(prefix):
            return encoding
    return None


def uppercase_font(name: str | None) -> bool:
    """Whether a font is a TCVN3 capitals font (".VnTimeH", ".VnArialH"): the .Vn family with a trailing "H".

    The "H" is compared as a capital, the way the font files name themselves: ".VnTimeH" yes, ".VnTime" no.
    """
    if not name or encoding_of_font(name) != "tcvn3":
        return False
    return name.strip().endswith("H")


# --- Tables ------------------------------------------------------------------------------------------------------

#: TCVN3 (ABC) code, as the Windows-1252 character Excel shows for the byte → Unicode letter.
#: All codes are 0xA1-0xFE, where Windows-1252 and Latin-1 coincide. Order: a ă â e ê i o ô ơ u ư y đ, tones
#: grave, acute, hook, tilde, dot; then the seven capitals the lowercase fonts have.
TCVN3_TO_UNICODE: dict[str, str] = {
    "\xb5": "à", "\xb8": "á", "\xb6": "ả", "\xb7": "ã", "\xb9": "ạ",
    "\xa8": "ă", "\xbb": "ằ", "\xbe": "ắ", "\xbc": "ẳ", "\xbd": "ẵ", "\xc6": "ặ",
    "\xa9": "â", "\xc7": "ầ", "\xca": "ấ", "\xc8": "ẩ", "\xc9": "ẫ", "\xcb": "ậ",
    "\xcc": "è", "\xd0": "é", "\xce": "ẻ", "\xcf": "ẽ", "\xd1": "ẹ",
    "\xaa": "ê", "\xd2": "ề", "\xd5": "ế", "\xd3": "ể", "\xd4": "ễ", "\xd6": "ệ",
    "\xd7": "ì", "\xdd": "í", "\xd8": "ỉ", "\xdc": "ĩ", "\xde": "ị",
    "\xdf": "ò", "\xe3": "ó", "\xe1": "ỏ", "\xe2": "õ", "\xe4": "ọ",
    "\xab": "ô", "\xe5": "ồ", "\xe8": "ố", "\xe6": "ổ", "\xe7": "ỗ", "\xe9": "ộ",
    "\xac": "ơ", "\xea": "ờ", "\xed": "ớ", "\xeb": "ở", "\xec": "ỡ", "\xee": "ợ",
    "\xef": "ù", "\xf3": "ú", "\xf1": "ủ", "\xf2": "ũ", "\xf4": "ụ",
    "\xad": "ư", "\xf5": "ừ", "\xf8": "ứ", "\xf6": "ử", "\xf7": "ữ", "\xf9": "ự",  # \xad: soft hyphen
    "\xfa": "ỳ", "\xfd": "ý", "\xfb": "ỷ", "\xfc": "ỹ", "\xfe": "ỵ",
    "\xae": "đ",
    "\xa1": "Ă", "\xa2": "Â", "\xa7": "Đ", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư",
}

#: Unicode letter → VNI-Windows spelling (base letter + mark character, or one character), all 134 letters.
UNICODE_TO_VNI: dict[str, str] = {
    "à": "aø", "á": "aù", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ằ": "aè", "ắ": "aé", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ầ": "aà", "ấ": "aá", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "è": "eø", "é": "eù", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ề": "eà", "ế": "eá", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ò": "oø", "ó": "où", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ồ": "oà", "ố": "oá", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ờ": "ôø", "ớ": "ôù", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ù": "uø", "ú": "uù", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ừ": "öø", "ứ": "öù", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ỳ": "yø", "ý": "yù", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
    "À": "AØ", "Á": "AÙ", "Ả": "AÛ", "Ã": "AÕ", "Ạ": "AÏ",
    "Ă": "AÊ", "Ằ": "AÈ", "Ắ": "AÉ", "Ẳ": "AÚ", "Ẵ": "AÜ", "Ặ": "AË",
    "Â": "AÂ", "Ầ": "AÀ", "Ấ": "AÁ", "Ẩ": "AÅ", "Ẫ": "AÃ", "Ậ": "AÄ",
    "È": "EØ", "É": "EÙ", "Ẻ": "EÛ", "Ẽ": "EÕ", "Ẹ": "EÏ",
    "Ê": "EÂ", "Ề": "EÀ", "Ế": "EÁ", "Ể": "EÅ", "Ễ": "EÃ", "Ệ": "EÄ",
    "Ì": "Ì", "Í": "Í", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò",
    "Ò": "OØ", "Ó": "OÙ", "Ỏ": "OÛ", "Õ": "OÕ", "Ọ": "OÏ",
    "Ô": "OÂ", "Ồ": "OÀ", "Ố": "OÁ", "Ổ": "OÅ", "Ỗ": "OÃ", "Ộ": "OÄ",
    "Ơ": "Ô", "Ờ": "ÔØ", "Ớ": "ÔÙ", "Ở": "ÔÛ", "Ỡ": "ÔÕ", "Ợ": "ÔÏ",
    "Ù": "UØ", "Ú": "UÙ", "Ủ": "UÛ", "Ũ": "UÕ", "Ụ": "UÏ",
    "Ư": "Ö", "Ừ": "ÖØ", "Ứ": "ÖÙ", "Ử": "ÖÛ", "Ữ": "ÖÕ", "Ự": "ÖÏ",
    "Ỳ": "YØ", "Ý": "YÙ", "Ỷ": "YÛ", "Ỹ": "YÕ", "Ỵ": "Î",
    "Đ": "Ñ",
}


# Decoding: every VNI spelling that is not the letter itself ("í" and "ì" are the same in both). Mixed case
# ("aÙ") is not decoded: a capital mark after a small letter is far more often a TCVN3 code ("tuyÕn", "ThuÕ").
_VNI_TO_UNICODE = {vni: uni for uni, vni in UNICODE_TO_VNI.items() if vni != uni}
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI_TO_UNICODE, key=len, reverse=True)))
_TCVN3_TRANSLATION = str.maketrans(TCVN3_TO_UNICODE)

# Characters no legacy cell can hold: the Vietnamese letters outside Windows-1252, and combining marks (NFD text).
_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                           "\u1ea0-\u1ef9\u0300-\u036f]")


def is_unicode_vietnamese(text: str) -> bool:
    return _UNICODE_ONLY.search(text) is not None


def _upper(text: str) -> str:
    # Character by character so nothing changes length ("ß".upper() is "SS").
    return "".join(up if len(up := ch.upper()) == 1 else ch for ch in text)


# --- Converters --------------------------------------------------------------------------------------------------


def tcvn3_to_unicode(text: str, upper: bool = False) -> str:
    """TCVN3 cell text → Unicode (NFC). ``upper`` for the capitals fonts (".VnTimeH"): the result is upper-cased.

    A text already holding Unicode-only Vietnamese characters is returned unchanged (NFC); see the module notes.
    """
    if is_unicode_vietnamese(text):
        return unicodedata.normalize("NFC", text)
    converted = text.translate(_TCVN3_TRANSLATION)
    if upper:
        converted = _upper(converted)
    return unicodedata.normalize("NFC", converted)


def vni_to_unicode(text: str) -> str:
    """VNI cell text → Unicode (NFC).

    A text already holding Unicode-only Vietnamese characters is returned unchanged (NFC); see the module notes.
    """
    if is_unicode_vietnamese(text):
        return unicodedata.normalize("NFC", text)
    converted = _VNI_PATTERN.sub(lambda m: _VNI_TO_UNICODE[m.group()], text)
    return unicodedata.normalize("NFC", converted)


def convert(text: str, encoding: str | None, upper: bool = False) -> str:
    """Convert with the named encoding ("tcvn3" or "vni", any case); None gives the text in NFC.

    ``upper`` applies to TCVN3 only (VNI has real capitals). An unknown encoding raises ValueError.
    """
    if encoding is None:
        return unicodedata.normalize("NFC", text)
    name = encoding.strip().lower()
    if name == "tcvn3":
        return tcvn3_to_unicode(text, upper=upper)
    if name == "vni":
        return vni_to_unicode(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")


# --- Vietnamese syllables ----------------------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = {"\u0301", "\u0323"}  # the only tones a syllable ending in c, ch, p, t may carry
_STOPS = {"c", "ch", "p", "t"}
_ALPHABET = set("aăâbcdđeêghiklmnoôơpqrstuưvxy")
_INITIALS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
             "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
_FRONT = ("e", "ê", "i", "y")  # k, gh, ngh only before these; c and ng never before them, g never before e, ê

# Rimes without a final consonant.
_OPEN_RIMES = {
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oe", "oi", "ôi", "ơi", "ua", "uê", "ui",
    "uơ", "uy", "ưa", "ưi", "ưu",
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
}
# Vowel nucleus → the final consonants it takes. (The loanword "oo" of "boong", "soóc" is left out: a toned
# "oo" is more often a misreading, as TCVN3 "Coõng" of VNI "Coâng".)
_CLOSED_RIMES = {
    "a": {"c", "ch", "m", "n", "ng", "nh", "p", "t"},
    "ă": {"c", "m", "n", "ng", "p", "t"},
    "â": {"c", "m", "n", "ng", "p", "t"},
    "e": {"c", "m", "n", "ng", "p", "t"},
    "ê": {"ch", "m", "n", "ng", "nh", "p", "t"},
    "i": {"ch", "m", "n", "nh", "p", "t"},
    "o": {"c", "m", "n", "ng", "p", "t"},
    "ô": {"c", "m", "n", "ng", "p", "t"},
    "ơ": {"m", "n", "p", "t"},
    "u": {"c", "m", "n", "ng", "p", "t"},
    "ư": {"c", "m", "n", "ng", "t"},
    "iê": {"c", "m", "n", "ng", "p", "t"},
    "yê": {"c", "m", "n", "ng", "p", "t"},
    "oa": {"c", "ch", "m", "n", "ng", "nh", "p", "t"},
    "oă": {"c", "m", "n", "ng", "t"},
    "oe": {"n", "t"},
    "uâ": {"n", "ng", "t"},
    "uê": {"ch", "n", "nh"},
    "uô": {"c", "m", "n", "ng", "t"},
    "uy": {"ch", "n", "nh", "p", "t"},
    "uyê": {"n", "t"},
    "ươ": {"c", "m", "n", "ng", "p", "t"},
}
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")


_MARKED = set("ăâêôơư")
_VOWELS = set("aăâeêioôơuưy")
_TONE_ON_EITHER = {"oa", "oe", "uy"}  # old style hoà, new style hòa


def _split_rime(rime: str) -> tuple[str, str] | None:
    """(vowels, final consonant) of a known rime, or None."""
    if rime in _OPEN_RIMES:
        return rime, ""
    for final in _FINALS:
        if rime.endswith(final) and len(rime) > len(final):
            nucleus = rime[: -len(final)]
            if final in _CLOSED_RIMES.get(nucleus, ()):
                return nucleus, final
    return None


def _tone_places(vowels: str, final: str) -> set[int]:
    """Where in the vowels the tone mark may sit: on the (last) vowel with a shape mark (ươ → ơ); else with a
    final consonant on the last vowel; else on the only, the first (oa, oe, uy: either) or the middle vowel."""
    marked = [i for i, ch in enumerate(vowels) if ch in _MARKED]
    if marked:
        return {marked[-1]}
    if final or len(vowels) == 1:
        return {len(vowels) - 1}
    if len(vowels) == 2:
        return {0, 1} if vowels in _TONE_ON_EITHER else {0}
    return {1}


def _spelling_ok(initial: str, rime: str) -> bool:
    head = rime[:1]
    if initial in ("k", "gh", "ngh"):
        return head in _FRONT
    if initial in ("c", "ng"):
        return head not in _FRONT
    if initial == "g":
        return head not in ("e", "ê")
    if initial == "qu":
        return head != "u"
    return True


@lru_cache(maxsize=8192)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether a word (any case, NFC or NFD) is spelled as a Vietnamese syllable: initial consonant, a known rime
    (vowel nucleus and final), at most one tone mark, on a vowel where the old or the new style puts it, and only
    sắc or nặng before a final c, ch, p or t.

    The check is on spelling, not the dictionary: "tôc" fails (a stop final needs a tone), "tục" passes, "teỏ"
    fails (the tone of "eo" sits on the e).
    """
    letters = unicodedata.normalize("NFC", word.lower())
    base = []
    tone = tone_at = None
    for at, ch in enumerate(letters):
        parts = unicodedata.normalize("NFD", ch)
        marks = [p for p in parts if p in _TONES]
        if marks:
            if tone is not None or len(marks) > 1:
                return False
            tone, tone_at = marks[0], at
            ch = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
            if ch not in _VOWELS:
                return False  # "ñ" is not n with a ngã
        if ch not in _ALPHABET:
            return False
        base.append(ch)
    base = "".join(base)
    for initial in _INITIALS:
        if not base.startswith(initial) or len(base) == len(initial):
            continue
        rime = base[len(initial):]
        split = _split_rime(rime) if _spelling_ok(initial, rime) else None
        if split is None:
            continue
        vowels, final = split
        if final in _STOPS and tone not in _STOP_TONES:
            continue
        if tone is not None and tone_at - len(initial) not in _tone_places(vowels, final):
            continue
        return True
    return False


def _plain_case(word: str) -> bool:
    """lower, UPPER or Capitalised: a Unicode word never has a capital after a small letter ("chÝnh")."""
    return word == word.lower() or word == word.upper() or (word[:1].isupper() and word[1:] == word[1:].lower())


# --- Detection ---------------------------------------------------------------------------------------------------

# A word: a run of characters that are neither spaces nor ASCII digits/punctuation (legacy codes such as "§", "¸",
# "¬", the soft hyphen or "÷" are not letters, so \w would cut words apart).
_WORD = re.compile(r"[^\s\x00-\x40\x5b-\x60\x7b-\x7f]+")
_MIN_SHARE = 0.5


def _words(texts: list[str]) -> list[tuple[str, bool]]:
    """(word, whether its text holds Unicode-only characters) for every word with a non-ASCII character."""
    found = []
    for text in texts:
        if not isinstance(text, str):
            continue
        text = unicodedata.normalize("NFC", text)
        unicode_text = is_unicode_vietnamese(text)
        for word in _WORD.findall(text):
            if word.isascii():
                continue  # the same in every reading
            if not any(ch.isalpha() or ch in TCVN3_TO_UNICODE for ch in word):
                continue  # "–", "…": no letters in any reading
            found.append((word, unicode_text))
    return found


def _score(words: list[tuple[str, bool]], decode) -> tuple[int, int, int]:
    """(words the reading changes, of those valid after decoding, of those valid as they stand)."""
    changed = valid = valid_as_is = 0
    for word, unicode_text in words:
        if unicode_text:
            continue  # the converters leave these texts alone
        decoded = decode(word)
        if decoded == word:
            continue
        changed += 1
        valid += is_vietnamese_syllable(decoded)
        valid_as_is += _plain_case(word) and is_vietnamese_syllable(word)
    return changed, valid, valid_as_is


def guess_encoding(texts: list[str]) -> str | None:
    """"tcvn3", "vni" or None (Unicode, plain ASCII, numbers, foreign text, or too little to tell), from the
    characters of a set of cell texts alone, e.g. a table's header cells.

    Only the words a reading would change are weighed: for each legacy reading, the words it decodes into valid
    Vietnamese syllables must outnumber the same words valid as they stand, and be at least half of them. When
    both readings pass, the larger lead wins; a tie gives None. Texts holding Unicode-only Vietnamese characters
    count for neither (the converters leave them unchanged). Case is not judged in the decoded reading, so text
    typed in a TCVN3 capitals font ("TæNG Sè") is found too.
    """
    words = _words(list(texts))
    if not words:
        return None
    leads = {}
    for encoding, decode in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        changed, valid, valid_as_is = _score(words, decode)
        if changed and valid > valid_as_is and valid >= _MIN_SHARE * changed:
            leads[encoding] = valid - valid_as_is
    if not leads:
        return None
    best = max(leads.values())
    winners = [encoding for encoding, lead in leads.items() if lead == best]
    return winners[0] if len(winners) == 1 else None


# --- Converting a workbook's cells ---------------------------------------------------------------------------------

def convert_cell(text: str, encoding: str, upper: bool = False) -> str:
    """A cell of a sheet found to be typed in `encoding`, converted only when that makes more of its words valid
    Vietnamese than it has as typed: a Unicode cell in the same sheet ("Tháng", valid both ways) stays as it is."""
    converted = convert(text, encoding, upper)
    if converted == unicodedata.normalize("NFC", text):
        return text
    decode = (lambda w: convert(w, encoding, upper))
    changed, valid, valid_as_is = _score(_words([text]), decode)
    return converted if changed and valid > valid_as_is else text


def fonts_encoding(font_names) -> tuple[str | None, str | None]:
    """(encoding, font) of the first legacy font among a workbook's fonts, or (None, None)."""
    for name in font_names:
        encoding = encoding_of_font(name)
        if encoding:
            return encoding, name
    return None, None
