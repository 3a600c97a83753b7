"""Scoring rules as data: how a criterion's measured value becomes points.

The province's exact scoring rules were not found (../shared/domain.md §1), so every criterion carries a rule a
user can change. Four kinds:

- "threshold"    (Đạt ngưỡng): the criterion's full points (its standard) when the value meets the target
                 (`targets.met`), else 0.
- "bands"        (Theo dải): `bands` is a list of (min_fraction, share_of_points), e.g. [(1.0, 1.0), (0.95, 0.5),
                 (0, 0)]; points = standard × the share of the highest band the value reaches. The bounds are
                 measured values (0.95 = 95%), not fractions of the target. For a "<=" target a band is reached when
                 the value is at most its bound. When several bands are reached the largest share wins, so the order
                 the bands are written in does not matter.
- "proportional" (Tỷ lệ): points = standard × min(1, value / target). For a "<=" target: full points when met,
                 else standard × target / value.
- "manual"       (Nhập điểm): the value is the points themselves, capped to [0, standard]. A progress report that
                 says done / not done gives full points / 0 (`points_for_status`).

`threshold` (a fraction, optional) overrides the target value of "threshold" and "proportional" rules; a rule
without it follows the plan's target, so a corrected target is picked up at once.

The defaults (`default_rules`), chosen to be simple and defensible rather than exact:

| Criterion | Kind | Why |
|---|---|---|
| has a measurable target, except on-time rate | threshold | the seed's targets are the full-point thresholds |
| on_time_rate (3.4) | bands 100% → 1, 95% → 0.5, below → 0 | the 2018 appraisal gave 3.4 one point of two at a |
|  |  | partial rate |
| no measurable target (reports, deadlines, tasks) | manual | done → full points, not done → 0, or points typed |

The same table, in Vietnamese for users, is `RULE_KIND_LABELS` / `RULE_KIND_DESCRIPTIONS` / `rule_kinds_table()`.

The stored rules also carry the "Gần đạt" ratio (`close_ratio`, status.classify): a value at least that share of its
target, not meeting it, is close. Kept in the same JSON so it is versioned, in history and rolled back with them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import pandas as pd

from ..findings import Findings
from ..read.targets import Target
from ..read.text import NumberError, clean, fold, parse_points
from .status import DEFAULT_CLOSE_RATIO, met, valid_close_ratio

if TYPE_CHECKING:  # pragma: no cover
    from ..read.plan import Plan

RULE_KINDS: tuple[str, ...] = ("threshold", "bands", "proportional", "manual")

RULE_KIND_LABELS: dict[str, str] = {
    "threshold": "Đạt ngưỡng",
    "bands": "Theo dải",
    "proportional": "Tỷ lệ",
    "manual": "Nhập điểm",
}

RULE_KIND_DESCRIPTIONS: dict[str, str] = {
    "threshold": "Đủ điểm chuẩn khi giá trị đạt chỉ tiêu (hoặc ngưỡng nhập ở cột “Ngưỡng (%)”), không đạt: 0 điểm. "
                 "Mặc định cho mọi tiêu chí có chỉ tiêu định lượng, trừ tỷ lệ hồ sơ giải quyết đúng hạn.",
    "bands": "Điểm = điểm chuẩn × tỷ lệ điểm của dải cao nhất mà giá trị đạt tới; dải viết “phần trăm:tỷ lệ điểm”, "
             "ví dụ “100:1; 95:0,5; 0:0”. Mặc định cho tiêu chí 3.4 (tỷ lệ hồ sơ giải quyết đúng hạn): năm 2018 "
             "tiêu chí này được 1/2 điểm khi tỷ lệ chưa đạt 100%.",
    "proportional": "Điểm = điểm chuẩn × giá trị / chỉ tiêu, tối đa bằng điểm chuẩn (chỉ tiêu “không quá”: đủ điểm "
                    "khi đạt, nếu không thì điểm chuẩn × chỉ tiêu / giá trị). Không dùng mặc định.",
    "manual": "Người dùng nhập điểm (từ 0 đến điểm chuẩn); báo cáo tiến độ “Hoàn thành” cho đủ điểm, chưa hoàn "
              "thành cho 0 điểm. Mặc định cho tiêu chí không có chỉ tiêu định lượng (báo cáo, thời hạn, nhiệm vụ).",
}

# Columns of the editable frame, and their Vietnamese labels (for st.data_editor and for messages).
RULE_COLUMNS: tuple[str, ...] = ("code", "kind", "threshold", "bands", "note")
RULE_COLUMN_LABELS: dict[str, str] = {
    "code": "Mã tiêu chí",
    "kind": "Cách chấm",
    "threshold": "Ngưỡng (%)",
    "bands": "Dải điểm",
    "note": "Ghi chú",
}

ON_TIME_BANDS: tuple[tuple[float, float], ...] = ((1.0, 1.0), (0.95, 0.5), (0.0, 0.0))
BAND_METRICS: dict[str, tuple[tuple[float, float], ...]] = {"on_time_rate": ON_TIME_BANDS}

_EPS = 1e-9
_CODE = re.compile(r"^[1-9]\d?(\.\d+)+$")


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # threshold | bands | proportional | manual
    threshold: float | None = None  # a fraction; overrides the target value (threshold, proportional)
    bands: tuple[tuple[float, float], ...] = field(default_factory=tuple)  # (min_fraction, share), highest first
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}")
        bands = tuple(sorted(((float(b), float(s)) for b, s in self.bands), key=lambda band: -band[0]))
        object.__setattr__(self, "bands", bands)
        if self.threshold is not None:
            object.__setattr__(self, "threshold", float(self.threshold))

    def as_dict(self) -> dict:
        return {"code": self.code, "kind": self.kind, "threshold": self.threshold,
                "bands": [list(b) for b in self.bands], "note": self.note}


# ---------------------------------------------------------------------------------------------------------------
# Points
# ---------------------------------------------------------------------------------------------------------------

def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def effective_target(rule: Rule, target: Target | None) -> Target | None:
    """The target a rule scores against: the plan's target, its value replaced by the rule's threshold if set."""
    if rule.threshold is None:
        return target
    if target is None:
        return Target(metric="criterion_rate", op=">=", value=rule.threshold)
    return Target(metric=target.metric, op=target.op, value=rule.threshold)


def band_share(bands: Iterable[tuple[float, float]], value: float, op: str = ">=") -> float:
    """The largest share among the bands `value` reaches (0 when it reaches none)."""
    reached = [share for bound, share in bands
               if (value <= bound + _EPS if op == "<=" else value >= bound - _EPS)]
    return max(reached, default=0.0)


def points(rule: Rule, standard: float, target: Target | None, value: float | None) -> float | None:
    """Points a value earns under a rule; None when there is no value, or nothing to compare it with."""
    if _missing(value):
        return None
    value = float(value)
    if rule.kind == "manual":
        return round(min(max(value, 0.0), standard), 6)
    if rule.kind == "bands":
        if not rule.bands:
            return None
        op = target.op if target is not None else ">="
        return round(standard * band_share(rule.bands, value, op), 6)
    goal = effective_target(rule, target)
    if goal is None:
        return None
    if rule.kind == "threshold":
        return float(standard) if met(value, goal) else 0.0
    # proportional
    if goal.op == "<=":
        share = 1.0 if met(value, goal) else goal.value / value
    else:
        share = 1.0 if goal.value <= 0 else value / goal.value
    return round(standard * min(1.0, max(0.0, share)), 6)


def points_for_status(status: str, standard: float) -> float | None:
    """A task reported done earns its full points; in progress or not done earns 0; no status gives None."""
    if status == "done":
        return float(standard)
    if status in ("in_progress", "not_done"):
        return 0.0
    return None


# ---------------------------------------------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------------------------------------------

def _percent_text(fraction: float) -> str:
    text = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _bands_note(bands) -> str:
    """((1.0, 1.0), (0.95, 0.5), (0.0, 0.0)) → "100%: đủ điểm; từ 95%: 0,5 × điểm chuẩn; dưới 95%: 0 điểm"."""
    ordered = sorted(bands, key=lambda band: -band[0])
    parts = []
    for index, (bound, share) in enumerate(ordered):
        if abs(share - 1) < _EPS:
            amount = "đủ điểm"
        elif abs(share) < _EPS:
            amount = "0 điểm"
        else:
            amount = f"{_number_text(share)} × điểm chuẩn"
        if bound <= _EPS and index > 0:
            parts.append(f"dưới {_percent_text(ordered[index - 1][0])}: {amount}")
        elif abs(bound - 1) < _EPS and index == 0:
            parts.append(f"{_percent_text(bound)}: {amount}")
        else:
            parts.append(f"từ {_percent_text(bound)}: {amount}")
    return "; ".join(parts)


def default_rule(criterion) -> Rule:
    target = criterion.target
    if target is None:
        return Rule(criterion.code, "manual",
                    note="Mặc định: không có chỉ tiêu định lượng; nhập điểm, hoặc theo báo cáo tiến độ "
                         "(hoàn thành: đủ điểm, chưa hoàn thành: 0 điểm).")
    if target.metric in BAND_METRICS:
        bands = BAND_METRICS[target.metric]
        return Rule(criterion.code, "bands", bands=bands,
                    note=f"Mặc định: {_bands_note(bands)} (năm 2018 tiêu chí này được một phần điểm khi tỷ lệ "
                         "chưa đạt 100%).")
    sign = {">=": "≥ ", "<=": "≤ ", "=": ""}[target.op]
    return Rule(criterion.code, "threshold",
                note=f"Mặc định: đủ điểm khi đạt chỉ tiêu của kế hoạch ({sign}{_percent_text(target.value)}), "
                     "không đạt: 0 điểm.")


def default_rules(plan: "Plan") -> list[Rule]:
    """One rule per criterion of the plan, as the module docstring's table says."""
    return [default_rule(c) for c in plan.criteria]


