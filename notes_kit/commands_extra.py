"""Commands beyond lint and conversion: `new` (scaffold a page) and `stats`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.config import discover
    from notes_kit.registries import load_venues
    from notes_kit.scaffold import create

    config = discover(Path(args.dir))
    venues = load_venues([Path(p) for p in config.extra_venues])
    page, twin = create(args.venue, args.year, args.dir, venues)
    print(f"wrote {page}", file=out)
    print(f"wrote {twin}", file=out)
    print(f"fill in the TODO placeholders; 'notes-kit lint {page}' lists them, and "
          f"'notes-kit sync {page}' refreshes the twin", file=out)
    return 0


def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.reporters import visible
    from notes_kit.stats import collect, render_json, render_text

    stats = collect(args.paths)
    out.write(render_json(stats) if args.format == "json" else visible(render_text(stats),
                                                                        keep="\n\t"))
    return 0


EXTRA_HANDLERS: dict[str, Handler] = {"new": cmd_new, "stats": cmd_stats}


def _new_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("venue", help="venue slug or display name, e.g. osdi")
    cmd.add_argument("year", help="four-digit year")  # checked (and named) by scaffold
    cmd.add_argument("--dir", default="conferences", help="folder (default: conferences)")


def _stats_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("paths", nargs="*", default=["conferences"], help="files or directories")
    cmd.add_argument("--format", choices=("text", "json"), default="text")


EXTRA_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "new": ("start a conference page (and its YAML twin) from the venue registry",
            _new_arguments),
    "stats": ("papers, topics, links and acceptance rate per page", _stats_arguments),
}
