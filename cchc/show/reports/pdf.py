"""The report as PDF (fpdf2 with a Unicode TTF font, DejaVu Sans by default).
"""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path

from ... import formatting as fmt
from .content import (
    Report,
    _column_weights,
    _numeric_columns,
    _table_cells,
    figure_subtitle,
)
from .images import chart_failed_note, render_images

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


def report_pdf(report: Report) -> bytes:
    """A4 landscape: cover, headline figures, one chart per page, tables with wrapped text, "Trang x/y"."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    fonts = find_fonts()

    class _PDF(FPDF):
        def footer(self):
            self.set_y(-10)
            self.set_font(family, "", 8)
            self.set_text_color(100, 110, 120)
            self.cell(0, 5, text(f"{report.title} · {report.organisation}"), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")

    pdf = _PDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=16)
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

    def heading(value: str, size: int = 18) -> None:
        pdf.set_font(family, "B", size)
        pdf.set_text_color(31, 41, 51)
        pdf.multi_cell(width, size * 0.5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(value: str, size: int = 11, color=(82, 96, 109), bold: bool = False) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(width, size * 0.48, text(value), new_x="LMARGIN", new_y="NEXT")

    # Cover
    pdf.add_page()
    pdf.set_y(38)
    if report.organisation:
        paragraph(report.organisation.upper(), 14, (31, 41, 51), bold=True)
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
        paragraph(note, 11, (213, 94, 0), bold=True)

    images = render_images(report)
    headline_style = FontFace(emphasis="BOLD", fill_color=(220, 230, 241))
    for part in report.parts:
        if part.headline or part.notes or len(report.parts) > 1:
            pdf.add_page()
            heading(part.title if len(report.parts) > 1 else "Số liệu chính")
            if part.headline:
                pdf.set_font(family, "", 11)
                pdf.set_text_color(31, 41, 51)
                with pdf.table(col_widths=(0.42, 0.58), headings_style=headline_style, line_height=6.5,
                               text_align=("LEFT", "LEFT"), cell_fill_color=(245, 247, 250),
                               cell_fill_mode="ROWS", padding=1.6) as table:
                    table.row([text("Chỉ số"), text("Giá trị")])
                    for label, value in part.headline:
                        table.row([text(label), text(value)])
            for note in part.notes:
                pdf.ln(2)
                paragraph("• " + note, 10.5)
        for title, fig in part.figures:
            pdf.add_page()
            heading(title)
            sub = figure_subtitle(fig)
            if sub:
                paragraph(sub, 11)
            pdf.ln(2)
            png = images.get(id(fig))
            if png is None:
                paragraph(chart_failed_note(title), 12, (213, 94, 0))
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
        first_table = True
        for title, frame in part.tables:
            # small tables share a page; a table starts a new one when fewer than ~6 rows would fit
            if first_table or pdf.h - pdf.b_margin - pdf.get_y() < 60:
                pdf.add_page()
            else:
                pdf.ln(8)
            first_table = False
            heading(title)
            headers, rows = _table_cells(frame)
            numeric = _numeric_columns(rows, len(headers))
            size = 10 if len(headers) <= 6 else 9 if len(headers) <= 9 else 7.5
            pdf.set_font(family, "", size)
            pdf.set_text_color(31, 41, 51)
            weights = _column_weights(headers, rows)
            with pdf.table(col_widths=weights, headings_style=headline_style, line_height=size * 0.5,
                           text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
                           cell_fill_color=(245, 247, 250), cell_fill_mode="ROWS", padding=1.2,
                           repeat_headings=1) as table:
                table.row([text(h) for h in headers])
                for row in rows:
                    table.row([text(c) for c in row])
            pdf.ln(2)
            paragraph(f"{fmt.number(len(rows))} dòng.", 9)
    return bytes(pdf.output())


def _strip_marks(value: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
