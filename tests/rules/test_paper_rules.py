"""NK301-NK305: paper bullets and their links, from the fixture folders and direct cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    Case,
    cases,
    check_findings,
    check_fix,
    check_good,
    check_seed,
    check_unfixable,
    good_pages,
    lint_rule,
    read,
)

from notes_kit.findings import Finding, Severity

CASES = cases("NK3")
FIXABLE = [c for c in CASES if c.fixed]
UNFIXABLE = [c for c in CASES if not c.fixed]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_findings(case: Case) -> None:
    check_findings(case)


@pytest.mark.parametrize("page", good_pages("NK3"), ids=lambda p: p.parent.name)
def test_good_page(page: Path) -> None:
    check_good(page)


@pytest.mark.parametrize("case", FIXABLE, ids=str)
def test_fix(case: Case) -> None:
    check_fix(case)


@pytest.mark.parametrize("case", UNFIXABLE, ids=str)
def test_unfixable_findings_survive_fix(case: Case) -> None:
    check_unfixable(case)


def test_seed_is_clean() -> None:
    check_seed("NK3")


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
