"""What a notes-kit comment looks like, in Markdown (`<!-- notes-kit: ... -->`) and YAML
(`# notes-kit: ...`).

The format needs it to keep a suppression comment where it stands (right above what it
covers) when a page is read and rendered; the linter (notes_kit.lint.suppress) reads the
directives' meaning with the same patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

Kind = Literal["markdown", "yaml"]
KEYWORD = re.compile(r"\s*notes-kit(?![\w])", re.IGNORECASE)
# A comment ends at its first `-->`: with `.*?` free to run past it, a line of 30 comments
# and a word backtracked through every way to group them (exponential).
HTML_LINE = re.compile(r"\s*(?:<!--(?:(?!-->).)*-->\s*)+")
YAML_COMMENT = re.compile(r"\s*#")


def is_directive(line: str, kind: Kind = "markdown") -> bool:
    """True for a line holding only notes-kit comments (malformed ones too, so they survive)."""
    if kind == "yaml":
        match = YAML_COMMENT.match(line)
        return bool(match and KEYWORD.match(line[match.end() :]))
    if not HTML_LINE.fullmatch(line):
        return False
    return any(KEYWORD.match(body) for _, body, _ in html_comments(line))


def html_comments(line: str) -> Iterator[tuple[int, str, bool]]:
    """(1-based column of `<!--`, body, closed on this line) for each comment on the line."""
    position = 0
    while (start := line.find("<!--", position)) >= 0:
        end = line.find("-->", start + 4)
        if end < 0:
            yield start + 1, line[start + 4 :], False
            return
        yield start + 1, line[start + 4 : end], True
        position = end + 3
