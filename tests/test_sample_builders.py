"""The workbook builders of cchc/sample/ on tables other than the sample's: a unit listed twice in one month, a table
with only some of the figures, an empty table; and the template writer's fast path, which only runs where openpyxl
writes through et_xmlfile (no lxml): there it must write the very bytes openpyxl's own path writes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import openpyxl
import pandas as pd
from support import ROOT

from cchc.fields import TEMPLATE_HEADERS
from cchc.sample import build_bieu06_workbook, build_template_workbook

MARCH = pd.DataFrame([
    {"unit": "UBND xã Ia Tul", "level": "xã", "year": 2019, "month": 3, "received_total": 10, "resolved_total": 6},
    {"unit": "UBND xã Ia Tul", "level": "xã", "year": 2019, "month": 3, "received_total": 5, "resolved_total": 4},
    {"unit": "Phòng Tư pháp", "level": "huyện", "year": 2019, "month": 3, "received_total": 7, "resolved_total": 7},
])


def rows(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_a_unit_listed_twice_in_a_month_is_one_summed_line_of_bieu06():
    data = build_bieu06_workbook(MARCH, "UBND huyện Ia Pa", illustrative=False)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["T03"]
    body = {r[1]: r for r in rows(data) if r[1] in ("Cấp huyện", "Phòng Tư pháp", "Cấp xã", "UBND xã Ia Tul",
                                                      "Tổng cộng")}
    # columns C (received total) and G (resolved total): Ia Tul 10 + 5 received, 6 + 4 resolved
    assert {name: (r[2], r[6]) for name, r in body.items()} == {
        "Cấp huyện": (7, 7), "Phòng Tư pháp": (7, 7), "Cấp xã": (15, 10), "UBND xã Ia Tul": (15, 10),
        "Tổng cộng": (22, 17)}
    assert [r[1] for r in rows(data)].count("UBND xã Ia Tul") == 1


def test_an_empty_table_gives_one_empty_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(build_bieu06_workbook(MARCH.head(0))))
    assert workbook.sheetnames == ["T01"] and workbook.worksheets[0]["A1"].value is None


def test_figures_missing_from_the_table_are_written_as_zero():
    written = rows(build_template_workbook(MARCH[["unit", "year", "month", "received_total"]]))
    assert written[0] == tuple(TEMPLATE_HEADERS)
    zeros = (0,) * (len(TEMPLATE_HEADERS) - 4)
    assert written[1:] == [("UBND xã Ia Tul", 2019, 3, 10, *zeros), ("UBND xã Ia Tul", 2019, 3, 5, *zeros),
                           ("Phòng Tư pháp", 2019, 3, 7, *zeros)]


WITHOUT_LXML = """
import io
import json
import openpyxl
from openpyxl import xml
from openpyxl.utils.exceptions import IllegalCharacterError
from cchc.sample import SAMPLE_STATS_TEMPLATE_LAYOUT_FILE, build_template_workbook, sample_stats_table

def cells(data):
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]


table = sample_stats_table()
odd = table.head(30).copy()
odd.loc[odd.index[0], "unit"] = "Đơn vị <A> & “B”"
odd.loc[odd.index[1], "unit"] = " có dấu cách "
refused = []
for raw in (True, False):
    try:
        build_template_workbook(odd.assign(unit="Xã\\x01Ia Tul"), _raw_rows=raw)
    except IllegalCharacterError:
        refused.append(raw)
print(json.dumps({
    "lxml": xml.LXML,
    "odd_same": build_template_workbook(odd) == build_template_workbook(odd, _raw_rows=False),
    "shipped_same": cells(build_template_workbook(table)) == cells(SAMPLE_STATS_TEMPLATE_LAYOUT_FILE.read_bytes()),
    "refused": refused,
}))
"""


def test_without_lxml_the_fast_template_writer_writes_the_same_bytes():
    environment = {**os.environ, "OPENPYXL_LXML": "False"}
    done = subprocess.run([sys.executable, "-c", WITHOUT_LXML], check=False, cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    # markup characters and edge spaces come out byte for byte as openpyxl's own path writes them; the sample
    # statistics hold the cells of data/'s file (its bytes differ only in how lxml and et_xmlfile spell the XML);
    # a control character is refused by both paths, as Excel would refuse it
    assert result == {"lxml": False, "odd_same": True, "shipped_same": True, "refused": [True, False]}
