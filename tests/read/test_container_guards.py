"""The container guard's refusals and allowances that tests/read/test_container.py and test_broken_containers.py do
not reach (cchc/read/container.py): legacy .xls directories followed through a DIFAT sector, looping or pointing
outside the file; a central directory or one part too large for its packing; metadata parts too large to read
whole; NUL bytes and DTDs in every XML part the guard reads; cell and row references the tag-by-tag path cannot
accept; the exact recounts that save a big sheet from a wrong refusal; shared strings counted the way calamine
numbers them; .ods files too large to check or whose empty cells are wide.

Every file is built here, byte by byte or with openpyxl. A refusal is asserted through inspect_upload (the guard
alone: a file the guard wrongly let through must never reach calamine, which would abort the process) or through
check_file when the message the user reads comes later; an allowance through load_workbook, which reads the cells.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pytest
from read.test_container import (
    biff8,
    compound_file,
    deflate,
    ods,
    raw_zip,
    rezip,
    sheet_xml,
)
from support import xlsx_bytes

from cchc.findings import WorkbookRefused
from cchc.ingest import check_file
from cchc.read import container
from cchc.read.container import inspect_upload
from cchc.read.grid import load_workbook

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/_rels/workbook.xml.rels"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FREE, END_OF_CHAIN, FAT_SECTOR, DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC


# ---------------------------------------------------------------------------------------------------------------
# Building files
# ---------------------------------------------------------------------------------------------------------------

def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    """The parts of a one-sheet workbook written by openpyxl: sheet "Số liệu", a header and one unit."""
    return unzip(xlsx_bytes({"Số liệu": [["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019]]}))


def workbook(parts: dict[str, bytes], sheet: bytes) -> bytes:
    """The workbook with its sheet XML replaced."""
    return rezip({**parts, SHEET: sheet})


def unusual_sheet(rows: str, extra: str = "") -> bytes:
    """Sheet XML with a namespace prefix on every element: valid, read by calamine, and not written the usual way,
    so the guard follows it tag by tag."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}'
            f'</x:sheetData>{extra}</x:worksheet>').encode()


def filler(tags: int) -> str:
    """Elements calamine skips, to make a sheet part hold more tags than the tag-by-tag path follows."""
    return "<x/>" * tags


def with_shared_strings(parts: dict[str, bytes], strings_xml: bytes, sheet: bytes) -> bytes:
    changed = dict(parts)
    changed["xl/sharedStrings.xml"] = strings_xml
    changed[RELS] = parts[RELS].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    changed[SHEET] = sheet
    return rezip(changed)


def sst(*items: str) -> bytes:
    """xl/sharedStrings.xml holding the <si> items given as XML."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{"".join(items)}</sst>').encode()


def string_cells(index: int, rows: range, column: str = "A") -> str:
    return "".join(f'<row r="{r}"><c r="{column}{r}" t="s"><v>{index}</v></c></row>' for r in rows)


def xls_stream(rows: list[list], hidden_row: int | None = None) -> bytes:
    """A BIFF8 workbook stream (tests/read/test_container.py's biff8) with one ROW record marking a row hidden."""
    stream = biff8(rows)
    if hidden_row is None:
        return stream
    row = struct.pack("<HH", 0x0208, 16) + struct.pack("<8H", hidden_row - 1, 0, 3, 255, 0, 0, 0x20 | 0x100, 15)
    sheet_bof = stream.index(struct.pack("<HH", 0x0809, 16), 4)
    dimensions_end = sheet_bof + 4 + 16 + 4 + 14
    return stream[:dimensions_end] + row + stream[dimensions_end:]


ROWS = [["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019], ["Ia Tul", 2019]]


def directory_entry(name: str, typ: int, child: int = FREE, start: int = END_OF_CHAIN, size: int = 0) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), typ, 1) + struct.pack("<III", FREE, FREE,
            child) + bytes(36) + struct.pack("<II", start, size) + bytes(4))


