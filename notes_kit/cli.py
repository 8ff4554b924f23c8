"""Command line: parse arguments, call the library, format output, return an exit code.

`run(argv) -> int` never calls sys.exit; only __main__ does. Exit codes:
0 success, 1 findings (or a check failed), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from notes_kit.findings import InputError

FORMATS = ("text", "json", "sarif", "github")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="notes-kit", description="Lint, convert and fix conference notes.")
    parser.add_argument("--version", action="store_true", help="print the version")
    # prog given: argparse would otherwise build a help formatter (importing shutil) to find it
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, prog=parser.prog)

    for name in ("lint", "fix"):
        cmd = sub.add_parser(name, help=f"{name} Markdown and YAML notes")
        cmd.add_argument("paths", nargs="*", default=["."], help="files or directories")
        cmd.add_argument("--format", choices=FORMATS, default="text")
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
        if name == "lint":
            cmd.add_argument("--fix", action="store_true", help="apply safe fixes")

    for name, what in (("to-yaml", "Markdown page -> YAML"), ("to-md", "YAML -> Markdown page")):
        cmd = sub.add_parser(name, help=what)
        cmd.add_argument("file", help="input file, or - for standard input")
        cmd.add_argument("-o", "--output", help="output file (default: standard output)")

    cmd = sub.add_parser("sync", help="write or check the .yaml twin of each conference page")
    cmd.add_argument("paths", nargs="*", default=["conferences"])
    cmd.add_argument("--check", action="store_true", help="fail when a twin is missing or stale")

    sub.add_parser("rules", help="list every rule")
    cmd = sub.add_parser("explain", help="print a rule's documentation")
    cmd.add_argument("rule", help="rule id, e.g. NK204")
    from notes_kit.commands_extra import add_extra_commands

    add_extra_commands(sub)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
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
        print(f"notes-kit: {exc}", file=err)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("notes-kit: interrupted", file=err)
        return 130


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit import commands

    handler = commands.HANDLERS.get(args.command)
    if handler is None:
        from notes_kit.commands_extra import EXTRA_HANDLERS

        handler = EXTRA_HANDLERS[args.command]
    return handler(args, out, err)
