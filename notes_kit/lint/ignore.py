"""Which paths a run leaves out: `.gitignore` (by default) and the config's `exclude` and
`extend-exclude` patterns, all gitignore-style (pathspec), relative to the file that
states them. A walked folder is checked entry by entry; a path named on the command line
only with `--force-exclude`, as ruff does (pre-commit names every staged file).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from notes_kit.lint.config import Config

ConfigOf = Callable[[str], "Config"]


@lru_cache(maxsize=256)
def _spec(lines: tuple[str, ...]) -> Any:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def matches(patterns: tuple[str, ...], relative: str, is_dir: bool = False) -> bool:
    """Whether gitignore-style `patterns` select `relative` (a POSIX path)."""
    if not patterns:
        return False
    return bool(_spec(patterns).match_file(relative + ("/" if is_dir else "")))


@lru_cache(maxsize=1024)
def _gitignore(folder: str) -> tuple[str, ...]:
    """The patterns of `folder/.gitignore` (and of .git/info/exclude at a repository's top)."""
    lines: list[str] = []
    for name in (".gitignore", os.path.join(".git", "info", "exclude")):
        try:
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                lines.extend(handle.read().splitlines())
        except OSError:
            continue
    return tuple(lines)


@lru_cache(maxsize=1024)
def _repository(folder: str) -> str | None:
    """The top of the git work tree holding `folder`, if any."""
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def git_ignored(path: str, is_dir: bool = False) -> bool:
    """git's rule: the deepest `.gitignore` with a matching pattern decides (its last
    matching line), from the work tree's top down to the path's folder."""
    full = os.path.abspath(path)
    top = _repository(os.path.dirname(full))
    if top is None:
        return False
    verdict = None
    folder = top
    parts = os.path.relpath(os.path.dirname(full), top).split(os.sep)
    for part in ["", *[p for p in parts if p not in ("", ".")]]:
        folder = os.path.join(folder, part) if part else folder
        patterns = _gitignore(folder)
        if patterns:
            relative = os.path.relpath(full, folder).replace(os.sep, "/")
            found = _spec(patterns).check_file(relative + ("/" if is_dir else ""))
            if found.include is not None:
                verdict = found.include
    return bool(verdict)


class Excluder:
    """Decides, with each path's own config, whether a run leaves the path out."""

    def __init__(self, config_of: ConfigOf) -> None:
        self.config_of = config_of

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        config = self.config_of(os.path.join(path, "x") if is_dir else path)
        patterns = (*config.exclude, *config.extend_exclude)
        if patterns:
            root = config.root or os.getcwd()
            relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
            if not relative.startswith("../") and matches(patterns, relative, is_dir):
                return True
        return config.respect_gitignore and git_ignored(path, is_dir)
