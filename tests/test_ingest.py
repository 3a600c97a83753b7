"""Check → store (cchc.ingest): a write path checks the account itself, whatever the page showed."""

import pytest

from cchc.ingest import agencies_not_allowed, check_file, load_sample_data, store_checked
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


def test_an_agency_editor_cannot_store_another_agencys_progress(checked):
    store, result, data = checked
    assert result.ok and result.kind == "progress"
    noivu = User("noivu", "editor", "Phòng Nội vụ")
    # the sample reports come from five agencies and the district's own reports (led by Văn phòng HĐND-UBND)
    refused = agencies_not_allowed(result, noivu)
    assert "Phòng Nội vụ" not in refused and "Phòng Tài nguyên và Môi trường" in refused
    before = store.import_count()
    with pytest.raises(PermissionError):
        store_checked(store, result, data, PROGRESS.name, user="noivu", account=noivu)
    assert store.import_count() == before


def test_an_editor_for_every_agency_stores_every_agencys_progress(checked):
    store, result, data = checked
    editor = User("tonghop", "editor", "")
    assert agencies_not_allowed(result, editor) == []
    before = store.import_count()
    store_checked(store, result, data, PROGRESS.name, user="tonghop", account=editor)
    assert store.import_count() == before + 1
