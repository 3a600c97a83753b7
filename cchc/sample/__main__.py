"""`python -m cchc.sample [DIRECTORY]`: rewrite the sample data and the blank templates (in data/ by default)."""

import sys

from . import DATA_DIR, write_all

for written_path in write_all(sys.argv[1] if len(sys.argv) > 1 else DATA_DIR):
    print(written_path)
