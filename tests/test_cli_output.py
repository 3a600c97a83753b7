"""What `python -m cchc` prints for a person at a terminal (no --json): import, summary and score lines, warnings,
the typed password prompt and Ctrl+C. Every expected figure is worked out by hand from the small files below."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from support import ROOT, book, figures, plan_bytes, template_sheet


def cli(*args, stdin: str | None = None, new_session: bool = False):
    """Run the CLI. new_session: no controlling terminal, as under cron or ssh without a tty, so getpass falls back
    to reading the typed password from standard input."""
    environment = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "cchc", *args], check=False, capture_output=True, text=True, cwd=ROOT,
                          input=stdin, env=environment, timeout=120, start_new_session=new_session)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


# Tư pháp, January: early 1 + on time 4 of 6 resolved, 1 late; 4 pending at the end of the month.
# Ia Tul, January: early 1 + on time 1 of 3 resolved, 1 late. Tư pháp, February: as January, but it carries only 2
# files over from January although 4 were pending: a warning, not an error.
RECORDS = [("Phòng Tư pháp", 2019, 1, figures()),
           ("UBND xã Ia Tul", 2019, 1, figures(online=2, direct=2, carried=0, early=1, on_time=1, late=1, in_time=1,
                                               overdue=0)),
           ("Phòng Tư pháp", 2019, 2, figures())]
CARRY_WARNING = ("CẢNH BÁO  sheet “Số liệu”, dòng 4, cột “Từ kỳ trước”: “Từ kỳ trước” của đơn vị “Phòng Tư pháp” "
                 "tháng 02/2019 là 2, nhưng số hồ sơ đang giải quyết cuối tháng 01/2019 là 4 (sheet “Số liệu” dòng 2).")


@pytest.fixture
def office(tmp_path):
    """A database URL and two files: the three-row plan of tests/support.py (criteria 3.4 and 3.7, standard 3,
    appraised 1, lost 2) and the statistics above."""
    plan = tmp_path / "ke_hoach.xlsx"
    plan.write_bytes(plan_bytes())
    stats = tmp_path / "thong_ke.xlsx"
    stats.write_bytes(book(template_sheet(RECORDS)))
    return {"url": f"sqlite:///{tmp_path / 'cchc.sqlite'}", "plan": plan, "stats": stats}


def test_check_prints_warnings_and_describes_the_statistics(office):
    done = cli("check", str(office["stats"]))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == [
        CARRY_WARNING, "HỢP LỆ. Thống kê TTHC: 2 đơn vị, 2 kỳ (2019-01 đến 2019-02), 3 dòng."]


def test_import_summary_and_score_as_a_person_reads_them(office):
    url = office["url"]
    assert cli("summary", "--db", url).stdout.splitlines() == ["Chưa có kế hoạch.",
                                                               "Thống kê: 0 đơn vị, 0 kỳ; 0 lần nhập."]
    done = cli("import", str(office["plan"]), "--db", url)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [("ĐÃ NHẬP. Kế hoạch năm 2019: 2 tiêu chí, 1 lĩnh vực; điểm chuẩn 3, "
                                         "thẩm định 1, bị mất 2.")]
    done = cli("import", str(office["stats"]), "--db", url)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [CARRY_WARNING,
                                        "ĐÃ NHẬP. Thống kê TTHC: 2 đơn vị, 2 kỳ (2019-01 đến 2019-02), 3 dòng.",
                                        "Thêm 3 đơn vị-tháng, thay thế 0 đơn vị-tháng."]
    assert cli("summary", "--db", url).stdout.splitlines() == [
        "Kế hoạch năm 2019: 2 tiêu chí; chuẩn 3, thẩm định 1, bị mất 2.", "Thống kê: 2 đơn vị, 2 kỳ; 2 lần nhập."]

    # 3.4 asks 100 % on time: (1 + 4) + (1 + 1) + (1 + 4) = 12 of 6 + 3 + 6 = 15 resolved, 80,0 %: not met, 0 of 2.
    # 3.7 asks an apology for every late file: 0 apologies for 3 late files, 0,0 %: not met, 0 of 1.
    done = cli("score", "--db", url)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "Kỳ 01/2019 – 02/2019",
        "  3.4     Chưa đạt         giá trị 80,0%    điểm 0      / 2",
        "  3.7     Chưa đạt         giá trị 0,0%     điểm 0      / 1",
        "Điểm dự kiến 0 / 3; khôi phục -1 / 2 điểm bị mất."]
    # Ia Tul alone in January: 2 of 3 on time, 66,7 %
    done = cli("score", "--db", url, "--unit", "Ia Tul", "--from", "2019-01", "--to", "2019-01")
    assert done.stdout.splitlines()[:2] == ["Kỳ tháng 01/2019, đơn vị UBND xã Ia Tul",
                                            "  3.4     Chưa đạt         giá trị 66,7%    điểm 0      / 2"]


def test_an_empty_database_score_says_to_import_a_plan_and_lists_no_account(tmp_path):
    url = f"sqlite:///{tmp_path / 'trong.sqlite'}"
    message = "Chưa có kế hoạch trong cơ sở dữ liệu: hãy nhập kế hoạch trước."
    done = cli("score", "--db", url)
    assert (done.returncode, done.stdout) == (1, message + "\n")
    done = cli("score", "--db", url, "--json")
    assert done.returncode == 1 and json.loads(done.stdout) == {"error": message}
    done = cli("user", "list", "--db", url)
    assert (done.returncode, done.stdout) == (0, "Chưa có tài khoản nào (bảng điều hành đang ở chế độ mở).\n")


def test_a_typed_password_is_asked_twice_and_must_match(tmp_path):
    url = f"sqlite:///{tmp_path / 'tk.sqlite'}"
    done = cli("user", "add", "noivu", "--db", url, stdin="mat-khau-dai-1\nmat-khau-khac-2\n", new_session=True)
    assert done.returncode == 1 and done.stdout == ""
    assert "Mật khẩu: " in done.stderr and "Nhập lại mật khẩu: " in done.stderr
    assert done.stderr.endswith("Hai lần nhập mật khẩu không khớp.\n")
    # nothing was created: the same name can be added (an existing one is refused with "đã có")
    done = cli("user", "add", "noivu", "--db", url, stdin="mat-khau-dai-1\nmat-khau-dai-1\n", new_session=True)
    assert (done.returncode, done.stdout) == (0, "Đã tạo tài khoản noivu (Xem).\n")


def _ctrl_c_delivered() -> None:
    """In the child, before Python starts: Ctrl+C interrupts, as at a terminal. A command started in the background
    by a non-interactive shell (`cmd &`, as CI runners may) inherits SIGINT ignored, and Python keeps it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_at_the_password_prompt_exits_130_quietly(tmp_path):
    url = f"sqlite:///{tmp_path / 'tk.sqlite'}"
    environment = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"}
    process = subprocess.Popen([sys.executable, "-m", "cchc", "user", "add", "noivu", "--db", url], cwd=ROOT,
                               env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=_ctrl_c_delivered)
    seen = ""
    while not seen.endswith("Mật khẩu: "):  # the prompt: the CLI is now waiting for the typed password
        char = process.stderr.read(1)
        assert char, f"the CLI ended before asking for a password: {seen!r}"
        seen += char
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (130, "", "")


def test_a_valid_progress_or_procedures_file_is_described_in_one_line(tmp_path):
    import subprocess
    import sys

    from support import DATA, ROOT

    for name, line in (("tien_do_2019_minh_hoa.xlsx", "HỢP LỆ. Báo cáo tiến độ: "),
                       ("thu_tuc_2019_minh_hoa.xlsx", "HỢP LỆ. Số liệu thủ tục: ")):
        done = subprocess.run([sys.executable, "-m", "cchc", "check", str(DATA / name)], capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        last = done.stdout.strip().splitlines()[-1]
        assert done.returncode == 0 and last.startswith(line) and last != line.strip(), done.stdout


def test_a_closed_input_at_the_password_prompt_is_said_not_a_crash(tmp_path):
    import subprocess
    import sys

    from support import ROOT

    done = subprocess.run([sys.executable, "-m", "cchc", "user", "add", "nv", "--db",
                           f"sqlite:///{tmp_path / 'u.sqlite'}"], capture_output=True, text=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert "Không đọc được mật khẩu (đầu vào đã đóng). Dùng --password-stdin để đọc từ đầu vào chuẩn." in done.stderr
    assert "EOFError" not in done.stderr and done.returncode != 0
