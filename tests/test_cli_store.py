"""`python -m cchc backup` / `restore` run as a user runs them, and the saving of targets and scoring rules (what the
Dữ liệu page calls: Store.set_target, Store.set_rules) with their versions, history and rollback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
import sqlalchemy as sa
from support import DATA, ROOT, postgres_database, sample_plan_bytes

from cchc.ingest import import_file, load_sample_data
from cchc.read.targets import Target
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.score.rules import Rule, rules_to_json
from cchc.score.scoring import plan_rules, score_for_period
from cchc.store.database import HEAD_REVISION, Store, rule_versions, targets

NOT_A_BACKUP = "Tệp không phải là bản sao lưu của phần mềm (thiếu manifest.json hoặc hỏng).\n"
DAMAGED = "Bản sao lưu bị hỏng (dữ liệu của một bảng không đọc được hoặc không khớp): không phục hồi gì, cơ sở " \
          "dữ liệu đích vẫn trống.\n"
NOT_EMPTY = "Cơ sở dữ liệu đích đã có dữ liệu: chỉ phục hồi vào cơ sở dữ liệu trống.\n"
TABLES = ["entry_reverts", "imports", "index766_maxima", "index766_rows", "mapping_versions", "plan_criteria",
          "plan_domains", "plans", "procedure_rows", "progress_rows", "rule_versions", "stats_rows", "target_versions",
          "users"]


def cli(*args, stdin: str | None = None):
    environment = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=180, input=stdin)
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream and "Lỗi không mong đợi" not in stream, stream[-2000:]
    return done


def row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
                  for name in TABLES}
    engine.dispose()
    return counts


def summary(url: str) -> dict:
    done = cli("summary", "--db", url, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A SQLite store as an office has it: the sample, a corrected target, an account; and its backup."""
    folder = tmp_path_factory.mktemp("office")
    url = f"sqlite:///{folder / 'office.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.set_target("6.4", Target("criterion_rate", ">=", 1.0), user="quantri")
    store.dispose()
    done = cli("user", "add", "quantri", "--role", "admin", "--name", "Phòng Nội vụ", "--password-stdin", "--db", url,
               stdin="mat-khau-dai\n")
    assert done.returncode == 0, done.stderr
    path = folder / "sao_luu.zip"
    done = cli("backup", str(path), "--db", url)
    counts = row_counts(url)
    assert done.returncode == 0 and done.stderr == ""
    # 14 tables: the 12 of data and accounts (login sessions and counters are never backed up) and 0006's index766 rows and maxima
    assert done.stdout == f"Đã sao lưu {sum(counts.values())} dòng của 14 bảng vào {path}.\n"
    return {"url": url, "backup": path, "counts": counts, "folder": folder}


