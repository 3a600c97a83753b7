"""The command line: exit codes, JSON contracts, and no traceback on any input."""

import json
import os
import subprocess
import sys

import pytest
from support import ROOT, plan_bytes, sample_plan_bytes

from cchc.fields import STATS_FIELDS
from cchc.sample import (
    SAMPLE_STATS_FILE,
    SAMPLE_STATS_TEMPLATE_LAYOUT_FILE,
    build_template_workbook,
    sample_stats_table,
)

FINDING_KEYS = {"sheet", "row", "column", "message"}


def cli(*args, env=None):
    environment = {**os.environ, **(env or {})}
    environment.pop("CCHC_DATABASE_URL", None)
    if env and "CCHC_DATABASE_URL" in env:
        environment["CCHC_DATABASE_URL"] = env["CCHC_DATABASE_URL"]
    done = subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=120)
    # cchc.cli.run turns any exception into one Vietnamese line; test_an_unexpected_error_* shows this can fail
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


CORRUPT = "Tệp bị hỏng hoặc chưa tải lên trọn vẹn (thiếu phần cuối của tệp nén). Hãy mở tệp bằng Excel, lưu lại rồi " \
          "tải lên lần nữa."
REFUSED_ONE = "BỊ TỪ CHỐI: 1 lỗi. Không có gì được lưu."


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "ke_hoach.xlsx"
    plan.write_bytes(sample_plan_bytes())
    bad_plan = tmp_path / "ke_hoach_loi.xlsx"
    rows = [["3", "CẢI CÁCH TTHC", 2, 3, -1]]
    bad_plan.write_bytes(plan_bytes(rows))
    csv = tmp_path / "thong_ke.xlsx"
    csv.write_text("Đơn vị,Tháng\nXã A,1\n", encoding="utf-8")
    return {"plan": plan, "bad_plan": bad_plan, "csv": csv}


def test_check_plan_json_contract(files):
    done = cli("check", str(files["plan"]), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is True and payload["kind"] == "plan" and payload["errors"] == []
    plan = payload["plan"]
    assert plan["criteria"] == 27
    assert plan["total"] == {"standard": 55.0, "appraised": 35.75, "lost": 19.25}
    assert [d["code"] for d in plan["domains"]] == ["1", "3", "5", "6", "7"]
    assert set(plan["domains"][0]) >= {"code", "name", "standard", "appraised", "lost"}
    item = next(c for c in plan["criteria_list"] if c["code"] == "7.2.2")
    assert item["target"] == {"metric": "online_l3_share", "op": ">=", "value": 0.2}
    assert item["domain"] == "7" and item["lead"] == ["Phòng Văn hóa-Thông tin"]
    assert next(c for c in plan["criteria_list"] if c["code"] == "6.4")["target"] is None
    assert "stats" not in payload


def test_check_stats_json_contract_both_layouts():
    for path in (SAMPLE_STATS_FILE, SAMPLE_STATS_TEMPLATE_LAYOUT_FILE):
        done = cli("check", str(path), "--json")
        assert done.returncode == 0, done.stdout
        payload = json.loads(done.stdout)
        assert payload["kind"] == "stats" and payload["ok"] is True and "plan" not in payload
        stats = payload["stats"]
        assert stats["units"] == 20
        assert stats["periods"] == [f"2019-{m:02d}" for m in range(1, 13)]
        assert set(stats["totals"]) == set(STATS_FIELDS)
        table = sample_stats_table()
        assert stats["totals"] == {f: int(table[f].sum()) for f in STATS_FIELDS}


def test_refused_file_exits_1_with_located_errors(files, tmp_path):
    done = cli("check", str(files["bad_plan"]), "--json")
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    assert payload["ok"] is False and payload["errors"]
    assert all(set(e) == FINDING_KEYS for e in payload["errors"] + payload["warnings"])
    db = tmp_path / "x.sqlite"
    done = cli("import", str(files["bad_plan"]), "--db", f"sqlite:///{db}")
    assert done.returncode == 1 and "BỊ TỪ CHỐI" in done.stdout
    summary = json.loads(cli("summary", "--db", f"sqlite:///{db}", "--json").stdout)
    assert summary == {"plan": None, "stats": {"units": 0, "periods": [], "totals": {f: 0 for f in STATS_FIELDS}},
                       "imports": 0}


def test_renamed_csv_and_random_bytes_are_refused_without_traceback(files, tmp_path):
    done = cli("check", str(files["csv"]), "--json")
    assert done.returncode == 1 and done.stderr == ""
    errors = json.loads(done.stdout)["errors"]
    assert len(errors) == 1 and errors[0]["message"] == (
        "Không đọc được tệp: đây không phải là tệp Excel (.xlsx, .xls) hay .ods. Tệp này có vẻ là tệp văn bản/CSV "
        "được đổi đuôi. Hãy mở tệp bằng Excel rồi lưu lại dạng .xlsx và tải lên tệp mới.")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    done = cli("check", str(junk))
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines() == [f"LỖI  {CORRUPT}", REFUSED_ONE]
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(SAMPLE_STATS_FILE.read_bytes()[:5000])
    done = cli("check", str(truncated), "--json")
    assert done.returncode == 1 and done.stderr == ""
    payload = json.loads(done.stdout)
    assert payload["ok"] is False and [e["message"] for e in payload["errors"]] == [CORRUPT]


def test_usage_errors_exit_2():
    done = cli()
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == "Lỗi cú pháp lệnh: the following arguments are required: command"
    done = cli("frobnicate")
    assert done.returncode == 2 and "Lỗi cú pháp lệnh: argument command: invalid choice: 'frobnicate'" in done.stderr
    done = cli("check")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["usage: python -m cchc check [-h] [--json] [--db DB] [--period YYYY-MM]",
                                        "                            [--mapping NAME]",
                                        "                            file",
                                        "Lỗi cú pháp lệnh: the following arguments are required: file"]
    done = cli("check", "/no/such/file.xlsx")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "Không tìm thấy tệp: /no/such/file.xlsx\n")


