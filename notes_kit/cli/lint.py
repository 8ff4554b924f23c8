"""`notes-kit lint` and `notes-kit fix`: run, then print what a person or a program reads.

Standard output carries one document: the report, or with --diff the diff alone. In the
human formats each file's findings are printed as soon as the file is done, in the order
the files were given or walked; findings across files (NK7xx, NK404) and the summary
come last. `--output-file` collects what would go to standard output.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any, TextIO

from notes_kit.cli.output import Printer, report
from notes_kit.core.findings import InputError

if TYPE_CHECKING:
    from notes_kit.run.runner import RunResult

NOTHING_FOUND = 5  # like pytest's "no tests collected": the paths held no notes at all
PROGRESS_FILES = 50  # a bar on a terminal for runs over this many files


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    args.paths = args.paths or (["-"] if args.stdin_filename else ["."])
    if "-" in args.paths and len(args.paths) > 1:
        raise InputError("-", "standard input ('-') is linted alone, without other paths")
    if args.output_file:
        from notes_kit.cli.options import to_file

        return to_file(args.output_file, lambda sink: _lint(args, sink, err))
    return _lint(args, out, err)


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.formats import TEXT_FORMATS
    from notes_kit.cli.status import configs_from_args, error_status, exit_status
    from notes_kit.run.runner import run_lint

    if args.statistics:
        from notes_kit.cli.options import check_statistics

        check_statistics(args)
    configs = configs_from_args(args)
    if args.show_settings or args.show_files:
        from notes_kit.cli.options import show_files, show_settings

        return (show_settings if args.show_settings else show_files)(args, configs, out)
    if args.paths == ["-"]:
        from notes_kit.cli.stdin import run_stdin

        return run_stdin(args, configs, out, err)
    do_fix = args.command == "fix" or bool(getattr(args, "fix", False))
    printer = Printer(args, err if args.diff else out)
    stream = args.format in TEXT_FORMATS and not args.statistics and not do_fix \
        and not args.diff and not args.changed_since
    result = run_lint(args.paths, configs, fix=do_fix or args.diff, write=not args.diff,
                      unsafe=args.unsafe_fixes, jobs=args.jobs, use_cache=not args.no_cache,
                      changed_since=args.changed_since, force_exclude=args.force_exclude,
                      on_file=printer.file if stream else None, progress=_progress(err))
    if getattr(args, "check_links", False):  # online, opt-in: notes_kit.links
        from notes_kit.cli.links import lint_hook

        if lint_hook(args, configs(args.paths[0]), result, err):
            return 2
    from notes_kit.cli.reporters_text import visible

    for message in [*result.notices, *result.errors, *result.stale]:
        print(f"notes-kit: {visible(message)}", file=err)
    if not result.outcomes and all(os.path.isdir(p) for p in args.paths):
        print(f"notes-kit: no notes found in {', '.join(args.paths)} (Markdown pages and "
              "notes YAML, after excludes)", file=err)
        return NOTHING_FOUND
    _print(args, result, printer, out, err)
    if result.errors:
        return 2
    if result.stale:
        return 1  # a file changed while it was fixed: not written, run again
    if args.command == "fix" or args.diff:
        return exit_status(1 if result.changed else error_status(result.findings, configs), args,
                           False)
    return exit_status(error_status(result.findings, configs), args, result.changed)


def _progress(err: TextIO) -> Any:
    """A progress bar for a long run, on a terminal only (its module is loaded only then)."""
    try:
        if not err.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    from notes_kit.run.progress import progress_for

    return progress_for(err, "linting", long=PROGRESS_FILES)


def _print(args: argparse.Namespace, result: RunResult, printer: Printer, out: TextIO,
           err: TextIO) -> None:
    from notes_kit.cli.formats import TEXT_FORMATS

    fixing = args.command == "fix" or bool(getattr(args, "fix", False)) or args.diff
    changes = out if args.format in TEXT_FORMATS and not args.diff else err
    from notes_kit.cli.reporters_text import visible

    for line in result.change_lines:
        print(visible(line), file=changes)
    if args.diff:
        out.write(visible(result.diff, keep="\n\t"))
    if result.errors and not result.findings and args.format in TEXT_FORMATS:
        return  # no "All checks passed." after a refusal
    fixed = (result.fixed_count, result.fixed_files, args.diff) if fixing else None
    report(result.findings, args, printer.out, fixed, printer=printer)
