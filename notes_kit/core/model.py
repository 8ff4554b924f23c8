"""The one data model: a conference page as typed values.

Markdown and YAML are two spellings of these values. Positions (`line`,
`column`, 1-based, in the file the value was read from) never take part in
equality, so a page and its YAML twin compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _pos() -> int:
    return field(default=0, compare=False, repr=False)


@dataclass
class Raw:
    """Content the model cannot place, kept verbatim (dedented to its level)."""

    text: str
    line: int = _pos()
    column: int = _pos()


@dataclass
class Link:
    """A labelled link of a paper (`[Paper](url)`)."""

    label: str
    url: str
    line: int = _pos()
    column: int = _pos()  # of the `[` that opens it
    end_column: int = _pos()  # just past its `)`
    url_column: int = _pos()


@dataclass
class Note:
    """A bullet of inline Markdown, kept exactly, with nested bullets."""

    text: str
    children: list[NoteItem] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()


NoteItem = Note | Raw


@dataclass
class Paper:
    """A paper: title, links, affiliations, optional authors (from imports) and nested notes."""

    title: str
    links: list[Link] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[NoteItem] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()
    end_column: int = _pos()  # where the title ends on its first line
    affiliation_line: int = _pos()
    affiliation_column: int = _pos()


@dataclass
class Group:
    """A text-only bullet under a topic whose children are papers."""

    title: str
    papers: list[GroupItem] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()


GroupItem = Paper | Group | Raw  # groups may nest (`* LLM` > `* Inference` > papers)
TopicItem = Paper | Group | Raw


@dataclass
class Topic:
    """A `###` topic heading and the papers (or groups) under it."""

    title: str
    papers: list[TopicItem] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()


@dataclass
class Acronym:
    """One `term: meaning` entry of an acronym list."""

    term: str
    meaning: str
    line: int = _pos()
    column: int = _pos()


@dataclass
class Section:
    """A `##` section after Meta Info.

    kind is "papers" (topics), "acronyms", "references" (a note tree) or
    "other" (kept as raw content).
    """

    title: str
    kind: str
    topics: list[Topic | Raw] = field(default_factory=list)
    acronyms: list[Acronym | Raw] = field(default_factory=list)
    notes: list[NoteItem] = field(default_factory=list)
    raw: list[Raw] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()


@dataclass
class Rate:
    """One acceptance-rate figure, or a note bullet when it carries no rate."""

    label: str | None = None
    percent: float | None = None
    accepted: int | None = None
    submitted: int | None = None
    text: str | None = None
    cycles: list[Rate] = field(default_factory=list)
    approx: str | None = None  # an approximate figure's marker as written: "~", "(approx.)"
    precision: int | None = None  # decimals of an approximate P, kept as written
    line: int = _pos()
    column: int = _pos()
    figure_column: int = _pos()  # `P% (= A / S)` as written, on `line`
    figure_end: int = _pos()


@dataclass
class PaperList:
    """A paper-list link of the Meta Info block."""

    url: str
    label: str | None = None
    line: int = _pos()
    column: int = _pos()
    url_column: int = _pos()


@dataclass
class Meta:
    """The `## Meta Info` block."""

    full_name: str | None = None
    homepage: str | None = None
    paper_lists: list[PaperList] = field(default_factory=list)
    acceptance_rate: list[Rate] = field(default_factory=list)
    rate_as_list: bool = False
    raw: list[Raw] = field(default_factory=list)
    verbatim: str | None = None  # the section as written, when it cannot be re-rendered
    line: int = _pos()
    column: int = _pos()
    homepage_line: int = _pos()
    homepage_column: int = _pos()  # of the URL as written
    homepage_end: int = _pos()
    rate_line: int = _pos()

    def rates_listed(self) -> bool:
        """Rates are bullets unless there is one plain figure written as a line: several
        entries, cycles or a note are always a list."""
        rates = self.acceptance_rate
        return bool(rates) and (self.rate_as_list or len(rates) > 1 or bool(rates[0].cycles)
                                or rates[0].percent is None)


@dataclass
class Page:
    """One conference page: the root of the model."""

    venue: str
    year: int
    meta: Meta | None = None
    full_title: str | None = None  # `# CAIS 2026 (ACM Conference on ...)`: the parenthesis
    sections: list[Section] = field(default_factory=list)
    front_matter: str | None = None
    preamble: list[Raw] = field(default_factory=list)
    line: int = _pos()
    column: int = _pos()
    end_column: int = _pos()  # the end of the title's text

    def papers(self) -> list[Paper]:
        """Every paper of the page in document order."""
        found: list[Paper] = []
        for section in self.sections:
            for topic in section.topics:
                if isinstance(topic, Topic):
                    found.extend(iter_papers(topic.papers))
        return found


def iter_papers(items: list[TopicItem] | list[GroupItem]) -> list[Paper]:
    found: list[Paper] = []
    for item in items:
        if isinstance(item, Paper):
            found.append(item)
        elif isinstance(item, Group):
            found.extend(iter_papers(item.papers))
    return found
