"""NK401-NK403: the affiliation line, from the fixture folders and direct cases."""

from __future__ import annotations

from pathlib import Path

from conftest import (
    FIXTURES,
    lint_rule,
    read,
)

from notes_kit.core.edits import apply_edits
from notes_kit.core.findings import FixKind, Severity
from notes_kit.lint.config import Config
from notes_kit.lint.engine import fix, lint


def test_alias_spans_are_exact() -> None:
    """The unsafe fix replaces [column, end_column) with the single suggestion."""
    path = FIXTURES / "NK403" / "bad.md"
    text = read(path)
    found = lint_rule(text, path, "NK403")
    lines = text.split("\n")
    spans = [(lines[f.line - 1][f.column - 1 : f.end_column - 1], f.suggestions) for f in found]
    assert spans == [("Georgia Tech", ("GaTech",)), ("Peking University", ("PKU",)),
                     ("Georgia Institute of Technology", ("GaTech",)),
                     ("Peking University", ("PKU",))]
    assert {(f.severity, f.fix) for f in found} == {(Severity.WARNING, FixKind.UNSAFE)}
    assert apply_edits(text, [e for f in found for e in f.edits]) == read(FIXTURES / "NK403" /
                                                                        "fixed.md")


def test_separator_findings_have_no_fix() -> None:
    path = FIXTURES / "NK402" / "bad.md"
    assert not any(f.fixable for f in lint_rule(read(path), path, "NK402"))


def test_user_registry_extends_aliases(tmp_path: Path) -> None:
    extra = tmp_path / "affiliations.yaml"
    extra.write_text("affiliations:\n  - name: IASU\n"
                     "    aliases: [Institute of Arts and Sciences Utopia]\n",
                     encoding="utf-8")
    text = read(FIXTURES / "NK401" / "good.md").replace(
        "  * Stanford\n", "  * Institute of Arts and Sciences Utopia\n")
    config = Config(extra_affiliations=(str(extra),), root=str(tmp_path))
    # without the registry entry the ' and ' looks like a separator
    assert [f.rule for f in lint_rule(text, "sosp-2024.md", "NK402")] == ["NK402"]
    # a registry name is not split at its ' and '; the alias is rewritten on request
    assert [f.rule for f in lint(text, "sosp-2024.md", config)] == ["NK403"]
    result = fix(text, "sosp-2024.md", config, unsafe=True)
    assert [(f.rule, f.suggestions) for f in result.changes] == [("NK403", ("IASU",))]
    assert "  * IASU\n" in result.text
