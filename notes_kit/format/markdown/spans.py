"""Leftmost-first spans of a code-span-first alternation, in time linear in the text.

A regex `(?<!`)(`+)(?!`).+?(?<!`)\\1(?!`)|...` retries its lazy `.+?` at every later
character for every backtick run that never closes: a line of runs of distinct lengths
costs minutes. Here each run's closer (the next run of the same length) is looked up in a
table built in one pass, and the other branches come from their own regex. The result
is exactly what `re.finditer` over the whole alternation gives.

The e-mail branch `[\\w.+-]+@...` has the same problem (every start inside a long word
scans to its end); it is tried only where a run of its characters starts, or right where
the previous span ended, which is where the regex could first succeed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_RUN = re.compile(r"`+")
_EMAIL_CHARS = r"[\w.+-]"
_NOT_NEWLINE = re.compile(r"[^\n]")


@lru_cache(maxsize=4)
def email_patterns(branch: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`branch` (an e-mail regex starting with `[\\w.+-]+`) as it may start anywhere, and as
    it may start only where a run of its first characters starts."""
    return re.compile(branch), re.compile(rf"(?<!{_EMAIL_CHARS}){branch}")


def spans(text: str, rest: re.Pattern[str] | None, email: tuple[re.Pattern[str],
          re.Pattern[str]] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each match of `code span | rest | email`, left to right.

    The code span is tried first at a position, the e-mail branch last, as in the
    alternation; `rest` must not match an empty string.
    """
    code = _CodeSpans(text)
    pos = 0
    other = rest.search(text) if rest is not None else None
    mail = _next_email(text, 0, email)
    while True:
        if other is not None and other.start() < pos:
            assert rest is not None
            other = rest.search(text, pos)
        if mail is not None and mail[0] < pos:
            mail = _next_email(text, pos, email)
        best = code.first_from(pos)
        if other is not None and (best is None or other.start() < best[0]):
            best = other.span()
        if mail is not None and (best is None or mail[0] < best[0]):
            best = mail
        if best is None:
            return
        yield best
        pos = best[1]


def _next_email(text: str, pos: int, email: tuple[re.Pattern[str], re.Pattern[str]] | None
                ) -> tuple[int, int] | None:
    if email is None:
        return None
    anywhere, at_run = email
    here = anywhere.match(text, pos)
    if here is not None:
        return here.span()
    found = at_run.search(text, pos)
    return found.span() if found is not None else None


class _CodeSpans:
    """The backtick runs of a text, each with the index of its closer: the next run of the
    same length (a run with none opens nothing)."""

    def __init__(self, text: str) -> None:
        self.runs = [m.span() for m in _RUN.finditer(text)] if "`" in text else []
        self.closer = [-1] * len(self.runs)
        last: dict[int, int] = {}  # run length -> index of the nearest later run of it
        for index in range(len(self.runs) - 1, -1, -1):
            start, end = self.runs[index]
            self.closer[index] = last.get(end - start, -1)
            last[end - start] = index
        self.index = 0

    def first_from(self, pos: int) -> tuple[int, int] | None:
        """The first code span opening at `pos` or later; positions only ever grow."""
        runs, closer = self.runs, self.closer
        while self.index < len(runs) and (runs[self.index][0] < pos or closer[self.index] < 0):
            self.index += 1
        if self.index == len(runs):
            return None
        return runs[self.index][0], runs[closer[self.index]][1]


def blank(text: str, found: Iterator[tuple[int, int]] | list[tuple[int, int]]) -> str:
    """`text` with each span made spaces, its newlines kept (offsets stay offsets)."""
    pieces: list[str] = []
    done = 0
    for start, end in found:
        piece = text[start:end]
        pieces += [text[done:start], _NOT_NEWLINE.sub(" ", piece) if "\n" in piece
                   else " " * (end - start)]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
