"""NK3xx: paper bullets and their links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.core.model import Link
from notes_kit.format.markdown.papers import LABELS
from notes_kit.lint.rules.common import chain, from_parser
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

_TITLE_LINK = re.compile(r"\[[^\[\]]+\]\([^()\s]*\)")
_DOI = re.compile(r"^https?://(?:dl\.acm\.org/doi/(?:abs/|pdf/|full/|epdf/)?|(?:dx\.)?doi\.org/)"
                  r"(?P<doi>10\.\d{4,9}/\S+)$")
_ARXIV_PDF = re.compile(r"^https?://arxiv\.org/pdf/(?P<id>[^/?#]+?)(?:v\d+)?(?:\.pdf)?$")


def check_title_links(ctx: Context) -> Iterator[Finding]:
    for paper in ctx.papers:
        if _TITLE_LINK.search(paper.title):
            yield ctx.finding("NK301", paper.line, paper.column, "the title is written as a "
                              "link; write 'Title \\[[Paper](url)]'", severity=Severity.WARNING,
                              fixable=False)


def check_labels(ctx: Context) -> Iterator[Finding]:
    for paper in ctx.papers:
        for link in paper.links:
            if link.label not in LABELS:
                yield ctx.finding("NK302", link.line, link.column + 1, f"unknown link label "
                                  f"'{link.label}': the vocabulary has Paper, arXiv, Code, "
                                  "Slides, Video, ... (notes-kit explain NK302)",
                                  severity=Severity.WARNING, fixable=False)


def check_duplicates(ctx: Context) -> Iterator[Finding]:
    for paper in ctx.papers:
        seen: set[str] = set()
        for link in paper.links:
            if link.label in seen:
                yield ctx.finding("NK303", link.line, link.column + 1, f"label '{link.label}' "
                                  "appears twice on this paper: keep one", fixable=False,
                                  end_column=link.end_column or 0)
            seen.add(link.label)


def check_urls(ctx: Context) -> Iterator[Finding]:
    from notes_kit.knowledge.registries import venue_for_heading

    assert ctx.parsed is not None
    venue = venue_for_heading(ctx.parsed.page.venue, ctx.venues)
    prefix = venue.doi_prefix if venue else None
    for paper in ctx.papers:
        for link in paper.links:
            yield from _url(ctx, link, prefix)


def _url(ctx: Context, link: Link, prefix: str | None) -> Iterator[Finding]:
    url, col = link.url, link.url_column

    def at(message: str, **options: Any) -> Finding:
        """NK304 on the URL as written."""
        return ctx.finding("NK304", link.line, col, message, end_column=col + len(url),
                           **options)

    if link.label == "Personal Notes" and re.fullmatch(r"[\w./-]+\.md", url):
        return  # a relative link to a note page of the same collection
    if " " in url:
        yield at(f"'{url}' contains a space: write it %20 or fix the URL")
        return
    if not re.match(r"^https?://[^\s/]+", url):
        yield at(f"'{url}' is not an absolute URL: write it with https://")
        return
    if url.startswith("http://"):
        yield at(f"'{url}' uses http; prefer https", severity=Severity.WARNING)
    pdf = _ARXIV_PDF.match(url)
    if pdf:
        good = f"https://arxiv.org/abs/{pdf.group('id')}"
        yield at(f"arXiv link to the PDF: link the abstract page {good}", suggestions=(good,))
    doi = _DOI.match(url)
    if doi and prefix and not doi.group("doi").startswith(prefix + "/"):
        yield at(f"DOI {doi.group('doi')} is not under the venue's prefix {prefix}: check the "
                 "DOI", severity=Severity.WARNING)


def check_no_link(ctx: Context) -> Iterator[Finding]:
    for paper in ctx.papers:
        if not paper.links and not _TITLE_LINK.search(paper.title):
            yield ctx.finding("NK305", paper.line, paper.column,
                              "paper has no link: add '\\[[Paper](url)]'",
                              end_column=paper.end_column)


register(Rule(
    "NK301", "link-brackets", "Each link is '\\[[Label](url)]', single spaces between",
    Severity.ERROR, FixKind.SAFE, "Brackets and spacing are form; labels and URLs are kept.",
    "Title [[Paper](https://a.org/p)], [Code](https://github.com/a/b)]",
    "Title \\[[Paper](https://a.org/p)] \\[[Code](https://github.com/a/b)]", "conference",
    chain(from_parser("NK301"), check_title_links)))
register(Rule(
    "NK302", "link-label", "Link labels come from the vocabulary, spelled canonically",
    Severity.ERROR, FixKind.SAFE, "Label casing (Arxiv -> arXiv) is form; unknown labels are "
    "only a warning.", "Title \\[[Arxiv](https://arxiv.org/abs/2401.00001)]",
    "Title \\[[arXiv](https://arxiv.org/abs/2401.00001)]", "conference",
    chain(from_parser("NK302"), check_labels)))
register(Rule(
    "NK303", "link-order", "No label twice on one paper; 'Paper' comes first",
    Severity.ERROR, FixKind.SAFE, "Moving 'Paper' to the front is form; duplicates are only "
    "reported.", "Title \\[[Code](https://g.com/x)] \\[[Paper](https://a.org/p)]",
    "Title \\[[Paper](https://a.org/p)] \\[[Code](https://g.com/x)]", "conference",
    chain(from_parser("NK303"), check_duplicates)))
register(Rule(
    "NK304", "url-sanity", "URLs are absolute https; arXiv links go to /abs/; DOIs match the "
    "venue's prefix", Severity.ERROR, FixKind.NONE,
    "Changing a link's target changes what it points at: only suggested.",
    "Title \\[[arXiv](https://arxiv.org/pdf/2401.00001.pdf)]",
    "Title \\[[arXiv](https://arxiv.org/abs/2401.00001)]", "conference", check_urls))
register(Rule(
    "NK305", "paper-without-link", "Every paper has at least one link", Severity.WARNING,
    FixKind.NONE, "Only the author knows the link.", "* Some Paper Title\n  * MIT",
    "* Some Paper Title \\[[Paper](https://a.org/p)]\n  * MIT", "conference", check_no_link))
