"""Hostile and broken uploads: each gets a clear Vietnamese message from check_file, fast and in little memory.

Every case goes through cchc.ingest.check_file, the entry point of every upload (the Dữ liệu page and the CLI), and
asserts the kind of message the user reads. The zip bombs are real: built here as streams of deflate blocks, so the
test stays small and fast while the file declares (or hides) gigabytes. Memory is measured with tracemalloc: for a
bomb, memory is a correctness property, not a benchmark.
"""

from __future__ import annotations

import ast
import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from cchc.findings import WorkbookRefused
from cchc.ingest import check_file
from cchc.read import container
from cchc.read import grid as wbmod
from cchc.read.grid import load_workbook

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PLAN = DATA / "ke_hoach_75_2019.xlsx"
STATS = DATA / "thong_ke_2019_minh_hoa_mau.xlsx"
PROGRESS = DATA / "tien_do_2019_minh_hoa.xlsx"
PROCEDURES = DATA / "thu_tuc_2019_minh_hoa.xlsx"

GB = 1024 ** 3
MB = 1024 ** 2


# ---------------------------------------------------------------------------------------------------------------
# Building files byte by byte
# ---------------------------------------------------------------------------------------------------------------

def zero_stream(total: int, chunk: int = MB) -> bytes:
    """A raw deflate stream of `total` zero bytes, made of one compressed block repeated (a full flush resets the
    compressor, so every block is identical): 2 GB of zeros in ~2 MB, built in milliseconds."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(chunk)) + c.flush(zlib.Z_FULL_FLUSH)
    n, rest = divmod(total, chunk)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = tail.compress(bytes(rest)) + tail.flush()
    return block * n + end


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_zip(entries, flags: int = 0) -> bytes:
    """A zip written by hand. entries: (name, payload, method, crc, compressed size, size, offset or None); the
    sizes are what the central directory declares, true or not; an offset points an entry at another's data."""
    out = io.BytesIO()
    central = []
    offsets = {}
    for name, payload, method, crc, csize, size, shared in entries:
        n = name.encode()
        if shared is None:
            offset = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, csize, size, len(n), 0)
                      + n + payload)
        else:
            offset = offsets[shared]
        offsets[name] = offset
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, crc, csize, size,
                                   len(n), 0, 0, 0, 0, 0, offset) + n)
    cd_offset = out.tell()
    cd = b"".join(central)
    out.write(cd + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd), cd_offset, 0))
    return out.getvalue()


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def entries(parts: dict[str, bytes], replace: dict | None = None) -> list:
    """Honest entries for the parts, some replaced by (payload, method, crc, csize, size) as given."""
    out = []
    for name, data in parts.items():
        if replace and name in replace:
            out.append((name, *replace[name], None))
        else:
            payload = deflate(data)
            out.append((name, payload, 8, zlib.crc32(data), len(payload), len(data), None))
    return out


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def with_sheet(path: Path, xml: bytes, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    parts = parts_of(path)
    parts[sheet] = xml
    return rezip(parts)


def sheet_xml(rows: str, extra: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.'
            f'org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>{extra}</worksheet>').encode()


def biff8(rows, password: bool = False, dimensions=None) -> bytes:
    """A minimal BIFF8 workbook stream (one sheet "Sheet1") as Excel 97–2003 writes it."""
    def record(typ, payload=b""):
        return struct.pack("<HH", typ, len(payload)) + payload

    bof = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    filepass = record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)) if password else b""
    codepage = record(0x0042, struct.pack("<H", 1200))
    name = b"Sheet1"

    def boundsheet(pos):
        return record(0x0085, struct.pack("<IBB", pos, 0, 0) + struct.pack("<BB", len(name), 0) + name)

    eof = record(0x000A)
    globals_len = len(bof) + len(filepass) + len(codepage) + len(boundsheet(0)) + len(eof)
    sheet = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0))
    rf, rl, cf, cl = dimensions or (0, len(rows), 0, max((len(r) for r in rows), default=0))
    sheet += record(0x0200, struct.pack("<IIHHH", rf, rl, cf, cl, 0))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, str):
                text = v.encode("utf-16-le")
                sheet += record(0x0204, struct.pack("<HHHHB", r, c, 0, len(v), 1) + text)
            else:
                sheet += record(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
    sheet += eof
    return bof + filepass + codepage + boundsheet(globals_len) + eof + sheet


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors, one FAT sector) holding the streams given."""
    sect, free, end, fatsect = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    streams = {n: s.ljust(4096, b"\0") for n, s in streams.items()}  # no mini stream
    names = list(streams)
    data = [streams[n] + bytes((-len(streams[n])) % sect) for n in names]
    dir_sectors = (len(names) + 1 + 3) // 4
    fat = [fatsect] + [2 + i if i < dir_sectors - 1 else end for i in range(dir_sectors)]
    starts = []
    for d in data:
        start, n = len(fat), len(d) // sect
        starts.append(start)
        fat += [start + i + 1 for i in range(n - 1)] + [end]
    assert len(fat) <= sect // 4
    fat += [free] * (sect // 4 - len(fat))

    def entry(name, typ, child=free, right=free, start=end, size=0):
        n = name.encode("utf-16-le") + b"\0\0"
        return (n.ljust(64, b"\0") + struct.pack("<HBB", len(n), typ, 1) + struct.pack("<III", free, right, child)
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<II", start, size) + bytes(4))

    directory = [entry("Root Entry", 5, child=1 if names else free)]
    for i, (n, s) in enumerate(zip(names, starts)):
        directory.append(entry(n, 2, right=i + 2 if i + 1 < len(names) else free, start=s, size=len(streams[n])))
    while len(directory) % 4:
        directory.append(bytes(128))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<I", 0)
              + struct.pack("<108I", *([free] * 108)))
    return header + struct.pack(f"<{sect // 4}I", *fat) + b"".join(directory) + b"".join(data)


def ods(content_body: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet>{content_body}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_cell(value) -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


# ---------------------------------------------------------------------------------------------------------------
# Helpers for the assertions
# ---------------------------------------------------------------------------------------------------------------

def refused(data: bytes, filename: str = "tep.xlsx"):
    """check_file's result for a file that must be refused; returns its first error message."""
    result = check_file(data, filename)
    assert result.ok is False
    assert result.kind is None, f"the loader let it through: {result.findings.errors[:2]}"
    assert result.findings.errors, "a refusal must say why"
    message = result.findings.errors[0].message
    assert isinstance(message, str) and message
    return message


