"""`notes-kit sync`: keep each conference page's `.yaml` twin equal to its conversion.

A twin that is newer than its page and differs from the page's conversion was
probably edited by hand: sync stops for that page (exit 1) rather than overwrite the
edit, and says how to go on: `--from-yaml` writes the page from the twin, `--force`
overwrites the twin from the page. `--check` names each twin to write and ends with the
count and the command that writes them. Pages and twins found up to date before and
unchanged since are not parsed again (sync_memo).
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, TextIO

from notes_kit.core.findings import InputError

if TYPE_CHECKING:
    from notes_kit.run.sync_memo import SyncMemo


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from notes_kit.core.paths import twin_of
    from notes_kit.run.discover import conference_pages
    from notes_kit.run.sync_memo import SyncMemo

    status = 0
    pages = conference_pages(args.paths)
    stale: list[str] = []
    memo = SyncMemo(pages)  # page and twin unchanged since found up to date: nothing to do
    for page in pages:
        twin = twin_of(page)
        try:
            if getattr(args, "from_yaml", False):
                result = _page_from_twin(page, twin, args.check, out)
            else:
                result = _twin_from_page(page, twin, args, memo, out, err)
        except InputError as exc:
            _say(err, f"notes-kit: {exc}")
            status = 2
            continue
        if result == 1 and args.check:
            stale.append(page)
        status = max(status, result)
    memo.save()
    if args.check and status != 2:  # after an unreadable page, no count would be true
        _say(out, _summary(len(pages), stale, args.paths))
    return status


def _summary(pages: int, stale: list[str], paths: list[str]) -> str:
    if not stale:
        return f"{pages} YAML twin{'s' if pages != 1 else ''} up to date."
    named = stale if len(stale) <= 3 else paths  # the pages, or the paths that hold them
    return f"{len(stale)} of {pages} YAML twins to write: run 'notes-kit sync " \
           f"{' '.join(named)}'"


def _twin_from_page(page: str, twin: str, args: argparse.Namespace, memo: SyncMemo,
                    out: TextIO, err: TextIO) -> int:
    from notes_kit.core.files import MAX_YAML_BYTES, atomic_write, check_size, read_source
    from notes_kit.pages import check_page, convertible_page, page_to_yaml

    data, twin_data, fresh = memo.read(page, twin)
    if fresh:
        return 0
    model = convertible_page(read_source(page, data), page)
    expected = page_to_yaml(model, twin, check=False)
    current = _read_twin(twin, twin_data)
    if current == expected:
        memo.fresh(page)
        return 0
    check_page(model, twin)  # about to report or write it: the schema must accept it
    if args.check:
        what = "missing: no YAML twin of" if current is None else "out of date with"
        _say(out, f"{twin}: NK703 {what} {page}")
        return 1
    if current is not None and not getattr(args, "force", False) and _newer(twin, page):
        _say(err, f"notes-kit: {twin}: newer than {page} and not its conversion (edited by "
             f"hand?); not overwritten: 'notes-kit sync --from-yaml {page}' writes the page "
             f"from it, 'notes-kit sync --force {page}' overwrites it")
        return 1
    check_size(twin, expected, MAX_YAML_BYTES)
    atomic_write(twin, expected)
    memo.fresh(page, expected)
    _say(out, f"wrote {twin}")
    return 0


def _page_from_twin(page: str, twin: str, check: bool, out: TextIO) -> int:
    """`--from-yaml`: the page becomes the twin's conversion (the twin must be valid)."""
    from notes_kit.core.files import MAX_BYTES, atomic_write, check_size, read_source
    from notes_kit.pages import yaml_to_markdown

    current = _read_twin(twin)
    if current is None:
        raise InputError(twin, f"no YAML twin to write {page} from")
    expected = yaml_to_markdown(current, twin)
    if read_source(page) == expected:
        return 0
    if check:
        _say(out, f"{page}: NK703 differs from its YAML twin {twin}")
        return 1
    check_size(page, expected, MAX_BYTES)
    atomic_write(page, expected)
    _say(out, f"wrote {page}")
    return 0


def _say(stream: TextIO, text: str) -> None:
    """One line out, what a terminal would act on escaped (the paths come from the disk)."""
    from notes_kit.cli.reporters_text import visible

    print(visible(text), file=stream)


def _newer(first: str, second: str) -> bool:
    try:
        return os.stat(first).st_mtime_ns > os.stat(second).st_mtime_ns
    except OSError:
        return False


def _read_twin(twin: str, data: bytes | None = None) -> str | None:
    """The twin's text, None when it does not exist; InputError when it cannot be read."""
    from notes_kit.core.files import read_source

    if data is None and not os.path.lexists(twin):
        return None
    return read_source(twin, data)
