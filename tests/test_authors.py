"""Authors in the data model: one Markdown line, a YAML list, schema version 2 only when
used, and never spell-checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_kit.core.findings import InputError
from notes_kit.format.markdown.papers import format_authors, read_authors
from notes_kit.format.markdown.regions import AUTHORS, PROSE, line_kinds
from notes_kit.lint.engine import lint
from notes_kit.pages import from_yaml, load_yaml_data, to_markdown, to_yaml, yaml_to_markdown

ROOT = Path(__file__).resolve().parents[1]

PAGE = """# SOSP 2024

## Papers

### Storage

* A Paper \\[[Paper](https://example.org/a)]
  * PKU
  * Authors: Ann Lee, Bo Li and Cy Zed
  * **Best Paper Award**
  * A note.
* A Paper Without Links
  * Authors: Solo Person
  * Another note.
"""


def test_authors_round_trip_and_make_the_document_version_2() -> None:
    yaml_text = to_yaml(PAGE)
    data = load_yaml_data(yaml_text)
    assert data["schema_version"] == 2
    papers = data["sections"][0]["topics"][0]["papers"]
    assert papers[0]["authors"] == ["Ann Lee", "Bo Li", "Cy Zed"]
    assert papers[0]["affiliations"] == ["PKU"]
    assert papers[0]["tags"] == ["**Best Paper Award**"]
    assert papers[1]["authors"] == ["Solo Person"]
    assert list(papers[0]) == ["title", "links", "affiliations", "authors", "tags", "notes"]
    assert yaml_to_markdown(yaml_text) == PAGE
    assert to_yaml(yaml_to_markdown(yaml_text)) == yaml_text


def test_pages_without_authors_stay_version_1_and_the_shipped_twin_is_unchanged() -> None:
    page = ROOT / "conferences" / "sosp-2024.md"
    twin = page.with_suffix(".yaml")
    yaml_text = to_yaml(page.read_text(encoding="utf-8"), str(page), str(twin))
    assert yaml_text == twin.read_text(encoding="utf-8")
    assert "\nschema_version: 1\n" in yaml_text


@pytest.mark.parametrize("names, line", [
    (["A"], "Authors: A"),
    (["A", "B"], "Authors: A and B"),
    (["Jae W. Lee", "K. V. Rashmi", "David Mazières"],
     "Authors: Jae W. Lee, K. V. Rashmi and David Mazières"),
])
def test_the_authors_line_reads_back_what_it_writes(names: list[str], line: str) -> None:
    assert format_authors(names) == line
    assert read_authors(line) == names


@pytest.mark.parametrize("line", [
    "Authors: A, B, C",  # no ' and ' before the last name
    "Authors: A, B, and C",  # serial comma: not the canonical spelling
    "Authors:",
    "Authors: ",
    "Author: A",
    "authors: A and B",
])
def test_other_spellings_are_not_an_authors_line(line: str) -> None:
    assert read_authors(line) is None


def test_a_hand_written_authors_bullet_keeps_its_old_meaning() -> None:
    page = PAGE.replace("  * PKU\n  * Authors: Ann Lee, Bo Li and Cy Zed\n",
                        "  * Authors: Ann Lee, Bo Li, Cy Zed\n")
    data = load_yaml_data(to_yaml(page))
    paper = data["sections"][0]["topics"][0]["papers"][0]
    assert "authors" not in paper  # read as before this change: an affiliation line
    assert paper["affiliations"] == ["Authors: Ann Lee, Bo Li, Cy Zed"]


def _yaml(version: int, with_authors: bool) -> str:
    authors = "            authors:\n              - Ann Lee\n" if with_authors else ""
    return (f"schema_version: {version}\nvenue: SOSP\nyear: 2024\nsections:\n"
            "  - title: Papers\n    kind: papers\n    topics:\n      - title: T\n"
            "        papers:\n          - title: A Paper\n" + authors)


def test_version_1_documents_are_read_as_before() -> None:
    page = from_yaml(_yaml(1, False))
    assert page.papers()[0].authors == []
    assert to_markdown(page).endswith("### T\n\n* A Paper\n")


@pytest.mark.parametrize("version, with_authors, hint", [
    (1, True, "write schema_version: 2"),
    (2, False, "write schema_version: 1"),
])
def test_the_version_must_match_the_fields_used(version: int, with_authors: bool,
                                                hint: str) -> None:
    with pytest.raises(InputError) as info:
        load_yaml_data(_yaml(version, with_authors), "x.yaml")
    assert hint in info.value.message and info.value.line == 1


def test_version_2_with_authors_is_valid() -> None:
    assert from_yaml(_yaml(2, True)).papers()[0].authors == ["Ann Lee"]


@pytest.mark.parametrize("name", ["A, B", "A and B", "* A", "A,", " A"])
def test_the_schema_refuses_names_the_line_cannot_carry(name: str) -> None:
    text = _yaml(2, False) + f"            authors:\n              - '{name}'\n"
    with pytest.raises(InputError):
        load_yaml_data(text, "x.yaml")


def test_author_lines_are_not_prose_and_never_spell_checked() -> None:
    lines = ["* Paper", "  * Authors: Modle Teh and Bo Li", "  * Modle state", "Authors: Modle",
             "**Authors:** Modle", "<!--", "Authors: inside a comment", "-->"]
    kinds = line_kinds(lines)
    assert kinds[:5] == [PROSE, AUTHORS, PROSE, AUTHORS, AUTHORS]
    assert kinds[6] != AUTHORS and kinds[7] != PROSE  # the comment stays one comment
    page = PAGE.replace("Cy Zed", "Modle").replace("A note.", "Modle state.")
    misspelt = [f.line for f in lint(page, "conferences/sosp-2024.md") if f.rule == "NK501"]
    assert misspelt == [page.split("\n").index("  * Modle state.") + 1]
