"""BibTeX exports (ACM, DBLP, Crossref): one paper per entry, `@proceedings` as the volume.

Parsed by bibtexparser (imported here only: `lint` never pays for it), LaTeX decoded to
Unicode. A block bibtexparser cannot read is an error naming its line: an export that is
cut or garbled must not turn into a page silently missing papers.
"""

from __future__ import annotations

import re
from typing import Any

from notes_kit.core.findings import InputError
from notes_kit.core.model import Note
from notes_kit.importers.common import (
    Imported,
    ImportedPaper,
    Unplaced,
    add_link,
    award_tag,
    clean_name,
    escape_title,
    label_from_url,
    one_line,
)

PAPER_TYPES = {"inproceedings", "conference", "article", "incollection", "inbook", "misc"}
_SERIES = re.compile(r"^(?P<venue>[A-Za-z][\w/&+-]*(?:\s[A-Za-z][\w/&+-]*)*)\s*['’](?P<yy>\d{2})$")


def read_bibtex(path: str, text: str) -> Imported:
    library = _parse(path, text)
    found = Imported(path)
    for entry in library.entries:
        fields = {key.casefold(): one_line(str(f.value)) for key, f in entry.fields_dict.items()}
        line = entry.start_line + 1
        kind = entry.entry_type.casefold()
        if kind == "proceedings":
            _volume(found, fields)
        elif kind in PAPER_TYPES and fields.get("title"):
            found.papers.append(_paper(fields, line))
            _venue_hints(found, fields)
        else:
            what = "entry without a title" if kind in PAPER_TYPES else f"@{kind} entry"
            found.unplaced.append(Unplaced(line, entry.raw.strip(), what))
    if not library.entries:
        raise InputError(path, "no BibTeX entries found", 1)
    return found


def _parse(path: str, text: str) -> Any:
    from bibtexparser import parse_string  # type: ignore[attr-defined]
    from bibtexparser.middlewares import LatexDecodingMiddleware

    try:
        library = parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    except Exception as exc:  # the parser's own failures are bad input, not a crash
        raise InputError(path, f"malformed BibTeX: {_first_line(exc)}") from None
    if library.failed_blocks:
        block = library.failed_blocks[0]
        error = getattr(block, "error", None)
        why = _first_line(error) if error is not None else type(block).__name__
        raise InputError(path, f"malformed BibTeX: {why}", int(block.start_line or 0) + 1)
    return library


def _first_line(exc: object) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines[:2])[:200] or type(exc).__name__


def _paper(fields: dict[str, str], line: int) -> ImportedPaper:
    title = fields["title"].replace("{", "").replace("}", "")
    paper = ImportedPaper(escape_title(title), line)
    paper.authors = [name for name in map(_name, _authors(fields.get("author", ""))) if name]
    url = fields.get("url", "")
    if url:
        add_link(paper, label_from_url(url), url)
    doi = fields.get("doi", "")
    if doi:
        doi_url = doi if doi.startswith("http") else f"https://doi.org/{doi}"
        if not url or doi.casefold() not in url.casefold():
            add_link(paper, "Paper", doi_url)
    if fields.get("eprint") and "arxiv" in fields.get("archiveprefix", "").casefold():
        add_link(paper, "arXiv", f"https://arxiv.org/abs/{fields['eprint']}")
    if fields.get("pdf"):
        add_link(paper, "PDF", fields["pdf"])
    for key in ("award", "note"):
        value = fields.get(key, "")
        tag = award_tag(value) if value else None
        if tag:
            paper.tags.append(tag)
        elif value:
            paper.notes.append(Note(f"{key.capitalize()}: {value}"))
    return paper


def _authors(value: str) -> list[str]:
    """`A and B and C`; a hand-written `First Last, First Last, ...` (no `and`, several
    commas) is a list too."""
    value = value.replace("{", "").replace("}", "")
    parts = [part for part in re.split(r"\s+and\s+", value) if part.strip()]
    if len(parts) == 1 and parts[0].count(",") >= 2:
        return [part for part in parts[0].split(",") if part.strip()]
    return parts


def _name(name: str) -> str:
    """`Last, First` and `Last, Jr., First` -> `First Last (Jr.)`."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2:
        name = f"{parts[1]} {parts[0]}"
    elif len(parts) == 3:
        name = f"{parts[2]} {parts[0]} {parts[1]}"
    return clean_name(name)


def _volume(found: Imported, fields: dict[str, str]) -> None:
    url = fields.get("url") or (f"https://doi.org/{fields['doi']}" if fields.get("doi") else "")
    if url:
        found.paper_lists.append(url)
    _venue_hints(found, fields)


def _venue_hints(found: Imported, fields: dict[str, str]) -> None:
    """The venue and year an export states: `series = {SOSP '24}`, `booktitle`, `year`."""
    series = _SERIES.match(fields.get("series", "").strip())
    if series and found.venue is None:
        found.venue = series.group("venue")
        found.year = found.year or (2000 + int(series.group("yy")))
    if found.venue is None and fields.get("booktitle"):
        found.venue = fields["booktitle"]
    year = fields.get("year", "")
    if found.year is None and year.isdigit() and len(year) == 4:
        found.year = int(year)
