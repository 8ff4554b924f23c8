"""Which files a path names: directories are walked for Markdown pages and notes YAML."""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import TYPE_CHECKING

from notes_kit.core.findings import InputError

if TYPE_CHECKING:
    from notes_kit.lint.ignore import Excluder

SKIP_DIRS = {".git", ".hg", "node_modules", "__pycache__", ".venv", "venv", ".tox",
             ".mypy_cache", ".ruff_cache", ".pytest_cache", ".notes-kit-cache"}
MARKDOWN = (".md", ".markdown")
YAML = (".yaml", ".yml")


def is_notes_yaml(path: str) -> bool:
    """A YAML file found by walking is linted when it is a notes document (not CI config)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return True  # let the reader report it
    return b"schema_version:" in head or b"notes.schema.json" in head


def expand(paths: list[str], excluder: Excluder | None = None, force_exclude: bool = False,
           registries: Collection[str] = (), skipped: list[str] | None = None) -> list[str]:
    """Files in a stable order, each once (a file named twice, as `a.md` and `./a.md` or
    through a link, is kept under its first name); a path that does not exist is an
    InputError.

    A walked folder leaves out what `excluder` excludes; a path given by name, only with
    `force_exclude`. Walking also finds the YAML files whose real path is in `registries`
    (the config's registry files). A dangling symbolic link met while walking is not an
    error of the run: it is appended to `skipped` (as a message) and left out.
    """
    found: list[str] = []
    for path in paths:
        if path == "-":
            found.append(path)
        elif os.path.isdir(path):
            found.extend(_walk(path, excluder, registries, skipped))
        elif os.path.lexists(path):
            if not (force_exclude and excluder is not None and excluder.excluded(path)):
                found.append(path)
        else:
            raise InputError(path, "no such file or directory")
    seen: set[object] = set()
    unique = []
    for path in found:
        key = _identity(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _identity(path: str) -> object:
    """The file behind a name: device and inode when it can be stat'ed, else its real path."""
    if path == "-":
        return path
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path)
    return info.st_dev, info.st_ino


def _walk(root: str, excluder: Excluder | None, registries: Collection[str],
          skipped: list[str] | None) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and not
                         (excluder is not None and excluder.excluded(os.path.join(folder, d),
                                                                     is_dir=True)))
        for name in sorted(files):
            full = os.path.join(folder, name)
            if not name.endswith((*MARKDOWN, *YAML)):
                continue
            if os.path.islink(full) and not os.path.exists(full):
                if skipped is not None:
                    skipped.append(f"{full}: dangling symbolic link (to "
                                   f"{os.readlink(full)}); skipped")
                continue
            if excluder is not None and excluder.excluded(full):
                continue
            if name.endswith(MARKDOWN) or is_notes_yaml(full) or (
                    registries and os.path.realpath(full) in registries):
                found.append(full)
    return found


def conference_pages(paths: list[str]) -> list[str]:
    """Markdown files named like `<venue>-<year>.md` (README.md of a folder counts too).

    A `.yaml`/`.yml` path stands for its page, so `sync --check` accepts what pre-commit passes.
    """
    from pathlib import Path

    from notes_kit.core.paths import is_conference_name

    pages = [str(Path(p).with_suffix(".md")) if p.endswith((".yaml", ".yml")) else p
             for p in expand(paths)]
    return list(dict.fromkeys(p for p in pages if p.endswith(".md") and is_conference_name(p)
                              and os.path.isfile(p)))
