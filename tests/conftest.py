"""Shared test helpers: running the real command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

Cli = Callable[..., "subprocess.CompletedProcess[bytes]"]


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for CLI subprocesses: a private cache folder shared by the session
    (warmed once, so each run does not rebuild the dictionary and registries)."""
    cache = tmp_path_factory.mktemp("notes-kit-cache")
    env = dict(os.environ, NOTES_KIT_CACHE_DIR=str(cache), NO_COLOR="1", PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-m", "notes_kit", "lint", str(REPO / "conferences")],
                   env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                   check=False)
    return env


@pytest.fixture(scope="session")
def cli_runner(cli_env: dict[str, str]) -> Cli:
    """`run(*args, cwd=..., input=None, timeout=20)`: `notes-kit ARGS` as a subprocess.

    Returns the CompletedProcess with bytes stdout/stderr; a hang raises
    TimeoutExpired after `timeout` seconds instead of blocking the run.
    """

    def run(*args: str, cwd: Path, input: bytes | None = None,
            timeout: float = 20) -> subprocess.CompletedProcess[bytes]:
        stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
        return subprocess.run([sys.executable, "-m", "notes_kit", *args], **stdin,
                              capture_output=True, cwd=cwd, env=cli_env, timeout=timeout,
                              check=False)

    return run


@pytest.fixture
def cli(tmp_path: Path, cli_runner: Cli) -> Cli:
    """Like cli_runner, run in tmp_path unless told otherwise."""

    def run(*args: str, cwd: Path | None = None, input: bytes | None = None,
            timeout: float = 20) -> subprocess.CompletedProcess[bytes]:
        return cli_runner(*args, cwd=cwd or tmp_path, input=input, timeout=timeout)

    return run
