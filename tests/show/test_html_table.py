"""Plain HTML tables (cchc.show.html_table): every text from a file shown as text, links only where asked."""

import pandas as pd
from support import html_tables

from cchc.show.html_table import table_html


class _Element:
    def __init__(self, body):
        self.proto = type("Proto", (), {"body": body})()


class _Page:
    """What support.html_tables reads from an AppTest run: its st.html elements."""

    def __init__(self, *bodies):
        self.bodies = bodies

    def get(self, kind):
        return [_Element(b) for b in self.bodies] if kind == "html" else []


def test_names_from_a_workbook_are_text_not_markup():
    frame = pd.DataFrame({"Đơn vị": ['<img src=x onerror="alert(1)">', "Phòng A & B"], "Tỷ lệ": ["95,2%", None]})
    body = table_html(frame, label="Bảng <thử>")
    assert "<img" not in body and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert "Phòng A &amp; B" in body
    assert 'aria-label="Bảng &lt;thử&gt;"' in body
    (shown,) = html_tables(_Page(body))
    assert shown.to_dict("list") == {"Đơn vị": ['<img src=x onerror="alert(1)">', "Phòng A & B"],
                                     "Tỷ lệ": ["95,2%", "–"]}  # a missing value reads "–", never "None"


def test_links_go_only_where_asked_and_stay_in_the_tab():
    frame = pd.DataFrame({"Đơn vị": ["UBND xã Ia Tul", "Phòng Nội vụ"], "Cấp": ["Cấp xã", "Cấp huyện"]})
    body = table_html(frame, label="Đơn vị", links={"Đơn vị": {"UBND xã Ia Tul": 'don-vi?don_vi=Ia"Tul'}})
    assert body.count("<a ") == 1
    assert '<a href="don-vi?don_vi=Ia&quot;Tul" target="_self">UBND xã Ia Tul</a>' in body
    (shown,) = html_tables(_Page(body))
    assert shown.attrs["links"]["Đơn vị"] == {"UBND xã Ia Tul": 'don-vi?don_vi=Ia"Tul'}


def test_columns_keep_their_kind():
    frame = pd.DataFrame({"Mã": ["3.4"], "Tiêu chí": ["Tỷ lệ đúng hạn"], "Điểm": ["1,75"]})
    body = table_html(frame, label="Tiêu chí", nowrap=("Mã", "Điểm"), numeric=("Điểm",), names=("Tiêu chí",),
                      max_height=528)
    assert '<td class="nowrap">3.4</td>' in body
    assert '<td class="name">Tỷ lệ đúng hạn</td>' in body
    assert '<td class="nowrap num">1,75</td>' in body
    assert '<th scope="col" class="nowrap num">Điểm</th>' in body
    assert 'style="max-height: 528px; overflow-y: auto"' in body
    assert "max-height" not in table_html(frame, label="Tiêu chí")
    assert '<td class="optional">Tỷ lệ đúng hạn</td>' in table_html(frame, label="Tiêu chí", optional=("Tiêu chí",))
