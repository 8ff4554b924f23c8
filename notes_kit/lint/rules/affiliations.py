"""NK4xx: the affiliation line of each paper."""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

_SEPARATORS = re.compile(r",|\sand\s|/|;")
_TRAILING = re.compile(r"[.,;:]$")


def check_missing(ctx: Context) -> Iterator[Finding]:
    for paper in ctx.papers:
        if not paper.affiliations:
            yield ctx.finding("NK401", paper.line, paper.column, "paper has no affiliation line "
                              "(its first child bullet, e.g. '* PKU & ByteDance')")


def check_separators(ctx: Context) -> Iterator[Finding]:
    known = set(ctx.affiliations) | set(ctx.affiliations.values())
    for paper in ctx.papers:
        line = paper.affiliation_line
        joined = " & ".join(paper.affiliations)
        start = paper.affiliation_column  # the affiliations as read, from the model
        offset = 0
        for name in paper.affiliations:
            # A registry name may hold a comma ('ICT, CAS'): only unknown names are searched.
            sep = None if name.strip() in known else _SEPARATORS.search(name)
            if sep:
                lead = len(sep.group(0)) - len(sep.group(0).lstrip())
                yield ctx.finding("NK402", line, start + offset + sep.start() + lead,
                                  f"institutions are joined by ' & ', not "
                                  f"'{sep.group(0).strip()}'")
                break
            offset += len(name) + 3
        if _TRAILING.search(joined) and paper.affiliations[-1].strip() not in known:
            yield ctx.finding("NK402", line, start + len(joined) - 1,
                              "trailing punctuation after the affiliations: "
                              "drop it")
        offset = 0
        for name in paper.affiliations:
            if not name.strip() or name != name.strip():
                yield ctx.finding("NK402", line, start + offset, "empty institution "
                                  "or stray spaces around ' & '")
                break
            offset += len(name) + 3


def check_aliases(ctx: Context) -> Iterator[Finding]:
    aliases = ctx.affiliations
    for paper in ctx.papers:
        line = paper.affiliation_line
        start = paper.affiliation_column
        for name in paper.affiliations:
            canonical = aliases.get(name.strip())
            if canonical and canonical != name.strip():
                lead = start + len(name) - len(name.lstrip())
                yield ctx.finding("NK403", line, start, f"'{name}' is written '{canonical}'",
                                  end_column=start + len(name), suggestions=(canonical,),
                                  edits=ctx.span_edit(line, lead, name.strip(), canonical))
            start += len(name) + 3


register(Rule(
    "NK401", "affiliation-missing", "The first child bullet of every paper is its affiliation "
    "line", Severity.ERROR, FixKind.NONE, "Only the author knows the affiliations.",
    "* Title \\[[Paper](https://a.org/p)]\n  * Route the work of a failed server to its peers.",
    "* Title \\[[Paper](https://a.org/p)]\n  * PKU & ByteDance\n"
    "  * Route the work of a failed server to its peers.",
    "conference", check_missing))
register(Rule(
    "NK402", "affiliation-separator", "Institutions are joined by ' & ', with no trailing "
    "punctuation", Severity.ERROR, FixKind.NONE,
    "A comma may belong to a name ('University of California, Berkeley'): only reported.",
    "  * PKU, ByteDance and MSRA.", "  * PKU & ByteDance & MSRA", "conference",
    check_separators))
register(Rule(
    "NK403", "affiliation-alias", "Institutions use the registry's canonical short name",
    Severity.WARNING, FixKind.UNSAFE,
    "Replacing an institution's name edits prose: applied only with --unsafe-fixes.",
    "  * Peking University & Georgia Tech", "  * PKU & GaTech", "conference", check_aliases))
