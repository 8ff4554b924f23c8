"""`notes-kit lint -` and `notes-kit fix -`: one text read from standard input, linted as the
file `--stdin-filename` names (its config, per-file ignores and page type), as editor
plugins (ALE, flymake, nvim-lint, conform.nvim) call linters.

`fix -` writes the fixed text, and nothing else, to standard output; the findings left go
to standard error. It exits 0 when nothing is left to report (formatters treat any other
status as a failure), unless `--exit-non-zero-on-fix`; with `--diff`, 1 when the diff is
not empty, as for files. Text that cannot be read is written
back unchanged, so an editor that replaces its buffer with the output loses nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from notes_kit.core.findings import InputError

if TYPE_CHECKING:
    from notes_kit.lint.config import Config, Configs

STDIN_NAME = "<stdin>"


def run_stdin(args: argparse.Namespace, configs: Configs, out: TextIO, err: TextIO) -> int:
    from notes_kit.cli.output import report
    from notes_kit.cli.status import error_status, exit_status
    from notes_kit.run.worker import buffer_findings

    path = args.stdin_filename or STDIN_NAME
    config = configs(path)
    data = sys.stdin.buffer.read()
    fixing = args.command == "fix" or bool(getattr(args, "fix", False)) or args.diff
    if args.stdin_filename and args.force_exclude and _excluded(path, configs):
        if fixing and not args.diff:
            _echo(data, out)
        return 0
    sink = err if fixing else out
    text, fixed, changed = None, None, False
    if fixing:
        text, fixed, changed, status = _fix(data, path, config, args, out, err)
        if status:
            return status
    try:
        findings = buffer_findings(text.encode("utf-8") if text is not None else data, path,
                                   config)
    except InputError as exc:
        print(f"notes-kit: {exc}", file=err)
        return 2
    except RecursionError:
        print(f"notes-kit: {path}: input nested too deeply", file=err)
        return 2
    sources = {path: text if text is not None else _decoded(data)}
    report(findings, args, sink, fixed=fixed, sources=sources)
    if args.diff and changed:  # a check: what it shows would change the text
        return exit_status(1, args, changed)
    return exit_status(error_status(findings, configs), args, changed)


def _fix(data: bytes, path: str, config: Config, args: argparse.Namespace, out: TextIO,
         err: TextIO) -> tuple[str | None, tuple[int, int, bool] | None, bool, int]:
    """Apply the fixes and write the result (or, with --diff, the diff) to `out`. Returns
    the fixed text, what the fix summary needs, whether anything changed, and 2 for input
    that cannot be read (written back unchanged)."""
    from notes_kit.run.worker import process_file

    outcome = process_file(path, config, True, args.unsafe_fixes, data)
    if outcome.error:
        print(f"notes-kit: {outcome.error}", file=err)
        if not args.diff:
            _echo(data, out)
        return None, None, False, 2
    original = _decoded(data)
    new = outcome.fixed if outcome.fixed is not None else original
    for finding, what in outcome.applied:
        print(f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} {what}",
              file=err)
    if args.diff:
        import difflib

        out.write("".join(difflib.unified_diff(original.splitlines(True), new.splitlines(True),
                                               f"a/{path}", f"b/{path}")))
    else:
        out.write(new)
    changed = new != original
    return new, (len(outcome.applied), int(changed), args.diff), changed, 0


def _decoded(data: bytes) -> str:
    """The text as the editor holds it (a byte order mark and CRLF line ends kept)."""
    return data.decode("utf-8", errors="replace")


def _echo(data: bytes, out: TextIO) -> None:
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
        binary.write(data)
        binary.flush()
    else:
        out.write(_decoded(data))


def _excluded(path: str, configs: Configs) -> bool:
    from notes_kit.lint.ignore import Excluder

    return Excluder(configs).excluded(path)

