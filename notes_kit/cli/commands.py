"""The subcommand handlers: each takes parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    pass

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _read_input(name: str, yaml: bool = False) -> tuple[str, str]:
    from notes_kit.core.files import limit_for, read_source

    if name == "-":
        data = sys.stdin.buffer.read(limit_for("", yaml) + 1)
        return read_source("<stdin>", data, yaml=yaml), "<stdin>"
    return read_source(name, yaml=yaml), name


def _write_output(text: str, output: str | None, out: TextIO, yaml: bool) -> None:
    """`-o FILE` (a regular file or a new path; a symlink is written through) or, with no
    `-o` or `-o -`, standard output. A file is never larger than notes-kit reads back."""
    if output and output != "-":
        from notes_kit.core.files import atomic_write, check_size, limit_for

        check_size(output, text, limit_for(output, yaml))
        atomic_write(output, text)
    else:
        out.write(text)


def cmd_to_yaml(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.pages import to_yaml

    text, name = _read_input(args.file)
    target = args.output
    if target in (None, "-") and out is sys.stdout:
        from notes_kit.format.yaml.schema import output_file

        target = output_file()  # `> conferences/x.yaml`: the modeline is relative to it
    _write_output(to_yaml(text, name, target), args.output, out, yaml=True)
    return 0


def cmd_to_md(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.pages import yaml_to_markdown

    text, name = _read_input(args.file, yaml=True)
    _write_output(yaml_to_markdown(text, name), args.output, out, yaml=False)
    return 0


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.sync import cmd_sync as sync

    return sync(args, out, err)


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.lint.rules.registry import all_rules

    for rule in all_rules().values():
        fix = {"safe": "fix", "unsafe": "unsafe fix", "none": ""}[rule.fix.value]
        print(f"{rule.id}  {rule.name:<28} {rule.severity.value:<8} {fix:<11} {rule.summary}",
              file=out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.lint.rules.docs import explain
    from notes_kit.lint.rules.registry import all_rules

    rule = all_rules().get(args.rule.upper())
    if rule is None:
        print(f"notes-kit: unknown rule {args.rule!r}; see 'notes-kit rules'", file=err)
        return 2
    out.write(explain(rule))
    return 0


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.lint import cmd_lint as run

    return run(args, out, err)


HANDLERS: dict[str, Handler] = {
    "lint": cmd_lint, "fix": cmd_lint, "to-yaml": cmd_to_yaml, "to-md": cmd_to_md,
    "sync": cmd_sync, "rules": cmd_rules, "explain": cmd_explain,
}
