"""Markdown -> model. Reads the block tree from blocks.py and places every block.

Accepted input variants (inline `Paper list:`, `[url](url)` links, `### Papers`,
unescaped link brackets, ...) are read into the canonical model and recorded
as findings, so the linter can report what the renderer will normalise.
Anything that cannot be placed travels as `Raw`, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from notes_kit.core.edits import insert_before, move_before, replace_span, shifted
from notes_kit.core.findings import Edit, Finding, FixKind, InputError, Severity
from notes_kit.core.model import Acronym, Group, Meta, Note, NoteItem, Page, Raw, Section, Topic
from notes_kit.format.markdown.blocks import Block, TooDeep, parse_blocks, source_of
from notes_kit.format.markdown.inline import clean
from notes_kit.format.markdown.meta import MetaReader
from notes_kit.format.markdown.papers import PaperReader, is_paper_item

# `SOSP 2024`, or with the full name in parentheses: `CAIS 2026 (ACM Conference on ...)`.
# The venue ends in a non-space: a lazy `\S.*?` would try `\s+` at every space of a long
# run (quadratic); the greedy form backs off from the end once, and finds the same venue.
TITLE = re.compile(r"^(?P<venue>\S(?:.*\S)?)\s+(?P<year>\d{4})(?:\s+\((?P<full>[^()]+)\))?$")
_KINDS = {"paragraph": "paragraph", "other": "HTML or code block", "heading": "heading",
          "list": "list"}
KNOWN_SECTIONS = {"meta info": "meta", "papers": "papers", "acronyms": "acronyms",
                  "references": "references"}


class NotConferencePage(InputError):
    pass


@dataclass
class Parsed:
    """A parsed page with its source lines and the input variants the parser normalised."""

    page: Page
    lines: list[str]
    findings: list[Finding] = field(default_factory=list)
    offset: int = 0  # lines taken by front matter


def split_front_matter(text: str) -> tuple[str | None, str]:
    """GitBook front matter (`---` ... `---` at the very top) is kept as is."""
    if not text.startswith("---\n"):
        return None, text
    from notes_kit.format.markdown.textfix import front_matter_end

    end = front_matter_end(text.split("\n"))
    if end < 0:
        return None, text
    cut = 0
    for _ in range(end + 1):
        cut = text.index("\n", cut) + 1
    return text[:cut], text[cut:]


Namer = Callable[[str, "str | None"], "tuple[str, int, str] | None"]


def parse_page(text: str, path: str = "<string>", *, check_meta: bool = True,
               namer: Namer | None = None) -> Parsed:
    """Parse a normalised page (LF line ends) into the model. `check_meta`: make sure Meta
    Info content kept verbatim reads back the same once rendered (see _Builder._meta).
    `namer(path, front matter)`: (venue, year, "front matter" or "file path") of a page whose
    heading does not name its conference, from knowledge the format does not hold (the venue
    registry: notes_kit.pages.parse_page passes it)."""
    front, body = split_front_matter(text)
    offset = front.count("\n") if front else 0
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    tabbed: set[int] = set()
    if any("\t" in line for line in lines):
        from notes_kit.format.markdown.textfix import code_lines, expand_indent

        code = code_lines(lines)
        expanded = [line if i in code else expand_indent(line) for i, line in enumerate(lines)]
        tabbed = {i + 1 for i, (a, b) in enumerate(zip(lines, expanded, strict=True)) if a != b}
        lines = expanded
    try:
        blocks = parse_blocks(lines)
    except TooDeep as exc:
        raise InputError(path, str(exc), exc.line + offset) from None
    except RecursionError:
        raise InputError(path, "nesting too deep to parse") from None
    builder = _Builder(path, lines, offset, tabbed, front)
    builder.check_meta = check_meta
    builder.namer = namer
    page = builder.build(blocks)
    page.front_matter = front
    return Parsed(page, lines, sorted(builder.findings), offset)


def _stable(meta: Meta) -> bool:
    """Whether Meta Info rendered in canonical order reads back as the same values."""
    from notes_kit.format.markdown.render import render_page

    again = parse_page(render_page(Page("X", 2000, meta=meta)), check_meta=False).page
    return again.meta == meta and not again.sections and not again.preamble


def conference_title(blocks: list[Block]) -> tuple[Block, str, int, str | None] | None:
    """(heading, venue, year, full name in parentheses) of a conference page's title."""
    for block in blocks:
        if block.kind == "blank":
            continue
        if block.kind == "heading" and block.level == 1:
            match = TITLE.match(block.text)
            if match:
                return block, match.group("venue"), int(match.group("year")), match.group("full")
        return None
    return None


