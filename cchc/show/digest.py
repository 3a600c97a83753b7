"""The weekly digest for the chairs (issue 15): a short plain-text message to paste into Zalo or an e-mail.

One digest is about one month (`period`, "YYYY-MM"; by default the latest month with data) and holds, from the store:

- where the organisation stands from January to that month (as the Tổng quan page shows the year to date): the
  points recovered of the points lost, each measured rate against its target with its status, the QĐ 766 total and
  rank of the organisation when its score was imported;
- what changed since the last digest: the month's rates against the previous month's (compare.rate_changes: ▲ ▼ =,
  only where the previous month has data for as many unit-months);
- the units below the thresholds: each measured TTHC target (year to date, league.missed_targets) and the QĐ 766
  thresholds (Store.index766_thresholds: 80 and 90 unless others are stored);
- the deadlines overdue or due within DUE_DAYS (14) days, grouped by the agency that leads them.

Rates are sums of counts divided (metrics.rate), never averages. A part without data says so in one line; nothing is
made up. `agency_text` is one agency head's own part: its criteria, its unit's figures, its deadlines.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .. import formatting as fmt
from ..fields import INDEX766_THRESHOLDS
from ..registry import Organisation, load_organisation
from ..score.metrics import RATES
from ..score.status import STATUS_LABELS, STATUS_SYMBOLS, badge
from ..store.database import Store, plan_for
from . import compare, league, views

DUE_DAYS = 14  # deadlines this many days ahead (and every overdue one) are in the digest
UNITS_LISTED = 5  # units named per indicator in the whole digest; the rest are counted (the JSON has them all)
TITLE = "BẢN TIN CẢI CÁCH HÀNH CHÍNH"
INDEX766_KEY = "index766_total"  # the indicator name of a QĐ 766 total in below_thresholds
ILLUSTRATIVE_LINE = "(Dữ liệu minh họa: số liệu mẫu đi kèm phần mềm, không phải số liệu thật.)"


@dataclass(frozen=True)
class Below:
    """A unit below a threshold: a measured rate under its target (value and target 0–1), or a QĐ 766 total under
    80 or 90 points (value and target in points)."""
    unit: str
    indicator: str  # a rate of metrics.RATES, or INDEX766_KEY
    label: str
    value: float
    target: float
    target_text: str
    status: str = "behind"  # "close" / "behind" for a rate

    def as_json(self) -> dict:
        return {"unit": self.unit, "indicator": self.indicator, "value": self.value, "target": self.target}

    @property
    def value_text(self) -> str:
        return fmt.points(self.value) + " điểm" if self.indicator == INDEX766_KEY else fmt.percent(self.value)


@dataclass(frozen=True)
class Due:
    """A task's deadline, for one of the agencies leading it: overdue, or due within DUE_DAYS days."""
    code: str
    task: str
    agency: str
    due: dt.date
    status: str  # "overdue" | "due_soon"
    days: int  # days from the digest's reference date to the due date (negative: days overdue)

    def as_json(self) -> dict:
        return {"code": self.code, "task": self.task, "agency": self.agency, "due": self.due.isoformat(),
                "status": self.status, "days": self.days}

    @property
    def when_text(self) -> str:
        if self.days < 0:
            return f"✖ quá hạn {fmt.number(-self.days)} ngày (hạn {self.due:%d/%m/%Y})"
        if self.days == 0:
            return f"◐ đến hạn hôm nay ({self.due:%d/%m/%Y})"
        return f"◐ còn {fmt.number(self.days)} ngày (hạn {self.due:%d/%m/%Y})"


@dataclass(frozen=True)
class Score766:
    unit: str
    period: str
    total: float
    rank: float | None


@dataclass
class Digest:
    period: str  # "2019-12": the month the digest is about
    organisation: str
    made: dt.date
    as_of: dt.date  # the day deadlines are judged on: the month's last day, or today when the month is not over
    illustrative: bool = False
    plan: object | None = None  # read.plan.Plan governing the year
    score: object | None = None  # score.scoring.PlanScore, January to the month
    cards: list = field(default_factory=list)  # views.RateCard, January to the month
    changes: list = field(default_factory=list)  # compare.Change, the month against the previous one
    previous: str = ""  # the previous month ("2019-11")
    index766_period: str | None = None
    index766: Score766 | None = None  # the organisation's own score, when imported
    thresholds: tuple[float, float] = INDEX766_THRESHOLDS
    below: list[Below] = field(default_factory=list)
    deadlines: list[Due] = field(default_factory=list)
    has_stats: bool = False

    @property
    def start(self) -> str:
        return f"{self.period[:4]}-01"

    @property
    def year_to_date(self) -> str:
        return fmt.period_range_label(self.start, self.period)

    def as_json(self) -> dict:
        return {"period": self.period, "text": digest_text(self),
                "below_thresholds": [b.as_json() for b in self.below],
                "deadlines": [d.as_json() for d in self.deadlines]}


