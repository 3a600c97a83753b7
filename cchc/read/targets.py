"""Measurable targets: read them out of a criterion's solution text, as (metric, operator, value).

Values are fractions (20% → 0.2). A criterion whose solution is a deadline or qualitative has no target;
`describe_missing` says so in words. Targets are data: storage keeps them and a user can correct them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Vietnamese, as users see it
    source: str  # stats | procedures | progress


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn", "stats"),
    Metric("apology_rate", "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi", "stats"),
    Metric("online_l3_share", "Tỷ lệ hồ sơ trực tuyến mức độ 3", "stats"),
    Metric("online_l4_share", "Tỷ lệ hồ sơ trực tuyến mức độ 4", "stats"),
    Metric("online_full_share", "Tỷ lệ hồ sơ trực tuyến toàn trình", "stats"),
    Metric("online_partial_share", "Tỷ lệ hồ sơ trực tuyến một phần", "stats"),
    Metric("bcci_intake_share", "Tỷ lệ hồ sơ tiếp nhận qua BCCI", "stats"),
    Metric("bcci_return_share", "Tỷ lệ kết quả trả qua BCCI", "stats"),
    Metric("online_procedures_used", "Tỷ lệ TTHC trực tuyến mức độ 3, 4 có phát sinh hồ sơ", "procedures"),
    Metric("bcci_procedures_used", "Tỷ lệ TTHC có phát sinh hồ sơ qua BCCI", "procedures"),
    Metric("one_stop_coverage", "Tỷ lệ TTHC xử lý trên phần mềm Một cửa điện tử", "procedures"),
    Metric("publication_rate", "Tỷ lệ hồ sơ, TTHC được công khai tiến độ, kết quả", "procedures"),
    Metric("review_plan_completion", "Mức độ hoàn thành kế hoạch rà soát TTHC", "progress"),
    Metric("review_issues_resolved", "Tỷ lệ vấn đề phát hiện qua rà soát được xử lý", "progress"),
    Metric("job_framework_units", "Tỷ lệ đơn vị hoàn thiện mô tả công việc, khung năng lực", "progress"),
    Metric("appointments_compliant", "Tỷ lệ lãnh đạo được bổ nhiệm đúng quy định", "progress"),
    Metric("training_plan_completion", "Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng", "progress"),
    Metric("commune_staff_qualified", "Tỷ lệ cán bộ cấp xã đạt chuẩn", "progress"),
    Metric("audit_recommendations_done", "Tỷ lệ kiến nghị sau thanh tra, kiểm tra được thực hiện", "progress"),
    Metric("disbursement_rate", "Tỷ lệ giải ngân vốn đầu tư công", "progress"),
    Metric("spending_cut_rate", "Tỷ lệ giảm chi trực tiếp cho đơn vị sự nghiệp", "progress"),
    Metric("electronic_documents_rate", "Tỷ lệ văn bản trao đổi dưới dạng điện tử", "progress"),
    Metric("criterion_rate", "Tỷ lệ đạt của tiêu chí", "progress"),
)}


@dataclass(frozen=True)
class Target:
    metric: str
    op: str  # ">=" | "=" | "<="
    value: float  # a fraction: 0.2 for 20%

    def as_dict(self) -> dict:
        return {"metric": self.metric, "op": self.op, "value": self.value}


# (pattern over the folded solution + name, metric); the first match wins, so specific phrases come first.
_METRIC_RULES: tuple[tuple[str, str], ...] = (
    (r"xin loi", "apology_rate"),
    (r"(cung cap )?truc tuyen muc do 3, ?4.*phat sinh|phat sinh.*truc tuyen muc do 3, ?4", "online_procedures_used"),
    (r"so tthc.*phat sinh ho so|phat sinh ho so (tiep nhan|tra ket qua)", "bcci_procedures_used"),
    (r"truc tuyen muc do 4|muc do 4", "online_l4_share"),
    (r"truc tuyen muc do 3|muc do 3", "online_l3_share"),
    (r"toan trinh", "online_full_share"),
    (r"truc tuyen mot phan", "online_partial_share"),
    (r"tiep nhan qua (dich vu )?(bcci|buu chinh cong ich)", "bcci_intake_share"),
    (r"tra (ket qua )?qua (dich vu )?(bcci|buu chinh cong ich)", "bcci_return_share"),
    (r"mot cua dien tu", "one_stop_coverage"),
    (r"cong khai", "publication_rate"),
    (r"dung han", "on_time_rate"),
    (r"van de phat hien", "review_issues_resolved"),
    (r"dao tao, boi duong", "training_plan_completion"),
    (r"ra soat.*ke hoach|ke hoach.*ra soat|hoan thanh .*ke hoach de ra", "review_plan_completion"),
    (r"mo ta cong viec|khung nang luc", "job_framework_units"),
    (r"bo nhiem", "appointments_compliant"),
    (r"can bo cap xa dat chuan|dat chuan", "commune_staff_qualified"),
    (r"kien nghi", "audit_recommendations_done"),
    (r"giai ngan", "disbursement_rate"),
    (r"giam chi", "spending_cut_rate"),
    (r"van ban.*dien tu", "electronic_documents_rate"),
)

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_AT_LEAST = re.compile(r"tro len|tra len|toi thieu|it nhat|tren \d|>=|≥|tu \d+(?:[.,]\d+)?\s*%")
_AT_MOST = re.compile(r"khong qua|toi da|duoi \d|<=|≤")


def metric_for(solution: str, name: str = "") -> str:
    """The metric a criterion measures, judged from its solution first and its name second."""
    for text in (fold(solution), fold(name), fold(solution) + " " + fold(name)):
        for pattern, metric in _METRIC_RULES:
            if re.search(pattern, text):
                return metric
    return "criterion_rate"


def parse_target(solution: object, name: object = "") -> Target | None:
    """(metric, op, value) from a solution text such as "Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3".

    None when the text states no percentage (a deadline or a qualitative task).
    """
    folded = fold(solution)
    match = _PERCENT.search(folded)
    if not match:
        return None
    value = float(match.group(1).replace(",", ".")) / 100
    if _AT_MOST.search(folded):
        op = "<="
    elif _AT_LEAST.search(folded):
        op = ">="
    else:
        op = "="
    return Target(metric=metric_for(str(solution or ""), str(name or "")), op=op, value=round(value, 6))


def describe_missing(solution: object) -> str:
    """Why a criterion has no measurable target, in Vietnamese."""
    folded = fold(solution)
    if re.search(r"thoi gian|dung thoi gian|thoi han|trong vong \d+ ngay", folded):
        return "Không có chỉ tiêu định lượng: yêu cầu về thời hạn."
    return "Không có chỉ tiêu định lượng: nhiệm vụ định tính."
