"""The Meta Info section: full name, homepage, paper lists, acceptance rates.

Every input variant it normalises is reported with the edits that write it in the
canonical form; the re-rendered page is what applying all of them gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from notes_kit.core.edits import move_after, move_before, replace_line
from notes_kit.core.findings import Edit, FixKind, Severity
from notes_kit.core.model import Meta, PaperList, Rate
from notes_kit.format.markdown.blocks import Block
from notes_kit.format.markdown.inline import bare_url, clean
from notes_kit.format.markdown.rates import LABELLED, format_rate, read_rate

PARENS_LABEL = re.compile(r"^\((?P<label>[^()]+)\)\s+(?P<rest>\S.*)$")
LIST_LABELS = ("paper list", "paper lists", "accepted papers")
RATE_LABEL = "acceptance rate"
SUBSECTIONS = {"paper list": "paper list", "paper lists": "paper list",
               "acceptance rate": "acceptance rate"}
CANONICAL = {"paper list": "Paper List", "acceptance rate": "Acceptance Rate"}
RANKS = {"paper list": 2, "acceptance rate": 3}


def topics_start(body: list[Block]) -> int | None:
    """Index of the first topic heading (`### Papers` or a `###` that is not a Meta Info
    subsection) of a Meta Info body: where Papers content starts without `## Papers`."""
    for index, block in enumerate(body):
        if block.kind == "heading" and block.level == 3 \
                and block.text.strip().lower() not in SUBSECTIONS:
            return index
    return None


@dataclass
class _Kept:
    """A block kept verbatim (rendered at the end of Meta Info)."""

    block: Block
    why: str
    report: bool


class MetaReader:
    """Reads the blocks of Meta Info; stops where topic headings begin."""

    def __init__(self, builder: Any, end: int) -> None:
        self.b = builder
        self.end = end  # the last body line of Meta Info
        self.meta = Meta()
        self.sub: str | None = None  # the `###` subsection being read
        self.lead = 0  # indentation of the paragraph line being read
        self.next: Block | None = None  # the block after the one being read
        self.kept: list[_Kept] = []
        self.headings: dict[str, Block] = {}  # the first heading of each subsection
        self.placed = 0  # last line of content placed in the model
        self.rank = 0  # 1 homepage, 2 paper list, 3 acceptance rate: the rendered order
        self.starts: dict[int, int] = {}  # rank -> first line of its content
        self.subheads: list[int] = []  # lines of the subsection headings
        self.moves: list[tuple[int, int, str]] = []  # (rank, line, what) read out of order
        self.list_heading = False  # a `### Paper List` heading exists or an edit writes one
        self.rate_heading = False  # a `### Acceptance Rate` heading exists
        self.top = 0  # the last line of the full name and homepage (rendered first)

    def read(self, body: list[Block]) -> tuple[int, bool] | None:
        """Fill self.meta; return (index, explicit) where Papers content starts, if it does."""
        self.subheads = [b.line for b in body if b.kind == "heading" and b.level == 3]
        named = {SUBSECTIONS.get(b.text.strip().lower()) for b in body
                 if b.kind == "heading" and b.level == 3}
        self.list_heading, self.rate_heading = "paper list" in named, "acceptance rate" in named
        try:
            return self._read(body)
        finally:
            self._finish()

    def _read(self, body: list[Block]) -> tuple[int, bool] | None:
        for index, block in enumerate(body):
            self.next = body[index + 1] if index + 1 < len(body) else None
            if block.kind == "heading" and block.level == 3:
                key = SUBSECTIONS.get(block.text.strip().lower())
                if key is None:
                    return index, block.text.strip().lower() == "papers"
                if key == "paper list":
                    self._order(2, block.line, "'### Paper List'")
                self._subheading(block, key)
            elif block.kind == "paragraph":
                self._paragraph(block)
            elif block.kind == "list" and self.sub == "paper list":
                self._paper_list_items(block)
            elif block.kind == "list" and self.sub == "acceptance rate" \
                    and self.meta.acceptance_rate and not self.meta.rate_as_list:
                # bullets after a rate written as a line: kept, not read as more rates
                self._keep(block, "bullets after an acceptance rate written as a line")
            elif block.kind == "list" and self.sub == "acceptance rate":
                self.meta.rate_as_list = True
                self.meta.rate_line = self.meta.rate_line or block.line + self.b.offset
                self.meta.acceptance_rate.extend(self._rate_items(block.children))
            else:
                self._keep(block, "content Meta Info cannot read")
        return None

    def _subheading(self, block: Block, key: str) -> None:
        self.sub = key
        self.headings.setdefault(key, block)
        self._start(RANKS[key], block.line)
        canonical = CANONICAL[key]
        if block.text.strip() != canonical:
            self.b.report("NK202" if key == "paper list" else "NK203", block.line, block.column,
                          f"heading '### {block.text.strip()}' is written '### {canonical}'",
                          FixKind.SAFE, edits=self.b.span_edit(block.line, block.column,
                                                               block.text, canonical))

    # --- kept content and moves ------------------------------------------------------------

    def _keep(self, block: Block, why: str, report: bool = True) -> None:
        self.meta.raw.append(self.b.raw(block))
        self.kept.append(_Kept(block, why, report))

    def _place(self, line: int, rank: int = 0, end: int = 0) -> None:
        """Content of `rank` at `line` (its block ending at `end`) is placed in the model."""
        self.placed = max(self.placed, line, end)
        self.rank = max(self.rank, rank)
        if rank:
            self._start(rank, line)

    def _start(self, rank: int, line: int) -> None:
        self.starts[rank] = min(self.starts.get(rank, line), line)

    def _order(self, rank: int, line: int, what: str) -> None:
        """Meta Info reads Homepage, Paper List, Acceptance Rate: anything else is moved."""
        if rank < self.rank:
            self.moves.append((rank, line, what))
        self._place(line, rank)

    def _subsection_end(self, line: int) -> int:
        """The last non-blank line of the subsection whose heading (or content) is at line."""
        later = [n for n in self.subheads if n > line]
        stop = (later[0] - 1) if later else self.end
        while stop > line and not self.b.lines[stop - 1].strip():
            stop -= 1
        return stop

    def _finish(self) -> None:
        """Kept content moves (a safe fix) only when placed content follows it; content read
        out of the Homepage, Paper List, Acceptance Rate order moves up. A subsection heading
        with nothing readable under it is kept too: nothing a page holds is dropped."""
        for key, heading in self.headings.items():
            if not (self.meta.paper_lists if key == "paper list" else self.meta.acceptance_rate):
                self._keep(heading, f"a '### {CANONICAL[key]}' heading with nothing Meta Info "
                           "can read under it")
        self.meta.raw.sort(key=lambda raw: raw.line)
        self.meta.rate_as_list = self.meta.rates_listed()
        for kept in sorted(self.kept, key=lambda k: k.block.line):
            if not self._move(kept) and kept.report:
                self.b.report("NK105", kept.block.line, 1, f"{kept.why} (kept as written)",
                              severity=Severity.WARNING)
        for rank, line, what in self.moves:
            later = [n for r, n in self.starts.items() if r > rank and n < line]
            last = self._subsection_end(line) if rank > 1 else line
            edits = move_before(self.b.lines, line, last, min(later)) if later else ()
            self.b.report("NK102", line, 1, f"{what} moves up: Meta Info reads Homepage, "
                          "Paper List, Acceptance Rate in this order", FixKind.SAFE,
                          edits=edits)

    def _move(self, kept: _Kept) -> bool:
        """Kept content is rendered after the full name and homepage, before the Paper List
        and Acceptance Rate (a heading follows it, so it never merges into their lists);
        on a page with neither, at the end of Meta Info. Content elsewhere moves there."""
        block = kept.block
        why = kept.why or "content kept as written"
        lines = self.b.lines
        if not (self.meta.full_name or self.meta.homepage):
            if self.placed <= block.end:
                return False
            edits, where = move_after(lines, block.line, block.end, self.placed), "to the end"
        elif self.top > block.end:
            edits, where = move_after(lines, block.line, block.end, self.top), "below the homepage"
        else:
            filled = {2: bool(self.meta.paper_lists), 3: bool(self.meta.acceptance_rate)}
            above = [n for rank, n in self.starts.items() if filled.get(rank) and n < block.line]
            if not above:
                return False
            edits = move_before(lines, block.line, block.end, min(above))
            where = "above the Paper List and Acceptance Rate"
        self.b.report("NK105", block.line, 1, f"{why}: it moves {where} of Meta Info",
                      FixKind.SAFE, Severity.WARNING, edits=edits)
        return True

    # --- paragraphs: `Homepage: <url>`, inline paper lists and rates, the full name ---------

    def _paragraph(self, block: Block) -> None:
        lines = block.text.split("\n")
        for number, line in enumerate(lines, block.line):
            self.lead = len(line) - len(line.lstrip())  # columns below count from the text
            if not self._meta_line(clean(line).strip(), number, block, len(lines) == 1):
                one = Block("paragraph", number, number, text=line)
                self._keep(one, "a line Meta Info cannot read")

    def _meta_line(self, text: str, line: int, block: Block, alone: bool) -> bool:
        labelled = LABELLED.match(text)
        label = labelled.group("label").strip() if labelled else ""
        rest = labelled.group("rest").strip() if labelled else ""
        where = self.lead + text.find(rest) + 1  # the value's column
        if label and self._misleading(rest, line, where):
            return True
        if label == "Homepage" and bare_url(rest) and self.meta.homepage is None:
            return self._homepage(rest, line, where)
        if label.lower() == "homepage":  # a second or broken one: NK201 reports it
            self._keep(Block("paragraph", line, line), "", report=False)
            return True
        if label.lower() == RATE_LABEL and read_rate(rest) and not self.meta.acceptance_rate \
                and not self.rate_heading:
            return self._inline_rate(rest, line, where)
        if label and bare_url(rest) and not label.lower().startswith("homepage"):
            return self._inline_list(label, rest, line, where)
        if self.sub == "acceptance rate" and alone:
            found = read_rate(text)
            rate, canonical = found or (Rate(text=text), True)  # a line of no figure: a note
            self._add_rate(rate, line, self.lead + 1, text)
            self._rate_form(canonical, line, self.lead + 1, rate, text)
            return True
        if label.lower() in LIST_LABELS and not rest and line == block.end \
                and self.next is not None and self.next.kind == "list":  # else kept as raw
            return self._list_label(label, line)
        if not labelled and self.meta.full_name is None and not self.meta.homepage and alone \
                and self.sub is None and "<" not in text and "](" not in text:
            self.meta.full_name = text
            self._place(line)
            self.top = max(self.top, line)
            return True
        return False

    def _homepage(self, rest: str, line: int, where: int) -> bool:
        url, style = bare_url(rest) or ("", "")
        self.meta.homepage, self.meta.homepage_line = url, line + self.b.offset
        at = where + max(rest.find(url), 0)  # the URL itself, inside `<...>` or `[...]`
        self.meta.homepage_column, self.meta.homepage_end = at, at + len(url)
        self._order(1, line, "'Homepage:'")
        self.top = max(self.top, line)
        self._style(style, line, where, url, rest)
        return True

    def _add_rate(self, rate: Rate, line: int, column: int, written: str = "") -> None:
        rate.line, rate.column = line + self.b.offset, column
        rate.figure_column, rate.figure_end = column, column + len(written)
        self.meta.acceptance_rate.append(rate)
        self.meta.rate_line = self.meta.rate_line or line + self.b.offset
        self._place(line, 3)

    def _inline_rate(self, rest: str, line: int, where: int) -> bool:
        rate, canonical = read_rate(rest) or (Rate(), True)
        self._add_rate(rate, line, where, rest)
        value = self.b.lines[line - 1][where - 1 :]
        self.b.report("NK203", line, 1, "an inline 'Acceptance rate:' is written under a "
                      "'### Acceptance Rate' heading", FixKind.SAFE,
                      edits=(self._as_subsection(line, "### Acceptance Rate", value),))
        self._rate_form(canonical, line, where, rate, rest)
        return True

    def _inline_list(self, label: str, rest: str, line: int, where: int) -> bool:
        url, style = bare_url(rest) or ("", "")
        keep = None if label.lower() in LIST_LABELS else label
        self.meta.paper_lists.append(PaperList(url, keep, line=line + self.b.offset,
                                               url_column=where))
        self._place(line, 2)
        value = self.b.lines[line - 1][where - 1 :]
        heading = "" if self.list_heading else "### Paper List"
        self.list_heading = True
        bullet = f"* {keep}: {value}" if keep else f"* {value}"
        self.b.report("NK202", line, 1, f"an inline '{label}:' is written as a bullet under "
                      "'### Paper List'", FixKind.SAFE,
                      edits=(self._as_subsection(line, heading, bullet),))
        self._style(style, line, where, url, rest)
        return True

    def _list_label(self, label: str, line: int) -> bool:
        self.sub = "paper list"
        self._start(2, line)
        self.b.report("NK202", line, 1, f"'{label}:' followed by bullets is written as a "
                      "'### Paper List' heading", FixKind.SAFE,
                      edits=(self._as_subsection(line, "### Paper List", ""),))
        self.list_heading = True
        return True

    def _as_subsection(self, line: int, heading: str, body: str) -> Edit:
        """Line `line` rewritten as `heading` and `body`, each a block of its own."""
        lines = self.b.lines
        parts = [p for p in (heading, body) if p]
        before = "\n" if line > 1 and lines[line - 2].strip() else ""
        after = "\n" if line < len(lines) and lines[line].strip() else ""
        return replace_line(lines, line, before + "\n\n".join(parts) + after)

    def _misleading(self, value: str, line: int, column: int) -> bool:
        """`[https://a](https://b)` is kept as written: rewriting it would hide the error."""
        found = bare_url(value)
        if found is None or found[1] != "misleading":
            return False
        self._style("misleading", line, column, found[0], value)
        self._keep(Block("paragraph", line, line), "", report=False)
        return True

    def _style(self, style: str, line: int, column: int, url: str, written: str) -> None:
        """NK205: `[u](u)` and a bare `u` are written `<u>` (the edit replaces `written`,
        the value as it stands at `column`)."""
        edits = self.b.span_edit(line, column, written.strip(), f"<{url}>")
        if style == "inline":
            self.b.report("NK205", line, column, f"link written as [{url}]({url}); write <{url}>",
                          FixKind.SAFE, suggestions=(f"<{url}>",), edits=edits)
        elif style == "plain":
            self.b.report("NK205", line, column, f"bare URL; write <{url}>", FixKind.SAFE,
                          edits=edits)
        elif style == "misleading":
            self.b.report("NK205", line, column, "the link's text is a different URL than its "
                          f"target {url}: write the target as <url> or give the link a name")

    def _rate_form(self, canonical: bool, line: int, column: int, rate: Rate,
                   written: str, at: int = 0) -> None:
        """NK203 at `column` for a figure not in the canonical form; `written` stands at
        column `at` (default `column`) and is rewritten as a whole."""
        if canonical:
            return
        good = format_rate(rate)
        self.b.report("NK203", line, column, f"acceptance rate '{written.strip()}' is written "
                      f"'{good}'", FixKind.SAFE,
                      edits=self.b.span_edit(line, at or column, written.strip(), good))

    # --- lists: paper-list bullets and rate bullets ----------------------------------------

    def _list_entry(self, text: str) -> tuple[str | None, str, str, int] | None:
        """(label, url, style, offset of the URL part in text)."""
        found = bare_url(text)
        if found:
            return None, found[0], found[1], len(text) - len(text.lstrip())
        for pattern in (LABELLED, PARENS_LABEL):
            match = pattern.match(text.strip())
            if match and bare_url(match.group("rest")):
                url, style = bare_url(match.group("rest")) or ("", "")
                lead = len(text) - len(text.lstrip())
                return match.group("label").strip(), url, style, lead + match.start("rest")
        return None

    def _paper_list_items(self, block: Block) -> None:
        for item in block.children:
            entry = self._list_entry(item.text) if item.level and not item.children else None
            if entry is None:
                self._keep(item, "a paper-list bullet that is not '* [Label: ]<url>'")
                continue
            label, url, style, offset = entry
            value = clean(item.text)[offset:]
            if style == "misleading":
                self._style(style, item.line, item.column + offset, url, value)
                self._keep(item, "", report=False)
                continue
            self.meta.paper_lists.append(PaperList(url, label, line=item.line + self.b.offset,
                                                   column=item.column,
                                                   url_column=item.column + offset))
            self._place(item.line, 2)
            parens = PARENS_LABEL.match(item.text.strip())
            if parens:
                lead = item.column + len(item.text) - len(item.text.lstrip())
                old = item.text.strip()[: parens.start("rest")]
                self.b.report("NK202", item.line, item.column, f"the label '({label})' is "
                              f"written '{label}: <url>'", FixKind.SAFE,
                              edits=self.b.span_edit(item.line, lead, old, f"{label}: "))
            self._style(style, item.line, item.column + offset, url, value)

    def _rate_items(self, items: list[Block]) -> list[Rate]:
        rates: list[Rate] = []
        for item in items:
            if item.kind != "item" or not item.level:
                self._keep(item, "acceptance-rate content that is not a bullet")
                continue
            nested = [i for c in item.children if c.kind == "list" for i in c.children]
            if len(nested) != sum(len(c.children) for c in item.children if c.kind == "list") \
                    or any(c.kind != "list" for c in item.children):
                self._keep(item, "an acceptance-rate bullet with content that is not a bullet")
                continue
            rates.append(self._rate_item(item, nested))
        return rates

    def _rate_item(self, item: Block, nested: list[Block]) -> Rate:
        found = read_rate(item.text) if "\n" not in item.text else None
        if found:
            rate, canonical = found
            text = clean(item.text)
            start = item.column + len(text) - len(text.lstrip())
            figure = re.search(r"[~\d][\d.]*\s*%", text)
            column = item.column + (figure.start() if figure else 0)
            self._rate_form(canonical, item.line, column, rate, text, at=start)
            rate.figure_column, rate.figure_end = column, start + len(text.strip())
        else:
            rate = Rate(text=clean(item.text))
        rate.line, rate.column = item.line + self.b.offset, item.column
        rate.cycles = self._rate_items(nested)
        self._place(item.line, 3, item.end)
        return rate

