"""`python -m cchc check|import` on QĐ 766 score files: the JSON contract ("kind": "index766", "index766": {units,
periods, groups}), exit codes, located errors, and the stored maxima used by check --db and import."""

import json
import os
import subprocess
import sys

from support import ROOT, SheetSpec, book

from cchc.store.database import Store

HEADER = ["STT", "Tên đơn vị", "CKMB", "TDGQ", "Dịch vụ công trực tuyến", "Thanh toán trực tuyến", "MDHL", "MDSH",
          "Tổng điểm"]
DEFAULT = {"ckmb": 18, "tdgq": 20, "dvctt": 12, "tttt": 10, "mdhl": 18, "mdsh": 22}


def cli(*args):
    environment = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=120, check=False)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


def write(tmp_path, name, sheets) -> str:
    path = tmp_path / name
    path.write_bytes(book(*sheets))
    return str(path)


def two_periods(tmp_path) -> str:
    """June 2025 for two units, the second quarter for one: three scores, two periods."""
    june = SheetSpec("T06-2025", [HEADER, [1, "Phòng Tư pháp", 17.5, 19.25, 10, 8.5, 17, 20.5, 92.75],
                                  [2, "UBND xã Ia Tul", 15, 16.5, 9, 7.25, 16, 18.75, 82.5]])
    quarter = SheetSpec("Quý II-2025", [HEADER, [1, "Phòng Tư pháp", 16, 18, 10, 8, 16, 20, 88]])
    return write(tmp_path, "diem_766.xlsx", [june, quarter])


def test_check_json_contract(tmp_path):
    done = cli("check", two_periods(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is True and payload["kind"] == "index766" and payload["errors"] == []
    assert payload["index766"] == {"units": 2, "periods": ["2025-04..2025-06", "2025-06"],
                                   "groups": ["CKMB", "TDGQ", "DVCTT", "TTTT", "MDHL", "MDSH"]}
    text = cli("check", two_periods(tmp_path))
    assert text.returncode == 0
    assert text.stdout.strip().splitlines()[-1] == ("HỢP LỆ. Điểm Bộ chỉ số 766: 2 đơn vị, kỳ 04–06/2025, 06/2025; "
                                                    "nhóm CKMB, TDGQ, DVCTT, TTTT, MDHL, MDSH.")


def test_check_refuses_a_group_above_its_maximum_with_the_place(tmp_path):
    path = write(tmp_path, "loi.xlsx", [SheetSpec("T06-2025", [HEADER[:4] + ["Tổng điểm"],
                                                                [1, "Phòng Tư pháp", 18.5, 20, 38.5]])])
    done = cli("check", path, "--json")
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    assert payload["ok"] is False and payload["kind"] == "index766" and payload["index766"] is None
    assert payload["errors"] == [{"sheet": "T06-2025", "row": 2, "column": "CKMB",
                                  "message": "Điểm nhóm “Công khai, minh bạch” là 18,5, vượt điểm tối đa 18 của nhóm."}]
    text = cli("check", path)
    assert text.stdout.splitlines() == [
        ("LỖI  sheet “T06-2025”, dòng 2, cột “CKMB”: Điểm nhóm “Công khai, minh bạch” là 18,5, vượt điểm tối đa 18 "
         "của nhóm."), "BỊ TỪ CHỐI: 1 lỗi. Không có gì được lưu."]


def test_import_then_again_and_the_stored_maxima_decide(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    path = two_periods(tmp_path)
    done = cli("import", path, "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["kind"] == "index766" and payload["import_id"] == 1
    assert payload["added"] == [["Phòng Tư pháp", "2025-04..2025-06"], ["Phòng Tư pháp", "2025-06"],
                                ["UBND xã Ia Tul", "2025-06"]] and payload["replaced"] == []
    again = cli("import", path, "--db", url)
    assert again.returncode == 0
    assert again.stdout.strip().splitlines()[-1] == "Thêm 0 đơn vị-kỳ, thay thế 3 đơn vị-kỳ."

    store = Store(url)
    assert store.index766_scores(units=["UBND xã Ia Tul"])["total"].tolist() == [82.5]
    store.set_index766_maxima({**DEFAULT, "ckmb": 17}, user="quantri")
    store.dispose()
    checked = cli("check", path, "--db", url, "--json")  # against the stored maxima: 17,5 is above 17
    assert checked.returncode == 1
    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in json.loads(checked.stdout)["errors"]] == [
        ("T06-2025", 2, "CKMB", "Điểm nhóm “Công khai, minh bạch” là 17,5, vượt điểm tối đa 17 của nhóm.")]
    assert cli("check", path, "--json").returncode == 0  # without a database: the default maxima
    refused = cli("import", path, "--db", url, "--json")
    assert refused.returncode == 1 and json.loads(refused.stdout)["ok"] is False
    store = Store(url)
    assert store.import_count() == 3  # two imports and the maxima: the refused import stored nothing
    store.dispose()
