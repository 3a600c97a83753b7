"""Legacy Vietnamese encodings (TCVN3/ABC and VNI-Windows) in Excel cell text, with literal expectations.

Every legacy string here is written out by hand as Excel shows it (the Windows-1252 character of each byte); the
Unicode it must become is written out beside it. The soft hyphen (TCVN3 "ư", byte 0xAD) is invisible, so it is
always written "\\xad".
"""

import time
import unicodedata

import pytest

from cchc.read.legacy import (
    LEGACY_FONTS,
    TCVN3_TO_UNICODE,
    UNICODE_TO_VNI,
    convert,
    encoding_of_font,
    guess_encoding,
    is_vietnamese_syllable,
    tcvn3_to_unicode,
    uppercase_font,
    vni_to_unicode,
)

# The 67 lowercase precomposed letters: a ă â e ê i o ô ơ u ư y (bare shape, then grave, acute, hook, tilde, dot), đ.
LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
UPPER = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

# The same 67 letters in TCVN3, one code each, in the same order.
TCVN3_LOWER = (
    "\xb5\xb8\xb6\xb7\xb9"          # à á ả ã ạ      µ ¸ ¶ · ¹
    "\xa8\xbb\xbe\xbc\xbd\xc6"      # ă ằ ắ ẳ ẵ ặ    ¨ » ¾ ¼ ½ Æ
    "\xa9\xc7\xca\xc8\xc9\xcb"      # â ầ ấ ẩ ẫ ậ    © Ç Ê È É Ë
    "\xcc\xd0\xce\xcf\xd1"          # è é ẻ ẽ ẹ      Ì Ð Î Ï Ñ
    "\xaa\xd2\xd5\xd3\xd4\xd6"      # ê ề ế ể ễ ệ    ª Ò Õ Ó Ô Ö
    "\xd7\xdd\xd8\xdc\xde"          # ì í ỉ ĩ ị      × Ý Ø Ü Þ
    "\xdf\xe3\xe1\xe2\xe4"          # ò ó ỏ õ ọ      ß ã á â ä
    "\xab\xe5\xe8\xe6\xe7\xe9"      # ô ồ ố ổ ỗ ộ    « å è æ ç é
    "\xac\xea\xed\xeb\xec\xee"      # ơ ờ ớ ở ỡ ợ    ¬ ê í ë ì î
    "\xef\xf3\xf1\xf2\xf4"          # ù ú ủ ũ ụ      ï ó ñ ò ô
    "\xad\xf5\xf8\xf6\xf7\xf9"      # ư ừ ứ ử ữ ự    SHY õ ø ö ÷ ù
    "\xfa\xfd\xfb\xfc\xfe"          # ỳ ý ỷ ỹ ỵ      ú ý û ü þ
    "\xae"                          # đ              ®
)
TCVN3_VISIBLE = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ®"

# The same 67 letters in VNI, in the same order.
VNI_LOWER = [
    "aø", "aù", "aû", "aõ", "aï",
    "aê", "aè", "aé", "aú", "aü", "aë",
    "aâ", "aà", "aá", "aå", "aã", "aä",
    "eø", "eù", "eû", "eõ", "eï",
    "eâ", "eà", "eá", "eå", "eã", "eä",
    "ì", "í", "æ", "ó", "ò",
    "oø", "où", "oû", "oõ", "oï",
    "oâ", "oà", "oá", "oå", "oã", "oä",
    "ô", "ôø", "ôù", "ôû", "ôõ", "ôï",
    "uø", "uù", "uû", "uõ", "uï",
    "ö", "öø", "öù", "öû", "öõ", "öï",
    "yø", "yù", "yû", "yõ", "î",
    "ñ",
]
VNI_UPPER = [
    "AØ", "AÙ", "AÛ", "AÕ", "AÏ",
    "AÊ", "AÈ", "AÉ", "AÚ", "AÜ", "AË",
    "AÂ", "AÀ", "AÁ", "AÅ", "AÃ", "AÄ",
    "EØ", "EÙ", "EÛ", "EÕ", "EÏ",
    "EÂ", "EÀ", "EÁ", "EÅ", "EÃ", "EÄ",
    "Ì", "Í", "Æ", "Ó", "Ò",
    "OØ", "OÙ", "OÛ", "OÕ", "OÏ",
    "OÂ", "OÀ", "OÁ", "OÅ", "OÃ", "OÄ",
    "Ô", "ÔØ", "ÔÙ", "ÔÛ", "ÔÕ", "ÔÏ",
    "UØ", "UÙ", "UÛ", "UÕ", "UÏ",
    "Ö", "ÖØ", "ÖÙ", "ÖÛ", "ÖÕ", "ÖÏ",
    "YØ", "YÙ", "YÛ", "YÕ", "Î",
    "Ñ",
]

