"""The rule registry: one Rule per id, feeding select/ignore, `explain`, the docs and SARIF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from notes_kit.core.findings import Finding, FixKind, Severity

if TYPE_CHECKING:
    from notes_kit.lint.rules.context import Context

Check = Callable[["Context"], Iterator[Finding]]


class Rule(NamedTuple):
    """A rule's identity, documentation and check function."""

    id: str
    name: str
    summary: str
    severity: Severity
    fix: FixKind
    fix_why: str
    bad: str
    good: str
    # "conference" (structure rules), "text" (every Markdown page), "yaml", "collection",
    # "online" (link liveness: notes_kit.links runs them, the per-file engine never does)
    scope: str
    check: Check | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not FixKind.NONE


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} registered twice")
    RULES[rule.id] = rule
    return rule


def all_rules() -> dict[str, Rule]:
    """Every rule, importing the rule modules on first use."""
    from notes_kit.lint.rules import load_all

    load_all()
    return dict(sorted(RULES.items()))
