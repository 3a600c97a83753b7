"""Reading a measurable target out of a criterion's solution text (cchc.read.targets), with literal expectations
taken from the wording of Kế hoạch 75/KH-UBND and of other plans."""

import pytest

from cchc.read.targets import Target, describe_missing, metric_for, parse_target


@pytest.mark.parametrize("solution, name, expected", [
    ("Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3", "",
     Target("online_l3_share", ">=", 0.2)),
    ("Phấn đấu 10% hồ sơ tiếp nhận qua dịch vụ BCCI", "", Target("bcci_intake_share", "=", 0.1)),
    ("100% số hồ sơ TTHC trong năm được giải quyết đúng hạn", "", Target("on_time_rate", "=", 1.0)),
    ("Không quá 5% hồ sơ giải quyết quá hạn", "", Target("criterion_rate", "<=", 0.05)),
    ("Tối thiểu 30% hồ sơ trực tuyến mức độ 4", "", Target("online_l4_share", ">=", 0.3)),
    ("Đạt 100%", "Tỷ lệ hồ sơ giải quyết đúng hạn", Target("on_time_rate", "=", 1.0)),  # metric from the name
    ("Đạt 33,333333% kế hoạch", "", Target("criterion_rate", "=", 0.333333)),  # rounded to 6 places
])
def test_targets_read_from_solution_texts(solution, name, expected):
    assert parse_target(solution, name) == expected


@pytest.mark.parametrize("solution", [None, "", "Hoàn thành trước ngày 30/6/2019", "Tăng cường tuyên truyền"])
def test_no_percentage_no_target(solution):
    assert parse_target(solution) is None


@pytest.mark.parametrize("solution, name, metric", [
    ("", "Thực hiện xin lỗi khi giải quyết quá hạn", "apology_rate"),  # the name alone
    ("Phấn đấu 100% cán bộ đạt", "chuẩn theo quy định", "commune_staff_qualified"),  # solution and name joined
    ("Nâng cao chất lượng", "", "criterion_rate"),
    ("Trả kết quả qua dịch vụ bưu chính công ích", "", "bcci_return_share"),
    # the solution is read before the name, the name before the two joined
    ("100% hồ sơ giải quyết đúng hạn", "Thực hiện xin lỗi", "on_time_rate"),
    ("Có phát sinh", "Trực tuyến mức độ 3, 4", "online_l3_share"),
])
def test_metric_for(solution, name, metric):
    assert metric_for(solution, name) == metric


@pytest.mark.parametrize("solution, message", [
    ("Hoàn thành đúng thời gian quy định", "Không có chỉ tiêu định lượng: yêu cầu về thời hạn."),
    ("Giải quyết trong vòng 5 ngày", "Không có chỉ tiêu định lượng: yêu cầu về thời hạn."),
    ("Tăng cường công tác tuyên truyền", "Không có chỉ tiêu định lượng: nhiệm vụ định tính."),
    (None, "Không có chỉ tiêu định lượng: nhiệm vụ định tính."),
])
def test_why_there_is_no_target(solution, message):
    assert describe_missing(solution) == message
