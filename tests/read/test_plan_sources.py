"""Where a plan's starting points come from: the province's appraisal, the final one of several appraisals, or a
self-assessment sheet's own score (labelled so everywhere); the year from the header, the title or the file name,
never from a download date."""

from __future__ import annotations

from support import PLAN_HEADER, SMALL_PLAN_ROWS, plan_bytes

from cchc.ingest import check_file
from cchc.read.plan import read_plan
from cchc.store.database import Store

SELF_HEADER = [h if h != "Điểm thẩm định 2018" else "Điểm tự đánh giá 2018" for h in PLAN_HEADER]


def test_a_self_assessment_sheet_is_a_plan_whose_points_are_the_self_score():
    result = read_plan(plan_bytes(header=SELF_HEADER))
    assert result.findings.ok, result.findings.errors
    plan = result.plan
    assert (plan.appraisal_source, plan.appraisal_label, plan.appraisal_year, plan.plan_year) == \
        ("self", "Điểm tự đánh giá", 2018, 2019)
    assert plan.total == {"standard": 3, "appraised": 1, "lost": 2}
    assert [(w.row, w.column, w.message) for w in result.findings.warnings] == [
        (3, "Điểm tự đánh giá 2018", "Bảng là bảng tự đánh giá: cột “Điểm tự đánh giá 2018” được dùng thay cho điểm "
                                     "thẩm định, và được ghi là “Điểm tự đánh giá” trên mọi trang.")]


def test_a_plan_with_the_appraisal_is_labelled_appraised():
    plan = read_plan(plan_bytes()).plan
    assert (plan.appraisal_source, plan.appraisal_label) == ("appraised", "Điểm thẩm định")
    assert plan.as_dict()["appraisal_source"] == "appraised"


def _two_appraisals(first_label: str, second_label: str) -> bytes:
    header = PLAN_HEADER[:4] + [second_label] + PLAN_HEADER[4:]
    header[3] = first_label
    # first appraisal: 3.4 got 0.5 and 3.7 got 0; after the explanations: 1 and 0 (the plan's lost points agree)
    rows = [SMALL_PLAN_ROWS[0][:4] + [1] + SMALL_PLAN_ROWS[0][4:],
            SMALL_PLAN_ROWS[1][:3] + [0.5, 1] + SMALL_PLAN_ROWS[1][4:],
            SMALL_PLAN_ROWS[2][:3] + [0, 0] + SMALL_PLAN_ROWS[2][4:]]
    rows[0][3] = 0.5
    return plan_bytes(rows=rows, header=header)


def test_of_several_appraisals_the_final_one_is_used_and_said():
    result = read_plan(_two_appraisals("Điểm thẩm định lần 1 năm 2018", "Điểm thẩm định sau giải trình năm 2018"))
    assert result.findings.ok, result.findings.errors
    plan = result.plan
    assert {c.code: c.appraised for c in plan.criteria} == {"3.4": 1, "3.7": 0}
    assert plan.total["appraised"] == 1
    assert ("Bảng có 2 cột điểm thẩm định; dùng cột “Điểm thẩm định sau giải trình năm 2018” (lần thẩm định cuối "
            "cùng), không dùng “Điểm thẩm định lần 1 năm 2018”.") in [w.message for w in result.findings.warnings]


def test_the_final_appraisal_is_found_by_its_name_wherever_it_stands():
    # "chính thức" written left of the first appraisal's column: the name decides, not the position
    result = read_plan(_two_appraisals("Điểm thẩm định chính thức 2018", "Điểm thẩm định lần đầu 2018"))
    assert result.findings.ok, result.findings.errors
    assert {c.code: c.appraised for c in result.plan.criteria} == {"3.4": 0.5, "3.7": 0}


def test_the_year_is_never_taken_from_a_download_date_in_the_file_name():
    header = [h if h != "Điểm thẩm định 2018" else "Điểm thẩm định" for h in PLAN_HEADER]
    data = plan_bytes(header=header, title=("KẾ HOẠCH KHẮC PHỤC CÁC TIÊU CHÍ BỊ MẤT ĐIỂM",))
    refused = read_plan(data, "ke_hoach_20190710_093000.xlsx")
    assert [e.message for e in refused.findings.errors] == [
        "Không xác định được năm: ghi năm vào tiêu đề cột (ví dụ “Điểm thẩm định 2018”)."]
    named = read_plan(data, "ke_hoach_2019.xlsx")  # a year the file name states is still read
    assert named.findings.ok and (named.plan.plan_year, named.plan.appraisal_year) == (2019, 2018)


def test_a_self_assessment_stays_labelled_after_it_is_stored(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'self.sqlite'}")
    data = plan_bytes(header=SELF_HEADER)
    result = check_file(data, "tu_danh_gia.xlsx")
    from cchc.ingest import MACHINE_ADMIN, store_checked
    store_checked(store, result, data, "tu_danh_gia.xlsx", account=MACHINE_ADMIN)
    stored = Store(f"sqlite:///{tmp_path / 'self.sqlite'}").current_plan()
    assert (stored.appraisal_source, stored.appraisal_label) == ("self", "Điểm tự đánh giá")
