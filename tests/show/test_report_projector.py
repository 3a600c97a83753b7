"""Meeting reports on a projector (issue 14): the PowerPoint and PDF files read back as a user would check them.

- every table cell's text is at least 14 pt (python-pptx runs; pypdf's text with its font size);
- every table stays inside its slide, and each row is tall enough for its text at 14 pt: the row heights are
  checked here with a wrap of our own, measured with the same TrueType font PowerPoint draws (Arial's metrics);
- a long or wide table goes on over the next slides and pages: header repeated, "(tiếp)" in the title, every
  row shown once per column group, the first column (the code) on every one; criterion codes ("III.3.a") are never
  broken across lines;
- the "Dữ liệu minh họa" notice is on every slide and page of the sample's (illustrative) reports, and on none of a
  report of real data.

Charts are left out (images set to None): they are tested in test_reports.py; here only the layout is.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pypdf
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu, Pt
from support import book, figures, sample_plan_bytes, template_sheet

from cchc.ingest import import_file, load_sample_data
from cchc.show import reports, views
from cchc.show.reports import pptx as pptx_module
from cchc.store.database import Store

FILTERS = views.Filters(2019, 1, 12)
NOTICE = "Dữ liệu minh họa"
MIN_SIZE = Pt(14)
EMU_PER_INCH = 914400
FOOTER_TOP = Emu(int(7.0 * EMU_PER_INCH))  # the band under every slide's content (caption, notice)


def no_charts(report):
    report.images.update({id(fig): None for _, fig in report.figures})
    return report


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('projector') / 'cchc.sqlite'}")
    load_sample_data(store)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    """The seed's plan and three units' own figures for two months: nothing illustrative."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('real') / 'cchc.sqlite'}")
    late = {"Phòng Tư pháp": {"early": 2, "on_time": 3, "late": 2}}  # 11 received = 7 resolved + 4 pending
    stats = book(template_sheet([(unit, 2019, month, figures(online=6, **late.get(unit, {"on_time": 6, "late": 0})))
                                 for unit in ("UBND xã Ia Tul", "Phòng Tư pháp", "UBND xã Kim Tân")
                                 for month in (1, 2)]))
    for data, name in ((sample_plan_bytes(), "ke_hoach_75.xlsx"), (stats, "thong_ke_2019.xlsx")):
        result, outcome = import_file(store, data, name, user="nv")
        assert outcome is not None, result.findings.errors
    assert not store.has_illustrative_data()
    yield store
    store.dispose()


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
CRITERIA = [
    "Tỷ lệ hồ sơ TTHC do UBND cấp huyện, đơn vị hành chính cấp xã tiếp nhận trong năm được giải quyết đúng hạn",
    "Thực hiện chế độ báo cáo định kỳ",
    "Tỷ lệ văn bản trao đổi giữa các cơ quan hành chính nhà nước dưới dạng điện tử và được ký chữ ký số",
    "Công khai tiến độ, kết quả giải quyết hồ sơ TTHC trên Cổng/Trang thông tin điện tử",
]


def long_table(n: int) -> pd.DataFrame:
    """n criteria with codes like the plans' ("III.3.a", "7.2.1"), long names, agencies and eight figures."""
    rows = []
    for i in range(n):
        code = f"{ROMAN[i % 8]}.{i % 5 + 1}.{'abcd'[i % 4]}" if i % 2 else f"{i % 7 + 1}.{i % 3 + 1}.{i % 4 + 1}"
        rows.append({"Mã": code, "Tiêu chí": CRITERIA[i % 4], "Cơ quan chủ trì": "Văn phòng HĐND-UBND huyện",
                     "Điểm chuẩn": "1,75", "Điểm thẩm định": "0,75", "Điểm bị mất": "1", "Chỉ tiêu": "≥ 20%",
                     "Hiện tại": f"{i % 10 * 9.5:.1f}%".replace(".", ","), "Tiếp nhận": f"1.{i:03d}",
                     "Đã giải quyết": "987", "Tình trạng": "✖ Chưa đạt"})
    return pd.DataFrame(rows)


