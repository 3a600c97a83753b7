"""Check → store (cchc.ingest): a write path checks the account itself, whatever the page showed."""

import openpyxl
import pytest

from cchc.ingest import check_file, load_sample_data, store_checked
from cchc.rights import NotAllowed, authorize_import
from cchc.store.accounts import User
from cchc.store.database import Store
from support import DATA

PROGRESS = DATA / "tien_do_2019_minh_hoa.xlsx"


@pytest.fixture
def checked(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'ingest.sqlite'}")
    load_sample_data(store)
    data = PROGRESS.read_bytes()
    yield store, check_file(data, PROGRESS.name, plan=store.current_plan()), data
    store.dispose()


def sample_rows_not_of(agency: str) -> list[int]:
    """The Excel rows of the sample progress file whose "Cơ quan báo cáo" (column G, header on row 3) is another
    agency, read with openpyxl alone."""
    sheet = openpyxl.load_workbook(PROGRESS, read_only=True)["Tiến độ"]
    return [number for number, row in enumerate(sheet.iter_rows(min_row=4, values_only=True), start=4)
            if row[0] and row[6] != agency]


def test_an_agency_editor_cannot_store_another_agencys_progress(checked):
    store, result, data = checked
    assert result.ok and result.kind == "progress"
    noivu = User("noivu", "editor", "Phòng Nội vụ")
    before = store.import_count()
    with pytest.raises(NotAllowed) as refused:
        store_checked(store, result, data, PROGRESS.name, user="noivu", account=noivu)
    assert store.import_count() == before
    # the sample reports come from five agencies and the district's own reports (led by Văn phòng HĐND-UBND):
    # every row of another agency is refused, located at its row and the agency column
    errors = refused.value.findings.errors
    assert [f.row for f in errors] == sample_rows_not_of("Phòng Nội vụ")
    assert {(f.sheet, f.column) for f in errors} == {("Tiến độ", "G (Cơ quan báo cáo)")}
    assert "Phòng Tài nguyên và Môi trường" in refused.value.message and "Phòng Nội vụ" not in refused.value.message


def test_an_editor_for_every_agency_stores_every_agencys_progress(checked):
    store, result, data = checked
    editor = User("tonghop", "editor", "")
    assert authorize_import(result, editor).errors == []
    before = store.import_count()
    store_checked(store, result, data, PROGRESS.name, user="tonghop", account=editor)
    assert store.import_count() == before + 1


# ---- the shipped sample, uploaded again, stays marked as sample (issue 14) ----

SAMPLE_STATS = DATA / "thong_ke_2019_minh_hoa.xlsx"  # Biểu 06 layout: what the sample loader imports
SAMPLE_STATS_TEMPLATE_LAYOUT = DATA / "thong_ke_2019_minh_hoa_mau.xlsx"  # the same figures, template layout
CLERK = User("nguyen.van.a", "editor", "")


@pytest.fixture
def sample_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'sample.sqlite'}")
    load_sample_data(store)
    yield store
    store.dispose()


def upload(store, data: bytes, name: str):
    """What the Dữ liệu page does with a file: check it, then store it as the clerk logged in (never says
    illustrative)."""
    result = check_file(data, name, plan=store.current_plan())
    assert result.ok, [f.located() for f in result.findings.errors]
    return store_checked(store, result, data, name, user=CLERK.username, account=CLERK)


@pytest.mark.parametrize("path", [SAMPLE_STATS, SAMPLE_STATS_TEMPLATE_LAYOUT])
def test_the_shipped_sample_uploaded_again_stays_illustrative(sample_store, path):
    from cchc.show.views import describe_import

    # renamed as a browser renames a second download: the content is what counts
    outcome = upload(sample_store, path.read_bytes(), "thong_ke (1).xlsx")
    assert sample_store.has_illustrative_data()
    latest = sample_store.import_history().iloc[0]
    assert bool(latest["illustrative"]) and latest["user"] == "nguyen.van.a"
    # the sample is 20 units × 12 months of 2019, and both shipped layouts hold the same figures
    assert (len(outcome.added), len(outcome.replaced), outcome.changed_values) == (0, 240, 0)
    assert describe_import(latest["summary"]) == ("20 đơn vị, 01/2019–12/2019: thêm 0, thay thế 240 đơn vị-tháng, "
                                                  "không đổi số liệu nào")


def test_real_figures_remove_the_sample_notice_only_once_every_sample_row_is_replaced(sample_store):
    from cchc.sample import build_template_workbook, sample_stats_table

    table = sample_stats_table()
    last = (table["unit"] == table["unit"].iloc[-1]) & (table["month"] == 12)
    assert int(last.sum()) == 1
    outcome = upload(sample_store, build_template_workbook(table[~last]), "so_lieu_that.xlsx")
    assert len(outcome.replaced) == 239 and not sample_store.import_history().iloc[0]["illustrative"]
    assert sample_store.has_illustrative_data()  # one unit's December is still the sample's
    upload(sample_store, build_template_workbook(table[last]), "so_lieu_that_t12.xlsx")
    assert not sample_store.has_illustrative_data()


def test_an_edited_copy_of_the_sample_is_not_the_sample():
    from cchc.ingest import is_illustrative_file

    data = SAMPLE_STATS.read_bytes()
    assert is_illustrative_file(data)
    assert not is_illustrative_file(data + b"\0")  # any other bytes: a file of its own


def test_the_cli_says_whether_an_import_again_changed_anything(tmp_path):
    import os
    import subprocess
    import sys

    from support import ROOT, book, figures, template_sheet

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    january = tmp_path / "t01.xlsx"
    january.write_bytes(book(template_sheet([("Phòng Tư pháp", 2019, 1, figures()),
                                             ("UBND xã Ia Tul", 2019, 1, figures())])))
    corrected = tmp_path / "t01_sua.xlsx"  # Ia Tul: 2 early instead of 1, 3 on time instead of 4 (2 figures)
    corrected.write_bytes(book(template_sheet([("Phòng Tư pháp", 2019, 1, figures()),
                                               ("UBND xã Ia Tul", 2019, 1, figures(early=2, on_time=3))])))
    environment = {k: v for k, v in os.environ.items() if k != "CCHC_DATABASE_URL"}

    def last_line(path) -> str:
        done = subprocess.run([sys.executable, "-m", "cchc", "import", str(path), "--db", url], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1]

    assert last_line(january) == "Thêm 2 đơn vị-tháng, thay thế 0 đơn vị-tháng."
    assert last_line(january) == "Thêm 0 đơn vị-tháng, thay thế 2 đơn vị-tháng, không đổi số liệu nào."
    assert last_line(corrected) == "Thêm 0 đơn vị-tháng, thay thế 2 đơn vị-tháng, đổi 2 số liệu ở 1 đơn vị-tháng."
