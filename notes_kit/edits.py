"""Fixes as data: apply a set of edits to a text, choosing non-overlapping ones deterministically.

An edit's positions are 1-based (line, column) pairs with an exclusive end, as
`findings.Edit` describes. The last line of a text that ends with a newline is
the empty line after it, so (len(lines), 1) is the end of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from notes_kit.findings import Edit, Finding


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character (one more entry than there are newlines)."""
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def offset_of(starts: Sequence[int], length: int, line: int, column: int) -> int:
    """The text offset of a 1-based position, clamped to the text."""
    if line < 1:
        return 0
    if line > len(starts):
        return length
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else length
    return min(start + max(column, 1) - 1, end)


def position_of(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of a text offset."""
    from bisect import bisect_right

    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def span(starts: Sequence[int], length: int, edit: Edit) -> tuple[int, int]:
    start = offset_of(starts, length, edit.line, edit.column)
    end = offset_of(starts, length, edit.end_line, edit.end_column)
    return start, max(start, end)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Ranges overlap when they share a character, or an insertion falls inside the other
    (or at the same point as another insertion: their order would be a guess)."""
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with every edit applied; ValueError if two of them overlap."""
    starts = line_starts(text)
    ranges = sorted((span(starts, len(text), e), index, e.text) for index, e in enumerate(edits))
    pieces: list[str] = []
    cursor = 0
    previous: tuple[int, int] | None = None
    for (start, end), _, new in ranges:
        if previous is not None and _overlap(previous, (start, end)):
            raise ValueError(f"overlapping edits at offsets {previous} and {(start, end)}")
        pieces.append(text[cursor:start])
        pieces.append(new)
        cursor = max(cursor, end)
        previous = (start, end)
    pieces.append(text[cursor:])
    return "".join(pieces)


def compatible(text: str, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(chosen, deferred): findings in sorted order, each taken whole when none of its edits
    overlaps an edit already taken; the deferred ones wait for the next pass."""
    starts = line_starts(text)
    taken: list[tuple[int, int]] = []
    chosen: list[Finding] = []
    deferred: list[Finding] = []
    for finding in sorted(findings):
        ranges = [span(starts, len(text), edit) for edit in finding.edits]
        clash = any(_overlap(a, b) for a in ranges for b in taken) or any(
            _overlap(a, b) for i, a in enumerate(ranges) for b in ranges[i + 1 :])
        if clash or not ranges:
            deferred.append(finding)
        else:
            chosen.append(finding)
            taken.extend(ranges)
    return chosen, deferred