TCVN3_EXAMPLES = [
    ("Thñ tôc hµnh chÝnh", "Thủ tục hành chính"),
    ("Sè hå s¬", "Số hồ sơ"),
    ("§óng h¹n", "Đúng hạn"),
    ("Tæng sè", "Tổng số"),
    ("Trùc tuyÕn", "Trực tuyến"),
    ("N¨m 2019", "Năm 2019"),
    ("Th¸ng", "Tháng"),
    ("Qu¸ h¹n", "Quá hạn"),
    ("§· gi¶i quyÕt", "Đã giải quyết"),
]
VNI_EXAMPLES = [
    ("Thuû tuïc haønh chính", "Thủ tục hành chính"),
    ("Soá hoà sô", "Số hồ sơ"),
    ("Ñuùng haïn", "Đúng hạn"),
    ("Toång soá", "Tổng số"),
    ("Tröïc tuyeán", "Trực tuyến"),
    ("Naêm", "Năm"),
    ("Thaùng", "Tháng"),
    ("Quaù haïn", "Quá hạn"),
    ("Ñaõ giaûi quyeát", "Đã giải quyết"),
]

# A statistics table header (15 cells) as each encoding types it, and in Unicode.
HEADER_UNICODE = [
    "STT", "Tên đơn vị", "Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Kỳ trước chuyển sang", "Tiếp nhận trong kỳ",
    "Trực tuyến", "Số hồ sơ đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết",
    "Chưa đến hạn", "Tỷ lệ đúng hạn (%)", "Ghi chú",
]
HEADER_TCVN3 = [
    "STT", "Tªn ®¬n vÞ", "LÜnh vùc", "Tæng sè hå s¬ tiÕp nhËn", "Kú tr\xadíc chuyÓn sang", "TiÕp nhËn trong kú",
    "Trùc tuyÕn", "Sè hå s¬ ®· gi¶i quyÕt", "Tr\xadíc h¹n", "§óng h¹n", "Qu¸ h¹n", "§ang gi¶i quyÕt",
    "Ch\xada ®Õn h¹n", "Tû lÖ ®óng h¹n (%)", "Ghi chó",
]
HEADER_VNI = [
    "STT", "Teân ñôn vò", "Lónh vöïc", "Toång soá hoà sô tieáp nhaän", "Kyø tröôùc chuyeån sang",
    "Tieáp nhaän trong kyø", "Tröïc tuyeán", "Soá hoà sô ñaõ giaûi quyeát", "Tröôùc haïn", "Ñuùng haïn",
    "Quaù haïn", "Ñang giaûi quyeát", "Chöa ñeán haïn", "Tyû leä ñuùng haïn (%)", "Ghi chuù",
]


def nfd(text):
    return unicodedata.normalize("NFD", text)


# --- Tables ------------------------------------------------------------------------------------------------------


def test_letter_lists_are_complete():
    assert len(LOWER) == len(set(LOWER)) == 67
    assert UPPER == LOWER.upper() and len(set(UPPER)) == 67
    assert len(TCVN3_LOWER) == 67 and TCVN3_LOWER == TCVN3_VISIBLE
    assert len(VNI_LOWER) == len(VNI_UPPER) == 67


def test_tcvn3_table_has_the_67_lowercase_letters_and_seven_capitals():
    assert len(TCVN3_TO_UNICODE) == 74
    assert len(set(TCVN3_TO_UNICODE.values())) == 74  # no code shared between two letters
    assert set(TCVN3_TO_UNICODE.values()) == set(LOWER) | set("ĂÂÊÔƠƯĐ")
    assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in TCVN3_TO_UNICODE)


def test_vni_table_has_all_134_letters():
    assert set(UNICODE_TO_VNI) == set(LOWER) | set(UPPER)
    assert len(set(UNICODE_TO_VNI.values())) == 134  # no spelling shared between two letters
    for letter in LOWER:
        assert UNICODE_TO_VNI[letter.upper()] == UNICODE_TO_VNI[letter].upper()


def test_each_tcvn3_letter():
    # Letter by letter, as lists so a failure shows which letter.
    assert [tcvn3_to_unicode(code) for code in TCVN3_LOWER] == list(LOWER)
    assert [TCVN3_TO_UNICODE[code] for code in TCVN3_LOWER] == list(LOWER)


