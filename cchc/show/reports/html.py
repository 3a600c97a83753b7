"""The report as one self-contained HTML file (plotly.js inlined once, readable without a network).
"""

from __future__ import annotations

import html

from ... import formatting as fmt
from .content import Report, _numeric_columns, _table_cells

# ---------------------------------------------------------------------------------------------------------------- #
# HTML: one self-contained file
# ---------------------------------------------------------------------------------------------------------------- #

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --head: #dce6f1; --warn: #d55e00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1200px; padding: 24px; line-height: 1.45; }
header { border-bottom: 3px solid #0072B2; margin-bottom: 24px; padding-bottom: 12px; }
.to-chuc { font-weight: bold; text-transform: uppercase; color: var(--muted); margin: 0; }
.loai { color: #0072B2; font-weight: bold; letter-spacing: .08em; margin: 16px 0 0; }
h1 { font-size: 2rem; margin: 4px 0 8px; }
h2 { font-size: 1.5rem; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.15rem; margin: 24px 0 8px; }
.phu-de { margin: 2px 0; color: var(--muted); }
.ghi-chu { color: var(--warn); font-weight: bold; }
ul.ghi-chu-phan { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); }
tbody tr:nth-child(even) { background: #f5f7fa; }
td.so, th.so { text-align: right; white-space: nowrap; }
table.so-lieu-chinh td:first-child { font-weight: bold; width: 40%; }
.bieu-do { margin: 16px 0 28px; page-break-inside: avoid; break-inside: avoid; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { page-break-before: always; break-before: page; }
  header + section h2:first-child { page-break-before: avoid; break-before: avoid; }
  .bieu-do, table, tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  .modebar-container { display: none !important; }
}
"""


def _html_table(headers: list[str], rows: list[list[str]], css_class: str = "") -> str:
    numeric = _numeric_columns(rows, len(headers))
    attrs = [' class="so"' if n else "" for n in numeric]
    head = "".join(f"<th{a}>{html.escape(h)}</th>" for h, a in zip(headers, attrs))
    body = "".join("<tr>" + "".join(f"<td{a}>{html.escape(c)}</td>" for c, a in zip(row, attrs)) + "</tr>"
                   for row in rows)
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report: Report) -> bytes:
    """One UTF-8 file that works offline: plotly.js inlined once, interactive charts, tables, print styles."""
    from ..figures import PLOTLY_CONFIG

    config = {k: v for k, v in PLOTLY_CONFIG.items() if k != "locale"}  # plotly.js ships no "vi" locale
    esc = html.escape
    out = ['<!DOCTYPE html>', '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(report.title)} · {esc(fmt.period_range_label(report.start, report.end))}</title>",
           f"<style>{_CSS}</style>", "</head>", "<body>", "<header>"]
    if report.organisation:
        out.append(f'<p class="to-chuc">{esc(report.organisation)}</p>')
    out.append('<p class="loai">BÁO CÁO</p>')
    out.append(f"<h1>{esc(report.title)}</h1>")
    for line in report.subtitle[1:] if report.organisation else report.subtitle:
        out.append(f'<p class="phu-de">{esc(line)}</p>')
    for note in report.notes:
        out.append(f'<p class="ghi-chu">{esc(note)}</p>')
    out.append("</header>")
    plotly_included = False
    chart = 0
    for part in report.parts:
        out.append(f'<section id="{esc(part.key)}">')
        if len(report.parts) > 1:
            out.append(f"<h2>{esc(part.title)}</h2>")
        if part.headline:
            out.append("<h3>Số liệu chính</h3>" if len(report.parts) > 1 else "<h2>Số liệu chính</h2>")
            out.append(_html_table(["Chỉ số", "Giá trị"], [[a, b] for a, b in part.headline], "so-lieu-chinh"))
        if part.notes:
            out.append('<ul class="ghi-chu-phan">' + "".join(f"<li>{esc(n)}</li>" for n in part.notes) + "</ul>")
        if part.figures:
            out.append("<h3>Biểu đồ</h3>" if len(report.parts) > 1 else "<h2>Biểu đồ</h2>")
        for title, fig in part.figures:
            chart += 1
            div = fig.to_html(full_html=False, include_plotlyjs=not plotly_included, include_mathjax=False,
                              config=config, div_id=f"bieu-do-{chart}", default_width="100%",
                              default_height=f"{int(fig.layout.height or 460)}px")
            plotly_included = True
            out.append(f'<figure class="bieu-do" aria-label="{esc(title)}">{div}</figure>')
        for title, frame in part.tables:
            out.append(f"<h3>{esc(title)}</h3>")
            headers, rows = _table_cells(frame)
            out.append(_html_table(headers, rows))
        out.append("</section>")
    out.append(f"<footer>{esc(' · '.join(report.subtitle))}</footer>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
