"""Markdown paper lists in the styles other collections use.

- the title as the link, other links after it (`- [Title](u) · [PDF](u)`), authors on a
  continuation line or a child bullet;
- a flat or numbered list right under the title (an implicit topic);
- sessions as headings or as bold/text bullets whose children are papers
  (`17. **Programming the Network**`);
- pipe tables (mdtable.py);
- the venue and year from the title, the front matter or the path.

The block structure comes from mistletoe through blocks.py; only one line of inline text
at a time is read with regular expressions. What cannot be placed is reported and kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from notes_kit.blocks import Block, TooDeep, parse_blocks, source_of
from notes_kit.findings import InputError
from notes_kit.importers.common import (
    Imported,
    ImportedPaper,
    Unplaced,
    add_link,
    award_tag,
    label_for,
    split_names,
)
from notes_kit.importers.mdtable import is_table, read_table
from notes_kit.inline import clean
from notes_kit.model import Note, NoteItem, Raw

if TYPE_CHECKING:
    from notes_kit.registries import Venue

GENERIC = {"papers", "accepted papers", "paper list", "papers list", "list of papers",
           "technical sessions", "program", "all papers", "research papers", "full papers",
           "accepted research papers", "publications"}
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\[\]\\])*)\]"
                   r"\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LEAD_LINK = re.compile(r"^(\*\*|\*|_)?(?P<link>\[(?:\\.|[^\[\]\\])*\]\([^()]*\))(\1)?")
_GLUE = re.compile(r"^[\s·•|,;:/()\[\]\\–—-]*$")
_AUTHORS_LABEL = re.compile(r"^[*_]{0,2}Authors?[*_]{0,2}\s*:[*_]{0,2}\s*", re.I)
_NOT_NAMES = re.compile(r"https?://|[()\[\]:@#|]|\d")


def read_markdown(path: str, text: str, venues: dict[str, Venue] | None = None) -> Imported:
    from notes_kit.parse import split_front_matter

    front, body = split_front_matter(text)
    offset = front.count("\n") if front else 0
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if any("\t" in line for line in lines):  # as parse.py reads pages: tabs in indentation
        from notes_kit.textfix import code_lines, expand_indent

        code = code_lines(lines)
        lines = [line if i in code else expand_indent(line) for i, line in enumerate(lines)]
    try:
        blocks = parse_blocks(lines)
    except TooDeep as exc:
        raise InputError(path, str(exc), exc.line + offset) from None
    reader = _Reader(Imported(path), lines, offset)
    title = reader.walk(blocks)
    _venue(reader.found, front, title, path, venues)
    if front:
        reader.found.unplaced.insert(0, Unplaced(1, f"```yaml\n{front.rstrip()}\n```",
                                                 "front matter of the source page"))
    return reader.found


def _venue(found: Imported, front: str | None, title: str | None, path: str,
           venues: dict[str, Venue] | None) -> None:
    """Front matter `venue`/`year`, else `# VENUE YEAR`, else a title naming it, else the
    path: found.venue is the registry's display name when the registry knows it."""
    from notes_kit import venuehint

    known = venues or {}
    hit = venuehint.from_front_matter(front, known)
    heading = re.fullmatch(r"(?P<venue>\S.*?)\s+(?P<year>\d{4})", title or "")
    said = venuehint.find(heading.group("venue"), known) if heading else None
    if hit is None and heading and said is not None:
        hit = said, int(heading.group("year"))
    if hit is None and title:
        named = venuehint.in_text(title, known)
        hit = (named[0], named[1]) if named and named[1] else None
    hit = hit or venuehint.from_path(path, known)
    if hit is not None:
        found.venue, found.year = hit[0].name, hit[1]
    elif heading:
        found.venue, found.year = heading.group("venue"), int(heading.group("year"))


