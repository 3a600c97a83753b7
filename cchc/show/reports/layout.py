"""How a report table is laid out on fixed-size pages (PDF pages, PowerPoint slides) at a readable font size.

Pure geometry in the page's own unit (mm or inches), given a function that measures text:
- every column is at least as wide as its longest word, so a criterion code ("3.1.3", "III.3.a"), a number
  ("1.234", "95,2%") or a date is never broken across lines;
- a table too wide for one page is cut into column groups, each repeating the first column (the unit, the code);
- rows are wrapped at spaces and packed into pages by their real height; a table that goes on repeats its header
  and is marked continued (the writers add "(tiếp)" to the title).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Measure = Callable[[str, bool], float]  # (text, bold) → width in the page's unit

ELLIPSIS = "…"
TEXT_FLOOR = 0.2  # a column of running text gets at least this share of the width (if its text needs it)
WORD_CAP = 0.3  # a single "word" wider than this share of the width (a pasted URL) may break; codes never are
SLACK = 1.03  # widths get 3% more than measured: the viewer's hinting and kerning never push a word to a new line


@dataclass(frozen=True)
class Metrics:
    """The page's text metrics: a measure, the height of one line, the cell padding on each side."""
    measure: Measure
    line: float
    pad_x: float
    pad_y: float


@dataclass
class TablePiece:
    """One page's share of a table: which columns (with their widths) and rows, already wrapped into lines."""
    columns: list[int]
    widths: list[float]
    rows: list[int]
    header: list[list[str]]  # per column, its lines
    cells: list[list[list[str]]]  # per row, per column, its lines
    heights: list[float]  # the header row's height first, then each row's
    group: int = 0  # the column group (0 when the table fits the width)
    groups: int = 1
    continued: bool = False  # not the table's first page: "(tiếp)"
    cut: set[tuple[int, int]] = field(default_factory=set)  # (row, column) cells shortened to fit one page

    @property
    def height(self) -> float:
        return sum(self.heights)


