"""cchc: the domain package of the CCHC dashboard (PAR Index plans and TTHC statistics).

It never imports streamlit: everything here is usable from tests, benchmarks and the CLI.
"""

__version__ = "0.1.0"