def rule_kinds_table() -> pd.DataFrame:
    """The kinds and their defaults, in Vietnamese, for a help expander."""
    return pd.DataFrame({"Cách chấm": [RULE_KIND_LABELS[k] for k in RULE_KINDS],
                         "Cách tính điểm và mặc định": [RULE_KIND_DESCRIPTIONS[k] for k in RULE_KINDS]})


def rules_by_code(rules: Iterable[Rule]) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


# ---------------------------------------------------------------------------------------------------------------
# The editable frame
# ---------------------------------------------------------------------------------------------------------------

def _number_text(value: float) -> str:
    return f"{round(value, 6):g}".replace(".", ",")


def bands_to_text(bands: Iterable[tuple[float, float]]) -> str:
    """[(1.0, 1.0), (0.95, 0.5), (0, 0)] → "100:1; 95:0,5; 0:0"."""
    return "; ".join(f"{_number_text(bound * 100)}:{_number_text(share)}"
                     for bound, share in sorted(bands, key=lambda band: -band[0]))


class BandsError(ValueError):
    """Bands text that cannot be read; the message is Vietnamese."""


def _share(text: str) -> float:
    text = text.strip()
    percent = text.endswith("%")
    number = parse_points(text.rstrip("%").strip())
    if number is None:
        raise NumberError(text)
    return number / 100 if percent else number