def measured(data: bytes, filename: str = "tep.xlsx"):
    """(first error message, seconds, peak bytes traced) of check_file on a hostile file."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        message = refused(data, filename)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return message, seconds, peak


@pytest.fixture(scope="module")
def progress_parts():
    return parts_of(PROGRESS)


# ---------------------------------------------------------------------------------------------------------------
# Size limits and zip bombs
# ---------------------------------------------------------------------------------------------------------------

def test_empty_file():
    assert "Tệp rỗng" in refused(b"")


def test_file_over_the_size_limit():
    message = refused(b"PK\x03\x04" + bytes(container.MAX_FILE_BYTES))
    assert "Tệp quá lớn" in message and "50 MB" in message


def test_zip_bomb_is_refused_before_inflating(progress_parts):
    """sheet1.xml replaced by 2 GB of zeros, honestly declared: refused from the central directory alone."""
    bomb = zero_stream(2 * GB)
    data = raw_zip(entries(progress_parts, {"xl/worksheets/sheet1.xml": (bomb, 8, 0, len(bomb), 2 * GB)}))
    assert len(data) < 4 * MB
    message, seconds, peak = measured(data)
    assert "zip bomb" in message and "giải nén ra" in message
    assert peak < 50 * MB


def test_zip_bomb_just_over_the_total_limit(progress_parts):
    """Many parts each harmless, together past MAX_INFLATED_BYTES."""
    bomb = zero_stream(20 * MB)
    extra = {f"xl/media/image{i}.bin": bomb for i in range(container.MAX_INFLATED_BYTES // (20 * MB) + 1)}
    rows = entries(progress_parts)
    rows += [(name, payload, 8, 0, len(payload), 20 * MB, None) for name, payload in extra.items()]
    message, seconds, peak = measured(raw_zip(rows))
    assert "zip bomb" in message
    assert peak < 50 * MB


def test_lying_central_directory_is_refused_in_bounded_memory(progress_parts):
    """The directory says sheet1.xml is 25 KB; its data inflates to 1 GB. Inflated as a bounded stream, the part is
    refused as soon as it passes its declared size: nothing close to a gigabyte is ever held."""
    declared = len(progress_parts["xl/worksheets/sheet1.xml"])
    bomb = zero_stream(1 * GB)
    data = raw_zip(entries(progress_parts, {"xl/worksheets/sheet1.xml": (bomb, 8, 0, len(bomb), declared)}))
    message, seconds, peak = measured(data)
    assert "giải nén ra nhiều hơn kích thước ghi trong mục lục" in message
    assert peak < 50 * MB


def test_lying_central_directory_smaller_data(progress_parts):
    """Declared bigger than what the data holds: a damaged part, refused by its size and CRC."""
    sheet = progress_parts["xl/worksheets/sheet1.xml"]
    payload = deflate(sheet)
    data = raw_zip(entries(progress_parts, {"xl/worksheets/sheet1.xml": (payload, 8, zlib.crc32(sheet), len(payload),
                                                                          len(sheet) + 1000)}))
    assert "bị hỏng" in refused(data)


def test_wrong_crc_is_refused(progress_parts):
    sheet = progress_parts["xl/worksheets/sheet1.xml"]
    payload = deflate(sheet)
    data = raw_zip(entries(progress_parts, {"xl/worksheets/sheet1.xml": (payload, 8, zlib.crc32(sheet) ^ 1,
                                                                          len(payload), len(sheet))}))
    assert "mã kiểm tra" in refused(data)


def test_too_many_parts(progress_parts):
    rows = entries(progress_parts)
    rows += [(f"x/{i}.xml", b"\x03\x00", 8, 0, 2, 0, None) for i in range(container.MAX_ZIP_ENTRIES)]
    message, seconds, _ = measured(raw_zip(rows))
    assert "quá nhiều thành phần" in message


def test_overlapping_parts_are_refused(progress_parts):
    """Many directory entries pointing at the same data (the "non-recursive zip bomb" trick)."""
    rows = entries(progress_parts)
    sheet = next(r for r in rows if r[0] == "xl/worksheets/sheet1.xml")
    rows += [(f"xl/media/copy{i}.xml", *sheet[1:6], "xl/worksheets/sheet1.xml") for i in range(50)]
    assert "chồng lên nhau" in refused(raw_zip(rows))


def test_nested_zip_bomb_is_never_opened(progress_parts):
    """An .xlsx carrying a 2 GB zip bomb as an embedded object: nobody opens embedded files, the workbook reads."""
    bomb = zero_stream(2 * GB)
    inner = raw_zip([("zeros.bin", bomb, 8, 0, len(bomb), 2 * GB, None)])
    parts = dict(progress_parts)
    parts["xl/embeddings/oleObject1.bin"] = inner
    tracemalloc.start()
    try:
        result = check_file(rezip(parts), "tien_do.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.kind == "progress" and result.ok
    assert peak < 50 * MB


def test_sparse_cell_far_away_is_refused_before_calamine(progress_parts):
    """One value at XFD1048576 in a 2 KB file would make calamine allocate 17 billion cells (the process aborts)."""
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Mã tiêu chí</t></is></c></row>'
                    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    message, seconds, peak = measured(with_sheet(PROGRESS, xml))
    assert "vùng dữ liệu quá lớn" in message and "XFD1048576" in message and "Tiến độ" in message
    assert peak < 50 * MB


@pytest.mark.parametrize("cells", [
    '<row r="5"><c r="ZZZ5" t="inlineStr"><is><t></t></is></c></row>',  # an empty inline string is a value
    '<row r="2"><c r="A2"><v>1</v></c></row><row r="1048576">' + '<c><v>1</v></c>' * 20 + '</row>',  # no r
    '<row r="2"><c s="1" r="AAA2"><v>1</v></c></row><row r="20000"><c s="1" r="B20000"><v>1</v></c></row>',
    '<row r="2"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD2"><x:v>1</x:v></x:c>'
    '</row><row r="3000"><c r="A3000"><v>1</v></c></row>',  # a prefixed cell
    '<row r="2"><c r=\'XFD2\'><v>1</v></c></row><row r="3000"><c r="A3000"><v>1</v></c></row>',  # single quotes
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',  # a cell below its row
])
def test_far_cells_written_in_unusual_ways(cells):
    message, seconds, _ = measured(with_sheet(PROGRESS, sheet_xml(cells)))
    assert "vùng dữ liệu quá lớn" in message or "ngoài giới hạn" in message


def test_cell_outside_excels_grid():
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A1048577"><v>1</v></c></row>')
    assert "ngoài giới hạn của Excel" in refused(with_sheet(PROGRESS, xml))


def test_formatted_empty_cells_far_away_do_not_refuse_a_real_file(progress_parts):
    """A border on a far cell writes <c r=".." s="3"/> with no value: calamine ignores it, so does the check."""
    sheet = progress_parts["xl/worksheets/sheet1.xml"]
    end = sheet.index(b"</sheetData>")
    xml = sheet[:end] + b'<row r="1048576"><c r="XFD1048576" s="0"/></row>' + sheet[end:]
    result = check_file(with_sheet(PROGRESS, xml), "tien_do.xlsx")
    assert result.kind == "progress" and result.ok


def test_shared_string_amplification_is_refused(progress_parts):
    """300 cells pointing at one 10 MB shared string: 16 KB on disk, 3 GB once every cell has its own copy."""
    parts = dict(progress_parts)
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                                     b'.org/spreadsheetml/2006/main"><si><t>' + b"a" * (10 * MB) + b"</t></si></sst>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts["xl/worksheets/sheet1.xml"] = sheet_xml("".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>'
                                                          for i in range(1, 301)))
    message, seconds, peak = measured(rezip(parts))
    assert "nội dung chữ khi đọc ra quá lớn" in message
    assert peak < 80 * MB


def test_doctype_and_entities_are_refused():
    xml = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
           b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    assert "DOCTYPE" in refused(with_sheet(PROGRESS, xml))


def test_too_many_merged_ranges():
    merges = "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1, container.MAX_MERGED_RANGES + 2))
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', f'<mergeCells>{merges}</mergeCells>')
    assert "vùng gộp ô" in refused(with_sheet(PROGRESS, xml))


def test_overlapping_merged_ranges_are_refused():
    """Thousands of ranges over the same header cells would cost a reader billions of steps."""
    merges = "".join(f'<mergeCell ref="A1:{container.column_name(20 + i % 30)}{30 + i % 7}"/>' for i in range(5000))
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{container.column_name(c)}{r}"><v>{c}</v></c>' for c in range(60))
                   + "</row>" for r in range(1, 40))
    message = refused(with_sheet(PROGRESS, sheet_xml(rows, f"<mergeCells>{merges}</mergeCells>")))
    assert "vùng gộp ô chồng lên nhau" in message


def test_ods_repeated_cells_bomb():
    """One cell "repeated 16.384 times" in a row "repeated 1.048.576 times": a 1 KB .ods, 17 billion cells."""
    body = ('<table:table table:name="Số liệu"><table:table-row>' + ods_cell("Đơn vị") + '</table:table-row>'
            '<table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated='
            '"16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
            '</table:table-row></table:table>')
    message, seconds, peak = measured(ods(body), "so_lieu.ods")
    assert "vùng dữ liệu quá lớn" in message and "Số liệu" in message
    assert peak < 50 * MB


def test_ods_repeated_spaces_bomb():
    """<text:s text:c="2000000000"/> is 30 bytes asking for 2 GB of spaces; repeated, far more."""
    body = ('<table:table table:name="S"><table:table-row table:number-rows-repeated="100"><table:table-cell '
            'office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell>'
            '</table:table-row></table:table>')
    message, seconds, _ = measured(ods(body), "so_lieu.ods")
    assert "nội dung chữ khi đọc ra quá lớn" in message


@pytest.mark.skipif(not wbmod._xls_in_child_available(), reason="the .xls child process needs POSIX")
def test_xls_dimensions_bomb_does_not_take_the_server_down():
    """A 5 KB .xls whose DIMENSIONS record claims 4 billion rows makes calamine reserve 43 TB and abort. It is read
    in a child process with a memory limit: the child dies, the server answers with a message."""
    data = compound_file({"Workbook": biff8([["Đơn vị", "Năm"]], dimensions=(0, 0xFFFFFFF0, 0, 255))})
    message, seconds, _ = measured(data, "thong_ke.xls")
    assert "Tệp .xls quá lớn hoặc bị hỏng" in message


@pytest.mark.parametrize("cell,words", [
    ('<c r="C7" t="n"><v>12,5</v></c>', "ô kiểu số nhưng chứa “12,5”"),
    ('<c r="C7" t="s"><v>4096</v></c>', "chuỗi dùng chung số “4096”"),
    ('<c r="C7" t="b"><v>2</v></c>', "ô kiểu đúng/sai"),
    ('<c r="C7" t="e"><v>#LỖI</v></c>', "không phải mã lỗi của Excel"),
    ('<c r="C7" t="x"><v>1</v></c>', "kiểu ô “x”"),
    ('<c r="C7" s="6"><v>-inf</v></c>', "không phải là số hữu hạn"),  # a date: calamine panics on it
])
def test_a_cell_calamine_cannot_read_is_named(cell, words):
    """One bad cell makes calamine refuse the whole workbook; the refusal names the sheet, row and column."""
    xml = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>Mã tiêu chí</t></is></c></row><row r="7">{cell}</row>')
    result = check_file(with_sheet(PROGRESS, xml), "tien_do.xlsx")
    assert result.kind is None and not result.ok
    error = result.findings.errors[0]
    assert words in error.message and "ô C7" in error.message
    assert (error.sheet, error.row, error.column) == ("Tiến độ", 7, "C")


def test_a_broken_part_is_named(progress_parts):
    parts = dict(progress_parts)
    parts["xl/styles.xml"] = parts["xl/styles.xml"][:-40]
    message = refused(rezip(parts))
    assert "phần “xl/styles.xml”" in message and "lỗi XML" in message


# ---------------------------------------------------------------------------------------------------------------
# Encrypted, truncated, renamed, macro files
# ---------------------------------------------------------------------------------------------------------------

def test_encrypted_xlsx():
    """Excel's "Encrypt with password" writes an OLE compound file with EncryptionInfo and EncryptedPackage."""
    data = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200), "EncryptedPackage": bytes(5000)})
    message = refused(data, "ke_hoach.xlsx")
    assert "đặt mật khẩu" in message and "gỡ mật khẩu" in message