def _tidy(text: str) -> str:
    """Raw blocks get the line-level safe fixes `fix` applies (a trailing `&#x20;` or
    spaces go), so converting a page gives the same text as fixing it."""
    from notes_kit.format.markdown.textfix import code_lines, fix_line

    lines = text.split("\n")
    code = code_lines(lines)
    return "\n".join(line if i in code else fix_line(line) for i, line in enumerate(lines))


def _paper_shaped(item: Block) -> bool:
    """A bullet without links that still reads as a paper: its first child is an affiliation
    line or an authors line."""
    from notes_kit.format.markdown.papers import is_authors_item, looks_like_affiliation

    subs = [i for c in item.children if c.kind == "list" for i in c.children]
    return bool(item.level) and bool(subs) and (looks_like_affiliation(subs[0])
                                                or is_authors_item(subs[0]))


def _is_group(item: Block, depth: int = 0) -> bool:
    """A text-only bullet whose first child is a paper (an affiliation line first means a
    link-less paper) or, nested, another group."""
    if is_paper_item(item) or not item.children or item.children[0].kind != "list":
        return False
    kids = [i for c in item.children if c.kind == "list" for i in c.children if i.level]
    if not kids:
        return False
    if depth < 8 and _is_group(kids[0], depth + 1):
        return True
    return (is_paper_item(kids[0]) or _paper_shaped(kids[0])) and (
        any(is_paper_item(k) for k in kids) or all(_paper_shaped(k) for k in kids))


