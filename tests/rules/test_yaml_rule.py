"""NK601: YAML pages against the JSON Schema, with the line and column of each value."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    lint_rule,
    read,
)

from notes_kit.core.findings import InputError
from notes_kit.lint.engine import fix, lint

BAD = FIXTURES / "NK601" / "bad.yaml"
GOOD = FIXTURES / "NK601" / "good.yaml"


def test_messages_name_the_value() -> None:
    found = lint_rule(read(BAD), BAD, "NK601")
    assert [f.message.split(":")[0] for f in found] == [
        "year", "(document)", "meta.acceptance_rate.percent",
        "sections.0.topics.0.papers.0.links.0.url"]
    assert "'colour' was unexpected" in found[1].message


def test_yaml_is_never_fixed() -> None:
    assert fix(read(BAD), str(BAD)).text == read(BAD)


def test_the_shipped_twin_is_valid() -> None:
    twin = Path(__file__).resolve().parents[2] / "conferences" / "sosp-2024.yaml"
    assert lint_rule(read(twin), twin, "NK601") == []


def test_markdown_rules_do_not_run_on_yaml() -> None:
    assert [f.rule for f in lint(read(BAD), str(BAD))] == ["NK601"] * 4


@pytest.mark.parametrize(("text", "line"), [
    ("schema_version: 1\nvenue: [SOSP\n", 3),
    ("schema_version: 1\nvenue: !!python/object:os.system x\n", 2),
])
def test_unreadable_yaml_is_an_input_error_with_a_line(text: str, line: int) -> None:
    with pytest.raises(InputError) as error:
        lint(text, "page.yaml")
    assert error.value.line == line


def test_unexpected_key_points_at_the_key() -> None:
    text = ("schema_version: 1\nvenue: SOSP\nyear: 2024\nmeta:\n"
            "  homepage: https://sigops.org/\n  colour: blue\nsections: []\n")
    found = lint_rule(text, "page.yaml", "NK601")
    assert [(f.line, f.column) for f in found] == [(6, 3)]
    assert "'colour' was unexpected" in found[0].message
