"""NK301-NK305: paper bullets and their links, from the fixture folders and direct cases."""

from __future__ import annotations

from conftest import (
    FIXTURES,
    lint_rule,
    read,
)

from notes_kit.core.findings import Finding, Severity


def findings(rule: str, name: str = "bad.md") -> list[Finding]:
    path = FIXTURES / rule / name
    return lint_rule(read(path), path, rule)


def test_label_fixes_carry_the_canonical_spelling() -> None:
    assert [f.suggestions for f in findings("NK302")] == [
        ("arXiv",), ("arXiv",), ("Code",), ("Personal Notes",)]


def test_unknown_label_is_a_warning_without_fix() -> None:
    assert [(f.severity, f.fixable) for f in findings("NK302", "bad-unknown.md")] == [
        (Severity.WARNING, False)]


def test_duplicate_label_is_reported_not_fixed() -> None:
    assert [f.fixable for f in findings("NK303", "bad-duplicate.md")] == [False, False]


def test_url_sanity_severities_and_suggestion() -> None:
    found = findings("NK304")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.ERROR, Severity.WARNING,
                                           Severity.WARNING, Severity.ERROR, Severity.ERROR]
    assert found[1].suggestions == ("https://arxiv.org/abs/2312.05385",)


def test_doi_prefix_is_checked_only_when_the_venue_has_one() -> None:
    """OSDI's publisher is USENIX: the registry gives no DOI prefix, so any DOI passes."""
    text = read(FIXTURES / "NK304" / "bad.md").replace("# SOSP 2024", "# OSDI 2024")
    messages = [f.message for f in lint_rule(text, "osdi-2024.md", "NK304")]
    assert len(messages) == 4
    assert not any("prefix" in m for m in messages)


def test_paper_without_link_is_a_warning() -> None:
    assert {f.severity for f in findings("NK305")} == {Severity.WARNING}


def test_title_written_as_link_counts_as_a_link() -> None:
    assert findings("NK305", "../NK301/bad-title.md") == []
