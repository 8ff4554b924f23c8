"""The GitHub Actions workflow: valid YAML, the expected steps, its notes-kit commands run here."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "notes.yml"
BASE_REF = "origin/${{ github.base_ref }}"


def load() -> Any:
    return YAML(typ="safe", pure=True).load(WORKFLOW.read_text(encoding="utf-8"))


def steps() -> list[dict[str, Any]]:
    return list(load()["jobs"]["notes"]["steps"])


def commands() -> list[str]:
    """Every `notes-kit ...` line of every `run:` step."""
    return [line.strip() for step in steps() for line in str(step.get("run", "")).splitlines()
            if line.strip().startswith("notes-kit ")]


def has_history() -> bool:
    if shutil.which("git") is None:
        return False
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=ROOT,
                          capture_output=True)
    return done.returncode == 0


def test_triggers_and_permissions() -> None:
    data = load()
    assert set(data["on"]) == {"pull_request", "push"}
    assert data["on"]["push"]["branches"] == ["main"]
    job = data["jobs"]["notes"]
    assert job["permissions"]["security-events"] == "write"


def test_expected_steps() -> None:
    """Lint, annotations, SARIF and the summary come from this repository's action
    (action.yml, whose steps tests/test_action.py runs); the twins and tests from here."""
    by_use = {step.get("uses", "").split("@")[0]: step for step in steps()}
    assert by_use["actions/checkout"]["with"]["fetch-depth"] == 0
    assert "actions/setup-python" in by_use
    action = by_use["./"]["with"]
    assert action["paths"] == "conferences/" and action["python-version"] == ""
    assert action["reviewdog"] == "${{ github.event_name == 'pull_request' }}"
    runs = [str(step.get("run", "")) for step in steps()]
    assert "pip install -e '.[test]'" in runs
    assert "pytest" in runs
    assert "notes-kit sync --check conferences/" in commands()
    job = load()["jobs"]["notes"]
    assert job["permissions"]["pull-requests"] == "write"


@pytest.mark.parametrize("line", commands())
def test_each_notes_kit_command_runs_here(line: str, tmp_path: Path) -> None:
    if BASE_REF in line:
        line = line.replace(BASE_REF, "HEAD") if has_history() else \
            line.replace(f"--changed-since {BASE_REF} ", "")
    assert "${{" not in line
    line = line.replace("> notes.sarif", f"> {shlex.quote(str(tmp_path / 'notes.sarif'))}")
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
           "NOTES_KIT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2 would be usage/input
    if "--format sarif" in line:
        sarif = json.loads((tmp_path / "notes.sarif").read_text(encoding="utf-8"))
        assert sarif["version"] == "2.1.0" and sarif["runs"]
    if "--format github" in line:
        assert all(row.startswith(("::error ", "::warning ", "::notice "))
                   for row in done.stdout.splitlines() if row), done.stdout
