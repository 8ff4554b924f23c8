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

from notes_kit.core.findings import InputError
from notes_kit.core.model import Note, NoteItem, Raw
from notes_kit.format.markdown.blocks import Block, TooDeep, parse_blocks, source_of
from notes_kit.format.markdown.inline import clean
from notes_kit.importers.common import Imported, Unplaced, award_tag
from notes_kit.importers.mdfront import front_data, is_record, record
from notes_kit.importers.mdpaper import LINK, add_links, author_line, links_only, paper_text
from notes_kit.importers.mdtable import is_table, read_table

if TYPE_CHECKING:
    from notes_kit.knowledge.registries import Venue

GENERIC = {"papers", "accepted papers", "paper list", "papers list", "list of papers",
           "technical sessions", "program", "all papers", "research papers", "full papers",
           "accepted research papers", "publications"}


def read_markdown(path: str, text: str, venues: dict[str, Venue] | None = None) -> Imported:
    from notes_kit.format.markdown.parse import split_front_matter

    front, body = split_front_matter(text)
    offset = front.count("\n") if front else 0
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if any("\t" in line for line in lines):  # as parse.py reads pages: tabs in indentation
        from notes_kit.format.markdown.textfix import code_lines, expand_indent

        code = code_lines(lines)
        lines = [line if i in code else expand_indent(line) for i, line in enumerate(lines)]
    try:
        blocks = parse_blocks(lines)
    except TooDeep as exc:
        raise InputError(path, str(exc), exc.line + offset) from None
    reader = _Reader(Imported(path), lines, offset)
    title = reader.walk(blocks)
    found = reader.found
    data = front_data(front, path) if front else None
    if data is not None and is_record(data) and not found.papers:
        found.papers.append(record(data, 1))  # the page is one paper's record
        _record_venue(found, data, venues)
    elif front:
        found.unplaced.insert(0, Unplaced(1, f"```yaml\n{front.rstrip()}\n```",
                                          "front matter of the source page"))
    if found.venue is None:
        _venue(found, front, title, path, venues)
    return found


def _record_venue(found: Imported, data: dict[str, object],
                  venues: dict[str, Venue] | None) -> None:
    from notes_kit.knowledge import venuehint

    named = venuehint.in_text(str(data.get("venue", "")), venues or {})
    year = str(data.get("year") or data.get("date") or "")[:4]
    if named is not None:
        found.venue = named[0].name
        found.year = named[1] or (int(year) if year.isdigit() else None)


def _venue(found: Imported, front: str | None, title: str | None, path: str,
           venues: dict[str, Venue] | None) -> None:
    """Front matter `venue`/`year`, else `# VENUE YEAR`, else a title naming it, else the
    path: found.venue is the registry's display name when the registry knows it."""
    from notes_kit.knowledge import venuehint

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
        paper = paper_text(clean(item.text), item.line + self.offset)
        paper.session = session
        for kid in _kids(item):
            text = clean(kid.text)
            if kid.kind != "item" or not kid.level:
                paper.notes.append(Raw(source_of(kid, self.lines, item.indent)))
            elif not kid.children and links_only(text):
                add_links(paper, text)
            elif not kid.children and not paper.authors and author_line(text):
                paper.authors = author_line(text) or []
            elif not kid.children and award_tag(text):
                paper.tags.append(award_tag(text) or "")
            else:
                paper.notes.append(self.note(kid))
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
    if "\n" in text or LINK.search(text) or not kids:
        return False
    if any(links_only(clean(k.text)) or author_line(clean(k.text)) for k in kids):
        return False
    bold = bool(re.fullmatch(r"(\*\*|__).+\1", text.strip()))
    return bold or any(LINK.search(clean(k.text)) for k in kids)
