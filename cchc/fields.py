"""The canonical fields of the monthly TTHC statistics, with the Vietnamese labels users see."""

from __future__ import annotations

# Order follows Biểu 06: received, resolved, pending, then the extra columns real workbooks add.
STATS_FIELDS: tuple[str, ...] = (
    "received_total",
    "received_online",
    "received_online_l3",
    "received_online_l4",
    "received_online_full",
    "received_online_partial",
    "received_direct",
    "received_carried",
    "received_bcci",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
    "returned_bcci",
    "late_apologies",
)

FIELD_LABELS: dict[str, str] = {
    "received_total": "Tổng số hồ sơ tiếp nhận",
    "received_online": "Trực tuyến",
    "received_online_l3": "Trực tuyến mức độ 3",
    "received_online_l4": "Trực tuyến mức độ 4",
    "received_online_full": "Trực tuyến toàn trình",
    "received_online_partial": "Trực tuyến một phần",
    "received_direct": "Trực tiếp, dịch vụ bưu chính",
    "received_carried": "Từ kỳ trước",
    "received_bcci": "Tiếp nhận qua BCCI",
    "resolved_total": "Tổng số hồ sơ đã giải quyết",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "pending_total": "Tổng số hồ sơ đang giải quyết",
    "pending_in_time": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
    "returned_bcci": "Trả kết quả qua BCCI",
    "late_apologies": "Số hồ sơ quá hạn đã có văn bản xin lỗi",
}

# Fields a statistics workbook must have; the others default to 0 when their column is absent.
REQUIRED_FIELDS: tuple[str, ...] = ("received_total", "resolved_total", "resolved_on_time", "resolved_late")

# (part fields, total field): the parts may never add up to more than the total (an error).
PART_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("resolved_early", "resolved_on_time", "resolved_late"), "resolved_total"),
    (("pending_in_time", "pending_overdue"), "pending_total"),
    (("received_online", "received_direct", "received_carried"), "received_total"),
    (("received_online_l3", "received_online_l4"), "received_total"),
    (("received_online_full", "received_online_partial"), "received_total"),
    (("received_bcci",), "received_total"),
    (("returned_bcci",), "resolved_total"),
)

# The project's own statistics template: one row per unit and month, these headers in row 1.
TEMPLATE_UNIT = "Đơn vị"
TEMPLATE_YEAR = "Năm"
TEMPLATE_MONTH = "Tháng"
TEMPLATE_HEADERS: tuple[str, ...] = (TEMPLATE_UNIT, TEMPLATE_YEAR, TEMPLATE_MONTH,
                                     *(FIELD_LABELS[f] for f in STATS_FIELDS))

# The optional procedure sheet: counts of procedures (TTHC), per unit and year (criteria 7.2.1, 7.3.1, 3.5.2, 3.2.4).
PROCEDURE_FIELDS: tuple[str, ...] = (
    "procedures_total",
    "procedures_one_stop",
    "procedures_online_offered",
    "procedures_online_l3_offered",
    "procedures_online_l4_offered",
    "procedures_online_full_offered",
    "procedures_online_partial_offered",
    "procedures_online_used",
    "procedures_bcci_offered",
    "procedures_bcci_used",
    "procedures_published",
)

# QĐ 766/QĐ-TTg scores (Bộ chỉ số phục vụ người dân, doanh nghiệp), one per unit and period: the six groups in the
# portal's order, the code each is shown with (the portal's own; DVCTT is written CLGQ in some exports), its name.
# Their maxima are data (cchc/read/vocabularies/index766.toml, then versions in the store).
INDEX766_GROUPS: tuple[str, ...] = ("ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh")
INDEX766_CODES: dict[str, str] = {"ckmb": "CKMB", "tdgq": "TDGQ", "dvctt": "DVCTT", "tttt": "TTTT", "mdhl": "MDHL",
                                  "mdsh": "MDSH"}
INDEX766_LABELS: dict[str, str] = {
    "ckmb": "Công khai, minh bạch",
    "tdgq": "Tiến độ giải quyết",
    "dvctt": "Dịch vụ công trực tuyến",
    "tttt": "Thanh toán trực tuyến",
    "mdhl": "Mức độ hài lòng",
    "mdsh": "Số hóa hồ sơ",
    "total": "Tổng điểm",
    "rank": "Xếp hạng",
}
# The totals below which units are called out ("Dưới 80 điểm", "Từ 80 đến dưới 90"), as provinces flag them: the
# defaults until someone stores others (Store.set_index766_thresholds, versioned).
INDEX766_THRESHOLDS: tuple[float, float] = (80.0, 90.0)

# The workbook kinds, as users see them.
KIND_LABELS = {"plan": "Kế hoạch", "stats": "Thống kê TTHC", "progress": "Báo cáo tiến độ",
               "progress_entry": "Nhập tiến độ trên phần mềm", "procedures": "Số liệu thủ tục",
               "targets": "Sửa chỉ tiêu", "rules": "Sửa cách chấm điểm", "rollback": "Khôi phục",
               "mapping": "Lưu cách đọc cột", "index766": "Điểm Bộ chỉ số 766",
               "index766_maxima": "Sửa điểm tối đa Bộ chỉ số 766",
               "index766_thresholds": "Sửa ngưỡng điểm Bộ chỉ số 766"}