def test_legacy_xls_with_password():
    data = compound_file({"Workbook": biff8([["Đơn vị"]], password=True)})
    assert "đặt mật khẩu" in refused(data, "thong_ke.xls")


def test_zip_entries_with_traditional_encryption(progress_parts):
    data = raw_zip(entries(progress_parts), flags=0x1)
    assert "đặt mật khẩu" in refused(data)


def test_a_legacy_xls_is_read():
    data = compound_file({"Workbook": biff8([["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019]])})
    workbook = load_workbook(data, "don_vi.xls")
    assert workbook.sheets[0].rows == [["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019.0]]


@pytest.mark.parametrize("path", [PLAN, STATS, PROGRESS, PROCEDURES])
def test_truncated_workbooks(path):
    data = path.read_bytes()
    for cut in (1, 4, 30, 100, len(data) // 10, len(data) // 2, len(data) - 100, len(data) - 22, len(data) - 1):
        message = refused(data[:cut], path.name)
        assert "bị hỏng" in message or "không phải là tệp Excel" in message, (cut, message)


def test_truncated_in_the_middle_of_a_part_with_directory_intact(progress_parts):
    sheet = progress_parts["xl/worksheets/sheet1.xml"]
    payload = deflate(sheet)
    data = raw_zip(entries(progress_parts, {"xl/worksheets/sheet1.xml": (payload[: len(payload) // 2], 8,
                                                                          zlib.crc32(sheet), len(payload) // 2,
                                                                          len(sheet))}))
    assert "bị hỏng" in refused(data)


@pytest.mark.parametrize("data,filename,words", [
    (b"Don vi,Nam,Thang\nPhong Tu phap,2019,1\n", "thong_ke.xlsx", ["không phải là tệp Excel", "CSV"]),
    ("Đơn vị\tNăm\nPhòng Tư pháp\t2019\n".encode("utf-16"), "thong_ke.xls", ["không phải là tệp Excel", "CSV"]),
    ("\ufeffĐơn vị;Năm\n".encode("utf-8"), "thong_ke.xlsx", ["văn bản/CSV"]),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "bao_cao.xlsx", ["tài liệu PDF"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.xlsx", ["hình ảnh PNG"]),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "anh.xls", ["hình ảnh JPEG"]),
    (b"Rar!\x1a\x07\x01\x00", "nen.xlsx", ["tệp nén RAR", "giải nén"]),
    (b"\x1f\x8b\x08\x00", "nen.xlsx", ["tệp nén gzip"]),
])
def test_renamed_files(data, filename, words):
    message = refused(data, filename)
    for word in words:
        assert word in message


@pytest.mark.parametrize("html, grid", [
    (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>\xc4\x90\xc6\xa1n v\xe1\xbb\x8b</td></tr></table>",
     [["Đơn vị"]]),
    (b"<table border='1'><tr><th>STT</th><th>\xc4\x90\xc6\xa1n v\xe1\xbb\x8b</th></tr></table>", [["STT", "Đơn vị"]]),
])
def test_html_exported_as_xls_is_read_as_its_tables(html, grid):
    """Many one-stop systems export an HTML table named .xls: its tables are read as sheets (tests/read/test_html.py
    has the layouts)."""
    workbook = load_workbook(html, "bieu06_thang01.xls")
    assert [(s.name, s.rows) for s in workbook.sheets] == [("Bảng 1", grid)]


@pytest.mark.parametrize("html", [
    b"\r\n  <!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<HTML><BODY><TABLE border=1>",
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body><table>".encode("utf-16"),
    b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<html><body><table></table></body></html>",
])
def test_html_without_a_table_of_figures_is_refused_with_the_likely_cause(html):
    message = refused(html, "bieu06_thang01.xls")
    assert message == ("Tệp “bieu06_thang01.xls” là trang web (HTML) nhưng không có bảng số liệu nào. Có thể phần "
                       "mềm một cửa xuất lỗi hoặc phiên đăng nhập đã hết hạn: hãy xuất lại tệp Excel từ phần mềm rồi "
                       "tải lên.")


def test_mhtml_and_spreadsheet_2003_xml():
    mhtml = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart\"\r\n\r\n"
    assert "MHTML" in refused(mhtml, "bieu06.xls")
    xml2003 = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-'
               b'microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table></Table></Worksheet></Workbook>')
    message = refused(xml2003, "bieu06.xls")
    assert "XML Spreadsheet 2003" in message and ".xlsx" in message


def test_xlsm_with_vba_macro(progress_parts):
    parts = dict(progress_parts)
    parts["xl/vbaProject.bin"] = compound_file({"VBA": b"Attribute VB_Name = \"Module1\"\nSub AutoOpen()\nEnd Sub"})
    assert "macro (VBA)" in refused(rezip(parts), "tien_do.xlsm")


def test_excel4_macro_sheet(progress_parts):
    parts = dict(progress_parts)
    parts["xl/macrosheets/sheet1.xml"] = b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>'
    assert "macro" in refused(rezip(parts), "tien_do.xlsm")


def test_word_document_renamed():
    docx = rezip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                  "_rels/.rels": b"<Relationships/>"})
    assert "văn bản Word (.docx)" in refused(docx, "ke_hoach.xlsx")
    doc = compound_file({"WordDocument": b"\xec\xa5" + bytes(100)})
    assert "văn bản Word (.doc)" in refused(doc, "ke_hoach.xls")


def test_other_zips_renamed():
    assert "PowerPoint" in refused(rezip({"ppt/presentation.xml": b"<p/>"}), "a.xlsx")
    assert ".xlsb" in refused(rezip({"xl/workbook.bin": b"\x83\x01", "[Content_Types].xml": b"<Types/>"}), "a.xlsx")
    assert "tệp nén .zip" in refused(rezip({"so_lieu.csv": b"a,b\n1,2\n"}), "a.xlsx")
    message = refused(rezip({"thang1/thong_ke.xlsx": STATS.read_bytes()}), "a.xlsx")
    assert "chứa tệp Excel" in message and "giải nén" in message
    odt = rezip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert "OpenDocument (.odt)" in refused(odt, "a.ods")


def test_an_ods_workbook_is_read():
    body = ('<table:table table:name="Số liệu TTHC"><table:table-row>'
            + "".join(ods_cell(v) for v in ("Đơn vị", "Năm", "Tổng số TTHC")) + "</table:table-row><table:table-row>"
            + "".join(ods_cell(v) for v in ("Phòng Tư pháp", 2019, 32)) + "</table:table-row></table:table>")
    result = check_file(ods(body), "thu_tuc.ods")
    assert result.kind == "procedures", result.findings.errors[:2]
    assert result.ok, result.findings.errors[:2]
    assert result.procedures.records["unit"].tolist() == ["Phòng Tư pháp"]


# ---------------------------------------------------------------------------------------------------------------
# Cell text is never evaluated
# ---------------------------------------------------------------------------------------------------------------

DDE = "=cmd|' /C calc'!A0"


def _as_text(path: Path, edits: dict[tuple[int, int], str]) -> bytes:
    """The workbook with some cells set to text that looks like a formula (saved as text, not as a formula)."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for (row, col), text in edits.items():
        cell = sheet.cell(row=row, column=col)
        cell.value = text
        cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_formula_looking_text_is_read_as_text():
    data = _as_text(PROGRESS, {(4, 8): DDE, (5, 8): "=1+1", (6, 8): "@SUM(1+1)*cmd|' /C calc'!A0"})
    rows = load_workbook(data).sheets[0].rows
    assert rows[3][7] == DDE and rows[4][7] == "=1+1" and rows[5][7] == "@SUM(1+1)*cmd|' /C calc'!A0"
    result = check_file(data, "tien_do.xlsx")
    assert result.kind == "progress" and result.ok, result.findings.errors[:3]
    notes = result.progress.records.set_index("row")["note"]
    assert notes[4] == DDE and notes[5] == "=1+1"


def test_unit_names_starting_with_equals_stay_text():
    data = _as_text(STATS, {(2, 1): "=1+1", (3, 1): DDE})
    result = check_file(data, "thong_ke.xlsx")
    assert result.kind == "stats" and result.ok, result.findings.errors[:3]
    records = result.stats.records
    # the two edited rows keep their text exactly: never computed ("2"), never stripped ("1+1"), never dropped
    assert records["unit"].tolist()[:2] == ["=1+1", DDE]
    assert all(isinstance(u, str) for u in records["unit"])
    assert not {"2", "1+1", "cmd|' /C calc'!A0"} & set(records["unit"])
    warnings = [(w.row, w.message) for w in result.findings.warnings]
    assert (2, "Đơn vị “=1+1” không có trong danh mục đơn vị. Kiểm tra lại tên đơn vị hoặc bổ sung đơn vị vào "
               "danh mục.") in warnings
    assert any(row == 3 and f"“{DDE}”" in message for row, message in warnings)


def test_a_saved_formula_gives_its_saved_value_and_an_unsaved_one_is_reported():
    saved = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Mã tiêu chí</t></is></c></row>'
                      '<row r="2"><c r="A2"><f>1+1</f><v>7</v></c></row>')
    assert load_workbook(with_sheet(PROGRESS, saved)).sheets[0].rows[1][0] == 7  # the saved value, not 1+1
    unsaved = sheet_xml('<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>SUM(A1)</f><v></v></c>'
                        '<c r="C1"><f>2</f><v/></c></row>')
    assert load_workbook(with_sheet(PROGRESS, unsaved)).unsaved_formulas == {"Tiến độ": ["A1", "B1", "C1"]}


# Calls that run code or rebuild objects from bytes. pickle is allowed twice, each time through an unpickler whose
# find_class admits a fixed list: the .xls child's result, read by cchc/read/grid.py's _SafeUnpickler (plain
# datetime values only), and the upload check's result, read by cchc/sandbox.py's _ResultUnpickler (the result
# dataclasses of cchc and the pandas/numpy/pyarrow pieces of a DataFrame; tests/test_sandbox.py).
_FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "builtins.eval", "builtins.exec", "builtins.compile",
    "builtins.__import__", "importlib.import_module", "importlib.__import__", "runpy.run_path", "runpy.run_module",
    "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "_pickle.Unpickler",
    "cPickle.load", "cPickle.loads", "dill.load", "dill.loads", "cloudpickle.load", "cloudpickle.loads",
    "joblib.load", "shelve.open", "marshal.load", "marshal.loads", "yaml.load", "yaml.load_all",
    "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all", "yaml.Loader",
    "yaml.UnsafeLoader", "yaml.FullLoader", "os.system", "os.popen", "os.execv", "os.execve", "os.execl",
    "os.execlp", "os.execvp", "os.spawnl", "os.spawnv", "pty.spawn", "numpy.load", "pandas.read_pickle",
    "code.interact", "code.InteractiveInterpreter",
}
_UNPICKLER_BASES = {"pickle.Unpickler", "_pickle.Unpickler"}
_SAFE_UNPICKLERS = {("read/grid.py", "_SafeUnpickler"), ("sandbox.py", "_ResultUnpickler")}
SCANNED = [ROOT / "app.py", *sorted((ROOT / "cchc").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py")),
           *sorted((ROOT / "ui").rglob("*.py"))]


def _dotted(node, aliases: dict[str, str]) -> str | None:
    """The full dotted name of a call target, through `import x as y` and `from x import a as b`."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def evaluating_calls(source: str, relative: str) -> list[str]:
    """Every place in one module that could run code or unpickle: "line: what"."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name in _FORBIDDEN_CALLS:
                found.append(f"{node.lineno}: {name}")
            if name and name.startswith(("subprocess.", "asyncio.create_subprocess")):
                for keyword in node.keywords:
                    if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant)
                                                       and keyword.value.value is False):
                        found.append(f"{node.lineno}: {name}(shell=…)")
                if name.endswith("_shell") or name in ("subprocess.getoutput", "subprocess.getstatusoutput"):
                    found.append(f"{node.lineno}: {name}")
        elif isinstance(node, ast.ClassDef):
            bases = {_dotted(b, aliases) for b in node.bases}
            if bases & _UNPICKLER_BASES:
                safe = (relative, node.name) in _SAFE_UNPICKLERS and any(
                    isinstance(item, ast.FunctionDef) and item.name == "find_class" for item in node.body)
                if not safe:
                    found.append(f"{node.lineno}: class {node.name}({', '.join(sorted(bases & _UNPICKLER_BASES))})")
    return found


def test_no_reader_evaluates_anything():
    """No eval, exec, compile, unpickling, marshal, unsafe YAML or shell anywhere in the package, the pages and the
    UI (the .xls child and the upload check's child answer through restricted unpicklers only)."""
    assert len(SCANNED) > 40 and ROOT / "cchc" / "read" / "grid.py" in SCANNED  # subpackages included
    found = {}
    for path in SCANNED:
        relative = path.relative_to(ROOT / "cchc").as_posix() if path.is_relative_to(ROOT / "cchc") else path.name
        calls = evaluating_calls(path.read_text(encoding="utf-8"), relative)
        if calls:
            found[str(path.relative_to(ROOT))] = calls
    assert found == {}


def test_the_evaluation_scan_sees_what_it_must():
    """The scanner itself: each forbidden form is found, however it is imported; the safe forms are not."""
    bad = {
        "eval(text)": "eval", "import pickle\npickle.loads(data)": "pickle.loads",
        "import pickle as p\np.load(f)": "pickle.load", "from pickle import loads\nloads(data)": "pickle.loads",
        "from pickle import loads as l\nl(data)": "pickle.loads", "import marshal\nmarshal.loads(b)": "marshal.loads",
        "import yaml\nyaml.load(text)": "yaml.load", "import yaml\nyaml.load(text, Loader=yaml.Loader)": "yaml.load",
        "import subprocess\nsubprocess.run(cmd, shell=True)": "subprocess.run(shell=…)",
        "import subprocess as sp\nsp.Popen(cmd, shell=flag)": "subprocess.Popen(shell=…)",
        "from subprocess import check_output\ncheck_output(c, shell=True)": "subprocess.check_output(shell=…)",
        "import os\nos.system(cmd)": "os.system", "import builtins\nbuiltins.exec(code)": "builtins.exec",
        "import pickle\nclass U(pickle.Unpickler):\n    def find_class(self, m, n): ...": "class U(pickle.Unpickler)",
    }
    for source, what in bad.items():
        found = evaluating_calls(source, "read/plan.py")
        assert found and what in found[0], (source, found)
    fine = ["import re\nre.compile('x')", "import yaml\nyaml.safe_load(text)", "import pickle\npickle.dumps(x)",
            "import subprocess\nsubprocess.run([a, b], shell=False, timeout=3)", "import json\njson.loads(t)",
            "import ast\nast.literal_eval(t)"]
    for source in fine:
        assert evaluating_calls(source, "read/plan.py") == [], source
    unpickler = "import pickle\nclass _SafeUnpickler(pickle.Unpickler):\n    def find_class(self, m, n): ...\n"
    assert evaluating_calls(unpickler, "read/grid.py") == []  # the one allowed, where it lives
    assert evaluating_calls(unpickler, "read/plan.py")  # the same class anywhere else is reported
    assert evaluating_calls("import pickle\nclass _SafeUnpickler(pickle.Unpickler):\n    pass\n", "read/grid.py")


def test_the_xls_child_unpickler_only_accepts_plain_values():
    import pickle

    class Evil:
        def __reduce__(self):
            return (print, ("owned",))

    with pytest.raises(pickle.UnpicklingError):
        wbmod._SafeUnpickler(io.BytesIO(pickle.dumps(("ok", [Evil()])))).load()


# ---------------------------------------------------------------------------------------------------------------
# The streaming scanners agree with a whole-file reading
# ---------------------------------------------------------------------------------------------------------------

def test_unsaved_formulas_found_across_chunk_boundaries():
    """A 4 MB sheet: formulas without a saved value wherever the 1 MB chunks happen to cut."""
    rows, expected = [], []
    for r in range(1, 30001):
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>đơn vị {r} ' + "x" * (r % 50) + "</t></is></c>"]
        if r % 997 == 0:
            cells.append(f'<c r="B{r}"><f>SUM(C{r}:D{r})</f></c>')
            expected.append(f"B{r}")
        else:
            cells.append(f'<c r="B{r}"><f>SUM(C{r}:D{r})</f><v>{r}</v></c>')
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    xml = sheet_xml("".join(rows))
    assert len(xml) > 3 * MB
    assert load_workbook(with_sheet(PROGRESS, xml)).unsaved_formulas == {"Tiến độ": expected}


def test_unusual_xml_is_followed_tag_by_tag():
    """Prefixed elements (valid XML, read by calamine) go through the exact path and give the same answers."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{ns}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
           '<x:is><x:t>Mã tiêu chí</x:t></x:is></x:c><x:c r="B1"><x:f>1+1</x:f></x:c></x:row><x:row r="2"><x:c r="C2">'
           '<x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>').encode()
    workbook = load_workbook(with_sheet(PROGRESS, xml))
    assert workbook.sheets[0].rows[0][0] == "Mã tiêu chí" and workbook.sheets[0].rows[1][2] == 5
    assert workbook.unsaved_formulas == {"Tiến độ": ["B1"]}


def test_the_real_workbooks_still_read():
    for path in (PLAN, STATS, PROGRESS, PROCEDURES):
        result = check_file(path.read_bytes(), path.name)
        assert result.ok, (path.name, result.findings.errors[:3])


def test_limits_are_module_constants():
    for name in ("MAX_FILE_BYTES", "MAX_INFLATED_BYTES", "MAX_INFLATE_RATIO", "MAX_ZIP_ENTRIES", "MAX_SHEETS",
                 "MAX_CELLS", "MAX_SHARED_TEXT_BYTES", "MAX_MERGED_RANGES"):
        assert isinstance(getattr(container, name), int)
    with pytest.raises(WorkbookRefused):
        load_workbook(b"not a workbook")


def test_an_ods_bomb_hidden_behind_an_xlsx_name_is_scanned_too(progress_parts):
    """calamine opens a zip with the first reader that accepts it (xls, xlsx, xlsb, ods): an .xlsx without its
    relationships part falls through to the .ods reader, so a content.xml beside it is checked as well."""
    body = ('<table:table table:name="S"><table:table-row table:number-rows-repeated="5000"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>'
            '</table:table>')
    with zipfile.ZipFile(io.BytesIO(ods(body))) as z:
        content = z.read("content.xml")
    parts = {k: v for k, v in progress_parts.items() if k != "xl/_rels/workbook.xml.rels"}
    parts["content.xml"] = content
    message, seconds, _ = measured(rezip(parts))
    assert "vùng dữ liệu quá lớn" in message
    parts = dict(progress_parts)
    parts["xl/workbook.bin"] = b"\x83\x01\x00"
    assert ".xlsb" in refused(rezip(parts))


def test_one_sheet_part_listed_many_times(progress_parts):
    """calamine reads every <sheet> of workbook.xml, even 100 pointing at the same 120.000-cell part."""
    parts = dict(progress_parts)
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{container.column_name(c)}{r}"><v>1</v></c>' for c in range(60))
                   + "</row>" for r in range(1, 2001))
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(rows)
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(container.MAX_SHEETS))
    parts["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", f"<sheets>{sheets}</sheets>".encode(),
                                      parts["xl/workbook.xml"], flags=re.S)
    message, seconds, _ = measured(rezip(parts))
    assert "vùng dữ liệu quá lớn" in message
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(container.MAX_SHEETS + 1))
    parts["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", f"<sheets>{sheets}</sheets>".encode(),
                                      progress_parts["xl/workbook.xml"], flags=re.S)
    assert "quá nhiều sheet" in refused(rezip(parts))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.xlsx")), ids=lambda p: p.name)
def test_shipped_workbooks_take_the_fast_path(path):
    """The usual way of writing sheet XML (Excel, openpyxl, the project's own templates) is checked by the fast
    streaming pass; the tag-by-tag path is for unusual XML only (it is slower, and refuses very large parts)."""
    data = path.read_bytes()
    view = memoryview(data)
    for part in container._zip_parts(data):
        if part.key.startswith(container._SHEET_DIRS) and part.key.endswith(".xml"):
            scan = container._FastSheetScan()
            for chunk in container._inflate(view, part):
                scan.feed(chunk)
            assert not scan.finish().slow, part.key
