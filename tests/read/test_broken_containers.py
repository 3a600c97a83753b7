"""Zip and OLE containers broken in the ways tests/read/test_container.py does not build (cchc/read/container.py):
a ZIP64 end record (valid, without its locator, or pointing at nothing), a central directory that is not one, a part
count that disagrees, a part listed twice, a compression Excel never uses, a stored part whose sizes disagree, a
part whose header is missing or whose data runs past the directory, and Office files that are not workbooks. Each
gets its Vietnamese message from check_file, the entry point of every upload."""

from __future__ import annotations

import struct
import zlib

import pytest
from read.test_container import (
    PROGRESS,
    biff8,
    compound_file,
    deflate,
    entries,
    parts_of,
    raw_zip,
    rezip,
)

from cchc.ingest import check_file

EOCD = b"PK\x05\x06"
STYLES = "xl/styles.xml"


def broken(detail: str) -> str:
    return (f"Tệp bị hỏng hoặc chưa tải lên trọn vẹn ({detail}). Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần "
            "nữa.")


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    return parts_of(PROGRESS)


@pytest.fixture(scope="module")
def good(parts) -> bytes:
    return rezip(parts)


def message(data: bytes, filename: str = "tien_do.xlsx") -> str:
    result = check_file(data, filename)
    assert result.kind is None and not result.ok
    return result.findings.errors[0].message


def _eocd(data: bytes) -> tuple[int, int, int, int]:
    """(position of the end record, entries, central directory size, its offset)."""
    pos = data.rfind(EOCD)
    _, _, _, _, n, cd_size, cd_offset, _ = struct.unpack_from("<4s4H2LH", data, pos)
    return pos, n, cd_size, cd_offset


def as_zip64(data: bytes, locator: bool = True, record_magic: bytes = b"PK\x06\x06") -> bytes:
    """The same zip with its directory found through a ZIP64 end record and locator, as writers do for large files:
    the classic end record then holds 0xFFFF and 0xFFFFFFFF."""
    pos, n, cd_size, cd_offset = _eocd(data)
    record = struct.pack("<4sQHHIIQQQQ", record_magic, 44, 45, 45, 0, 0, n, n, cd_size, cd_offset)
    found = struct.pack("<4sIQI", b"PK\x06\x07", 0, pos, 1)
    end = struct.pack("<4s4H2LH", EOCD, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:pos] + record + (found if locator else b"") + end


def test_a_zip64_directory_is_followed(good):
    result = check_file(as_zip64(good), "tien_do.xlsx")
    assert result.ok and result.kind == "progress", [e.message for e in result.findings.errors]


@pytest.mark.parametrize("locator,magic", [(False, b"PK\x06\x06"), (True, b"XXXX")], ids=["no-locator", "no-record"])
def test_a_zip64_end_that_leads_nowhere(good, locator, magic):
    assert message(as_zip64(good, locator, magic)) == broken("mục lục ZIP64 không hợp lệ")


def test_a_central_directory_of_zeros(good):
    pos, _, cd_size, cd_offset = _eocd(good)
    data = good[:cd_offset] + bytes(cd_size) + good[pos:]
    assert message(data) == broken("không đọc được cấu trúc tệp Excel")


def test_an_end_record_counting_one_part_too_many(good):
    pos, n, _, _ = _eocd(good)
    end = bytearray(good[pos:])
    struct.pack_into("<HH", end, 8, n + 1, n + 1)
    assert message(good[:pos] + bytes(end)) == broken("số thành phần trong mục lục không khớp")


def test_a_part_listed_twice(parts):
    listed = entries(parts)
    first = next(iter(parts))
    assert message(raw_zip([*listed, listed[0]])) == broken(f"thành phần “{first}” xuất hiện hai lần")


def test_a_compression_excel_never_writes(parts):
    data = parts[STYLES]
    packed = deflate(data)
    bzip2 = raw_zip(entries(parts, {STYLES: (packed, 12, zlib.crc32(data), len(packed), len(data))}))
    assert message(bzip2) == ("Tệp được nén theo kiểu không được hỗ trợ (không phải tệp do Excel lưu). Hãy mở tệp "
                              "bằng Excel, lưu lại rồi tải lên lần nữa.")


def test_a_stored_part_whose_sizes_disagree(parts):
    data = parts[STYLES]
    stored = raw_zip(entries(parts, {STYLES: (data, 0, zlib.crc32(data), len(data) - 1, len(data))}))
    assert message(stored) == broken("kích thước phần “xl/styles.xml” không khớp")


def test_a_part_running_past_the_directory(parts):
    data = parts[STYLES]
    packed = deflate(data)
    cut = raw_zip(entries(parts, {STYLES: (packed, 8, zlib.crc32(data), len(packed) + 10_000, len(data))}))
    assert message(cut) == broken("phần “xl/styles.xml” bị cắt cụt")


def test_a_part_whose_local_header_is_not_where_the_directory_says(good, parts):
    pos, _, _, cd_offset = _eocd(good)
    directory = bytearray(good[cd_offset:pos])
    offset = struct.unpack_from("<L", directory, 42)[0]  # the first part's local header
    struct.pack_into("<L", directory, 42, offset + 1)
    assert message(good[:cd_offset] + bytes(directory) + good[pos:]) == broken(
        f"không tìm thấy phần “{next(iter(parts))}”")


@pytest.mark.parametrize("stream,words", [
    ("PowerPoint Document",
     "Tệp là bản trình chiếu PowerPoint (.ppt) được đặt đuôi .xls, không phải là bảng tính Excel."),
    ("WordDocument",
     "Tệp là văn bản Word (.doc) được đặt đuôi .xls, không phải là bảng tính Excel. Hãy tải lên tệp Excel (.xlsx)."),
])
def test_office_files_that_are_not_workbooks(stream, words):
    assert message(compound_file({stream: b"x" * 100}), "bao_cao.xls") == words


@pytest.mark.parametrize("damage", ["sector-size", "truncated"])
def test_a_damaged_legacy_workbook(damage):
    data = bytearray(compound_file({"Workbook": biff8([["Đơn vị", "Năm"]])}))
    if damage == "sector-size":
        struct.pack_into("<H", data, 0x1E, 10)  # 1 KB sectors: no OLE writer uses them
    else:
        data = data[:1200]  # the upload stopped inside the directory
    text = message(bytes(data), "thong_ke.xls")
    assert text.startswith("Tệp Excel bị hỏng, không đọc được nội dung (")
    assert text.endswith("). Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa.")
