"""What `lint` and `fix` print: findings in a human format as each file finishes (Printer),
then the rest and the summary, or one machine-format document (report)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from notes_kit.core.findings import Finding, InputError

if TYPE_CHECKING:
    from notes_kit.run.worker import FileOutcome


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


def report(findings: list[Finding], args: argparse.Namespace, out: TextIO,
           fixed: tuple[int, int, bool] | None = None, sources: dict[str, str] | None = None,
           printer: Printer | None = None) -> None:
    """The findings in `args.format` (or their counts, with --statistics); a human format
    ends with the summary, of a fix run with what it fixed. `sources`: texts not on disk."""
    from notes_kit.cli.formats import TEXT_FORMATS
    from notes_kit.cli.reporters_text import fix_summary, paint, summary_line
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
