"""`notes-kit new VENUE YEAR`: a new conference page (and its YAML twin) from the venue registry.

The page is canonical Markdown with `TODO` placeholders where only the author
knows the value. The placeholders are valid input, so the page converts and
round-trips, and the checks below make the linter name each one (under the
rule of the line it stands in: NK201 homepage, NK202 paper list, NK203
acceptance rate) until it is filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from notes_kit.core.findings import InputError
from notes_kit.core.paths import twin_of
from notes_kit.knowledge.placeholders import PLACEHOLDER_URL, RATE_PLACEHOLDER

if TYPE_CHECKING:
    from notes_kit.knowledge.registries import Venue



def page_text(venue: Venue, year: int) -> str:
    """The new page, already in canonical form (`fix` leaves it unchanged)."""
    return "\n".join([
        f"# {venue.name} {year}", "",
        "## Meta Info", "",
        venue.full_name, "",
        f"Homepage: <{PLACEHOLDER_URL}>", "",
        "### Paper List", "",
        f"* <{PLACEHOLDER_URL}>", "",
        "### Acceptance Rate", "",
        f"* {RATE_PLACEHOLDER}", "",
        "## Papers", "",
    ])


def find_venue(name: str, venues: dict[str, Venue]) -> Venue | None:
    """By slug or display name, ignoring case."""
    wanted = name.strip().casefold()
    for venue in venues.values():
        if wanted in (venue.slug.casefold(), venue.name.casefold()):
            return venue
    return None


def close_matches(name: str, venues: dict[str, Venue]) -> list[str]:
    import difflib  # only when a venue is unknown

    wanted = name.strip().casefold()
    keys = {v.slug.casefold(): v.slug for v in venues.values()}
    keys.update({v.name.casefold(): v.slug for v in venues.values()})
    hits = difflib.get_close_matches(wanted, list(keys), n=8, cutoff=0.6)
    return list(dict.fromkeys(keys[h] for h in hits))


def create(venue_name: str, year: int | str, directory: str,
           venues: dict[str, Venue]) -> tuple[str, str]:
    """Write `<dir>/<slug>-<year>.md` and its `.yaml` twin; InputError, nothing written, when
    the venue is unknown, the year is not four digits or either file exists."""
    from notes_kit.core.files import atomic_write
    from notes_kit.pages import to_yaml

    venue = find_venue(venue_name, venues)
    if venue is None:
        near = close_matches(venue_name, venues)
        hint = f"did you mean {', '.join(near)}?" if near else "no close match"
        raise InputError(venue_name, f"unknown venue ({hint}); add it to the venue registry "
                         "with extra-venues")
    written = str(year).strip()
    page = Path(directory) / f"{venue.slug}-{written}.md"
    if not (written.isascii() and written.isdigit() and 1000 <= int(written) <= 9999):
        raise InputError(str(page), f"the year must be four digits, 1000 to 9999 (got "
                         f"{written!r}); nothing written")
    twin = Path(twin_of(str(page)))
    for target in (page, twin):
        if target.exists():
            raise InputError(str(target), "already exists; not overwritten")
    text = page_text(venue, int(written))
    yaml_text = to_yaml(text, str(page), str(twin))
    try:
        page.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(page.parent), f"cannot create: {exc.strerror}") from None
    atomic_write(str(page), text)
    atomic_write(str(twin), yaml_text)
    return str(page), str(twin)
