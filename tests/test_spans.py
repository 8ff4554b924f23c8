"""The linear-time scanners give exactly what the regular expressions they replace gave
(those regexes are kept, or written here, as the reference)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from notes_kit.format.markdown.parse import TITLE
from notes_kit.format.markdown.spans import blank, spans
from notes_kit.format.markdown.textfix import (
    EMPTY_ANCHOR,
    TRAILING_ENTITY,
    empty_anchors,
    trailing_start,
)
from notes_kit.knowledge import spelling as typos
from notes_kit.lint.rules import text as text_rules
from notes_kit.lint.suppress import is_directive


def pieces(*alphabet: str, size: int = 16) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=size).map("".join)


PROSE = pieces("`", "``", "```", " ", "a", "b@c.d", "@", ".", "+", "-", "<!--", "-->", "{%",
               "%}", "$", "$$", "<", ">", "<a ", "http://x", "www.", "](", ")", "(", "][", "]",
               "&amp;", "&#1;", "\n", "x.y", '"', "!", "{", "%", "\0", "<b@c.d>", "<http:x>",
               "\\", "5", "_")
REFERENCE = re.compile(typos._SKIP_ALL, re.DOTALL)


@settings(max_examples=1000, deadline=None)
@given(PROSE)
def test_prose_mask_blanks_what_the_whole_alternation_matches(text: str) -> None:
    typos.prose_mask.cache_clear()
    expected = REFERENCE.sub(typos._blank_match, text) if any(
        mark in text for mark in typos._SKIP_MARKS) else text
    assert typos.prose_mask(text) == expected


CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)|\$\$.+?\$\$")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


@settings(max_examples=800, deadline=None)
@given(pieces("`", "``", "```", "$", "$$", "a", " ", "\\"))
def test_code_spans_match_the_backreference_regex(line: str) -> None:
    def spaces(match: re.Match[str]) -> str:
        return " " * len(match.group())

    assert text_rules._blank_code(line) == CODE.sub(spaces, line)
    assert blank(line, spans(line, None)) == CODE_SPAN.sub(spaces, line)


@settings(max_examples=1000, deadline=None)
@given(pieces(" ", "\t", "a", "&#x20;", "<a ", "id=", ">", "</a>", "x", "<", "\u00a0", ";",
              "i", "d", "=", size=12))
def test_trailing_run_and_empty_anchors_match_their_regexes(line: str) -> None:
    trailing = TRAILING_ENTITY.search(line)
    assert trailing_start(line) == (trailing.start() if trailing else len(line))
    assert empty_anchors(line) == [m.span() for m in EMPTY_ANCHOR.finditer(line)]


LAZY_TITLE = re.compile(r"^(?P<venue>\S.*?)\s+(?P<year>\d{4})(?:\s+\((?P<full>[^()]+)\))?$")


@settings(max_examples=800, deadline=None)
@given(pieces(" ", "\t", "a", "1", "2024", "\n", "\u00a0", "\u0663", "x y", size=8))
def test_title_pattern_finds_the_venue_the_lazy_pattern_found(title: str) -> None:
    lazy, greedy = LAZY_TITLE.match(title), TITLE.match(title)
    assert (lazy and lazy.groupdict()) == (greedy and greedy.groupdict())


def test_a_line_of_comments_then_text_is_not_a_directive_and_returns_at_once() -> None:
    """The old pattern backtracked through every grouping of the comments (2 ** 40 here)."""
    assert not is_directive("<!-- a -->" * 40 + " x")
    assert is_directive("<!-- a --> <!-- notes-kit: disable NK501 -->")
    assert not is_directive("<!-- a --> b -->")  # a comment ends at its first `-->`