def parse_bands(text: object) -> tuple[tuple[float, float], ...]:
    """"100:1; 95:0,5; 0:0" (percent:share, decimal comma or point) → ((1.0, 1.0), (0.95, 0.5), (0.0, 0.0))."""
    raw = clean(text)
    if not raw:
        return ()
    bands: list[tuple[float, float]] = []
    for piece in re.split(r"[;\n|]+", raw):
        piece = piece.strip()
        if not piece:
            continue
        parts = re.split(r"\s*[:=]\s*|\s*(?:->|→)\s*", piece)
        if len(parts) != 2:
            raise BandsError(f"Dải “{piece}” không đúng dạng “phần trăm:tỷ lệ điểm” (ví dụ “100:1; 95:0,5; 0:0”).")
        try:
            bound = parse_points(parts[0].rstrip("%").strip())
            share = _share(parts[1])
        except NumberError:
            raise BandsError(f"Dải “{piece}” không đúng dạng “phần trăm:tỷ lệ điểm” "
                             "(ví dụ “100:1; 95:0,5; 0:0”).") from None
        if bound is None:
            raise BandsError(f"Dải “{piece}” thiếu phần trăm.")
        if bound < 0:
            raise BandsError(f"Phần trăm không được âm (“{piece}”).")
        if not 0 <= share <= 1:
            raise BandsError(f"Tỷ lệ điểm phải từ 0 đến 1 (“{piece}”): 1 là đủ điểm, 0,5 là một nửa.")
        fraction = round(bound / 100, 10)
        if any(abs(fraction - b) < _EPS for b, _ in bands):
            raise BandsError(f"Mức {_number_text(bound)}% xuất hiện hai lần.")
        bands.append((fraction, share))
    return tuple(sorted(bands, key=lambda band: -band[0]))


def rules_to_frame(rules: Iterable[Rule]) -> pd.DataFrame:
    """Columns code, kind, threshold (percent number, NaN when it follows the target), bands (text), note."""
    rows = [{"code": r.code, "kind": r.kind,
             "threshold": round(r.threshold * 100, 6) if r.threshold is not None else math.nan,
             "bands": bands_to_text(r.bands), "note": r.note} for r in rules]
    frame = pd.DataFrame(rows, columns=list(RULE_COLUMNS))
    frame["threshold"] = frame["threshold"].astype(float)
    return frame


