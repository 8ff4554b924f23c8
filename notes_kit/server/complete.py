"""Completion: link labels of the vocabulary after `\\[[`, venue names of the registry on the
`# ` title line, canonical institution names on a paper's affiliation line. Plain data
over the document's lines; the server turns it into LSP items."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_LABEL = re.compile(r"\\\[\[([A-Za-z ]*)$")
_TITLE = re.compile(r"^# (.*)$")
_BULLET = re.compile(r"^(\s*)[*+-] ")
_PAPER = re.compile(r"\\?\[\[[^\]]*\]\(")  # a paper bullet's link tail


@dataclass(frozen=True)
class Offer:
    """Items that replace the line's text from `start` (1-based column) to the cursor."""

    kind: str  # "label", "venue" or "affiliation"
    start: int
    items: tuple[str, ...]


def offer(lines: Sequence[str], line: int, column: int, *, labels: Iterable[str],
          venues: Iterable[str], affiliations: Iterable[str]) -> Offer | None:
    """What to offer at 1-based (line, column), None when nothing fits there."""
    if not 0 < line <= len(lines):
        return None
    before = lines[line - 1][: column - 1]
    found = _LABEL.search(before)
    if found:
        return Offer("label", found.start(1) + 1, tuple(labels))
    title = _TITLE.match(before)
    if title and line == _first_content_line(lines):
        return Offer("venue", 3, tuple(sorted(set(venues))))
    if _is_affiliation_line(lines, line):
        bullet = _BULLET.match(before)
        if bullet:
            start = max(before.rfind(" & ") + 3 if " & " in before else 0, bullet.end())
            return Offer("affiliation", start + 1, tuple(sorted(set(affiliations))))
    return None


def _first_content_line(lines: Sequence[str]) -> int:
    """The page's title line: its first non-blank line after any front matter."""
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return next((i + 1 for i in range(start, len(lines)) if lines[i].strip()), 0)


def _is_affiliation_line(lines: Sequence[str], line: int) -> bool:
    """A bullet whose parent, the line above it, is a paper bullet (one with a link tail)."""
    here = _BULLET.match(lines[line - 1])
    if here is None or line < 2:
        return False
    above = lines[line - 2]
    parent = _BULLET.match(above)
    return bool(parent and len(parent.group(1)) < len(here.group(1)) and _PAPER.search(above))
