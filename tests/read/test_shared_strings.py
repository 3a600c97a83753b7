"""Shared strings (xl/sharedStrings.xml, as Excel writes every text cell) in the shapes other tools write them
(cchc/read/container.py): cells whose attributes come in another order, comments, phonetic runs, empty and nested
items are read as the XML says, with the guard's size checks still bounded; an item left open is refused."""

from __future__ import annotations

import pytest
from read.test_container import PROGRESS, parts_of, rezip, sheet_xml

from cchc.findings import WorkbookRefused
from cchc.read.grid import load_workbook

SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
TWO = "<si><t>Mã tiêu chí</t></si><si><t>6.1.2</t></si>"
USUAL = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
# t before r: not the way Excel writes a cell, so the sheet is checked tag by tag
REORDERED = '<row r="1"><c t="s" r="A1"><v>0</v></c></row><row r="2"><c t="s" r="A2"><v>1</v></c></row>'


@pytest.fixture(scope="module")
def base() -> dict[str, bytes]:
    return parts_of(PROGRESS)


def workbook(base, strings: str, cells: str) -> bytes:
    parts = dict(base)
    parts["xl/sharedStrings.xml"] = SST + strings.encode() + b"</sst>"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(cells)
    return rezip(parts)


def rows(data: bytes) -> list[list]:
    return load_workbook(data, "tien_do.xlsx").sheets[0].rows


@pytest.mark.parametrize("strings,cells", [
    (TWO, USUAL),
    (TWO, REORDERED),
    ("<!-- written by a reporting tool -->" + TWO, REORDERED),
    ('<si><t>Mã tiêu chí</t><rPh sb="0" eb="1"><t>ma</t></rPh></si><si><t>6.1.2</t></si>', REORDERED),
    ("<si><t>Mã tiêu chí</t><si/></si><si><t>6.1.2</t></si>", REORDERED),
    ("<si><si><t>Mã tiêu chí</t></si><si><t>6.1.2</t></si>", REORDERED),
], ids=["usual", "reordered", "comment", "phonetic", "empty-inside", "nested"])
def test_shared_text_written_other_ways_reads_as_written(base, strings, cells):
    assert rows(workbook(base, strings, cells)) == [["Mã tiêu chí"], ["6.1.2"]]


def test_an_empty_item_is_an_empty_text(base):
    # item 0 is empty, so A1 is empty text and A2 (item 1) is the first real text
    assert rows(workbook(base, "<si/><si><t>Mã tiêu chí</t></si>", REORDERED)) == [[""], ["Mã tiêu chí"]]


@pytest.mark.parametrize("strings", ["<si><t>Mã tiêu chí</t></si></si><si><t>6.1.2</t></si>",
                                     "<si><t>Mã tiêu chí</t></si><si><t>6.1.2</t>"], ids=["closed-twice", "left-open"])
def test_an_item_closed_twice_or_left_open_is_refused(base, strings):
    with pytest.raises(WorkbookRefused) as refused:
        rows(workbook(base, strings, REORDERED))
    assert refused.value.findings.errors[0].message == (
        "Tệp bị hỏng hoặc chưa tải lên trọn vẹn (phần “xl/sharedStrings.xml” lỗi XML ở dòng 1: mismatched tag). Hãy "
        "mở tệp bằng Excel, lưu lại rồi tải lên lần nữa.")
