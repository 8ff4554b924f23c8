"""The Meta Info section: full name, homepage, paper lists, acceptance rates."""

from __future__ import annotations

import re
from typing import Any

from notes_kit.blocks import Block
from notes_kit.findings import FixKind, Severity
from notes_kit.inline import bare_url, clean
from notes_kit.model import Meta, PaperList, Rate

# `17.3% (= 43 / 248)`: the canonical form; the loose form accepts what real pages write.
RATE = re.compile(
    r"^(?P<p>\d+(?:\.\d+)?)\s*%\s*\(\s*(?P<eq>=?)\s*(?P<a>\d+)\s*/\s*(?P<s>\d+)\s*\)$"
)
LABELLED = re.compile(r"^(?P<label>[^:]+?):\s*(?P<rest>.*)$")
PARENS_LABEL = re.compile(r"^\((?P<label>[^()]+)\)\s+(?P<rest>\S.*)$")
LIST_LABELS = ("paper list", "paper lists", "accepted papers")
RATE_LABEL = "acceptance rate"


def format_percent(percent: float) -> str:
    """One decimal, as the convention asks; more digits are kept as written."""
    text = repr(float(percent))
    whole, _, frac = text.partition(".")
    if "e" in text or len(frac) > 1:
        return text
    return f"{whole}.{frac or '0'}"


def format_rate(rate: Rate) -> str:
    if rate.percent is None:
        return rate.text or ""
    body = f"{format_percent(rate.percent)}% (= {rate.accepted} / {rate.submitted})"
    return f"{rate.label}: {body}" if rate.label else body


def read_rate(text: str) -> tuple[Rate, bool] | None:
    """(rate, canonical) for `[Label: ]P% (= A / S)`, None for other text."""
    label: str | None = None
    body = text.strip()
    match = RATE.match(body)
    if not match:
        labelled = LABELLED.match(body)
        if not labelled:
            return None
        label, body = labelled.group("label").strip(), labelled.group("rest").strip()
        match = RATE.match(body)
        if not match:
            return None
    rate = Rate(label, float(match.group("p")), int(match.group("a")), int(match.group("s")))
    return rate, format_rate(rate) == text.strip()


