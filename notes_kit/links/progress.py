"""A progress bar on a terminal for long link checks: rich's when it is installed, a plain
counter otherwise, nothing at all when the stream is not a terminal or the run is short."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from notes_kit.links.run import Progress

LONG = 20  # checks; fewer end before a bar would help


class _Silent:
    def advance(self) -> None:
        pass

    def close(self) -> None:
        pass


class _Plain:
    """`checking links: 120/2000` on one line, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done, self.shown = total, stream, 0, 0.0

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.shown >= 0.1 or self.done == self.total:
            self.shown = now
            self.stream.write(f"\rchecking links: {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (len(f"checking links: {self.total}") * 2 + 1) + "\r")
        self.stream.flush()


class _Rich:
    def __init__(self, total: int, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar: Any = Progress(TextColumn("checking links"), BarColumn(),
                                 MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=Console(file=stream), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("links", total=total)

    def advance(self) -> None:
        self.bar.advance(self.task)

    def close(self) -> None:
        self.bar.stop()


def _tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_for(stream: TextIO, *, long: int = LONG) -> Callable[[int], Progress] | None:
    """What run_links calls with the number of checks to make; None off a terminal."""
    if not _tty(stream):
        return None

    def start(total: int) -> Progress:
        if total < long:
            return _Silent()
        try:
            return _Rich(total, stream)
        except ImportError:
            return _Plain(total, stream)

    return start