def test_tcvn3_all_lowercase_letters_at_once():
    assert tcvn3_to_unicode(TCVN3_LOWER) == LOWER
    assert tcvn3_to_unicode(" ".join(TCVN3_LOWER)) == " ".join(LOWER)


def test_tcvn3_capitals_of_the_lowercase_fonts():
    assert tcvn3_to_unicode("\xa1\xa2\xa3\xa4\xa5\xa6\xa7") == "ĂÂÊÔƠƯĐ"
    assert tcvn3_to_unicode("¡¢£¤¥¦§") == "ĂÂÊÔƠƯĐ"


def test_each_vni_letter():
    assert [vni_to_unicode(spelling) for spelling in VNI_LOWER] == list(LOWER)
    assert [vni_to_unicode(spelling) for spelling in VNI_UPPER] == list(UPPER)
    assert [UNICODE_TO_VNI[letter] for letter in LOWER] == VNI_LOWER
    assert [UNICODE_TO_VNI[letter] for letter in UPPER] == VNI_UPPER


def test_vni_all_letters_at_once():
    assert vni_to_unicode(" ".join(VNI_LOWER)) == " ".join(LOWER)
    assert vni_to_unicode(" ".join(VNI_UPPER)) == " ".join(UPPER)
    # Run together: every spelling starts with its own base, so nothing is read across two letters.
    assert vni_to_unicode("".join(VNI_LOWER)) == LOWER
    assert vni_to_unicode("".join(VNI_UPPER)) == UPPER


