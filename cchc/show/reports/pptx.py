"""The report as PowerPoint (python-pptx, 16:9 slides).
"""

from __future__ import annotations

import io

from ... import formatting as fmt
from .content import (
    PPTX_TABLE_ROWS,
    Report,
    _column_weights,
    _numeric_columns,
    _table_cells,
    figure_subtitle,
)
from .images import chart_failed_note, render_images

# ---------------------------------------------------------------------------------------------------------------- #
# PowerPoint (python-pptx, 16:9)
# ---------------------------------------------------------------------------------------------------------------- #

def report_pptx(report: Report) -> bytes:
    """16:9: a cover, the headline figures, one slide per chart, one per table (its first rows)."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)  # 13,333 × 7,5 in: 16:9
    slide_w, slide_h = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    dark, grey, accent = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D), RGBColor(0xD5, 0x5E, 0x00)

    def titled(title: str):
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = margin, Inches(0.3), slide_w - 2 * margin, Inches(0.95)
        shape.text = title
        frame = shape.text_frame
        frame.word_wrap = True
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size = Pt(28 if len(title) <= 45 else 24 if len(title) <= 70 else 20)
                run.font.bold = True
                run.font.color.rgb = dark
        return slide

    def textbox(slide, lines: list[str], top, height, size: int = 16, color=grey, bold: bool = False):
        box = slide.shapes.add_textbox(margin, top, slide_w - 2 * margin, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)
            paragraph.font.color.rgb = color
            paragraph.font.bold = bold
        return box

    def table(slide, headers: list[str], rows: list[list[str]], top, size: float, widths: list[float],
              numeric: list[bool], heights: list[float]):
        total = sum(widths) or 1
        available = slide_w - 2 * margin
        shape = slide.shapes.add_table(len(rows) + 1, len(headers), margin, top, available,
                                       Inches(sum(heights)))
        grid = shape.table
        for i, weight in enumerate(widths):
            grid.columns[i].width = Emu(int(available * weight / total))
        for r, height in enumerate(heights):
            grid.rows[r].height = Inches(height)
        for r, row in enumerate([headers, *rows]):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = value
                cell.margin_left = cell.margin_right = Inches(0.05)
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(size)
                    paragraph.font.bold = r == 0
                    if r > 0 and numeric[c]:
                        paragraph.alignment = PP_ALIGN.RIGHT
        return shape

    def fitting(headers: list[str], rows: list[list[str]], widths: list[float], size: float, room: float,
                limit: int) -> tuple[int, list[float]]:
        """How many rows (at most `limit`) fit in `room` inches, and the row heights (header first)."""
        inches = (slide_w - 2 * margin) / 914400
        total = sum(widths) or 1
        chars_per_inch = 72 / (size * 0.55)
        line = size * 1.25 / 72

        def height(row: list[str]) -> float:
            lines = max(max(1, -(-len(cell) // max(1, int(inches * w / total * chars_per_inch - 1))))
                        for cell, w in zip(row, widths))
            return lines * line + 0.08

        heights = [height(headers)]
        for row in rows[:limit]:
            h = height(row)
            if sum(heights) + h > room and len(heights) > 1:
                break
            heights.append(h)
        return len(heights) - 1, heights

    # Cover: the title layout, its placeholders moved to fit 16:9
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    title_shape, sub_shape = cover.shapes.title, cover.placeholders[1]
    title_shape.left, title_shape.top = margin, Inches(1.6)
    title_shape.width, title_shape.height = slide_w - 2 * margin, Inches(1.8)
    title_shape.text = report.title
    for paragraph in title_shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(40), True, dark
    sub_shape.left, sub_shape.top = margin, Inches(3.6)
    sub_shape.width, sub_shape.height = slide_w - 2 * margin, Inches(3.2)
    frame = sub_shape.text_frame
    for i, line in enumerate([*report.subtitle, *report.notes]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(20 if i < len(report.subtitle) else 14)
        paragraph.font.color.rgb = grey if i < len(report.subtitle) else accent

    images = render_images(report)
    for part in report.parts:
        name = "Số liệu chính" + (f": {part.title}" if len(report.parts) > 1 else "")
        remaining = [[label, value] for label, value in part.headline]
        n = 0
        while remaining:
            slide = titled(name + (" (tiếp)" if n else ""))
            count, heights = fitting(["Chỉ số", "Giá trị"], remaining, [0.42, 0.58], 15, 5.6, 14)
            table(slide, ["Chỉ số", "Giá trị"], remaining[:count], Inches(1.35), 15, [0.42, 0.58],
                  [False, False], heights)
            remaining, n = remaining[count:], n + 1
            top = Inches(1.35 + sum(heights) + 0.15)
            if not remaining and part.notes and top < slide_h - Inches(0.8):
                textbox(slide, ["• " + note for note in part.notes], top, slide_h - top - Inches(0.3), 13)
        if part.notes and not part.headline:
            slide = titled(name)
            textbox(slide, ["• " + note for note in part.notes], Inches(1.4), Inches(5.5), 16)
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
            room_w, room_h = slide_w - 2 * margin, slide_h - top - Inches(0.3)
            w = room_w
            h = int(w * px_h / px_w)
            if h > room_h:
                h = room_h
                w = int(h * px_w / px_h)
            slide.shapes.add_picture(io.BytesIO(png), int(margin + (room_w - w) / 2), int(top), int(w), int(h))
        for title, frame_ in part.tables:
            slide = titled(title)
            headers, rows = _table_cells(frame_)
            numeric = _numeric_columns(rows, len(headers))
            size = 12 if len(headers) <= 6 else 10 if len(headers) <= 9 else 8
            widths = _column_weights(headers, rows)
            cells = [[_shorten(c, 120) for c in r] for r in rows]
            count, heights = fitting(headers, cells, widths, size, 5.5, PPTX_TABLE_ROWS)
            table(slide, headers, cells[:count], Inches(1.3), size, widths, numeric, heights)
            if len(rows) > count:
                textbox(slide, [f"{count}/{fmt.number(len(rows))} dòng đầu; bảng đầy đủ có trong báo cáo PDF "
                                "và tệp Excel."], slide_h - Inches(0.55), Inches(0.4), 11)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"
