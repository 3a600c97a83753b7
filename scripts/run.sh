#!/usr/bin/env bash
# Set up and start the dashboard on the shipped sample data: http://localhost:${PORT:-8501}
# Installs only what the dashboard needs (requirements.txt); scripts/test.sh adds the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
port=${PORT:-8501}
echo "Bảng điều hành đang khởi động. Mở trình duyệt tại: http://localhost:${port}  (máy khác trong mạng: thay" \
     "localhost bằng địa chỉ của máy này). Dừng: Ctrl+C."
exec .venv/bin/streamlit run serve.py --server.port "$port" "$@"
