"""CSV with a header row: one paper per row. The header names the columns (title,
authors, session, url, pdf, code, award, ...); a file without a title column is refused,
since every other column only means something next to a title."""

from __future__ import annotations

import csv
import io
import re

from notes_kit.core.findings import InputError
from notes_kit.core.model import Note
from notes_kit.importers.common import (
    Imported,
    ImportedPaper,
    Unplaced,
    add_link,
    award_tag,
    escape_title,
    label_for,
    one_line,
    split_names,
)

ROLES = {
    "title": {"title", "paper", "papertitle", "name", "papername"},
    "authors": {"authors", "author", "authornames", "authorlist"},
    "session": {"session", "sessionname", "topic", "track", "category"},
    "group": {"group", "subsession", "subtopic"},
    "award": {"award", "awards"},
    "affiliations": {"affiliations", "affiliation", "institution", "institutions"},
    "doi": {"doi"},
}
_URL = re.compile(r"^https?://\S+$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def read_csv(path: str, text: str) -> Imported:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise InputError(path, f"malformed CSV header: {exc}", 1) from None
    roles = _roles(header)
    if "title" not in roles.values():
        names = ", ".join(h.strip() for h in header if h.strip()) or "none"
        raise InputError(path, f"no title column in the header row (columns: {names})", 1)
    found = Imported(path)
    start = reader.line_num + 1
    try:
        for row in reader:
            _row(found, header, roles, row, start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", reader.line_num) from None
    return found


def _roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, name in enumerate(header):
        key = re.sub(r"[^a-z]", "", name.casefold())
        role = next((r for r, names in ROLES.items() if key in names), None)
        if role and role not in roles.values():
            roles[index] = role
    if "title" not in roles.values():  # `Paper Title (short)` and the like
        titled = next((i for i, h in enumerate(header) if "title" in h.casefold()), None)
        if titled is not None:
            roles[titled] = "title"
    return roles


def _row(found: Imported, header: list[str], roles: dict[int, str], row: list[str],
         line: int) -> None:
    cells = [one_line(cell) for cell in row]
    title_at = next(i for i, role in roles.items() if role == "title")
    if not any(cells):
        return
    if title_at >= len(cells) or not cells[title_at]:
        found.unplaced.append(Unplaced(line, ",".join(row), "row without a title"))
        return
    paper = ImportedPaper(escape_title(cells[title_at]), line)
    for index, cell in enumerate(cells):
        if index == title_at or not cell:
            continue
        name = header[index].strip() if index < len(header) else f"column {index + 1}"
        _cell(paper, roles.get(index), name, cell)
    found.papers.append(paper)


def _cell(paper: ImportedPaper, role: str | None, name: str, cell: str) -> None:
    if role == "authors":
        paper.authors = split_names(cell)
    elif role == "session":
        paper.session = cell
    elif role == "group":
        paper.group = cell
    elif role == "affiliations":
        paper.affiliations = [a.strip() for a in re.split(r"\s*[;&]\s*", cell) if a.strip()]
    elif role == "award":
        paper.tags.append(award_tag(cell) or cell)
    elif role == "doi" and _DOI.match(cell):
        add_link(paper, "Paper", f"https://doi.org/{cell}")
    elif _URL.match(cell):
        add_link(paper, label_for(name, cell), cell)
    else:
        paper.notes.append(Note(f"{name}: {cell}" if name else cell))
