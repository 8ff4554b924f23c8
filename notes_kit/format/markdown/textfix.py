"""Line-level safe fixes shared by every Markdown page (NK502, NK503)."""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# Where these are searched, a regex would retry at every character of a long run of spaces
# (or of `id=`), quadratic on a hostile line: trailing_start and empty_anchors scan instead.
TRAILING_ENTITY = re.compile(r"(?:&#x20;|\s)+$")  # what trailing_start finds
EMPTY_ANCHOR = re.compile(r"\s*<a\s+[^<>]*\bid=[^<>]*>\s*</a>\s*")  # what empty_anchors finds
_ANCHOR_TAG = re.compile(r"<a\s[^<>]*>\s*</a>")
_ID = re.compile(r"\bid=")
HEADING = re.compile(r"^#{1,6}\s")
# Leading white space and the gap after a list marker: where a tab is structure, not text.
INDENT = re.compile(r"^[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?")


def expand_indent(line: str) -> str:
    """Tabs in the indentation (and after a bullet marker) as the spaces CommonMark reads
    them as: to the next multiple of four columns. Tabs inside the text are left alone."""
    prefix = INDENT.match(line)
    if prefix is None or "\t" not in prefix.group():
        return line
    return prefix.group().expandtabs(4) + line[prefix.end() :]


def front_matter_end(lines: list[str]) -> int:
    """0-based index of the `---` line closing YAML front matter at the very top (followed
    by a newline), -1 when there is none. The one definition of front matter."""
    if len(lines) < 3 or lines[0] != "---":
        return -1
    return next((i for i in range(1, len(lines) - 1) if lines[i] == "---"), -1)


def trailing_start(line: str) -> int:
    """Where the run of white space and `&#x20;` that ends the line starts (len(line) when
    there is none): TRAILING_ENTITY.search(line).start(), in one pass from the end."""
    end = len(line.rstrip())
    while end >= 6 and line.startswith("&#x20;", end - 6):
        end -= 6
        while end and line[end - 1].isspace():
            end -= 1
    return end


def empty_anchors(line: str) -> list[tuple[int, int]]:
    """The spans EMPTY_ANCHOR.finditer(line) gives, found from each `<a` tag once."""
    spans: list[tuple[int, int]] = []
    done = position = 0
    while (match := _ANCHOR_TAG.search(line, position)) is not None:
        tag_end = line.index(">", match.start())
        if not _ID.search(line, match.start() + 3, tag_end):
            position = match.start() + 1
            continue
        start = match.start()
        while start > done and line[start - 1].isspace():
            start -= 1
        end = match.end()
        while end < len(line) and line[end].isspace():
            end += 1
        spans.append((start, end))
        done = position = end
    return spans


def code_lines(lines: list[str]) -> set[int]:
    """0-based indexes of lines inside fenced code blocks (fences included)."""
    inside: set[int] = set()
    fence: str | None = None
    for index, line in enumerate(lines):
        match = FENCE.match(line) if fence is None and ("```" in line or "~~~" in line) else None
        if fence is None and match:
            fence = match.group(1)[0] * 3
            inside.add(index)
        elif fence is not None:
            inside.add(index)
            if line.strip().startswith(fence):
                fence = None
    return inside


def fix_line(line: str) -> str:
    # Each step is guarded by a substring test its pattern implies: most lines need none.
    if "\t" in line:
        line = expand_indent(line)
    if "<a" in line and HEADING.match(line):
        pieces, done = [], 0
        for start, end in empty_anchors(line):
            pieces += [line[done:start], " "]
            done = end
        line = ("".join(pieces) + line[done:]).rstrip()
    if line and (line[-1].isspace() or line[-1] == ";"):
        line = line[: trailing_start(line)]
    return line


def fix_lines(text: str) -> str:
    """Trailing spaces and `&#x20;` dropped, empty heading anchors dropped, blank runs
    folded to one, exactly one final newline. Code blocks and front matter are left alone."""
    lines = text.split("\n")
    code = code_lines(lines) | set(range(front_matter_end(lines) + 1))  # kept as written
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in code:
            out.append(line)
            continue
        line = fix_line(line)
        if not line and out and not out[-1] and index - 1 not in code:
            continue
        out.append(line)
    while out and not out[-1].strip():  # an unclosed fence's blank tail goes too
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return "\n".join(out) + "\n"