def test_an_unexpected_error_is_one_vietnamese_line_and_exit_3(tmp_path):
    """Something the CLI does not expect (here: a database URL no driver understands, a database file under a
    plain file) ends with exit 3 and one line naming the error; never a Python traceback."""
    done = cli("summary", "--db", "khongco://may-chu/cchc")
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr == "Lỗi không mong đợi: NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:khongco\n"
    plain = tmp_path / "tep_thuong"
    plain.write_text("x")
    done = cli("summary", "--db", f"sqlite:///{plain / 'cchc.sqlite'}")
    assert done.returncode == 3 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("Lỗi không mong đợi: FileExistsError: ") or \
        done.stderr.startswith("Lỗi không mong đợi: NotADirectoryError: "), done.stderr
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream and 'File "' not in stream


def test_import_then_summary_and_reimport_replaces(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = cli("import", str(files["plan"]), "--db", url, "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["import_id"] == 1
    table = sample_stats_table()
    first = tmp_path / "q1.xlsx"
    first.write_bytes(build_template_workbook(table[table["month"] <= 3]))
    payload = json.loads(cli("import", str(first), "--db", url, "--json").stdout)
    assert payload["ok"] and len(payload["added"]) == 60 and payload["replaced"] == []
    again = tmp_path / "q1_sua.xlsx"
    again.write_bytes(build_template_workbook(table[table["month"] <= 3]))
    payload = json.loads(cli("import", str(again), "--db", url, "--json").stdout)
    assert len(payload["replaced"]) == 60 and payload["added"] == []
    summary = json.loads(cli("summary", "--db", url, "--json").stdout)
    assert summary["imports"] == 3
    assert summary["plan"]["total"]["lost"] == 19.25
    assert summary["stats"]["periods"] == ["2019-01", "2019-02", "2019-03"]
    q1 = table[table["month"] <= 3]
    assert summary["stats"]["totals"]["received_total"] == int(q1["received_total"].sum())  # never counted twice


def test_import_uses_database_url_from_environment(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert cli("import", str(files["plan"]), env={"CCHC_DATABASE_URL": url}).returncode == 0
    summary = json.loads(cli("summary", "--json", env={"CCHC_DATABASE_URL": url}).stdout)
    assert summary["imports"] == 1 and summary["stats"]["units"] == 0  # a named database starts empty


def test_human_output_is_vietnamese(files):
    done = cli("check", str(files["plan"]))
    assert done.returncode == 0 and "HỢP LỆ" in done.stdout and "19,25" in done.stdout
    # Kế hoạch 75: 27 tiêu chí in 5 lĩnh vực; 55 standard points, 35,75 appraised in 2018, 19,25 lost
    assert done.stdout.splitlines()[-1] == ("HỢP LỆ. Kế hoạch năm 2019: 27 tiêu chí, 5 lĩnh vực; điểm chuẩn 55, "
                                            "thẩm định 35,75, bị mất 19,25.")


def test_period_names_the_month_of_a_file_that_states_none(tmp_path):
    from support import SheetSpec, book

    path = tmp_path / "export.xlsx"
    path.write_bytes(book(SheetSpec("Sheet1", [["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết",
                                                 "Giải quyết đúng hạn", "Giải quyết quá hạn"],
                                                ["Phòng Tư pháp", 12, 10, 9, 1]])))
    refused = cli("check", str(path), "--json")
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["ok"] is False
    named = cli("check", str(path), "--json", "--period", "2019-03")
    assert named.returncode == 0, named.stdout
    assert json.loads(named.stdout)["stats"]["periods"] == ["2019-03"]
    db = f"sqlite:///{tmp_path / 'p.sqlite'}"
    imported = cli("import", str(path), "--db", db, "--period", "2019-03", "--json")
    assert imported.returncode == 0 and json.loads(imported.stdout)["added"] == [["Phòng Tư pháp", "2019-03"]]
    same_month = cli("check", str(path), "--period", "2019-03..2019-03", "--json")
    assert same_month.returncode == 0
    quarter = cli("check", str(path), "--period", "2019-01..2019-03", "--json")
    assert quarter.returncode == 0, quarter.stdout
    assert json.loads(quarter.stdout)["stats"]["periods"] == ["2019-01..2019-03"]
    assert "Tệp không ghi kỳ báo cáo; dùng kỳ người nhập đã chọn: tháng 01–03/2019." in \
        [w["message"] for w in json.loads(quarter.stdout)["warnings"]]


@pytest.mark.parametrize("value, message", [
    ("2019-13", "kỳ “2019-13” không đúng dạng YYYY-MM (ví dụ 2019-01)"),
    ("03/2019", "kỳ “03/2019” không đúng dạng YYYY-MM (ví dụ 2019-01)"),
    ("2019-03..2019-01", "kỳ “2019-03..2019-01” không hợp lệ: kỳ nhiều tháng phải trong cùng một năm, tháng đầu "
                         "trước tháng cuối (ví dụ 2019-01..2019-03)"),
    ("2018-12..2019-02", "kỳ “2018-12..2019-02” không hợp lệ: kỳ nhiều tháng phải trong cùng một năm, tháng đầu "
                         "trước tháng cuối (ví dụ 2019-01..2019-03)"),
])
def test_a_period_the_cli_cannot_take_is_a_usage_error(tmp_path, value, message):
    path = tmp_path / "x.xlsx"
    path.write_bytes(plan_bytes())
    done = cli("check", str(path), "--period", value)
    assert done.returncode == 2
    assert message in done.stderr


def test_a_quarter_over_stored_months_is_refused_unless_the_user_says_replace(tmp_path):
    from support import SheetSpec, book

    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
              "Giải quyết quá hạn"]
    month, quarter = tmp_path / "thang.xlsx", tmp_path / "quy.xlsx"
    month.write_bytes(book(SheetSpec("T02-2019", [header, ["Phòng Tư pháp", 12, 10, 9, 1]])))
    quarter.write_bytes(book(SheetSpec("Quý I-2019", [header, ["Phòng Tư pháp", 40, 30, 28, 2]])))
    db = f"sqlite:///{tmp_path / 'q.sqlite'}"
    assert cli("import", str(month), "--db", db).returncode == 0
    refused = cli("import", str(quarter), "--db", db)
    assert refused.returncode == 1
    assert "Phòng Tư pháp" in refused.stderr and "--replace-overlaps" in refused.stderr
    assert json.loads(cli("summary", "--db", db, "--json").stdout)["stats"]["periods"] == ["2019-02"]
    replaced = cli("import", str(quarter), "--db", db, "--replace-overlaps", "--json")
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(cli("summary", "--db", db, "--json").stdout)["stats"]["periods"] == ["2019-01..2019-03"]
