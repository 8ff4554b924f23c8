"""The `TODO` placeholders that `notes-kit new` leaves, reported under the rule of the line
they stand in (NK201 homepage, NK202 paper list, NK203 acceptance rate) with what to write."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from notes_kit.core.findings import Finding
from notes_kit.core.model import Rate
from notes_kit.knowledge.placeholders import PLACEHOLDER, PLACEHOLDER_URL
from notes_kit.lint.rules.context import Context


def is_placeholder_url(url: str | None) -> bool:
    return bool(url) and (urlsplit(url or "").hostname or "").casefold() == PLACEHOLDER.casefold()


def check_homepage_placeholder(ctx: Context) -> Iterator[Finding]:
    meta = ctx.parsed.page.meta if ctx.parsed else None
    if meta is not None and is_placeholder_url(meta.homepage):
        column = meta.homepage_column
        yield ctx.finding("NK201", meta.homepage_line, column, f"homepage is the placeholder "
                          f"<{PLACEHOLDER_URL}> written by 'notes-kit new': put the "
                          "conference's homepage URL here", fixable=False)


def check_paper_list_placeholder(ctx: Context) -> Iterator[Finding]:
    meta = ctx.parsed.page.meta if ctx.parsed else None
    for item in meta.paper_lists if meta else []:
        if is_placeholder_url(item.url):
            yield ctx.finding("NK202", item.line, item.column, f"paper list is the placeholder "
                              f"<{PLACEHOLDER_URL}>: link the accepted-papers page or the "
                              "proceedings", fixable=False)


def _rates(rates: list[Rate]) -> Iterator[Rate]:
    for rate in rates:
        yield rate
        yield from _rates(rate.cycles)


def check_rate_placeholder(ctx: Context) -> Iterator[Finding]:
    meta = ctx.parsed.page.meta if ctx.parsed else None
    for rate in _rates(meta.acceptance_rate if meta else []):
        if rate.percent is None and PLACEHOLDER in (rate.text or "").split(":")[0]:
            yield ctx.finding("NK203", rate.line, rate.column, "acceptance rate is a "
                              "placeholder: write 'P% (= accepted / submitted)', e.g. "
                              "'17.3% (= 43 / 248)', or delete the bullet", fixable=False)
