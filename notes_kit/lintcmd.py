"""`notes-kit lint` and `notes-kit fix`: run, then print what a person or a program reads.

Standard output carries one document: the report, or with --diff the diff alone. In the
human formats each file's findings are printed as soon as the file is done, in the order
the files were given or walked; findings across files (NK7xx, NK404) and the summary
come last.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from notes_kit.findings import Finding

if TYPE_CHECKING:
    from notes_kit.runner import FileOutcome, RunResult

NOTHING_FOUND = 5  # like pytest's "no tests collected": the paths held no notes at all


class Printer:
    """Prints findings in a human format as files finish; remembers what it printed."""

    def __init__(self, fmt: str, out: TextIO, brief: bool = False) -> None:
        self.fmt, self.out, self.brief = fmt, out, brief
        self.color = out.isatty() and not os.environ.get("NO_COLOR")
        self.printed: set[int] = set()
        self._lines: dict[str, list[str] | None] = {}

    def source(self, path: str) -> list[str] | None:
        """A file's lines for the full format, read once."""
        if path not in self._lines:
            from notes_kit.files import read_source

            try:
                self._lines[path] = read_source(path).split("\n")
            except Exception:  # noqa: BLE001 - no context then, the finding still prints
                self._lines[path] = None
        return self._lines[path]

    def file(self, outcome: FileOutcome) -> None:
        self.show(sorted(outcome.findings))

    def show(self, findings: list[Finding]) -> None:
        from notes_kit.reporters_text import file_lines

        fresh = [f for f in findings if id(f) not in self.printed]
        self.printed.update(id(f) for f in fresh)
        if self.brief or not fresh:
            return
        lines = file_lines(fresh, self.fmt, self.source, color=self.color)
        if self.fmt == "grouped":
            lines.append("")
        self.out.write("".join(line + "\n" for line in lines))
        self.out.flush()


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.commands import _configs, _status
    from notes_kit.reporters_text import TEXT_FORMATS
    from notes_kit.runner import run_lint

    configs = _configs(args)
    do_fix = args.command == "fix" or bool(getattr(args, "fix", False))
    human = args.format in TEXT_FORMATS
    printer = Printer(args.format, err if args.diff else out, getattr(args, "brief", False))
    stream = human and not do_fix and not args.diff and not args.changed_since
    result = run_lint(args.paths, configs, fix=do_fix or args.diff, write=not args.diff,
                      unsafe=args.unsafe_fixes, jobs=args.jobs, use_cache=not args.no_cache,
                      changed_since=args.changed_since, force_exclude=args.force_exclude,
                      on_file=printer.file if stream else None)
    if getattr(args, "check_links", False):  # online, opt-in: notes_kit.links
        from notes_kit.links.command import lint_hook

        if lint_hook(args, configs(args.paths[0] if args.paths else "."), result, err):
            return 2
    for message in result.errors:
        print(f"notes-kit: {message}", file=err)
    if not result.outcomes and args.paths and all(os.path.isdir(p) for p in args.paths):
        print(f"notes-kit: no notes found in {', '.join(args.paths)} (Markdown pages and "
              "notes YAML, after excludes)", file=err)
        return NOTHING_FOUND
    _print(args, result, printer, out, err)
    if result.errors:
        return 2
    if args.command == "fix" or args.diff:
        return 1 if result.changed else _status(result.findings, configs)
    return _status(result.findings, configs)


def _print(args: argparse.Namespace, result: RunResult, printer: Printer, out: TextIO,
           err: TextIO) -> None:
    from notes_kit.reporters_text import TEXT_FORMATS, fix_summary, paint, summary_line

    fixing = args.command == "fix" or bool(getattr(args, "fix", False)) or args.diff
    changes = out if args.format in TEXT_FORMATS and not args.diff else err
    for line in result.change_lines:
        print(line, file=changes)
    if args.diff:
        out.write(result.diff)
    if result.errors and not result.findings and args.format in TEXT_FORMATS:
        return  # no "All checks passed." after a refusal
    if args.format not in TEXT_FORMATS:
        _document(result.findings, args.format, out)
        return
    printer.show(result.findings)  # what streaming did not print: findings across files
    last = fix_summary(result.findings, result.fixed_count, result.fixed_files, args.diff) \
        if fixing else summary_line(result.findings)
    print(paint(last, "\x1b[1m", printer.color), file=printer.out)


def _document(findings: list[Finding], fmt: str, out: TextIO) -> None:
    """A machine format: one document on standard output."""
    from notes_kit.reporters import REPORTERS
    from notes_kit.rules.registry import all_rules

    rules = all_rules() if fmt in ("sarif", "json") else {}  # only these describe rules;
    out.write(REPORTERS[fmt](findings, rules))  # loading them costs ~40 ms
    if out is sys.stdout:
        out.flush()
