"""NK101 on pages whose heading does not name the conference but whose front matter or
path does: they are conference pages, and the finding carries the edit that writes the
heading as `# VENUE YEAR`, the same text `fix` and conversion produce."""

from __future__ import annotations

import pytest

from notes_kit.core.edits import apply_edits
from notes_kit.core.findings import FixKind
from notes_kit.format.markdown.parse import NotConferencePage
from notes_kit.lint.engine import fix, lint
from notes_kit.pages import parse_page, to_markdown, to_yaml, yaml_to_markdown

BODY = "## Papers\n\n### Storage\n\n* A Paper \\[[Paper](https://example.org/a)]\n  * PKU\n"


@pytest.mark.parametrize("path, text, title, source", [
    ("papers/2025/OSDI.md", "# Accepted papers\n\n" + BODY, "# OSDI 2025", "file path"),
    ("_conferences/osdi2023/results.md", "# Results\n\n" + BODY, "# OSDI 2023", "file path"),
    ("notes/nsdi23.md", "# My notes\n\n" + BODY, "# NSDI 2023", "file path"),
    ("notes/a.md", "---\ntitle: Summary of NSDI 23\ndate: 2023-06-09\n---\n\n# Summary\n\n"
     + BODY, "# NSDI 2023", "front matter"),
    ("notes/b.md", "---\nvenue: SOSP\nyear: 2024\n---\n\n# Reading list\n\n" + BODY,
     "# SOSP 2024", "front matter"),
])
def test_a_heading_named_elsewhere_is_rewritten(path: str, text: str, title: str,
                                                source: str) -> None:
    page = parse_page(text, path).page
    assert f"# {page.venue} {page.year}" == title
    (finding,) = [f for f in lint(text, path) if f.rule == "NK101"]
    assert finding.fix is FixKind.SAFE and f"'{title}'" in finding.message
    assert f"the {source} names the conference" in finding.message
    edited = apply_edits(text, finding.edits)
    heading = next(line for line in text.split("\n") if line.startswith("# "))
    assert edited == text.replace(heading, title)
    assert fix(text, path).text == edited  # the edit is what rendering changes
    assert yaml_to_markdown(to_yaml(text, path)) == edited
    assert to_markdown(page) == edited


def test_a_page_without_a_heading_gets_one_inserted() -> None:
    text = "---\nvenue: OSDI\nyear: 2025\n---\n\n" + BODY
    (finding,) = [f for f in lint(text, "notes/x.md") if f.rule == "NK101"]
    (edit,) = finding.edits
    assert (edit.line, edit.column, edit.end_line, edit.end_column) == (6, 1, 6, 1)
    expected = text.replace("## Papers", "# OSDI 2025\n\n## Papers", 1)
    assert apply_edits(text, finding.edits) == expected == fix(text, "notes/x.md").text


@pytest.mark.parametrize("path, text", [
    ("reading-notes/conference/nsdi-2017/clipper.md", "# Clipper\n\nNotes.\n"),
    ("notes23.md", "# Notes\n\nText.\n"),  # no venue of the registry is called `notes`
    ("x/2024/README.md", "# Readme\n\nText.\n"),
    ("osdi.md", "# Notes\n\nText.\n"),  # a venue, but no year
    ("notes/c.md", "---\ntitle: Summary of my week\n---\n\n# Week\n"),
    ("<stdin>", "# Summary\n\nText.\n"),
])
def test_other_pages_stay_what_they_were(path: str, text: str) -> None:
    with pytest.raises(NotConferencePage):
        parse_page(text, path)


def test_a_conference_heading_is_not_second_guessed() -> None:
    text = "# SOSP 2024\n\n" + BODY
    assert [f for f in lint(text, "papers/2025/OSDI.md") if f.rule == "NK101"] == []
