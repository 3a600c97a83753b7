"""The weekly digest (cchc/show/digest.py) on the sample: Ia Pa's Kế hoạch 75 and the illustrative 2019 statistics.

Expected figures are worked out by hand from the sample's counts, summed here with pandas over the stored rows
(Store.stats_records), not through the code under test:
- 01–12/2019, on time: (early + on time) / resolved = 8.668 / 8.960 = 96,74% → "96,7%", ≥ 90% of 100%: Gần đạt;
  online level 3: 1.154 / 9.007 new dossiers = 12,81% → "12,8%", under 90% of 20%: Chưa đạt.
- 12/2019 against 11/2019, on time: 785 / 803 = 97,76% against 770 / 789 = 97,59%: ▲ 0,17 → "▲ 0,2 điểm %"; BCCI
  intake: 86 / (965 − 156) = 10,63% against 94 / (945 − 143) = 11,72%: ▼ 1,09 → "▼ 1,1 điểm %".
- Task 1.2 ("Quý I, 6 tháng, Quý III và năm", led by Phòng Nội vụ and Phòng Tư pháp) is due 30/09/2019; the sample
  reports it done for the half year only, so on 31/10/2019 it is 31 days overdue; on 31/08/2019 it is 30 days away,
  outside the digest's 14 days.
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest

from cchc.ingest import load_sample_data
from cchc.show import digest
from cchc.store.database import Store

MADE = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("digest") / "sample.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    store.dispose()
    return path


@pytest.fixture(scope="module")
def sample(sample_file):
    store = Store(f"sqlite:///{sample_file}")
    yield store
    store.dispose()


@pytest.fixture
def sample_copy(sample_file, tmp_path):
    """A store of its own, for tests that add data."""
    path = tmp_path / "copy.sqlite"
    shutil.copy(sample_file, path)
    store = Store(f"sqlite:///{path}")
    yield store
    store.dispose()


def lines(text: str) -> list[str]:
    return text.splitlines()


def sums(store: Store, start: str, end: str, by_unit: bool = False) -> pd.DataFrame | pd.Series:
    rows = store.stats_records(start, end)
    return rows.groupby("unit").sum(numeric_only=True) if by_unit else rows.sum(numeric_only=True)


def test_the_sample_counts_behind_the_expected_figures(sample):
    """The hand-worked figures of the module docstring, from the stored rows."""
    year = sums(sample, "2019-01", "2019-12")
    assert (year.resolved_early + year.resolved_on_time, year.resolved_total) == (8668, 8960)
    assert (year.received_online_l3, year.received_total - year.received_carried) == (1154, 9007)
    dec, nov = sums(sample, "2019-12", "2019-12"), sums(sample, "2019-11", "2019-11")
    assert (dec.resolved_early + dec.resolved_on_time, dec.resolved_total) == (785, 803)
    assert (nov.resolved_early + nov.resolved_on_time, nov.resolved_total) == (770, 789)
    assert (dec.received_bcci, dec.received_total, dec.received_carried) == (86, 965, 156)
    assert (nov.received_bcci, nov.received_total, nov.received_carried) == (94, 945, 143)


def test_without_a_period_the_digest_is_about_the_latest_month_with_data(sample):
    made = digest.build_digest(sample, made=MADE)
    assert made.period == "2019-12"
    text = lines(digest.digest_text(made))
    assert text[:3] == ["BẢN TIN CẢI CÁCH HÀNH CHÍNH – UBND huyện Ia Pa",
                        "Số liệu đến hết tháng 12/2019 · lập ngày 02/12/2026",
                        "(Dữ liệu minh họa: số liệu mẫu đi kèm phần mềm, không phải số liệu thật.)"]


def test_where_the_organisation_stands_year_to_date(sample):
    text = lines(digest.digest_text(digest.build_digest(sample, "2019-12", made=MADE)))
    assert "1. TÌNH HÌNH CHUNG (01/2019 – 12/2019)" in text
    assert "Điểm bị mất năm 2018: 19,25 điểm" in text  # Kế hoạch 75: 55 − 35,75
    assert "- Tỷ lệ giải quyết đúng hạn (3.4): 96,7%, chỉ tiêu 100%: ◐ Gần đạt" in text
    assert "- Tỷ lệ hồ sơ trực tuyến mức độ 3 (7.2.2): 12,8%, chỉ tiêu ≥ 20%: ✖ Chưa đạt" in text
    assert "Chỉ số 766: chưa nhập điểm." in text  # no score imported: said in one line, never a made-up one
    recovered = next(line for line in text if line.startswith("Dự kiến khôi phục:"))
    projected = next(line for line in text if line.startswith("Điểm dự kiến:"))
    # the recovered points are added to the 35,75 appraised: both lines tell the same story
    assert recovered == "Dự kiến khôi phục: 8 / 19,25 điểm" and projected == "Điểm dự kiến: 43,75 / 55 điểm"


def test_what_changed_against_the_previous_month(sample):
    text = lines(digest.digest_text(digest.build_digest(sample, "2019-12", made=MADE)))
    assert "2. THAY ĐỔI SO VỚI THÁNG TRƯỚC (12/2019 so với 11/2019)" in text
    assert "- Tỷ lệ giải quyết đúng hạn: 97,8% ▲ 0,2 điểm %" in text
    assert "- Tỷ lệ hồ sơ tiếp nhận qua BCCI: 10,6% ▼ 1,1 điểm %" in text
    january = lines(digest.digest_text(digest.build_digest(sample, "2019-01", made=MADE)))
    at = january.index("2. THAY ĐỔI SO VỚI THÁNG TRƯỚC (01/2019 so với 12/2018)")
    assert january[at + 1] == "Chưa so sánh được: tháng 12/2018 chưa đủ số liệu."  # 2018 has no data: no 0 made up


def test_the_units_below_the_on_time_target(sample):
    made = digest.build_digest(sample, "2019-12", made=MADE)
    units = sums(sample, "2019-01", "2019-12", by_unit=True)
    on_time = (units.resolved_early + units.resolved_on_time) / units.resolved_total.replace(0, np.nan)
    expected = on_time[on_time < 1].sort_values()
    below = [b for b in made.below if b.indicator == "on_time_rate"]
    assert [b.unit for b in below] == list(expected.index)
    assert [b.value for b in below] == pytest.approx(list(expected))
    assert {b.target for b in below} == {1.0}
    text = lines(digest.digest_text(made))
    at = text.index(f"Tỷ lệ giải quyết đúng hạn (chỉ tiêu 100%): {len(expected)} đơn vị")
    worst = expected.index[0]
    assert text[at + 1] == f"- {worst}: {expected.iloc[0] * 100:.1f}%".replace(".", ",")
    assert worst == "Chi nhánh Văn phòng đăng ký đất đai" and text[at + 1].endswith(": 89,9%")
    assert text[at + 6] == f"- … và {len(expected) - 5} đơn vị khác"  # five named, the rest counted


def test_overdue_deadlines_grouped_by_agency(sample):
    made = digest.build_digest(sample, "2019-10", made=MADE)
    assert [d.as_json() for d in made.deadlines] == [
        {"code": "1.2", "task": "Thực hiện chế độ báo cáo định kỳ", "agency": agency, "due": "2019-09-30",
         "status": "overdue", "days": -31} for agency in ("Phòng Nội vụ", "Phòng Tư pháp")]
    text = digest.digest_text(made)
    assert text.endswith("4. THỜI HẠN (quá hạn và 14 ngày tới, tính đến 31/10/2019)\n"
                         "Phòng Nội vụ:\n"
                         "- 1.2 Thực hiện chế độ báo cáo định kỳ: ✖ quá hạn 31 ngày (hạn 30/09/2019)\n"
                         "Phòng Tư pháp:\n"
                         "- 1.2 Thực hiện chế độ báo cáo định kỳ: ✖ quá hạn 31 ngày (hạn 30/09/2019)\n")


def test_only_the_next_fourteen_days_are_due(sample):
    august = digest.build_digest(sample, "2019-08", made=MADE)  # 30/09 is 30 days after 31/08
    assert august.deadlines == []
    assert digest.digest_text(august).endswith("Không có việc quá hạn hay đến hạn trong 14 ngày tới.\n")
    september = digest.build_digest(sample, "2019-09", made=MADE)
    assert [(d.agency, d.status, d.days) for d in september.deadlines] == [
        ("Phòng Nội vụ", "due_soon", 0), ("Phòng Tư pháp", "due_soon", 0)]
    assert "- 1.2 Thực hiện chế độ báo cáo định kỳ: ◐ đến hạn hôm nay (30/09/2019)" in digest.digest_text(september)


def _scores(rows: list[tuple[str, str, float, float | None]]) -> pd.DataFrame:
    """QĐ 766 records as cchc.read.index766 gives them: (unit, period, total, rank); the total all in one group."""
    records = []
    for number, (unit, period, total, rank) in enumerate(rows, start=2):
        first, _, last = period.partition("..")
        records.append({"unit": unit, "level": "xã" if unit.startswith("UBND xã") else "huyện",
                        "year": int(first[:4]), "month": int(first[5:]), "end_month": int((last or first)[5:]),
                        "period": period, "ckmb": 0.0, "tdgq": total, "dvctt": 0.0, "tttt": 0.0, "mdhl": 0.0,
                        "mdsh": 0.0, "total": total, "rank": np.nan if rank is None else rank,
                        "sheet": "Điểm", "row": number})
    return pd.DataFrame(records)


SCORES = [("UBND huyện Ia Pa", "2019-12", 85.5, 3), ("UBND xã Ia Tul", "2019-12", 75.25, None),
          ("UBND xã Pờ Tó", "2019-12", 88.0, None), ("UBND xã Kim Tân", "2019-12", 92.0, None),
          ("UBND huyện Ia Pa", "2019-10..2019-12", 70.0, 9)]  # the quarter: not the latest figure


def test_the_766_total_rank_and_the_units_below_80_and_90(sample_copy):
    sample_copy.import_index766(_scores(SCORES), b"", "chi_so_766.xlsx")
    made = digest.build_digest(sample_copy, "2019-12", made=MADE)
    text = lines(digest.digest_text(made))
    assert "Chỉ số 766 (12/2019): 85,5 điểm, hạng 3" in text
    assert [b.as_json() for b in made.below if b.indicator == "index766_total"] == [
        {"unit": "UBND xã Ia Tul", "indicator": "index766_total", "value": 75.25, "target": 80.0},
        {"unit": "UBND xã Pờ Tó", "indicator": "index766_total", "value": 88.0, "target": 90.0}]
    at = text.index("Chỉ số 766, dưới 80 điểm: 1 đơn vị")
    assert text[at:at + 4] == ["Chỉ số 766, dưới 80 điểm: 1 đơn vị", "- UBND xã Ia Tul: 75,25 điểm",
                               "Chỉ số 766, dưới 90 điểm: 1 đơn vị", "- UBND xã Pờ Tó: 88 điểm"]
    assert "3. ĐƠN VỊ CHƯA ĐẠT (01/2019 – 12/2019; Chỉ số 766: 12/2019)" in text


def test_stored_766_thresholds_replace_80_and_90(sample_copy):
    sample_copy.import_index766(_scores(SCORES), b"", "chi_so_766.xlsx")
    sample_copy.set_index766_thresholds(70, 95, user="quantri")
    made = digest.build_digest(sample_copy, "2019-12", made=MADE)
    assert [(b.unit, b.target) for b in made.below if b.indicator == "index766_total"] == [
        ("UBND xã Ia Tul", 95.0), ("UBND xã Pờ Tó", 95.0), ("UBND xã Kim Tân", 95.0)]


def test_an_agency_heads_part_holds_its_criteria_unit_and_deadlines(sample):
    made = digest.build_digest(sample, "2019-12", made=MADE)
    text = lines(digest.agency_text(made, "Phòng Nội vụ"))
    assert text[0] == "BẢN TIN CẢI CÁCH HÀNH CHÍNH – Phòng Nội vụ"
    # the six criteria Phòng Nội vụ leads in Kế hoạch 75; 5.5 reported 89% in 12/2019 against 100%
    criteria = text[text.index("1. TIÊU CHÍ DO PHÒNG NỘI VỤ CHỦ TRÌ (01/2019 – 12/2019)") + 1:
                    text.index("2. SỐ LIỆU CỦA ĐƠN VỊ CHƯA ĐẠT") - 1]
    assert [line.split(" ")[1] for line in criteria] == ["1.2", "1.4.2", "5.1.2", "5.2", "5.5", "5.6.1"]
    assert "- 5.5 Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng CBCCVC: ✖ Chưa đạt (89,0%, chỉ tiêu 100%)" in text
    own = sums(sample, "2019-01", "2019-12", by_unit=True).loc["Phòng Nội vụ"]
    assert (own.received_online_l4, own.received_online_l3) == (0, 3)  # 0 of 21 new dossiers at level 4
    assert "- Phòng Nội vụ: 0,0%" in text and "- Phòng Nội vụ: 14,3%" in text  # level 4, level 3 (3 / 21)
    deadlines = text[text.index("3. THỜI HẠN (quá hạn và 14 ngày tới, tính đến 31/12/2019)") + 1:]
    assert [line.split(" ")[1] for line in deadlines] == ["5.5", "5.6.1"]  # not 3.1.3 (Tài nguyên và Môi trường)


def test_an_empty_store_has_no_digest_unless_a_month_is_asked_for(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert digest.build_digest(store) is None
    made = digest.build_digest(store, "2025-06", made=MADE)
    text = lines(digest.digest_text(made))
    assert "Chưa có kế hoạch nâng cao Chỉ số CCHC." in text
    assert "Chưa có số liệu thống kê TTHC 01/2025 – 06/2025." in text
    assert "Chỉ số 766: chưa nhập điểm." in text
    assert made.as_json()["below_thresholds"] == [] and made.as_json()["deadlines"] == []
    assert not any(ch.isdigit() and "%" in line for line in text for ch in line)  # no rate anywhere
    store.dispose()
