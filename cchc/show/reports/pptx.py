"""The report as PowerPoint (python-pptx, 16:9 slides) for a projector.

Tables are set at 14 pt (TABLE_FONT_PT) in Arial: every office machine has it (Linux maps it to the metric-equal
Liberation Sans), so the widths measured here are the widths PowerPoint draws. A table too long or too wide for a
slide goes on over the next slides, header repeated and "(tiếp)" in the title; rows per slide come from the row
heights the text needs at 14 pt, so nothing runs off the slide. Every slide of illustrative data says so.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from ... import formatting as fmt
from .content import (
    ILLUSTRATIVE_NOTICE,
    PPTX_MAX_TABLE_SLIDES,
    PPTX_TABLE_ROWS,
    TABLE_FONT_PT,
    Report,
    _numeric_columns,
    _table_cells,
    figure_subtitle,
)
from .images import chart_failed_note, render_images
from .layout import Metrics, TablePiece, layout_table, piece_caption, truetype_measure, wrap

FONT_NAME = "Arial"
# Arial's metrics: Liberation Sans is metric-compatible; DejaVu Sans (wider) is the last resort, safe as an estimate
MEASURE_FONTS = (("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"), ("arial.ttf", "arialbd.ttf"),
                 ("Arial.ttf", "Arial Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
LINE_SPACING = 1.2  # Arial's line at single spacing is 1,15 em: a little more, so a row never needs to grow

# Slide geometry, inches (16:9, 13,333 × 7,5)
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
CONTENT_TOP = 1.35  # below the title
FOOTER_TOP = 7.0  # the footer band: a table's "Dòng 1–15 trong 20 dòng" on the left, the data notice on the right
FOOTER_H = 0.4
CONTENT_BOTTOM = FOOTER_TOP - 0.05
PAD_X, PAD_Y = 0.06, 0.04
HEADLINE_PT = 16
NOTE_PT = 16


def measure_fonts() -> tuple[str, str] | None:
    from .pdf import FONT_DIRS

    for regular, bold in MEASURE_FONTS:
        for folder in FONT_DIRS:
            path = Path(folder) / regular
            if path.is_file():
                bold_path = Path(folder) / bold
                return str(path), str(bold_path if bold_path.is_file() else path)
    return None


@lru_cache(maxsize=8)
def slide_metrics(size: float) -> Metrics:
    from .pdf import find_fonts

    fonts = measure_fonts() or (None, None)
    symbols = find_fonts()  # DejaVu first: the symbols Arial lacks (✔ ✖ ◐) come from a font like it
    return Metrics(truetype_measure(fonts[0], fonts[1], size, 1 / 72, symbols if symbols != fonts else None),
                   size * LINE_SPACING / 72, PAD_X, PAD_Y)


def table_pieces(headers: list[str], rows: list[list[str]], metrics: Metrics,
                 max_slides: int = PPTX_MAX_TABLE_SLIDES) -> tuple[list[TablePiece], int]:
    """The slides of one table, and how many of its rows they show (the first rows, when it needs more than
    `max_slides` slides)."""
    room = CONTENT_BOTTOM - CONTENT_TOP
    width = SLIDE_W - 2 * MARGIN
    shown = len(rows)
    while True:
        pieces = layout_table(headers, rows[:shown], metrics, width, room, room, PPTX_TABLE_ROWS)
        if len(pieces) <= max_slides or shown <= 1:
            return pieces, shown
        groups = pieces[0].groups
        per_group = max(1, max_slides // groups)
        first_group = [p for p in pieces if p.group == 0][:per_group]
        fewer = sum(len(p.rows) for p in first_group)
        shown = fewer if fewer < shown else shown - 1


def report_pptx(report: Report) -> bytes:
    """16:9: a cover, the headline figures, one slide per chart, tables over as many slides as they need."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)  # 13,333 × 7,5 in: 16:9
    slide_w = prs.slide_width
    margin = Inches(MARGIN)
    dark, grey, accent = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D), RGBColor(0xD5, 0x5E, 0x00)
    header_fill, zebra = RGBColor(0xDC, 0xE6, 0xF1), RGBColor(0xF5, 0xF7, 0xFA)

    def style_runs(paragraph, size: float, bold: bool = False, color=None) -> None:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT_NAME
            if color is not None:
                run.font.color.rgb = color

    def footer(slide, caption: str | None = None) -> None:
        """The bottom band: the table's caption on the left, the illustrative-data notice on the right."""
        if caption:
            textbox(slide, [caption], Inches(FOOTER_TOP), Inches(FOOTER_H), 14, left=margin,
                    width=Inches(6.4))
        if report.illustrative:
            box = textbox(slide, [ILLUSTRATIVE_NOTICE], Inches(FOOTER_TOP), Inches(FOOTER_H), 14, accent, True,
                          left=Inches(SLIDE_W - MARGIN - 5.6), width=Inches(5.6))
            box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT

    def titled(title: str, caption: str | None = None):
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = margin, Inches(0.3), slide_w - 2 * margin, Inches(0.95)
        shape.text = title
        frame = shape.text_frame
        frame.word_wrap = True
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            style_runs(paragraph, 28 if len(title) <= 45 else 24 if len(title) <= 70 else 20, True, dark)
        footer(slide, caption)
        return slide

    def textbox(slide, lines: list[str], top, height, size: float = 16, color=grey, bold: bool = False,
                left=None, width=None):
        box = slide.shapes.add_textbox(margin if left is None else left, top,
                                       slide_w - 2 * margin if width is None else width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
            style_runs(paragraph, size, bold, color)
        return box

    def notes_height(lines: list[str], size: float) -> float:
        """Inches the bullet lines take at `size` points across the slide."""
        metrics = slide_metrics(size)
        inner = SLIDE_W - 2 * MARGIN - 0.2  # a text box's own insets
        return sum(len(wrap(line, inner, metrics.measure)) for line in lines) * metrics.line + 0.15

    def table(slide, piece: TablePiece, headers: list[str], rows: list[list[str]], size: float,
              numeric: list[bool]):
        grid_shape = slide.shapes.add_table(len(piece.rows) + 1, len(piece.columns), margin, Inches(CONTENT_TOP),
                                            Inches(sum(piece.widths)), Inches(piece.height))
        grid = grid_shape.table
        for i, width in enumerate(piece.widths):
            grid.columns[i].width = Emu(int(width * 914400))
        for r, height in enumerate(piece.heights):
            grid.rows[r].height = Emu(int(height * 914400))
        grid_shape.width = Emu(sum(c.width for c in grid.columns))
        grid_shape.height = Emu(sum(r.height for r in grid.rows))
        lines = [piece.header, *piece.cells]
        for r, row in enumerate(lines):
            for c, cell_lines in enumerate(row):
                cell = grid.cell(r, c)
                # the text as written (PowerPoint wraps it where it was measured to wrap); a cell cut to fit a
                # slide keeps the lines that fit and its "…"
                column = piece.columns[c]
                if r == 0:
                    cell.text = headers[column]
                elif (piece.rows[r - 1], column) in piece.cut:
                    cell.text = " ".join(cell_lines)
                else:
                    cell.text = rows[piece.rows[r - 1]][column]
                cell.margin_left = cell.margin_right = Inches(PAD_X)
                cell.margin_top = cell.margin_bottom = Inches(PAD_Y)
                cell.fill.solid()
                cell.fill.fore_color.rgb = header_fill if r == 0 else zebra if r % 2 == 0 else RGBColor(255, 255, 255)
                for paragraph in cell.text_frame.paragraphs:
                    style_runs(paragraph, size, r == 0, dark)
                    if numeric[column]:  # the header over its numbers too
                        paragraph.alignment = PP_ALIGN.RIGHT
        return grid_shape

    # Cover: the title layout, its placeholders moved to fit 16:9
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    title_shape, sub_shape = cover.shapes.title, cover.placeholders[1]
    title_shape.left, title_shape.top = margin, Inches(1.6)
    title_shape.width, title_shape.height = slide_w - 2 * margin, Inches(1.8)
    title_shape.text = report.title
    for paragraph in title_shape.text_frame.paragraphs:
        style_runs(paragraph, 40, True, dark)
    sub_shape.left, sub_shape.top = margin, Inches(3.6)
    sub_shape.width, sub_shape.height = slide_w - 2 * margin, Inches(3.3)
    frame = sub_shape.text_frame
    for i, line in enumerate([*report.subtitle, *report.notes]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        is_subtitle = i < len(report.subtitle)
        style_runs(paragraph, 20 if is_subtitle else 16, not is_subtitle, grey if is_subtitle else accent)
    footer(cover)

    images = render_images(report)
    headline_metrics = slide_metrics(HEADLINE_PT)
    table_metrics = slide_metrics(TABLE_FONT_PT)
    for part in report.parts:
        name = "Số liệu chính" + (f": {part.title}" if len(report.parts) > 1 else "")
        notes = ["• " + note for note in part.notes]
        if part.headline:
            headers, rows = ["Chỉ số", "Giá trị"], [[label, value] for label, value in part.headline]
            room = CONTENT_BOTTOM - CONTENT_TOP
            pieces = layout_table(headers, rows, headline_metrics, SLIDE_W - 2 * MARGIN, room, room, 14)
            for piece in pieces:
                slide = titled(name + (" (tiếp)" if piece.continued else ""))
                table(slide, piece, headers, rows, HEADLINE_PT, [False, False])
            top = CONTENT_TOP + pieces[-1].height + 0.15
            if notes and top + notes_height(notes, NOTE_PT) <= CONTENT_BOTTOM:
                textbox(slide, notes, Inches(top), Inches(CONTENT_BOTTOM - top), NOTE_PT)
                notes = []
        if notes:  # no headline figures, or too many notes to sit under them
            slide = titled(name + (" (tiếp)" if part.headline else ""))
            textbox(slide, notes, Inches(CONTENT_TOP), Inches(CONTENT_BOTTOM - CONTENT_TOP), NOTE_PT)
        for title, fig in part.figures:
            slide = titled(title)
            sub = figure_subtitle(fig)
            top = Inches(1.25)
            if sub:
                textbox(slide, [sub], top, Inches(0.45), 14)
                top += Inches(0.45)
            png = images.get(id(fig))
            if png is None:
                textbox(slide, [chart_failed_note(title)], top + Inches(0.3), Inches(1.5), 18, accent)
                continue
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                px_w, px_h = im.size
            room_w, room_h = slide_w - 2 * margin, Inches(CONTENT_BOTTOM) - top
            w = room_w
            h = int(w * px_h / px_w)
            if h > room_h:
                h = room_h
                w = int(h * px_w / px_h)
            slide.shapes.add_picture(io.BytesIO(png), int(margin + (room_w - w) / 2), int(top), int(w), int(h))
        for title, frame_ in part.tables:
            headers, rows = _table_cells(frame_)
            numeric = _numeric_columns(rows, len(headers))
            pieces, shown = table_pieces(headers, rows, table_metrics)
            for i, piece in enumerate(pieces):
                caption = piece_caption(piece, len(rows), len(headers)) if len(pieces) > 1 else None
                if shown < len(rows) and i == len(pieces) - 1:
                    caption = (f"Trình chiếu có {fmt.number(shown)}/{fmt.number(len(rows))} dòng đầu; "
                               "bảng đầy đủ có trong báo cáo PDF và tệp Excel.")
                slide = titled(title + (" (tiếp)" if piece.continued else ""), caption)
                table(slide, piece, headers, rows, TABLE_FONT_PT, numeric)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
