"""Commands beyond lint and conversion: `new` (scaffold a page), `stats`, `import`, `links`
and `server` (the language server)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.knowledge.registries import load_venues
    from notes_kit.lint.config import discover
    from notes_kit.run.scaffold import create

    config = discover(Path(args.dir))
    venues = load_venues([Path(p) for p in config.extra_venues])
    page, twin = create(args.venue, args.year, args.dir, venues)
    print(f"wrote {page}", file=out)
    print(f"wrote {twin}", file=out)
    print(f"fill in the TODO placeholders; 'notes-kit lint {page}' lists them, and "
          f"'notes-kit sync {page}' refreshes the twin", file=out)
    return 0


def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.reporters_text import visible
    from notes_kit.run.stats import collect, render_json, render_text

    stats = collect(args.paths)
    out.write(render_json(stats) if args.format == "json" else visible(render_text(stats),
                                                                        keep="\n\t"))
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.importers import plan, write
    from notes_kit.knowledge.registries import load_venues
    from notes_kit.lint.config import discover

    if args.into and (args.output or args.venue or args.year):
        print("notes-kit: import: --into takes the venue, year and path from the page; "
              "-o, --venue and --year do not go with it", file=err)
        return 2
    config = discover(Path(args.into or args.output or "."))
    venues = load_venues([Path(p) for p in config.extra_venues])
    result = plan(args.sources, args.format, args.venue, args.year, args.output, args.into,
                  venues)
    for path, item in result.unplaced:
        print(f"{path}:{item.line}: not placed ({item.why}); kept as raw", file=err)
    if args.into and not result.papers:
        print(f"{result.page}: nothing to add ({result.present} papers already there)",
              file=out)
        return 0
    write(result)
    print(f"wrote {result.page}", file=out)
    print(f"wrote {result.twin}", file=out)
    if args.into:
        print(f"added {result.papers} papers under 'Unsorted' ({result.present} already "
              "there)", file=out)
    else:
        print(f"imported {result.papers} papers", file=out)
    return 0


def cmd_links(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.links import cmd_links as run

    return run(args, out, err)


def cmd_server(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The language server over stdio (notes_kit/server; pygls is imported only here)."""
    from notes_kit.server.main import serve

    serve(debounce=args.debounce / 1000)
    return 0


EXTRA_HANDLERS: dict[str, Handler] = {"new": cmd_new, "stats": cmd_stats, "import": cmd_import,
                                     "links": cmd_links, "server": cmd_server}


def _new_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("venue", help="venue slug or display name, e.g. osdi")
    cmd.add_argument("year", help="four-digit year")  # checked (and named) by scaffold
    cmd.add_argument("--dir", default="conferences", help="folder (default: conferences)")


def _stats_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("paths", nargs="*", default=["conferences"], help="files or directories")
    cmd.add_argument("--format", choices=("text", "json"), default="text")


def _import_arguments(cmd: argparse.ArgumentParser) -> None:
    from notes_kit.importers import FORMATS

    kinds = "; ".join(f"{name} ({', '.join(s)}): {what}" for name, (what, s) in FORMATS.items())
    cmd.add_argument("sources", nargs="+", metavar="SOURCE", help=f"files to read. Formats: "
                     f"{kinds}")
    cmd.add_argument("--format", choices=tuple(FORMATS), help="the sources' format (default: "
                     "by file suffix)")
    cmd.add_argument("--venue", help="venue slug or display name (default: what the source "
                     "says)")
    cmd.add_argument("--year", type=int, help="four-digit year (default: what the source says)")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="the new page (default: "
                       "conferences/<venue>-<year>.md)")
    where.add_argument("--into", metavar="PAGE", help="add the papers PAGE lacks under "
                       "'Unsorted'; nothing on it changes")


def _links_arguments(cmd: argparse.ArgumentParser) -> None:
    from notes_kit.cli.formats import FORMATS

    cmd.add_argument("paths", nargs="*", default=["."], help="files or directories")
    cmd.add_argument("--format", choices=FORMATS, default="text")
    cmd.add_argument("--select", action="append", default=None, help="rule-id prefixes")
    cmd.add_argument("--ignore", action="append", default=None, help="rule-id prefixes")
    cmd.add_argument("--config", help="config file (default: found upward)")
    cmd.add_argument("--strict", action="store_true", default=None,
                     help="warnings (links that could not be checked now) fail too")
    cmd.add_argument("--no-cache", action="store_true",
                     help="check every link; do not read or write the link cache")
    cmd.add_argument("--changed-since", metavar="REF",
                     help="check only the links of papers that differ from git revision REF")
    cmd.add_argument("--fix", action="store_true", help="with --unsafe-fixes: write the new "
                     "URL of permanently moved links (NK308)")
    cmd.add_argument("--unsafe-fixes", action="store_true", help="allow the NK308 fixes")


def _server_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--stdio", action="store_true", help="talk LSP over standard input and "
                     "output (the default and only transport; editors often pass it)")
    cmd.add_argument("--debounce", type=int, default=250, metavar="MS",
                     help="milliseconds of quiet typing before a buffer is linted again")


EXTRA_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "new": ("start a conference page (and its YAML twin) from the venue registry",
            _new_arguments),
    "stats": ("papers, topics, links and acceptance rate per page", _stats_arguments),
    "import": ("a conference page from BibTeX, DBLP XML, CSV or Markdown paper lists",
               _import_arguments),
    "links": ("check online that every link of the pages still works (NK306-NK310)",
              _links_arguments),
    "server": ("the language server (LSP over stdio) for editors", _server_arguments),
}
