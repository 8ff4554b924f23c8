"""Running lint/fix over many files: discovery, per-file work, collecting results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notes_kit.config import Config
from notes_kit.findings import Finding, InputError

if TYPE_CHECKING:
    from notes_kit.files import Fingerprint
    from notes_kit.rules.facts import PageFacts


@dataclass
class FileOutcome:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    fixed: str | None = None  # new text when a fix changed the file
    original: str | None = None
    applied: list[Finding] = field(default_factory=list)
    digest: str | None = None  # sha256 of the bytes linted, when the result cache read them
    facts: PageFacts | None = None  # what the collection rules need of a conference page
    facts_known: bool = False  # facts were asked for and None means "not a conference page"
    read_as: Fingerprint | None = None  # the file when it was read: a fix writes only over that


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    change_lines: list[str] = field(default_factory=list)
    diff: str = ""
    changed: bool = False
    outcomes: list[FileOutcome] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # changed while fixed: not written (exit 1)
    notices: list[str] = field(default_factory=list)  # said on stderr, not failures


def process_file(path: str, config: Config, fix: bool, unsafe: bool,
                 data: bytes | None = None, collect: str = "") -> FileOutcome:
    """Lint (and fix in memory) one file; never raises for bad input.

    `data`, when given, is the file's content already read (by the cache).
    """
    from notes_kit.engine import fix as fix_text
    from notes_kit.engine import lint_context
    from notes_kit.files import read_bytes, read_source

    outcome = FileOutcome(path)
    try:
        if data is None:
            data = read_bytes(path)
        text = read_source(path, data)
        endings = line_end_findings(path, data, config)
        if fix:
            result = fix_text(text, path, config, unsafe=unsafe)
            outcome.findings = result.remaining
            if result.text != text or endings:
                from notes_kit.files import fingerprint

                outcome.fixed, outcome.original = result.text, text
                outcome.read_as = fingerprint(path, data)
                outcome.applied = sorted([*endings, *result.changes])
        else:
            outcome.findings, ctx = lint_context(text, path, config)
            outcome.findings = sorted([*endings, *outcome.findings])
            if collect and ctx.parsed is not None:
                from notes_kit.rules.facts import page_facts

                outcome.facts = page_facts(path, text, ctx.parsed.page,
                                           twin=collect == "collection")
            outcome.facts_known = bool(collect)
    except InputError as exc:
        outcome.error = str(exc)
        outcome.facts_known = bool(collect)  # unreadable here, unreadable to the collection too
    except RecursionError:
        outcome.error = f"{path}: input nested too deeply"
        outcome.facts_known = bool(collect)
    return outcome


def line_end_findings(path: str, data: bytes, config: Config) -> list[Finding]:
    """NK503 for what reading normalises away (CRLF or CR line ends, a byte order mark), so
    `fix` writes the file back with LF line ends and no BOM."""
    from notes_kit.findings import FixKind, Severity

    if not config.enabled("NK503", path):
        return []
    found = []
    if data.startswith(b"\xef\xbb\xbf"):
        found.append("a UTF-8 byte order mark; notes are plain UTF-8")
    if b"\r\n" in data:
        found.append("CRLF line ends; notes use LF")
    elif b"\r" in data:
        found.append("CR line ends; notes use LF")
    return [Finding(path, 1, 1, "NK503", message, Severity.ERROR, fix=FixKind.SAFE)
            for message in found]


def run_lint(paths: list[str], config: Config, *, fix: bool = False, write: bool = True,
             unsafe: bool = False, jobs: int = 0, use_cache: bool = True,
             changed_since: str | None = None) -> RunResult:
    from notes_kit.discover import expand
    from notes_kit.registry_files import named_paths

    result = RunResult()
    files = expand(paths, named_paths(config), result.notices)
    from notes_kit.parallel import iter_files

    # One page alone is still checked for a paper or URL listed twice in it; the twin
    # check (NK703, which loads the YAML machinery) waits for a run over several files.
    several = len(files) > 1 or any(not p.endswith((".md", ".yaml", ".yml")) for p in paths)
    collect = "collection" if several else "page"
    outcomes = []
    diffs: list[str] = []
    for outcome in iter_files(files, config, fix=fix, unsafe=unsafe, jobs=jobs,
                              use_cache=use_cache, collect=collect):
        _collect(outcome, result, write, diffs)
        outcome.fixed = outcome.original = None  # written or shown: no text outlives its file
        outcomes.append(outcome)
    result.diff = "".join(diffs)
    if files:
        from notes_kit.parallel import collection_findings

        result.findings.extend(collection_findings(files, config, outcomes, use_cache=use_cache,
                                                   twins=several))
    if changed_since:
        from notes_kit.changed import only_changed

        result.findings = only_changed(result.findings, changed_since)
    result.findings.sort()
    result.outcomes = outcomes
    return result


def _collect(outcome: FileOutcome, result: RunResult, write: bool, diffs: list[str]) -> None:
    from notes_kit.files import Changed, atomic_write

    if outcome.error:
        result.errors.append(outcome.error)
        return
    result.findings.extend(outcome.findings)
    if outcome.fixed is None or outcome.original is None:
        return
    lines = outcome.original.split("\n")
    changes = [f"{finding.path}:{finding.line}: {finding.rule} {_change_text(finding, lines)}"
               for finding in sorted(outcome.applied)]
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
    result.change_lines.extend(changes)
    if not write:
        import difflib

        diffs.extend(difflib.unified_diff(
            outcome.original.splitlines(True), outcome.fixed.splitlines(True),
            f"a/{outcome.path}", f"b/{outcome.path}"))


def _change_text(finding: Finding, lines: list[str]) -> str:
    """`Arxiv -> arXiv` where the finding spans the replaced text, else its message."""
    row = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
    if len(finding.suggestions) == 1 and finding.end_column > finding.column:
        before = row[finding.column - 1 : finding.end_column - 1]
        if before:
            return f"{before} -> {finding.suggestions[0]}"
    return finding.message
