"""Streamlit-side helpers shared by app.py and the pages (the cchc package never imports streamlit)."""