_KIND_NAMES: dict[str, str] = {}
for _kind, _label in RULE_KIND_LABELS.items():
    _KIND_NAMES[_kind] = _kind
    _KIND_NAMES[fold(_label)] = _kind
_KIND_NAMES.update({"nguong": "threshold", "dai": "bands", "theo dai diem": "bands", "ty le thuan": "proportional",
                    "nhap tay": "manual", "thu cong": "manual"})


def parse_kind(value: object) -> str | None:
    return _KIND_NAMES.get(fold(value))


def _cell(row, column):
    value = row.get(column) if hasattr(row, "get") else None
    return None if _missing(value) else value


def rules_from_frame(frame: pd.DataFrame, plan: "Plan | None" = None) -> tuple[list[Rule], Findings]:
    """Rules from an edited frame, with Vietnamese errors naming the row (1-based) and the column.

    The rules are returned only when there are no errors. With a plan, codes must be the plan's criteria and a
    "threshold"/"proportional" rule needs a target or a threshold.
    """
    findings = Findings()
    rules: list[Rule] = []
    criteria = {c.code: c for c in plan.criteria} if plan is not None else None
    missing_columns = [c for c in ("code", "kind") if c not in frame.columns]
    for column in missing_columns:
        findings.error(f"Thiếu cột “{RULE_COLUMN_LABELS[column]}”.", column=RULE_COLUMN_LABELS[column])
    if missing_columns:
        return [], findings
    seen: dict[str, int] = {}
    for position, (_, row) in enumerate(frame.iterrows(), start=1):
        values = {c: _cell(row, c) for c in RULE_COLUMNS}
        if all(clean(v) == "" for v in values.values()):
            continue  # an empty row the editor added

        def error(message: str, column: str) -> None:
            findings.error(message, row=position, column=RULE_COLUMN_LABELS[column])

        code_value = values["code"]
        code = (repr(code_value) if isinstance(code_value, float) else clean(code_value)).strip().rstrip(".")
        if not code:
            error("Thiếu mã tiêu chí.", "code")
            continue
        if not _CODE.match(code):
            error(f"Mã tiêu chí “{code}” không đúng dạng (ví dụ “3.4”, “7.2.1”).", "code")
            continue
        if code in seen:
            error(f"Tiêu chí {code} có hai quy tắc (dòng {seen[code]} và dòng {position}).", "code")
            continue
        seen[code] = position
        if criteria is not None and code not in criteria:
            error(f"Tiêu chí {code} không có trong kế hoạch.", "code")
            continue
        kind = parse_kind(values["kind"])
        if kind is None:
            accepted = ", ".join(f"“{label}”" for label in RULE_KIND_LABELS.values())
            error(f"Cách chấm “{clean(values['kind'])}” không hợp lệ; chọn một trong: {accepted}.", "kind")
            continue

        threshold = None
        if clean(values["threshold"]):
            try:
                number = parse_points(clean(values["threshold"]).rstrip("%").strip())
            except NumberError:
                error(f"Ngưỡng “{clean(values['threshold'])}” không phải là số phần trăm (ví dụ 95).", "threshold")
                continue
            if number is not None and not 0 <= number <= 100:
                error(f"Ngưỡng phải từ 0 đến 100 (%), không phải {_number_text(number)}.", "threshold")
                continue
            threshold = None if number is None else round(number / 100, 10)
        try:
            bands = parse_bands(values["bands"])
        except BandsError as exc:
            error(str(exc), "bands")
            continue

        if kind == "bands" and not bands:
            error("Cách chấm “Theo dải” cần ít nhất một dải, ví dụ “100:1; 95:0,5; 0:0”.", "bands")
            continue
        if kind != "bands" and bands:
            findings.warn("Dải điểm chỉ dùng cho cách chấm “Theo dải”; ở dòng này dải điểm không được dùng.",
                          row=position, column=RULE_COLUMN_LABELS["bands"])
        if kind in ("bands", "manual") and threshold is not None:
            findings.warn(f"Ngưỡng chỉ dùng cho cách chấm “{RULE_KIND_LABELS['threshold']}” và "
                          f"“{RULE_KIND_LABELS['proportional']}”; ở dòng này ngưỡng không được dùng.",
                          row=position, column=RULE_COLUMN_LABELS["threshold"])
        if (kind in ("threshold", "proportional") and threshold is None and criteria is not None
                and criteria[code].target is None):
            error(f"Tiêu chí {code} không có chỉ tiêu định lượng: hãy nhập ngưỡng (%) hoặc chọn cách chấm "
                  f"“{RULE_KIND_LABELS['manual']}”.", "threshold")
            continue
        if kind == "proportional" and threshold == 0:
            error("Cách chấm “Tỷ lệ” cần ngưỡng lớn hơn 0.", "threshold")
            continue
        rules.append(Rule(code, kind, threshold, bands, clean(values["note"])))
    return (rules if findings.ok else []), findings


