"""Commands beyond lint and conversion (scaffolding, statistics)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]
EXTRA_HANDLERS: dict[str, Handler] = {}


def add_extra_commands(sub: Any) -> None:
    """Register the extra subcommands on the CLI's subparsers."""
    return None
