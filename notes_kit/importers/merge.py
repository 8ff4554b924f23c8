"""`import --into PAGE`: add the papers a page lacks under an "Unsorted" topic.

The page's text is never re-rendered: the new bullets are inserted as text, so every
byte that was there stays (front matter, notes, layout the canonical form would change).
Papers match by normalised title, as NK701 compares them; a paper already on the page is
never touched, even when the source knows more about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_kit.core.findings import InputError
from notes_kit.core.model import Group, Page, Paper, Raw, Section, Topic
from notes_kit.importers.build import UNSORTED, merge_sources, to_model
from notes_kit.importers.common import Imported


@dataclass
class Merged:
    text: str
    added: int
    present: int  # papers of the sources the page already had


def merge_into(text: str, path: str, sources: list[Imported]) -> Merged:
    from notes_kit.lint.rules.facts import normalise_title
    from notes_kit.pages import parse_page

    page = parse_page(text, path).page
    have = {normalise_title(p.title) for p in page.papers()}
    imported = merge_sources(sources)
    new = [to_model(p) for p in imported if normalise_title(p.title) not in have]
    if not new:
        return Merged(text, 0, len(imported))
    lines = text.split("\n")
    at, chunk = _where(page, lines, _bullets(page, new))
    merged = "\n".join(lines[:at] + chunk + lines[at:])
    _check(merged, page, path, new)
    return Merged(merged, len(new), len(imported) - len(new))


def _bullets(page: Page, papers: list[Paper]) -> list[str]:
    """The papers as the renderer writes them under a topic."""
    from notes_kit.format.markdown.render import render_page

    items: list[Paper | Group | Raw] = list(papers)
    probe = Page(page.venue, page.year,
                 sections=[Section("Papers", "papers", topics=[Topic(UNSORTED, items)])])
    text = render_page(probe)
    return text[text.index(f"### {UNSORTED}\n\n") + len(UNSORTED) + 6 :].rstrip("\n").split("\n")


def _where(page: Page, lines: list[str], bullets: list[str]) -> tuple[int, list[str]]:
    """(0-based line index to insert before, the lines to insert)."""
    sections = page.sections
    papers = next((s for s in sections if s.kind == "papers"), None)
    if papers is None:
        end = _last_filled(lines, len(lines))
        return end, ["", "## Papers", "", f"### {UNSORTED}", "", *bullets]
    later = [s.line for s in sections if s.line > papers.line]
    section_end = (min(later) - 1) if later else len(lines)
    topics = [t for t in papers.topics if isinstance(t, Topic)]
    unsorted = next((t for t in topics if t.title == UNSORTED), None)
    if unsorted is None:
        end = _last_filled(lines, section_end)
        return end, ["", f"### {UNSORTED}", "", *bullets]
    following = [t.line for t in topics if t.line > unsorted.line]
    end = _last_filled(lines, (min(following) - 1) if following else section_end)
    last = unsorted.papers[-1] if unsorted.papers else None
    if isinstance(last, (Paper, Group)):
        return end, bullets  # the topic's list goes on
    return end, ["", *bullets]


def _last_filled(lines: list[str], stop: int) -> int:
    """The index just after the last non-blank line before `stop` (a 1-based line)."""
    index = min(stop, len(lines))
    while index > 0 and not lines[index - 1].strip():
        index -= 1
    return index


def _check(after: str, page: Page, path: str, new: list[Paper]) -> None:
    """Refuse to write unless every paper that was there reads back exactly as it was, in
    its order, and the new ones are all there."""
    from notes_kit.lint.rules.facts import normalise_title
    from notes_kit.pages import parse_page

    again = parse_page(after, path).page.papers()
    added = {normalise_title(p.title) for p in new}
    kept = [p for p in again if normalise_title(p.title) not in added]
    if kept != page.papers() or len(again) != len(kept) + len(new):
        raise InputError(path, "adding the papers would change the papers already on the "
                         "page; nothing written")
