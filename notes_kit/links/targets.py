"""Every URL of a conference page, where it is written and what it belongs to.

Positions come from the parsed model (Meta.homepage_line, PaperList and Link line/column);
the URL's exact span is then found in the source line, so a finding points at the URL and
a fix replaces exactly those characters (and a link text that repeats the URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_kit.core.model import Page


@dataclass(frozen=True)
class Target:
    """One written URL: the page, its line, the URL's span(s) and the paper or place."""

    path: str
    line: int
    column: int  # first character of the URL (or of the link when it cannot be found)
    end_column: int  # exclusive; == column when the span is unknown
    url: str
    label: str  # "Homepage", "Paper List", or the paper link's label
    paper: str | None = None  # the paper's title for paper links
    spans: tuple[tuple[int, int], ...] = ()  # every span a fix replaces (1-based, end excl.)

    def subject(self) -> str:
        """How messages name the link: `the Slides link of 'Title'`, `the homepage`."""
        if self.paper is None:
            return "the homepage" if self.label == "Homepage" else "a paper-list link"
        title = self.paper if len(self.paper) <= 70 else self.paper[:67].rstrip() + "..."
        return f"the {self.label} link of '{title}'"


def page_targets(page: Page, text: str, path: str) -> list[Target]:
    """The homepage, the paper lists and every paper link, in document order."""
    lines = text.split("\n")
    found: list[Target] = []
    meta = page.meta
    if meta is not None and meta.homepage and meta.homepage_line:
        found.append(_target(path, lines, meta.homepage_line, 1, meta.homepage, "Homepage"))
    for item in meta.paper_lists if meta is not None else []:
        found.append(_target(path, lines, item.line, item.column, item.url, "Paper List"))
    for paper in page.papers():
        for link in paper.links:
            found.append(_target(path, lines, link.line, link.column, link.url, link.label,
                                 paper.title))
    return found


def _target(path: str, lines: list[str], line: int, column: int, url: str, label: str,
            paper: str | None = None) -> Target:
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    spans = url_spans(row, url, max(column, 1))
    if not spans:
        return Target(path, line, max(column, 1), max(column, 1), url, label, paper)
    start, end = spans[-1]  # the link target (a repeated URL as link text comes first)
    return Target(path, line, start, end, url, label, paper, tuple(spans))


def url_spans(row: str, url: str, column: int) -> list[tuple[int, int]]:
    """1-based spans of `url` in `row` from `column` on: `[text](URL)` (with the text too
    when it is the URL itself), `<URL>`, or the bare URL; [] when it is not written there."""
    if not url:
        return []
    at = column - 1
    target = row.find("](" + url, at)
    if target >= 0 and _closes(row, target + 2 + len(url), ")"):
        start = target + 2
        spans = [(start + 1, start + len(url) + 1)]
        opening = target - len(url) - 1
        if opening >= at and row[opening:target] == "[" + url:
            spans.insert(0, (opening + 2, target + 1))
        return spans
    angle = row.find("<" + url + ">", at)
    if angle >= 0:
        return [(angle + 2, angle + len(url) + 2)]
    bare = row.find(url, at)
    if bare >= 0 and _closes(row, bare + len(url), " \t)>]"):
        return [(bare + 1, bare + len(url) + 1)]
    return []


def _closes(row: str, index: int, enders: str) -> bool:
    """The URL ends where it should: at the end of the line or before one of `enders`
    (a link destination may also carry a title: `](url "title")`)."""
    return index >= len(row) or row[index] in enders or row[index] == " " and ")" in enders
