"""A newcomer's first run (issue 14): `bash scripts/run.sh` installs only what the dashboard needs and says where to
open it; `bash scripts/setup.sh` (as scripts/test.sh calls it) still installs the test tools, and completes a
dashboard-only setup.

The scripts run on a copy of the project's requirement files and scripts, with a .venv whose pip and streamlit
only write down how they were called: nothing is installed or served.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT

STUB = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$(dirname "$0")/../../calls.log"
"""
TEST_TOOLS = ("pytest", "playwright", "hypothesis", "mutmut", "coverage", "pypdf", "markdown-it-py")


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "cchc"
    (root / "scripts").mkdir(parents=True)
    for name in ("requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, root / name)
    for name in ("setup.sh", "run.sh"):
        shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(shutil.which("python3"))  # the venv exists: setup.sh does not make one
    for tool in ("pip", "streamlit"):
        (bin_dir / tool).write_text(STUB)
        (bin_dir / tool).chmod(0o755)
    return root


def run(project: Path, *command: str, **env) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", *command], cwd=project, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done


def calls(project: Path) -> list[str]:
    log = project / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return lines


def test_the_dashboard_needs_none_of_the_test_tools():
    pinned = [line.split("==")[0].split("[")[0].strip().lower() for line in (ROOT / "requirements.txt").read_text()
              .splitlines() if line.strip() and not line.startswith("#")]
    assert "streamlit" in pinned
    assert not set(pinned) & set(TEST_TOOLS)


def test_run_installs_only_the_dashboard_and_says_where_to_open_it(project):
    done = run(project, "scripts/run.sh", PORT="8627")
    assert calls(project) == [
        "pip install --quiet --disable-pip-version-check -r requirements.txt",
        "streamlit run serve.py --server.port 8627"]
    assert "Mở trình duyệt tại: http://localhost:8627" in done.stdout
    assert "lần đầu mất vài phút" in done.stdout  # the silent install is announced
    run(project, "scripts/run.sh", PORT="8627")
    assert calls(project) == ["streamlit run serve.py --server.port 8627"]  # installed once


def test_a_test_run_after_the_dashboard_installs_the_rest_and_the_dashboard_then_needs_nothing(project):
    run(project, "scripts/setup.sh", "app")
    assert calls(project) == ["pip install --quiet --disable-pip-version-check -r requirements.txt"]
    run(project, "scripts/setup.sh")  # as scripts/test.sh, coverage.sh and mutation.sh call it
    assert calls(project) == ["pip install --quiet --disable-pip-version-check -r requirements-dev.txt"]
    run(project, "scripts/setup.sh")
    run(project, "scripts/setup.sh", "app")  # the full set holds the dashboard's
    assert calls(project) == []


def test_a_changed_requirement_is_installed_again(project):
    run(project, "scripts/setup.sh", "app")
    calls(project)
    with (project / "requirements.txt").open("a") as f:
        f.write("# a new pin\n")
    run(project, "scripts/setup.sh", "app")
    assert calls(project) == ["pip install --quiet --disable-pip-version-check -r requirements.txt"]
    run(project, "scripts/setup.sh")
    assert calls(project) == ["pip install --quiet --disable-pip-version-check -r requirements-dev.txt"]


def test_a_wrong_mode_is_refused_in_vietnamese(project):
    done = subprocess.run(["bash", "scripts/setup.sh", "tat-ca"], cwd=project, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2 and "Cách dùng: bash scripts/setup.sh [app|dev]" in done.stderr
    assert calls(project) == []
