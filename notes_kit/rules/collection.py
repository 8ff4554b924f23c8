"""NK7xx (and NK404): checks across the pages of a collection, run when several files are linted.

Only Markdown conference pages take part; a file that cannot be read or is not
a conference page is skipped silently (the per-file lint reports it). Inline
suppressions (`<!-- notes-kit: disable-next-line NK701 -->`) apply as usual.
The result is sorted, so it does not depend on the order the files came in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from notes_kit.config import Config
from notes_kit.findings import Finding, FixKind, InputError, Severity
from notes_kit.model import Page, Paper
from notes_kit.rules import meta as _meta  # noqa: F401  (registers NK2xx before we extend them)
from notes_kit.rules.context import Context
from notes_kit.rules.registry import RULES, Rule, register
from notes_kit.suppress import Suppressions

_ESCAPE = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"[*_`~]+")
_PUNCT = re.compile(r"[^\w\s]")
_SQUASH = re.compile(r"[\W_]+")
# Links that may rightly serve several papers (one repository or project site for a series).
SHARED_LABELS = frozenset({"Code", "Homepage", "Dataset", "Benchmark", "Trace", "Docs", "Blog"})


def normalise_title(title: str) -> str:
    """A paper's identity: casefolded, no Markdown emphasis, escapes or punctuation."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _EMPHASIS.sub("", _ESCAPE.sub(r"\1", text))
    return " ".join(_PUNCT.sub(" ", text).split())


def _squash(name: str) -> str:
    """An institution's spelling-blind key: `UT-Austin`, `UT Austin` and `ut austin` agree."""
    return _SQUASH.sub("", unicodedata.normalize("NFKC", name).casefold())


def url_key(url: str) -> str:
    """Scheme and host are case-blind, http is https, a trailing slash is ignored."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() == "http" else parts.scheme.lower()
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, parts.fragment))


@dataclass(frozen=True)
class PaperFacts:
    """What the collection rules need of one paper (not the paper itself)."""

    key: str  # normalised title
    title: str
    line: int
    column: int
    links: tuple[tuple[str, str, int, int], ...]  # label, url, line, column
    affiliation_line: int
    affiliations: tuple[tuple[str, int], ...]  # name, 1-based column


@dataclass(frozen=True)
class PageFacts:
    """A page reduced to what NK7xx/NK404 compare, so a collection run holds no page models."""

    path: str
    papers: tuple[PaperFacts, ...]
    meta_urls: frozenset[str]
    suppressions: Suppressions
    twin_stale: bool = False


def page_facts(path: str, text: str, page: Page, *, twin: bool = True) -> PageFacts:
    """Extract the facts of one parsed conference page (done while it is linted)."""
    from notes_kit.suppress import parse_suppressions

    rows = text.split("\n")
    papers = tuple(_paper_facts(paper, rows) for paper in page.papers())
    meta = page.meta
    urls: set[str] = set()
    if meta is not None:
        urls.update(url_key(item.url) for item in meta.paper_lists)
        if meta.homepage:
            urls.add(url_key(meta.homepage))
    suppressions, _ = parse_suppressions(text, path, "markdown")
    stale = _twin_stale(path, page) if twin else False
    return PageFacts(path, papers, frozenset(urls), suppressions, stale)


def _paper_facts(paper: Paper, rows: list[str]) -> PaperFacts:
    names = [a.strip() for a in paper.affiliations]
    columns = _name_columns(rows, paper.affiliation_line, names)
    return PaperFacts(normalise_title(paper.title), paper.title, paper.line, paper.column,
                      tuple((x.label, x.url, x.line, x.column) for x in paper.links),
                      paper.affiliation_line, tuple(zip(names, columns, strict=True)))


def _name_columns(rows: list[str], line: int, names: list[str]) -> list[int]:
    """1-based column of each institution of an affiliation line (joined by ' & ')."""
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    at = row.find(" & ".join(names))
    columns = []
    for name in names:
        found = row.find(name, max(at, 0))
        columns.append(found + 1 if found >= 0 else 1)
        at = found + len(name) if found >= 0 else at
    return columns


def _twin_stale(path: str, page: Page) -> bool:
    """NK703's question, asked while the page is parsed: does its `.yaml` twin differ?"""
    from notes_kit.commands import is_conference_name, twin_of

    twin = twin_of(path)
    if not is_conference_name(path) or not Path(twin).is_file():
        return False
    from notes_kit.api import page_to_yaml

    try:
        expected = page_to_yaml(page, twin)
        current = Path(twin).read_text(encoding="utf-8").replace("\r\n", "\n")
    except (InputError, OSError, UnicodeDecodeError):
        return False
    return current != expected


