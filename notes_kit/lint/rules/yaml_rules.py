"""NK601: a YAML page that breaks the JSON Schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

_UNEXPECTED = re.compile(r"\('([^']+)'(?:, '[^']+')* (?:was|were) unexpected\)")


def check_schema(ctx: Context) -> Iterator[Finding]:
    from notes_kit.format.yaml import io as yaml_io
    from notes_kit.format.yaml import schema

    loaded = yaml_io.load(ctx.text, ctx.path)
    for where, message in schema.validate(yaml_io.plain(loaded)):
        unexpected = _UNEXPECTED.search(message)
        line, column = position(loaded, where, unexpected.group(1) if unexpected else None)
        yield ctx.finding("NK601", line, column, message)


def position(data: Any, where: list[Any], key: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the value at a JSON-schema error path in ruamel's data,
    or of the mapping key `key` there (an unexpected key).

    The deepest node that exists is used: a missing key points at its parent mapping.
    """
    lc: Any = getattr(data, "lc", None)
    line, column = (lc.line + 1, lc.col + 1) if lc is not None else (1, 1)
    node: Any = data
    for step in where:
        lc = getattr(node, "lc", None)
        try:
            pos = lc.value(step) if isinstance(node, dict) else lc.item(step)
            node = node[step]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
        line, column = pos[0] + 1, pos[1] + 1
    lc = getattr(node, "lc", None)
    if key is not None and lc is not None and isinstance(node, dict) and key in node:
        pos = lc.key(key)
        line, column = pos[0] + 1, pos[1] + 1
    return line, column


register(Rule(
    "NK601", "yaml-schema", "A YAML page validates against schemas/notes.schema.json",
    Severity.ERROR, FixKind.NONE, "A schema violation needs the author's intent.",
    "venue: SOSP\nyear: '2024'", "schema_version: 1\nvenue: SOSP\nyear: 2024\nsections: []",
    "yaml", check_schema))
