"""A task reported done ("Hoàn thành") is done, never "Quá hạn" (issue 14): which deadlines a progress report
settles, and what the deadlines view makes of the sample's reports.

The sample plan's 1.2 ("Quý I, 6 tháng, Quý III và năm": due 31/3, 30/6, 30/9, 31/12) is reported done for June and
for December (data/tien_do_2019_minh_hoa.xlsx); 5.5 is reported "Chưa thực hiện" with 89 % in December.
"""

import datetime as dt

import pytest

from cchc.ingest import load_sample_data
from cchc.read.targets import Target
from cchc.score.deadlines import done_flags, report_done
from cchc.show import views
from cchc.store.database import Store

D = dt.date
QUARTERS = [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]


def test_a_report_settles_its_own_window_and_every_earlier_deadline():
    assert done_flags(QUARTERS, [D(2019, 6, 30)]) == [True, True, False, False]  # 31/3 late but done
    assert done_flags(QUARTERS, [D(2019, 7, 31)]) == [True, True, True, False]  # reported within Q3's window
    assert done_flags(QUARTERS, [D(2019, 3, 31)]) == [True, False, False, False]
    assert done_flags(QUARTERS, [D(2019, 12, 31)]) == [True] * 4
    assert done_flags(QUARTERS, []) == [False] * 4


def test_a_one_off_task_done_early_is_done():
    assert done_flags([D(2019, 12, 31)], [D(2019, 5, 31)]) == [True]
    assert done_flags([D(2019, 12, 31)], []) == [False]


@pytest.mark.parametrize("status, value, target, expected", [
    ("done", None, None, True), ("done", 0.5, Target("criterion_rate", "=", 1.0), True),
    ("in_progress", 1.0, Target("criterion_rate", "=", 1.0), False), ("not_done", None, None, False),
    ("", 1.0, Target("criterion_rate", "=", 1.0), True),  # a value alone: done when it meets the target
    ("", 0.89, Target("criterion_rate", "=", 1.0), False),
    ("", 0.5, None, True),  # a task without a target, reported with a number
    ("", None, None, False), ("", float("nan"), None, False),
])
def test_what_a_report_says(status, value, target, expected):
    assert report_done(status, value, target) is expected


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("deadlines") / "sample.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    yield store
    store.dispose()


def due(sample, month_to: int, code: str) -> list[tuple[str, str]]:
    frame = views.deadlines(sample, views.Filters(2019, 1, month_to))
    rows = frame[frame["code"] == code]
    return [(d.strftime("%d/%m"), s) for d, s in zip(rows["due"], rows["status"])]


def test_done_in_june_is_never_overdue(sample):
    # the whole year, judged on 31/12/2019: June's report settles 31/3 and 30/6, December's 30/9 and 31/12
    assert due(sample, 12, "1.2") == [("31/03", "done"), ("30/06", "done"), ("30/09", "done"), ("31/12", "done")]
    # judged on 31/5: nothing reported yet, so 31/3 is overdue and 30/6 due soon
    assert due(sample, 5, "1.2") == [("31/03", "overdue"), ("30/06", "due_soon"), ("30/09", "upcoming"),
                                     ("31/12", "upcoming")]
    # judged on 31/10: the June report holds, 30/9 has passed with no report since
    assert due(sample, 10, "1.2") == [("31/03", "done"), ("30/06", "done"), ("30/09", "overdue"),
                                      ("31/12", "upcoming")]


def test_a_report_after_the_chosen_period_does_not_count(sample):
    # 1.4.2 (due 31/12) is reported done only for December: in June it is still ahead, not done
    assert due(sample, 6, "1.4.2") == [("31/12", "upcoming")]
    assert due(sample, 12, "1.4.2") == [("31/12", "done")]


def test_not_done_with_a_value_is_not_done(sample):
    assert due(sample, 12, "5.5") == [("31/12", "due_soon")]  # "Chưa thực hiện", 89 %: due that day, not done


def test_an_agencys_deadlines_by_its_criteria(sample):
    both = views.deadlines(sample, views.Filters(2019, 1, 12), None, ("1.2", "5.5"))
    assert sorted(set(both["code"])) == ["1.2", "5.5"]
    table = views.deadlines_table(both)
    assert set(table["Tình trạng"]) == {"✔ Đã hoàn thành", "◐ Sắp đến hạn"}
