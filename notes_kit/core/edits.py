"""Fixes as data: apply a set of edits to a text, choosing non-overlapping ones deterministically.

An edit's positions are 1-based (line, column) pairs with an exclusive end, as
`findings.Edit` describes. The last line of a text that ends with a newline is
the empty line after it, so (len(lines), 1) is the end of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from notes_kit.core.findings import Edit, Finding


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


def span(starts: Sequence[int], length: int, edit: Edit) -> tuple[int, int]:
    start = offset_of(starts, length, edit.line, edit.column)
    end = offset_of(starts, length, edit.end_line, edit.end_column)
    return start, max(start, end)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Ranges overlap when they share a character; an insertion overlaps a range it falls
    in or touches, and another insertion at the same point: the order of such edits would
    be a guess, so they wait for separate passes."""
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    if a[0] == a[1] or b[0] == b[1]:
        point, other = (a[0], b) if a[0] == a[1] else (b[0], a)
        return other[0] <= point <= other[1]
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


# --- building edits over a page's lines (1-based line numbers, `lines` without newlines) ----


def replace_span(line: int, column: int, end_column: int, text: str) -> Edit:
    return Edit(line, column, line, end_column, text)


def replace_line(lines: Sequence[str], line: int, text: str) -> Edit:
    """The whole content of `line` (its newline stays)."""
    return Edit(line, 1, line, len(lines[line - 1]) + 1, text)


def insert_before(line: int, text: str) -> Edit:
    return Edit(line, 1, line, 1, text)


def append_after(lines: Sequence[str], line: int, text: str) -> Edit:
    """`text` as a block of its own after `line` (a blank line before it, and after it when
    content follows at once)."""
    end = len(lines[line - 1]) + 1
    after = "\n" if line < len(lines) and lines[line].strip() else ""
    return Edit(line, end, line, end, "\n\n" + text + after)


def delete_lines(lines: Sequence[str], first: int, last: int) -> Edit:
    """Remove lines first..last; when they form a block of their own (a blank line or the
    start before them), the blank lines after them go too, so one blank line separates
    what was around them."""
    stop = last
    if first == 1 or not lines[first - 2].strip():
        while stop < len(lines) and not lines[stop].strip():
            stop += 1
    return Edit(first, 1, stop + 1, 1, "")


def block_text(lines: Sequence[str], first: int, last: int) -> str:
    return "\n".join(lines[first - 1 : last])


def move_before(lines: Sequence[str], first: int, last: int, before: int) -> tuple[Edit, Edit]:
    """Lines first..last moved, as they are, to stand before line `before`."""
    chunk = block_text(lines, first, last) + "\n\n"
    return delete_lines(lines, first, last), insert_before(before, chunk)


def move_after(lines: Sequence[str], first: int, last: int, after: int) -> tuple[Edit, Edit]:
    """Lines first..last moved, as they are, to follow line `after` as a block."""
    return delete_lines(lines, first, last), append_after(lines, after, block_text(lines, first,
                                                                                   last))


def shifted(edits: Iterable[Edit], lines: int) -> tuple[Edit, ...]:
    """The edits `lines` lines further down (body coordinates -> file coordinates)."""
    return tuple(Edit(e.line + lines, e.column, e.end_line + lines, e.end_column, e.text)
                 for e in edits)
