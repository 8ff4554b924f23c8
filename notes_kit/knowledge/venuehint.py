"""Which conference a page is about when its `#` heading does not say it: YAML front
matter (`venue:`/`year:`, `title: Summary of NSDI 23`) or the file's path
(`papers/2025/OSDI.md`, `_conferences/osdi2023/results.md`, `osdi23.md`).

Only venues of the registry count, so an arbitrary `notes23.md` names nothing. Each
reader looks at one line or one path part, never at a whole document.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notes_kit.knowledge.registries import Venue

_KEY = re.compile(r"^(?P<key>venue|conference|year|title)\s*:\s*(?P<value>.*?)\s*$", re.I)
_GLUED = re.compile(r"^(?P<name>[A-Za-z][A-Za-z-]*?)[-_]?(?P<year>\d{4}|\d{2})$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def _year(digits: str) -> int | None:
    if len(digits) == 2:
        return 2000 + int(digits)
    return int(digits) if _YEAR.match(digits) else None


def find(name: str, venues: dict[str, Venue]) -> Venue | None:
    """A registry venue by slug or display name, ignoring case."""
    wanted = name.strip().casefold()
    return next((v for v in venues.values() if wanted in (v.slug.casefold(),
                                                            v.name.casefold())), None)


def in_text(text: str, venues: dict[str, Venue]) -> tuple[Venue, int | None] | None:
    """The venue a line of text names (`Summary of NSDI 23`, `SOSP '24`,
    `... Principles, SOSP 2024, Austin`), with the year right after it when there is one."""
    best: tuple[Venue, int | None] | None = None
    for venue in sorted(venues.values(), key=lambda v: -len(v.name)):
        pattern = (rf"(?<![\w/-]){re.escape(venue.name)}(?![\w/-])"
                   r"(?:\s*['’]?\s*(\d{4}|\d{2})\b)?")
        match = re.search(pattern, text, re.I if len(venue.name) > 2 else 0)
        if match:
            year = _year(match.group(1)) if match.group(1) else None
            if best is None or (year is not None and best[1] is None):
                best = (venue, year)
            if year is not None:
                break
    return best


def from_front_matter(front: str | None, venues: dict[str, Venue]) -> tuple[Venue, int] | None:
    if not front:
        return None
    values: dict[str, str] = {}
    for line in front.split("\n")[1:-2]:
        match = _KEY.match(line)
        if match:
            values.setdefault(match.group("key").casefold(), match.group("value").strip("'\""))
    name = values.get("venue") or values.get("conference")
    year = values.get("year", "")
    venue = find(name, venues) if name else None
    if venue is None and name:
        named = in_text(name, venues)
        venue, year = (named[0], year or str(named[1] or "")) if named else (None, year)
    if venue is not None and year.isdigit() and _year(year):
        return venue, int(year)
    named = in_text(values.get("title", ""), venues)
    if named and named[1] is not None:
        return named[0], named[1]
    return None


def from_path(path: str, venues: dict[str, Venue]) -> tuple[Venue, int] | None:
    """`<year>/<VENUE>.md`, `<venue><year>/<page>.md` and `<venue><yy>.md`."""
    if path.startswith("<"):
        return None
    parts = PurePath(path)
    stem, parent = parts.stem, parts.parent.name
    if _YEAR.match(parent) and find(stem, venues):
        return find(stem, venues), int(parent)  # type: ignore[return-value]
    for candidate in (stem, parent):
        glued = _GLUED.match(candidate)
        if glued and "-" not in candidate and "_" not in candidate:
            venue, year = find(glued.group("name"), venues), _year(glued.group("year"))
            if venue is not None and year is not None:
                return venue, year
    return None


def could_name(path: str, front: str | None) -> bool:
    """Cheap first look, before any registry is loaded: could the path or front matter
    name a venue at all?"""
    if front and re.search(r"(?im)^(?:venue|conference|year|title)\s*:", front):
        return True
    parts = PurePath(path)
    return any(ch.isdigit() for ch in parts.stem + parts.parent.name) and not path.startswith("<")


def name_of_page(path: str, front: str | None) -> tuple[str, int, str] | None:
    """(venue name, year, what named it) for a page whose heading does not say `# VENUE
    YEAR`: its front matter, else its file path; the parser's `namer`."""
    if not could_name(path, front):
        return None
    from notes_kit.knowledge.registries import load_venues

    venues = load_venues()
    said = from_front_matter(front, venues)
    hit = said or from_path(path, venues)
    if hit is None:
        return None
    return hit[0].name, hit[1], "front matter" if said else "file path"
