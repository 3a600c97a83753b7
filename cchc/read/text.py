"""Text normalisation and number parsing shared by every reader."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_HYPHEN_SPACES = re.compile(r"\s*[-–—]\s*")
# Vietnamese writes a syllable's final i or y either way ("tỉ lệ" / "tỷ lệ", "kì" / "kỳ", "lí" / "lý", "quí" / "quý"):
# folded to y, so one spelling in a vocabulary matches both.
_FINAL_I = re.compile(r"\b(t|k|l|m|s|h|qu)i\b")


def fold(value: object) -> str:
    """Fold text for matching: lower case, no diacritics (đ → d), single spaces, no spaces around hyphens, a
    syllable's final i written y ("tỉ lệ" and "tỷ lệ" both fold to "ty le").

    "Văn phòng HĐND- UBND huyện" and "van phong hdnd-ubnd huyen" fold to the same string, which is how
    the HĐND/HDND typo and stray spaces are absorbed.
    """
    if value is None:
        return ""
    return _fold_text(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=65536)
def _fold_text(text: str) -> str:
    # Cached: readers fold the same unit names and header labels on every sheet and row.
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    text = _SPACES.sub(" ", text).strip()
    return _FINAL_I.sub(r"\1y", _HYPHEN_SPACES.sub("-", text))


def clean(value: object) -> str:
    """Cell text as a person reads it: NFC, single spaces, stripped; None and NaN give ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def is_blank(value: object) -> bool:
    return clean(value) == ""


class NumberError(ValueError):
    """A cell that should hold a number does not."""


def parse_points(value: object) -> float | None:
    """Points such as "0,75", "3,5", "8.25", 1.75; blank gives None.

    Points are small decimals, so a single comma or point is always the decimal mark.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = clean(value).replace(" ", "")
    if text in ("", "-"):
        return None
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    raise NumberError(text)


# "1.234.567" or "1,234,567": one separator throughout ("1.234,567" is no count)
_THOUSANDS = re.compile(r"^\d{1,3}(?:(?:\.\d{3})+|(?:,\d{3})+)$")


def parse_count(value: object) -> int:
    """A count of dossiers: blank or "-" is 0, "1.234" (or "1,234") is 1234; fractions are refused.

    Raises NumberError for anything that is not a whole number.
    """
    if value is None or isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        if isinstance(value, float):
            if math.isnan(value):
                return 0
            if not value.is_integer():
                raise NumberError(clean(value))
        return int(value)
    text = clean(value).replace(" ", "").replace("\u00a0", "")
    if text in ("", "-", "–"):
        return 0
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,]", "", text))
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if re.fullmatch(r"[-+]?\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    raise NumberError(text)


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def criterion_code(value: object) -> str:
    """Criterion code as text. Excel turns "1.2" into the number 1.2 ("3.10" would come back as 3.1)."""
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return clean(value).rstrip(".").replace(",", ".").replace(" ", "")


# A date and time a system or browser adds to a downloaded file's name ("BaoCao_20190215_103045",
# "thong-ke (15-02-2019 10h30)", "export 2019-02-15T10:30:45") says when it was downloaded, not what it reports.
_DOWNLOAD_STAMPS = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[-._ ]?[01]\d[-._ ]?[0-3]\d|[0-3]?\d[-._][01]?\d[-._](?:19|20)\d{2})"
    r"(?:[-._ t]*[0-2]?\d[-._:hg][0-5]\d(?:[-._:m][0-5]\d)?s?)?(?!\d)"
    r"|(?<!\d)[0-2]?\d[:hg][0-5]\d(?:[:m][0-5]\d)?(?!\d)|(?<!\d)\d{9,}(?!\d)")


def without_download_stamps(name: str) -> str:
    """A file name's stem, folded, with the download date-times taken out (they are never a period or a year)."""
    from pathlib import PurePath

    return _DOWNLOAD_STAMPS.sub(" ", fold(PurePath(name).stem)) if name else ""
