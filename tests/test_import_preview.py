"""What the Dữ liệu page tells a user before they confirm an upload (cchc.ingest.preview_import): which plan year,
progress reports and procedure counts a file would add and which it would replace; and that a refused file is
never stored, whichever way it is handed over."""

from __future__ import annotations

import pytest
from support import DATA, plan_bytes

from cchc.ingest import (
    MACHINE_ADMIN,
    check_file,
    import_file,
    preview_import,
    store_checked,
)

# The illustrative progress reports: 17 criteria, each reported for Quý II and Quý IV 2019 (tests/test_sample.py)
REPORTED = ["1.2", "1.4.2", "3.1.1", "3.1.2", "3.1.3", "5.1.2", "5.2", "5.5", "5.6.1", "6.1.1", "6.1.2", "6.4",
            "6.8.1", "6.8.2", "6.8.4", "7.1.1", "7.4.4"]
PROGRESS_KEYS = sorted((code, period) for code in REPORTED for period in ("2019-06", "2019-12"))


def _checked(store, name: str):
    data = (DATA / name).read_bytes()
    result = check_file(data, name, plan=store.current_plan())
    assert result.ok, result.findings.errors
    return result, data


def test_a_plan_says_whether_it_replaces_that_years_plan(store):
    result, data = _checked(store, "ke_hoach_75_2019.xlsx")
    assert preview_import(store, result) == {"plan_year": 2019, "replaces_plan": False}
    store_checked(store, result, data, "ke_hoach_75_2019.xlsx", user="nv", account=MACHINE_ADMIN)
    assert preview_import(store, result) == {"plan_year": 2019, "replaces_plan": True}


def test_progress_reports_added_then_replaced(store):
    plan, data = _checked(store, "ke_hoach_75_2019.xlsx")
    store_checked(store, plan, data, "ke_hoach_75_2019.xlsx", user="nv", account=MACHINE_ADMIN)
    result, data = _checked(store, "tien_do_2019_minh_hoa.xlsx")
    assert preview_import(store, result) == {"added": PROGRESS_KEYS, "replaced": []}
    store_checked(store, result, data, "tien_do_2019_minh_hoa.xlsx", user="nv", account=MACHINE_ADMIN)
    assert preview_import(store, result) == {"added": [], "replaced": PROGRESS_KEYS}


def test_procedure_counts_added_then_replaced(store):
    result, data = _checked(store, "thu_tuc_2019_minh_hoa.xlsx")
    preview = preview_import(store, result)
    assert preview["replaced"] == [] and len(preview["added"]) == 20  # the sample's 20 units, for 2019
    assert {year for _, year in preview["added"]} == {"2019"}
    assert ("UBND xã Ia Tul", "2019") in preview["added"]
    store_checked(store, result, data, "thu_tuc_2019_minh_hoa.xlsx", user="nv", account=MACHINE_ADMIN)
    again = preview_import(store, result)
    assert again["added"] == [] and again["replaced"] == preview["added"]


def test_a_refused_file_is_never_stored(store):
    bad = plan_bytes([["3", "CẢI CÁCH TTHC", 2, 3, -1]])  # appraised 3 of 2 points: refused
    result, outcome = import_file(store, bad, "ke_hoach_loi.xlsx", user="nv", account=MACHINE_ADMIN)
    assert outcome is None and not result.ok and result.findings.errors
    assert preview_import(store, result) == {}  # nothing to preview either
    with pytest.raises(ValueError, match="refused file cannot be stored"):
        store_checked(store, result, bad, "ke_hoach_loi.xlsx", user="nv", account=MACHINE_ADMIN)
    assert store.import_count() == 0