def hand_report(n: int, illustrative: bool = True) -> reports.Report:
    part = reports.ReportPart("criteria", "Tiêu chí", tables=[("Từng tiêu chí", long_table(n))])
    return reports.Report("Tiêu chí và điểm dự kiến", ["UBND huyện Ia Pa", "Kỳ báo cáo: 01/2019 – 12/2019"],
                          [part], organisation="UBND huyện Ia Pa", illustrative=illustrative)


@pytest.fixture(scope="module")
def decks(sample_store):
    """The sample's processing and criteria reports and a 40-criterion table, as PowerPoint, read back."""
    made = {section: no_charts(reports.build_report(sample_store, FILTERS, sections=(section,)))
            for section in ("processing", "criteria")}
    made["long"] = hand_report(40)
    return {key: (report, Presentation(io.BytesIO(reports.report_pptx(report)))) for key, report in made.items()}


@pytest.fixture(scope="module")
def pdfs(decks):
    return {key: (report, pypdf.PdfReader(io.BytesIO(reports.report_pdf(report))))
            for key, (report, _) in decks.items()}


def tables_of(slide):
    return [shape for shape in slide.shapes if shape.has_table]


def slide_texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


# ---------------------------------------------------------------------------------------------------------------- #
# PowerPoint
# ---------------------------------------------------------------------------------------------------------------- #

@pytest.mark.parametrize("key", ["processing", "criteria", "long"])
def test_every_table_cell_is_at_least_14_pt(decks, key):
    _, prs = decks[key]
    checked = 0
    for slide in prs.slides:
        for shape in tables_of(slide):
            for row in shape.table.rows:
                for cell in row.cells:
                    runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
                    assert runs or not cell.text
                    for run in runs:
                        assert run.font.size is not None and run.font.size >= MIN_SIZE, (cell.text, run.font.size)
                        checked += 1
    assert checked > 100


