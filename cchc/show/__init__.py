"""The show stage: what pages and exports show, in Vietnamese, built from the other stages and never imported by them.

`views` builds the view models the pages render (filters, rate cards, tables with Vietnamese headers), `figures`
the Plotly charts, `excel` the formatted Excel downloads with formula-like text neutralised (styling in
`xlsx_style`, shared with the workbook templates), and `reports` the meeting reports: one content model, laid out as
PDF, PowerPoint and self-contained HTML, with charts drawn offline. It may import every stage (read, store, score)
and the ties at the top of the package; no stage and no tie imports it, and it never imports streamlit (pages and
ui/ do the rendering).
"""
