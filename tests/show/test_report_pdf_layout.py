"""The PDF report's layout for reports built by hand (cchc/show/reports/pdf.py): a chart taller than the page is
shrunk to fit and stays centred, a report without an organisation or headline figures still has its cover and
pages, and a server without any Unicode font still writes the report, in Latin letters without diacritics.

The chart image is a plain PNG made here (no browser needed): 100 × 400 pixels, four times as tall as wide."""

from __future__ import annotations

import io
import logging
import re

import pandas as pd
import plotly.graph_objects as go
import pypdf
import pytest
from PIL import Image

from cchc.show.reports import Report, ReportPart, report_pdf
from cchc.show.reports import pdf as pdf_module

MM = 72 / 25.4  # PDF points per millimetre
A4_LANDSCAPE = (297 * MM, 210 * MM)


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 114, 178)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def report() -> Report:
    fig = go.Figure(go.Bar(x=[0.8], y=["UBND xã Ia Tul"], orientation="h"))
    fig.update_layout(title={"text": "Xếp hạng đơn vị"})  # no subtitle line
    table = pd.DataFrame({"Lĩnh vực": ["Cải cách thủ tục hành chính"], "Điểm bị mất": ["6,5"]})
    part = ReportPart(key="don_vi", title="Đơn vị", figures=[("Xếp hạng đơn vị", fig)],
                      tables=[("Điểm bị mất theo lĩnh vực", table)])
    made = Report(title="Báo cáo thử", subtitle=["Kỳ 01/2019 – 06/2019", "Cấp xã"], parts=[part])
    made.images[id(fig)] = png(100, 400)
    return made


def pages(data: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_chart_taller_than_the_page_is_shrunk_to_fit_and_centred(report):
    _cover, chart, _table = pages(report_pdf(report))
    assert [float(v) for v in chart.mediabox[2:]] == pytest.approx(A4_LANDSCAPE, abs=0.01)
    content = chart.get_contents().get_data().decode("latin-1")
    placed = re.findall(r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm", content)  # the image's width, height, x, y
    assert len(placed) == 1
    width, height, x, y = (float(v) for v in placed[0])
    assert width / height == pytest.approx(100 / 400, rel=1e-3)  # not stretched
    assert x + width / 2 == pytest.approx(A4_LANDSCAPE[0] / 2, abs=0.01)  # centred between the margins
    assert y == pytest.approx(17 * MM, abs=0.01)  # down to 1 mm above the 16 mm bottom margin, no further
    assert height < A4_LANDSCAPE[1] - 17 * MM - 12 * MM  # below the 12 mm top margin and the chart's heading
    assert chart.extract_text().startswith("Xếp hạng đơn vị\n")


def test_a_report_without_organisation_or_headline(report):
    cover, chart, table = (page.extract_text() for page in pages(report_pdf(report)))
    assert cover.splitlines()[:4] == ["BÁO CÁO", "Báo cáo thử", "Kỳ 01/2019 – 06/2019", "Cấp xã"]  # every subtitle line
    assert "Số liệu chính" not in cover + chart + table  # no headline page for a part without figures to show
    assert table.splitlines()[:3] == ["Điểm bị mất theo lĩnh vực", "Lĩnh vực Điểm bị mất",
                                      "Cải cách thủ tục hành chính 6,5"]
    assert "1 dòng." in table and table.rstrip().endswith("Trang 3/3")


def test_without_a_unicode_font_the_report_is_written_without_diacritics(report, monkeypatch, caplog):
    monkeypatch.delenv("CCHC_PDF_FONT_DIR", raising=False)
    monkeypatch.setattr(pdf_module, "FONT_DIRS", ())  # a server with no DejaVu, Noto, Liberation or Arial
    assert pdf_module.find_fonts() is None
    with caplog.at_level(logging.WARNING, logger="cchc.reports"):
        cover, chart, table = (page.extract_text() for page in pages(report_pdf(report)))
    assert "no Unicode TTF font found" in caplog.text
    # đ → d, marks dropped; a character outside Latin-1 (the en dash) becomes "?"
    assert cover.splitlines()[:4] == ["BAO CAO", "Bao cao thu", "Ky 01/2019 ? 06/2019", "Cap xa"]
    assert chart.startswith("Xep hang don vi\n")
    assert table.splitlines()[:3] == ["Diem bi mat theo linh vuc", "Linh vuc Diem bi mat",
                                      "Cai cach thu tuc hanh chinh 6,5"]
