import pytest
from support import (
    PLAN_HEADER,
    SMALL_PLAN_ROWS,
    plan_bytes,
    sample_plan_bytes,
    xlsx_bytes,
)

from cchc.read.plan import read_plan, sentence_case
from cchc.read.targets import parse_target

SEED_TARGETS = {  # ../shared/domain.md §1: every measurable target of the seed
    "3.2.4": ("publication_rate", 1.0), "3.4": ("on_time_rate", 1.0), "3.5.2": ("one_stop_coverage", 1.0),
    "3.7": ("apology_rate", 1.0), "7.1.1": ("electronic_documents_rate", 1.0), "5.1.2": ("job_framework_units", 0.8),
    "5.2": ("appointments_compliant", 1.0), "5.5": ("training_plan_completion", 1.0),
    "5.6.1": ("commune_staff_qualified", 1.0), "6.1.1": ("audit_recommendations_done", 1.0),
    "3.1.2": ("review_plan_completion", 1.0), "3.1.3": ("review_issues_resolved", 1.0),
    "6.1.2": ("disbursement_rate", 0.9), "6.8.4": ("spending_cut_rate", 0.1),
    "7.2.1": ("online_procedures_used", 0.6), "7.2.2": ("online_l3_share", 0.2),
    "7.2.3": ("online_l4_share", 0.1), "7.3.1": ("bcci_procedures_used", 0.2),
    "7.3.2": ("bcci_intake_share", 0.1), "7.3.3": ("bcci_return_share", 0.1),
}
AT_LEAST = {"6.1.2", "6.8.4", "7.2.1", "7.2.2", "7.2.3", "7.3.1", "7.3.2", "7.3.3"}


@pytest.fixture(scope="module")
def seed_plan():
    result = read_plan(sample_plan_bytes(), "ke_hoach_75_2019.xlsx")
    assert result.findings.errors == []
    return result


def test_seed_totals_and_domains(seed_plan):
    plan = seed_plan.plan
    assert len(plan.criteria) == 27
    assert plan.total == {"standard": 55.0, "appraised": 35.75, "lost": 19.25}
    assert plan.plan_year == 2019 and plan.appraisal_year == 2018
    got = {d.code: (d.standard, d.appraised, d.lost) for d in plan.domains}
    assert got == {"1": (8.25, 6.75, 1.5), "3": (15, 8.5, 6.5), "5": (7.5, 4.25, 3.25), "6": (11, 6.5, 4.5),
                   "7": (13.25, 9.75, 3.5)}
    for domain in plan.domains:
        assert sum(c.lost for c in plan.criteria if c.domain == domain.code) == pytest.approx(domain.lost)
    names = {d.code: d.name for d in plan.domains}
    assert names["5"] == "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC"
    assert "KẾ HOẠCH KHẮC PHỤC" in plan.title


def test_seed_codes_read_as_text_and_decimal_commas(seed_plan):
    by_code = {c.code: c for c in seed_plan.plan.criteria}
    for code in ("1.2", "3.4", "5.2", "6.4"):  # Excel made these numbers
        assert code in by_code
    assert by_code["1.2"].appraised == 0.75 and by_code["1.2"].lost == 1  # "0,75" typed as text
    assert by_code["3.4"].standard == 2 and by_code["3.4"].appraised == 1


def test_seed_every_measurable_target(seed_plan):
    by_code = {c.code: c for c in seed_plan.plan.criteria}
    for code, (metric, value) in SEED_TARGETS.items():
        target = by_code[code].target
        assert target is not None, code
        assert (target.metric, target.value) == (metric, pytest.approx(value)), code
        assert target.op == (">=" if code in AT_LEAST else "="), code
    for code in set(by_code) - set(SEED_TARGETS):
        assert by_code[code].target is None, code
        assert by_code[code].no_target_reason.startswith("Không có chỉ tiêu"), code


def test_seed_agencies_page_break_and_groups(seed_plan):
    by_code = {c.code: c for c in seed_plan.plan.criteria}
    # 7.3.1's partner cell continues on the next page: "Bưu điện" / "huyện, Công an huyện"
    assert by_code["7.3.1"].partners == ["Cơ quan, đơn vị liên quan", "UBND xã", "Bưu điện huyện", "Công an huyện"]
    assert by_code["1.2"].lead == ["Phòng Nội vụ", "Phòng Tư pháp"]  # trailing comma
    # "Văn phòng HĐND- UBND huyện" and "Văn phòng HDND-UBND huyện" are the same agency
    assert by_code["3.1.1"].partners[0] == "Văn phòng HĐND-UBND huyện"
    assert by_code["7.4.4"].lead == ["Văn phòng HĐND-UBND huyện"]
    assert by_code["3.4"].lead == ["Cơ quan, đơn vị có TTHC", "UBND xã"]
    assert by_code["7.4.4"].partners == ["Các sở, ban, ngành", "UBND các huyện, thành phố"]
    assert seed_plan.findings.warnings == []


def test_header_found_on_any_sheet_and_any_row():
    data = xlsx_bytes({"Hướng dẫn": [["Đây là hướng dẫn"]],
                       "PL": [["UBND HUYỆN X"], [], [], PLAN_HEADER, *SMALL_PLAN_ROWS, [],
                              ["Nơi nhận:"], ["- Lưu VT"]]}, start_row=3)
    result = read_plan(data)
    assert result.findings.errors == []
    assert [c.code for c in result.plan.criteria] == ["3.4", "3.7"]
    assert result.plan.criteria[1].lead == ["Văn phòng HĐND-UBND huyện"]
    assert result.plan.criteria[1].partners == ["Phòng Nội vụ"]


