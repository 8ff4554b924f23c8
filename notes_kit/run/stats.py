"""`notes-kit stats`: papers, topics, links and acceptance rate per conference page."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from notes_kit.core.findings import InputError
from notes_kit.core.model import Page, Rate, Topic


@dataclass
class Acceptance:
    """An acceptance figure and where it came from."""

    accepted: int
    submitted: int
    source: str  # "rate" (the page's one figure), "total" (its Total entry) or "sum" (of cycles)

    @property
    def percent(self) -> float:
        value = Decimal(100 * self.accepted) / Decimal(self.submitted)
        return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def text(self) -> str:
        mark = "*" if self.source == "sum" else ""
        return f"{self.percent:.1f}% ({self.accepted}/{self.submitted}){mark}"


@dataclass
class PageStats:
    """The figures `notes-kit stats` prints for one page."""

    path: str
    venue: str
    year: int
    papers: int
    topics: int
    links: dict[str, int] = field(default_factory=dict)
    acceptance: Acceptance | None = None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        if self.acceptance is not None:
            data["acceptance"]["percent"] = self.acceptance.percent
        return data


def acceptance_of(rates: list[Rate]) -> Acceptance | None:
    """The page's overall figure: its only rate, its `Total`, else the sum of its top-level
    cycles (marked `*` in the table); None without a usable rate."""
    rated = [r for r in rates if r.accepted is not None and r.submitted]
    total = [r for r in rated if (r.label or "").strip().casefold() == "total"]
    if total:
        return Acceptance(total[0].accepted or 0, total[0].submitted or 0, "total")
    if len(rated) == 1:
        return Acceptance(rated[0].accepted or 0, rated[0].submitted or 0, "rate")
    if rated:
        return Acceptance(sum(r.accepted or 0 for r in rated),
                          sum(r.submitted or 0 for r in rated), "sum")
    return None


def page_stats(page: Page, path: str) -> PageStats:
    papers = page.papers()
    topics = sum(isinstance(t, Topic) for s in page.sections for t in s.topics)
    links = Counter(link.label for paper in papers for link in paper.links)
    rates = page.meta.acceptance_rate if page.meta else []
    return PageStats(path, page.venue, page.year, len(papers), topics,
                     dict(sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))),
                     acceptance_of(rates))


def collect(paths: list[str]) -> list[PageStats]:
    """Stats of every Markdown conference page under `paths`; other files are skipped."""
    from notes_kit.core.files import read_source
    from notes_kit.pages import parse_page
    from notes_kit.run.discover import expand

    found: list[PageStats] = []
    for path in expand(paths):
        if not path.endswith((".md", ".markdown")):
            continue
        try:
            found.append(page_stats(parse_page(read_source(path), path).page, path))
        except (InputError, RecursionError):
            continue
    return sorted(found, key=lambda s: (s.venue.casefold(), s.year, s.path))


def totals(stats: list[PageStats]) -> PageStats:
    links: Counter[str] = Counter()
    for item in stats:
        links.update(item.links)
    rated = [s.acceptance for s in stats if s.acceptance is not None]
    acceptance = Acceptance(sum(a.accepted for a in rated), sum(a.submitted for a in rated),
                            "sum") if rated else None
    return PageStats("", "Total", 0, sum(s.papers for s in stats), sum(s.topics for s in stats),
                     dict(sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))), acceptance)


def _links_text(links: dict[str, int]) -> str:
    return " ".join(f"{label}:{count}" for label, count in links.items()) or "-"


def render_text(stats: list[PageStats]) -> str:
    header = ("venue", "year", "papers", "topics", "acceptance", "links")
    rows = [(s.venue, str(s.year), str(s.papers), str(s.topics),
             s.acceptance.text() if s.acceptance else "-", _links_text(s.links)) for s in stats]
    total = totals(stats)
    pages = f"{len(stats)} page" + ("" if len(stats) == 1 else "s")
    rows.append((f"Total ({pages})", "", str(total.papers), str(total.topics),
                 total.acceptance.text().rstrip("*") if total.acceptance else "-",
                 _links_text(total.links)))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    right = {1, 2, 3}

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.rjust(w) if i in right else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row[:-1], widths, strict=True))]
        return "  ".join([*cells, row[-1]]).rstrip()

    out = [line(header), line(tuple("-" * w for w in widths) + ("-----",))]
    out += [line(row) for row in rows[:-1]]
    out += [line(tuple("-" * w for w in widths) + ("-----",)), line(rows[-1])]
    if any(s.acceptance and s.acceptance.source == "sum" for s in stats):
        out.append("* sum of the page's cycles (it has no Total entry)")
    return "\n".join(out) + "\n"


def render_json(stats: list[PageStats]) -> str:
    return json.dumps([s.as_json() for s in stats], indent=2, ensure_ascii=False) + "\n"
