"""`notes-kit import --into PAGE`: the papers the page lacks go under "Unsorted"; every
byte already on the page stays, and so does every paper and note (tested on a copy of
the shipped conferences/sosp-2024.md)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.lint.rules.facts import normalise_title
from notes_kit.pages import parse_markdown, to_yaml, yaml_to_markdown

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "conferences" / "sosp-2024.md"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SOSP24 = FIXTURES / "bibtex" / "sosp-2024.bib"  # Dirigent, Tenplex, PowerInfer: all on the page
VERUS = FIXTURES / "markdown" / "verus-practical-foundation.md"  # not on the page


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _copy(tmp_path: Path) -> Path:
    page = tmp_path / "conferences" / "sosp-2024.md"
    page.parent.mkdir()
    shutil.copy(SHIPPED, page)
    shutil.copy(SHIPPED.with_suffix(".yaml"), page.with_suffix(".yaml"))
    return page


def _inserted(before: str, after: str) -> str:
    """The one contiguous chunk `after` adds to `before` (everything else is identical)."""
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                 len(before))
    end = len(after) - (len(before) - start)
    assert after[:start] + after[end:] == before  # byte for byte: only an insertion
    return after[start:end]


def test_into_the_shipped_page_adds_what_it_lacks_and_keeps_every_byte(tmp_path: Path) -> None:
    page = _copy(tmp_path)
    before = page.read_text(encoding="utf-8")
    old = parse_markdown(before, str(page)).papers()
    assert len(old) == 11
    code, out, err = cli("import", str(SOSP24), str(VERUS), "--into", str(page))
    assert code == 0, err
    assert "added 1 papers under 'Unsorted' (3 already there)" in out
    after = page.read_text(encoding="utf-8")
    chunk = _inserted(before, after)
    assert chunk.startswith("\n### Unsorted\n\n* Verus: A Practical Foundation for Systems "
                            "Verification \\[[PDF](")
    new = parse_markdown(after, str(page)).papers()
    assert new[:11] == old  # all eleven, their links, affiliations and notes, unchanged
    assert [p.notes for p in new[:11]] == [p.notes for p in old]
    assert [normalise_title(p.title) for p in new[11:]] == [
        "verus a practical foundation for systems verification"]
    assert new[11].authors[0] == "Andrea Lattuada" and len(new[11].authors) == 14
    assert new[11].tags == ["**Distinguished Artifact Award**"]
    twin = page.with_suffix(".yaml").read_text(encoding="utf-8")
    assert twin == to_yaml(after, str(page), str(page.with_suffix(".yaml")))
    assert yaml_to_markdown(twin) == after  # the merged page is canonical still
    assert "\nschema_version: 2\n" in twin  # it now has authors


def test_papers_already_there_are_not_added_again(tmp_path: Path) -> None:
    page = _copy(tmp_path)
    before = page.read_bytes()
    code, out, _ = cli("import", str(SOSP24), "--into", str(page))
    assert code == 0 and "nothing to add (3 papers already there)" in out
    assert page.read_bytes() == before
    assert cli("import", str(VERUS), "--into", str(page))[0] == 0
    once = page.read_bytes()
    code, out, _ = cli("import", str(VERUS), str(SOSP24), "--into", str(page))
    assert code == 0 and "nothing to add (4 papers already there)" in out
    assert page.read_bytes() == once


def test_an_existing_unsorted_topic_is_extended_in_place(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    before = ("# SOSP 2024\n\n## Papers\n\n### Unsorted\n\n"
              "* Old Paper \\[[Paper](https://example.org/old)]\n  * PKU\n  * A note.\n\n"
              "### Storage\n\n* Stored \\[[Paper](https://example.org/s)]\n  * MIT\n\n"
              "## Acronyms\n\n* KV: Key-Value\n")
    page.write_text(before, encoding="utf-8")
    code, _, err = cli("import", str(VERUS), "--into", str(page))
    assert code == 0, err
    after = page.read_text(encoding="utf-8")
    chunk = _inserted(before, after)
    assert chunk.startswith("* Verus") and after.index(chunk) < after.index("### Storage")
    titles = [p.title for p in parse_markdown(after).papers()]
    assert titles == ["Old Paper", "Verus: A Practical Foundation for Systems Verification",
                      "Stored"]


def test_a_page_without_papers_gets_the_section(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    before = "---\ndescription: mine\n---\n\n# SOSP 2024\n\n## Meta Info\n\nHomepage: <https://x.org>\n"
    page.write_text(before, encoding="utf-8")
    assert cli("import", str(SOSP24), "--into", str(page))[0] == 0
    after = page.read_text(encoding="utf-8")
    assert _inserted(before, after).startswith("\n## Papers\n\n### Unsorted\n\n* Dirigent")
    assert len(parse_markdown(after).papers()) == 3


def test_into_a_page_that_is_not_a_conference_page_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text("Just some notes.\n", encoding="utf-8")
    code, _, err = cli("import", str(SOSP24), "--into", str(page))
    assert code == 2 and "not a conference page" in err
    assert page.read_text(encoding="utf-8") == "Just some notes.\n"
    assert not page.with_suffix(".yaml").exists()