class MetaReader:
    """Reads the blocks of Meta Info; stops where topic headings begin."""

    def __init__(self, builder: Any) -> None:
        self.b = builder
        self.meta = Meta()
        self.sub: str | None = None  # the `###` subsection being read
        self.lead = 0  # indentation of the paragraph line being read
        self.next: Block | None = None  # the block after the one being read
        self.kept: list[tuple[Block, str, bool]] = []  # raw blocks: why, whether to report
        self.placed = 0  # last source line of content placed in the model
        self.rank = 0  # 1 homepage, 2 paper list, 3 acceptance rate: the rendered order

    def read(self, body: list[Block]) -> tuple[int, bool] | None:
        """Fill self.meta; return (index, explicit) where Papers content starts, if it does."""
        try:
            return self._read(body)
        finally:
            self._finish()

    def _read(self, body: list[Block]) -> tuple[int, bool] | None:
        for index, block in enumerate(body):
            self.next = body[index + 1] if index + 1 < len(body) else None
            if block.kind == "heading" and block.level == 3:
                name = block.text.strip().lower()
                if name == "papers":
                    return index, True
                if name in ("paper list", "paper lists"):
                    self._order(2, block.line, "'### Paper List'")
                    self._subheading(block, "paper list", "Paper List")
                elif name == "acceptance rate":
                    self._subheading(block, "acceptance rate", "Acceptance Rate")
                else:
                    return index, False
            elif block.kind == "paragraph":
                self._paragraph(block)
            elif block.kind == "list" and self.sub == "paper list":
                self._paper_list_items(block)
            elif block.kind == "list" and self.sub == "acceptance rate":
                self.meta.rate_as_list = True
                self.meta.rate_line = self.meta.rate_line or block.line + self.b.offset
                self.meta.acceptance_rate.extend(self._rate_items(block.children))
            else:
                self._keep(block, "content Meta Info cannot place")
        return None

    def _subheading(self, block: Block, key: str, canonical: str) -> None:
        self.sub = key
        if block.text.strip() != canonical:
            self.b.report("NK202" if key == "paper list" else "NK203", block.line, block.column,
                          f"heading should read '### {canonical}'", FixKind.SAFE)

    def _keep(self, block: Block, why: str, report: bool = True) -> None:
        self.meta.raw.append(self.b.raw(block))
        self.kept.append((block, why, report))

    def _finish(self) -> None:
        """Kept content is rendered at the end of Meta Info: it moves (a safe fix) only when
        placed content follows it."""
        for block, why, report in self.kept:
            if self.placed > block.line:
                self.b.report("NK105", block.line, 1, f"{why or 'content kept verbatim'} "
                              "(moves to the end of Meta Info)", FixKind.SAFE, Severity.WARNING)
            elif report:
                self.b.report("NK105", block.line, 1, f"{why} (kept verbatim)",
                              severity=Severity.WARNING)

    def _place(self, line: int, rank: int = 0) -> None:
        self.placed = max(self.placed, line)
        self.rank = max(self.rank, rank)

    def _order(self, rank: int, line: int, what: str) -> None:
        """Meta Info reads Homepage, Paper List, Acceptance Rate: anything else is moved."""
        if rank < self.rank:
            self.b.report("NK102", line, 1, f"{what} moves up: Meta Info reads Homepage, Paper "
                          "List, Acceptance Rate in this order", FixKind.SAFE)
        self._place(line, rank)

    def _paragraph(self, block: Block) -> None:
        lines = block.text.split("\n")
        for number, line in enumerate(lines, block.line):
            self.lead = len(line) - len(line.lstrip())  # columns below count from the text
            if not self._meta_line(clean(line).strip(), number, block, len(lines) == 1):
                one = Block("paragraph", number, number, text=line)
                self._keep(one, "line Meta Info cannot place")

    def _meta_line(self, text: str, line: int, block: Block, alone: bool) -> bool:
        meta, b = self.meta, self.b
        labelled = LABELLED.match(text)
        label = labelled.group("label").strip() if labelled else ""
        rest = labelled.group("rest").strip() if labelled else ""
        if label and self._misleading(rest, line, self.lead + text.find(rest) + 1):
            return True
        if label == "Homepage" and bare_url(rest) and meta.homepage is None:
            url, style = bare_url(rest) or ("", "")
            meta.homepage, meta.homepage_line = url, line + b.offset
            self._order(1, line, "'Homepage:'")
            self._style(style, line, self.lead + text.find(rest) + 1, url)
            return True
        if label.lower() == "homepage":  # a second or broken one: NK201 reports it
            self._keep(Block("paragraph", line, line), "", report=False)
            return True
        if label.lower() == RATE_LABEL and read_rate(rest) and not meta.acceptance_rate:
            rate, canonical = read_rate(rest) or (Rate(), True)
            rate.line, rate.column = line + b.offset, self.lead + text.find(rest) + 1
            meta.acceptance_rate.append(rate)
            meta.rate_line = line + b.offset
            self._place(line, 3)
            b.report("NK203", line, 1, "acceptance rate belongs under a '### Acceptance Rate' "
                     "heading", FixKind.SAFE)
            self._rate_form(canonical, line, rate.column)
            return True
        if label and bare_url(rest) and not label.lower().startswith("homepage"):
            url, style = bare_url(rest) or ("", "")
            keep = None if label.lower() in LIST_LABELS else label
            meta.paper_lists.append(PaperList(url, keep, line=line + b.offset))
            self._place(line, 2)
            b.report("NK202", line, 1, f"'{label}:' inline; the canonical form is a "
                     "'### Paper List' heading with bullets", FixKind.SAFE)
            self._style(style, line, self.lead + text.find(rest) + 1, url)
            return True
        if self.sub == "acceptance rate" and read_rate(text) and alone:
            rate, canonical = read_rate(text) or (Rate(), True)
            rate.line, rate.column = line + b.offset, self.lead + 1
            meta.acceptance_rate.append(rate)
            meta.rate_line = meta.rate_line or line + b.offset
            self._place(line, 3)
            self._rate_form(canonical, line, self.lead + 1)
            return True
        if label.lower() in LIST_LABELS and not rest and line == block.end \
                and self.next is not None and self.next.kind == "list":  # else kept as raw
            self.sub = "paper list"
            b.report("NK202", line, 1, f"'{label}:' followed by bullets; the canonical form is "
                     "a '### Paper List' heading", FixKind.SAFE)
            return True
        if not labelled and meta.full_name is None and not meta.homepage and alone \
                and self.sub is None and "<" not in text and "](" not in text:
            meta.full_name = text
            self._place(line)
            return True
        return False

    def _misleading(self, value: str, line: int, column: int) -> bool:
        """`[https://a](https://b)` is kept as written: rewriting it would hide the error."""
        found = bare_url(value)
        if found is None or found[1] != "misleading":
            return False
        self._style("misleading", line, column, found[0])
        self._keep(Block("paragraph", line, line), "", report=False)
        return True

    def _style(self, style: str, line: int, column: int, url: str) -> None:
        if style == "inline":
            self.b.report("NK205", line, column, f"link written as [{url}]({url}); write <{url}>",
                          FixKind.SAFE, suggestions=(f"<{url}>",))
        elif style == "plain":
            self.b.report("NK205", line, column, f"bare URL; write <{url}>", FixKind.SAFE)
        elif style == "misleading":
            self.b.report("NK205", line, column, "link text is a different URL than its target")

    def _rate_form(self, canonical: bool, line: int, column: int) -> None:
        if not canonical:
            self.b.report("NK203", line, column, "acceptance rate is written 'P% (= A / S)' with "
                          "one decimal", FixKind.SAFE)

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
                self._keep(item, "paper-list bullet that is not '* [Label: ]<url>'")
                continue
            label, url, style, offset = entry
            if style == "misleading":
                self._style(style, item.line, item.column + offset, url)
                self._keep(item, "", report=False)
                continue
            self.meta.paper_lists.append(PaperList(url, label, line=item.line + self.b.offset,
                                                   column=item.column))
            self._place(item.line, 2)
            if PARENS_LABEL.match(item.text.strip()):
                self.b.report("NK202", item.line, item.column, f"write the label as '{label}: "
                              "<url>'", FixKind.SAFE)
            self._style(style, item.line, item.column + offset, url)

    def _rate_items(self, items: list[Block]) -> list[Rate]:
        rates: list[Rate] = []
        for item in items:
            if item.kind != "item" or not item.level:
                self._keep(item, "acceptance-rate content that is not a bullet")
                continue
            found = read_rate(item.text) if "\n" not in item.text else None
            if found:
                rate, canonical = found
                figure = re.search(r"\d+(?:\.\d+)?\s*%", item.text)
                self._rate_form(canonical, item.line, item.column + (figure.start() if figure
                                                                      else 0))
            else:
                rate = Rate(text=item.text)
            rate.line, rate.column = item.line + self.b.offset, item.column
            nested = [i for c in item.children if c.kind == "list" for i in c.children]
            if len(nested) != sum(len(c.children) for c in item.children if c.kind == "list") \
                    or any(c.kind != "list" for c in item.children):
                self._keep(item, "acceptance-rate bullet with content that is not a bullet")
                continue
            rate.cycles = self._rate_items(nested)
            rates.append(rate)
            self._place(item.line, 3)
        return rates
