#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (idempotent: reinstalls only when requirements change).
#   bash scripts/setup.sh        what the tests need too (requirements-dev.txt: pytest, Playwright, mutmut…)
#   bash scripts/setup.sh app    only what the dashboard needs (requirements.txt), as scripts/run.sh does
# The stamp says which set was installed from which files: a dashboard-only setup is completed by the next test
# run, and a full setup is enough for the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-dev}
case "$mode" in
  app | dev) ;;
  *) echo "Cách dùng: bash scripts/setup.sh [app|dev]" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Cần Python 3.11 trở lên (lệnh \"$PYTHON\"). Cài Python mới hơn, hoặc chỉ định: PYTHON=python3.11 bash $0" >&2
    exit 1
  fi
  if ! "$PYTHON" -m venv .venv; then
    rm -rf .venv
    echo "Không tạo được môi trường Python (.venv). Trên Debian/Ubuntu: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
stamp=.venv/.requirements.sha
app_want="app $(sha256sum requirements.txt | cut -d' ' -f1)"
dev_want="dev $(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$mode" = app ] && { [ "$have" = "$app_want" ] || [ "$have" = "$dev_want" ]; }; then
  exit 0
fi
if [ "$mode" = dev ] && [ "$have" = "$dev_want" ]; then
  exit 0
fi
if [ "$mode" = app ]; then
  echo "Đang cài đặt các gói cần cho bảng điều hành vào .venv (lần đầu mất vài phút)…"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$app_want" > "$stamp"
else
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$dev_want" > "$stamp"
fi
