"""What every `lint` and `fix` run needs of the CI options: the exit status (`--exit-zero`,
`--exit-non-zero-on-fix`) and whether to colour (`--color`, NO_COLOR, FORCE_COLOR)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO


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
