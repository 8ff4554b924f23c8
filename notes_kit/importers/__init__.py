"""`notes-kit import`: papers from proceedings exports and from other people's Markdown
styles, into a canonical page (and its YAML twin) or into an existing page.

One module per source format turns a file into an `Imported` value (common.py);
build.py makes the page, merge.py adds to one. Everything is read and checked before
anything is written: bad input writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from notes_kit.core.findings import InputError
from notes_kit.core.paths import twin_of
from notes_kit.importers.common import Imported, Unplaced

if TYPE_CHECKING:
    from notes_kit.knowledge.registries import Venue

# name -> (what it reads, file suffixes)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bibtex": ("BibTeX exports (ACM, DBLP, Crossref)", (".bib", ".bibtex")),
    "dblp": ("DBLP XML (a table of contents, the search API, the dump)", (".xml",)),
    "csv": ("CSV with a header row: title, url, authors, session, award, ...", (".csv",)),
    "markdown": ("Markdown paper lists in other styles (links, tables, sessions)",
                 (".md", ".markdown")),
}


def _reader(kind: str) -> Callable[[str, str], Imported]:
    if kind == "bibtex":
        from notes_kit.importers.bibtex import read_bibtex

        return read_bibtex
    if kind == "dblp":
        from notes_kit.importers.dblp import read_dblp

        return read_dblp
    if kind == "csv":
        from notes_kit.importers.csvfile import read_csv

        return read_csv
    raise ValueError(kind)


def detect(path: str, text: str) -> str:
    """The format by file suffix, else by the first character of the text."""
    suffix = Path(path).suffix.casefold()
    for kind, (_, suffixes) in FORMATS.items():
        if suffix in suffixes:
            return kind
    start = text.lstrip()[:1]
    if start == "@":
        return "bibtex"
    if start == "<":
        return "dblp"
    raise InputError(path, "unknown source format: name it with --format "
                     f"({', '.join(FORMATS)})", 1)


def read_source(path: str, kind: str | None = None,
                venues: dict[str, Venue] | None = None) -> Imported:
    from notes_kit.core.files import read_source as read_text

    text = read_text(path)
    kind = kind or detect(path, text)
    if kind == "markdown":  # only Markdown pages name their venue in free text and paths
        from notes_kit.importers.markdown import read_markdown

        return read_markdown(path, text, venues)
    return _reader(kind)(path, text)


@dataclass
class Plan:
    """What an import will write, computed in full before anything is written."""

    page: str
    twin: str
    text: str
    yaml: str
    papers: int
    present: int = 0  # with --into: papers the page already had
    unplaced: list[tuple[str, Unplaced]] = field(default_factory=list)


def plan(sources: list[str], kind: str | None = None, venue: str | None = None,
         year: int | None = None, output: str | None = None, into: str | None = None,
         venues: dict[str, Venue] | None = None) -> Plan:
    from notes_kit.pages import to_yaml

    read = [read_source(path, kind, venues) for path in sources]
    unplaced = [(source.path, item) for source in read for item in source.unplaced]
    if into is not None:
        from notes_kit.core.files import read_source as read_text
        from notes_kit.importers.merge import merge_into

        merged = merge_into(read_text(into), into, read)
        twin = twin_of(into)
        return Plan(into, twin, merged.text, to_yaml(merged.text, into, twin), merged.added,
                    merged.present, unplaced)
    from notes_kit.importers.build import build_page

    chosen, when = _venue_and_year(read, venue, year, venues or {})
    page = output or f"conferences/{chosen.slug}-{when}.md"
    twin = twin_of(page)
    for target in (page, twin):
        if Path(target).exists():
            raise InputError(target, "already exists; not overwritten (add papers to a page "
                             "with --into)")
    text = build_page(read, chosen, when, page)
    count = sum(len(s.papers) for s in read)
    return Plan(page, twin, text, to_yaml(text, page, twin), count, 0, unplaced)


def _venue_and_year(read: list[Imported], venue: str | None, year: int | None,
                    venues: dict[str, Venue]) -> tuple[Venue, int]:
    from notes_kit.knowledge import venuehint

    where = read[0].path if read else "<import>"
    chosen = venuehint.find(venue, venues) if venue else None
    if venue and chosen is None:
        from notes_kit.run.scaffold import close_matches

        near = close_matches(venue, venues)
        hint = f"did you mean {', '.join(near)}?" if near else "no close match"
        raise InputError(venue, f"unknown venue ({hint}); add it to the venue registry with "
                         "extra-venues")
    hinted: int | None = None
    for source in read:
        named = venuehint.find(source.venue, venues) if source.venue else None
        if source.venue and named is None:
            hit = venuehint.in_text(source.venue, venues)
            if hit:
                named, hinted = hit[0], hinted or hit[1]
        chosen = chosen or named
        year = year or source.year
    year = year or hinted
    if chosen is None or year is None:
        missing = "venue" if chosen is None else "year"
        raise InputError(where, f"the source does not say the {missing}: give --venue and "
                         "--year")
    if not 1000 <= year <= 9999:
        raise InputError(str(year), "the year has four digits")
    return chosen, year


def write(result: Plan) -> None:
    from notes_kit.core.files import atomic_write

    folder = Path(result.page).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(folder), f"cannot create: {exc.strerror}") from None
    atomic_write(result.page, result.text)
    atomic_write(result.twin, result.yaml)
