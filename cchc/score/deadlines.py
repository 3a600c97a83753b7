"""Due dates from a criterion's "Thời gian thực hiện" text.

The plan's timeline column is free text. The forms real plans use, and what they give:

- "Quý I, 6 tháng, Quý III và năm" (the periodic reports): the end of each period, every year:
  31/3 (Quý I), 30/6 (6 tháng), 30/9 (Quý III), 31/12 (năm).
- "Hằng quý", "Hằng tháng", "Thường xuyên" (continuous work, checked monthly): the end of each quarter / month.
- "6 tháng đầu năm" → 30/6; "6 tháng cuối năm" → 31/12; "9 tháng" → 30/9; "Tháng 10 hằng năm" → 31/10.
- "Trong năm 2019" → 31/12/2019 only; "Trong năm 2019 và các năm tiếp theo" → 31/12/2019 and 31/12 of every later
  year asked for; "Quý II/2020" → 30/6/2020; "Tháng 10/2019" → 31/10/2019.
- Explicit days: "Trước ngày 15/12/2019" → 15/12/2019; "trước 30/6 hằng năm" → 30/6 every year;
  "ngày 15 tháng 12 năm 2019" → 15/12/2019.
- Anything else ("Đúng thời gian quy định", "Trong vòng 45 ngày") gives no date: the caller says
  "không xác định được thời hạn" (`UNKNOWN_DEADLINE`).

Matching is done on `text.fold`, so case and diacritics never matter ("quy ii/2020", "THUONG XUYEN").

Which day of a period is "due" (unverified, so configurable): periodic report deadlines in Vietnam are often the
15th of the period's last month, or a few days after the period ends, depending on the report. By default the due
date is the period's last day. Set `PERIOD_DUE_DAY = 15` to use the 15th of the period's last month, and
`PERIOD_DUE_OFFSET_DAYS` to move every period deadline by a number of days (e.g. 5 → five days after). Both are read
at call time; explicit days written in the text ("trước ngày 15/12") are never moved.

`years` says which years a recurring deadline is expanded over. Dates that name their own year (31/12/2019 in
"Trong năm 2019", 30/6/2020 in "Quý II/2020") are always returned, whatever `years` holds.

Which deadlines a progress report settles (`done_flags`): a report that says the task is done ("Hoàn thành") for a
period settles every deadline of the task whose window has begun by the period's end; a deadline's window runs from
the day after the task's previous deadline. So a task reported done in June is done for its 31/3 and 30/6 deadlines
(late is still done, never "Quá hạn") and for a one-off 31/12 deadline, but not for its 30/9 report. A report
counts as done when its status is "Hoàn thành"; "Đang thực hiện" / "Chưa thực hiện" never do; a report with only a
value is done when the value meets the criterion's target (`report_done`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from ..read.text import fold

if TYPE_CHECKING:  # pragma: no cover
    from ..read.targets import Target

# The due day of a period: None = the period's last day; an int d = day d of the period's last month (clamped to
# the month's length). See the module docstring.
PERIOD_DUE_DAY: int | None = None
# Days added to every period deadline (not to explicit days written in the text).
PERIOD_DUE_OFFSET_DAYS: int = 0
# A deadline this many days away or fewer (and not yet passed) is "due soon".
DUE_SOON_DAYS: int = 30

UNKNOWN_DEADLINE = "Không xác định được thời hạn"

STATUS_LABELS: dict[str, str] = {
    "done": "Đã hoàn thành",
    "overdue": "Quá hạn",
    "due_soon": "Sắp đến hạn",
    "upcoming": "Chưa đến hạn",
}

_QUARTER_MONTHS = (3, 6, 9, 12)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NUMERAL = r"(?:iv|iii|ii|i|[1-4])"
_YEAR = r"((?:19|20)\d{2})"
# "/2020", "-2020", " năm 2020" after a quarter or a month
_OWN_YEAR = rf"(?:\s*[/-]\s*|\s+nam\s+){_YEAR}"
_OPEN_ENDED = r"(?:\s*(?:,|va)?\s*(?:cac|nhung)\s+nam\s+(?:tiep theo|sau|ke tiep|tiep)|\s*tro di|\s*den nay)"


@dataclass(frozen=True)
class _Anchor:
    """One deadline: a month and a day (None = the period's end), in a year (None = every year)."""

    month: int
    day: int | None = None
    year: int | None = None


@dataclass
class _Schedule:
    anchors: list[_Anchor] = field(default_factory=list)
    context_years: set[int] = field(default_factory=set)  # "trong năm 2019"
    from_year: int | None = None  # "năm 2019 và các năm tiếp theo"
    monthly: bool = False
    quarterly: bool = False  # said "hằng quý" (or listed all four quarters)
    annual: bool = False  # said "hằng năm"

    @property
    def empty(self) -> bool:
        return not (self.anchors or self.context_years or self.from_year or self.monthly or self.annual)


def _parse(text: str) -> _Schedule:
    schedule = _Schedule()
    folded = " " + fold(text).replace("–", "-") + " "

    def consume(pattern: str, handle) -> None:
        nonlocal folded

        def replace(match: re.Match) -> str:
            handle(match)
            return " ; "

        folded = re.sub(pattern, replace, folded)

    def add(month: int, day: int | None = None, year: int | None = None) -> None:
        if not 1 <= month <= 12:
            return
        if day is not None:
            probe_year = year or 2000  # a leap year, so 29/2 is accepted as a recurring day
            if not 1 <= day <= calendar.monthrange(probe_year, month)[1]:
                return
        anchor = _Anchor(month, day, year)
        if anchor not in schedule.anchors:
            schedule.anchors.append(anchor)

    def year_of(match: re.Match, group: int) -> int | None:
        value = match.group(group)
        return int(value) if value else None

    # Explicit days first: "ngày 15 tháng 12 năm 2019", "15/12/2019", "30/6".
    consume(rf"ngay\s+(\d{{1,2}})\s+thang\s+(\d{{1,2}})(?:\s+nam\s+{_YEAR})?",
            lambda m: add(int(m.group(2)), int(m.group(1)), year_of(m, 3)))
    consume(rf"(?<![\d/.-])(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})(?:\s*\2\s*{_YEAR})?(?![\d/.-])",
            lambda m: add(int(m.group(3)), int(m.group(1)), year_of(m, 4)))

    # Recurrence words.
    def monthly(_m):
        schedule.monthly = True

    def quarterly(_m):
        schedule.quarterly = True
        for month in _QUARTER_MONTHS:
            add(month)

    def semiannual(_m):
        add(6)
        add(12)

    def annual(_m):
        schedule.annual = True

    consume(r"thuong xuyen|(?:hang|moi|dinh ky hang|dinh ky)\s+thang", monthly)
    consume(r"(?:hang|moi|dinh ky hang|dinh ky)\s+quy", quarterly)
    consume(r"(?:dinh ky|hang|moi)\s+(?:6|sau)\s+thang(?:\s+mot\s+lan)?|(?:6|sau)\s+thang\s+mot\s+lan", semiannual)
    consume(r"(?:hang|moi|dinh ky hang)\s+nam|hangnam", annual)

    # Quarters: "Quý II/2020", "quý 2 năm 2020", "Quý I, II và III".
    def quarters(m: re.Match) -> None:
        year = year_of(m, 2)
        for numeral in re.findall(_NUMERAL, m.group(1)):
            add(_QUARTER_MONTHS[_ROMAN[numeral] - 1], None, year)

    consume(rf"quy\s+({_NUMERAL}(?:\s*(?:,|;|va)\s*(?:iv|iii|ii|i)\b)*)\b(?:{_OWN_YEAR})?", quarters)

    # Half-year and nine-month periods.
    def period_months(months: int, late_half: bool = False):
        def handle(m: re.Match) -> None:
            add(12 if late_half else months, None, year_of(m, 1))
        return handle

    consume(rf"(?:6|sau)\s+thang\s+cuoi(?:\s+nam)?(?:{_OWN_YEAR})?", period_months(6, late_half=True))
    consume(rf"(?:6|sau)\s+thang(?:\s+dau)?(?:\s+nam)?(?:{_OWN_YEAR})?", period_months(6))
    consume(rf"nua\s+(?:dau\s+)?nam(?:{_OWN_YEAR})?", period_months(6))
    consume(rf"(?:9|chin)\s+thang(?:\s+dau)?(?:\s+nam)?(?:{_OWN_YEAR})?", period_months(9))

    # Months: "Tháng 10", "tháng 10/2019", "tháng 10 năm 2019".
    consume(rf"thang\s+(\d{{1,2}})\b(?:{_OWN_YEAR})?", lambda m: add(int(m.group(1)), None, year_of(m, 2)))
    # A bare "10/2019".
    consume(rf"(?<![\d/.-])(\d{{1,2}})\s*/\s*{_YEAR}(?![\d/])", lambda m: add(int(m.group(1)), None, int(m.group(2))))

    # Years: "trong năm 2019 và các năm tiếp theo", "từ năm 2019", "năm 2019 - 2020", "cuối năm 2019".
    def open_ended(m: re.Match) -> None:
        year = int(m.group(1))
        schedule.from_year = year if schedule.from_year is None else min(schedule.from_year, year)

    def year_range(m: re.Match) -> None:
        first, last = int(m.group(1)), int(m.group(2))
        if first <= last and last - first <= 20:
            schedule.context_years.update(range(first, last + 1))

    consume(rf"(?:tu\s+)?(?:nam\s+)?{_YEAR}{_OPEN_ENDED}", open_ended)
    consume(rf"tu\s+nam\s+{_YEAR}", open_ended)
    consume(rf"(?:nam|giai doan)\s+{_YEAR}\s*-\s*{_YEAR}", year_range)
    consume(rf"(?:trong|cuoi|ca)?\s*nam\s+{_YEAR}|{_YEAR}", lambda m: schedule.context_years.add(
        int(m.group(1) or m.group(2))))

    # What is left: "năm" / "cuối năm" as a period of its own (the annual report).
    consume(r"(?:cuoi|ca|bao cao)\s+nam\b|\bnam\b", lambda _m: add(12))
    return schedule


def _period_due(year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    day = last if PERIOD_DUE_DAY is None else max(1, min(PERIOD_DUE_DAY, last))
    return dt.date(year, month, day) + dt.timedelta(days=PERIOD_DUE_OFFSET_DAYS)


def _anchor_date(anchor: _Anchor, year: int) -> dt.date:
    if anchor.day is None:
        return _period_due(year, anchor.month)
    return dt.date(year, anchor.month, min(anchor.day, calendar.monthrange(year, anchor.month)[1]))


def _recurring_anchors(schedule: _Schedule) -> list[_Anchor]:
    anchors = [a for a in schedule.anchors if a.year is None]
    if schedule.monthly:
        anchors = [_Anchor(month) for month in range(1, 13)] + [a for a in anchors if a.day is not None]
    if not anchors and not any(a.year for a in schedule.anchors):
        if schedule.context_years or schedule.from_year or schedule.annual:
            anchors = [_Anchor(12)]  # "Trong năm 2019", "Hằng năm": the year's end
    return anchors


def _years_for(schedule: _Schedule, years: Iterable[int]) -> list[int]:
    """The years a recurring anchor applies to."""
    asked = sorted(set(int(y) for y in years))
    if schedule.from_year is not None:
        chosen = set(schedule.context_years) | {schedule.from_year}
        chosen |= {y for y in asked if y > schedule.from_year}
        return sorted(chosen)
    if schedule.context_years:
        return sorted(schedule.context_years)
    return asked


def due_dates(text: str, years: Iterable[int]) -> list[dt.date]:
    """Every due date the timeline text gives, sorted; [] when the text states no recognisable deadline."""
    schedule = _parse(text or "")
    if schedule.empty:
        return []
    dates = {_anchor_date(a, a.year) for a in schedule.anchors if a.year is not None}
    anchors = _recurring_anchors(schedule)
    for year in _years_for(schedule, years):
        for anchor in anchors:
            dates.add(_anchor_date(anchor, year))
    return sorted(dates)


def _day_month(anchor: _Anchor, year: int | None = None) -> str:
    # Non-leap year for recurring February ends: 28/2 is what most years show.
    date = _anchor_date(anchor, year or 2019)
    return f"{date.day}/{date.month}" + (f"/{date.year}" if year else "")


def describe(text: str) -> str:
    """A Vietnamese summary, e.g. "Hằng quý: 31/3, 30/6, 30/9, 31/12"; `UNKNOWN_DEADLINE` when nothing is found."""
    schedule = _parse(text or "")
    if schedule.empty:
        return UNKNOWN_DEADLINE
    parts: list[str] = []
    anchors = _recurring_anchors(schedule)
    if anchors:
        months = sorted({a.month for a in anchors if a.day is None})
        if schedule.monthly:
            due = PERIOD_DUE_DAY
            when = "ngày cuối mỗi tháng" if due is None else f"ngày {due} mỗi tháng"
            if PERIOD_DUE_OFFSET_DAYS:
                when += f" (cộng {PERIOD_DUE_OFFSET_DAYS} ngày)"
            label = "Hằng tháng"
            listed = [when] + [_day_month(a) for a in anchors if a.day is not None]
        else:
            label = "Hằng quý" if months == list(_QUARTER_MONTHS) and len(anchors) == 4 else "Hằng năm"
            ordered = sorted(anchors, key=lambda a: (a.month, a.day or 32))
            listed = [_day_month(a) for a in ordered]
        if schedule.from_year is not None:
            first = min({schedule.from_year} | schedule.context_years)
            parts.append(f"{label} từ năm {first}: {', '.join(listed)}")
        elif schedule.context_years:
            years = sorted(schedule.context_years)
            span = f"năm {years[0]}" if len(years) == 1 else f"các năm {years[0]}–{years[-1]}"
            if schedule.monthly:
                parts.append(f"{label} {span}: {', '.join(listed)}")
            else:
                dated = sorted(_anchor_date(a, y) for y in years for a in anchors)
                shown = ", ".join(f"{d.day}/{d.month}/{d.year}" for d in dated)
                parts.append(f"{span[:1].upper()}{span[1:]}: {shown}")
        else:
            parts.append(f"{label}: {', '.join(listed)}")
    fixed = sorted(_anchor_date(a, a.year) for a in schedule.anchors if a.year is not None)
    if fixed:
        parts.append(", ".join(f"{d.day}/{d.month}/{d.year}" for d in fixed))
    return "; ".join(parts) if parts else UNKNOWN_DEADLINE


def status_of(due: dt.date, today: dt.date, done: bool) -> str:
    """"done" | "overdue" | "due_soon" (within `DUE_SOON_DAYS`) | "upcoming"."""
    if done:
        return "done"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "upcoming"


def report_done(status: str | None, value: float | None, target: "Target | None") -> bool:
    """Whether one progress report says the task is done (module docstring)."""
    from .status import met

    if status:
        return status == "done"
    if value is None or value != value:  # NaN: no value
        return False
    return target is None or bool(met(value, target))


def done_flags(dues: Sequence[dt.date], done_until: Iterable[dt.date]) -> list[bool]:
    """For a task's due dates (sorted), whether each is done, given the end days of the periods its reports say it
    was done in (module docstring): a due date is done once such a period ends on or after its window's first day.
    """
    ends = list(done_until)
    if not ends:
        return [False] * len(dues)
    latest = max(ends)
    flags = []
    for index, _due in enumerate(dues):
        window_start = dues[index - 1] + dt.timedelta(days=1) if index else dt.date.min
        flags.append(latest >= window_start)
    return flags