class _Builder:
    def __init__(self, path: str, lines: list[str], offset: int,
                 tabbed: set[int] | None = None, front: str | None = None) -> None:
        self.path = path
        self.lines = lines
        self.offset = offset
        self.tabbed = tabbed or set()  # lines read with their indentation tabs expanded
        self.front = front
        self.check_meta = True
        self.namer: Namer | None = None
        self.findings: list[Finding] = []

    def report(self, rule: str, line: int, column: int, message: str,
               fix: FixKind = FixKind.NONE, severity: Severity = Severity.ERROR,
               suggestions: tuple[str, ...] = (), end_column: int = 0,
               edits: tuple[Edit, ...] = ()) -> None:
        """Record a finding at a body line; `edits` (body lines too) are its fix. An edit on
        a line whose tabs were expanded for reading would miss the file's columns: such a
        fix waits until NK503 has written the tabs as spaces."""
        if any(n in self.tabbed for e in edits for n in range(e.line, e.end_line + 1)):
            edits = ()
        self.findings.append(Finding(self.path, line + self.offset, column, rule, message,
                                     severity, end_line=line + self.offset if end_column else 0,
                                     end_column=end_column, fix=fix, suggestions=suggestions,
                                     edits=shifted(edits, self.offset)))

    def span_edit(self, line: int, column: int, old: str, new: str) -> tuple[Edit, ...]:
        """Replace `old`, found at 1-based `column` of body line `line`, with `new`; no edit
        when the source does not hold `old` there."""
        row = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if not old or row[column - 1 : column - 1 + len(old)] != old:
            return ()
        return (replace_span(line, column, column + len(old), new),)

    def raw(self, block: Block, dedent: int = 0) -> Raw:
        return Raw(_tidy(source_of(block, self.lines, dedent)), block.line + self.offset,
                   dedent + 1)

    def build(self, blocks: list[Block]) -> Page:
        found: tuple[Block | None, str, int, str | None] | None = conference_title(blocks)
        if found is None:
            found = self._named_elsewhere(blocks)
        if found is None:
            first = next((b for b in blocks if b.kind != "blank"), None)
            line = (first.line + self.offset) if first else 1
            raise NotConferencePage(
                self.path, "not a conference page: the first heading must be '# <VENUE> <YEAR>'",
                line)
        head, venue, year, full = found
        at = blocks.index(head) + 1 if head is not None else 0
        where = head.line if head is not None else next(
            (b.line for b in blocks if b.kind != "blank"), 1)
        page = Page(venue, year, full_title=full, line=where + self.offset,
                    column=head.column if head is not None else 1,
                    end_column=head.column + len(head.text) if head is not None else 1)
        rest = [b for b in blocks[at:] if b.kind != "blank"]
        page.preamble = [self.raw(b) for b in blocks[: max(at - 1, 0)] if b.kind != "blank"]
        self._sections(page, rest)
        return page

    def _named_elsewhere(self, blocks: list[Block]
                         ) -> tuple[Block | None, str, int, str | None] | None:
        """A page whose heading does not say `# VENUE YEAR` but whose front matter or path
        names a registry venue (`venue:`/`year:`, `papers/2025/OSDI.md`) is a conference
        page; NK101 says how to write its title, with the edit that rewrites (or inserts)
        the heading line, the one change rendering makes."""
        hit = self.namer(self.path, self.front) if self.namer is not None else None
        if hit is None:
            return None
        venue, year, source = hit
        first = next((b for b in blocks if b.kind != "blank"), None)
        head = first if first is not None and first.kind == "heading" and first.level == 1 \
            else None
        title = f"# {venue} {year}"
        line = (first.line if first is not None else len(self.lines) + 1) + self.offset
        if head is not None:
            edit = Edit(line, 1, line, len(self.lines[head.line - 1]) + 1, title)
        else:
            edit = Edit(line, 1, line, 1, title + "\n\n")
        self.findings.append(Finding(
            self.path, line, 1, "NK101", f"the title is written '{title}' (the {source} "
            "names the conference)", fix=FixKind.SAFE, edits=(edit,)))
        return head, venue, year, None

    def _sections(self, page: Page, blocks: list[Block]) -> None:
        chunks: list[tuple[Block | None, list[Block]]] = [(None, [])]
        for block in blocks:
            if block.kind == "heading" and block.level <= 2:
                chunks.append((block, []))
            else:
                chunks[-1][1].append(block)
        lead, lead_blocks = chunks[0]
        if lead_blocks:
            self._implicit_meta(page, lead_blocks)
        for heading, body in chunks[1:]:
            assert heading is not None
            self._section(page, heading, body)
        if page.meta is None:
            self.report("NK102", page.line - self.offset, 1, "missing '## Meta Info' section: "
                        "add it after the title, with 'Homepage: <url>'")
        if not any(s.kind == "papers" for s in page.sections):
            self.report("NK103", page.line - self.offset, 1, "missing '## Papers' section: "
                        "put the topics under a '## Papers' heading")

    def _implicit_meta(self, page: Page, blocks: list[Block]) -> None:
        if any(b.kind == "paragraph" and b.text.lstrip().lower().startswith("homepage")
               for b in blocks):
            first = blocks[0]
            self.report("NK102", first.line, 1, "Meta Info content without a '## Meta Info' "
                        "heading; insert it", FixKind.SAFE,
                        edits=(insert_before(first.line, "## Meta Info\n\n"),))
            self._meta(page, None, blocks)
        else:
            page.preamble.extend(self.raw(b) for b in blocks)
            self.report("NK105", blocks[0].line, 1, "content between the title and the first "
                        "section (kept as written): put it under '## Meta Info' or a section")

    def _section(self, page: Page, heading: Block, body: list[Block]) -> None:
        kind = KNOWN_SECTIONS.get(heading.text.strip().lower(), "other")
        if heading.level == 1:
            kind = "other"
        if kind == "meta" and page.meta is not None:
            # A second Meta Info is kept verbatim: merging it would drop its values.
            self.report("NK102", heading.line, 1, "a second '## Meta Info' section (kept as "
                        "written): merge it into the first")
            kind = "other"
        elif kind == "meta":
            if page.sections:
                end = self._meta_end(heading, body)
                first = page.sections[0].line - self.offset
                self.report("NK102", heading.line, 1, "'## Meta Info' must be the first "
                            f"section; it moves above '{page.sections[0].title}'", FixKind.SAFE,
                            edits=move_before(self.lines, heading.line, end, first))
            self._meta(page, heading, body)
            return
        section = Section(heading.text, kind if kind != "meta" else "other",
                          line=heading.line + self.offset, column=heading.column)
        if heading.level == 1:
            self.report("NK105", heading.line, 1, f"a second level-1 heading "
                        f"'{heading.text}' (kept as written): sections are '## ' headings")
            section.kind = "other"
            section.title = "# " + heading.text
        page.sections.append(section)
        if kind == "papers":
            self._papers(section, body)
        elif kind == "acronyms":
            self._acronyms(section, body)
        elif kind == "references":
            section.notes = self._notes_from_blocks(body, 0)
        else:
            if heading.level == 2 and KNOWN_SECTIONS.get(heading.text.strip().lower()) != "meta":
                self.report("NK105", heading.line, 1, f"unknown section '## {heading.text}' "
                            "(kept as written): the known ones are Meta Info, Papers, Acronyms "
                            "and References", severity=Severity.WARNING)
            section.raw = [self.raw(b) for b in body]

    def _meta_end(self, heading: Block, body: list[Block]) -> int:
        """The last line of a Meta Info section: its body up to topic headings, if any."""
        from notes_kit.format.markdown.meta import topics_start

        start = topics_start(body)
        kept = body[:start] if start is not None else body
        return kept[-1].end if kept else heading.line

    def _meta(self, page: Page, heading: Block | None, body: list[Block]) -> None:
        reader = MetaReader(self, self._meta_end(heading, body) if heading else
                            (body[-1].end if body else 1))
        mark = len(self.findings)
        topics_at = reader.read(body)
        meta = reader.meta
        if meta.raw and self.check_meta and not _stable(meta):
            self._verbatim(meta, body[: topics_at[0]] if topics_at else body, mark)
        if heading is not None:
            meta.line, meta.column = heading.line + self.offset, heading.column
        if page.meta is not None:
            page.meta.raw.extend(meta.raw)
        else:
            page.meta = meta
        if topics_at is not None:
            start, explicit = topics_at
            rest = body[start:]
            first = rest[0] if rest else body[max(start - 1, 0)]
            section = Section("Papers", "papers", line=first.line + self.offset)
            page.sections.append(section)
            if explicit:
                row = self.lines[first.line - 1]
                hashes = len(row) - len(row.lstrip(" ")) + 1
                self.report("NK104", first.line, 1, "'### Papers' is a level-2 heading: write "
                            "'## Papers'", FixKind.SAFE,
                            edits=self.span_edit(first.line, hashes, "###", "##"))
                rest = rest[1:]
            else:
                self.report("NK103", first.line, 1, "topics follow Meta Info without a "
                            "'## Papers' heading; insert it", FixKind.SAFE,
                            edits=(insert_before(first.line, "## Papers\n\n"),))
            self._papers(section, rest)

    def _verbatim(self, meta: Meta, body: list[Block], mark: int) -> None:
        """Meta Info whose kept content would read differently once rendered in canonical
        order (a bullet running into a list, a line read as a rate) is written back as it
        stands; its fields still say what it holds, and none of its findings has a fix."""
        from dataclasses import replace

        meta.verbatim = "\n\n".join(self.raw(b).text for b in body if b.kind != "blank")
        self.findings[mark:] = [replace(f, fix=FixKind.NONE, edits=())
                                for f in self.findings[mark:]]
        first = next((b.line for b in body if b.kind != "blank"), 1)
        self.report("NK105", first, 1, "Meta Info holds content notes-kit cannot write back "
                    "in the canonical order: the section is kept as written",
                    severity=Severity.WARNING)

    def _papers(self, section: Section, body: list[Block]) -> None:
        topic: Topic | None = None
        for block in body:
            if block.kind == "heading" and block.level == 3:
                topic = Topic(block.text, line=block.line + self.offset, column=block.column)
                section.topics.append(topic)
            elif block.kind == "list" and topic is not None:
                self._topic_items(topic, block)
            else:
                raw = self.raw(block)
                self._unplaced(block, raw.text)
                if topic is None:
                    section.topics.append(raw)
                else:
                    topic.papers.append(raw)

    def _unplaced(self, block: Block, text: str) -> None:
        from notes_kit.format.directives import is_directive

        if is_directive(text.strip()):
            return
        what = "bullets before the first topic heading (kept as written): put them under a " \
            "'### Topic' heading" if block.kind == "list" else \
            f"a {_KINDS.get(block.kind, block.kind)} among the papers (kept as written): " \
            "papers are bullets under '### Topic' headings"
        self.report("NK105", block.line, 1, what)

    def _topic_items(self, topic: Topic, block: Block) -> None:
        reader = PaperReader(self)
        for item in block.children:
            if item.kind != "item" or not item.level:
                topic.papers.append(self.raw(item))
                self.report("NK105", item.line, 1, "an empty bullet (kept as written): a paper "
                            "bullet starts with its title")
                continue
            if _is_group(item):
                topic.papers.append(self._group(item, reader))
            else:
                topic.papers.append(reader.read(item))

    def _group(self, item: Block, reader: PaperReader) -> Group:
        """Paper bullets under a text-only bullet; anything else among them stays raw."""
        group = Group(clean(item.text), line=item.line + self.offset, column=item.column)
        for child in item.children:
            for kid in child.children if child.kind == "list" else [child]:
                if kid.kind == "item" and kid.level and _is_group(kid):
                    group.papers.append(self._group(kid, reader))
                elif kid.kind == "item" and kid.level:
                    group.papers.append(reader.read(kid))
                else:
                    group.papers.append(self.raw(kid, item.indent))
                    what = "empty bullet" if kid.kind == "item" else \
                        _KINDS.get(kid.kind, kid.kind)
                    self.report("NK105", kid.line, 1, f"a {what} in a group of papers (kept "
                                "as written): a group holds paper bullets")
        return group

    def _acronyms(self, section: Section, body: list[Block]) -> None:
        for block in body:
            items = block.children if block.kind == "list" else []
            if not items:
                section.acronyms.append(self.raw(block))
                self.report("NK105", block.line, 1, "acronyms are written as '* TERM: meaning' "
                            "bullets (kept as written)", severity=Severity.WARNING)
                continue
            for item in items:
                term, sep, meaning = clean(item.text).partition(": ")
                if item.level and sep and term.strip() and not item.children \
                        and "\n" not in item.text:
                    section.acronyms.append(Acronym(term, meaning,
                                                    line=item.line + self.offset,
                                                    column=item.column))
                else:
                    section.acronyms.append(self.raw(item))
                    self.report("NK105", item.line, 1, "an acronym bullet that is not "
                                "'* TERM: meaning' (kept as written)", severity=Severity.WARNING)

    def notes(self, items: list[Block], dedent: int) -> list[NoteItem]:
        """A tree of note bullets; anything else inside it is kept as Raw."""
        notes: list[NoteItem] = []
        for item in items:
            if item.kind != "item" or not item.level:
                notes.append(self.raw(item, dedent))
                continue
            note = Note(clean(item.text), line=item.line + self.offset, column=item.column)
            note.children = self._notes_from_blocks(item.children, item.indent)
            notes.append(note)
        return notes

    def _notes_from_blocks(self, blocks: list[Block], dedent: int) -> list[NoteItem]:
        notes: list[NoteItem] = []
        for block in blocks:
            if block.kind == "list":
                notes.extend(self.notes(block.children, dedent))
            elif block.kind != "blank":
                notes.append(self.raw(block, dedent))
        return notes