def wrap(text: str, width: float, measure: Measure, bold: bool = False) -> list[str]:
    """`text` broken at spaces (and at its own line breaks) into lines no wider than `width`.

    A word wider than the whole line is the only thing broken inside (the column widths make sure no code or
    number is ever that wide)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if measure(candidate, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while measure(current, bold) > width and len(current) > 1:
                cut = _fitting_prefix(current, width, measure, bold)
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines or [""]


def _fitting_prefix(word: str, width: float, measure: Measure, bold: bool) -> int:
    n = 1
    while n < len(word) and measure(word[:n + 1], bold) <= width:
        n += 1
    return n


def longest_word(text: str, measure: Measure, bold: bool = False) -> float:
    return max((measure(w, bold) for w in str(text).split()), default=0.0)


def column_bounds(headers: Sequence[str], rows: Sequence[Sequence[str]], metrics: Metrics,
                  available: float) -> list[tuple[float, float, float]]:
    """Per column: (hard, floor, desired) widths, padding included.

    hard: its longest word (header in bold); floor: what it should get before any other column grows (running text
    gets up to TEXT_FLOOR of the width); desired: every cell on one line, the header on at most two."""
    m, pad = metrics.measure, 2 * metrics.pad_x
    out = []
    for c, header in enumerate(headers):
        cells = [r[c] for r in rows if r[c]]
        hard = max([longest_word(header, m, True), *(longest_word(v, m) for v in cells)])
        hard = min(hard, WORD_CAP * available - pad)
        natural = max([m(v, False) for v in cells] or [0.0])
        header_half = m(header, True) / 2 if " " in header.strip() else m(header, True)
        desired = max(hard, natural, header_half)
        floor = max(hard, min(desired, TEXT_FLOOR * available - pad))
        out.append((hard * SLACK + pad, floor * SLACK + pad, desired * SLACK + pad))
    return out


def column_groups(bounds: Sequence[tuple[float, float, float]], available: float, key: int = 0) -> list[list[int]]:
    """The columns of each group: one group when the floors fit, else the fewest groups, balanced, each led by the
    `key` column (the unit or code that names the row)."""
    floors = [b[1] for b in bounds]
    if sum(floors) <= available or len(bounds) <= 2:
        return [list(range(len(bounds)))]
    others = [c for c in range(len(bounds)) if c != key]
    room = available - floors[key]
    # the fewest groups (greedy), then the same number balanced: the widest group as narrow as possible
    count, used = 1, 0.0
    for c in others:
        if used and used + floors[c] > room:
            count, used = count + 1, 0.0
        used += floors[c]
    parts = _balanced(others, [floors[c] for c in others], count, room)
    return [[key, *part] for part in parts]


def _balanced(items: list[int], weights: list[float], k: int, room: float) -> list[list[int]]:
    """`items` cut into k contiguous runs minimising the heaviest run (each within `room` where possible)."""
    n = len(items)
    prefix = [0.0]
    for w in weights:
        prefix.append(prefix[-1] + w)
    best = [[math.inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(1, n + 1):
            for s in range(j - 1, i):
                run = prefix[i] - prefix[s]
                cost = max(best[j - 1][s], run if run <= room or i - s == 1 else math.inf)
                if cost < best[j][i]:
                    best[j][i], cut[j][i] = cost, s
    runs, i = [], n
    for j in range(k, 0, -1):
        s = cut[j][i]
        runs.append(items[s:i])
        i = s
    return [r for r in reversed(runs) if r]


def widths_for(columns: Sequence[int], bounds: Sequence[tuple[float, float, float]], available: float) -> list[float]:
    """Floors first, then toward the desired widths, then the rest in proportion: the group fills `available`."""
    floors = [bounds[c][1] for c in columns]
    desired = [bounds[c][2] for c in columns]
    widths = list(floors)
    spare = available - sum(widths)
    if spare <= 0:  # cannot happen for a group built by column_groups unless one column alone is too wide
        scale = available / sum(widths)
        hard = [bounds[c][0] for c in columns]
        return [max(h, w * scale) if sum(hard) <= available else w * scale for w, h in zip(widths, hard)]
    wants = [d - f for d, f in zip(desired, floors)]
    if sum(wants) > 0:
        share = min(1.0, spare / sum(wants))
        widths = [w + want * share for w, want in zip(widths, wants)]
        spare = available - sum(widths)
    if spare > 1e-9:
        total = sum(widths)
        widths = [w + spare * w / total for w in widths]
    return widths


def layout_table(headers: Sequence[str], rows: Sequence[Sequence[str]], metrics: Metrics, available: float,
                 first_room: float, room: float, max_rows: int | None = None, key: int = 0) -> list[TablePiece]:
    """The pages of a table: column groups one after another, each cut into pages of rows, as even as the page
    count allows (20 rows on two pages: 10 and 10, not 16 and 4).

    first_room: the height left on the current page for the first piece (header included); room: a fresh page's.
    A row taller than a whole page has its longest cells shortened, ending in "…" (listed in `cut`)."""
    bounds = column_bounds(headers, rows, metrics, available)
    groups = column_groups(bounds, available, key)
    line, pad_y = metrics.line, metrics.pad_y
    pieces: list[TablePiece] = []
    for g, columns in enumerate(groups):
        widths = widths_for(columns, bounds, available)
        inner = [w - 2 * metrics.pad_x for w in widths]
        header = [wrap(headers[c], w, metrics.measure, True) for c, w in zip(columns, inner)]
        header_h = max(len(h) for h in header) * line + 2 * pad_y
        wrapped = [[wrap(row[c], w, metrics.measure) for c, w in zip(columns, inner)] for row in rows]
        first = first_room if not pieces else room
        template = TablePiece(list(columns), widths, [], header, [], [header_h], g, len(groups))
        group_pieces = _pack(template, wrapped, inner, metrics, first, room, max_rows)
        if len(group_pieces) > 1:
            even = -(-len(rows) // len(group_pieces))
            balanced = _pack(template, wrapped, inner, metrics, first, room, min(even, max_rows or even))
            if len(balanced) == len(group_pieces):
                group_pieces = balanced
        for piece in group_pieces:
            piece.continued = bool(pieces)
            pieces.append(piece)
    return pieces


def _pack(template: TablePiece, wrapped: list[list[list[str]]], inner: list[float], metrics: Metrics, first: float,
          room: float, limit_rows: int | None) -> list[TablePiece]:
    """The wrapped rows of one column group packed into pieces like `template`: `first` high, then `room`."""
    line, pad_y, header_h = metrics.line, metrics.pad_y, template.heights[0]

    def new() -> TablePiece:
        return TablePiece(template.columns, template.widths, [], template.header, [], [header_h], template.group,
                          template.groups)

    out: list[TablePiece] = []
    for r, original in enumerate(wrapped):
        cells = list(original)
        height = max(len(c) for c in cells) * line + 2 * pad_y
        piece = out[-1] if out else None
        if piece is not None:
            limit = first if len(out) == 1 else room
            if piece.height + height > limit or (limit_rows is not None and len(piece.rows) >= limit_rows):
                piece = None
        if piece is None:
            piece = new()
            out.append(piece)
        limit = first if len(out) == 1 else room
        most = max(1, int((limit - header_h - 2 * pad_y) / line + 1e-9))
        if max(len(c) for c in cells) > most:  # taller than a page: shorten the long cells
            for i, c in enumerate(cells):
                if len(c) > most:
                    cells[i] = c[:most - 1] + [_ellipsis(c[most - 1], inner[i], metrics.measure)]
                    piece.cut.add((r, template.columns[i]))
            height = most * line + 2 * pad_y
        piece.rows.append(r)
        piece.cells.append(cells)
        piece.heights.append(height)
    return out or [new()]


def _ellipsis(line: str, width: float, measure: Measure) -> str:
    text = line.rstrip()
    while text and measure(text + ELLIPSIS, False) > width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


def piece_caption(piece: TablePiece, n_rows: int, n_columns: int) -> str:
    """"Dòng 1–15 trong 20 dòng", with "; cột 8–13 trong 13 cột" when the table is cut by columns."""
    from ... import formatting as fmt

    if not piece.rows:
        return "Không có dòng nào."
    first, last = piece.rows[0] + 1, piece.rows[-1] + 1
    text = f"Dòng {fmt.number(first)}–{fmt.number(last)} trong {fmt.number(n_rows)} dòng"
    if piece.groups > 1:
        shown = [c + 1 for c in (piece.columns if piece.group == 0 else piece.columns[1:])]
        text += f"; cột {min(shown)}–{max(shown)} trong {n_columns} cột"
    return text


def truetype_measure(regular: str | None, bold: str | None, size: float, unit_per_point: float,
                     fallback: tuple[str, str] | None = None) -> Measure:
    """Text widths from TrueType files (Pillow) at `size` points, in page units. Characters the font lacks (✖, ◐)
    are measured in `fallback`, as the viewer would draw them. Without any file, a wide estimate (0,62 em a
    character, 0,66 bold: wider than Arial or DejaVu Sans on Vietnamese text, so tables still fit)."""
    from functools import lru_cache

    fonts: list[tuple[set[int] | None, dict]] = []  # (code points covered, {bold: font}), primary first
    for pair in ((regular, bold), fallback or (None, None)):
        if pair[0]:
            from fontTools.ttLib import TTFont
            from PIL import ImageFont

            with TTFont(pair[0], lazy=True) as tt:
                covered = set(tt.getBestCmap() or ())
            fonts.append((covered, {False: ImageFont.truetype(pair[0], 1000),
                                    True: ImageFont.truetype(pair[1] or pair[0], 1000)}))
    scale = size * unit_per_point / 1000

    def runs(text: str):
        """Pieces of `text` with the font that draws them."""
        start, current = 0, None
        for i, ch in enumerate(text):
            font = next((f for covered, f in fonts if ord(ch) in covered), fonts[-1][1])
            if font is not current and i:
                yield text[start:i], current
                start = i
            current = font
        if text:
            yield text[start:], current

    @lru_cache(maxsize=4096)
    def measure(text: str, is_bold: bool = False) -> float:
        if fonts:
            return sum(font[bool(is_bold)].getlength(piece) for piece, font in runs(text)) * scale
        return len(text) * (660 if is_bold else 620) * scale

    return measure