# --- Converters --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("legacy, unicode", TCVN3_EXAMPLES)
def test_tcvn3_examples(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode
    assert convert(legacy, "tcvn3") == unicode


@pytest.mark.parametrize("legacy, unicode", VNI_EXAMPLES)
def test_vni_examples(legacy, unicode):
    assert vni_to_unicode(legacy) == unicode
    assert convert(legacy, "vni") == unicode


def test_headers_convert_cell_by_cell():
    assert [vni_to_unicode(cell) for cell in HEADER_VNI] == HEADER_UNICODE
    assert [tcvn3_to_unicode(cell) for cell in HEADER_TCVN3] == HEADER_UNICODE


def test_vni_capitals():
    assert vni_to_unicode("TOÅNG SOÁ HOÀ SÔ ÑAÕ GIAÛI QUYEÁT") == "TỔNG SỐ HỒ SƠ ĐÃ GIẢI QUYẾT"
    assert vni_to_unicode("Tröôøng") == "Trường"  # ư then ơ with its grave


def test_tcvn3_capitals_font():
    # In .VnTimeH the lowercase codes (and a-z) are drawn as capitals.
    assert tcvn3_to_unicode("TæNG Sè", upper=True) == "TỔNG SỐ"
    assert tcvn3_to_unicode("tæng sè", upper=True) == "TỔNG SỐ"
    assert tcvn3_to_unicode("§· gi¶i quyÕt", upper=True) == "ĐÃ GIẢI QUYẾT"
    assert tcvn3_to_unicode(TCVN3_LOWER, upper=True) == UPPER
    assert convert("TæNG Sè", "tcvn3", upper=True) == "TỔNG SỐ"
    # Without the flag the lowercase letters stay lowercase: "TổNG Số" is what the codes say.
    assert tcvn3_to_unicode("TæNG Sè") == "TổNG Số"


@pytest.mark.parametrize("text", [
    "", "STT", "Total 2019", "1.234", "12,5%", "(1) + (2) = (3)", "A-B/C: 4; D_E [5] {6} <7> @ # $ ^ & * ~ ` | \\",
    "HĐND".replace("Đ", "D"), "  spaced  out  ",
])
def test_ascii_is_never_changed(text):
    assert tcvn3_to_unicode(text) == text
    assert tcvn3_to_unicode(text, upper=False) == text
    assert vni_to_unicode(text) == text
    assert convert(text, "tcvn3") == text
    assert convert(text, "vni") == text


@pytest.mark.parametrize("text", [
    "Số hồ sơ", "Đã giải quyết", "Thủ tục hành chính", "Năm 2019", "Trực tuyến", "Tổng số hồ sơ đã tiếp nhận",
    "Tháng 6 năm 2019",  # "Tháng" alone would be read as legacy; "năm" marks the text as Unicode
])
def test_unicode_vietnamese_is_left_alone(text):
    assert tcvn3_to_unicode(text) == text
    assert tcvn3_to_unicode(text, upper=True) == text
    assert vni_to_unicode(text) == text
    # NFD text comes back in NFC, otherwise unchanged.
    assert tcvn3_to_unicode(nfd(text)) == text
    assert vni_to_unicode(nfd(text)) == text


def test_converting_twice_is_safe_once_the_text_has_a_unicode_only_letter():
    once = tcvn3_to_unicode("Sè hå s¬")
    assert once == "Số hồ sơ"
    assert tcvn3_to_unicode(once) == once
    assert vni_to_unicode(vni_to_unicode("Soá hoà sô")) == "Số hồ sơ"


def test_latin1_only_unicode_words_are_read_as_legacy():
    # Documented limit: a text whose letters are all in Latin-1 can be either; the converters assume legacy.
    assert tcvn3_to_unicode("Tháng") == "Thỏng"
    assert tcvn3_to_unicode("Tên") == "Tờn"
    assert vni_to_unicode("cô") == "cơ"
    assert vni_to_unicode("Hòa") == "Hịa"


def test_unnamed_characters_pass_through():
    # VN1-only capitals and the VN1 tone marks are not decoded: they are Windows-1252 punctuation and signs.
    for text in ("–", "—", "“x”", "‘x’", "…", "•", "™", "°", "±", "²", "³", "´", "\xa0", "€"):
        assert tcvn3_to_unicode(text) == text
        assert vni_to_unicode(text) == text
    # A VNI mark with no base before it is left as it is.
    assert vni_to_unicode("ù ø û") == "ù ø û"
    # Mixed case ("aÙ") is not decoded.
    assert vni_to_unicode("aÙ") == "aÙ"


@pytest.mark.parametrize("legacy, encoding", [(legacy, "tcvn3") for legacy, _ in TCVN3_EXAMPLES]
                         + [(legacy, "vni") for legacy, _ in VNI_EXAMPLES])
def test_output_is_nfc(legacy, encoding):
    assert unicodedata.is_normalized("NFC", convert(legacy, encoding))


def test_convert_dispatch():
    assert convert("Sè", "TCVN3") == "Số"
    assert convert("Soá", " VNI ") == "Số"
    assert convert("Sè", "vni") == "Sè"
    assert convert(nfd("Số"), None) == "Số"
    assert convert("Soá", "vni", upper=True) == "Số"  # VNI has its own capitals: the flag does nothing
    with pytest.raises(ValueError):
        convert("Sè", "viqr")


# --- Fonts -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("font, encoding, upper", [
    (".VnTime", "tcvn3", False), (".VnArial", "tcvn3", False), (".VnCentury Schoolbook", "tcvn3", False),
    (".VnTimeH", "tcvn3", True), (".VnArialH", "tcvn3", True), (".VnArial NarrowH", "tcvn3", True),
    (".vntime", "tcvn3", False), (" .VnTime ", "tcvn3", False), (".VNTIME", "tcvn3", False),
    ("VNI-Times", "vni", False), ("VNI-Helve", "vni", False), ("VNI-Helve-Condense", "vni", False),
    ("vni-times", "vni", False), ("VNI Times", "vni", False),
    ("Times New Roman", None, False), ("Arial", None, False), ("Calibri", None, False), ("", None, False),
    (None, None, False), ("VNITimes", None, False), ("Vn Time", None, False), ("ArialH", None, False),
])
def test_fonts(font, encoding, upper):
    assert encoding_of_font(font) == encoding
    assert uppercase_font(font) is upper


def test_font_table():
    assert LEGACY_FONTS[".vn"] == "tcvn3"
    assert LEGACY_FONTS["vni-"] == "vni"
    assert LEGACY_FONTS["vni "] == "vni"


# --- Syllables ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", [
    "số", "hồ", "sơ", "Đúng", "hạn", "giải", "quyết", "tuyến", "trực", "năm", "tháng", "quá", "thủ", "tục", "hành",
    "chính", "tổng", "Kỳ", "trước", "chuyển", "Tỷ", "lệ", "Lĩnh", "vực", "Ủy", "nghiệp", "người", "thuở", "khuya",
    "khuỷu", "giữa", "giường", "gì", "hoà", "hòa", "Thùy", "Thuý", "hoạch", "ích", "Ý", "yêu", "Nguyễn", "QUYẾT",
    "Nam", nfd("Số"), nfd("nguyễn"),
])
def test_valid_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", [
    "tôc",      # a stop final needs sắc or nặng
    "tàt",      # ... and huyền is not one of them
    "teỏ",      # the tone of "eo" sits on the e
    "Naêm", "Tæng", "hå", "s¬", "Soỏ", "Café", "Résumé", "Cafộ", "Rộsumộ",
    "ñôn",      # ñ is not n with a ngã
    "ka", "ce", "ge", "nge", "qa", "ghu", "hoàa", "sốố", "2019", "", "STT",
])
def test_invalid_syllables(word):
    assert not is_vietnamese_syllable(word)