def compound_file_with_difat(stream: bytes, fat_sectors: int = 110, directory_at: int = 14000) -> bytes:
    """A compound file as writers make it once the FAT outgrows the header: 109 FAT sectors listed in the header,
    the rest in a DIFAT sector. The directory and the Workbook stream sit past sector 109 × 128, so only the FAT
    sector the DIFAT lists describes their chains."""
    sector = 512
    per = sector // 4
    stream = stream.ljust(4096, b"\0")
    stream += bytes((-len(stream)) % sector)
    n_stream = len(stream) // sector
    first_data = directory_at + 1
    assert first_data + n_stream <= fat_sectors * per
    fat = [FAT_SECTOR] * fat_sectors + [DIFAT_SECTOR] + [FREE] * (directory_at - fat_sectors - 1) + [END_OF_CHAIN]
    fat += [first_data + i + 1 for i in range(n_stream - 1)] + [END_OF_CHAIN]
    fat += [FREE] * (fat_sectors * per - len(fat))
    difat = struct.pack(f"<{per}I", *range(109, fat_sectors), *([FREE] * (per - 1 - (fat_sectors - 109))),
                        END_OF_CHAIN)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, fat_sectors, directory_at, 0, 4096, END_OF_CHAIN, 0, fat_sectors, 1)
              + struct.pack("<109I", *range(109)))
    directory = (directory_entry("Root Entry", 5, child=1) + directory_entry("Workbook", 2, start=first_data,
                                                                               size=len(stream)) + bytes(256))
    unused = bytes(sector * (directory_at - fat_sectors - 1))
    return header + struct.pack(f"<{len(fat)}I", *fat) + difat + unused + directory + stream


def fat_offset(entry: int) -> int:
    """Where FAT entry `entry` is in a compound_file (its one FAT sector is sector 0)."""
    return 512 + 4 * entry


def refusal(data: bytes, filename: str = "so_lieu.xlsx") -> str:
    """The guard's refusal of a file, as the user reads it."""
    with pytest.raises(WorkbookRefused) as refused:
        inspect_upload(data, filename)
    return refused.value.findings.errors[0].message


def message(data: bytes, filename: str = "so_lieu.xlsx") -> str:
    """check_file's first error for a file it must refuse."""
    result = check_file(data, filename)
    assert result.kind is None and not result.ok
    return result.findings.errors[0].message


# ---------------------------------------------------------------------------------------------------------------
# Legacy .xls: the compound file's directory
# ---------------------------------------------------------------------------------------------------------------

def test_a_fat_listed_in_a_difat_sector_is_followed():
    """Past 109 FAT sectors the header lists the rest in DIFAT sectors; the directory is found through them, so the
    row the sheet hides is known and left out."""
    data = compound_file_with_difat(xls_stream(ROWS, hidden_row=3))
    sheet = load_workbook(data, "thong_ke.xls").sheets[0]
    assert sheet.hidden_rows == [3]
    assert [row[0] for row in sheet.rows] == ["Đơn vị", "Phòng Tư pháp", None]


def test_a_directory_chain_that_never_ends_is_given_up():
    """A directory whose FAT chain loops on itself: the walk stops after a bounded number of sectors and the
    directory counts as unreadable (the Workbook stream is then recognised by its name, and no hidden row is
    claimed from a directory that could not be followed)."""
    data = bytearray(compound_file({"Workbook": xls_stream(ROWS, hidden_row=3)}))
    loop = (len(data) - 512) // 512  # a sector of zeros appended: no entries, and its FAT entry points to itself
    data += bytes(512)
    struct.pack_into("<I", data, fat_offset(1), loop)  # the directory (sector 1) continues there
    struct.pack_into("<I", data, fat_offset(loop), loop)
    upload = inspect_upload(bytes(data), "thong_ke.xls")
    assert upload.format == "xls" and upload.hidden == {}


