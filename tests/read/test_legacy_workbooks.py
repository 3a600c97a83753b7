"""Workbooks typed in the legacy Vietnamese encodings (TCVN3/ABC with the .Vn fonts, VNI with the VNI- fonts) are
converted to Unicode before reading, said so in a warning, and give the same figures as the Unicode file; Unicode
in decomposed form (NFD) keeps working."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import pytest
from openpyxl.styles import Font

from cchc.ingest import check_file
from cchc.read.grid import load_workbook
from tests.support import bieu06_sheet, standard_groups

# Hand-written legacy spellings of Unicode text (the code tables of TCVN 5712:1993 and VNI Windows); what each
# reads as is written next to it, never computed by the converter under test.
TCVN3 = {"Phòng Tư pháp": "Phßng T­ ph¸p", "Tổng số": "Tæng sè", "Đúng hạn": "§óng h¹n"}
VNI = {"Phòng Tư pháp": "Phoøng Tö phaùp", "Tổng số": "Toång soá", "Đúng hạn": "Ñuùng haïn"}


def _encode_table():
    """Unicode letter → (TCVN3 byte as a character, VNI spelling), from the literal tables in the tests of the
    converter (tests/read/test_legacy.py) written out again here so this file stands alone."""
    from cchc.read.legacy import TCVN3_TO_UNICODE, UNICODE_TO_VNI
    tcvn = {unicode: code for code, unicode in TCVN3_TO_UNICODE.items()}
    return tcvn, UNICODE_TO_VNI


def _spell(text: str, table: dict) -> str:
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def test_the_spelling_helper_agrees_with_the_hand_written_examples():
    tcvn, vni = _encode_table()
    for unicode, legacy in TCVN3.items():
        assert _spell(unicode, tcvn) == legacy
    for unicode, legacy in VNI.items():
        assert _spell(unicode, vni) == legacy


def _workbook(transform, font: str | None) -> bytes:
    spec = bieu06_sheet(standard_groups())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.name
    for r, row in enumerate(spec.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=transform(value) if isinstance(value, str) else value)
                if font:
                    cell.font = Font(name=font)
    for ref in spec.merges:
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _figures(result):
    return result.stats.records.drop(columns=["sheet"]).to_dict("records")


@pytest.fixture(scope="module")
def unicode_result():
    result = check_file(_workbook(lambda t: t, None), "bieu06.xlsx")
    assert result.ok and not result.findings.warnings, result.findings.warnings
    return result


@pytest.mark.parametrize("encoding, font, name", [
    ("tcvn3", ".VnTime", "TCVN3 (ABC), phông .VnTime"),
    ("tcvn3", None, "TCVN3 (ABC)"),  # no font to go by (a file saved by another program): the characters decide
    ("vni", "VNI-Times", "VNI, phông VNI-Times"),
    ("vni", None, "VNI"),
])
def test_a_legacy_copy_reads_exactly_as_the_unicode_file(unicode_result, encoding, font, name):
    tcvn, vni = _encode_table()
    table = tcvn if encoding == "tcvn3" else vni
    result = check_file(_workbook(lambda t: _spell(t, table), font), "bieu06.xlsx")
    assert result.ok, result.findings.errors
    assert _figures(result) == _figures(unicode_result)
    assert [(w.sheet, w.message) for w in result.findings.warnings] == [
        ("Biểu 06", f"Sheet “Biểu 06” được gõ bằng bảng mã {name}; chữ đã được chuyển sang Unicode trước khi đọc. "
                    "Hãy kiểm tra tên đơn vị và tiêu đề cột trong kết quả.")]


def test_the_converted_cells_are_the_unicode_text():
    tcvn, _ = _encode_table()
    workbook = load_workbook(_workbook(lambda t: _spell(t, tcvn), ".VnTime"))
    rows = workbook.sheets[0].rows
    assert rows[5][2] == "Số hồ sơ nhận giải quyết"
    assert rows[6][8] == "Đúng hạn"


def test_decomposed_unicode_keeps_working(unicode_result):
    result = check_file(_workbook(lambda t: unicodedata.normalize("NFD", t), None), "bieu06.xlsx")
    assert result.ok, result.findings.errors
    assert _figures(result) == _figures(unicode_result)
    assert not any("bảng mã" in w.message for w in result.findings.warnings)


def test_a_unicode_cell_in_a_legacy_sheet_is_left_as_typed():
    tcvn, _ = _encode_table()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([_spell("Đơn vị", tcvn), _spell("Tổng số hồ sơ tiếp nhận", tcvn), _spell("Đã giải quyết", tcvn),
               "Tháng"])  # the last header typed later in Unicode: "Tháng" must not become "Thỏng"
    out = io.BytesIO()
    wb.save(out)
    rows = load_workbook(out.getvalue()).sheets[0].rows
    assert rows[0] == ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Tháng"]
