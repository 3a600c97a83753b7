"""Shared test helpers: workbooks the tests build themselves, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from openpyxl.utils import get_column_letter

from cchc.fields import STATS_FIELDS, TEMPLATE_HEADERS
from cchc.registry import parse_registry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

PLAN_HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định 2018", "Điểm bị mất",
               "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"]

SMALL_PLAN_ROWS = [
    ["3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 3, 1, 2, None, None, None, None, None],
    [3.4, "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, 1, 1, "100% số hồ sơ TTHC trong năm được giải quyết đúng hạn",
     "Cơ quan, đơn vị có TTHC, UBND xã", None, "Trong năm 2019 và các năm tiếp theo", None],
    ["3.7", "Thực hiện xin lỗi", 1, 0, 1, "100% hồ sơ quá hạn giải quyết có văn bản xin lỗi",
     "Văn phòng HDND-UBND huyện", "Phòng Nội vụ,", "Trong năm 2019", None],
]


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               start_row: int = 1) -> bytes:
    """A workbook with the given sheets; each sheet's rows are written from `start_row`."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=start_row):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan_bytes(rows=None, header=None, title=("KẾ HOẠCH KHẮC PHỤC … NĂM 2019",), footer=(), sheet="Kế hoạch"):
    grid = [[t] for t in title] + [[]] + [list(header or PLAN_HEADER)] + [list(r) for r in (rows or SMALL_PLAN_ROWS)]
    grid += [[]] + [list(f) for f in footer]
    return xlsx_bytes({sheet: grid})


def sample_plan_bytes() -> bytes:
    return (DATA / "ke_hoach_75_2019.xlsx").read_bytes()


