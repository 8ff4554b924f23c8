"""NK101-NK105: the page's structure, from the fixture folders and a few direct cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    lint_rule,
    read,
)

from notes_kit.core.findings import Severity
from notes_kit.lint.engine import fix

GOOD = read(Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "NK101" / "good.md")

# --- NK101: the file name ------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "conferences/sosp-2024.md",
    "sosp-2024.md",
    "conferences/sosp-2024/README.md",
    "conferences/sosp-2024-1.md",  # a second page of the same edition
    # not named like a conference page: pre-commit may pass any file name
    "bad.md",
    "notes/reading-list.md",
    "conferences/sosp-2024.original.md",
    "<stdin>",
])
def test_title_matches_or_file_is_not_conference_named(path: str) -> None:
    assert lint_rule(GOOD, path, "NK101") == []


@pytest.mark.parametrize(("path", "expected"), [
    ("conferences/sosp-2023.md", "sosp-2024.md"),
    ("conferences/osdi-2024.md", "sosp-2024.md"),
    ("conferences/osdi-2024/README.md", "sosp-2024.md"),
])
def test_title_does_not_match_file_name(path: str, expected: str) -> None:
    found = lint_rule(GOOD, path, "NK101")
    assert [(f.line, f.column) for f in found] == [(1, 3)]
    assert expected in found[0].message
    assert not found[0].fixable


def test_venue_spelling_suggests_registry_name() -> None:
    found = lint_rule(GOOD.replace("# SOSP 2024", "# Sosp 2024"), "sosp-2024.md", "NK101")
    assert [(f.line, f.column, f.suggestions) for f in found] == [(1, 3, ("SOSP",))]


# --- NK102-NK105 details -------------------------------------------------------------


def test_second_meta_info_keeps_its_values() -> None:
    """A second Meta Info is never merged into the first (that dropped its homepage)."""
    text = read(Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "NK102"
                / "bad-twice.md")
    broken = text.replace("\\[[Paper]", "[[Paper]")  # a safe fix elsewhere forces a re-render
    fixed = fix(broken, "bad-twice.md").text
    assert "Homepage: <https://sigops.org/s/conferences/sosp/2023/>" in fixed
    assert fixed.count("## Meta Info") == 2


def test_unplaced_content_is_a_warning() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "NK105" / "bad.md"
    found = lint_rule(read(path), path, "NK105")
    assert found and {f.severity for f in found} == {Severity.WARNING}


def test_no_papers_section_is_only_reported() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "NK103" / "bad-missing.md"
    text = read(path)
    assert fix(text, str(path)).text == text


TEXT_AFTER_TITLE = GOOD.replace("# SOSP 2024\n", "# SOSP 2024\n\nMy notes on SOSP.\n", 1)


def test_text_after_title_is_reported() -> None:
    found = lint_rule(TEXT_AFTER_TITLE, "sosp-2024.md", "NK105")
    assert [(f.line, f.column, f.fixable) for f in found] == [(3, 1, False)]


def test_text_after_title_stays_after_title() -> None:
    """A re-render once wrote it above the title, which made the page a non-conference page."""
    broken = TEXT_AFTER_TITLE.replace("\\[[Paper]", "[[Paper]")  # forces a re-render
    fixed = fix(broken, "sosp-2024.md").text
    assert fixed.startswith("# SOSP 2024\n\nMy notes on SOSP.\n")
