"""The benchmarks' reference page (not part of the dashboard): the overview's Plotly figures, as the overview sent
them, read from a JSON file ($CCHC_BENCH_FIGURES) on every view and handed to st.plotly_chart as they are.

?bieu_do=tat_ca (default) draws every figure, ?bieu_do=mot the first one only, ?bieu_do=khong none (a title only:
what a Streamlit session costs by itself).
"""

import json
import os

import streamlit as st

st.set_page_config(page_title="Trang đối chứng", layout="wide")  # the dashboard's width, so charts are as wide
which = st.query_params.get("bieu_do", "tat_ca")
with open(os.environ["CCHC_BENCH_FIGURES"], encoding="utf-8") as f:
    charts = json.load(f)
charts = {"tat_ca": charts, "mot": charts[:1], "khong": []}[which]
st.title("Trang đối chứng")
for chart in charts:
    st.plotly_chart(json.loads(chart["spec"]), config=json.loads(chart["config"]), width="stretch")
