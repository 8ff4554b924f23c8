"""Findings are plain values: made by rules, sorted and filtered here, printed only by reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class FixKind(str, Enum):
    """ruff's split: safe fixes change form only, unsafe ones edit prose."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column), end exclusive,
    with `text`. Lines and columns are 1-based; columns count code points, as SARIF's
    `unicodeCodePoints`. An insertion has start == end."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    """One deviation, positioned by 1-based line and column in the checked file."""

    path: str
    line: int
    column: int
    rule: str
    message: str = field(compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)
    fix: FixKind = field(default=FixKind.NONE, compare=False)
    suggestions: tuple[str, ...] = field(default=(), compare=False)
    edits: tuple[Edit, ...] = field(default=(), compare=False)  # the fix, as data

    @property
    def fixable(self) -> bool:
        return self.fix is not FixKind.NONE

    @property
    def end(self) -> tuple[int, int]:
        """End position, defaulting to the start when a rule gave none."""
        return (self.end_line or self.line, self.end_column or self.column)


class InputError(Exception):
    """Bad input: reported as one line `path:line: message`, exit code 2."""

    def __init__(self, path: str, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
