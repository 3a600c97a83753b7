"""`python -m cchc digest [--period YYYY-MM] [--out FILE] [--json] [--pdf] [--send] [--db URL]` on the sample, run
as a user runs it (a subprocess), the mail read back from an SMTP server the test starts (test_mail.SmtpSink).

Hand-worked figures (tests/show/test_digest.py has the sums): on 31/10/2019 task 1.2, due 30/09/2019 and led by
Phòng Nội vụ and Phòng Tư pháp, is 31 days overdue; 01–12/2019 on time is 8.668 / 8.960 = 96,7%.
"""

import json
import os
import subprocess
import sys

import pytest
from support import ROOT
from test_mail import SmtpSink, free_port

from cchc.ingest import load_sample_data
from cchc.store.database import Store

JSON_KEYS = ["period", "text", "below_thresholds", "deadlines"]
OVERDUE_12 = [{"code": "1.2", "task": "Thực hiện chế độ báo cáo định kỳ", "agency": agency, "due": "2019-09-30",
               "status": "overdue", "days": -31} for agency in ("Phòng Nội vụ", "Phòng Tư pháp")]


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli_digest') / 'sample.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


def cli(*args, secrets: str | None = None, cwd=ROOT):
    environment = {k: v for k, v in os.environ.items() if k not in ("CCHC_DATABASE_URL", "CCHC_MAIL_SECRETS")}
    if secrets:
        environment["CCHC_MAIL_SECRETS"] = secrets
    environment["PYTHONPATH"] = str(ROOT)  # run from another directory too (where a PDF would be written)
    done = subprocess.run([sys.executable, "-m", "cchc", "digest", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=300, check=False)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


def test_json_contract_on_the_latest_month(sample_url):
    done = cli("--db", sample_url, "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert list(payload) == JSON_KEYS
    assert payload["period"] == "2019-12"
    assert payload["text"].startswith("BẢN TIN CẢI CÁCH HÀNH CHÍNH – UBND huyện Ia Pa\nSố liệu đến hết tháng 12/2019")
    assert "- Tỷ lệ giải quyết đúng hạn (3.4): 96,7%, chỉ tiêu 100%: ◐ Gần đạt" in payload["text"]
    worst = payload["below_thresholds"][0]
    assert set(worst) == {"unit", "indicator", "value", "target"}
    assert (worst["unit"], worst["indicator"], worst["target"]) == (
        "Chi nhánh Văn phòng đăng ký đất đai", "on_time_rate", 1.0)
    assert round(worst["value"], 3) == 0.899


def test_a_chosen_month_its_deadlines_and_the_text_written_to_a_file(sample_url, tmp_path):
    done = cli("--db", sample_url, "--period", "2019-10", "--json")
    assert json.loads(done.stdout)["deadlines"] == OVERDUE_12
    text = cli("--db", sample_url, "--period", "2019-10")
    assert text.returncode == 0 and "- 1.2 Thực hiện chế độ báo cáo định kỳ: ✖ quá hạn 31 ngày (hạn 30/09/2019)" in \
        text.stdout
    out = tmp_path / "ban_tin.txt"
    written = cli("--db", sample_url, "--period", "2019-10", "--out", str(out))
    assert written.stdout == f"Đã ghi bản tin vào {out}.\n"
    assert out.read_text(encoding="utf-8") == text.stdout
    as_json = tmp_path / "ban_tin.json"
    cli("--db", sample_url, "--period", "2019-10", "--json", "--out", str(as_json))
    assert json.loads(as_json.read_text(encoding="utf-8"))["deadlines"] == OVERDUE_12


def test_usage_and_empty_database(tmp_path):
    bad = cli("--period", "10/2019", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert bad.returncode == 2
    assert bad.stderr == "Lỗi cú pháp lệnh: --period cần dạng YYYY-MM (ví dụ 2019-12), không phải “10/2019”.\n"
    empty = cli("--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert empty.returncode == 1
    assert empty.stderr.startswith("Chưa có số liệu thống kê TTHC hay điểm Bộ chỉ số 766 để lập bản tin")


def test_send_to_the_chairs_and_each_agency_its_own_part(sample_url, tmp_path):
    with SmtpSink() as sink:
        secrets = sink.secrets(tmp_path / "secrets.toml", agencies={"Tư pháp": ["tuphap@iapa.example"]})
        done = cli("--db", sample_url, "--period", "2019-10", "--send", "--out", str(tmp_path / "b.txt"),
                   secrets=secrets)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == ("Đã gửi bản tin tới: chutich@iapa.example, pct@iapa.example (toàn bộ "
                                                "bản tin); tuphap@iapa.example (Phòng Tư pháp).")
        whole, own = sink.received
    assert whole.recipients == ["chutich@iapa.example", "pct@iapa.example"]
    assert whole.message["Subject"] == "Bản tin CCHC tháng 10/2019 – UBND huyện Ia Pa"
    assert whole.message["From"] == "Bảng điều hành CCHC <cchc@iapa.example>"
    assert whole.body == (tmp_path / "b.txt").read_text(encoding="utf-8")
    assert whole.attachments() == []  # no --pdf
    assert own.recipients == ["tuphap@iapa.example"]
    assert own.message["Subject"] == "Bản tin CCHC tháng 10/2019 – Phòng Tư pháp"
    body = own.body.splitlines()
    assert body[0] == "BẢN TIN CẢI CÁCH HÀNH CHÍNH – Phòng Tư pháp"
    assert body[-2:] == ["3. THỜI HẠN (quá hạn và 14 ngày tới, tính đến 31/10/2019)",
                         "- 1.2 Thực hiện chế độ báo cáo định kỳ: ✖ quá hạn 31 ngày (hạn 30/09/2019)"]
    assert "Phòng Nội vụ:" not in body  # another agency's part is not in it


def test_send_with_the_meeting_pdf_attached(sample_url, tmp_path):
    with SmtpSink() as sink:
        done = cli("--db", sample_url, "--send", "--pdf", secrets=sink.secrets(tmp_path / "secrets.toml"),
                   cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        [got] = sink.received
    [(name, mime, data)] = got.attachments()
    assert mime == "application/pdf" and name.endswith(".pdf") and data.startswith(b"%PDF-")
    assert list(tmp_path.glob("*.pdf")) == []  # with --send alone the PDF is attached, not left on disk


@pytest.mark.parametrize("case", ["no settings", "wrong password", "unreachable"])
def test_send_failures_are_vietnamese_messages_and_exit_1(sample_url, tmp_path, case):
    with SmtpSink() as sink:
        path = tmp_path / "secrets.toml"
        if case == "no settings":
            path.write_text("[cchc]\nlogin_required = false\n", encoding="utf-8")
            expected = "Chưa có cài đặt gửi thư: hãy thêm mục [mail]"
        elif case == "wrong password":
            sink.secrets(path, password="sai")
            expected = (f"Gửi thư không thành công: Máy chủ thư 127.0.0.1:{sink.port} từ chối đăng nhập tài khoản "
                        "“bantin”")
        else:
            port = free_port()
            path.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsender = "a@iapa.example"\n'
                            'recipients = ["b@iapa.example"]\n', encoding="utf-8")
            expected = f"Gửi thư không thành công: Không kết nối được máy chủ thư 127.0.0.1:{port}"
        done = cli("--db", sample_url, "--send", secrets=str(path))
        assert done.returncode == 1
        assert done.stderr.startswith(expected), done.stderr
        assert sink.received == []
