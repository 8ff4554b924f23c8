"""`notes-kit new`: a page from the venue registry whose placeholders the linter explains."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.knowledge.registries import load_venues
from notes_kit.lint.engine import fix, lint
from notes_kit.pages import to_yaml
from notes_kit.run.scaffold import close_matches, find_venue


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


FILLED = {
    "Homepage: <https://TODO>": "Homepage: <https://www.usenix.org/conference/osdi27>",
    "* <https://TODO>": "* <https://www.usenix.org/conference/osdi27/technical-sessions>",
    "* TODO: P% (= accepted / submitted)": "20.0% (= 10 / 50)",
    "## Papers\n": "## Papers\n\n### Storage\n\n"
                   "* A Fast File System \\[[Paper](https://www.usenix.org/osdi27/ffs)]\n"
                   "  * PKU\n",
}


def test_new_page_lint_fill_in_and_refuse_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "conferences"
    code, out, err = cli("new", "osdi", "2027", "--dir", str(folder))
    assert (code, err) == (0, "")
    page, twin = folder / "osdi-2027.md", folder / "osdi-2027.yaml"
    assert f"wrote {page}" in out and f"wrote {twin}" in out
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# OSDI 2027\n\n## Meta Info\n\n"
                           "USENIX Symposium on Operating Systems Design and Implementation\n")
    assert "### Paper List" in text and "### Acceptance Rate" in text
    assert text.endswith("## Papers\n")
    assert twin.read_text(encoding="utf-8") == to_yaml(text, str(page), str(twin))
    assert fix(text, str(page)).text == text  # written in canonical form

    code, out, _ = cli("lint", str(page))
    assert code == 1
    findings = {line.split(": ")[1].split()[0]: line for line in out.splitlines()
                if line.startswith(str(page))}
    assert set(findings) == {"NK201", "NK202", "NK203"}, out
    assert "placeholder <https://TODO>" in findings["NK201"] and "homepage" in findings["NK201"]
    assert "accepted-papers page" in findings["NK202"]
    assert "P% (= accepted / submitted)" in findings["NK203"]
    assert cli("sync", "--check", str(folder))[0] == 0

    for placeholder, value in FILLED.items():
        assert placeholder in text
        text = text.replace(placeholder, value)
    page.write_text(text, encoding="utf-8")
    assert [f for f in lint(text, str(page)) if f.severity.value == "error"] == []
    code, out, err = cli("lint", str(page))
    assert code == 0, out + err
    assert cli("sync", str(folder))[0] == 0
    assert cli("lint", str(folder))[0] == 0

    code, out, err = cli("new", "osdi", "2027", "--dir", str(folder))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "already exists" in err and "osdi-2027.md" in err
    assert page.read_text(encoding="utf-8") == text


def test_new_refuses_when_only_the_twin_exists(tmp_path: Path) -> None:
    (tmp_path / "sosp-2030.yaml").write_text("keep me\n", encoding="utf-8")
    code, _, err = cli("new", "sosp", "2030", "--dir", str(tmp_path))
    assert code == 2 and "sosp-2030.yaml" in err
    assert not (tmp_path / "sosp-2030.md").exists()
    assert (tmp_path / "sosp-2030.yaml").read_text(encoding="utf-8") == "keep me\n"


def test_unknown_venue_lists_close_matches(tmp_path: Path) -> None:
    code, out, err = cli("new", "osdl", "2027", "--dir", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "unknown venue" in err and "osdi" in err
    code, _, err = cli("new", "zzzzzz", "2027", "--dir", str(tmp_path))
    assert code == 2 and "no close match" in err
    assert list(tmp_path.iterdir()) == []


def test_bad_year_is_refused(tmp_path: Path) -> None:
    assert cli("new", "osdi", "27", "--dir", str(tmp_path))[0] == 2
    assert cli("new", "osdi", "twenty", "--dir", str(tmp_path))[0] == 2
    assert list(tmp_path.iterdir()) == []


def test_venue_by_display_name_and_slug() -> None:
    venues = load_venues()
    eurosys = find_venue("EuroSys", venues)
    assert eurosys is not None and eurosys.slug == "eurosys"
    assert find_venue("eurosys", venues) == eurosys
    assert "eurosys" in close_matches("eurosis", venues)


def test_new_by_display_name_writes_the_slug_file(tmp_path: Path) -> None:
    assert cli("new", "EuroSys", "2031", "--dir", str(tmp_path))[0] == 0
    text = (tmp_path / "eurosys-2031.md").read_text(encoding="utf-8")
    assert text.startswith("# EuroSys 2031\n")
