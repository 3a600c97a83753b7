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
