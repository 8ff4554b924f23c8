"""Small helpers shared by the rule modules."""

from __future__ import annotations

from collections.abc import Iterator

from notes_kit.core.findings import Finding
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Check


def from_parser(rule_id: str) -> Check:
    """A check that reports what the parser recorded for `rule_id`."""

    def check(ctx: Context) -> Iterator[Finding]:
        from dataclasses import replace

        from notes_kit.lint.rules.registry import RULES

        severity = RULES[rule_id].severity
        for finding in ctx.parse_findings(rule_id):
            yield replace(finding, severity=severity)

    check.__name__ = f"check_{rule_id}"
    return check


def chain(*checks: Check) -> Check:
    """Run several checks as one rule."""

    def check(ctx: Context) -> Iterator[Finding]:
        for one in checks:
            yield from one(ctx)

    return check