# ---------------------------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------------------------

JSON_VERSION = 1


def rules_to_json(rules: Iterable[Rule], close_ratio: float | None = None) -> str:
    """The stored form; `close_ratio` is written when given (without it the default applies when read)."""
    stored: dict = {"version": JSON_VERSION, "rules": [r.as_dict() for r in rules]}
    if close_ratio is not None:
        if not valid_close_ratio(close_ratio):
            raise ValueError(f"close_ratio must be in (0, 1], not {close_ratio!r}")
        stored["close_ratio"] = float(close_ratio)
    return json.dumps(stored, ensure_ascii=False)


def close_ratio_from_json(text: str | None) -> float:
    """The "Gần đạt" ratio stored with the rules; the default when none is stored (or it is unreadable)."""
    try:
        raw = json.loads(text) if text else None
    except (TypeError, json.JSONDecodeError):
        return DEFAULT_CLOSE_RATIO
    ratio = raw.get("close_ratio") if isinstance(raw, dict) else None
    return float(ratio) if valid_close_ratio(ratio) else DEFAULT_CLOSE_RATIO


def with_close_ratio(text: str | None, close_ratio: float) -> str:
    """The stored rules with a new "Gần đạt" ratio, the rules themselves unchanged (none stored: the defaults
    keep applying, as `scoring.plan_rules` fills in every criterion without a stored rule)."""
    return rules_to_json(rules_from_json(text) if text else [], close_ratio)


def close_ratio_note(ratio: float) -> str:
    """What the ratio means, with two worked examples, for the editor on Dữ liệu."""
    from ..formatting import percent

    share = percent(ratio, 0 if float(ratio * 100).is_integer() else 1)
    return (f"Một giá trị chưa đạt chỉ tiêu là “Gần đạt” khi đạt từ {share} chỉ tiêu trở lên: chỉ tiêu 100% thì từ "
            f"{percent(ratio)}, chỉ tiêu 10% thì từ {percent(0.1 * ratio, 2)}; thấp hơn là “Chưa đạt”. Với chỉ tiêu "
            f"“không quá”, gần đạt khi vượt không quá chỉ tiêu chia {share} (không quá 50%: đến "
            f"{percent(0.5 / ratio)}). Dùng cho mọi trang, báo cáo và điểm dự kiến.")


def parse_close_ratio(text: object) -> float:
    """"90", "92,5", "90%" (percent of the target) → 0.9, 0.925; ValueError with a Vietnamese message otherwise."""
    raw = clean(text).rstrip("%").strip()
    try:
        number = parse_points(raw)
    except NumberError:
        number = None
    if number is None or not 0 < number <= 100:
        raise ValueError(f"Ngưỡng “Gần đạt” phải là phần trăm của chỉ tiêu, lớn hơn 0 và không quá 100 "
                         f"(ví dụ 90), không phải “{clean(text)}”.")
    return round(number / 100, 10)


def rules_from_json(text: str) -> list[Rule]:
    """Rules stored by `rules_to_json`. Raises ValueError (Vietnamese message) for anything else."""
    try:
        raw = json.loads(text)
    except (TypeError, json.JSONDecodeError):
        raise ValueError("Dữ liệu quy tắc chấm điểm không phải là JSON hợp lệ.") from None
    items = raw.get("rules") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise ValueError("Dữ liệu quy tắc chấm điểm không có danh sách “rules”.")
    rules = []
    for number, item in enumerate(items, start=1):
        try:
            threshold = item.get("threshold")
            bands = tuple((float(b), float(s)) for b, s in item.get("bands") or ())
            rules.append(Rule(code=str(item["code"]), kind=str(item["kind"]),
                              threshold=None if threshold is None else float(threshold), bands=bands,
                              note=str(item.get("note") or "")))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise ValueError(f"Quy tắc thứ {number} trong dữ liệu lưu trữ không hợp lệ.") from None
    return rules
