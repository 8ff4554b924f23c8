"""The one adapter that owns mistletoe: Markdown source -> a small tree of blocks.

mistletoe gives line numbers for block tokens only, and its token lists are
global state, so parsing happens here, inside its renderer's context manager,
and nowhere else. Every block keeps the exact source lines it came from, so
inline content (bold names, math, escapes) is carried byte for byte.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

MAX_NESTING = 100  # list levels deeper than this are refused, not recursed into
_MARKER = re.compile(r"^[ >]*(?:[*+-]|\d{1,9}[.)])(?: {1,4}|$)")
_GAP = re.compile(r"\s{2,}")


@dataclass
class Block:
    """kind: heading, paragraph, list, item, blank or other (kept as source)."""

    kind: str
    line: int  # 1-based first line
    end: int  # 1-based last line (inclusive), trailing blank lines excluded
    level: int = 0  # heading level
    text: str = ""  # heading text / item or paragraph inline source
    column: int = 1  # 1-based column where `text` starts on `line`
    indent: int = 0  # item: column offset of the content (marker width included)
    leader: str = ""  # item: bullet marker
    children: list[Block] = field(default_factory=list)


class TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(f"nesting deeper than {MAX_NESTING} levels")
        self.line = line


def parse_blocks(lines: list[str]) -> list[Block]:
    """Parse LF-split source lines (no line-end characters) into top-level blocks."""
    _refuse_deep_lists(lines)
    if "mistletoe.markdown_renderer" not in sys.modules:
        from notes_kit.format.markdown.loader import load

        load()  # mistletoe without its import-time scan of every code point, where known safe
    from mistletoe.block_token import Document
    from mistletoe.markdown_renderer import MarkdownRenderer

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4000))
    try:
        with MarkdownRenderer():  # its exit resets the global token lists
            from mistletoe import span_token

            # Only block structure is read here (inline source is kept byte for byte), and
            # mistletoe's inline pass is quadratic on unclosed links: `[a](x [a](x ...`.
            span_token._token_types = [span_token.RawText]
            doc = Document([_structure_line(line) + "\n" for line in lines])
    finally:
        sys.setrecursionlimit(limit)
    return _convert_children(list(doc.children or []), lines, len(lines), 0)


def _structure_line(line: str) -> str:
    """The line as mistletoe needs it for block structure: white-space runs after its first
    `#` made one space. mistletoe's heading pattern costs quadratic time in such a run, and
    nothing after a `#` changes which block a line is (the text comes from `lines`)."""
    if len(line) < 256:
        return line
    at = line.find("#")
    return line if at < 0 else line[: at + 1] + _GAP.sub(" ", line[at + 1 :])


def _refuse_deep_lists(lines: list[str]) -> None:
    """Deep nesting costs mistletoe quadratic time and deep recursion: refuse it first."""
    for number, line in enumerate(lines, 1):
        if len(line) <= 2 * MAX_NESTING:
            continue  # too short for either: each marker takes two columns
        stripped = line.lstrip(" >")
        width = len(line) - len(stripped)
        if width > 4 * MAX_NESTING or _marker_run(stripped) > MAX_NESTING:
            raise TooDeep(number)


def _marker_run(text: str) -> int:
    """How many list markers open on one line (`* * * x` nests three lists)."""
    count = 0
    for token in text.split(" "):
        if token in ("*", "-", "+", ">") or (token[:-1].isdigit() and token[-1:] in ".)"):
            count += 1
        else:
            break
    return count


def _convert_children(tokens: list[Any], lines: list[str], end: int, depth: int) -> list[Block]:
    starts = [_line_of(t) for t in tokens]
    blocks: list[Block] = []
    for i, token in enumerate(tokens):
        start = starts[i]
        stop = (starts[i + 1] - 1) if i + 1 < len(tokens) else end
        stop = _trim_blank(lines, start, stop)
        blocks.append(_convert(token, lines, start, stop, depth))
    return blocks


def _line_of(token: Any) -> int:
    line = getattr(token, "line_number", None)
    if line is None:  # containers without a number start at their first child
        kids = list(token.children or [])
        return _line_of(kids[0]) if kids else 1
    return int(line)


def _trim_blank(lines: list[str], start: int, stop: int) -> int:
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return stop


def _convert(token: Any, lines: list[str], start: int, stop: int, depth: int) -> Block:
    name = type(token).__name__
    if name == "BlankLine":
        return Block("blank", start, start)
    if name == "Heading":
        return _heading(token, lines, start)
    if name == "Paragraph":
        return Block("paragraph", start, stop, text="\n".join(lines[start - 1 : stop]))
    if name == "List":
        if depth > MAX_NESTING:
            raise TooDeep(start)
        items = _convert_children(list(token.children or []), lines, stop, depth + 1)
        return Block("list", start, stop, children=items)
    if name == "ListItem":
        return _item(token, lines, start, stop, depth)
    return Block("other", start, stop)


def _heading(token: Any, lines: list[str], start: int) -> Block:
    from notes_kit.format.markdown.textfix import fix_line

    source = fix_line(lines[start - 1])  # GitBook anchors and `&#x20;` carry no meaning
    stripped = source.lstrip(" ")
    hashes = len(stripped) - len(stripped.lstrip("#"))
    body = stripped[hashes:].strip()
    if body.endswith("#"):  # optional closing sequence
        trimmed = body.rstrip("#")
        if not trimmed or trimmed.endswith(" "):
            body = trimmed.strip()
    column = source.find(body) + 1 if body else len(source) + 1
    return Block("heading", start, start, level=int(token.level), text=body, column=column)


def _item(token: Any, lines: list[str], start: int, stop: int, depth: int) -> Block:
    leader = str(getattr(token, "leader", "*"))
    marker = _MARKER.match(lines[start - 1])
    content = marker.end() if marker else len(leader) + 1
    kids = [k for k in list(token.children or []) if type(k).__name__ != "BlankLine"]
    item = Block("item", start, stop, indent=content, leader=leader, column=content + 1)
    if kids and type(kids[0]).__name__ == "Paragraph":
        para_end = (_line_of(kids[1]) - 1) if len(kids) > 1 else stop
        para_end = _trim_blank(lines, start, para_end)
        first = lines[start - 1][content:]
        rest = [_dedent(lines[n - 1], content) for n in range(start + 1, para_end + 1)]
        item.text = "\n".join([first, *rest])
        item.level = 1  # marks an item that opens with inline text
        kids = kids[1:]
    item.children = _convert_children(kids, lines, stop, depth + 1)
    return item


def _dedent(line: str, width: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width) :]


def source_of(block: Block, lines: list[str], dedent: int = 0) -> str:
    """The block's exact source lines, with `dedent` leading columns removed."""
    chunk = lines[block.line - 1 : block.end]
    if dedent:
        first = chunk[0][dedent:] if chunk else ""
        chunk = [first, *(_dedent(line, dedent) for line in chunk[1:])]
    return "\n".join(chunk)
