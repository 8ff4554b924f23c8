"""Imported papers -> a canonical page: the `new` scaffold, then one topic per session
(papers without one under "Unsorted"), then what could not be placed, verbatim.

The page text is rendered from the model and read back until it is a fixed point, so the
file written is exactly what `fix` and `to-md(to-yaml(...))` give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notes_kit.core.findings import InputError
from notes_kit.core.model import (
    Group,
    Link,
    Note,
    NoteItem,
    Page,
    Paper,
    PaperList,
    Raw,
    Section,
    Topic,
)
from notes_kit.format.markdown.papers import format_authors, read_authors
from notes_kit.importers.common import Imported, ImportedPaper

if TYPE_CHECKING:
    from notes_kit.knowledge.registries import Venue

UNSORTED = "Unsorted"
IMPORTED = "Imported"  # the section holding what the importer could not place


def merge_sources(sources: list[Imported]) -> list[ImportedPaper]:
    """Every paper once (by normalised title, as NK701 compares them); a paper named by
    several sources gathers their links, authors, tags and notes."""
    from notes_kit.lint.rules.facts import normalise_title

    seen: dict[str, ImportedPaper] = {}
    for source in sources:
        for paper in source.papers:
            key = normalise_title(paper.title)
            known = seen.get(key)
            if known is None:
                seen[key] = paper
                continue
            urls = {url for _, url in known.links}
            known.links.extend(link for link in paper.links if link[1] not in urls)
            known.authors = known.authors or paper.authors
            known.affiliations = known.affiliations or paper.affiliations
            known.session = known.session or paper.session
            known.tags.extend(t for t in paper.tags if t not in known.tags)
            known.notes.extend(n for n in paper.notes if n not in known.notes)
    return list(seen.values())


def to_model(paper: ImportedPaper) -> Paper:
    links = sorted(paper.links, key=lambda link: link[0] != "Paper")  # NK303: Paper first
    model = Paper(paper.title, [Link(label, url) for label, url in links],
                  list(paper.affiliations), list(paper.tags))
    notes: list[NoteItem] = list(paper.notes)
    if paper.authors and read_authors(format_authors(paper.authors)) == paper.authors:
        model.authors = list(paper.authors)
    elif paper.authors:  # a name the authors line cannot carry stays, as a note
        notes.insert(0, Note("Authors as given: " + "; ".join(paper.authors)))
    model.notes = notes
    return model


def topics(papers: list[ImportedPaper], sessions: list[str]) -> list[Topic]:
    """One topic per session in the order the sources give them, "Unsorted" last."""
    by_name: dict[str, Topic] = {name: Topic(name) for name in sessions}
    for paper in papers:
        name = paper.session or UNSORTED
        topic = by_name.setdefault(name, Topic(name))
        item = to_model(paper)
        if paper.group:
            group = next((g for g in topic.papers if isinstance(g, Group)
                          and g.title == paper.group), None)
            if group is None:
                group = Group(paper.group)
                topic.papers.append(group)
            group.papers.append(item)
        else:
            topic.papers.append(item)
    ordered = [t for name, t in by_name.items() if name != UNSORTED]
    return ordered + ([by_name[UNSORTED]] if UNSORTED in by_name else [])


def build_page(sources: list[Imported], venue: Venue, year: int, path: str) -> str:
    """The canonical Markdown page; InputError if it cannot be written stably."""
    from notes_kit.pages import parse_page
    from notes_kit.run.scaffold import page_text

    page = parse_page(page_text(venue, year), path).page
    lists = [url for source in sources for url in source.paper_lists]
    if lists and page.meta is not None:
        page.meta.paper_lists = [PaperList(url) for url in dict.fromkeys(lists)]
    sessions = list(dict.fromkeys(name for source in sources for name in source.sessions))
    papers = [s for s in page.sections if s.kind == "papers"][0]
    papers.topics = list(topics(merge_sources(sources), sessions))
    raw = [Raw(u.text) for source in sources for u in source.unplaced if u.text.strip()]
    if raw:
        page.sections.append(Section(IMPORTED, "other", raw=raw))
    return stable_text(page, path)


def stable_text(page: Page, path: str) -> str:
    """Render, read back, render again until nothing changes (raw text from a source can
    read back as other blocks); refuse when it does not settle."""
    from notes_kit.format.markdown.render import render_page
    from notes_kit.pages import parse_page

    text = render_page(page)
    for _ in range(3):
        again = render_page(parse_page(text, path).page)
        if again == text:
            return text
        text = again
    raise InputError(path, "the imported page does not render stably; nothing written")
