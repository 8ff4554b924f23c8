"""NK7xx (and NK404): checks across the pages of a collection, run when several files are linted.

Only Markdown conference pages take part; a file that cannot be read or is not
a conference page is skipped silently (the per-file lint reports it). Inline
suppressions (`<!-- notes-kit: disable-next-line NK701 -->`) apply as usual.
The result is sorted, so it does not depend on the order the files came in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.config import Config
from notes_kit.lint.rules import facts as _facts
from notes_kit.lint.rules import meta as _meta  # noqa: F401  (registers NK2xx before we extend them)
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.facts import PageFacts, squash
from notes_kit.lint.rules.registry import RULES, Rule, register


class _Papers:
    """Every paper of the collection numbered in order, so a dict can point at one with an int."""

    def __init__(self, sources: list[PageFacts]) -> None:
        self.sources = sources
        self.starts = list(accumulate((len(s.keys) for s in sources), initial=0))[:-1]

    def find(self, number: int) -> tuple[PageFacts, int]:
        page = bisect_right(self.starts, number) - 1
        return self.sources[page], number - self.starts[page]


def duplicate_papers(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK701: every occurrence of a paper after its first one (by path, then line)."""
    papers = _Papers(sources)
    seen: dict[str, int] = {}
    for src, start in zip(sources, papers.starts, strict=True):
        for index, key in enumerate(src.keys):
            if not key:
                continue
            first = seen.setdefault(key, start + index)
            if first != start + index:
                page, at = papers.find(first)
                yield duplicate(src, index, page.where(at))


def duplicate(src: PageFacts, index: int, where: str) -> Finding:
    """NK701 on paper `index` of `src`, first listed at `where` (the one wording, for the
    full computation here and the incremental one of groups.py)."""
    return Finding(src.path, src.spots[3 * index], src.spots[3 * index + 1], "NK701",
                   f"'{src.title(index)}' is already listed at {where}: keep one entry",
                   RULES["NK701"].severity, end_line=src.spots[3 * index],
                   end_column=src.spots[3 * index + 1] + len(src.title(index)))


def shared_urls(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK702: a paper link whose URL an earlier, differently titled paper already uses.

    Meta Info URLs (homepages, paper lists) and SHARED_LABELS links are not compared.
    """
    skip = set().union(*(src.meta_urls for src in sources))
    papers = _Papers(sources)
    owners: dict[str, int] = {}
    for src, start in zip(sources, papers.starts, strict=True):
        raw = dict(src.raw_urls)
        for number, target in enumerate(src.urls):
            if target in skip:
                continue
            index, line, column = src.links[3 * number : 3 * number + 3]
            owner = owners.setdefault(target, start + index)
            if owner == start + index:
                continue
            page, at = papers.find(owner)
            if page.keys[at] != src.keys[index]:
                yield Finding(src.path, line, column, "NK702",
                              f"{raw.get(number, target)} is also the link of "
                              f"'{page.title(at)}' ({page.where(at)})", RULES["NK702"].severity)


def stale_twins(sources: list[PageFacts]) -> Iterator[Finding]:
    """NK703: the `.yaml` twin of a `<venue>-<year>.md` page exists but says something else."""
    from notes_kit.core.paths import twin_of

    for src in sources:
        if src.twin_stale:
            yield Finding(twin_of(src.path), 1, 1, "NK703", f"out of date with {src.path}; run "
                          f"'notes-kit sync {src.path}'", RULES["NK703"].severity)


def _alias_table(config: Config) -> dict[str, str]:
    """Spelling-blind key -> canonical short name, for every alias and canonical name."""

    aliases = Context("<collection>", "", config).affiliations
    table = {squash(alias): canonical for alias, canonical in aliases.items()}
    table.update({squash(canonical): canonical for canonical in aliases.values()})
    return table


def affiliation_spellings(sources: list[PageFacts], config: Config) -> Iterator[Finding]:
    """NK404: one institution written two ways; reported once per other spelling."""
    table = _alias_table(config)
    # institution -> spelling -> [count, (path, line, column) of its first use]
    places: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    for src in sources:
        for name, count, line, column in src.affiliations:
            ident = squash(table.get(squash(name), name))
            spot = places[ident].get(name)
            if spot is None:
                places[ident][name] = [count, (src.path, line, column)]
            else:
                spot[0] += count
    for ident, spellings in sorted(places.items()):
        if len(spellings) < 2:
            continue
        canonical = table.get(ident)
        preferred = canonical if canonical in spellings else min(
            spellings, key=lambda s: (-spellings[s][0], spellings[s][1]))
        path, line, _ = spellings[preferred][1]
        for name, (_, here) in sorted(spellings.items()):
            if name == preferred:
                continue
            yield Finding(here[0], here[1], here[2], "NK404",
                          f"'{name}' and '{preferred}' ({path}:{line}) name the same "
                          f"institution: write it one way", RULES["NK404"].severity,
                          end_line=here[1], end_column=here[2] + len(name),
                          suggestions=(preferred,))


def _suppressed(findings: list[Finding], sources: list[PageFacts]) -> list[Finding]:
    from notes_kit.lint.suppress import apply

    kept_by = {src.path: src.suppressions for src in sources if src.suppressions is not None}
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
        facts = known[path] if path in known else _facts.read_facts(path, twin=twins)
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
