"""The subcommand handlers: each takes parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from notes_kit.core.findings import Finding, InputError, Severity

if TYPE_CHECKING:
    from notes_kit.lint.config import Configs

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _configs(args: argparse.Namespace) -> Configs:
    """Each file's config, with the command line's options over it."""
    from notes_kit.lint.config import Configs

    select = _split(args.select) if args.select is not None else None
    if select == []:
        raise InputError("--select", "needs at least one rule prefix (e.g. --select NK3)")
    fixed = Path(args.config) if getattr(args, "config", None) else None
    configs = Configs(fixed, select=select, ignore=_split(args.ignore or []), strict=args.strict)
    configs(args.paths[0] if args.paths else ".")  # a bad config or option fails before work
    return configs


def _split(values: list[str]) -> list[str]:
    """`--select NK1,NK2 --select NK5` -> [NK1, NK2, NK5]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


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


def twin_of(path: str) -> str:
    return str(Path(path).with_suffix(".yaml"))


def conference_pages(paths: list[str]) -> list[str]:
    """Markdown files named like `<venue>-<year>.md` (README.md of a folder counts too).

    A `.yaml`/`.yml` path stands for its page, so `sync --check` accepts what pre-commit passes.
    """
    from notes_kit.run.discover import expand

    pages = [str(Path(p).with_suffix(".md")) if p.endswith((".yaml", ".yml")) else p
             for p in expand(paths)]
    return list(dict.fromkeys(p for p in pages if p.endswith(".md") and is_conference_name(p)
                              and os.path.isfile(p)))


def is_conference_name(path: str) -> bool:
    import re

    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}(?:-\d+)?\.md", Path(path).name))


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


def _status(findings: list[Finding], configs: Configs) -> int:
    """1 when an error is left, or a warning in a file whose config is strict."""
    failing = [f for f in findings if f.severity is Severity.ERROR or configs(f.path).strict]
    return 1 if failing else 0


HANDLERS: dict[str, Handler] = {
    "lint": cmd_lint, "fix": cmd_lint, "to-yaml": cmd_to_yaml, "to-md": cmd_to_md,
    "sync": cmd_sync, "rules": cmd_rules, "explain": cmd_explain,
}
