"""NK2xx: Meta Info (homepage, paper lists, acceptance rates, link style)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.core.model import Rate
from notes_kit.format.markdown.rates import expected_percent, figure_matches, format_percent
from notes_kit.lint.rules import placeholders
from notes_kit.lint.rules.common import chain, from_parser
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register


def check_link_style(ctx: Context) -> Iterator[Finding]:
    """The parser reports `[u](u)` and bare URLs with edits to `<u>`; link-style "inline"
    asks for `[u](u)` instead."""
    from dataclasses import replace

    inline = ctx.config.link_style == "inline"
    for finding in from_parser("NK205")(ctx):
        if not inline:
            yield finding
        elif not finding.suggestions:  # a bare URL: written [u](u) in this style
            yield replace(finding, edits=tuple(replace(e, text=_inline_link(e.text[1:-1]))
                                               for e in finding.edits))
        elif not finding.suggestions[0].startswith("<"):
            yield finding
    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    if not inline or (meta is not None and meta.verbatim is not None):
        return
    lines = [meta.homepage_line, *(p.line for p in meta.paper_lists)] if meta else []
    for number in sorted(set(lines)):
        row = ctx.lines[number - 1] if 0 < number <= len(ctx.lines) else ""
        start = row.find("<http")
        end = row.find(">", start)
        if start >= 0 and end > start:
            written = row[start : end + 1]
            yield ctx.finding("NK205", number, start + 1, "link-style is inline: write "
                              "[url](url)", edits=ctx.span_edit(number, start + 1, written,
                                                                _inline_link(written[1:-1])))


def _inline_link(url: str) -> str:
    return f"[{url}]({url})"


_HOMEPAGE = re.compile(r"^\s*Homepage\s*:\s*(?P<value>.*?)\s*$", re.IGNORECASE)


def check_homepage(ctx: Context) -> Iterator[Finding]:
    from notes_kit.format.markdown.inline import bare_url

    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    if meta is None:
        return
    found = meta.homepage is not None
    for raw in meta.raw:  # Homepage lines the parser could not take (kept verbatim)
        match = _HOMEPAGE.match(raw.text)
        if match is None or "\n" in raw.text:
            continue
        column = match.start("value") + 1
        if found:
            yield ctx.finding("NK201", raw.line, 1, "more than one 'Homepage:' line: keep one")
        elif (bare_url(match.group("value")) or ("", ""))[1] != "misleading":  # NK205's case
            yield ctx.finding("NK201", raw.line, column, f"homepage '{match.group('value')}' "
                              "is not an absolute https URL written '<url>'")
        found = True
    if not found:
        yield ctx.finding("NK201", meta.line or ctx.parsed.page.line, 1,
                          "missing 'Homepage: <url>' line in Meta Info")
    elif meta.homepage and meta.homepage.startswith("http://"):
        yield ctx.finding("NK201", meta.homepage_line, meta.homepage_column, "homepage uses "
                          "http; use https if the site serves it", severity=Severity.WARNING,
                          end_column=meta.homepage_end)


def _figure(ctx: Context, rate: Rate) -> tuple[int, int]:
    """The span of `P% (= A / S)` of a rate, as the parser read it: (column, end column)."""
    return (rate.figure_column, rate.figure_end) if rate.figure_column else (rate.column, 0)


def check_paper_list(ctx: Context) -> Iterator[Finding]:
    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    if meta is not None and not meta.paper_lists:
        yield ctx.finding("NK202", meta.line or ctx.parsed.page.line, 1, "no paper list in "
                          "Meta Info: add '### Paper List' with '* <url>' bullets",
                          severity=Severity.WARNING, fixable=False)


def _walk(rates: list[Rate]) -> Iterator[Rate]:
    for rate in rates:
        yield rate
        yield from _walk(rate.cycles)


def check_arithmetic(ctx: Context) -> Iterator[Finding]:
    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    for rate in _walk(meta.acceptance_rate if meta else []):
        if rate.percent is None or rate.accepted is None or rate.submitted is None:
            continue
        where = f"{rate.label}: " if rate.label else ""
        column, end = _figure(ctx, rate)
        if not 0 < rate.accepted <= rate.submitted:
            yield ctx.finding("NK204", rate.line, column, f"{where}accepted ({rate.accepted})"
                              f" must be between 1 and submitted ({rate.submitted})",
                              end_column=end)
            continue
        if not figure_matches(rate):
            precision = rate.precision or 0 if rate.approx else 1
            expected = expected_percent(rate.accepted, rate.submitted, precision)
            written = format_percent(rate.percent, rate.precision if rate.approx else None)
            yield ctx.finding("NK204", rate.line, column, f"{where}{written}% does not match "
                              f"{rate.accepted} / {rate.submitted} = {expected}%",
                              end_column=end, suggestions=(f"{expected}%",))


def check_decimals(ctx: Context) -> Iterator[Finding]:
    """P has one decimal; more digits are kept as written (rounding them is the author's call)."""
    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    for rate in _walk(meta.acceptance_rate if meta else []):
        if rate.percent is not None and not rate.approx \
                and len(format_percent(rate.percent).split(".")[1]) > 1:
            column, end = _figure(ctx, rate)
            yield ctx.finding("NK203", rate.line, column, f"{format_percent(rate.percent)}% has "
                              "more than one decimal", end_column=end, fixable=False)


def check_totals(ctx: Context) -> Iterator[Finding]:
    assert ctx.parsed is not None
    meta = ctx.parsed.page.meta
    yield from _totals(ctx, meta.acceptance_rate if meta else [])


def _totals(ctx: Context, level: list[Rate]) -> Iterator[Finding]:
    rated = [r for r in level if r.percent is not None]
    totals = [r for r in rated if (r.label or "").strip().lower() == "total"]
    cycles = [r for r in rated if r not in totals]
    if totals and len(cycles) > 1 and len({c.submitted for c in cycles}) > 1:
        accepted = sum(c.accepted or 0 for c in cycles)
        submitted = sum(c.submitted or 0 for c in cycles)
        for total in totals:
            if (total.accepted, total.submitted) != (accepted, submitted):
                column, end = _figure(ctx, total)
                yield ctx.finding("NK206", total.line, column, f"Total is "
                                  f"{total.accepted} / {total.submitted} but the cycles add up "
                                  f"to {accepted} / {submitted}", end_column=end)
    for rate in level:
        yield from _totals(ctx, rate.cycles)


register(Rule(
    "NK201", "homepage", "Meta Info has exactly one 'Homepage: <url>' with an absolute https URL",
    Severity.ERROR, FixKind.NONE, "A missing or wrong homepage needs the author's knowledge.",
    "Homepage: sigops.org/s/conferences/sosp/2024", "Homepage: <https://sigops.org/s/conferences"
    "/sosp/2024/>", "conference", chain(check_homepage, placeholders.check_homepage_placeholder)))
register(Rule(
    "NK202", "paper-list", "Paper lists stand under '### Paper List' as '* [Label: ]<url>' bullets",
    Severity.ERROR, FixKind.SAFE,
    "Moving an inline 'Paper list: <url>' under the heading changes form only.",
    "Paper list: [https://x.org/p](https://x.org/p)", "### Paper List\n\n* <https://x.org/p>",
    "conference", chain(from_parser("NK202"), check_paper_list,
                        placeholders.check_paper_list_placeholder)))
register(Rule(
    "NK203", "acceptance-rate-format", "Acceptance rates read 'P% (= A / S)' under "
    "'### Acceptance Rate', P with one decimal", Severity.ERROR, FixKind.SAFE,
    "Spacing, the '=' and the heading are form; the numbers are kept as written.",
    "Acceptance rate: 12.70% (65 / 510)", "### Acceptance Rate\n\n12.7% (= 65 / 510)",
    "conference", chain(from_parser("NK203"), check_decimals, placeholders.check_rate_placeholder)))
register(Rule(
    "NK204", "acceptance-rate-arithmetic", "P equals round(100*A/S, 1) and 0 < A <= S",
    Severity.ERROR, FixKind.NONE,
    "A wrong figure may be a wrong A or S as well as a wrong P: the author decides.",
    "17.4% (= 43 / 248)", "17.3% (= 43 / 248)", "conference", check_arithmetic))
register(Rule(
    "NK205", "link-style", "A bare URL is written '<url>'; a link's text is never another URL",
    Severity.ERROR, FixKind.SAFE,
    "'[u](u)' and '<u>' are the same link; a link whose text is a different URL is only "
    "reported.", "Homepage: [https://a.org](https://a.org)", "Homepage: <https://a.org>",
    "conference", check_link_style))
register(Rule(
    "NK206", "acceptance-rate-total", "A 'Total' entry equals the sum of its cycles when their "
    "denominators differ", Severity.ERROR, FixKind.NONE,
    "Which figure is wrong is the author's call.",
    "* Spring: 10.0% (= 10 / 100)\n* Fall: 20.0% (= 40 / 200)\n* Total: 15.0% (= 45 / 300)",
    "* Spring: 10.0% (= 10 / 100)\n* Fall: 20.0% (= 40 / 200)\n* Total: 16.7% (= 50 / 300)",
    "conference", check_totals))
