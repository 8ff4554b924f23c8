"""Every refusal is one line naming the file and line (issue 11, item 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("year", ["0000", "12", "20x4", "99999"])
def test_new_names_the_page_and_the_year_as_typed(year: str, cli: Any, tmp_path: Path) -> None:
    done = cli("new", "osdi", year, "--dir", str(tmp_path / "conferences"))
    assert done.returncode == 2 and done.stdout == b""
    page = tmp_path / "conferences" / f"osdi-{year}.md"
    assert done.stderr.decode() == (f"notes-kit: {page}: the year must be four digits, 1000 "
                                    f"to 9999 (got '{year}'); nothing written\n")
    assert not (tmp_path / "conferences").exists()


@pytest.mark.parametrize("content", [
    " ".join(["word"] * 2000) + "\nmore prose\n",  # a text file: YAML reads it as one string
    "venues:\n  - " + "x" * 5000 + "\n",  # an entry that is one long string
])
def test_a_bad_extra_venues_file_is_named_not_printed(content: str, cli: Any,
                                                      tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text(content, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.notes-kit]\nextra-venues = ["notes.txt"]\n',
                                             encoding="utf-8")
    page = tmp_path / "sosp-2024.md"
    page.write_bytes((REPO / "conferences" / "sosp-2024.md").read_bytes())
    done = cli("lint", str(page))
    stderr = done.stderr.decode()
    assert done.returncode == 2
    assert len(stderr.splitlines()) == 1 and len(stderr) < 300, stderr[:500]
    assert stderr.startswith(f"notes-kit: {tmp_path / 'notes.txt'}:")