# --- Detection ---------------------------------------------------------------------------------------------------


def test_detects_the_example_sets():
    assert guess_encoding([legacy for legacy, _ in TCVN3_EXAMPLES]) == "tcvn3"
    assert guess_encoding([legacy for legacy, _ in VNI_EXAMPLES]) == "vni"


def test_detects_headers():
    assert guess_encoding(HEADER_TCVN3) == "tcvn3"
    assert guess_encoding(HEADER_VNI) == "vni"
    assert guess_encoding(HEADER_UNICODE) is None
    assert guess_encoding([nfd(cell) for cell in HEADER_UNICODE]) is None


@pytest.mark.parametrize("legacy, _", TCVN3_EXAMPLES)
def test_detects_each_tcvn3_example_alone(legacy, _):
    assert guess_encoding([legacy]) == "tcvn3"


@pytest.mark.parametrize("legacy", [legacy for legacy, _ in VNI_EXAMPLES if legacy != "Soá hoà sô"])
def test_detects_each_vni_example_alone(legacy):
    assert guess_encoding([legacy]) == "vni"


def test_too_little_to_tell():
    # Every word reads as Vietnamese either way ("soá", "hoà", "sô" / "chó" and "chú"): no answer, no guess.
    assert guess_encoding(["Soá hoà sô"]) is None
    assert guess_encoding(["Ghi chó"]) is None
    # Together with the rest of its header it is found.
    assert guess_encoding(["Soá hoà sô", "Ñuùng haïn", "Quaù haïn"]) == "vni"


def test_detects_tcvn3_capitals_font_text():
    assert guess_encoding(["TæNG Sè", "Sè Hå S¬ §· GI¶I QUYÕT", "TR\xadíC H¹N"]) == "tcvn3"
    assert guess_encoding(["TOÅNG SOÁ", "SOÁ HOÀ SÔ ÑAÕ GIAÛI QUYEÁT", "TRÖÔÙC HAÏN"]) == "vni"


@pytest.mark.parametrize("texts", [
    [],
    ["STT", "Total", "Name", "Unit"],
    ["1", "2.5", "1.234", "12,5%", "2019-06-30"],
    ["Café", "Résumé"],
    ["Café", "Résumé", "naïve", "Señor", "Müller", "Hélène", "Crème brûlée", "São Paulo", "Déjà vu", "Zürich",
     "François", "Peña", "Citroën", "Bogotá", "José", "Núñez"],
    ["Số hồ sơ đã giải quyết"],
    [nfd("Số hồ sơ đã giải quyết")],
    ["Thủ tục hành chính", "Số hồ sơ", "Đúng hạn", "Tổng số", "Trực tuyến", "Năm 2019", "Tháng", "Quá hạn"],
    [nfd(text) for text in ("Thủ tục hành chính", "Đúng hạn", "Tháng", "Quá hạn", "Tên", "Mã")],
    # Unicode words whose letters are all Latin-1: both readings are Vietnamese, so no answer.
    ["Tên", "Mã", "Có", "Hòa", "Tháng", "Công", "Phòng", "Tài", "và", "Xã", "chính", "Ý"],
    ["–", "…", "•", "°C", "±"],
])
def test_not_legacy(texts):
    assert guess_encoding(texts) is None


def test_cells_that_are_not_text_are_skipped():
    assert guess_encoding([None, 3.0, 12, "Tæng sè", float("nan")]) == "tcvn3"
    assert guess_encoding([None, 3.0, 12]) is None


def test_a_header_with_unicode_cells_mixed_in():
    # A Unicode cell counts for neither reading; the legacy cells still decide.
    assert guess_encoding(HEADER_TCVN3 + ["Ghi chú của đơn vị"]) == "tcvn3"


def test_fast_enough():
    start = time.perf_counter()
    for _ in range(200):
        guess_encoding(HEADER_TCVN3)
        guess_encoding(HEADER_VNI)
        guess_encoding(HEADER_UNICODE)
    assert time.perf_counter() - start < 2.0
