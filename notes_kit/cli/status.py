"""What every command run needs of its options: each file's config with the command line's
over it, the exit status (`--exit-zero`, `--exit-non-zero-on-fix`) and whether to colour
(`--color`, NO_COLOR, FORCE_COLOR)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from notes_kit.core.findings import Finding, InputError, Severity

if TYPE_CHECKING:
    from notes_kit.lint.config import Configs


def use_color(choice: str, stream: TextIO) -> bool:
    """`always`/`never` as told; `auto`: NO_COLOR (set and not empty) turns colour off,
    FORCE_COLOR turns it on, else colour only on a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def exit_status(status: int, args: argparse.Namespace, changed: bool) -> int:
    """`--exit-non-zero-on-fix`: 1 when a file was fixed; `--exit-zero`: findings do not
    fail the run (bad input still does, with 2)."""
    if status != 2 and changed and getattr(args, "exit_non_zero_on_fix", False):
        status = 1
    if status == 1 and args.exit_zero:
        status = 0
    return status


def configs_from_args(args: argparse.Namespace) -> Configs:
    """Each file's config, with the command line's options over it."""
    from notes_kit.lint.config import Configs

    select = split_ids(args.select) if args.select is not None else None
    if select == []:
        raise InputError("--select", "needs at least one rule prefix (e.g. --select NK3)")
    fixed = Path(args.config) if getattr(args, "config", None) else None
    configs = Configs(fixed, select=select, ignore=split_ids(args.ignore or []), strict=args.strict)
    configs(args.paths[0] if args.paths else ".")  # a bad config or option fails before work
    return configs


def split_ids(values: list[str]) -> list[str]:
    """`--select NK1,NK2 --select NK5` -> [NK1, NK2, NK5]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def error_status(findings: list[Finding], configs: Configs) -> int:
    """1 when an error is left, or a warning in a file whose config is strict."""
    failing = [f for f in findings if f.severity is Severity.ERROR or configs(f.path).strict]
    return 1 if failing else 0
