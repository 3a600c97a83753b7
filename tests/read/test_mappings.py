"""Where detection is not sure, the user maps the columns once: a saved mapping is applied by itself to the next
file of the same layout (and said so), or by name; it is stored, versioned and rolled back like targets."""

from __future__ import annotations

import json

import pytest
from support import SheetSpec, book

from cchc.ingest import check_file
from cchc.show.views import mapping_frame, mapping_from_editor
from cchc.store.database import Store

HEADER = ["Đơn vị", "Số đầu kỳ", "Tiếp nhận trong kỳ", "Đã giải quyết", "Đúng hạn", "Quá hạn"]


def month_file(month: int, rows=(("Phòng Tư pháp", 5, 25, 20, 18, 2),), header=HEADER) -> bytes:
    return book(SheetSpec(f"T{month:02d}-2019", [list(header), *map(list, rows)]))


def test_an_unknown_column_is_named_and_the_total_cannot_be_made():
    result = check_file(month_file(1), "t01.xlsx")
    assert not result.ok
    assert [e.message for e in result.findings.errors] == [
        "Thiếu cột “Tổng số” (Số hồ sơ nhận giải quyết). Trong tệp mẫu, cột này tên là “Tổng số hồ sơ tiếp nhận”."]
    assert [(c["column"], c["header"], c["field"]) for c in result.stats.columns] == [
        ("A", "Đơn vị", "unit"), ("B", "Số đầu kỳ", ""), ("C", "Tiếp nhận trong kỳ", "received_new"),
        ("D", "Đã giải quyết", "resolved_total"), ("E", "Đúng hạn", "resolved_on_time"),
        ("F", "Quá hạn", "resolved_late")]


def test_the_mapping_table_speaks_vietnamese_and_round_trips():
    columns = check_file(month_file(1), "t01.xlsx").stats.columns
    frame = mapping_frame(columns)
    assert frame.to_dict("records")[:3] == [
        {"Cột": "A", "Tiêu đề trong tệp": "Đơn vị", "Đọc là": "Tên đơn vị"},
        {"Cột": "B", "Tiêu đề trong tệp": "Số đầu kỳ", "Đọc là": "— Không đọc —"},
        {"Cột": "C", "Tiêu đề trong tệp": "Tiếp nhận trong kỳ",
         "Đọc là": "Số hồ sơ mới tiếp nhận trong kỳ (chưa gồm kỳ trước)"}]
    frame.loc[1, "Đọc là"] = "Từ kỳ trước"
    assert mapping_from_editor(frame) == {"Đơn vị": "unit", "Số đầu kỳ": "received_carried",
                                          "Tiếp nhận trong kỳ": "received_new", "Đã giải quyết": "resolved_total",
                                          "Đúng hạn": "resolved_on_time", "Quá hạn": "resolved_late"}


@pytest.fixture
def saved(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'map.sqlite'}")
    first = check_file(month_file(1), "t01.xlsx")
    store.save_mapping("Cổng DVC tỉnh", first.stats.signature, {"Số đầu kỳ": "received_carried"}, user="nv")
    return store


def test_a_saved_mapping_reads_next_months_file_of_the_same_layout_by_itself(saved):
    result = check_file(month_file(2, rows=[("Phòng Tư pháp", 3, 12, 10, 9, 1)]), "t02.xlsx",
                        mappings=saved.saved_mappings())
    assert result.ok, result.findings.errors
    row = result.stats.records.iloc[0]
    assert (row["period"], row["received_carried"], row["received_total"]) == ("2019-02", 3, 3 + 12)
    warnings = [w.message for w in result.findings.warnings]
    assert warnings[0] == "Đã đọc 1 cột theo cách đọc đã lưu “Cổng DVC tỉnh” (tệp cùng mẫu với tệp đã lưu cách đọc)."
    assert result.stats.mapping_used == "Cổng DVC tỉnh"
    mapping = result.as_dict()["mapping"]
    assert {"sheet": "T02-2019", "column": "B", "header": "Số đầu kỳ", "field": "received_carried"} in mapping
    assert result.as_dict()["derived"] == ["received_total"]


def test_a_saved_mapping_leaves_another_layout_alone(saved):
    other = HEADER[:5] + ["Trễ hạn"]  # another system's layout: another signature
    result = check_file(month_file(2, header=other), "t02.xlsx", mappings=saved.saved_mappings())
    assert not result.ok  # still no total to read: the mapping was not applied to a layout it was not made for
    assert result.stats.mapping_used == ""


def test_a_mapping_named_by_the_user_applies_whatever_the_layout(saved):
    other = HEADER[:5] + ["Trễ hạn"]
    mapping = saved.saved_mappings()[0]
    result = check_file(month_file(2, header=other), "t02.xlsx", forced_mapping=mapping)
    assert result.ok, result.findings.errors
    assert result.findings.warnings[0].message == "Đã đọc 1 cột theo cách đọc đã lưu “Cổng DVC tỉnh”."


def test_mappings_are_versioned_and_rolled_back_like_targets(saved):
    signature = saved.saved_mappings()[0]["signature"]
    first_entry = saved.import_history()["id"].max()
    saved.save_mapping("Cổng DVC tỉnh", signature, {"Số đầu kỳ": ""}, user="nv")  # a second version: not read
    assert saved.saved_mappings() == [{"name": "Cổng DVC tỉnh", "signature": signature,
                                       "columns": {"Số đầu kỳ": ""}}]
    history = saved.import_history()
    assert history.iloc[0]["kind"] == "mapping"
    saved.rollback_to(int(first_entry))
    assert saved.saved_mappings()[0]["columns"] == {"Số đầu kỳ": "received_carried"}


def test_the_cli_takes_a_mapping_by_name(saved, tmp_path):
    import subprocess
    import sys

    from support import ROOT

    path = tmp_path / "t03.xlsx"
    path.write_bytes(month_file(3, header=HEADER[:5] + ["Trễ hạn"]))
    url = str(saved.engine.url)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)

    done = cli("check", str(path), "--db", url, "--mapping", "Cổng DVC tỉnh", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    payload = json.loads(done.stdout)
    assert payload["stats"]["periods"] == ["2019-03"]
    assert {"sheet": "T03-2019", "column": "B", "header": "Số đầu kỳ", "field": "received_carried"} in \
        payload["mapping"]
    unknown = cli("check", str(path), "--db", url, "--mapping", "Không có")
    assert unknown.returncode == 2
    assert "Không có cách đọc cột tên “Không có” trong cơ sở dữ liệu (“Cổng DVC tỉnh”)." in unknown.stderr
    imported = cli("import", str(path), "--db", url, "--mapping", "Cổng DVC tỉnh", "--json")
    assert imported.returncode == 0 and json.loads(imported.stdout)["added"] == [["Phòng Tư pháp", "2019-03"]]
