#!/usr/bin/env bash
# Set up and start the dashboard on the shipped sample data: http://localhost:${PORT:-8501}
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run serve.py --server.port "${PORT:-8501}" "$@"
