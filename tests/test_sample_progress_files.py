"""The progress sample files (cchc/sample/progress.py): what `write_files` writes is what data/ ships, and the
illustrative reports cover only the criteria that have a story, for whatever plan they are built from."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from support import DATA, plan_bytes

from cchc.read.plan import read_plan
from cchc.sample.progress import build_illustrative_progress, write_files


def test_write_files_rewrites_the_shipped_progress_files(tmp_path):
    paths = write_files(tmp_path)  # the illustrative reports built from the shipped plan, read from data/
    assert [p.name for p in paths] == ["mau_tien_do.xlsx", "tien_do_2019_minh_hoa.xlsx"]
    for path in paths:
        assert path.parent == tmp_path
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


def test_criteria_without_an_illustrative_story_get_no_report():
    rows = [["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 2, 1, 1, None, None, None, None, None],
            ["1.1", "Kế hoạch CCHC năm", 1, 1, 0, None, "Phòng Nội vụ", None, "Trong năm 2019", None],
            ["1.2", "Báo cáo CCHC định kỳ", 1, 0, 1, None, "Phòng Nội vụ", None, "Trong năm 2019", None]]
    result = read_plan(plan_bytes(rows), "ke_hoach.xlsx")
    assert [c.code for c in result.plan.criteria] == ["1.1", "1.2"]
    sheet = openpyxl.load_workbook(io.BytesIO(build_illustrative_progress(result.plan))).worksheets[0]
    reports = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    # 1.1 has no story; 1.2 is reported twice, with the district's own CCHC reports as evidence
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in reports] == [
        ("1.2", "Quý II/2019", "Hoàn thành", "45/BC-UBND", dt.datetime(2019, 6, 14)),
        ("1.2", "Quý IV/2019", "Hoàn thành", "212/BC-UBND", dt.datetime(2019, 12, 12))]
    assert {r[6] for r in reports} == {"Phòng Nội vụ"}
