"""NK1xx: the page's structure (title, required sections, levels, unplaced content)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.rules.common import from_parser
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

_STEM = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<year>\d{4})(?:-\d+)?$")


def check_title(ctx: Context) -> Iterator[Finding]:
    from notes_kit.knowledge.registries import venue_for_heading

    assert ctx.parsed is not None
    page = ctx.parsed.page
    yield from ctx.parse_findings("NK101")  # a title the front matter or path supplies
    venue = venue_for_heading(page.venue, ctx.venues)
    if venue is None:
        yield ctx.finding("NK101", page.line, page.column, f"unknown venue '{page.venue}': not "
                          "in the venue registry (extend it with extra-venues)", fixable=False)
        return
    if venue.name != page.venue:
        yield ctx.finding("NK101", page.line, page.column, f"venue is written '{venue.name}'",
                          suggestions=(venue.name,), fixable=False)
    stem = _page_stem(ctx.path)
    match = _STEM.match(stem) if stem else None
    # Only files named like a conference page are held to their name (pre-commit may
    # hand over any file name).
    if match and (match.group("slug") != venue.slug or int(match.group("year")) != page.year):
        yield ctx.finding("NK101", page.line, page.column, f"title '{page.venue} {page.year}' "
                          f"does not match the file name; expected "
                          f"'{venue.slug}-{page.year}.md'", fixable=False)


def _page_stem(path: str) -> str | None:
    """`sosp-2024` for sosp-2024.md and for sosp-2024/README.md; None for stdin."""
    if path.startswith("<"):
        return None
    file = Path(path)
    if file.name.lower() == "readme.md":
        return file.parent.name or None
    return file.stem


register(Rule(
    "NK101", "conference-title", "The title is '# <VENUE> <YEAR>' with the registry's display "
    "name, matching the file name", Severity.ERROR, FixKind.SAFE,
    "Renaming a venue or a file is the author's decision, so nothing is changed; only a page "
    "whose front matter (`venue:`/`year:`, `title: Summary of NSDI 23`) or path "
    "(`papers/2025/OSDI.md`, `osdi23.md`) names the conference gets its heading written as "
    "'# <VENUE> <YEAR>' (the heading line is rewritten, or inserted when there is none).",
    "# Sosp 2024    (in conferences/sosp-2023.md)", "# SOSP 2024    (in conferences/sosp-2024.md)",
    "conference", check_title))
register(Rule(
    "NK102", "meta-info-section", "'## Meta Info' is present, once, as the first section, "
    "and reads Homepage, Paper List, Acceptance Rate in this order", Severity.ERROR, FixKind.SAFE,
    "Inserting the missing heading or moving Meta Info and its parts up changes structure, "
    "never wording; a second Meta Info is only reported.",
    "# SIGCOMM 2007\n\nHomepage: <https://...>", "# SIGCOMM 2007\n\n## Meta Info\n\n"
    "Homepage: <https://...>", "conference", from_parser("NK102")))
register(Rule(
    "NK103", "papers-section", "A '## Papers' section holds the topics",
    Severity.ERROR, FixKind.SAFE,
    "When topics follow Meta Info directly, the heading is inserted; a page with no papers at "
    "all is only reported.", "## Meta Info\n...\n### Model Serving",
    "## Meta Info\n...\n## Papers\n\n### Model Serving", "conference", from_parser("NK103")))
register(Rule(
    "NK104", "papers-heading-level", "'Papers' is a level-2 heading",
    Severity.ERROR, FixKind.SAFE, "Changing the heading level is a change of form.",
    "### Papers", "## Papers", "conference", from_parser("NK104")))
register(Rule(
    "NK105", "unplaced-content", "Content outside the known sections and bullets (kept verbatim)",
    Severity.WARNING, FixKind.SAFE,
    "Such content is carried verbatim as a raw block; the only fix moves lines Meta Info "
    "cannot place to its end.",
    "## Papers\n\n### Storage\n\nSome paragraph between papers.",
    "## Papers\n\n### Storage\n\n* Title \\[[Paper](https://...)]", "conference",
    from_parser("NK105")))