def test_a_workbook_stream_starting_outside_the_file_is_called_damaged():
    data = bytearray(compound_file({"Workbook": xls_stream(ROWS, hidden_row=3)}))
    struct.pack_into("<I", data, 1024 + 128 + 116, 0x7FFF)  # the Workbook entry's first sector: far past the end
    text = message(bytes(data), "thong_ke.xls")
    assert "bị hỏng" in text and "lỗi ngoài dự kiến" not in text


# ---------------------------------------------------------------------------------------------------------------
# The zip container
# ---------------------------------------------------------------------------------------------------------------

def test_a_central_directory_larger_than_any_workbook_has():
    size = container.MAX_CENTRAL_DIRECTORY_BYTES + 1
    data = b"PK\x03\x04" + bytes(size - 4) + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, size, 0, 0)
    text = refusal(data)
    assert "mục lục của tệp nén quá lớn" in text


def test_one_part_inflating_far_more_than_it_is_packed(parts):
    """30 MB from 1.000 bytes (ratio 31.457) in a file whose other part makes the whole archive's ratio harmless."""
    honest = dict(parts)
    honest["xl/media/image1.png"] = random.Random(6).randbytes(300_000)
    rows = []
    for name, data in honest.items():
        packed = deflate(data)
        rows.append((name, packed, 8, zlib.crc32(data), len(packed), len(data), None))
    rows.append(("xl/media/image2.bin", bytes(1000), 8, 0, 1000, 30 * MB, None))
    text = refusal(raw_zip(rows))
    assert "zip bomb" in text and "“xl/media/image2.bin” nén 1.000 byte" in text and "giải nén ra 30 MB" in text


@pytest.mark.parametrize("filename,part", [("so_lieu.xlsx", "xl/workbook.xml"), ("so_lieu.ods", "mimetype")])
def test_a_part_read_whole_must_be_small(parts, filename, part):
    """workbook.xml (16 MB at most) and an .ods's mimetype (4 KB at most) are read whole: beyond that, refused from
    the declared size before a byte is inflated."""
    if part == "mimetype":
        data = ods('<table:table table:name="S"/>')
        changed = unzip(data)
        changed["mimetype"] = b"application/vnd.oasis.opendocument.spreadsheet" + b" " * 5000
    else:
        changed = dict(parts)
        changed[part] = parts[part] + b" " * (16 * MB)
    text = refusal(rezip(changed), filename)
    assert f"phần “{part}” lớn bất thường" in text


