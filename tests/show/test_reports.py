"""The meeting report as PDF, PowerPoint and HTML, built from the sample data.

Charts render through kaleido and Debian's chromium; each report's charts are rendered once per module. The chart
images are always checked: without a browser for kaleido those tests fail (scripts/test.sh installs chromium), they
are never skipped or left out.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from support import ROOT

from cchc.ingest import load_sample_data
from cchc.show import reports, views
from cchc.store.database import Store

# plotly passes kopts that kaleido's running server ignores; reports.start_renderer silences this for the app
pytestmark = pytest.mark.filterwarnings("ignore:The kopts argument is ignored")

FILTERS = views.Filters(2019, 1, 12)
MADE = dt.date(2020, 1, 15)
NO_CHARTS = (f"chart images missing: kaleido draws them with Chromium (browser found: {reports.browser_path()}; "
             "scripts/test.sh installs Debian's chromium)")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "cchc.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def overview(store):
    report = reports.build_report(store, FILTERS, made=MADE)
    reports.render_images(report)
    return report


@pytest.fixture(scope="module")
def overview_pdf(overview) -> bytes:
    return reports.report_pdf(overview)


@pytest.fixture(scope="module")
def overview_pptx(overview):
    return Presentation(io.BytesIO(reports.report_pptx(overview)))


@pytest.fixture(scope="module")
def overview_html(overview) -> str:
    return reports.report_html(overview).decode("utf-8")


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_overview_content(overview):
    assert overview.title == "Tổng quan Chỉ số cải cách hành chính"
    assert overview.subtitle == ["UBND huyện Ia Pa", "Kỳ báo cáo: 01/2019 – 12/2019", "Cấp: tất cả các cấp",
                                 "Ngày lập: 15/01/2020"]
    headline = dict(overview.headline)
    assert headline["Điểm chuẩn"] == "55"
    assert headline["Điểm thẩm định 2018"] == "35,75"
    assert headline["Điểm bị mất"] == "19,25"
    assert headline["Dự kiến khôi phục"] == "8 / 19,25 điểm"
    assert headline["Điểm dự kiến"] == "43,75 / 55"
    assert headline["Tỷ lệ giải quyết đúng hạn (3.4)"] == "96,7% · chỉ tiêu 100% · ◐ Gần đạt"
    assert headline["Tỷ lệ hồ sơ trực tuyến mức độ 3 (7.2.2)"] == "12,8% · chỉ tiêu ≥ 20% · ✖ Chưa đạt"
    assert "Tỷ lệ hồ sơ tiếp nhận qua BCCI (7.3.2)" in headline and "Tỷ lệ kết quả trả qua BCCI (7.3.3)" in headline
    assert [title for title, _ in overview.figures] == [
        "Điểm bị mất theo lĩnh vực: tổng 19,25 điểm", "Kết quả so với chỉ tiêu",
        "Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng", "Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 theo tháng",
        "Xếp hạng đơn vị theo tỷ lệ đúng hạn"]
    tables = dict(overview.tables)
    assert list(tables) == [
        "Đơn vị chưa đạt chỉ tiêu: tỷ lệ giải quyết đúng hạn",
        "Đơn vị chưa đạt chỉ tiêu: tỷ lệ hồ sơ trực tuyến mức độ 3",
        "Đơn vị chưa đạt chỉ tiêu: tỷ lệ hồ sơ trực tuyến mức độ 4",
        "Tiêu chí chưa đạt và gần đạt chỉ tiêu",
        "Việc quá hạn và sắp đến hạn (tính đến ngày 31/12/2019)"]
    behind = tables["Đơn vị chưa đạt chỉ tiêu: tỷ lệ giải quyết đúng hạn"]
    assert list(behind.columns) == ["Đơn vị", "Tỷ lệ giải quyết đúng hạn", "Số hồ sơ tính tỷ lệ",
                                    "Số hồ sơ còn thiếu để đạt"]
    assert behind["Đơn vị"].iloc[0] == "Chi nhánh Văn phòng đăng ký đất đai"
    criteria = tables["Tiêu chí chưa đạt và gần đạt chỉ tiêu"]
    assert set(criteria["Tình trạng"]) == {"✖ Chưa đạt", "◐ Gần đạt"}
    deadlines = tables["Việc quá hạn và sắp đến hạn (tính đến ngày 31/12/2019)"]
    assert set(deadlines["Tình trạng"]) <= {"✖ Quá hạn", "◐ Sắp đến hạn"}
    assert any("Dữ liệu minh họa" in note for note in overview.notes)


def test_pdf_keeps_vietnamese_and_the_figures(overview, overview_pdf):
    assert overview_pdf.startswith(b"%PDF")
    text, pages = pdf_text(overview_pdf)
    for expected in ("Điểm bị mất", "Tỷ lệ giải quyết đúng hạn", "UBND huyện Ia Pa", "01/2019", "12/2019",
                     "19,25", "55", "Ngày lập: 15/01/2020", "Chi nhánh Văn phòng đăng ký đất đai",
                     "Tiêu chí chưa đạt và gần đạt chỉ tiêu", "Việc quá hạn và sắp đến hạn"):
        assert expected in text, expected
    assert f"Trang 1/{pages}" in text and f"Trang {pages}/{pages}" in text
    # cover, headline figures, one page per chart, then the tables
    assert pages >= 2 + len(overview.figures) + 1
    assert "Không dựng được biểu đồ" not in text, NO_CHARTS
    reader = pypdf.PdfReader(io.BytesIO(overview_pdf))
    with_images = [i for i, page in enumerate(reader.pages) if page.images]
    assert len(with_images) == len(overview.figures), NO_CHARTS


def test_pptx_slides(overview, overview_pptx):
    prs = overview_pptx
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    titles = [slide.shapes.title.text for slide in prs.slides]
    # a table longer than one slide goes on over the next ones, "(tiếp)" in their titles (test_report_projector.py)
    firsts = [t for t in titles if not t.endswith(" (tiếp)")]
    assert firsts == ["Tổng quan Chỉ số cải cách hành chính", "Số liệu chính",
                      *(title for title, _ in overview.figures), *(title for title, _ in overview.tables)]
    assert all(t.removesuffix(" (tiếp)") == titles[i - 1].removesuffix(" (tiếp)")
               for i, t in enumerate(titles) if t.endswith(" (tiếp)"))
    cover = prs.slides[0].placeholders[1].text_frame.text
    assert "UBND huyện Ia Pa" in cover and "01/2019 – 12/2019" in cover
    headline = prs.slides[1]
    grid = next(s for s in headline.shapes if s.has_table).table
    assert grid.cell(3, 0).text == "Điểm bị mất" and grid.cell(3, 1).text == "19,25"
    chart_slides = list(prs.slides)[2:2 + len(overview.figures)]
    assert chart_slides and all(any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
                                for slide in chart_slides), NO_CHARTS
    for title, frame in overview.tables:
        slides = [s for s in prs.slides if s.shapes.title.text in (title, f"{title} (tiếp)")]
        shown = 0
        for slide in slides:
            grid = next(s for s in slide.shapes if s.has_table).table
            header = [c.text for c in grid.rows[0].cells]
            assert header[0] == frame.columns[0] and set(header) <= set(frame.columns)  # header on every slide
            assert 1 <= len(grid.rows) - 1 <= min(len(frame), reports.PPTX_TABLE_ROWS)
            shown += (len(grid.rows) - 1) * (len(header) - 1)
            for shape in slide.shapes:  # nothing runs off the slide
                assert shape.top + shape.height <= prs.slide_height
        assert shown == len(frame) * (len(frame.columns) - 1)  # every cell once (the first column on each slide)


def test_html_is_self_contained(overview, overview_html):
    page = overview_html
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in page and '<meta charset="utf-8">' in page
    assert page.count("plotly.js v") == 1  # the bundle's banner: plotly.js inlined exactly once
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert not re.search(r"<link[^>]*\shref=", page)
    assert "fonts.googleapis" not in page and "cdn.plot.ly/plotly" not in page
    assert re.findall(r'<div id="bieu-do-(\d+)" class="plotly-graph-div"', page) == \
        [str(i) for i in range(1, len(overview.figures) + 1)]
    assert "@media print" in page
    assert "<th>Đơn vị</th>" in page and "Số hồ sơ còn thiếu để đạt" in page
    assert "Tỷ lệ giải quyết đúng hạn" in page and "UBND huyện Ia Pa" in page and "19,25" in page


def test_file_names(overview, store):
    assert reports.report_filename(overview, "pdf") == "bao-cao-cchc-2019-01-2019-12.pdf"
    assert reports.report_filename(overview, ".PPTX") == "bao-cao-cchc-2019-01-2019-12.pptx"
    unit = reports.build_report(store, views.Filters(2019, 3, 3, "xã"), unit="UBND xã Ia Tul", sections=("unit",))
    assert reports.report_filename(unit, "html") == "bao-cao-cchc-don-vi-ubnd-xa-ia-tul-cap-xa-2019-03.html"
    assert reports.slugify("Phòng Lao động-Thương binh và Xã hội") == "phong-lao-dong-thuong-binh-va-xa-hoi"


@pytest.mark.parametrize("section, unit, expected", [
    ("processing", None, ("Giải quyết hồ sơ thủ tục hành chính", "Hồ sơ đã giải quyết",
                          "Số liệu giải quyết hồ sơ theo đơn vị")),
    ("online", None, ("Trực tuyến và BCCI", "Tỷ lệ hồ sơ tiếp nhận qua BCCI", "Số liệu trực tuyến và BCCI")),
    ("criteria", None, ("Tiêu chí và điểm dự kiến", "Dự kiến khôi phục", "Từng tiêu chí")),
    ("unit", "UBND xã Ia Tul", ("Đơn vị: UBND xã Ia Tul", "Tiêu chí đơn vị chủ trì", "Số liệu từng tháng")),
])
def test_other_sections(store, section, unit, expected):
    report = reports.build_report(store, FILTERS, unit=unit, sections=(section,), made=MADE)
    assert report.title == reports.SECTION_TITLES[section].format(unit=unit)
    assert report.figures and report.tables
    text, _ = pdf_text(reports.report_pdf(report))
    for phrase in (*expected, "01/2019 – 12/2019", "UBND huyện Ia Pa"):
        assert phrase in text, phrase
    slides = Presentation(io.BytesIO(reports.report_pptx(report))).slides
    assert slides[0].shapes.title.text == report.title
    assert len(slides) >= 2 + len(report.figures) + len(report.tables)
    assert reports.report_html(report).decode().count("plotly.js v") == 1


def test_several_sections_in_one_report(store):
    report = reports.build_report(store, views.Filters(2019, 4, 6, "xã"), sections=("overview", "processing"))
    assert report.title == reports.REPORT_TITLE and report.sections == ("overview", "processing")
    assert "Cấp: Cấp xã" in report.subtitle
    report.images.update({id(fig): None for _, fig in report.figures})  # layout only: no rendering
    text, _ = pdf_text(reports.report_pdf(report))
    assert "Tổng quan Chỉ số cải cách hành chính" in text and "Giải quyết hồ sơ thủ tục hành chính" in text
    assert "04/2019 – 06/2019" in text


def test_a_chart_that_cannot_be_drawn_leaves_a_note(store, monkeypatch):
    monkeypatch.setattr(reports.images, "chart_png", lambda *args, **kwargs: None)
    report = reports.build_report(store, FILTERS, sections=("criteria",))
    text, _ = pdf_text(reports.report_pdf(report))
    assert "Không dựng được biểu đồ" in text
    slides = Presentation(io.BytesIO(reports.report_pptx(report))).slides
    notes = [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    assert any("Không dựng được biểu đồ" in note for note in notes)


def test_no_browser_means_notes_not_errors():
    code = ("import plotly.graph_objects as go\n"
            "from cchc.show import reports\n"
            "assert reports.start_renderer() is False\n"
            "assert reports.chart_png(go.Figure(go.Bar(x=[1, 2]))) is None\n"
            "print('ok')\n")
    env = {**os.environ, "BROWSER_PATH": "/nonexistent/chromium"}
    done = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_an_empty_store_still_gives_every_report(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    for section in reports.SECTIONS:
        report = reports.build_report(store, views.default_filters(store), unit="UBND xã Ia Tul",
                                      sections=(section,))
        assert report.parts[0].notes
        assert reports.report_pdf(report).startswith(b"%PDF")
        reports.report_pptx(report)
        assert "plotly.js v" not in reports.report_html(report).decode()
    store.dispose()


def test_the_unit_section_needs_a_unit(store):
    with pytest.raises(ValueError):
        reports.build_report(store, FILTERS, sections=("unit",))
    with pytest.raises(ValueError):
        reports.build_report(store, FILTERS, sections=("nothing",))
