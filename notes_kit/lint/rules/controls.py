"""NK507: characters a reader cannot see in a page's text.

Control characters (C0 but tab and newline, DEL, C1) can drive a terminal that prints
the page or a message quoting it (ESC clears a screen, BEL rings); bidirectional
overrides and isolates (U+202A-202E, U+2066-2069) make text display in another order
than it reads ("Trojan Source"); zero-width characters (U+200B-200D, U+2060, U+FEFF
inside the text) split words invisibly, so a search or NK701's title match misses them.
Every line is checked, code blocks too: they are where reordered text does harm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                        "\u200b-\u200d\u2060\ufeff]+")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK "
             "SYN ETB CAN EM SUB ESC FS GS RS US").split()


def check_invisible(ctx: Context) -> Iterator[Finding]:
    if not _INVISIBLE.search(ctx.text):
        return  # nearly every page: one scan of the text
    for number, line in enumerate(ctx.lines, 1):
        for match in _INVISIBLE.finditer(line):
            run = match.group()
            if _joins(line, match.start(), match.end()):
                continue
            first = run[0]
            what = ", ".join(dict.fromkeys(describe(char) for char in run))
            if first in _ZERO_WIDTH:
                message = f"zero-width character ({what}): it splits the text invisibly"
            elif "\u202a" <= first <= "\u2069":
                message = (f"bidirectional control ({what}): the text may display in another "
                           "order than it reads")
            else:
                message = f"control character ({what}): a terminal may act on it"
            yield ctx.finding("NK507", number, match.start() + 1, message,
                              end_column=match.end() + 1, severity=Severity.WARNING
                              if all(char in _ZERO_WIDTH for char in run) else None)


def _joins(line: str, start: int, end: int) -> bool:
    """A lone joiner or non-joiner between two non-ASCII characters: an emoji sequence
    (man, joiner, laptop: a technologist) or a script that needs it (Persian, Indic)."""
    if end - start != 1 or line[start] not in "\u200c\u200d" or not 0 < start < end < len(line):
        return False
    before, after = line[start - 1], line[end]
    return not before.isascii() and not after.isascii() and not (before + after).isspace()


def describe(char: str) -> str:
    """`U+001B ESC`, `U+202E RIGHT-TO-LEFT OVERRIDE`."""
    import unicodedata

    code = ord(char)
    name = _C0_NAMES[code] if code < 32 else "DEL" if code == 127 else unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()


register(Rule(
    "NK507", "invisible-character", "A control, bidirectional or zero-width character in the "
    "text", Severity.ERROR, FixKind.NONE,
    "Not fixed: only the author knows whether it is a paste accident or meant (a zero-width "
    "joiner in an emoji or a script, an override in a note about Unicode); zero-width ones "
    "are warnings.", "* Server\u200bless computing, spelt with a zero-width space\n",
    "* Serverless computing, spelt with a zero-width space\n", "text", check_invisible))
