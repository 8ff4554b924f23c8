"""What a rule sees: the file's text and lines, the parsed page (conference pages only),
the configuration and the registries (loaded on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from notes_kit.core.findings import Edit, Finding, Severity
from notes_kit.lint.config import Config

if TYPE_CHECKING:
    from notes_kit.core.model import Paper
    from notes_kit.format.markdown.parse import Parsed
    from notes_kit.knowledge.registries import Venue


@dataclass
class Context:
    """One file as every rule sees it; derived views are computed once, on first use."""

    path: str
    text: str
    config: Config = field(default_factory=Config)
    parsed: Parsed | None = None
    kind: str = "markdown"  # or "yaml"
    withheld: int = 0  # safe fixes the run does not apply (deselected or suppressed)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def code(self) -> set[int]:
        """0-based indexes of the lines in fenced code blocks."""
        from notes_kit.format.markdown.textfix import code_lines

        return code_lines(self.lines)

    @cached_property
    def kinds(self) -> list[str]:
        """Each line's region (regions.PROSE, CODE, ...), computed once for all the rules."""
        from notes_kit.format.markdown.regions import line_kinds

        return line_kinds(self.lines, self.code)

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """(1-based number, line) of the prose lines: the only lines spelling and casing see."""
        from notes_kit.format.markdown.regions import PROSE

        return [(index + 1, line) for index, (line, kind) in enumerate(zip(self.lines,
                self.kinds, strict=True)) if kind == PROSE]

    def _extra(self, names: tuple[str, ...]) -> list[Path]:
        root = Path(self.config.root) if self.config.root else Path.cwd()
        return [root / name for name in names]

    @cached_property
    def papers(self) -> list[Paper]:
        """Every paper of a conference page, in order, walked once for all the rules."""
        return self.parsed.page.papers() if self.parsed is not None else []

    @cached_property
    def venues(self) -> dict[str, Venue]:
        from notes_kit.knowledge.registries import load_venues

        return load_venues(self._extra(self.config.extra_venues))

    @cached_property
    def affiliations(self) -> dict[str, str]:
        from notes_kit.knowledge.registries import load_affiliations

        return load_affiliations(self._extra(self.config.extra_affiliations))

    @cached_property
    def terms(self) -> dict[str, str]:
        from notes_kit.knowledge.registries import load_terms

        return load_terms(self._extra(self.config.extra_terms))

    def finding(self, rule_id: str, line: int, column: int, message: str, *,
                end_column: int = 0, suggestions: tuple[str, ...] = (),
                severity: Severity | None = None, fixable: bool | None = None,
                edits: tuple[Edit, ...] = ()) -> Finding:
        """A finding with the registry's severity and fix kind unless told otherwise; a
        fixable finding's fix is `edits`."""
        from notes_kit.core.findings import FixKind
        from notes_kit.lint.rules.registry import RULES

        rule = RULES[rule_id]
        fix = rule.fix if fixable is not False else FixKind.NONE
        return Finding(self.path, line, column, rule_id, message, severity or rule.severity,
                       end_line=line if end_column else 0, end_column=end_column, fix=fix,
                       suggestions=suggestions, edits=edits if fix is not FixKind.NONE else ())

    def span_edit(self, line: int, column: int, old: str, new: str) -> tuple[Edit, ...]:
        """Replace `old`, found at 1-based `column` of `line`, with `new`; no edit when the
        source does not hold `old` there (a position a rule could only guess)."""
        row = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if not old or row[column - 1 : column - 1 + len(old)] != old:
            return ()
        return (Edit(line, column, line, column + len(old), new),)

    def parse_findings(self, rule_id: str) -> list[Finding]:
        """What the parser recorded for a rule: the input variants it normalised."""
        if self.parsed is None:
            return []
        return [f for f in self.parsed.findings if f.rule == rule_id]
