"""`notes-kit lint` and `notes-kit fix`: run, then print what a person or a program reads.

Standard output carries one document: the report, or with --diff the diff alone. In the
human formats each file's findings are printed as soon as the file is done, in the order
the files were given or walked; findings across files (NK7xx, NK404) and the summary
come last. `--output-file` collects what would go to standard output.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any, TextIO

from notes_kit.core.findings import Finding, InputError

if TYPE_CHECKING:
    from notes_kit.run.runner import FileOutcome, RunResult

NOTHING_FOUND = 5  # like pytest's "no tests collected": the paths held no notes at all
PROGRESS_FILES = 50  # a bar on a terminal for runs over this many files


class Printer:
    """Prints findings in a human format as files finish; remembers what it printed.
    `sources`: texts that are not on disk (standard input)."""

    def __init__(self, args: argparse.Namespace, out: TextIO,
                 sources: dict[str, str] | None = None) -> None:
        from notes_kit.cli.status import use_color

        self.fmt, self.out = args.format, out
        self.brief = bool(getattr(args, "brief", False))
        self.color = use_color(getattr(args, "color", "auto"), out)
        self.printed: set[int] = set()
        self._lines = {path: text.split("\n") for path, text in (sources or {}).items()}

    def source(self, path: str) -> list[str] | None:
        """A file's lines for the full format, read once."""
        if path not in self._lines:
            from notes_kit.core.files import read_source

            try:
                self._lines[path] = read_source(path).split("\n")
            except (InputError, RecursionError):
                return None
        return self._lines[path]

    def file(self, outcome: FileOutcome) -> None:
        self.show(sorted(outcome.findings))

    def show(self, findings: list[Finding]) -> None:
        from notes_kit.cli.reporters_text import file_lines

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
    args.paths = args.paths or (["-"] if args.stdin_filename else ["."])
    if "-" in args.paths and len(args.paths) > 1:
        raise InputError("-", "standard input ('-') is linted alone, without other paths")
    if args.output_file:
        from notes_kit.cli.options import to_file

        return to_file(args.output_file, lambda sink: _lint(args, sink, err))
    return _lint(args, out, err)


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.commands import _configs, _status
    from notes_kit.cli.reporters_text import TEXT_FORMATS
    from notes_kit.cli.status import exit_status
    from notes_kit.run.runner import run_lint

    if args.statistics:
        from notes_kit.cli.options import check_statistics

        check_statistics(args)
    configs = _configs(args)
    if args.show_settings or args.show_files:
        from notes_kit.cli.options import show_files, show_settings

        return (show_settings if args.show_settings else show_files)(args, configs, out)
    if args.paths == ["-"]:
        from notes_kit.cli.stdin import run_stdin

        return run_stdin(args, configs, out, err)
    do_fix = args.command == "fix" or bool(getattr(args, "fix", False))
    printer = Printer(args, err if args.diff else out)
    stream = args.format in TEXT_FORMATS and not args.statistics and not do_fix \
        and not args.diff and not args.changed_since
    result = run_lint(args.paths, configs, fix=do_fix or args.diff, write=not args.diff,
                      unsafe=args.unsafe_fixes, jobs=args.jobs, use_cache=not args.no_cache,
                      changed_since=args.changed_since, force_exclude=args.force_exclude,
                      on_file=printer.file if stream else None, progress=_progress(err))
    if getattr(args, "check_links", False):  # online, opt-in: notes_kit.links
        from notes_kit.cli.links import lint_hook

        if lint_hook(args, configs(args.paths[0]), result, err):
            return 2
    from notes_kit.cli.reporters_text import visible

    for message in [*result.notices, *result.errors, *result.stale]:
        print(f"notes-kit: {visible(message)}", file=err)
    if not result.outcomes and all(os.path.isdir(p) for p in args.paths):
        print(f"notes-kit: no notes found in {', '.join(args.paths)} (Markdown pages and "
              "notes YAML, after excludes)", file=err)
        return NOTHING_FOUND
    _print(args, result, printer, out, err)
    if result.errors:
        return 2
    if result.stale:
        return 1  # a file changed while it was fixed: not written, run again
    if args.command == "fix" or args.diff:
        return exit_status(1 if result.changed else _status(result.findings, configs), args,
                           False)
    return exit_status(_status(result.findings, configs), args, result.changed)


def _progress(err: TextIO) -> Any:
    """A progress bar for a long run, on a terminal only (its module is loaded only then)."""
    try:
        if not err.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    from notes_kit.run.progress import progress_for

    return progress_for(err, "linting", long=PROGRESS_FILES)


def _print(args: argparse.Namespace, result: RunResult, printer: Printer, out: TextIO,
           err: TextIO) -> None:
    from notes_kit.cli.reporters_text import TEXT_FORMATS

    fixing = args.command == "fix" or bool(getattr(args, "fix", False)) or args.diff
    changes = out if args.format in TEXT_FORMATS and not args.diff else err
    from notes_kit.cli.reporters_text import visible

    for line in result.change_lines:
        print(visible(line), file=changes)
    if args.diff:
        out.write(visible(result.diff, keep="\n\t"))
    if result.errors and not result.findings and args.format in TEXT_FORMATS:
        return  # no "All checks passed." after a refusal
    fixed = (result.fixed_count, result.fixed_files, args.diff) if fixing else None
    report(result.findings, args, printer.out, fixed, printer=printer)


def report(findings: list[Finding], args: argparse.Namespace, out: TextIO,
           fixed: tuple[int, int, bool] | None = None, sources: dict[str, str] | None = None,
           printer: Printer | None = None) -> None:
    """The findings in `args.format` (or their counts, with --statistics); a human format
    ends with the summary, of a fix run with what it fixed. `sources`: texts not on disk."""
    from notes_kit.cli.reporters_text import TEXT_FORMATS, fix_summary, paint, summary_line
    from notes_kit.lint.rules.registry import all_rules

    if getattr(args, "statistics", False):
        from notes_kit.cli.reporters_stats import statistics_reporter
        from notes_kit.cli.status import use_color

        color = args.format == "text" and use_color(getattr(args, "color", "auto"), out)
        out.write(statistics_reporter(args.format)(findings, all_rules(), color=color))
        return
    if args.format not in TEXT_FORMATS:
        _document(findings, args.format, out, sources)
        return
    printer = printer or Printer(args, out, sources)
    printer.show(findings)  # what streaming did not print, e.g. findings across files
    last = fix_summary(findings, *fixed) if fixed is not None else summary_line(findings)
    print(paint(last, "\x1b[1m", printer.color), file=printer.out)


def _document(findings: list[Finding], fmt: str, out: TextIO,
              sources: dict[str, str] | None) -> None:
    """A machine format: one document on standard output."""
    from notes_kit.cli.reporters import REPORTERS
    from notes_kit.lint.rules.registry import all_rules

    rules = all_rules() if fmt != "github" else {}  # describing rules costs ~40 ms
    if fmt == "rdjson" and sources:
        from notes_kit.cli.reporters_review import render_rdjson

        out.write(render_rdjson(findings, rules, sources=sources))
        return
    out.write(REPORTERS[fmt](findings, rules))
