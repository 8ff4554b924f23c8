"""Paper bullets: title and link tail, affiliation line, tags, notes."""

from __future__ import annotations

import re
from typing import Any

from notes_kit.core.edits import line_starts
from notes_kit.core.findings import Edit, FixKind
from notes_kit.core.model import Link, Paper
from notes_kit.format.markdown.blocks import Block
from notes_kit.format.markdown.inline import (
    PaperLine,
    TailLink,
    canonical_tail,
    clean,
    split_paper_line,
)

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
        self._item: Block | None = None
        self._starts: list[int] = [0]

    def read(self, item: Block) -> Paper:
        b = self.b
        text = clean(item.text)
        line = split_paper_line(text)
        paper = Paper(line.title, line=item.line + b.offset, column=item.column)
        title_end = self._at(item, len(line.title))
        paper.end_column = title_end[1] if title_end[0] == item.line else \
            len(self.b.lines[item.line - 1]) + 1
        for tail in line.links:
            paper.links.append(self._link(item, tail))
        self._paper_first(paper, item, line)
        self._brackets(item, line)
        kids = self._children(item)
        if kids and looks_like_affiliation(kids[0]):
            first = kids.pop(0)
            paper.affiliations = clean(first.text).split(" & ")
            paper.affiliation_line = first.line + b.offset
            paper.affiliation_column = first.column
        if kids and is_authors_item(kids[0]):
            paper.authors = read_authors(clean(kids.pop(0).text)) or []
        while kids and self._is_tag(kids[0]):
            paper.tags.append(clean(kids.pop(0).text))
        paper.notes = b.notes(kids, item.indent)
        return paper

    def _at(self, item: Block, offset: int) -> tuple[int, int]:
        """The body (line, column) of an offset into an item's inline text, whose later
        lines were dedented by up to the item's content indent."""
        from bisect import bisect_right

        if self._item is not item:  # the starts of the item's lines, found once per item
            self._item, self._starts = item, line_starts(item.text)
        row = bisect_right(self._starts, offset) - 1
        within = offset - self._starts[row]
        if not row:
            return item.line, item.column + within
        source = self.b.lines[item.line + row - 1]
        removed = min(len(source) - len(source.lstrip(" ")), item.indent)
        return item.line + row, removed + within + 1

    def _edit(self, item: Block, start: int, end: int, text: str) -> tuple[Edit, ...]:
        line, column = self._at(item, start)
        end_line, end_column = self._at(item, end)
        return (Edit(line, column, end_line, end_column, text),)

    def _link(self, item: Block, tail: TailLink) -> Link:
        label = canonical_label(tail.label)
        line, column = self._at(item, tail.offset)
        if label != tail.label:
            start = tail.label_offset + len(tail.raw_label) - len(tail.raw_label.lstrip())
            self.b.report("NK302", line, column + 1, f"link label '{tail.label}' is written "
                          f"'{label}'", FixKind.SAFE, suggestions=(label,),
                          end_column=column + 1 + len(tail.label),
                          edits=self._edit(item, start, start + len(tail.raw_label.strip()),
                                           label))
        end_line, end = self._at(item, tail.end)
        return Link(label, tail.url, line=line + self.b.offset, column=column,
                    end_column=end if end_line == line else column,
                    url_column=self._at(item, tail.url_offset)[1])

    def _brackets(self, item: Block, line: PaperLine) -> None:
        """NK301: the link tail is rewritten `\\[[Label](url)]` per link, labels and URLs
        as written (NK302 respells a label)."""
        canonical = canonical_tail([(tail.label, tail.url) for tail in line.links])
        if not line.links or line.tail == canonical:
            return
        pairs = zip(line.tail, canonical, strict=False)  # the first character that differs
        differs = next((i for i, (a, c) in enumerate(pairs) if a != c), len(canonical))
        row, column = self._at(item, line.tail_start + differs)
        self.b.report("NK301", row, column, "links are written '\\[[Label](url)]', one per "
                      "bracket, separated by single spaces", FixKind.SAFE,
                      edits=self._edit(item, line.tail_start, len(clean(item.text)), canonical))

    def _paper_first(self, paper: Paper, item: Block, line: PaperLine) -> None:
        """`Paper` comes first among the links: moving it is a safe fix (NK303), which swaps
        the links' texts and leaves the brackets between them where they are."""
        first = next((i for i, link in enumerate(paper.links) if link.label == "Paper"), 0)
        if not first:
            return
        link = paper.links.pop(first)
        paper.links.insert(0, link)
        text = clean(item.text)
        tails = line.links
        order = [tails[first], *tails[:first], *tails[first + 1 :]]
        new = text[order[0].offset : order[0].end]
        for index in range(1, len(tails)):
            glue = text[tails[index - 1].end : tails[index].offset]
            new += glue + text[order[index].offset : order[index].end]
        row = link.line - self.b.offset
        self.b.report("NK303", row, link.column + 1, "the 'Paper' link comes first",
                      FixKind.SAFE, edits=self._edit(item, tails[0].offset, tails[-1].end, new))

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


