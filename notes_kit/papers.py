"""Paper bullets: title and link tail, affiliation line, tags, notes."""

from __future__ import annotations

import re
from typing import Any

from notes_kit.blocks import Block
from notes_kit.findings import FixKind
from notes_kit.inline import canonical_tail, clean, split_paper_line
from notes_kit.model import Link, NoteItem, Paper

LABELS = ("Paper", "arXiv", "Code", "Slides", "Video", "Homepage", "Artifact", "Trace", "Blog",
          "Docs", "PDF", "OpenReview", "Poster", "Dataset", "Benchmark", "Personal Notes")
_LABEL_KEYS = {label.casefold(): label for label in LABELS}
_LABEL_KEYS["personal note"] = "Personal Notes"
TAG = re.compile(r"^(\*\*[^*]+\*\*|[A-Z][\w/-]*(?: [A-Z][\w/-]*)* Track)$")
_MARKUP = re.compile(r"[*_`$\[\]<>]|https?://")
AUTHORS = "Authors: "
# One author's name: no line break, no separator of the authors line (", ", " and "), no
# trailing comma, and not the start of a Markdown block (the schema says the same).
_NAME = re.compile(r"^(?!.*(?:, | and ))(?![*+-]\s|#{1,6}\s|\d{1,9}[.)]\s)\S(?:[^\n]*[^\s,])?$")


def is_paper_item(item: Block) -> bool:
    return bool(item.level) and bool(split_paper_line(clean(item.text)).links)


def format_authors(names: list[str]) -> str:
    """The authors line: `Authors: A`, `Authors: A and B`, `Authors: A, B and C`."""
    if len(names) == 1:
        return AUTHORS + names[0]
    return AUTHORS + ", ".join(names[:-1]) + " and " + names[-1]


def read_authors(text: str) -> list[str] | None:
    """The names of an authors line written exactly as format_authors writes it, else None:
    any other spelling stays what it was (a note or an affiliation line), so no existing
    page reads differently."""
    if not text.startswith(AUTHORS):
        return None
    rest = text[len(AUTHORS) :]
    head, sep, last = rest.rpartition(" and ")
    names = [*head.split(", "), last] if sep else [rest]
    if all(_NAME.match(name) for name in names) and format_authors(names) == text:
        return names
    return None


def is_authors_item(item: Block) -> bool:
    return item.kind == "item" and bool(item.level) and not item.children \
        and "\n" not in item.text and read_authors(clean(item.text)) is not None


def looks_like_affiliation(item: Block) -> bool:
    """The first child bullet of a paper is its affiliation line when it reads like one."""
    if item.kind != "item" or not item.level or item.children or "\n" in item.text:
        return False
    text = clean(item.text)
    if not text or _MARKUP.search(text) or TAG.match(text) or read_authors(text) is not None:
        return False
    words = [w for part in text.split(" & ") for w in part.split()]
    if len(words) > 4 * (text.count(" & ") + 1) + 4:
        return False
    return not text.endswith((".", ":")) or len(words) <= 4


class PaperReader:
    def __init__(self, builder: Any) -> None:
        self.b = builder

    def read(self, item: Block) -> Paper:
        b = self.b
        text = clean(item.text)
        line = split_paper_line(text)
        paper = Paper(line.title, line=item.line + b.offset, column=item.column)
        for tail in line.links:
            label = canonical_label(tail.label)
            column = item.column + tail.offset
            if label != tail.label:
                b.report("NK302", item.line, column + 1, f"link label '{tail.label}' is written "
                         f"'{label}'", FixKind.SAFE, suggestions=(label,),
                         end_column=column + 1 + len(tail.label))
            paper.links.append(Link(label, tail.url, line=item.line + b.offset, column=column))
        self._paper_first(paper, item)
        as_written = [(tail.label, tail.url) for tail in line.links]
        canonical = canonical_tail(as_written)
        if line.links and line.tail != canonical:
            # point at the first character that differs from the canonical form
            pairs = zip(line.tail, canonical, strict=False)
            differs = next((i for i, (a, c) in enumerate(pairs) if a != c), len(canonical))
            column = item.column + len(line.title) + differs
            b.report("NK301", item.line, column, "links are written '\\[[Label](url)]', one "
                     "per bracket, separated by single spaces", FixKind.SAFE)
        kids = self._children(item)
        if kids and looks_like_affiliation(kids[0]):
            first = kids.pop(0)
            paper.affiliations = clean(first.text).split(" & ")
            paper.affiliation_line = first.line + b.offset
        if kids and is_authors_item(kids[0]):
            paper.authors = read_authors(clean(kids.pop(0).text)) or []
        while kids and self._is_tag(kids[0]):
            paper.tags.append(clean(kids.pop(0).text))
        paper.notes = b.notes(kids, item.indent)
        return paper

    def _paper_first(self, paper: Paper, item: Block) -> None:
        """`Paper` comes first among the links: moving it is a safe fix (NK303)."""
        first = next((i for i, link in enumerate(paper.links) if link.label == "Paper"), 0)
        if first:
            link = paper.links.pop(first)
            paper.links.insert(0, link)
            self.b.report("NK303", item.line, link.column + 1, "the 'Paper' link comes first",
                          FixKind.SAFE)

    def _children(self, item: Block) -> list[Block]:
        """Child bullets in order, with any other block among them in its place."""
        kids: list[Block] = []
        for child in item.children:
            kids.extend(child.children if child.kind == "list" else [child])
        return kids

    def _is_tag(self, item: Block) -> bool:
        return bool(item.level) and not item.children and bool(TAG.match(clean(item.text)))


def canonical_label(label: str) -> str:
    """The vocabulary's spelling of a link label; unknown labels are kept as written."""
    return _LABEL_KEYS.get(" ".join(label.split()).casefold(), label)


def notes_text(notes: list[NoteItem]) -> list[str]:
    """Every string of a note tree, for the text rules."""
    from notes_kit.model import Note

    found: list[str] = []
    for note in notes:
        found.append(note.text)
        if isinstance(note, Note):
            found.extend(notes_text(note.children))
    return found
