"""A real editor as the client: headless Neovim (its built-in LSP client) opens the seed page
with `notes-kit server` attached and writes down the diagnostics it received and the code
actions offered. Skipped, saying so, where `nvim` is not installed (.ci/run installs the
Debian package `neovim` when it can)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
INIT = TESTS / "editors" / "nvim-init.lua"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not installed (Debian package "
                                "'neovim'; .ci/run installs it where apt-get runs as root)")


def test_neovim_receives_the_diagnostics_of_the_seed(tmp_path: Path) -> None:
    assert NVIM is not None
    page = tmp_path / "conferences" / "sosp-2024.md"
    page.parent.mkdir()
    shutil.copy(SEED, page)
    report = tmp_path / "report.tsv"
    server = "\t".join([sys.executable, "-m", "notes_kit", "server"])
    env = {**os.environ, "NOTES_KIT_SERVER": server, "NOTES_KIT_REPORT": str(report),
           "PYTHONPATH": str(TESTS.parent), "NOTES_KIT_CACHE_DIR": tempfile.mkdtemp(),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run([NVIM, "--headless", "-n", "-i", "NONE", "-u", str(INIT),
                           "conferences/sosp-2024.md"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert report.exists(), done.stdout + done.stderr
    rows = [line.split("\t") for line in report.read_text().splitlines()]
    diagnostics = [row for row in rows if row[0] != "action"]
    assert [(int(r[0]), int(r[1]), r[2]) for r in diagnostics] == [(35, 10, "NK501"),
                                                                   (35, 21, "NK502")]
    assert diagnostics[0][3] == "'Modle' may be misspelled: Model, Module"
    titles = [row[1] for row in rows if row[0] == "action"]
    assert "Suppress NK501 on this line" in titles
    assert "Add 'Modle' to allow-words in .notes-kit.toml" in titles
