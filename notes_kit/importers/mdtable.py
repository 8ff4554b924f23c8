"""Pipe tables of paper lists: a title column, link columns, an authors column, others.

mistletoe (through blocks.py) finds the table block; each row is then one line of
inline text, split into cells here (escaped `\\|` and code spans stay inside a cell).
"""

from __future__ import annotations

import re

from notes_kit.core.model import Note
from notes_kit.importers.common import (
    Imported,
    ImportedPaper,
    Unplaced,
    add_link,
    label_for,
    label_word,
    one_line,
    split_names,
)

_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\[\]\\])*)\]\(\s*<?([^()\s<>]*)>?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_BREAK = re.compile(r"<br\s*/?>|</li>", re.I)
_ANCHOR = re.compile(r"<a\s[^<>]*?href=\"([^\"]+)\"[^<>]*>(.*?)</a>", re.I | re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.I | re.S)
LINK_COLUMNS = {"links", "link", "url", "urls", "available at", "resources", "materials"}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def is_table(lines: list[str]) -> bool:
    return len(lines) >= 2 and "|" in lines[0] and bool(_DELIMITER.match(lines[1]))


def cells(row: str) -> list[str]:
    """The cells of one table row."""
    text = row.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    found, current, ticks = [], "", 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current += text[index : index + 2]
            index += 2
            continue
        if char == "`":
            ticks ^= 1
        if char == "|" and not ticks:
            found.append(current.strip())
            current = ""
        else:
            current += char
        index += 1
    found.append(current.strip())
    return found


def read_table(found: Imported, lines: list[str], first_line: int, session: str | None) -> None:
    header = cells(lines[0])
    names = [h.strip("*_ ").casefold() for h in header]
    title_at = next((i for i, n in enumerate(names) if "title" in n or n in ("paper", "name")),
                    0)  # else the first column names the paper
    for offset, row in enumerate(lines[2:], start=2):
        values = cells(row)
        line = first_line + offset
        if title_at >= len(values) or not values[title_at].strip():
            if any(v.strip() for v in values):
                found.unplaced.append(Unplaced(line, row, "table row without a title"))
            continue
        paper = _row(values, header, names, title_at, line)
        paper.session = paper.session or session
        found.papers.append(paper)


def _row(values: list[str], header: list[str], names: list[str], title_at: int,
         line: int) -> ImportedPaper:
    title, links = _title_cell(values[title_at])
    paper = ImportedPaper(title, line)
    for label, url in links:
        add_link(paper, label, url)
    for index, value in enumerate(values):
        name = names[index] if index < len(names) else ""
        if index == title_at or not value.strip():
            continue
        if "author" in name:
            paper.authors = split_names(_plain(value))
        elif name in ("session", "topic", "track", "category"):
            paper.session = _plain(value)
        elif name.startswith(("institution", "affiliation", "institute")):
            items = [_plain(i) for i in _ITEM.findall(value)] or [_plain(value)]
            paper.affiliations = [i for i in items if i]
        elif _linked(value) and (name in LINK_COLUMNS or label_word(name) or _labelled(value)):
            _links(paper, value, header[index] if index < len(header) else "")
        else:
            paper.notes.append(Note(f"{header[index].strip()}: {_plain(value)}"
                                    if index < len(header) and header[index].strip()
                                    else _plain(value)))
    return paper


def _title_cell(cell: str) -> tuple[str, list[tuple[str, str]]]:
    """`[Title](url)` (the URL may be empty) or plain text."""
    match = _LINK.fullmatch(cell.strip())
    if match:
        url = match.group(2)
        return one_line(match.group(1)), ([(label_for("", url), url)] if url else [])
    return one_line(cell), []


def _linked(value: str) -> bool:
    return bool(_LINK.search(value) or _AUTOLINK.search(value) or _ANCHOR.search(value))


def _labelled(value: str) -> bool:
    """Every link of the cell has a text that names a vocabulary label (`[Github](u)`)."""
    texts = [m.group(1) for m in _LINK.finditer(value)] + [
        m.group(2) for m in _ANCHOR.finditer(value)]
    return bool(texts) and all(label_word(_plain(t)) for t in texts)


def _links(paper: ImportedPaper, value: str, header: str) -> None:
    for match in _LINK.finditer(value):
        if match.group(2):
            add_link(paper, label_for(match.group(1) or header, match.group(2)), match.group(2))
    for match in _ANCHOR.finditer(value):
        add_link(paper, label_for(_plain(match.group(2)) or header, match.group(1)),
                 match.group(1))
    for match in _AUTOLINK.finditer(value):
        add_link(paper, label_for(header, match.group(1)), match.group(1))


def _plain(value: str) -> str:
    """A cell's text without HTML tags (badges, line breaks become ', ')."""
    return one_line(_TAG.sub("", _BREAK.sub(", ", value))).strip(", ")
