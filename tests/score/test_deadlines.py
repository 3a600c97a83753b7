import datetime as dt
import unicodedata

import pytest
from support import sample_plan_bytes

from cchc.read.plan import read_plan
from cchc.score import deadlines
from cchc.score.deadlines import UNKNOWN_DEADLINE, describe, due_dates, status_of

D = dt.date
YEARS = (2019, 2020, 2021)
QUARTER_ENDS = [(3, 31), (6, 30), (9, 30), (12, 31)]


def strip_marks(text: str) -> str:
    """Diacritics removed, case kept: "Quý II" → "Quy II"."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


def variants(text: str) -> list[str]:
    return [text, text.lower(), text.upper(), strip_marks(text), strip_marks(text).lower()]


CASES = [
    # the seed's two timeline phrases
    ("Quý I, 6 tháng, Quý III và năm", YEARS, [D(y, m, d) for y in YEARS for m, d in QUARTER_ENDS]),
    ("Trong năm 2019 và các năm tiếp theo", YEARS, [D(2019, 12, 31), D(2020, 12, 31), D(2021, 12, 31)]),
    # the other forms of the brief
    ("Trong năm 2019", YEARS, [D(2019, 12, 31)]),
    ("Quý II/2020", YEARS, [D(2020, 6, 30)]),
    ("Trước ngày 15/12/2019", YEARS, [D(2019, 12, 15)]),
    ("trước 30/6 hằng năm", (2019, 2020), [D(2019, 6, 30), D(2020, 6, 30)]),
    ("Tháng 10 hằng năm", (2019, 2020), [D(2019, 10, 31), D(2020, 10, 31)]),
    ("6 tháng đầu năm", (2019,), [D(2019, 6, 30)]),
    ("Thường xuyên", (2019,), [D(2019, 1, 31), D(2019, 2, 28), D(2019, 3, 31), D(2019, 4, 30), D(2019, 5, 31),
                               D(2019, 6, 30), D(2019, 7, 31), D(2019, 8, 31), D(2019, 9, 30), D(2019, 10, 31),
                               D(2019, 11, 30), D(2019, 12, 31)]),
    ("Hằng tháng", (2020,), [D(2020, m, 29 if m == 2 else (30 if m in (4, 6, 9, 11) else 31)) for m in range(1, 13)]),
    # more forms real plans use
    ("Hằng quý", (2019,), [D(2019, m, d) for m, d in QUARTER_ENDS]),
    ("Hàng năm", (2019, 2020), [D(2019, 12, 31), D(2020, 12, 31)]),
    ("Quý I, II và III năm 2020", YEARS, [D(2020, 3, 31), D(2020, 6, 30), D(2020, 9, 30)]),
    ("Quý 2 năm 2020", YEARS, [D(2020, 6, 30)]),
    ("ngày 15 tháng 12 năm 2019", YEARS, [D(2019, 12, 15)]),
    ("Tháng 10/2019", YEARS, [D(2019, 10, 31)]),
    ("6 tháng cuối năm", (2019,), [D(2019, 12, 31)]),
    ("9 tháng", (2019,), [D(2019, 9, 30)]),
    ("Định kỳ 6 tháng", (2019,), [D(2019, 6, 30), D(2019, 12, 31)]),
    ("Năm 2019 - 2020", YEARS, [D(2019, 12, 31), D(2020, 12, 31)]),
    ("Từ năm 2020", YEARS, [D(2020, 12, 31), D(2021, 12, 31)]),
]


@pytest.mark.parametrize("text,years,expected", CASES)
def test_due_dates_every_form_and_spelling(text, years, expected):
    for variant in variants(text):
        assert due_dates(variant, years) == expected, variant


def test_monthly_within_one_year_only():
    dates = due_dates("Thường xuyên trong năm 2019", YEARS)
    assert len(dates) == 12 and {d.year for d in dates} == {2019}


def test_every_seed_timeline_has_due_dates():
    plan = read_plan(sample_plan_bytes()).plan
    phrases = {c.timeline for c in plan.criteria}
    assert phrases == {"Quý I, 6 tháng, Quý III và năm", "Trong năm 2019 và các năm tiếp theo"}
    for criterion in plan.criteria:
        dates = due_dates(criterion.timeline, [2019])
        assert dates, criterion.code
        assert all(d.year == 2019 for d in dates)
    report = next(c for c in plan.criteria if c.code == "1.2")
    assert due_dates(report.timeline, [2019]) == [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]


@pytest.mark.parametrize("text", ["", "Đúng thời gian quy định", "Thực hiện đúng thời gian quy định",
                                  "Trong vòng 45 ngày kể từ khi văn bản có hiệu lực", "Khi có yêu cầu", None])
def test_unparseable_gives_nothing(text):
    assert due_dates(text, YEARS) == []
    assert describe(text) == UNKNOWN_DEADLINE
    assert UNKNOWN_DEADLINE == "Không xác định được thời hạn"


def test_dates_that_name_their_year_ignore_years_asked():
    assert due_dates("Trong năm 2019", [2020, 2021]) == [D(2019, 12, 31)]
    assert due_dates("Quý II/2020", []) == [D(2020, 6, 30)]
    # recurring deadlines expand only over the years asked
    assert due_dates("Hằng quý", []) == []
    # "from 2019 on": 2019 always, later years as asked, earlier years never
    assert due_dates("Trong năm 2019 và các năm tiếp theo", [2018, 2020]) == [D(2019, 12, 31), D(2020, 12, 31)]


def test_years_may_be_any_iterable_and_unsorted():
    assert due_dates("Hằng năm", iter([2021, 2019, 2019])) == [D(2019, 12, 31), D(2021, 12, 31)]


def test_recurring_29_february_is_clamped():
    assert due_dates("trước 29/2 hằng năm", [2019, 2020]) == [D(2019, 2, 28), D(2020, 2, 29)]


def test_invalid_explicit_days_are_ignored():
    assert due_dates("trước 31/6/2019", YEARS) == []


@pytest.mark.parametrize("text,expected", [
    ("Quý I, 6 tháng, Quý III và năm", "Hằng quý: 31/3, 30/6, 30/9, 31/12"),
    ("Trong năm 2019 và các năm tiếp theo", "Hằng năm từ năm 2019: 31/12"),
    ("Trong năm 2019", "Năm 2019: 31/12/2019"),
    ("Quý II/2020", "30/6/2020"),
    ("Trước ngày 15/12/2019", "15/12/2019"),
    ("trước 30/6 hằng năm", "Hằng năm: 30/6"),
    ("Tháng 10 hằng năm", "Hằng năm: 31/10"),
    ("6 tháng đầu năm", "Hằng năm: 30/6"),
    ("Thường xuyên", "Hằng tháng: ngày cuối mỗi tháng"),
    ("Hằng tháng", "Hằng tháng: ngày cuối mỗi tháng"),
    ("Thường xuyên trong năm 2019", "Hằng tháng năm 2019: ngày cuối mỗi tháng"),
    ("Năm 2019-2020", "Các năm 2019–2020: 31/12/2019, 31/12/2020"),
    ("Định kỳ 6 tháng", "Hằng năm: 30/6, 31/12"),
])
def test_describe(text, expected):
    for variant in variants(text):
        assert describe(variant) == expected, variant


def test_due_day_is_configurable(monkeypatch):
    monkeypatch.setattr(deadlines, "PERIOD_DUE_DAY", 15)
    assert due_dates("Quý I, 6 tháng, Quý III và năm", [2019]) == [D(2019, 3, 15), D(2019, 6, 15), D(2019, 9, 15),
                                                                    D(2019, 12, 15)]
    assert describe("Hằng quý") == "Hằng quý: 15/3, 15/6, 15/9, 15/12"
    assert describe("Thường xuyên") == "Hằng tháng: ngày 15 mỗi tháng"
    # explicit days are what the text says
    assert due_dates("Trước ngày 20/12/2019", []) == [D(2019, 12, 20)]
    monkeypatch.setattr(deadlines, "PERIOD_DUE_DAY", 31)
    assert due_dates("Quý II/2020", []) == [D(2020, 6, 30)]  # clamped to the month's length


def test_due_offset_is_configurable(monkeypatch):
    monkeypatch.setattr(deadlines, "PERIOD_DUE_OFFSET_DAYS", 5)
    assert due_dates("Quý I/2019", []) == [D(2019, 4, 5)]
    assert due_dates("Trước ngày 15/12/2019", []) == [D(2019, 12, 15)]


def test_default_due_day_is_period_end():
    assert deadlines.PERIOD_DUE_DAY is None and deadlines.PERIOD_DUE_OFFSET_DAYS == 0
    assert deadlines.DUE_SOON_DAYS == 30


def test_status_of():
    due = D(2019, 6, 30)
    assert status_of(due, D(2019, 7, 1), done=True) == "done"
    assert status_of(due, D(2019, 7, 1), done=False) == "overdue"
    assert status_of(due, due, done=False) == "due_soon"
    assert status_of(due, due - dt.timedelta(days=30), done=False) == "due_soon"
    assert status_of(due, due - dt.timedelta(days=31), done=False) == "upcoming"
    assert set(deadlines.STATUS_LABELS) == {"done", "overdue", "due_soon", "upcoming"}


def test_status_window_is_configurable(monkeypatch):
    monkeypatch.setattr(deadlines, "DUE_SOON_DAYS", 7)
    assert status_of(D(2019, 6, 30), D(2019, 6, 20), done=False) == "upcoming"
    assert status_of(D(2019, 6, 30), D(2019, 6, 23), done=False) == "due_soon"
