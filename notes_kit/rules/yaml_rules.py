"""NK601: a YAML page that breaks the JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator

from notes_kit.findings import Finding, FixKind, Severity
from notes_kit.rules.context import Context
from notes_kit.rules.registry import Rule, register


def check_schema(ctx: Context) -> Iterator[Finding]:
    from notes_kit.api import yaml_problems

    for line, message in yaml_problems(ctx.text, ctx.path):
        yield ctx.finding("NK601", line, 1, message)


register(Rule(
    "NK601", "yaml-schema", "A YAML page validates against schemas/notes.schema.json",
    Severity.ERROR, FixKind.NONE, "A schema violation needs the author's intent.",
    "venue: SOSP\nyear: '2024'", "schema_version: 1\nvenue: SOSP\nyear: 2024\nsections: []",
    "yaml", check_schema))
