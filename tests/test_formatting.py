"""Vietnamese number, percent and month formats (cchc.formatting), as the pages, reports and CLI print them."""

import pytest

from cchc import formatting as fmt


@pytest.mark.parametrize("value,decimals,trim,expected", [
    (1234.5, 1, False, "1.234,5"),
    (1234567, 0, False, "1.234.567"),
    (19.25, 2, True, "19,25"),
    (55.0, 2, True, "55"),
    (0.5, 2, True, "0,5"),
    (-3.75, 2, False, "-3,75"),
])
def test_numbers_use_a_dot_for_thousands_and_a_comma_for_decimals(value, decimals, trim, expected):
    assert fmt.number(value, decimals, trim=trim) == expected


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_a_missing_number_or_percent_is_a_dash_not_zero(missing):
    assert fmt.number(missing) == "–"
    assert fmt.points(missing) == "–"
    assert fmt.percent(missing) == "–"
    assert fmt.number(missing, empty="") == ""


def test_percent_and_points():
    assert fmt.percent(0.952) == "95,2%"
    assert fmt.percent(1.0) == "100,0%"
    assert fmt.percent(0.12345, decimals=2) == "12,35%"
    assert fmt.points(35.75) == "35,75"


@pytest.mark.parametrize("period,expected", [("2019-01", "01/2019"), ("2019-12", "12/2019"), ("", ""),
                                             (None, ""), ("2019", "2019")])
def test_period_labels_read_month_first(period, expected):
    """A short or missing period is shown as it is (an empty cell stays empty), never cut into a wrong month."""
    assert fmt.period_label(period) == expected


def test_period_ranges():
    assert fmt.period_range_label(None, None) == "chưa có dữ liệu"
    assert fmt.period_range_label("2019-06", "2019-06") == "tháng 06/2019"
    assert fmt.period_range_label("2019-01", "2019-06") == "01/2019 – 06/2019"
