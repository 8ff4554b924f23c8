"""`notes-kit links` and the `lint --check-links` hook: run the check, apply NK308 fixes on
request, print the findings with the ordinary reporters."""

from __future__ import annotations

import argparse
import os
from typing import Any, TextIO

from notes_kit.core.findings import Finding, FixKind, InputError
from notes_kit.links.run import LinksResult, run_links
from notes_kit.lint.config import Config
from notes_kit.lint.rules.links import MOVED


def cmd_links(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.status import configs_from_args, error_status
    from notes_kit.run.progress import progress_for

    configs = configs_from_args(args)
    config = configs(args.paths[0] if args.paths else ".")
    result = run_links(args.paths, config, use_cache=not args.no_cache,
                       changed_since=args.changed_since, progress=progress_for(err))
    for message in result.errors:
        print(f"notes-kit: {message}", file=err)
    if result.offline:
        print(f"notes-kit: {result.offline}; no link was checked", file=err)
        return 2
    findings = result.findings
    if args.fix and args.unsafe_fixes:
        findings = apply_moves(result, out, err)
    if args.format == "text":
        print(f"notes-kit: {summary(result)}", file=err)
    report(findings, args.format, out)
    if result.errors:
        return 2
    return error_status(findings, configs)


def summary(result: LinksResult) -> str:
    counted = f"{result.links} links, {result.checks} to check online: {result.cached} " \
              f"from the cache, {result.checks - result.cached} checked ({result.requests} " \
              "requests)"
    return counted + (f"; {result.excluded} excluded" if result.excluded else "")


def lint_hook(args: argparse.Namespace, config: Config, found: Any, err: TextIO) -> bool:
    """`lint --check-links`: add the link findings to the lint result `found` (its
    `findings` list); True when there is no network (said once on `err`)."""
    from notes_kit.run.progress import progress_for

    result = run_links(args.paths, config, use_cache=not args.no_cache,
                       changed_since=args.changed_since, progress=progress_for(err))
    if result.offline:
        print(f"notes-kit: {result.offline}; no link was checked", file=err)
        return True
    found.findings = sorted([*found.findings, *result.findings])  # unreadable pages: lint
    return False  # reports them itself


def apply_moves(result: LinksResult, out: TextIO, err: TextIO) -> list[Finding]:
    """Write the NK308 edits (unsafe fixes) into their pages; the findings left to report."""
    from notes_kit.core.edits import apply_edits, compatible
    from notes_kit.core.files import atomic_write, read_source

    fixable: dict[str, list[Finding]] = {}
    left: list[Finding] = []
    for finding in result.findings:
        if finding.rule == MOVED and finding.fix is FixKind.UNSAFE and finding.edits:
            fixable.setdefault(finding.path, []).append(finding)
        else:
            left.append(finding)
    for path, moves in fixable.items():
        text = result.texts[path]
        try:
            if read_source(path) != text:
                raise InputError(path, "changed while its links were checked; not fixed")
            chosen, deferred = compatible(text, moves)
            atomic_write(path, apply_edits(text, [e for f in chosen for e in f.edits]))
        except InputError as exc:
            print(f"notes-kit: {exc}", file=err)
            result.errors.append(str(exc))
            left.extend(moves)
            continue
        left.extend(deferred)
        for finding in chosen:
            print(f"{path}:{finding.line}: {MOVED} {_old(finding, text)} -> "
                  f"{finding.suggestions[0]}", file=out)
        twin = os.path.splitext(path)[0] + ".yaml"
        if os.path.exists(twin):
            print(f"notes-kit: {twin} is now out of date; run 'notes-kit sync {path}'", file=err)
    return sorted(left)


def _old(finding: Finding, text: str) -> str:
    row = text.split("\n")[finding.line - 1]
    return row[finding.column - 1 : finding.end_column - 1]


def report(findings: list[Finding], fmt: str, out: TextIO) -> None:
    """The ordinary reporters (JSON and SARIF carry each fix's edits)."""
    from notes_kit.cli.reporters import REPORTERS
    from notes_kit.lint.rules.registry import all_rules

    color = fmt == "text" and out.isatty() and not os.environ.get("NO_COLOR")
    out.write(REPORTERS[fmt](findings, all_rules(), color=color))
