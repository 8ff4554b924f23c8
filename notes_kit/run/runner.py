"""Running lint/fix over many files: discovery, the runs (notes_kit.run.parallel), collecting
results. The work on one file is notes_kit.run.worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notes_kit.core.findings import Finding, InputError
from notes_kit.lint.config import Config, Configs
from notes_kit.run.worker import FileOutcome

if TYPE_CHECKING:
    from notes_kit.run.progress import Start


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    change_lines: list[str] = field(default_factory=list)
    diff: str = ""
    changed: bool = False
    fixed_files: int = 0  # files a fix changed (or would change, with --diff)
    fixed_count: int = 0  # findings fixed in them
    outcomes: list[FileOutcome] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # changed while fixed: not written (exit 1)
    notices: list[str] = field(default_factory=list)  # said on stderr, not failures


def run_lint(paths: list[str], config: Config | Configs, *, fix: bool = False,
             write: bool = True, unsafe: bool = False, jobs: int = 0, use_cache: bool = True,
             changed_since: str | None = None, force_exclude: bool = False,
             on_file: Callable[[FileOutcome], None] | None = None,
             progress: Start | None = None) -> RunResult:
    """Lint (or fix) what `paths` name, each file with its own config (`config` may be one
    Config for all); `on_file` is told of each file as it is done, in order, and
    `progress` (notes_kit.run.progress) counts them."""
    from notes_kit.knowledge.registry_files import named_paths
    from notes_kit.lint.ignore import Excluder
    from notes_kit.run.discover import expand

    config_of = config if isinstance(config, Configs) else (lambda _path: config)
    result = RunResult()
    files = expand(paths, Excluder(config_of), force_exclude,
                   named_paths(config_of(paths[0] if paths else ".")), result.notices)
    from notes_kit.run.parallel import LintRun

    # One page alone is still checked for a paper or URL listed twice in it; the twin
    # check (NK703, which loads the YAML machinery) waits for a run over several files.
    several = len(files) > 1 or any(not p.endswith((".md", ".yaml", ".yml")) for p in paths)
    collect = "collection" if several else "page"
    outcomes = []
    diffs: list[str] = []
    bar = progress(len(files)) if progress is not None else None
    try:
        for run_config, run_files in _runs(files, config_of):
            run = LintRun(run_files, run_config, fix=fix, unsafe=unsafe, jobs=jobs,
                          use_cache=use_cache, collect=collect)
            for outcome in run.outcomes():
                _collect(outcome, result, write, diffs)
                outcome.fixed = outcome.original = None  # no text outlives its file
                outcomes.append(outcome)
                if bar is not None:
                    bar.advance()
                if on_file is not None:
                    on_file(outcome)
            # the collection rules compare the pages that share a config
            result.findings.extend(f for f in run.collection_findings()
                                   if config_of(f.path).enabled(f.rule, f.path))
    finally:
        if bar is not None:
            bar.close()
    result.diff = "".join(diffs)
    if changed_since:
        from notes_kit.run.changed import only_changed

        result.findings = only_changed(result.findings, changed_since)
    result.findings.sort()
    result.outcomes = outcomes
    return result


def _runs(files: list[str], config_of: Callable[[str], Config]
          ) -> Iterator[tuple[Config, list[str]]]:
    """Files in order, in runs of consecutive files that share a config."""
    run: list[str] = []
    current: Config | None = None
    for path in files:
        config = config_of(path)
        if run and config is not current:
            assert current is not None
            yield current, run
            run = []
        current = config
        run.append(path)
    if run and current is not None:
        yield current, run


def _collect(outcome: FileOutcome, result: RunResult, write: bool, diffs: list[str]) -> None:
    from notes_kit.core.files import Changed, atomic_write

    if outcome.error:
        result.errors.append(outcome.error)
        return
    result.findings.extend(outcome.findings)
    if outcome.fixed is None or outcome.original is None:
        return
    changes = [f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} {what}"
               for finding, what in outcome.applied]
    if write:
        try:
            atomic_write(outcome.path, outcome.fixed, expect=outcome.read_as)
        except Changed as exc:
            result.stale.append(str(exc))
            return  # nothing was changed
        except InputError as exc:
            result.errors.append(str(exc))
            return
    result.changed = True
    result.fixed_files += 1
    result.fixed_count += len(outcome.applied)
    result.change_lines.extend(changes)
    if not write:
        import difflib

        shown = outcome.fixed.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        diffs.extend(difflib.unified_diff(
            outcome.original.splitlines(True), shown.splitlines(True),
            f"a/{outcome.path}", f"b/{outcome.path}"))
