""""Add 'word' to allow-words": the config file that governs a page, edited with tomlkit so
its comments, order and layout stay as they are; `.notes-kit.toml` is created (in the
workspace folder, else the page's folder) when no config governs the page yet."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Finding

if TYPE_CHECKING:
    from notes_kit.lint.config import Config

KEY = "allow-words"


@dataclass(frozen=True)
class Change:
    """The config file's text before (None: the file is new) and after."""

    path: str
    old: str | None
    new: str

    @property
    def uri(self) -> str:
        return Path(self.path).as_uri()

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def misspelled_word(finding: Finding, lines: Sequence[str]) -> str | None:
    """The word an NK501 finding spans."""
    end_line, end_column = finding.end
    if end_line != finding.line or not 0 < finding.line <= len(lines):
        return None
    word = lines[finding.line - 1][finding.column - 1 : end_column - 1]
    return word if word.strip() and "\n" not in word else None


def allow_word(page: str, word: str, config: Config | None,
               root: str | None = None) -> Change | None:
    """The edit that allows `word` for `page`; None when it is allowed already or the
    config cannot be read (its own diagnostic says why)."""
    source = config.source if config is not None else None
    if source is None:
        folder = os.path.dirname(os.path.abspath(page))
        if root and _inside(folder, root):
            folder = root
        from notes_kit.lint.config import CONFIG_NAME

        return Change(os.path.join(folder, CONFIG_NAME), None, f'{KEY} = ["{_quoted(word)}"]\n')
    try:
        old = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    new = add_word(old, word, pyproject=os.path.basename(source) == "pyproject.toml")
    return None if new is None else Change(source, old, new)


def add_word(text: str, word: str, *, pyproject: bool = False) -> str | None:
    """`text` with `word` appended to its allow-words (the list made if missing)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
        table: Any = document["tool"]["notes-kit"] if pyproject else document
    except (TOMLKitError, KeyError):
        return None
    words = table.get(KEY)
    if words is None:
        fresh = tomlkit.array()
        fresh.append(word)
        table[KEY] = fresh
    elif not isinstance(words, list):
        return None
    elif word.casefold() in {str(w).casefold() for w in words}:
        return None
    else:
        words.append(word)
    return tomlkit.dumps(document)


def _quoted(word: str) -> str:
    return word.replace("\\", "\\\\").replace('"', '\\"')


def _inside(folder: str, root: str) -> bool:
    try:
        return os.path.commonpath([os.path.abspath(folder), os.path.abspath(root)]) == \
            os.path.abspath(root)
    except ValueError:
        return False