def test_a_part_whose_first_blocks_inflate_to_nothing_is_still_read(parts):
    """Deflate may open with empty stored blocks (here 300 KB of them, more than one read of the packed data): the
    part is inflated to its end and the workbook reads."""
    sheet = parts[SHEET]
    empty_block = b"\x00\x00\x00\xff\xff"  # not final, stored, length 0 (and its complement)
    packed = empty_block * 60_000 + deflate(sheet)
    assert len(packed) > 256 * 1024
    rows = []
    for name, data in parts.items():
        payload = packed if name == SHEET else deflate(data)
        rows.append((name, payload, 8, zlib.crc32(data), len(payload), len(data), None))
    book = load_workbook(raw_zip(rows), "so_lieu.xlsx")
    assert book.sheets[0].rows == [["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019]]


def test_a_web_page_whose_first_tag_is_not_html():
    """Not a table export (its first tag is no HTML tag and it holds no table), but a web page all the same."""
    text = refusal(b"<report>\n<html><body>Phi\xc3\xaan \xc4\x91\xc4\x83ng nh\xe1\xba\xadp \xc4\x91\xc3\xa3 h"
                   b"\xe1\xba\xbft h\xe1\xba\xa1n</body></html>", "bieu06.xls")
    assert "Tệp là trang HTML được đặt đuôi .xls" in text and "không phải tệp Excel thật" in text


def test_a_zip_of_xml_parts_without_a_workbook():
    data = rezip({"[Content_Types].xml": b"<Types/>", SHEET: sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')})
    text = refusal(data)
    assert "không phải là bảng tính Excel (.xlsx) hợp lệ" in text and "thiếu phần “xl/workbook.xml”" in text


# ---------------------------------------------------------------------------------------------------------------
# NUL bytes and DTDs in every XML part the guard reads
# ---------------------------------------------------------------------------------------------------------------

LOL = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'


@pytest.mark.parametrize("where,broken,words", [
    ("sheet", lambda xml: xml.replace(b"<sheetData>", b"<sheetData>\x00"), "ký tự NUL"),
    ("workbook", lambda xml: xml.replace(b"<workbook ", LOL.encode() + b"<workbook "), "DOCTYPE/ENTITY"),
    ("workbook", lambda xml: xml.replace(b"<sheets>", b"<sheets>\x00"), "ký tự NUL"),
    ("shared", lambda xml: xml.replace(b"<sst ", b"\x00<sst "), "ký tự NUL"),
    ("shared", lambda xml: xml.replace(b"<sst ", LOL.encode() + b"<sst "), "DOCTYPE/ENTITY"),
], ids=["sheet-nul", "workbook-dtd", "workbook-nul", "shared-nul", "shared-dtd"])
def test_nul_bytes_and_dtds_in_workbook_parts(parts, where, broken, words):
    strings = sst("<si><t>Đơn vị</t></si>")
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    if where == "sheet":
        sheet = broken(sheet)
    elif where == "shared":
        strings = broken(strings)
    changed = dict(parts)
    if where == "workbook":
        changed["xl/workbook.xml"] = broken(parts["xl/workbook.xml"])
    text = refusal(with_shared_strings(changed, strings, sheet))
    assert text.startswith("Tệp bị hỏng hoặc chưa tải lên trọn vẹn") and words in text


ODS_TABLE = ('<table:table table:name="Số liệu"><table:table-row><table:table-cell office:value-type="string">'
             '<text:p>Đơn vị</text:p></table:table-cell></table:table-row></table:table>')


def test_an_ods_with_a_nul_byte():
    changed = unzip(ods(ODS_TABLE))
    changed["content.xml"] = changed["content.xml"].replace(b"<text:p>", b"<text:p>\x00")
    text = refusal(rezip(changed), "so_lieu.ods")
    assert "bị hỏng" in text and "ký tự NUL" in text


def test_an_ods_declaring_entities():
    """A billion-laughs DTD in content.xml: refused when the parser meets the declaration, nothing is expanded."""
    changed = unzip(ods(ODS_TABLE.replace("Đơn vị", "&lol2;")))
    changed["content.xml"] = changed["content.xml"].replace(b"<office:document-content",
                                                            LOL.encode() + b"<office:document-content")
    text = refusal(rezip(changed), "so_lieu.ods")
    assert "bị hỏng" in text and "DOCTYPE/ENTITY" in text


# ---------------------------------------------------------------------------------------------------------------
# Sheet XML followed tag by tag
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows,words", [
    ('<x:row r="1"><x:c r="2B"><x:v>1</x:v></x:c></x:row>', "có địa chỉ ô “2B” không hợp lệ"),  # digits first
    ('<x:row r="1"><x:c r="B0"><x:v>1</x:v></x:c></x:row>', "có địa chỉ ô “B0” không hợp lệ"),  # row 0
    ('<x:row r="1"><x:c r="7"><x:v>1</x:v></x:c></x:row>', "có địa chỉ ô “7” không hợp lệ"),  # no column
    ('<x:row r="F"><x:c><x:v>1</x:v></x:c></x:row>', "có địa chỉ ô “F” không hợp lệ"),  # a row without a number
    ('<x:row r="99999999"><x:c><x:v>1</x:v></x:c></x:row>', "có ô “99999999” nằm ngoài giới hạn của Excel"),
])
def test_references_the_tag_by_tag_path_cannot_accept(parts, rows, words):
    text = refusal(workbook(parts, unusual_sheet(rows)))
    assert text.startswith("Sheet “Số liệu”") and words in text


def test_a_far_cell_with_an_empty_value_is_not_data(parts):
    """<v></v> is no value for calamine: a formatted cell at XFD1048576 does not make the sheet 17 billion cells."""
    rows = ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
            '<x:row r="1048576"><x:c r="XFD1048576" x:s="1"><x:v></x:v></x:c></x:row>')
    book = load_workbook(workbook(parts, unusual_sheet(rows)), "so_lieu.xlsx")
    assert book.sheets[0].rows == [[1]]


def test_a_far_cell_written_before_any_row_is_counted(parts):
    """A cell outside every <row> is read by calamine at its own reference: it cannot hide behind the rows."""
    xml = sheet_xml('<c r="XFD1048576"><v>1</v></c>')
    text = refusal(workbook(parts, xml))
    assert "vùng dữ liệu quá lớn" in text and "XFD1048576" in text


def test_a_hidden_column_without_its_number_hides_nothing(parts):
    rows = ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row>')
    xml = unusual_sheet(rows).replace(b"<x:sheetData>", b'<x:cols><x:col max="2" hidden="1"/></x:cols><x:sheetData>')
    sheet = load_workbook(workbook(parts, xml), "so_lieu.xlsx").sheets[0]
    assert sheet.hidden_cols == [] and sheet.rows == [[1, 2]]


def test_one_tag_larger_than_the_fast_scan_holds_goes_tag_by_tag(parts):
    """A cell whose text is 12 MB in one piece: past 8 MB the fast scan stops carrying it (bounded memory) and the
    part is followed tag by tag, where it reads."""
    text = "a" * (12 * MB)
    xml = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>')
    view = memoryview(workbook(parts, xml))
    part = next(p for p in container._zip_parts(bytes(view)) if p.key == SHEET)
    scan = container._FastSheetScan()
    for chunk in container._inflate(view, part):
        scan.feed(chunk)
    assert scan.finish().slow
    assert load_workbook(bytes(view), "so_lieu.xlsx").sheets[0].rows == [[text]]


def test_the_pattern_cache_of_the_fast_scan_stays_bounded(parts):
    """The fast scan keeps one compiled pattern per sheet length; 300 uploads of different lengths do not keep
    300 of them."""
    for n in range(1, 301):
        inspect_upload(workbook(parts, sheet_xml(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>')))
    assert len(container._ODD_CELL_CACHE) <= 257


# ---------------------------------------------------------------------------------------------------------------
# Big sheets: exact recounts instead of a wrong refusal, and what is too big to follow
# ---------------------------------------------------------------------------------------------------------------

TOO_MANY_TAGS = container.MAX_SLOW_SCAN_TAGS + 1


def test_a_long_narrow_sheet_is_recounted_not_refused(parts):
    """500.000 rows in columns A–B with more tags than the tag-by-tag path follows: the fast scan only knows "no
    column past Z" (500.000 × 26 = 13 million cells), an exact recount of the columns gives 1 million."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="500000"><c r="B500000"><v>2</v></c></row>'
    upload = inspect_upload(workbook(parts, sheet_xml(rows, filler(TOO_MANY_TAGS))))
    assert upload.format == "xlsx"


def test_an_empty_formatted_row_far_below_is_not_data(parts):
    """Excel writes a formatted empty row as <row r="…" s="3" customFormat="1"/>: no cell, so no extent, even in a
    sheet with too many tags to follow tag by tag."""
    cells = "".join(f'<c r="{container.column_name(c)}1"><v>{c}</v></c>' for c in range(10))
    rows = f'<row r="1">{cells}</row><row r="1048576" s="3" customFormat="1"/>'
    upload = inspect_upload(workbook(parts, sheet_xml(rows, filler(TOO_MANY_TAGS))))
    assert upload.format == "xlsx"


def test_a_sheet_too_large_to_follow_and_too_many_cells(parts):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="20000"><c r="XFD20000"><v>2</v></c></row>'
    text = refusal(workbook(parts, sheet_xml(rows, filler(TOO_MANY_TAGS))))
    assert text.startswith("Sheet “Số liệu” có vùng dữ liệu quá lớn") and "XFD20000" in text


def test_an_unusual_sheet_too_large_to_follow(parts):
    """A row without its number sends the part tag by tag; with more tags than that path follows, it is refused
    and the user is told to let Excel write it again."""
    rows = '<row><c r="A1"><v>1</v></c></row>'
    text = refusal(workbook(parts, sheet_xml(rows, filler(TOO_MANY_TAGS))))
    assert "Sheet “Số liệu” được ghi theo cách không thông thường và quá lớn để kiểm tra an toàn" in text


# ---------------------------------------------------------------------------------------------------------------
# Shared strings, numbered as calamine numbers them
# ---------------------------------------------------------------------------------------------------------------

LONG = "a" * MB  # 300 copies: 300 MB of text, over MAX_SHARED_TEXT_BYTES (200 MB)


def test_an_empty_string_item_takes_no_number(parts):
    """calamine gives no number to an <si> holding neither <t> nor <r>: index 0 is the 1 MB string after it, and 300
    cells copying it are refused."""
    strings = sst("<si></si>", f"<si><t>{LONG}</t></si>")
    text = refusal(with_shared_strings(parts, strings, sheet_xml(string_cells(0, range(1, 301)))))
    assert "nội dung chữ khi đọc ra quá lớn" in text


def test_string_cells_the_recount_cannot_read_are_followed_tag_by_tag(parts):
    """A bound (251 string cells × the 1 MB longest string) over the limit; one cell written <c t="s"/> makes the
    fast recount disagree, so the sheet is followed exactly: 250 copies of a short string, and it reads."""
    strings = sst(f"<si><t>{LONG}</t></si>", "<si><t>Phòng Tư pháp</t></si>")
    rows = '<row r="1"><c r="A1" t="s"/></row>' + string_cells(1, range(2, 252))
    book = load_workbook(with_shared_strings(parts, strings, sheet_xml(rows)), "so_lieu.xlsx")
    assert len(book.sheets[0].rows) == 251 and book.sheets[0].rows[-1] == ["Phòng Tư pháp"]


def test_string_cells_written_formula_first_are_still_counted(parts):
    """300 string cells holding their formula before their value copy the 1 MB string each: the fast recount does
    not see them, so the sheet is followed exactly, and refused."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><f>B{r}</f><v>0</v></c></row>' for r in range(1, 301))
    text = refusal(with_shared_strings(parts, sst(f"<si><t>{LONG}</t></si>"), sheet_xml(rows)))
    assert "nội dung chữ khi đọc ra quá lớn" in text


def test_too_many_shared_strings(parts):
    count = container.MAX_SHARED_STRINGS + 1
    strings = sst("<si><t/></si>" * count)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:  # stored: 26 MB of strings must not look like a zip bomb
        for name, data in parts.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("xl/sharedStrings.xml", strings, compress_type=zipfile.ZIP_STORED)
    text = refusal(buffer.getvalue())
    assert "quá nhiều chuỗi ký tự dùng chung" in text and "2.000.000" in text


# ---------------------------------------------------------------------------------------------------------------
# .ods
# ---------------------------------------------------------------------------------------------------------------

def test_an_ods_too_large_to_check():
    """More elements than the guard follows (here empty spans inside one cell): refused, not followed forever."""
    body = ('<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>'
            + "<a/>" * TOO_MANY_TAGS + "</text:p></table:table-cell></table:table-row></table:table>")
    text = refusal(ods(body), "so_lieu.ods")
    assert "Tệp .ods quá lớn để kiểm tra an toàn" in text


def test_ods_cells_holding_only_spaces_are_empty():
    """1.000 rows × 20.000 cells holding a space are empty for calamine (20 million cells if they were not)."""
    body = ('<table:table table:name="S"><table:table-row>' + '<table:table-cell office:value-type="string">'
            '<text:p>Đơn vị</text:p></table:table-cell></table:table-row><table:table-row '
            'table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="20000"> '
            '</table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string">'
            '<text:p>Ia Tul</text:p></table:table-cell></table:table-row></table:table>')
    sheet = load_workbook(ods(body), "so_lieu.ods").sheets[0]
    assert len(sheet.rows) == 1002 and sheet.rows[0] == ["Đơn vị"] and sheet.rows[-1] == ["Ia Tul"]


def test_text_between_ods_rows_belongs_to_no_cell():
    body = ('<table:table table:name="S">\n <table:table-row><table:table-cell office:value-type="string"><text:p>'
            'Đơn vị</text:p></table:table-cell></table:table-row>\n</table:table>')
    assert inspect_upload(ods(body), "so_lieu.ods").format == "ods"


# ---------------------------------------------------------------------------------------------------------------
# When calamine refuses: the cell named
# ---------------------------------------------------------------------------------------------------------------

def test_a_damaged_part_is_named_after_one_too_large_to_check(parts):
    """calamine refuses a sheet cut short; looking for the part to blame, the shared strings (more tags than are
    followed) are passed over and the sheet is named."""
    strings = sst("<si><t>Đơn vị</t></si>" + filler(TOO_MANY_TAGS))
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')[:-len(b"</worksheet>")] + b"</worksh"
    text = message(with_shared_strings(parts, strings, sheet))
    assert "phần “xl/worksheets/sheet1.xml”" in text and "lỗi XML" in text


def test_a_bad_cell_written_without_its_reference_is_located(parts):
    """Cells without r="…" sit where they fall in their row: the third cell of row 7 is C7."""
    xml = sheet_xml('<row r="1"><c t="inlineStr"><is><t>Đơn vị</t></is></c></row>'
                    '<row r="7"><c><v>1</v></c><c><v>2</v></c><c t="n"><v>12,5</v></c></row>')
    result = check_file(workbook(parts, xml), "so_lieu.xlsx")
    error = result.findings.errors[0]
    assert result.kind is None and "ô C7" in error.message and "ô kiểu số nhưng chứa “12,5”" in error.message
    assert (error.sheet, error.row, error.column) == ("Số liệu", 7, "C")


def test_a_far_cell_holding_only_spaces_is_data(parts):
    """calamine reads <v> </v> as a text value: a far cell so written makes it allocate the whole area (it aborted
    the server), so the guard counts it like any value and refuses the sheet."""
    rows = ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
            '<x:row r="1048576"><x:c r="XFD1048576" t="str"><x:v> </x:v></x:c></x:row>')
    text = refusal(workbook(parts, unusual_sheet(rows)))
    assert "vùng dữ liệu quá lớn" in text


def test_a_sheet_target_without_its_leading_slash_is_the_part_calamine_reads(parts):
    """A relationship Target="xl/worksheets/sheet1.xml" is xl/xl/worksheets/sheet1.xml to calamine: that part, with
    a far cell, must be the one the guard checks (it aborted the server when only xl/worksheets/ was checked)."""
    far = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    rels = parts[RELS].replace(b'Target="/xl/worksheets/sheet1.xml"', b'Target="xl/worksheets/sheet1.xml"').replace(
        b'Target="worksheets/sheet1.xml"', b'Target="xl/worksheets/sheet1.xml"')
    assert b'Target="xl/worksheets/sheet1.xml"' in rels
    data = rezip({**parts, RELS: rels, "xl/xl/worksheets/sheet1.xml": far})
    with pytest.raises(WorkbookRefused):
        inspect_upload(data, "so_lieu.xlsx")
