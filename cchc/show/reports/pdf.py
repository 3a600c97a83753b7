"""The report as PDF (fpdf2 with a Unicode TTF font, DejaVu Sans by default).
"""

from __future__ import annotations

import io
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from ... import formatting as fmt
from .content import (
    ILLUSTRATIVE_NOTICE,
    TABLE_FONT_PT,
    Report,
    _numeric_columns,
    _table_cells,
    figure_subtitle,
)
from .images import chart_failed_note, render_images
from .layout import Metrics, TablePiece, layout_table, piece_caption, wrap

log = logging.getLogger("cchc.reports")

# ---------------------------------------------------------------------------------------------------------------- #
# PDF (fpdf2, DejaVu Sans)
# ---------------------------------------------------------------------------------------------------------------- #

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
             "/Library/Fonts", "C:/Windows/Fonts")
FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
              ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"), ("arial.ttf", "arialbd.ttf"))


def find_fonts() -> tuple[str, str] | None:
    """(regular, bold) paths of a Unicode TTF with Vietnamese glyphs; $CCHC_PDF_FONT_DIR is tried first."""
    dirs = [os.environ["CCHC_PDF_FONT_DIR"]] if os.environ.get("CCHC_PDF_FONT_DIR") else []
    for regular, bold in FONT_FILES:
        for folder in (*dirs, *FONT_DIRS):
            path = Path(folder) / regular
            if path.is_file():
                bold_path = Path(folder) / bold
                return str(path), str(bold_path if bold_path.is_file() else path)
    return None


# Page geometry, mm (A4 landscape)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14, 12, 16
PAD_X, PAD_Y = 1.6, 1.2
LINE_SPACING = 1.25  # one line of table text, in em: DejaVu's own line is 1,16 em
PT = 25.4 / 72  # mm per point
HEADER_FILL, ZEBRA, RULE = (220, 230, 241), (245, 247, 250), (190, 200, 212)
DARK, GREY, ACCENT = (31, 41, 51), (82, 96, 109), (213, 94, 0)
CAPTION_PT = 11


