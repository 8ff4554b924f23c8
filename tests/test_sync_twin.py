"""`sync` never overwrites a hand edit of the YAML twin (issue 11, item 16): a twin newer
than its page that is not the page's conversion stops sync for that page; `--from-yaml`
writes the page from the twin, `--force` overwrites the twin."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.pages import to_yaml, yaml_to_markdown

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "conferences" / "sosp-2024.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _pair(tmp_path: Path, twin_newer: bool) -> tuple[Path, Path, str]:
    """A page and a hand-edited twin (one affiliation changed in the YAML)."""
    page, twin = tmp_path / "sosp-2024.md", tmp_path / "sosp-2024.yaml"
    page.write_text(PAGE, encoding="utf-8")
    edited = to_yaml(PAGE, str(page), str(twin)).replace("- ETH\n", "- ETH Zurich\n", 1)
    assert "ETH Zurich" in edited
    twin.write_text(edited, encoding="utf-8")
    older, newer = (page, twin) if twin_newer else (twin, page)
    os.utime(older, ns=(10**18, 10**18))
    os.utime(newer, ns=(10**18 + 10**9, 10**18 + 10**9))
    return page, twin, edited


def test_a_newer_hand_edited_twin_stops_sync(tmp_path: Path) -> None:
    page, twin, edited = _pair(tmp_path, twin_newer=True)
    code, out, err = _run("sync", str(page))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"notes-kit: {twin}: newer than {page}")
    assert "--from-yaml" in line and "--force" in line
    assert twin.read_text(encoding="utf-8") == edited


def test_from_yaml_writes_the_page_from_the_twin(tmp_path: Path) -> None:
    page, twin, edited = _pair(tmp_path, twin_newer=True)
    code, out, err = _run("sync", "--from-yaml", str(page))
    assert (code, err) == (0, "") and out == f"wrote {page}\n"
    assert page.read_text(encoding="utf-8") == yaml_to_markdown(edited, str(twin))
    assert "* ETH Zurich" in page.read_text(encoding="utf-8")
    assert _run("sync", "--check", str(page))[0] == 0  # the pair agrees again


def test_force_overwrites_the_twin(tmp_path: Path) -> None:
    page, twin, _ = _pair(tmp_path, twin_newer=True)
    code, out, err = _run("sync", "--force", str(page))
    assert (code, err) == (0, "") and out == f"wrote {twin}\n"
    assert twin.read_text(encoding="utf-8") == to_yaml(PAGE, str(page), str(twin))


def test_an_older_twin_is_brought_up_to_date_as_before(tmp_path: Path) -> None:
    page, twin, _ = _pair(tmp_path, twin_newer=False)
    code, out, err = _run("sync", str(page))
    assert (code, err) == (0, "") and out == f"wrote {twin}\n"
    assert twin.read_text(encoding="utf-8") == to_yaml(PAGE, str(page), str(twin))