def in_ci() -> bool:
    """True under CI (`.ci/run` exports CI=1): there every part the tests need must be present, or the run fails."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _postgres_url() -> str:
    """The test PostgreSQL server's URL (scripts/postgres.sh prints it; scripts/test.sh exports it).

    Without one: under CI the test fails, so a PostgreSQL that did not start can never pass as a green run. Outside
    CI (a developer's machine without Debian's postgresql server) only the PostgreSQL parametrisation is skipped, and
    the skip says why and how to get it; the SQLite half of every store test still runs.
    """
    url = os.environ.get("CCHC_TEST_POSTGRES_URL", "").strip()
    if url:
        return url
    reason = ("CCHC_TEST_POSTGRES_URL is not set, so there is no PostgreSQL server to test against: "
              "scripts/test.sh starts one with scripts/postgres.sh")
    if in_ci():
        pytest.fail(f"{reason} (CI={os.environ.get('CI')}: a missing PostgreSQL fails the run)", pytrace=False)
    pytest.skip(f"{reason}; outside CI the PostgreSQL half is skipped")


def postgres_database(name: str) -> str:
    """A new, empty database on the test PostgreSQL server (dropped first if a run left it).

    Fails under CI and skips outside it when there is no server (see _postgres_url).
    """
    base = _postgres_url()
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


def _fresh_postgres_database():
    """Yield the URL of a new, empty database on the test PostgreSQL server; drop it afterwards."""
    base = _postgres_url()
    name = f"cchc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        sa.create_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL: a SQLite file, and a new database on the test PostgreSQL server.

    The PostgreSQL parameter fails under CI when no server is set up, and is skipped (saying why) outside CI.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    yield from _fresh_postgres_database()


@pytest.fixture
def postgres_url():
    """A new, empty database on the test PostgreSQL server, for a test about PostgreSQL alone (no SQLite half to
    skip). Fails under CI when no server is set up, and is skipped (saying why) outside CI."""
    yield from _fresh_postgres_database()


@pytest.fixture
def store(db_url):
    from cchc.store.database import Store

    s = Store(db_url)
    yield s
    s.dispose()


# ---- statistics workbooks (template and Biểu 06 layouts) the reader tests build with openpyxl ----

REGISTRY_CSV = """name,short_name,level,kind,aliases
Phòng Tư pháp,Tư pháp,huyện,agency,Phòng Tư pháp huyện
Phòng Nội vụ,Nội vụ,huyện,agency,Phòng Nội vụ huyện
Văn phòng HĐND-UBND huyện,VP HĐND-UBND,huyện,agency,Văn phòng HĐND và UBND huyện
Phòng Tài nguyên và Môi trường,TN-MT,huyện,agency,Phòng TN-MT|Phòng TN&MT
UBND xã Ia Tul,Ia Tul,xã,commune,Xã Ia Tul|Ia Tul
UBND xã Chư Răng,Chư Răng,xã,commune,Xã Chư Răng|Chư Răng
UBND xã Kim Tân,Kim Tân,xã,commune,Xã Kim Tân|Kim Tân
UBND xã,,xã,group,UBND các xã|Các xã
"""


def make_registry():
    return parse_registry(REGISTRY_CSV)


@dataclass
class SheetSpec:
    name: str
    rows: list[list]
    merges: list[str] = field(default_factory=list)
    formulas: dict[str, str] = field(default_factory=dict)  # cell → formula written without a cached value


def book(*sheets: SheetSpec) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in spec.merges:
            ws.merge_cells(ref)
        for ref, formula in spec.formulas.items():
            ws[ref] = formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def figures(online=5, direct=3, carried=2, early=1, on_time=4, late=1, in_time=3, overdue=1, **extra) -> dict:
    """A consistent unit-month: received = online + direct + carried = resolved + pending."""
    resolved = early + on_time + late
    pending = in_time + overdue
    received = online + direct + carried
    assert received == resolved + pending, "inconsistent test figures"
    values = dict.fromkeys(STATS_FIELDS, 0)
    values.update(received_total=received, received_online=online, received_direct=direct, received_carried=carried,
                  resolved_total=resolved, resolved_early=early, resolved_on_time=on_time, resolved_late=late,
                  pending_total=pending, pending_in_time=in_time, pending_overdue=overdue)
    values.update(extra)
    return values


def template_sheet(records: list[tuple[str, int, int, dict]], name="Số liệu", headers=TEMPLATE_HEADERS) -> SheetSpec:
    rows = [list(headers)]
    for unit, year, month, values in records:
        rows.append([unit, year, month, *(values[f] for f in STATS_FIELDS)])
    return SheetSpec(name, rows)


# Biểu 06 columns: A STT, B unit, C–F received, G–J resolved, K–M pending, then optional extras.
BIEU06_FIELDS = ("received_total", "received_online", "received_direct", "received_carried",
                 "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
                 "pending_total", "pending_in_time", "pending_overdue")
BIEU06_EXTRAS = (("received_online_l3", "Trực tuyến mức độ 3"), ("received_online_l4", "Mức độ 4"),
                 ("received_bcci", "Tiếp nhận qua dịch vụ bưu chính công ích"),
                 ("returned_bcci", "Trả kết quả qua BCCI"),
                 ("late_apologies", "Số hồ sơ quá hạn đã có văn bản xin lỗi"))

TITLE = "Kỳ báo cáo: Tháng 01 năm 2019 (Từ ngày 01/01/2019 đến ngày 31/01/2019)"


def bieu06_sheet(groups: list[tuple[str | None, str, list[tuple[str, dict]]]], name="Biểu 06", title=TITLE,
                 levels=3, merged=True, numbering=True, total="top", extras=False, signature=True,
                 group_sums=True, total_override: dict | None = None, unit_label="Lĩnh vực, công việc giải quyết "
                 "theo cấp") -> SheetSpec:
    """A Biểu 06 sheet. groups: [(stt of the group row, group label, [(unit, figures)])].

    levels=3: group › "Tổng số"/"Trong đó" › sub-labels; levels=2: group › sub-labels (no "Trong đó" row).
    Returns the spec; the header starts on row 6, data right under it.
    """
    extra_cols = BIEU06_EXTRAS if extras else ()
    width = 13 + len(extra_cols)
    rows: list[list] = [
        ["Biểu số 06a/VPCP/KSTT", None,
         "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"],
        ["Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21 tháng 10 năm 2020"],
        [None, None, title],
        ["Đơn vị báo cáo: UBND huyện Ia Pa", None, None, None, None, None, None, None, None, None,
         "Đơn vị tính: Số hồ sơ TTHC"],
        [],
    ]
    merges: list[str] = []
    h = 6  # first header row (1-based)
    last = h + levels - 1
    top = ["STT", unit_label, "Số hồ sơ nhận giải quyết", None, None, None, "Số hồ sơ đã giải quyết", None, None,
           None, "Số lượng hồ sơ đang giải quyết", None, None] + [label for _, label in extra_cols]
    if levels == 3:
        mid = [None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
               "Tổng số", "Trong hạn", "Quá hạn"] + [None] * len(extra_cols)
        low = [None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước"] + \
              [None] * (7 + len(extra_cols))
        header_rows = [top, mid, low]
        if merged:
            merges += ["C7:C8", "G7:G8", "H7:H8", "I7:I8", "J7:J8", "K7:K8", "L7:L8", "M7:M8", "D7:F7"]
    else:
        low = [None, None, "Tổng số", "Trong đó: Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
               "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"] + \
              [None] * len(extra_cols)
        header_rows = [top, low]
    rows += header_rows
    if merged:
        merges += [f"A{h}:A{last}", f"B{h}:B{last}", f"C{h}:F{h}", f"G{h}:J{h}", f"K{h}:M{h}"]
        merges += [f"{get_column_letter(14 + i)}{h}:{get_column_letter(14 + i)}{last}" for i in range(len(extra_cols))]
    if numbering:
        rows.append([f"({i})" for i in range(1, width + 1)])
    field_order = BIEU06_FIELDS + tuple(f for f, _ in extra_cols)

    def line(stt, label, values):
        return [stt, label, *(values.get(f) if values else None for f in field_order)]

    def add(values_list):
        out = dict.fromkeys(field_order, 0)
        for values in values_list:
            for f in field_order:
                out[f] += values[f]
        return out

    body: list[list] = []
    all_units = []
    for stt, label, units in groups:
        sums = add([v for _, v in units])
        body.append(line(stt, label, sums if group_sums else None))
        for i, (unit, values) in enumerate(units, start=1):
            body.append(line(i, unit, values))
            all_units.append(values)
    if total:
        grand = total_override or add(all_units)
        total_line = line(None, "Tổng cộng", grand)
        body = [total_line, *body] if total == "top" else [*body, total_line]
    rows += body
    if signature:
        rows += [[], [None, "Ghi chú: số liệu lấy từ phần mềm một cửa điện tử."],
                 [None, None, None, None, None, None, None, None, None, "Ia Pa, ngày 05 tháng 02 năm 2019"],
                 [None, "Người lập biểu", None, None, None, None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
                 [None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, None, None, "(Ký tên, đóng dấu)"],
                 [], [], [None, "Nguyễn Văn A", None, None, None, None, None, None, None, "Trần Văn B"]]
    return SheetSpec(name, rows, merges)


def data_start_row(levels=3, numbering=True) -> int:
    """Excel row of the first line below a bieu06_sheet header (the total row when total="top")."""
    return 6 + levels + (1 if numbering else 0)


def standard_groups():
    return [
        ("I", "Cấp huyện", [("Phòng Tư pháp", figures()),
                             ("Văn phòng HĐND-UBND huyện", figures(online=10, direct=0, carried=0, early=2,
                                                                   on_time=5, late=1, in_time=1, overdue=1))]),
        ("II", "Cấp xã", [("UBND xã Ia Tul", figures(online=1, direct=1, carried=0, early=0, on_time=2, late=0,
                                                       in_time=0, overdue=0)),
                           ("Xã Kim Tân", figures(online=0, direct=4, carried=1, early=1, on_time=3, late=0,
                                                   in_time=1, overdue=0))]),
    ]


class BrowserRequest:
    """What a browser sends with the page's connection (cookies, headers), for AppTest.

    AppTest cannot send either (AppTest.context takes browser fields only), so `install` replaces the session's
    client context at its source in streamlit.runtime.context: st.context.cookies/headers and the product's reading
    of them run unchanged.
    """

    def __init__(self):
        self.headers: list[tuple[str, str]] = []
        self.cookies: dict[str, str] = {}
        self.remote_ip = None

    def install(self, monkeypatch) -> "BrowserRequest":
        import streamlit.runtime.context

        monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: self)
        return self

    def log_in(self, store, username: str) -> str:
        """The session cookie the login page (cchc/web.py) would have set for this account."""
        from cchc.store.accounts import SESSION_COOKIE, open_session

        token = open_session(store, username)
        self.cookies[SESSION_COOKIE] = token
        return token


# ---- hostile names: markdown, HTML and Streamlit's own markup in every name a file, a URL or an account brings ----

EVIL = "https://evil.example"  # where a hostile link would lead; nothing is served there


@dataclass(frozen=True)
class Hostile:
    """Names that would be links, images, HTML, coloured text, icons or math if shown as markdown or Plotly HTML.

    `image` is the base URL of an image server the browser test runs and counts requests to.
    """

    image: str

    @property
    def organisation(self) -> str:
        return (f'UBND [Bấm vào đây]({EVIL}/org) ![o]({self.image}/org.png) <img src="{self.image}/org-raw.png"> '
                ":red[tổ chức]")

    @property
    def levels(self) -> dict[str, str]:
        return {"huyện": f"Cấp huyện [h]({EVIL}/level)", "xã": "Cấp xã $x$"}

    @property
    def communes(self) -> tuple[str, ...]:
        return (f"UBND xã [Ia Tul]({EVIL}/unit) ![u]({self.image}/unit.png)",
                f'UBND xã <img src="{self.image}/unit-raw.png"> <a href="{EVIL}/unit-raw">Chư Răng</a>',
                "UBND xã :red[Kim Tân] $x^2$ :material/home: :smile:")

    @property
    def agencies(self) -> tuple[str, ...]:
        return (f"Phòng [Nội vụ]({EVIL}/agency) ![a]({self.image}/agency.png)",
                f'Phòng <b>Tư pháp</b> <a href="{EVIL}/agency-raw">x</a>')

    @property
    def units(self) -> tuple[str, ...]:
        return self.communes + self.agencies

    @property
    def plan_title(self) -> str:
        return f"KẾ HOẠCH [khắc phục]({EVIL}/title) NĂM 2019"

    @property
    def domains(self) -> tuple[str, ...]:
        return (f"CÔNG TÁC CHỈ ĐẠO [điều hành]({EVIL}/domain1)",
                f'CẢI CÁCH [TTHC]({EVIL}/domain) <img src="{self.image}/domain.png">')

    @property
    def criteria(self) -> tuple[str, ...]:
        return (f"Ban hành [kế hoạch]({EVIL}/task) ![t]({self.image}/task.png)",
                f"Tỷ lệ [đúng hạn]({EVIL}/criterion) ![c]({self.image}/criterion.png)",
                f'Thực hiện xin lỗi <a href="{EVIL}/criterion-raw">x</a> :red[đỏ] $y$')

    @property
    def filename(self) -> str:
        return f'thong_ke [tệp]({EVIL}/file) <img src="{self.image}/file.png"> :red[t].xlsx'

    @property
    def user(self) -> str:
        return f'[người nhập]({EVIL}/user) <img src="{self.image}/user.png"> :blue[u] $z$'

    def plan_bytes(self) -> bytes:
        (task, on_time, apology), (lead, partner) = self.criteria, self.agencies
        rows = [
            ["1", self.domains[0], 2, 1, 1, None, None, None, None, None],
            ["1.1", task, 2, 1, 1, "Ban hành kế hoạch CCHC năm", partner, None, "Trong năm 2019", None],
            ["3", self.domains[1], 3, 1, 2, None, None, None, None, None],
            [3.4, on_time, 2, 1, 1, "100% số hồ sơ TTHC trong năm được giải quyết đúng hạn", "UBND xã", lead,
             "Trong năm 2019 và các năm tiếp theo", None],
            ["3.7", apology, 1, 0, 1, "100% hồ sơ quá hạn giải quyết có văn bản xin lỗi", lead, partner,
             "Trong năm 2019", None],
        ]
        return plan_bytes(rows, title=(self.plan_title,))

    def stats_bytes(self) -> bytes:
        records = [(unit, 2019, month, figures(on_time=4 - month % 2, late=1 + month % 2))
                   for month in range(1, 7) for unit in self.units]
        return book(template_sheet(records))

    def write_data_dir(self, folder: Path) -> Path:
        """to_chuc.json and don_vi.csv of the hostile organisation, for $CCHC_DATA_DIR."""
        import csv
        import json

        folder.mkdir(parents=True, exist_ok=True)
        levels = [{"code": code, "label": label} for code, label in self.levels.items()]
        (folder / "to_chuc.json").write_text(json.dumps({"name": self.organisation, "province": "Gia Lai",
                                                         "levels": levels}, ensure_ascii=False), encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "short_name", "level", "kind", "aliases", "members"])
        writer.writerows([name, "", "huyện", "agency", "", ""] for name in self.agencies)
        writer.writerows([name, "", "xã", "commune", "", ""] for name in self.communes)
        writer.writerow(["UBND xã", "", "xã", "group", "UBND các xã|Các xã", "kind:commune"])
        (folder / "don_vi.csv").write_text(buffer.getvalue(), encoding="utf-8")
        return folder

    def load(self, url: str, data_dir: Path) -> None:
        """Import the hostile plan and statistics into the store at `url`, read with the hostile registry, under the
        hostile file name and user."""
        from cchc.ingest import import_file
        from cchc.registry import DATA_DIR_ENV
        from cchc.store.database import Store

        before = os.environ.get(DATA_DIR_ENV)
        os.environ[DATA_DIR_ENV] = str(data_dir)
        store = Store(url)
        try:
            for data, name in ((self.plan_bytes(), "ke_hoach " + self.filename), (self.stats_bytes(), self.filename)):
                result, outcome = import_file(store, data, name, user=self.user)
                assert outcome is not None, [f.message for f in result.findings.errors]
        finally:
            store.dispose()
            if before is None:
                os.environ.pop(DATA_DIR_ENV, None)
            else:
                os.environ[DATA_DIR_ENV] = before


def reads_as(markdown: str) -> str:
    """What a reader sees of markdown the app shows (a caption, a message): rendered, tags dropped, the invisible
    word joiners ui/safe.md puts into names removed. Bold and the like keep their words."""
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "").strip()


def html_tables(at) -> list:
    """The plain HTML tables a page shows (cchc.show.html_table), read back from its st.html elements as the
    browser would show them: one DataFrame of cell texts each, its links in .attrs["links"] ({column: {text: href}})."""
    from html.parser import HTMLParser

    import pandas as pd

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell, self.row, self.href = [], None, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table" and "cchc-table" in (attrs.get("class") or "").split():
                self.tables.append({"head": [], "rows": [], "links": []})
            elif self.tables and tag == "tr":
                self.row = []
            elif self.tables and tag in ("th", "td"):
                self.cell, self.href = "", None
            elif self.tables and tag == "a" and self.cell is not None:
                self.href = attrs.get("href")

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

        def handle_endtag(self, tag):
            if not self.tables:
                return
            table = self.tables[-1]
            if tag in ("th", "td") and self.cell is not None:
                self.row.append((tag, self.cell, self.href))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                if all(kind == "th" for kind, _, _ in self.row):
                    table["head"] = [text for _, text, _ in self.row]
                else:
                    table["rows"].append([text for _, text, _ in self.row])
                    table["links"].append([href for _, _, href in self.row])
                self.row = None

    reader = Reader()
    for element in at.get("html"):
        reader.feed(element.proto.body)
    frames = []
    for table in reader.tables:
        frame = pd.DataFrame(table["rows"], columns=table["head"])
        frame.attrs["links"] = {column: {row[i]: links[i] for row, links in zip(table["rows"], table["links"])
                                         if links[i]} for i, column in enumerate(table["head"])}
        frames.append(frame)
    return frames