def test_columns_in_another_order():
    order = [1, 0, 4, 3, 2, 5, 7, 6, 8, 9]
    header = [PLAN_HEADER[i] for i in order]
    rows = [[r[i] for i in order] for r in SMALL_PLAN_ROWS]
    result = read_plan(plan_bytes(rows, header))
    assert result.findings.errors == []
    assert result.plan.criteria[0].standard == 2 and result.plan.criteria[0].lost == 1


def test_appraised_above_standard_is_an_error():
    rows = [list(r) for r in SMALL_PLAN_ROWS]
    rows[1][3] = 3
    result = read_plan(plan_bytes(rows))
    assert result.plan is None
    [error] = result.findings.errors
    assert error.sheet == "Kế hoạch" and error.row == 5 and error.column == "Điểm thẩm định 2018"
    assert "lớn hơn điểm chuẩn" in error.message


def test_negative_points_is_an_error():
    rows = [list(r) for r in SMALL_PLAN_ROWS]
    rows[2][2] = -1
    result = read_plan(plan_bytes(rows))
    assert [(e.row, e.column) for e in result.findings.errors] == [(6, "Điểm chuẩn")]


def test_text_in_points_is_an_error():
    rows = [list(r) for r in SMALL_PLAN_ROWS]
    rows[2][4] = "một"
    result = read_plan(plan_bytes(rows))
    assert result.findings.errors[0].column == "Điểm bị mất"
    assert "“một”" in result.findings.errors[0].message


def test_lost_mismatch_and_domain_sum_are_warnings():
    rows = [list(r) for r in SMALL_PLAN_ROWS]
    rows[1][4] = "0,5"  # 2 − 1 ≠ 0,5
    result = read_plan(plan_bytes(rows))
    assert result.findings.errors == []
    rows_warned = {(w.row, w.column) for w in result.findings.warnings}
    assert (5, "Điểm bị mất") in rows_warned  # the criterion row
    assert (4, "Điểm bị mất") in rows_warned  # the domain row: 2 ≠ 0,5 + 1


def test_unknown_agency_is_a_warning_naming_it():
    rows = [list(r) for r in SMALL_PLAN_ROWS]
    rows[2][7] = "Phòng Nội vụ, Sở Mặt Trăng"
    result = read_plan(plan_bytes(rows))
    assert result.findings.errors == []
    [warning] = result.findings.warnings
    assert "Sở Mặt Trăng" in warning.message and warning.row == 6 and warning.column == "Cơ quan phối hợp"
    assert result.plan.criteria[1].partners == ["Phòng Nội vụ"]


def test_missing_column_is_an_error_naming_it():
    header = [h if h != "Điểm thẩm định 2018" else "Điểm khác" for h in PLAN_HEADER]
    result = read_plan(plan_bytes(header=header))
    assert result.plan is None and result.findings.errors


def test_duplicate_criterion_is_an_error():
    rows = [list(r) for r in SMALL_PLAN_ROWS] + [list(SMALL_PLAN_ROWS[2])]
    result = read_plan(plan_bytes(rows))
    assert any("hai lần" in e.message and e.row == 7 for e in result.findings.errors)


def test_year_from_title_when_header_has_none():
    header = [h if h != "Điểm thẩm định 2018" else "Điểm thẩm định" for h in PLAN_HEADER]
    result = read_plan(plan_bytes(header=header, title=("KẾ HOẠCH NÂNG CAO CHỈ SỐ CCHC NĂM 2024",)))
    assert result.plan.plan_year == 2024 and result.plan.appraisal_year == 2023


def test_not_a_workbook_is_refused_clearly():
    result = read_plan(b"STT,Ten\n1,abc\n", "ke_hoach.xlsx")
    assert result.plan is None
    assert "không phải là tệp Excel" in result.findings.errors[0].message


@pytest.mark.parametrize("text, metric, op, value", [
    ("Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3", "online_l3_share", ">=", 0.2),
    ("Từ 10% số hồ sơ trả lên được tiếp nhận qua dịch vụ BCCI", "bcci_intake_share", ">=", 0.1),
    ("Từ 10% số hồ sơ trả lên được trả qua dịch vụ bưu chính công ích", "bcci_return_share", ">=", 0.1),
    ("100% số hồ sơ TTHC trong năm được giải quyết đúng hạn", "on_time_rate", "=", 1.0),
    ("Đạt tỷ lệ 95,5% hồ sơ giải quyết đúng hạn", "on_time_rate", "=", 0.955),
    ("Tối thiểu 30% hồ sơ được xử lý trực tuyến toàn trình", "online_full_share", ">=", 0.3),
])
def test_parse_target(text, metric, op, value):
    target = parse_target(text)
    assert (target.metric, target.op) == (metric, op) and target.value == pytest.approx(value)


def test_no_target_in_deadline_text():
    assert parse_target("Thực hiện đúng thời gian quy định") is None


def test_sentence_case_keeps_acronyms():
    assert sentence_case("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC") == "Công tác chỉ đạo, điều hành CCHC"
    assert sentence_case("Đã viết thường") == "Đã viết thường"
