"""`notes-kit sync`: keep each conference page's `.yaml` twin equal to its conversion.

A twin that is newer than its page and differs from the page's conversion was
probably edited by hand: sync stops for that page (exit 1) rather than overwrite the
edit, and says how to go on: `--from-yaml` writes the page from the twin, `--force`
overwrites the twin from the page.
"""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from notes_kit.findings import InputError


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.commands import conference_pages, twin_of

    status = 0
    for page in conference_pages(args.paths):
        twin = twin_of(page)
        try:
            if getattr(args, "from_yaml", False):
                status = max(status, _page_from_twin(page, twin, args.check, out))
            else:
                status = max(status, _twin_from_page(page, twin, args, out, err))
        except InputError as exc:
            _say(err, f"notes-kit: {exc}")
            status = 2
    return status


def _twin_from_page(page: str, twin: str, args: argparse.Namespace, out: TextIO,
                    err: TextIO) -> int:
    from notes_kit.api import check_page, page_to_yaml, parse_markdown
    from notes_kit.files import MAX_YAML_BYTES, atomic_write, check_size, read_source

    model = parse_markdown(read_source(page), page)
    expected = page_to_yaml(model, twin, check=False)
    current = _read_twin(twin)
    if current == expected:
        return 0
    check_page(model, twin)  # about to report or write it: the schema must accept it
    if args.check:
        what = "missing" if current is None else "out of date"
        _say(out, f"{twin}:1: NK703 YAML twin {what}; run 'notes-kit sync'")
        return 1
    if current is not None and not getattr(args, "force", False) and _newer(twin, page):
        _say(err, f"notes-kit: {twin}: newer than {page} and not its conversion (edited by "
             f"hand?); not overwritten: 'notes-kit sync --from-yaml {page}' writes the page "
             f"from it, 'notes-kit sync --force {page}' overwrites it")
        return 1
    check_size(twin, expected, MAX_YAML_BYTES)
    atomic_write(twin, expected)
    _say(out, f"wrote {twin}")
    return 0


def _page_from_twin(page: str, twin: str, check: bool, out: TextIO) -> int:
    """`--from-yaml`: the page becomes the twin's conversion (the twin must be valid)."""
    from notes_kit.api import yaml_to_markdown
    from notes_kit.files import MAX_BYTES, atomic_write, check_size, read_source

    current = _read_twin(twin)
    if current is None:
        raise InputError(twin, f"no YAML twin to write {page} from")
    expected = yaml_to_markdown(current, twin)
    if read_source(page) == expected:
        return 0
    if check:
        _say(out, f"{page}:1: NK703 page differs from its YAML twin {twin}; run 'notes-kit "
             "sync --from-yaml'")
        return 1
    check_size(page, expected, MAX_BYTES)
    atomic_write(page, expected)
    _say(out, f"wrote {page}")
    return 0


def _say(stream: TextIO, text: str) -> None:
    """One line out, what a terminal would act on escaped (the paths come from the disk)."""
    from notes_kit.reporters import visible

    print(visible(text), file=stream)


def _newer(first: str, second: str) -> bool:
    try:
        return os.stat(first).st_mtime_ns > os.stat(second).st_mtime_ns
    except OSError:
        return False


def _read_twin(twin: str) -> str | None:
    """The twin's text, None when it does not exist; InputError when it cannot be read."""
    from notes_kit.files import read_source

    if not os.path.lexists(twin):
        return None
    return read_source(twin)
