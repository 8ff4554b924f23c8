"""Which region each source line of a Markdown page is in: prose, fenced code, front
matter, an HTML comment, an HTML block or an authors line (person names, never prose).
Computed once per file (Context.kinds) and shared by the text rules, which only look for
words and HTML where it matters."""

from __future__ import annotations

import re

from notes_kit.format.markdown.textfix import code_lines, front_matter_end

PROSE, CODE, FRONT, COMMENT, HTML = "prose", "code", "front", "comment", "html"
AUTHORS = "authors"
# `* Authors: A, B and C` (the canonical line) and the forms pages write by hand:
# `Authors: ...`, `**Authors**: ...`, `- *Author:* ...`, numbered or not.
_AUTHOR_LINE = re.compile(r"\s*(?:[*+-]\s+|\d{1,9}[.)]\s+)?[*_]{0,2}Authors?[*_]{0,2}\s*:")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote center details dialog div dl dt dd fieldset figcaption"
    " figure footer form h1 h2 h3 h4 h5 h6 header hr iframe li main nav ol p pre script"
    " section style summary table tbody td tfoot th thead tr ul".split()
)
_HTML_START = re.compile(r"\s*</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_LONE_TAG = re.compile(r"\s*(?:<[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|</[A-Za-z][\w-]*\s*>)\s*$")


def line_kinds(lines: list[str], code: set[int] | None = None) -> list[str]:
    """Each line's region. `code` is textfix.code_lines(lines) when the caller has it."""
    kinds = [FRONT] * (front_matter_end(lines) + 1)
    kinds += [PROSE] * (len(lines) - len(kinds))
    for index in code_lines(lines) if code is None else code:
        kinds[index] = CODE  # textfix's view of code wins: it decides what fix edits
    if any("<" in line for line in lines):  # else no comment or HTML block starts anywhere
        _mark_html(lines, kinds)
    for index, line in enumerate(lines):  # last: a comment or HTML block may hold such a line
        if "uthor" in line and kinds[index] == PROSE and _AUTHOR_LINE.match(line):
            kinds[index] = AUTHORS
    return kinds


def _mark_html(lines: list[str], kinds: list[str]) -> None:
    block, indent = "", 0
    for index, line in enumerate(lines):
        if kinds[index] != PROSE:
            block = ""
            continue
        if not block and "<" not in line:
            continue
        depth = len(line) - len(line.lstrip())
        if block == HTML and (not line.strip() or depth < indent):
            block = ""  # a blank line, or a list item of an outer level, ends the block
        if block == COMMENT or (not block and line.lstrip().startswith("<!--")):
            kinds[index] = COMMENT
            opened = 0 if block == COMMENT else line.index("<!--") + 4
            block = "" if "-->" in line[opened:] else COMMENT
        elif block == HTML or _starts_html_block(line):
            kinds[index] = HTML
            block, indent = HTML, indent if block else depth


def _starts_html_block(line: str) -> bool:
    """CommonMark's HTML blocks 6 (a block-level tag) and 7 (a lone tag), at any indent."""
    match = _HTML_START.match(line)
    if match is None:
        return False
    return match.group(1).lower() in _BLOCK_TAGS or bool(_LONE_TAG.match(line))