def read_facts(path: str, *, twin: bool = True) -> PageFacts | None:
    """Facts of a file read and parsed here; None when it is not a readable conference page."""
    from notes_kit.files import read_source
    from notes_kit.parse import parse_page

    if not path.endswith((".md", ".markdown")):
        return None
    try:
        text = read_source(path)
        return page_facts(path, text, parse_page(text, path).page, twin=twin)
    except (InputError, RecursionError):
        return None


def _where(path: str, line: int) -> str:
    return f"{path}:{line}"


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 3].rstrip() + "..."


def duplicate_papers(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK701: every occurrence of a paper after its first one (by path, then line)."""
    seen: dict[str, tuple[str, PaperFacts]] = {}
    for src in sources:
        for paper in src.papers:
            key = paper.key
            if not key:
                continue
            if key not in seen:
                seen[key] = (src.path, paper)
                continue
            path, first = seen[key]
            yield Finding(src.path, paper.line, paper.column, "NK701",
                          f"'{_short(paper.title)}' is already listed at "
                          f"{_where(path, first.line)}", RULES["NK701"].severity)


def shared_urls(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK702: a paper link whose URL an earlier, differently titled paper already uses.

    Meta Info URLs (homepages, paper lists) and SHARED_LABELS links are not compared.
    """
    skip = set().union(*(src.meta_urls for src in sources))
    owners: dict[str, tuple[str, PaperFacts]] = {}
    for src in sources:
        for paper in src.papers:
            for label, url, line, column in paper.links:
                target = url_key(url)
                if label in SHARED_LABELS or not target or target in skip:
                    continue
                if target not in owners:
                    owners[target] = (src.path, paper)
                    continue
                path, owner = owners[target]
                if owner.key != paper.key:
                    yield Finding(src.path, line, column, "NK702",
                                  f"{url} is also the link of '{_short(owner.title)}' "
                                  f"({_where(path, owner.line)})", RULES["NK702"].severity)


def stale_twins(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK703: the `.yaml` twin of a `<venue>-<year>.md` page exists but says something else."""
    from notes_kit.commands import twin_of

    for src in sources:
        if src.twin_stale:
            yield Finding(twin_of(src.path), 1, 1, "NK703", f"out of date with {src.path}; run "
                          f"'notes-kit sync {src.path}'", RULES["NK703"].severity)


def _alias_table(config: Config) -> dict[str, str]:
    """Spelling-blind key -> canonical short name, for every alias and canonical name."""

    aliases = Context("<collection>", "", config).affiliations
    table = {_squash(alias): canonical for alias, canonical in aliases.items()}
    table.update({_squash(canonical): canonical for canonical in aliases.values()})
    return table


def affiliation_spellings(sources: list[PageFacts], config: Config) -> Iterator[Finding]:
    """NK404: one institution written two ways; reported once per other spelling."""
    table = _alias_table(config)
    places: dict[str, dict[str, list[tuple[str, int, int]]]] = defaultdict(dict)
    for src in sources:
        for paper in src.papers:
            line = paper.affiliation_line
            for name, column in paper.affiliations:
                key = _squash(name)
                if not key:
                    continue
                ident = _squash(table.get(key, name))
                places[ident].setdefault(name, []).append((src.path, line, column))
    for ident, spellings in sorted(places.items()):
        if len(spellings) < 2:
            continue
        canonical = table.get(ident)
        preferred = canonical if canonical in spellings else min(
            spellings, key=lambda s: (-len(spellings[s]), spellings[s][0]))
        path, line, _ = spellings[preferred][0]
        for name, where in sorted(spellings.items()):
            if name == preferred:
                continue
            here = where[0]
            yield Finding(here[0], here[1], here[2], "NK404",
                          f"'{name}' and '{preferred}' ({_where(path, line)}) name the same "
                          f"institution: write it one way", RULES["NK404"].severity,
                          end_line=here[1], end_column=here[2] + len(name),
                          suggestions=(preferred,))


def _suppressed(findings: list[Finding], sources: list[PageFacts]) -> list[Finding]:
    from notes_kit.suppress import apply

    kept_by = {src.path: src.suppressions for src in sources}
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    kept: list[Finding] = []
    for path, group in by_path.items():
        if path in kept_by:
            group = apply(group, kept_by[path], active=lambda _rule: False)
        kept.extend(group)
    return kept


def collection_findings(files: list[str], config: Config,
                        known: dict[str, PageFacts | None] | None = None, *,
                        twins: bool = True) -> list[Finding]:
    """NK701-703 and NK404 over the Markdown conference pages among `files`, sorted.

    `known` holds the facts the per-file lint already extracted (None for a file
    it found not to be a conference page); other files are read and parsed here,
    one at a time, keeping only their facts.
    """
    known = known or {}
    sources = []
    for path in sorted(set(files)):
        facts = known[path] if path in known else read_facts(path, twin=twins)
        if facts is not None:
            sources.append(facts)
    if not sources:
        return []
    checks: dict[str, Callable[[], Iterator[Finding]]] = {
              "NK701": lambda: duplicate_papers(sources),
              "NK702": lambda: shared_urls(sources),
              "NK703": lambda: stale_twins(sources),
              "NK404": lambda: affiliation_spellings(sources, config)}
    findings: list[Finding] = []
    for rule_id, check in checks.items():
        if any(config.enabled(rule_id, src.path) for src in sources):
            findings.extend(f for f in check() if config.enabled(rule_id, f.path))
    return sorted(set(_suppressed(findings, sources)))


register(Rule(
    "NK404", "affiliation-spelling", "An institution is written the same way in every page",
    Severity.WARNING, FixKind.NONE,
    "Which spelling is right (and whether two spellings really are one institution) is the "
    "author's call; the registry's canonical name is suggested when it knows one.",
    "osdi-2024.md: '* UT-Austin'; sosp-2024.md: '* UT Austin'",
    "both pages: '* UT Austin'", "collection", None))
register(Rule(
    "NK701", "duplicate-paper", "The same paper (by normalised title) is listed twice in the "
    "collection", Severity.WARNING, FixKind.NONE,
    "Which page should keep the paper is the author's call.",
    "osdi-2024.md and sosp-2024.md both list 'PowerInfer: ...'", "each paper in one page",
    "collection", None))
register(Rule(
    "NK702", "shared-url", "One URL is used for two different papers", Severity.ERROR,
    FixKind.NONE, "Only the author knows which paper the URL belongs to. Links that may serve "
    "several papers (Code, Homepage, Dataset, Benchmark, Trace, Docs, Blog) are not compared.",
    "two papers linking https://arxiv.org/abs/2401.00001", "each paper with its own URL",
    "collection", None))
register(Rule(
    "NK703", "yaml-twin-sync", "A page and its .yaml twin say the same thing", Severity.ERROR,
    FixKind.NONE, "Run 'notes-kit sync' to rewrite the twin from the page.",
    "sosp-2024.yaml older than sosp-2024.md", "sosp-2024.yaml == to-yaml(sosp-2024.md)",
    "collection", None))
