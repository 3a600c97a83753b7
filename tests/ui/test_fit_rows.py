"""An agency's criteria tables wrap long names instead of cutting them: row heights worked out by hand for the name
column's 220 px (28 letters a line at Streamlit's 14 px font, after the cell's padding)."""

from ui.fit import wrapped_rows


def test_short_names_keep_one_line_rows():
    assert wrapped_rows(["Thực hiện chế độ báo cáo", "Mức độ hoàn thành"], 220) == {"row_height": 35,
                                                                                    "height": 36 + 2 * 35 + 2}


def test_a_long_name_makes_every_row_tall_enough_to_read_it():
    # 60 letters: 3 lines of 28 → 3 × 18 + 12 = 66 px, the least at which Streamlit wraps
    assert wrapped_rows(["x" * 60, "ngắn"], 220) == {"row_height": 66, "height": 36 + 2 * 66 + 2}
    # 100 letters: 4 lines → 84 px
    assert wrapped_rows(["x" * 100], 220)["row_height"] == 84


def test_rows_stop_at_four_lines():
    assert wrapped_rows(["x" * 157], 220)["row_height"] == 84  # the rest in the cell's overlay and in Excel


def test_a_wider_column_needs_fewer_lines():
    assert wrapped_rows(["x" * 60], 440)["row_height"] == 66  # 58 letters a line: 2 lines, still the 66 px minimum
    assert wrapped_rows(["x" * 50], 440)["row_height"] == 35
