"""Progress bars on standard error for long runs (`lint` over many files, `links` over many
URLs): rich's bar when it can be imported, a plain counter otherwise, nothing at all when
the stream is not a terminal or the run is short. rich is imported only when a bar shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TextIO

LONG = 20  # steps; fewer end before a bar would help


class Progress(Protocol):
    def advance(self) -> None: ...

    def close(self) -> None: ...


Start = Callable[[int], Progress]  # called with the number of steps the run will take


class _Silent:
    def advance(self) -> None:
        pass

    def close(self) -> None:
        pass


class _Plain:
    """`checking links: 120/2000` on one line, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO, label: str) -> None:
        self.total, self.stream, self.label, self.done, self.shown = total, stream, label, 0, 0.0

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.shown >= 0.1 or self.done == self.total:
            self.shown = now
            self.stream.write(f"\r{self.label}: {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        width = len(f"{self.label}: {self.total}/{self.total}")
        self.stream.write("\r" + " " * width + "\r")
        self.stream.flush()


class _Rich:
    def __init__(self, total: int, stream: TextIO, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar: Any = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(file=stream),
                                 transient=True)
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self) -> None:
        self.bar.advance(self.task)

    def close(self) -> None:
        self.bar.stop()


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_for(stream: TextIO, label: str = "checking links", *,
                 long: int = LONG) -> Start | None:
    """What a run calls with its number of steps to get a bar; None off a terminal."""
    if not is_terminal(stream):
        return None

    def start(total: int) -> Progress:
        if total < long:
            return _Silent()
        try:
            return _Rich(total, stream, label)
        except ImportError:
            return _Plain(total, stream, label)

    return start
