"""Report tables on fixed-size pages (cchc/show/reports/layout.py), with a measure of one unit per character, one
unit per line and no padding, so every expected width, line and page below is counted by hand: codes and numbers
are never broken, a wide table is cut into column groups that each repeat the first column, rows go onto pages by
their height (as evenly as the page count allows), and a row taller than a page is shortened with "…"."""

from __future__ import annotations

import pytest

from cchc.show.reports.layout import (
    SLACK,
    Metrics,
    column_bounds,
    layout_table,
    piece_caption,
    wrap,
)


def chars(text: str, bold: bool = False) -> float:
    return float(len(text))


METRICS = Metrics(chars, line=1.0, pad_x=0.0, pad_y=0.0)


def test_wrap_breaks_at_spaces_and_only_an_overlong_word_inside():
    assert wrap("Tỷ lệ hồ sơ giải quyết đúng hạn", 12, chars) == ["Tỷ lệ hồ sơ", "giải quyết", "đúng hạn"]
    assert wrap("Phòng Tư pháp", 13, chars) == ["Phòng Tư pháp"]  # exactly as wide as the line: one line
    assert wrap("", 10, chars) == [""]
    assert wrap("Dòng một\nDòng hai", 40, chars) == ["Dòng một", "Dòng hai"]
    # what the column widths prevent: a code in a column narrower than itself would be cut
    assert wrap("III.3.a", 5, chars) == ["III.3", ".a"]


def test_every_column_is_at_least_as_wide_as_its_longest_word():
    headers = ["Mã", "Tiêu chí", "Điểm bị mất"]
    rows = [["III.3.a", "Tỷ lệ hồ sơ giải quyết đúng hạn", "1.234,5"], ["1.2", "Báo cáo định kỳ", "0,75"]]
    hard = [b[0] for b in column_bounds(headers, rows, METRICS, 100)]
    # longest words: "III.3.a" (7), "quyết" (5), "1.234,5" (7; the header's "Điểm" is 4), each with 3% to spare
    assert hard == pytest.approx([7 * SLACK, 5 * SLACK, 7 * SLACK])


CODES = ["1.2", "3.1.3", "III.3.a", "7.2.1", "6.8.4"]
WIDE_HEADERS = ["Mã", "Tiêu chí", *(f"Cột số {i}" for i in range(1, 11))]
WIDE_ROWS = [[code, "Thực hiện chế độ báo cáo định kỳ", *(f"{i}.234,5" for i in range(1, 11))] for code in CODES]


@pytest.fixture(scope="module")
def wide():
    # 12 columns in 60 characters: each number column needs 7 (+3%), the criterion ("Thực hiện…", 32) up to 20%
    return layout_table(WIDE_HEADERS, WIDE_ROWS, METRICS, available=60, first_room=100, room=100)


def test_a_wide_table_is_cut_into_column_groups_each_led_by_the_code(wide):
    # floors (3% spare included): "Mã" 7,21; "Tiêu chí" 12,36 (20% of 60); "Cột số 1"–"9" 7,21; "Cột số 10" 8,24
    # ("10.234,5"). Beside "Mã", 52,79 is left: the fewest groups is two; the most even two are the criterion and
    # four number columns (41,2) then six number columns (44,29), not five (48,41) then five (37,08)
    assert [piece.columns for piece in wide] == [[0, 1, 2, 3, 4, 5], [0, 6, 7, 8, 9, 10, 11]]
    assert all(sum(piece.widths) == pytest.approx(60) for piece in wide)  # each group fills the width
    assert [piece.continued for piece in wide] == [False, True]
    assert all(piece.groups == 2 for piece in wide)


def test_codes_and_numbers_are_never_broken(wide):
    for piece in wide:
        assert [cells[0] for cells in piece.cells] == [[code] for code in CODES]  # one line each, whole
        for cells in piece.cells:
            for column, lines in zip(piece.columns, cells):
                if column >= 2:
                    assert len(lines) == 1 and lines[0].endswith(".234,5")


def test_rows_go_onto_pages_by_height_as_evenly_as_the_page_count_allows():
    rows = [[f"Đơn vị {i}", str(i)] for i in range(1, 21)]
    # a page holds 13 lines: the header and 12 one-line rows; 20 rows need two pages: 10 and 10, not 12 and 8
    pieces = layout_table(["Đơn vị", "Số"], rows, METRICS, available=40, first_room=13, room=13)
    assert [len(p.rows) for p in pieces] == [10, 10]
    assert [p.rows[0] for p in pieces] == [0, 10]
    assert all(p.height <= 13 for p in pieces)
    assert all(p.header == pieces[0].header for p in pieces)  # the header on every page
    # the first piece has only what is left of the current page: 4 lines, header included
    pieces = layout_table(["Đơn vị", "Số"], rows, METRICS, available=40, first_room=4, room=13)
    assert [len(p.rows) for p in pieces] == [3, 12, 5]
    # at most max_rows a page, whatever room is left
    assert [len(p.rows) for p in layout_table(["Đơn vị", "Số"], rows, METRICS, 40, 100, 100, max_rows=8)] == \
        [7, 7, 6]


def test_a_tall_row_moves_to_the_next_page_whole():
    rows = [["a"], ["b"], ["dài " * 6]]  # "dài" six times in a 4-wide column: six lines
    pieces = layout_table(["X"], rows, METRICS, available=4.2, first_room=8, room=8)
    assert [p.rows for p in pieces] == [[0, 1], [2]]
    assert pieces[1].heights == [1, 6]


def test_a_row_taller_than_a_page_is_shortened_with_an_ellipsis():
    text = " ".join(["chữ"] * 30)  # thirty words, one a line in a 4-wide column
    pieces = layout_table(["Ghi chú"], [[text]], METRICS, available=4.2, first_room=6, room=6)
    (piece,) = pieces
    assert piece.heights == [2, 4]  # "Ghi" / "chú" header, then the 4 lines that fit in 6
    assert piece.cells[0][0] == ["chữ", "chữ", "chữ", "chữ…"]
    assert piece.cut == {(0, 0)}


def test_captions():
    rows = [[f"Đơn vị {i}", str(i)] for i in range(1, 21)]
    pieces = layout_table(["Đơn vị", "Số"], rows, METRICS, available=40, first_room=13, room=13)
    assert [piece_caption(p, 20, 2) for p in pieces] == ["Dòng 1–10 trong 20 dòng", "Dòng 11–20 trong 20 dòng"]
    wide = layout_table(WIDE_HEADERS, WIDE_ROWS, METRICS, available=60, first_room=100, room=100)
    first, last = piece_caption(wide[0], 5, 12), piece_caption(wide[-1], 5, 12)
    assert first == f"Dòng 1–5 trong 5 dòng; cột 1–{len(wide[0].columns)} trong 12 cột"
    assert last == f"Dòng 1–5 trong 5 dòng; cột {wide[-1].columns[1] + 1}–12 trong 12 cột"
