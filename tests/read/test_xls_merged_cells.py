"""Merged cells in a legacy .xls (read in the child process, cchc/read/grid.py): ranges some writers store end
first are read the right way round, and a range below the data is dropped. The .xls files are built record by
record with the BIFF8 and compound-file writers of tests/read/test_container.py."""

from __future__ import annotations

import struct

from read.test_container import biff8, compound_file

from cchc.read.grid import load_workbook

ROWS = [["Đơn vị", "Năm", "Tháng"], ["Phòng Tư pháp", 2019, 1]]


def xls_with_merges(rows, ranges) -> bytes:
    """A one-sheet .xls whose sheet ends with MERGEDCELLS records; ranges: (first row, last row, first column, last
    column), 0-based, as BIFF8 stores them (at most 1027 in one record)."""
    stream = biff8(rows)
    records = b""
    for start in range(0, len(ranges), 1027):
        chunk = ranges[start:start + 1027]
        payload = struct.pack("<H", len(chunk)) + b"".join(struct.pack("<4H", *r) for r in chunk)
        records += struct.pack("<HH", 0x00E5, len(payload)) + payload
    return compound_file({"Workbook": stream[:-4] + records + stream[-4:]})  # before the sheet's EOF record


def test_merged_ranges_stored_end_first_or_below_the_data():
    ranges = [(0, 0, 0, 1),  # A1:B1
              (1, 0, 2, 1),  # B1:C2 written as rows 2→1, columns C→B
              (5, 6, 0, 0)]  # A6:A7, below the two rows of data
    workbook = load_workbook(xls_with_merges(ROWS, ranges), "thong_ke.xls")
    sheet = workbook.sheets[0]
    assert sheet.rows == [["Đơn vị", "Năm", "Tháng"], ["Phòng Tư pháp", 2019.0, 1.0]]
    assert sheet.merged == [(0, 0, 0, 1), (0, 1, 1, 2)]  # (first row, first column, last row, last column)