@pytest.mark.parametrize("key", ["processing", "criteria", "long"])
def test_every_table_stays_inside_its_slide(decks, key):
    _, prs = decks[key]
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height
        for shape in tables_of(slide):
            grid = shape.table
            # the table as drawn: its columns and rows, not only its frame; above the caption and notice band
            assert shape.left + sum(c.width for c in grid.columns) <= prs.slide_width - Emu(EMU_PER_INCH // 2)
            assert shape.top + sum(r.height for r in grid.rows) <= FOOTER_TOP


class ArialMeasure:
    """Text widths in inches as PowerPoint draws Arial: Liberation Sans has its metrics (DejaVu Sans, wider,
    when it is missing); a character the font lacks (✖, ◐) from DejaVu Sans, as the viewer's fallback draws it."""

    def __init__(self):
        fonts = pptx_module.measure_fonts()
        symbols = reports.find_fonts()
        assert fonts and symbols
        self.fonts = []
        for regular, bold in (fonts, symbols):
            with TTFont(regular, lazy=True) as tt:
                cmap = set(tt.getBestCmap())
            self.fonts.append((cmap, ImageFont.truetype(regular, 1400), ImageFont.truetype(bold, 1400)))

    def __call__(self, text: str, bold: bool, size: float = 14) -> float:
        total = 0.0
        for ch in text:
            _, regular, heavy = next((f for f in self.fonts if ord(ch) in f[0]), self.fonts[-1])
            total += (heavy if bold else regular).getlength(ch)
        return total / 1400 * size / 72  # measured at 1400 px, scaled to `size` points


def lines_needed(text: str, width: float, measure, bold: bool, size: float) -> int:
    """Greedy wrap at spaces, the way PowerPoint wraps; a word wider than the line counts as broken (-1)."""
    count = 0
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if measure(word, bold, size) > width:
                return -1
            candidate = f"{line} {word}" if line else word
            if line and measure(candidate, bold, size) > width:
                count, line = count + 1, word
            else:
                line = candidate
        count += 1
    return count


@pytest.mark.parametrize("key", ["processing", "criteria", "long"])
def test_every_row_is_tall_enough_for_its_text_at_14_pt(decks, key):
    _, prs = decks[key]
    measure = ArialMeasure()
    for slide in prs.slides:
        for shape in tables_of(slide):
            grid = shape.table
            for r, row in enumerate(grid.rows):
                for c, cell in enumerate(row.cells):
                    runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
                    size = runs[0].font.size.pt if runs else 14
                    inner = (grid.columns[c].width - cell.margin_left - cell.margin_right) / EMU_PER_INCH
                    lines = lines_needed(cell.text, inner, measure, r == 0, size)
                    assert lines > 0, f"a word of {cell.text!r} is wider than its column: it would break"
                    # Arial's single line is 1,15 em (ascent + descent + gap)
                    needed = lines * size * 1.15 / 72 + (cell.margin_top + cell.margin_bottom) / EMU_PER_INCH
                    assert row.height / EMU_PER_INCH >= needed, (cell.text, lines)


CODE = re.compile(r"^([IVX]+|\d+)(\.\d+)*(\.[a-z])?$")


def table_slides(prs, title: str) -> list:
    return [s for s in prs.slides if s.shapes.title.text in (title, f"{title} (tiếp)") and tables_of(s)]


def test_a_long_wide_table_goes_on_over_slides_header_repeated(decks):
    report, prs = decks["long"]
    (title, frame), = report.tables
    slides = table_slides(prs, title)
    assert len(slides) > 2
    assert slides[0].shapes.title.text == title
    assert all(s.shapes.title.text == f"{title} (tiếp)" for s in slides[1:])
    seen: dict[str, list[str]] = {}
    for slide in slides:
        grid = tables_of(slide)[0].table
        header = [cell.text for cell in grid.rows[0].cells]
        assert header[0] == "Mã" and set(header) <= set(frame.columns)  # the header, on every slide
        for row in list(grid.rows)[1:]:
            cells = [cell.text for cell in row.cells]
            for name, value in zip(header[1:], cells[1:]):
                seen.setdefault(name, []).append((cells[0], value))
        assert "Dòng" in slide_texts(slide)  # "Dòng 1–8 trong 40 dòng; cột …"
    codes = list(frame["Mã"])
    assert set(seen) == set(frame.columns) - {"Mã"}  # every column somewhere
    for name, pairs in seen.items():  # every row once under each column, in order, next to its own code
        assert pairs == list(zip(codes, frame[name])), name


@pytest.mark.parametrize("key", ["criteria", "long"])
def test_criterion_codes_fit_their_column_on_one_line(decks, key):
    _, prs = decks[key]
    measure = ArialMeasure()
    codes = 0
    for slide in prs.slides:
        for shape in tables_of(slide):
            grid = shape.table
            if grid.cell(0, 0).text != "Mã":
                continue
            inner = (grid.columns[0].width - grid.cell(1, 0).margin_left - grid.cell(1, 0).margin_right) / EMU_PER_INCH
            for row in list(grid.rows)[1:]:
                code = row.cells[0].text
                assert CODE.match(code), code
                assert "\n" not in code and "\v" not in code and measure(code, False, 14) <= inner, code
                codes += 1
    assert codes >= 27


def test_a_very_long_table_is_cut_on_the_slides_and_says_where_the_rest_is():
    report = hand_report(300)
    prs = Presentation(io.BytesIO(reports.report_pptx(report)))
    slides = table_slides(prs, "Từng tiêu chí")
    assert reports.PPTX_MAX_TABLE_SLIDES // 2 < len(slides) <= reports.PPTX_MAX_TABLE_SLIDES
    last = slide_texts(slides[-1])
    shown = re.search(r"Trình chiếu có (\d+)/300 dòng đầu; bảng đầy đủ có trong báo cáo PDF và tệp Excel", last)
    assert shown, last
    codes = [row.cells[0].text for s in slides for row in list(tables_of(s)[0].table.rows)[1:]]
    n = int(shown.group(1))
    frame = long_table(300)
    groups = len(codes) // n
    assert 0 < n < 300 and groups >= 2 and codes == list(frame["Mã"][:n]) * groups  # the first rows, in order


def test_the_notice_is_on_every_slide_of_illustrative_data(decks):
    for key, (report, prs) in decks.items():
        assert report.illustrative
        missing = [i for i, slide in enumerate(prs.slides, start=1) if NOTICE not in slide_texts(slide)]
        assert not missing, (key, missing)


def test_no_notice_on_a_report_of_real_data(real_store):
    report = no_charts(reports.build_report(real_store, FILTERS, sections=("processing",)))
    assert not report.illustrative
    prs = Presentation(io.BytesIO(reports.report_pptx(report)))
    assert len(prs.slides) > 3
    assert not [i for i, slide in enumerate(prs.slides) if NOTICE in slide_texts(slide)]
    reader = pypdf.PdfReader(io.BytesIO(reports.report_pdf(report)))
    assert not [i for i, page in enumerate(reader.pages) if NOTICE in page.extract_text()]


# ---------------------------------------------------------------------------------------------------------------- #
# PDF
# ---------------------------------------------------------------------------------------------------------------- #

def chunks(page) -> list[tuple[str, float, float]]:
    """The page's text pieces as drawn (one per table cell line): text, font size, x position."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((text.strip(), float(size) * (abs(tm[0]) or 1), round(float(tm[4]), 1)))

    page.extract_text(visitor_text=visit)
    return out


def headings(page) -> list[str]:
    return [text for text, size, _ in chunks(page) if size >= 18]


def test_the_notice_is_on_every_pdf_page_of_illustrative_data(pdfs):
    for key, (_, reader) in pdfs.items():
        missing = [i for i, page in enumerate(reader.pages, start=1) if NOTICE not in page.extract_text()]
        assert not missing, (key, missing)


@pytest.mark.parametrize("key", ["processing", "criteria", "long"])
def test_pdf_table_text_is_at_least_14_pt(pdfs, key):
    report, reader = pdfs[key]
    titles = {title for title, _ in report.tables}
    pages = 0
    for page in reader.pages:
        heads = headings(page)
        if not heads or heads[0].removesuffix(" (tiếp)") not in titles:
            continue  # the cover, the headline figures and the charts
        pages += 1
        cells = [text for text, size, _ in chunks(page) if 14 <= size < 18]
        assert len(cells) > 5
        # below 14 pt on a table page: only the notice, the caption under the table and the page footer
        for text, size, _ in chunks(page):
            if size < 14:
                assert (text.startswith((NOTICE, "Trang ", report.title))
                        or re.match(r"^(\d+ dòng\.|Dòng \d+–\d+ trong \d+ dòng)", text)), (text, size)
    assert pages >= len(report.tables)


def test_pdf_long_table_continues_with_its_header_and_whole_codes(pdfs):
    report, reader = pdfs["long"]
    (title, frame), = report.tables
    table_pages = [page for page in reader.pages if headings(page)[:1] in ([title], [f"{title} (tiếp)"])]
    assert len(table_pages) > 2
    assert headings(table_pages[0]) == [title]
    assert all(headings(page) == [f"{title} (tiếp)"] for page in table_pages[1:])
    codes = list(frame["Mã"])
    found = []
    for page in table_pages:
        drawn = [(text, x) for text, size, x in chunks(page) if size == 14]
        assert drawn[0][0] == "Mã"  # every page starts with the header row
        first_column = drawn[0][1]
        found += [text for text, x in drawn[1:] if x == first_column]
    groups = len(found) // len(codes)
    assert groups >= 2 and found == codes * groups  # each code whole on one line, once per column group, in order
    assert all(CODE.match(code) for code in found)
