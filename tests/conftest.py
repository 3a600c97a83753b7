# Shared fixtures live in support.py (stores on SQLite and PostgreSQL, workbook builders).
pytest_plugins = ["support"]