def rezip(source, path, changes: dict[str, bytes | None]):
    """A copy of a backup with some members replaced (bytes) or removed (None)."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in changes.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


# --- backup --------------------------------------------------------------------------------------------------------

def test_backup_writes_every_table_and_a_manifest(office):
    counts = office["counts"]
    # the sample: 4 imports + the target edit; 240 unit-months; 27 criteria, 5 domains; one account
    assert counts["imports"] == 5 and counts["stats_rows"] == 240 and counts["plan_criteria"] == 27
    assert counts["plan_domains"] == 5 and counts["users"] == 1 and counts["target_versions"] == 28
    with zipfile.ZipFile(office["backup"]) as archive:
        assert sorted(archive.namelist()) == sorted([f"{t}.jsonl" for t in TABLES] + ["manifest.json"])
        manifest = json.loads(archive.read("manifest.json"))
        for table in TABLES:
            assert len(archive.read(f"{table}.jsonl").splitlines()) == counts[table], table
        first = json.loads(archive.read("imports.jsonl").splitlines()[0])
    assert manifest["format"] == 1 and manifest["revision"] == HEAD_REVISION and manifest["tables"] == counts
    assert first["kind"] == "plan" and first["filename"] == "ke_hoach_75_2019.xlsx"
    assert set(first["content"]) == {"$b64"}  # the original file travels with the backup


def test_backup_of_an_empty_database(tmp_path):
    path = tmp_path / "trong.zip"
    done = cli("backup", str(path), "--db", f"sqlite:///{tmp_path / 'trong.sqlite'}")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Đã sao lưu 0 dòng của 14 bảng vào {path}.\n", "")
    assert set(manifest_of(path)["tables"].values()) == {0}


# --- restore -------------------------------------------------------------------------------------------------------

def test_restore_into_an_empty_database_gives_the_same_store(office, tmp_path):
    url = f"sqlite:///{tmp_path / 'may_moi.sqlite'}"
    done = cli("restore", str(office["backup"]), "--db", url)
    total = sum(office["counts"].values())
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Đã phục hồi {total} dòng từ {office['backup']}.\n",
                                                           "")
    assert row_counts(url) == office["counts"]
    assert summary(url) == summary(office["url"])
    assert summary(url)["stats"]["totals"]["received_total"] == int(sample_stats_table()["received_total"].sum())
    same = [cli("score", "--db", u, "--json").stdout for u in (office["url"], url)]
    assert same[0] == same[1] and json.loads(same[0])["total"]["recovered"] == 8
    users = cli("user", "list", "--db", url)
    assert users.returncode == 0 and users.stdout.split()[:2] == ["quantri", "Quản"]
    restored = Store(url)
    assert restored.import_content(2) == ("thong_ke_2019_minh_hoa.xlsx", (DATA / "thong_ke_2019_minh_hoa.xlsx")
                                          .read_bytes())
    assert {c.code: c.target for c in restored.current_plan().criteria}["6.4"] == Target("criterion_rate", ">=", 1.0)
    restored.dispose()
    plan = DATA / "ke_hoach_75_2019.xlsx"
    after = cli("import", str(plan), "--db", url, "--json")  # the ids go on after the restored ones
    assert after.returncode == 0 and json.loads(after.stdout)["import_id"] == office["counts"]["imports"] + 1


def test_restore_refuses_a_database_that_has_data(office, tmp_path):
    url = f"sqlite:///{tmp_path / 'co_du_lieu.sqlite'}"
    assert cli("import", str(DATA / "ke_hoach_75_2019.xlsx"), "--db", url).returncode == 0
    before = row_counts(url)
    done = cli("restore", str(office["backup"]), "--db", url)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", NOT_EMPTY)
    assert row_counts(url) == before
    # accounts alone are data too
    accounts = f"sqlite:///{tmp_path / 'chi_tai_khoan.sqlite'}"
    assert cli("user", "add", "nv", "--password-stdin", "--db", accounts, stdin="mat-khau-dai\n").returncode == 0
    done = cli("restore", str(office["backup"]), "--db", accounts)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", NOT_EMPTY)
    assert row_counts(accounts) == {**{t: 0 for t in TABLES}, "users": 1}
    # and a database restored once refuses a second restore
    twice = f"sqlite:///{tmp_path / 'hai_lan.sqlite'}"
    assert cli("restore", str(office["backup"]), "--db", twice).returncode == 0
    done = cli("restore", str(office["backup"]), "--db", twice)
    assert (done.returncode, done.stderr) == (1, NOT_EMPTY) and row_counts(twice) == office["counts"]


def test_restore_refuses_what_is_not_a_backup(office, tmp_path):
    url = f"sqlite:///{tmp_path / 'dich.sqlite'}"
    junk = tmp_path / "rac.zip"
    junk.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    text = tmp_path / "ghi_chu.zip"
    text.write_text("không phải tệp nén", encoding="utf-8")
    truncated = tmp_path / "cat_ngang.zip"
    truncated.write_bytes(office["backup"].read_bytes()[:3000])
    workbook = tmp_path / "ke_hoach.zip"  # a zip, but an Excel workbook: no manifest.json
    workbook.write_bytes(sample_plan_bytes())
    no_manifest = rezip(office["backup"], tmp_path / "thieu_manifest.zip", {"manifest.json": None})
    bad_manifest = rezip(office["backup"], tmp_path / "manifest_hong.zip", {"manifest.json": b"{format: 1"})
    for path in (junk, text, truncated, workbook, no_manifest, bad_manifest):
        done = cli("restore", str(path), "--db", url)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", NOT_A_BACKUP), path.name
    missing = tmp_path / "khong_co.zip"
    done = cli("restore", str(missing), "--db", url)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"Không tìm thấy tệp: {missing}\n")
    assert set(row_counts(url).values()) == {0}  # nothing was written


def test_restore_refuses_another_format_or_schema_revision(office, tmp_path):
    url = f"sqlite:///{tmp_path / 'dich.sqlite'}"
    manifest = manifest_of(office["backup"])
    newer = rezip(office["backup"], tmp_path / "dang_2.zip",
                  {"manifest.json": json.dumps({**manifest, "format": 2}).encode()})
    done = cli("restore", str(newer), "--db", url)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "Bản sao lưu dạng 2 không được hỗ trợ.\n")
    older = rezip(office["backup"], tmp_path / "luoc_do_cu.zip",
                  {"manifest.json": json.dumps({**manifest, "revision": "0002"}).encode()})
    done = cli("restore", str(older), "--db", url)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"Bản sao lưu theo lược đồ 0002, phần mềm đang dùng {HEAD_REVISION}: hãy dùng cùng "
                           "phiên bản phần mềm để phục hồi.\n")
    assert set(row_counts(url).values()) == {0}


def test_restore_refuses_a_damaged_table_and_writes_nothing(office, tmp_path):
    """A backup whose manifest is intact but whose table data is not: refused as a whole (one transaction), with
    a Vietnamese message, not an unexpected error."""
    with zipfile.ZipFile(office["backup"]) as archive:
        criteria = archive.read("plan_criteria.jsonl")
        stats = archive.getinfo("stats_rows.jsonl")
    damaged = {name: rezip(office["backup"], tmp_path / f"{name}.zip", change) for name, change in {
        "json_hong": {"stats_rows.jsonl": b"{khong phai json\n"},
        "khong_phai_dong": {"stats_rows.jsonl": b"[1, 2]\n"},
        "trung_dong": {"plan_criteria.jsonl": criteria + criteria},  # every criterion twice
        "thieu_cot": {"plans.jsonl": b'{"id": 1}\n'},  # a plan without its import
    }.items()}
    data = bytearray(office["backup"].read_bytes())  # one flipped byte inside the compressed statistics rows
    start = stats.header_offset + 30 + len(stats.filename.encode()) + len(stats.extra)
    data[start + stats.compress_size // 2] ^= 0xFF
    damaged["mot_byte"] = tmp_path / "mot_byte.zip"
    damaged["mot_byte"].write_bytes(bytes(data))
    for name, path in damaged.items():
        url = f"sqlite:///{tmp_path / (name + '.sqlite')}"
        done = cli("restore", str(path), "--db", url)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", DAMAGED), (name, done.stderr[:500])
        assert set(row_counts(url).values()) == {0}, name  # not even the tables before the damaged one


def test_restore_a_sqlite_backup_into_postgresql(office):
    url = postgres_database(f"cchc_cli_restore_{os.getpid()}")
    try:
        done = cli("restore", str(office["backup"]), "--db", url)
        assert done.returncode == 0, done.stderr
        assert row_counts(url) == office["counts"] and summary(url) == summary(office["url"])
        after = cli("import", str(DATA / "ke_hoach_75_2019.xlsx"), "--db", url, "--json")  # sequences moved on
        assert after.returncode == 0 and json.loads(after.stdout)["import_id"] == office["counts"]["imports"] + 1
        done = cli("restore", str(office["backup"]), "--db", url)
        assert (done.returncode, done.stderr) == (1, NOT_EMPTY)
    finally:
        sa.create_engine(url).dispose()
        admin = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "cchc_cli_restore_{os.getpid()}" WITH (FORCE)'))
        admin.dispose()


# --- saving targets and rules (the Dữ liệu page's "Lưu chỉ tiêu" and "Lưu cách chấm điểm") --------------------------

def versions(store: Store, table, **where) -> list[dict]:
    with store.engine.connect() as conn:
        query = sa.select(table).where(*(table.c[k] == v for k, v in where.items())).order_by(table.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def test_saving_a_target_keeps_every_version_and_rolls_back(store):
    with pytest.raises(KeyError):
        store.set_target("7.2.3", Target("online_l4_share", ">=", 0.125))  # no plan yet
    _, plan_import = import_file(store, sample_plan_bytes(), "ke_hoach.xlsx", user="nv")
    plan = store.current_plan()
    parsed = Target("online_l4_share", ">=", 0.1)  # Kế hoạch 75: "Từ 10% hồ sơ TTHC trở lên … mức độ 4"
    assert {c.code: c.target for c in plan.criteria}["7.2.3"] == parsed
    first = store.set_target("7.2.3", Target("online_l4_share", ">=", 0.125), user="quantri")
    second = store.set_target("7.2.3", None, user="quantri")
    assert (plan_import.import_id, first, second) == (1, 2, 3)
    criterion = {c.code: c for c in store.current_plan().criteria}["7.2.3"]
    assert criterion.target is None and criterion.no_target_reason == "Không có chỉ tiêu định lượng (người dùng sửa)."
    rows = versions(store, targets, plan_id=plan.id, code="7.2.3")
    assert [(r["import_id"], r["source"], r["value"], r["current"]) for r in rows] == [
        (1, "parsed", 0.1, False), (2, "user", 0.125, False), (3, "user", None, True)]
    assert [r["updated_by"] for r in rows[1:]] == ["quantri", "quantri"]
    assert sum(r["current"] for r in versions(store, targets, plan_id=plan.id)) == 27  # one current per criterion
    history = store.import_history()
    assert history["kind"].tolist() == ["targets", "targets", "plan"] and history["user"].tolist()[0] == "quantri"
    assert history.iloc[1]["summary"] == {"code": "7.2.3", "plan_year": 2019,
                                          "target": {"metric": "online_l4_share", "op": ">=", "value": 0.125}}
    changes = store.entry_changes(first)
    assert changes.to_dict("records") == [{"Đối tượng": "Chỉ tiêu tiêu chí 7.2.3", "Kỳ": "", "Thao tác": "Thay thế"}]
    frame = store.targets_frame().set_index("code")
    assert (frame.loc["7.2.3", "source"], frame.loc["7.2.2", "source"]) == ("user", "parsed")

    def target():
        return {c.code: c.target for c in store.current_plan().criteria}["7.2.3"]

    store.rollback_to(first, user="quantri")
    assert target() == Target("online_l4_share", ">=", 0.125)
    undo_to_parsed = store.rollback_to(plan_import.import_id, user="quantri")
    assert target() == parsed
    assert len(versions(store, targets, plan_id=plan.id, code="7.2.3")) == 3  # a rollback deletes nothing
    store.rollback_to(undo_to_parsed - 1, user="quantri")  # undo that rollback
    assert target() == Target("online_l4_share", ">=", 0.125)
    with pytest.raises(KeyError):
        store.set_target("9.9", None)  # not a criterion of the plan
    with pytest.raises(KeyError):
        store.set_target("7.2.3", None, plan_year=2030)


def test_saving_rules_keeps_every_version_drives_the_score_and_rolls_back(store):
    with pytest.raises(KeyError):
        store.set_rules(rules_to_json([Rule("3.4", "threshold")]))  # no plan yet
    import_file(store, sample_plan_bytes(), "ke_hoach.xlsx")
    table = sample_stats_table()
    _, stats = import_file(store, build_template_workbook(table), "thong_ke.xlsx")
    on_time = (table["resolved_early"].sum() + table["resolved_on_time"].sum()) / table["resolved_total"].sum()
    assert 0.95 <= on_time < 1  # 96,7%: half of 3.4's two points under the default bands

    def points_3_4():
        return {c.code: c.points for c in score_for_period(store)[2].criteria}["3.4"]

    assert store.rules_json() is None and points_3_4() == 1
    strict = rules_to_json([Rule("3.4", "threshold")])
    fair = rules_to_json([Rule("3.4", "proportional"), Rule("7.2.2", "threshold", threshold=0.15)])
    first = store.set_rules(strict, user="quantri")
    assert store.rules_json() == strict and points_3_4() == 0  # threshold: 100% or nothing
    second = store.set_rules(fair, user="quantri")
    assert store.rules_json() == fair and points_3_4() == pytest.approx(2 * on_time)  # proportional
    rules = plan_rules(store.current_plan(), store.rules_json())
    assert (rules["3.4"].kind, rules["7.2.2"].threshold, rules["3.7"].kind) == ("proportional", 0.15, "threshold")
    rows = versions(store, rule_versions)
    assert [(r["import_id"], r["rules"], r["current"], r["updated_by"]) for r in rows] == [
        (first, strict, False, "quantri"), (second, fair, True, "quantri")]
    history = store.import_history()
    assert history["kind"].tolist()[:2] == ["rules", "rules"]
    assert history.iloc[0]["summary"] == {"plan_year": 2019, "rules": True}
    assert store.import_content(second) == ("", fair.encode("utf-8"))
    assert store.entry_changes(second).to_dict("records") == [
        {"Đối tượng": "Cách chấm điểm", "Kỳ": "", "Thao tác": "Thay thế"}]
    store.rollback_to(first, user="quantri")
    assert store.rules_json() == strict and points_3_4() == 0
    back = store.rollback_to(stats.import_id, user="quantri")  # before any rule was saved: the defaults
    assert store.rules_json() is None and points_3_4() == 1
    assert len(versions(store, rule_versions)) == 2
    store.rollback_to(back - 1, user="quantri")
    assert store.rules_json() == strict
    with pytest.raises(KeyError):
        store.set_rules(fair, plan_year=2030)


def test_logins_stay_on_their_machine(tmp_path):
    """A backup carries the accounts, never who is logged in nor their failed tries: a restored copy starts with
    every session ended (a stolen backup opens no session) and no one waiting."""
    from cchc.store import accounts

    url = f"sqlite:///{tmp_path / 'dang_nhap.sqlite'}"
    store = Store(url)
    store.save_user("quantri", role="admin", password_hash=accounts.hash_password("mat-khau-dai"))
    token = accounts.open_session(store, "quantri")
    for _ in range(5):
        accounts.authenticate(store, "quantri", "sai", client="10.0.0.5")
    store.dispose()
    path = tmp_path / "sao_luu.zip"
    assert cli("backup", str(path), "--db", url).returncode == 0
    with zipfile.ZipFile(path) as archive:
        assert "users.jsonl" in archive.namelist()
        assert not {"login_sessions.jsonl", "login_throttle.jsonl"} & set(archive.namelist())
    copy = f"sqlite:///{tmp_path / 'ban_sao.sqlite'}"
    assert cli("restore", str(path), "--db", copy).returncode == 0
    restored = Store(copy)
    assert restored.get_user("quantri")["role"] == "admin"
    assert accounts.session_user(restored, token) is None
    assert accounts.failure_count(restored, "quantri", "10.0.0.5") == 0
    restored.dispose()
