"""One link-check run: pages -> written URLs -> checks (cache first) -> findings.

Each distinct check is made once however many papers share the URL, and reported at every
place it is written. `changed_since` keeps the URLs that `notes_kit.run.changed` would keep a
finding for (the papers a branch changed, or a changed page head), before anything is
requested. No network at all is one message (`offline`), never a finding per link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Finding, InputError
from notes_kit.links.outcome import NO_NETWORK, Outcome
from notes_kit.links.specs import Spec, spec_for
from notes_kit.links.store import Store
from notes_kit.links.targets import Target
from notes_kit.lint.config import Config
from notes_kit.lint.link_settings import LinkSettings, from_config
from notes_kit.lint.rules.links import DEAD, LINK_RULES

if TYPE_CHECKING:
    import httpx

    from notes_kit.run.progress import Progress


@dataclass
class LinksResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    offline: str | None = None  # why no link could be checked: no network at all
    links: int = 0  # written URLs looked at
    excluded: int = 0  # ... of which links.exclude skipped
    checks: int = 0  # distinct checks those need
    cached: int = 0  # ... answered by the cache
    requests: int = 0  # HTTP requests sent
    texts: dict[str, str] = field(default_factory=dict)  # each page's text, for fixes


def collect(paths: list[str], config: Config, result: LinksResult) -> list[Target]:
    """Every written URL of the conference pages among `paths` whose rules are enabled."""
    from notes_kit.core.files import read_source
    from notes_kit.format.markdown.parse import NotConferencePage
    from notes_kit.links.targets import page_targets
    from notes_kit.pages import parse_page
    from notes_kit.run.discover import conference_pages

    targets: list[Target] = []
    for path in conference_pages(paths):
        if not any(config.enabled(rule, path) for rule in LINK_RULES):
            continue
        try:
            text = read_source(path)
            page = parse_page(text, path).page
        except NotConferencePage:
            continue
        except (InputError, RecursionError) as exc:
            result.errors.append(str(exc))
            continue
        result.texts[path] = text
        targets.extend(page_targets(page, text, path))
    return targets


def changed_targets(targets: list[Target], ref: str) -> list[Target]:
    """The targets that `--changed-since REF` would report a finding for."""
    from notes_kit.run.changed import only_changed

    marks = [(Finding(t.path, t.line, t.column, DEAD, ""), t) for t in targets]
    kept = set(only_changed([mark for mark, _ in marks], ref))
    return [target for mark, target in marks if mark in kept]


def run_links(paths: list[str], config: Config, settings: LinkSettings | None = None, *,
              use_cache: bool = True, changed_since: str | None = None,
              progress: Callable[[int], Progress] | None = None, store: Store | None = None,
              transport: httpx.AsyncBaseTransport | None = None) -> LinksResult:
    from notes_kit.links.verdicts import offline_verdict, verdict

    settings = settings or from_config(config)
    result = LinksResult()
    targets = collect(paths, config, result)
    if changed_since:
        targets = changed_targets(targets, changed_since)
    result.links = len(targets)
    kept = [t for t in targets if not settings.excluded(t.url)]
    result.excluded = len(targets) - len(kept)
    by_spec: dict[Spec, list[Target]] = {}
    for target in kept:
        by_spec.setdefault(spec_for(target.url, target.path, settings), []).append(target)
    online = [spec for spec in by_spec if spec.online]
    result.checks = len(online)
    outcomes = _outcomes(online, settings, result, use_cache, progress, store, transport)
    if result.offline:
        return result
    findings: list[Finding] = []
    for spec, written in by_spec.items():
        for target in written:
            found = outcomes.get(spec)
            made = (verdict(target, spec, found, settings.accept) if found is not None
                    else offline_verdict(target, spec))
            findings.extend([made] if made is not None else [])
    result.findings = _filtered(findings, config, result.texts)
    return result


def _outcomes(specs: list[Spec], settings: LinkSettings, result: LinksResult, use_cache: bool,
              progress: Callable[[int], Progress] | None, store: Store | None,
              transport: Any) -> dict[Spec, Outcome]:
    """Fresh cached outcomes, and new checks for the rest (stored as each one ends)."""
    if store is None:
        from notes_kit.core.store import cache_dir

        store = Store(cache_dir(), read=use_cache, write=use_cache)
    outcomes: dict[Spec, Outcome] = {}
    todo: list[Spec] = []
    for spec in specs:
        cached = store.fresh(spec.key(), settings)
        if cached is not None:
            outcomes[spec] = cached
        else:
            todo.append(spec)
    result.cached = len(outcomes)
    if not todo:
        return outcomes
    import asyncio

    from notes_kit.links.http import check_all

    bar = progress(len(todo)) if progress is not None else None

    def done(spec: Spec, found: Outcome) -> None:
        store.put(spec.key(), found)
        if bar is not None:
            bar.advance()

    try:
        fresh, offline = asyncio.run(check_all(todo, settings, transport=transport,
                                               on_result=done))
    finally:
        if bar is not None:
            bar.close()
    result.requests = sum(found.requests for found in fresh.values())
    if offline is None and fresh and all(f.error == NO_NETWORK for f in fresh.values()):
        offline = f"no network: none of {len(fresh)} links could be reached " \
                  f"({next(iter(fresh.values())).detail})"
    result.offline = offline
    outcomes.update(fresh)
    return outcomes


def _filtered(findings: list[Finding], config: Config, texts: dict[str, str]) -> list[Finding]:
    """Config select/ignore/per-file-ignores, then the pages' suppression comments."""
    from notes_kit.lint.suppress import apply, parse_suppressions

    kept: list[Finding] = []
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if config.enabled(finding.rule, finding.path):
            by_path.setdefault(finding.path, []).append(finding)
    for path, found in by_path.items():
        suppressions, _ = parse_suppressions(texts.get(path, ""), path)
        kept.extend(apply(found, suppressions, active=lambda rule: False))
    return sorted(kept)