def report_pdf(report: Report) -> bytes:
    """A4 landscape: cover, headline figures, one chart per page, tables at 14 pt over as many pages as they need
    (header repeated, "(tiếp)" in the heading), "Trang x/y"; the illustrative-data notice at the top of every page."""
    from fpdf import FPDF

    fonts = find_fonts()

    class _PDF(FPDF):
        def header(self):
            if not report.illustrative:
                return
            y = self.get_y()
            self.set_xy(self.l_margin, 3.5)
            self.set_font(family, "B", 11)
            self.set_text_color(*ACCENT)
            self.cell(0, 6, text(ILLUSTRATIVE_NOTICE), align="R")
            self.set_xy(self.l_margin, y)

        def footer(self):
            self.set_y(-10)
            self.set_font(family, "", 8)
            self.set_text_color(100, 110, 120)
            self.cell(0, 5, text(f"{report.title} · {report.organisation}"), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")

    pdf = _PDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    pdf.set_title(report.title)
    pdf.set_author(report.organisation)
    pdf.set_creator("Bảng điều hành Chỉ số CCHC")
    if fonts:
        family = "DejaVu"
        pdf.add_font(family, "", fonts[0])
        pdf.add_font(family, "B", fonts[1])

        def text(value: str) -> str:
            return value
    else:  # no Unicode font on this machine: Latin-1 core font, diacritics dropped rather than no report
        family = "Helvetica"
        log.warning("no Unicode TTF font found: the PDF is written without Vietnamese diacritics")

        def text(value: str) -> str:
            folded = re.sub(r"[^\x00-\xff]", "?", _strip_marks(value))
            return folded
    width = pdf.w - pdf.l_margin - pdf.r_margin
    bottom = pdf.h - pdf.b_margin

    def heading(value: str, size: int = 18) -> None:
        pdf.set_font(family, "B", size)
        pdf.set_text_color(*DARK)
        pdf.multi_cell(width, size * 0.5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(value: str, size: float = 11, color=GREY, bold: bool = False) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(width, size * 0.48, text(value), new_x="LMARGIN", new_y="NEXT")

    def metrics(size: float) -> Metrics:
        def measure(value: str, bold: bool = False) -> float:
            pdf.set_font(family, "B" if bold else "", size)
            return pdf.get_string_width(text(value))

        return Metrics(lru_cache(maxsize=4096)(measure), size * PT * LINE_SPACING, PAD_X, PAD_Y)

    def draw(piece: TablePiece, numeric: list[bool], size: float) -> None:
        """The piece at the current position: a filled header row, zebra rows, each cell's lines top-aligned."""
        line = size * PT * LINE_SPACING
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.set_text_color(*DARK)
        y = pdf.get_y()
        for r, (cells, height) in enumerate(zip([piece.header, *piece.cells], piece.heights)):
            x = pdf.l_margin
            fill = HEADER_FILL if r == 0 else ZEBRA if r % 2 == 0 else (255, 255, 255)
            pdf.set_fill_color(*fill)
            for w in piece.widths:
                pdf.rect(x, y, w, height, style="DF")
                x += w
            pdf.set_font(family, "B" if r == 0 else "", size)
            for k in range(max(len(c) for c in cells)):  # line by line across the row: text reads in order
                x = pdf.l_margin
                for c, (lines, w) in enumerate(zip(cells, piece.widths)):
                    if k < len(lines) and lines[k]:
                        pdf.set_xy(x + PAD_X, y + PAD_Y + k * line)
                        align = "R" if numeric[piece.columns[c]] else "L"
                        pdf.cell(w - 2 * PAD_X, line, text(lines[k]), align=align)
                    x += w
            y += height
        pdf.set_xy(pdf.l_margin, y)

    def table(title: str, headers: list[str], rows: list[list[str]], numeric: list[bool], size: float,
              share_page: bool) -> None:
        """A table under its heading; a page per piece after the first, each headed "<title> (tiếp)"."""
        m = metrics(size)
        heading_h = 18 * 0.5 * max(1, len(wrap(title, width, metrics(18).measure, True))) + 1.5
        caption_h = CAPTION_PT * 0.48 + 2
        room = bottom - MARGIN_TOP - heading_h - caption_h - 1
        left = bottom - pdf.get_y() - 8 - heading_h - caption_h - 1
        pieces = layout_table(headers, rows, m, width, left, room) if share_page else None
        if pieces is None or left < 60 or not pieces[0].rows and rows or (pieces[0].cut and len(pieces[0].rows) < 3):
            pdf.add_page()
            pieces = layout_table(headers, rows, m, width, room, room)
        else:
            pdf.ln(8)
        for i, piece in enumerate(pieces):
            if i:
                pdf.add_page()
            heading(title + (" (tiếp)" if piece.continued else ""))
            draw(piece, numeric, size)
            pdf.ln(2)
            paragraph(f"{fmt.number(len(rows))} dòng." if len(pieces) == 1
                      else piece_caption(piece, len(rows), len(headers)) + ".", CAPTION_PT)

    # Cover
    pdf.add_page()
    pdf.set_y(38)
    if report.organisation:
        paragraph(report.organisation.upper(), 14, DARK, bold=True)
        pdf.ln(8)
    paragraph("BÁO CÁO", 13, (0, 114, 178), bold=True)
    pdf.ln(2)
    heading(report.title, 26)
    pdf.ln(4)
    for line in report.subtitle[1:] if report.organisation else report.subtitle:
        paragraph(line, 13)
        pdf.ln(1)
    for note in report.notes:
        pdf.ln(6)
        paragraph(note, 12, ACCENT, bold=True)

    images = render_images(report)
    for part in report.parts:
        if part.headline or part.notes or len(report.parts) > 1:
            name = part.title if len(report.parts) > 1 else "Số liệu chính"
            if part.headline:
                table(name, ["Chỉ số", "Giá trị"], [[label, value] for label, value in part.headline],
                      [False, False], TABLE_FONT_PT, share_page=False)
            else:
                pdf.add_page()
                heading(name)
            for note in part.notes:
                pdf.ln(2)
                paragraph("• " + note, 12)
        for title, fig in part.figures:
            pdf.add_page()
            heading(title)
            sub = figure_subtitle(fig)
            if sub:
                paragraph(sub, 11)
            pdf.ln(2)
            png = images.get(id(fig))
            if png is None:
                paragraph(chart_failed_note(title), 12, ACCENT)
                continue
            top = pdf.get_y()
            room_h = pdf.h - pdf.b_margin - top - 1
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                px_w, px_h = im.size
            w = width
            h = w * px_h / px_w
            if h > room_h:
                h = room_h
                w = h * px_w / px_h
            pdf.image(io.BytesIO(png), x=pdf.l_margin + (width - w) / 2, y=top, w=w, h=h, alt_text=title)
        for i, (title, frame) in enumerate(part.tables):
            headers, rows = _table_cells(frame)
            # small tables share a page: a table starts a new one when fewer than ~6 rows would fit
            table(title, headers, rows, _numeric_columns(rows, len(headers)), TABLE_FONT_PT, share_page=i > 0)
    return bytes(pdf.output())


def _strip_marks(value: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