class _Reader:
    def __init__(self, found: Imported, lines: list[str], offset: int) -> None:
        self.found = found
        self.lines = lines
        self.offset = offset
        self.session: str | None = None

    def keep(self, block: Block, why: str, dedent: int = 0) -> None:
        text = source_of(block, self.lines, dedent)
        if text.strip():
            self.found.unplaced.append(Unplaced(block.line + self.offset, text, why))

    def walk(self, blocks: list[Block]) -> str | None:
        """Read every block; returns the page's title (its first level-1 heading)."""
        title: str | None = None
        for block in blocks:
            if block.kind == "blank":
                continue
            if block.kind == "heading":
                if block.level == 1 and title is None:
                    title = clean(block.text)
                    continue
                name = clean(block.text).strip("*_ ")
                self.session = None if name.casefold() in GENERIC else name
            elif block.kind == "list":
                self.list(block)
            elif block.kind == "other" and is_table(source_of(block, self.lines).split("\n")):
                read_table(self.found, source_of(block, self.lines).split("\n"),
                           block.line + self.offset, self.session)
            else:
                self.keep(block, f"{block.kind} between papers")
        return title

    def list(self, block: Block) -> None:
        items = [i for i in block.children if i.kind == "item" and i.level]
        sessions = any(_is_session(i) for i in items)
        for item in block.children:
            if item.kind != "item" or not item.level:
                self.keep(item, "list item without text")
            elif sessions:
                self.session_item(item)
            else:
                self.paper(item, self.session)

    def session_item(self, item: Block) -> None:
        """A session bullet: its text names the session, its children are the papers."""
        name = clean(item.text).strip()
        name = re.sub(r"^(\*\*|__)(.+)\1$", r"\2", name).strip()
        if name not in self.found.sessions:
            self.found.sessions.append(name)
        for kid in _kids(item):
            if kid.kind == "item" and kid.level:
                self.paper(kid, name)
            else:
                self.keep(kid, "content in a session", item.indent)

    def paper(self, item: Block, session: str | None) -> None:
        first, *rest = clean(item.text).split("\n")
        paper = _paper_line(first, item.line + self.offset)
        paper.session = session
        for line in rest:
            _more(paper, line.strip())
        notes: list[NoteItem] = []
        for kid in _kids(item):
            if kid.kind != "item" or not kid.level:
                notes.append(Raw(source_of(kid, self.lines, item.indent)))
            elif not kid.children and _links_only(clean(kid.text)):
                _add_links(paper, clean(kid.text))
            elif not kid.children and not paper.authors and _author_line(clean(kid.text)):
                paper.authors = _author_line(clean(kid.text)) or []
            elif not kid.children and award_tag(clean(kid.text)):
                paper.tags.append(award_tag(clean(kid.text)) or "")
            else:
                notes.append(self.note(kid))
        paper.notes.extend(notes)
        self.found.papers.append(paper)

    def note(self, item: Block) -> NoteItem:
        note = Note(clean(item.text))
        for kid in _kids(item):
            note.children.append(self.note(kid) if kid.kind == "item" and kid.level
                                 else Raw(source_of(kid, self.lines, item.indent)))
        return note


def _kids(item: Block) -> list[Block]:
    found: list[Block] = []
    for child in item.children:
        if child.kind == "list":
            found.extend(child.children)
        elif child.kind != "blank":
            found.append(child)
    return found


def _is_session(item: Block) -> bool:
    """No link of its own and child bullets that are papers, not a paper's details."""
    text = clean(item.text)
    kids = [k for k in _kids(item) if k.kind == "item" and k.level]
    if "\n" in text or _LINK.search(text) or not kids:
        return False
    if any(_links_only(clean(k.text)) or _author_line(clean(k.text)) for k in kids):
        return False
    bold = bool(re.fullmatch(r"(\*\*|__).+\1", text.strip()))
    return bold or any(_LINK.search(clean(k.text)) for k in kids)


def _paper_line(text: str, line: int) -> ImportedPaper:
    """`[Title](u) · [PDF](u)`, `Title \\[[Paper](u)]`, `Title ([pdf](u))` or a plain title."""
    from notes_kit.inline import split_paper_line

    lead = _LEAD_LINK.match(text)
    if lead:
        link = _LINK.match(lead.group("link"))
        assert link is not None
        paper = ImportedPaper(link.group(1).strip(), line)
        if link.group(2):
            add_link(paper, label_for("", link.group(2)), link.group(2))
        _tail(paper, text[lead.end() :])
        return paper
    split = split_paper_line(text)
    if split.links:
        paper = ImportedPaper(split.title.strip(), line)
        for tail in split.links:
            add_link(paper, label_for(tail.label, tail.url), tail.url)
        return paper
    first = _LINK.search(text)
    if first and first.start() > 0:
        paper = ImportedPaper(text[: first.start()].rstrip(" ([|·-–—:,"), line)
        _tail(paper, text[first.start() :])
        return paper
    return ImportedPaper(text.strip(), line)


def _tail(paper: ImportedPaper, text: str) -> None:
    """What follows the title: more links, an award, other words (kept as a note)."""
    _add_links(paper, text)
    rest = _LINK.sub(" ", text)
    if _GLUE.match(rest):
        return
    words = rest.strip(" ·•|,;:/()[]\\–—-")
    tag = award_tag(words)
    if tag:
        paper.tags.append(tag)
    else:
        paper.notes.append(Note(words))


def _add_links(paper: ImportedPaper, text: str) -> None:
    for match in _LINK.finditer(text):
        if match.group(2):
            add_link(paper, label_for(match.group(1), match.group(2)), match.group(2))


def _links_only(text: str) -> bool:
    return bool(_LINK.search(text)) and bool(_GLUE.match(_LINK.sub(" ", text)))


def _author_line(text: str) -> list[str] | None:
    """Names, with or without an `Authors:` label, in italics or not."""
    body = _AUTHORS_LABEL.sub("", text, count=1)
    labelled = body != text
    body = body.strip()
    body = re.sub(r"^(\*\*|\*|_)(.+)\1$", r"\2", body).strip()
    if not body or _NOT_NAMES.search(body):
        return None
    names = split_names(body)
    if not names or any(len(name.split()) > 6 for name in names):
        return None
    if not labelled and (len(names) < 2 and len(body.split()) > 3):
        return None
    return names


def _more(paper: ImportedPaper, line: str) -> None:
    """A continuation line of a paper bullet: links, the authors, or a note."""
    if not line:
        return
    if _links_only(line):
        _add_links(paper, line)
    elif not paper.authors and _author_line(line):
        paper.authors = _author_line(line) or []
    elif award_tag(line):
        paper.tags.append(award_tag(line) or "")
    else:
        paper.notes.append(Note(line))