# ---------------------------------------------------------------------------------------------------------------- #
# From the store
# ---------------------------------------------------------------------------------------------------------------- #

def latest_period(store: Store) -> str | None:
    """The latest month with data: statistics, else QĐ 766 scores (a span counts by its last month)."""
    months = list(store.stats_periods())
    months += [p.partition("..")[2] or p for p in store.index766_periods()]
    return max(months) if months else None


def reference_date(period: str, today: dt.date | None = None) -> dt.date:
    """Deadlines are judged on the month's last day, or on today while the month is not over."""
    year, month = int(period[:4]), int(period[5:7])
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return min(today or dt.date.today(), end)


def _totals_frame(totals: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame([totals]) if totals else pd.DataFrame()


def build_digest(store: Store, period: str | None = None, organisation: Organisation | None = None,
                 made: dt.date | None = None) -> Digest | None:
    """The digest of `period` ("YYYY-MM"; None: the latest month with data); None when there is no data at all and
    no period is asked for."""
    period = period or latest_period(store)
    if period is None:
        return None
    organisation = organisation or load_organisation()
    year, month = int(period[:4]), int(period[5:7])
    filters = views.Filters(year, 1, month)
    digest = Digest(period, organisation.name, made or dt.date.today(), views.reference_date(filters),
                    illustrative=views.has_illustrative(store))
    digest.previous = compare.shift(period, -1)
    ratio = views.close_ratio(store, year)

    result = views.plan_score(store, filters)
    if result is not None:
        digest.plan, digest.score = result
    totals = store.stats_totals(start=digest.start, end=period)
    digest.has_stats = bool(totals) and any(totals.values())
    if digest.has_stats:
        keys = league.measured_rates(_totals_frame(totals))
        digest.cards = views.rate_cards(totals, digest.plan, keys=keys, close_ratio=ratio)
        changes = compare.rate_changes(store, period, period, keys=keys)
        digest.changes = [c for key in keys for c in changes.of(key) if c.kind == "previous"]
        units = compare.unit_counts(store, digest.start, period)
        missed, chosen = league.missed_targets(units, digest.plan, ratio)
        for indicator in chosen:
            column = f"{indicator.key}:status"
            rows = missed[missed[column].isin(["close", "behind"])]
            rows = rows.sort_values([indicator.key, "unit"], ascending=[not indicator.lower_is_better, True])
            digest.below += [Below(r["unit"], indicator.key, RATES[indicator.key].label, float(r[indicator.key]),
                                   float(indicator.target.value), views.target_text(indicator.target),
                                   r[column]) for _, r in rows.iterrows()]
    _index766(store, digest, organisation)
    digest.deadlines = pressing_deadlines(store, filters, digest.as_of, digest.plan)
    return digest


def _index766(store: Store, digest: Digest, organisation: Organisation) -> None:
    """The latest QĐ 766 scores ending by the digest's month: the organisation's total and rank, and the units
    below the thresholds (under the low one: target low; between: target high)."""
    scores = store.index766_scores(end=digest.period)
    scores = scores[scores["total"].notna()]
    if scores.empty:
        return
    ends = scores["period"].map(lambda p: p.partition("..")[2] or p)
    spans = scores["period"].map(lambda p: compare.length(p[:7], p.partition("..")[2] or p[:7]))
    # the latest ending period; of a month and a quarter ending together, the month (the most recent figure)
    latest = scores.assign(_end=ends, _len=spans).sort_values(["_end", "_len"], ascending=[False, True])
    chosen = latest["period"].iloc[0]
    scores = scores[scores["period"] == chosen]
    digest.index766_period = chosen
    digest.thresholds = low, high = store.index766_thresholds()
    own = scores[scores["unit"] == organisation.name]
    if len(own):
        row = own.iloc[0]
        digest.index766 = Score766(row["unit"], chosen, float(row["total"]),
                                   None if pd.isna(row["rank"]) else float(row["rank"]))
    others = scores[scores["unit"] != organisation.name].sort_values(["total", "unit"])
    for _, row in others.iterrows():
        total = float(row["total"])
        if total < high:
            target = low if total < low else high
            digest.below.append(Below(row["unit"], INDEX766_KEY, "Tổng điểm Bộ chỉ số 766", total, target,
                                      f"{fmt.points(target)} điểm"))


def pressing_deadlines(store: Store, filters: views.Filters, as_of: dt.date, plan=None) -> list[Due]:
    """Deadlines overdue, or due within DUE_DAYS days of `as_of`, one per leading agency; by agency, then date."""
    plan = plan if plan is not None else plan_for(store, filters.year)
    frame = views.deadlines(store, filters)
    if plan is None or frame.empty:
        return []
    leads = {c.code: c.lead for c in plan.criteria}  # the list itself: agency names may hold commas
    out = []
    for row in frame.to_dict("records"):
        days = (row["due"] - as_of).days
        if row["status"] == "overdue":
            status = "overdue"
        elif row["status"] in ("due_soon", "upcoming") and 0 <= days <= DUE_DAYS:
            status = "due_soon"
        else:
            continue
        for agency in leads.get(row["code"]) or [""]:
            out.append(Due(row["code"], row["name"], agency, row["due"], status, days))
    return sorted(out, key=lambda d: (d.agency, d.due, d.code))


# ---------------------------------------------------------------------------------------------------------------- #
# The text
# ---------------------------------------------------------------------------------------------------------------- #

def _header(digest: Digest, who: str) -> list[str]:
    lines = [f"{TITLE} – {who}" if who else TITLE,
             f"Số liệu đến hết tháng {fmt.period_label(digest.period)} · lập ngày {digest.made:%d/%m/%Y}"]
    if digest.illustrative:
        lines.append(ILLUSTRATIVE_LINE)
    return lines


def _card_line(card) -> str:
    label = card.label + (f" ({card.criterion})" if card.criterion else "")
    target = f", chỉ tiêu {views.target_text(card.target)}" if card.target else ""
    return f"- {label}: {fmt.percent(card.value)}{target}: {badge(card.status)}"


def _index766_line(digest: Digest) -> str | None:
    if digest.index766_period is None:
        return "Chỉ số 766: chưa nhập điểm."
    score = digest.index766
    if score is None:
        return None  # units were scored, the organisation itself was not: its units are listed below
    rank = f", hạng {fmt.number(score.rank)}" if score.rank is not None else ""
    return f"Chỉ số 766 ({fmt.period_label(score.period)}): {fmt.points(score.total)} điểm{rank}"


def _standing(digest: Digest) -> list[str]:
    lines = ["", f"1. TÌNH HÌNH CHUNG ({digest.year_to_date})"]
    if digest.score is None:
        lines.append("Chưa có kế hoạch nâng cao Chỉ số CCHC.")
    else:
        plan, score = digest.plan, digest.score
        appraisal = f" năm {plan.appraisal_year}" if plan.appraisal_year else ""
        lines.append(f"Điểm bị mất{appraisal}: {fmt.points(score.lost_total)} điểm")
        lines.append(f"Dự kiến khôi phục: {fmt.points(score.recovered)} / {fmt.points(score.lost_total)} điểm")
        lines.append(f"Điểm dự kiến: {fmt.points(score.projected)} / {fmt.points(score.standard_total)} điểm")
        counts = score.status_counts()
        lines.append(f"{len(score.criteria)} tiêu chí: " + " · ".join(
            f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]} {counts[s]}" for s in counts if counts[s]))
    if digest.has_stats:
        lines += [_card_line(c) for c in digest.cards]
    else:
        lines.append(f"Chưa có số liệu thống kê TTHC {digest.year_to_date}.")
    index_line = _index766_line(digest)
    if index_line:
        lines.append(index_line)
    return lines


def _changes(digest: Digest) -> list[str]:
    month, previous = fmt.period_label(digest.period), fmt.period_label(digest.previous)
    lines = ["", f"2. THAY ĐỔI SO VỚI THÁNG TRƯỚC ({month} so với {previous})"]
    if not digest.has_stats:
        lines.append("Chưa có số liệu thống kê TTHC để so sánh.")
    elif not digest.changes:
        lines.append(f"Chưa so sánh được: tháng {previous} chưa đủ số liệu.")
    for change in digest.changes:
        lines.append(f"- {RATES[change.key].label}: {fmt.percent(change.now)} {change.text}")
    return lines


def _below_lines(below: list[Below], limit: int | None) -> list[str]:
    lines = []
    groups: dict[tuple[str, str], list[Below]] = {}
    for item in below:
        groups.setdefault((item.indicator, item.target_text), []).append(item)
    for (indicator, target_text), items in groups.items():
        if indicator == INDEX766_KEY:
            head = f"Chỉ số 766, dưới {target_text}"
        else:
            head = f"{items[0].label} (chỉ tiêu {target_text})"
        lines.append(f"{head}: {fmt.number(len(items))} đơn vị")
        shown = items if limit is None else items[:limit]
        lines += [f"- {b.unit}: {b.value_text}" for b in shown]
        if len(items) > len(shown):
            lines.append(f"- … và {fmt.number(len(items) - len(shown))} đơn vị khác")
    return lines


def _below(digest: Digest) -> list[str]:
    lines = ["", f"3. ĐƠN VỊ CHƯA ĐẠT ({digest.year_to_date}"
             + (f"; Chỉ số 766: {fmt.period_label(digest.index766_period)}" if digest.index766_period else "") + ")"]
    if not digest.has_stats:
        lines.append("Chưa có số liệu thống kê TTHC theo đơn vị.")
    elif not any(b.indicator != INDEX766_KEY for b in digest.below):
        lines.append("Mọi đơn vị có số liệu đều đạt các chỉ tiêu TTHC.")
    if digest.index766_period and not any(b.indicator == INDEX766_KEY for b in digest.below):
        lines.append(f"Chỉ số 766: không đơn vị nào dưới {fmt.points(digest.thresholds[1])} điểm.")
    return lines + _below_lines(digest.below, UNITS_LISTED)


def _due_lines(deadlines: list[Due], by_agency: bool) -> list[str]:
    lines = []
    agency = None
    for item in deadlines:
        if by_agency and item.agency != agency:
            agency = item.agency
            lines.append(f"{agency or 'Chưa ghi cơ quan chủ trì'}:")
        lines.append(f"- {item.code} {item.task}: {item.when_text}")
    return lines


def _deadlines(digest: Digest, number: int = 4, deadlines: list[Due] | None = None, by_agency: bool = True
               ) -> list[str]:
    items = digest.deadlines if deadlines is None else deadlines
    lines = ["", f"{number}. THỜI HẠN (quá hạn và {DUE_DAYS} ngày tới, tính đến {digest.as_of:%d/%m/%Y})"]
    if digest.plan is None:
        return lines + ["Chưa có kế hoạch: không có thời hạn nào."]
    if not items:
        return lines + [f"Không có việc quá hạn hay đến hạn trong {DUE_DAYS} ngày tới."]
    return lines + _due_lines(items, by_agency)


def digest_text(digest: Digest) -> str:
    """The whole digest, for the chairs."""
    lines = _header(digest, digest.organisation)
    lines += _standing(digest) + _changes(digest) + _below(digest) + _deadlines(digest)
    return "\n".join(lines) + "\n"


def agency_text(digest: Digest, agency: str) -> str:
    """One agency head's part: the criteria it leads, its own unit's figures below target, its deadlines."""
    lines = _header(digest, agency)
    lines += ["", f"1. TIÊU CHÍ DO {agency.upper()} CHỦ TRÌ ({digest.year_to_date})"]
    if digest.plan is None or digest.score is None:
        lines.append("Chưa có kế hoạch nâng cao Chỉ số CCHC.")
    else:
        leads = {c.code for c in digest.plan.criteria if agency in c.lead}
        mine = [c for c in digest.score.criteria if c.code in leads]
        if not mine:
            lines.append("Không chủ trì tiêu chí nào của kế hoạch.")
        for c in mine:
            target = f", chỉ tiêu {views.target_text(c.target)}" if c.target else ""
            value = views.current_text(c)
            lines.append(f"- {c.code} {c.name}: {badge(c.status)}"
                         + (f" ({value}{target})" if value != "–" else ""))
    lines += ["", "2. SỐ LIỆU CỦA ĐƠN VỊ CHƯA ĐẠT"]
    own = [b for b in digest.below if b.unit == agency]
    if own:
        lines += _below_lines(own, None)
    elif digest.has_stats or digest.index766_period:
        lines.append("Không có chỉ tiêu nào chưa đạt (hoặc đơn vị chưa có số liệu).")
    else:
        lines.append("Chưa có số liệu thống kê TTHC.")
    lines += _deadlines(digest, 3, [d for d in digest.deadlines if d.agency == agency], by_agency=False)
    return "\n".join(lines) + "\n"


def subject(digest: Digest, who: str | None = None) -> str:
    return f"Bản tin CCHC tháng {fmt.period_label(digest.period)} – {who or digest.organisation}".rstrip(" –")
