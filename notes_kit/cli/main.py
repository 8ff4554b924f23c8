"""Command line: parse arguments, call the library, format output, return an exit code.

`run(argv) -> int` never calls sys.exit; only __main__ does. Exit codes:
0 success, 1 findings (or a check failed), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from notes_kit.cli.formats import FORMATS
from notes_kit.core.findings import InputError


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


class _Formatter(argparse.HelpFormatter):
    """argparse makes a formatter for every argument it adds; the default one imports
    shutil to ask the terminal's width. Asking os directly costs nothing."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            try:
                width = max(os.get_terminal_size(sys.stdout.fileno()).columns, 40) - 2
            except (OSError, ValueError, AttributeError):
                width = 78
        super().__init__(prog, indent_increment, max_help_position, width)


def _lint_arguments(name: str) -> Callable[[argparse.ArgumentParser], None]:
    def add(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("paths", nargs="*", help="files or directories (default: .), or - "
                         "for standard input")
        cmd.add_argument("--format", "--output-format", choices=FORMATS, default="text",
                         help="text (= full: each finding with its source line), concise "
                         "(one line each), grouped (under each file), json, sarif, github, "
                         "rdjson, gitlab, summary")
        _ci_arguments(cmd)
        cmd.add_argument("--select", action="append", default=None, help="rule-id prefixes")
        cmd.add_argument("--ignore", action="append", default=None, help="rule-id prefixes")
        cmd.add_argument("--config", help="config file (default: found upward)")
        cmd.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
        cmd.add_argument("--diff", action="store_true", help="show fixes as a diff, write nothing")
        cmd.add_argument("--strict", action="store_true", default=None, help="warnings fail too")
        cmd.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
        cmd.add_argument("--jobs", "-j", type=int, default=0, help="processes (default: CPUs)")
        cmd.add_argument("--changed-since", metavar="REF",
                         help="report only papers that differ from git revision REF")
        cmd.add_argument("--force-exclude", action="store_true",
                         help="apply exclude and .gitignore to paths named on the command "
                         "line too (for pre-commit)")
        cmd.add_argument("--brief", action="store_true", help="print what changed and the "
                         "summary, not the findings left (for a pre-commit fix hook)")
        if name == "lint":
            cmd.add_argument("--fix", action="store_true", help="apply safe fixes")
            cmd.add_argument("--check-links", action="store_true",
                             help="also check online that every link works (NK306-NK310)")

    return add


def _ci_arguments(cmd: argparse.ArgumentParser) -> None:
    """What CI and editors expect of a linter (notes_kit/lint_options.py, notes_kit/stdin.py)."""
    cmd.add_argument("--stdin-filename", metavar="PATH", help="the path standard input "
                     "stands for: it decides the config, per-file ignores and page type")
    cmd.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE")
    cmd.add_argument("--statistics", action="store_true", help="count the findings per rule")
    cmd.add_argument("--show-settings", action="store_true",
                     help="print the settings that apply to the first path, and stop")
    cmd.add_argument("--show-files", action="store_true",
                     help="print the files that would be linted, and stop")
    cmd.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour the text report (auto: on a terminal, unless NO_COLOR; "
                     "FORCE_COLOR forces it)")
    cmd.add_argument("--exit-zero", action="store_true",
                     help="exit 0 even when findings are left (bad input still exits 2)")
    cmd.add_argument("--exit-non-zero-on-fix", action="store_true",
                     help="exit 1 when a fix changed something (lint --fix, fix -)")


def _conversion_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("file", help="input file, or - for standard input")
    cmd.add_argument("-o", "--output", help="output file (default: standard output)")


def _sync_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("paths", nargs="*", default=["conferences"])
    cmd.add_argument("--check", action="store_true", help="fail when a twin is missing or stale")
    way = cmd.add_mutually_exclusive_group()
    way.add_argument("--from-yaml", action="store_true",
                     help="write each page from its twin (after editing the YAML)")
    way.add_argument("--force", action="store_true",
                     help="overwrite a twin even when it is newer than its page")


def _explain_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("rule", help="rule id, e.g. NK204")


def _commands() -> dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]]:
    """Every subcommand: its help line and the function that adds its arguments."""
    from notes_kit.cli.extra import EXTRA_COMMANDS

    return {
        "lint": ("lint Markdown and YAML notes", _lint_arguments("lint")),
        "fix": ("fix Markdown and YAML notes", _lint_arguments("fix")),
        "to-yaml": ("Markdown page -> YAML", _conversion_arguments),
        "to-md": ("YAML -> Markdown page", _conversion_arguments),
        "sync": ("write or check the .yaml twin of each conference page", _sync_arguments),
        "rules": ("list every rule", lambda cmd: None),
        "explain": ("print a rule's documentation", _explain_arguments),
        **EXTRA_COMMANDS,
    }


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only` (the subcommand named on the command line), just
    that subcommand: a one-file pre-commit lint need not build the parsers of the others."""
    parser = _Parser(prog="notes-kit", description="Lint, convert and fix conference notes.",
                     formatter_class=_Formatter)
    parser.add_argument("--version", action="store_true", help="print the version")
    # prog given: argparse would otherwise build a help formatter to find it
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, prog=parser.prog)
    commands = _commands()
    if only in commands:  # each subparser costs ~0.5 ms to build; errors print no usage
        commands = {only: commands[only]}
    for name, (what, add_arguments) in commands.items():
        add_arguments(sub.add_parser(name, help=what, formatter_class=_Formatter))
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        args = build_parser(words[0] if words and not words[0].startswith("-") else None
                            ).parse_args(words)
    except UsageError as exc:
        print(exc, file=err)
        return 2
    if args.version:
        from notes_kit import __version__

        print(f"notes-kit {__version__}", file=out)
        return 0
    if args.command is None:
        build_parser().print_help(out)
        return 2
    try:
        return _dispatch(args, out, err)
    except InputError as exc:
        from notes_kit.cli.reporters_text import visible

        print(f"notes-kit: {visible(str(exc))}", file=err)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("notes-kit: interrupted", file=err)
        return 130


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli import commands

    handler = commands.HANDLERS.get(args.command)
    if handler is None:
        from notes_kit.cli.extra import EXTRA_HANDLERS

        handler = EXTRA_HANDLERS[args.command]
    return handler(args, out, err)
