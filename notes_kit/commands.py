"""The subcommand handlers: each takes parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from notes_kit.findings import Finding, InputError, Severity

if TYPE_CHECKING:
    from notes_kit.config import Configs

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _configs(args: argparse.Namespace) -> Configs:
    """Each file's config, with the command line's options over it."""
    from notes_kit.config import Configs

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


def _read_input(name: str) -> tuple[str, str]:
    from notes_kit.files import read_source

    if name == "-":
        return read_source("<stdin>", sys.stdin.buffer.read()), "<stdin>"
    return read_source(name), name


def _write_output(text: str, output: str | None, out: TextIO) -> None:
    if output and output != "-":
        from notes_kit.files import atomic_write

        atomic_write(output, text)
    else:
        out.write(text)


def cmd_to_yaml(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.api import to_yaml

    text, name = _read_input(args.file)
    target = args.output
    if target in (None, "-") and out is sys.stdout:
        from notes_kit.schema import output_file

        target = output_file()  # `> conferences/x.yaml`: the modeline is relative to it
    _write_output(to_yaml(text, name, target), args.output, out)
    return 0


def cmd_to_md(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.api import yaml_to_markdown

    text, name = _read_input(args.file)
    _write_output(yaml_to_markdown(text, name), args.output, out)
    return 0


def twin_of(path: str) -> str:
    return str(Path(path).with_suffix(".yaml"))


def conference_pages(paths: list[str]) -> list[str]:
    """Markdown files named like `<venue>-<year>.md` (README.md of a folder counts too).

    A `.yaml`/`.yml` path stands for its page, so `sync --check` accepts what pre-commit passes.
    """
    from notes_kit.discover import expand

    pages = [str(Path(p).with_suffix(".md")) if p.endswith((".yaml", ".yml")) else p
             for p in expand(paths)]
    return list(dict.fromkeys(p for p in pages if p.endswith(".md") and is_conference_name(p)
                              and os.path.isfile(p)))


def is_conference_name(path: str) -> bool:
    import re

    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}(?:-\d+)?\.md", Path(path).name))


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.api import check_page, page_to_yaml, parse_markdown
    from notes_kit.files import atomic_write, read_source

    status = 0
    for page in conference_pages(args.paths):
        twin = twin_of(page)
        try:
            model = parse_markdown(read_source(page), page)
            expected = page_to_yaml(model, twin, check=False)
            current = _read_twin(twin)
            if current != expected:  # about to report or write it: the schema must accept it
                check_page(model, twin)
        except InputError as exc:
            print(f"notes-kit: {exc}", file=err)
            status = 2
            continue
        if current == expected:
            continue
        if args.check:
            what = "missing" if current is None else "out of date"
            print(f"{twin}:1: NK703 YAML twin {what}; run 'notes-kit sync'", file=out)
            status = max(status, 1)
        else:
            try:
                atomic_write(twin, expected)
            except InputError as exc:
                print(f"notes-kit: {exc}", file=err)
                status = 2
                continue
            print(f"wrote {twin}", file=out)
    return status


def _read_twin(twin: str) -> str | None:
    """The twin's text, None when it does not exist; InputError when it cannot be read."""
    from notes_kit.files import read_source

    if not os.path.lexists(twin):
        return None
    return read_source(twin)


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.rules.registry import all_rules

    for rule in all_rules().values():
        fix = {"safe": "fix", "unsafe": "unsafe fix", "none": ""}[rule.fix.value]
        print(f"{rule.id}  {rule.name:<28} {rule.severity.value:<8} {fix:<11} {rule.summary}",
              file=out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.rules.docs import explain
    from notes_kit.rules.registry import all_rules

    rule = all_rules().get(args.rule.upper())
    if rule is None:
        print(f"notes-kit: unknown rule {args.rule!r}; see 'notes-kit rules'", file=err)
        return 2
    out.write(explain(rule))
    return 0


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`lint` and `fix`; `--output-file` collects what would go to standard output."""
    args.paths = args.paths or (["-"] if args.stdin_filename else ["."])
    if "-" in args.paths and len(args.paths) > 1:
        raise InputError("-", "standard input ('-') is linted alone, without other paths")
    if args.output_file:
        from notes_kit.lint_options import to_file

        return to_file(args.output_file, lambda sink: _lint(args, sink, err))
    return _lint(args, out, err)


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.lint_status import exit_status
    from notes_kit.runner import run_lint

    if args.statistics:
        from notes_kit.lint_options import check_statistics

        check_statistics(args)
    configs = _configs(args)
    if args.show_settings or args.show_files:
        from notes_kit.lint_options import show_files, show_settings

        return (show_settings if args.show_settings else show_files)(args, configs, out)
    if args.paths == ["-"]:
        from notes_kit.stdin import run_stdin

        return run_stdin(args, configs, out, err)
    do_fix = args.command == "fix" or bool(getattr(args, "fix", False))
    result = run_lint(args.paths, configs, fix=do_fix or args.diff, write=not args.diff,
                      unsafe=args.unsafe_fixes, jobs=args.jobs, use_cache=not args.no_cache,
                      changed_since=args.changed_since, force_exclude=args.force_exclude,
                      progress=_progress(err))
    if getattr(args, "check_links", False):  # online, opt-in: notes_kit.links
        from notes_kit.links.command import lint_hook

        if lint_hook(args, configs(args.paths[0] if args.paths else "."), result, err):
            return 2
    for message in result.errors:
        print(f"notes-kit: {message}", file=err)
    # Standard output carries one document: the report, or with --diff the diff alone.
    # Change lines go with the report in text format, to standard error otherwise.
    report = err if args.diff else out
    changes = out if args.format == "text" and not args.diff else err
    for line in result.change_lines:
        print(line, file=changes)
    if args.diff:
        out.write(result.diff)
    fixing = do_fix or args.diff
    if result.findings or not result.errors or args.format != "text":
        _report(result.findings, args, report,
                fixed=(result.fixed_count, result.fixed_files, args.diff) if fixing else None)
    if result.errors:
        return 2
    if args.command == "fix" or args.diff:
        return exit_status(1 if result.changed else _status(result.findings, configs), args,
                           False)
    return exit_status(_status(result.findings, configs), args, result.changed)


PROGRESS_FILES = 50  # a bar on a terminal for runs over this many files


def _progress(err: TextIO) -> Any:
    """A progress bar for a long run, on a terminal only (its module is loaded only then)."""
    try:
        if not err.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    from notes_kit.progress import progress_for

    return progress_for(err, "linting", long=PROGRESS_FILES)


def _report(findings: list[Finding], args: argparse.Namespace, out: TextIO,
            fixed: tuple[int, int, bool] | None = None,
            sources: dict[str, str] | None = None) -> None:
    """The findings in `args.format` (or their counts, with --statistics); in text, a fix
    run ends with what it fixed. `sources`: texts not on disk (standard input)."""
    from notes_kit.lint_status import use_color
    from notes_kit.reporters import REPORTERS, fix_summary, text_line
    from notes_kit.rules.registry import all_rules

    fmt = args.format
    color = fmt == "text" and use_color(getattr(args, "color", "auto"), out)
    if getattr(args, "statistics", False):
        from notes_kit.reporters_stats import statistics_reporter

        out.write(statistics_reporter(fmt)(findings, all_rules(), color=color))
        return
    if fmt == "text" and fixed is not None:
        for finding in findings:
            print(text_line(finding, color=color), file=out)
        print(fix_summary(findings, *fixed), file=out)
        return
    rules = all_rules() if fmt not in ("text", "github") else {}  # only these describe rules;
    if fmt == "rdjson" and sources:  # loading them costs ~40 ms
        from notes_kit.reporters_review import render_rdjson

        out.write(render_rdjson(findings, rules, sources=sources))
        return
    out.write(REPORTERS[fmt](findings, rules, color=color))


def _status(findings: list[Finding], configs: Configs) -> int:
    """1 when an error is left, or a warning in a file whose config is strict."""
    failing = [f for f in findings if f.severity is Severity.ERROR or configs(f.path).strict]
    return 1 if failing else 0


HANDLERS: dict[str, Handler] = {
    "lint": cmd_lint, "fix": cmd_lint, "to-yaml": cmd_to_yaml, "to-md": cmd_to_md,
    "sync": cmd_sync, "rules": cmd_rules, "explain": cmd_explain,
}
