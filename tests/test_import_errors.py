"""Bad input to `notes-kit import`: exit 2, one line `notes-kit: path:line: message` on
stderr, nothing written. Entity bombs and external entities are refused unexpanded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from notes_kit.cli.main import run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<dblp><inproceedings key="x"><title>&lol2;</title></inproceedings></dblp>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE dblp [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<dblp><inproceedings key="x"><title>&xxe;</title></inproceedings></dblp>
"""
CASES = {
    "cut.bib": (b"@inproceedings{a,\n  title = {A Paper},\n  author = {Ann Lee},\n\n"
                b"@inproceedings{b,\n  title = {Unclosed\n", "malformed BibTeX", None),
    "bomb.xml": (BOMB.encode(), "XML entity declarations are refused", 3),
    "external.xml": (EXTERNAL.encode(), "XML entity declarations are refused", 3),
    "broken.xml": (b"<dblp>\n<inproceedings key='x'>\n<title>T</titel>\n</dblp>\n",
                   "malformed XML", 3),
    "untitled.csv": (b"name of paper,authors\nA,B\n", "no title column", 1),
    "binary.csv": (b"title\nA paper\n\x00\x01\x02", "binary file", 3),
    "latin1.md": (b"# SOSP 2024\n\n* Caf\xe9 Paper\n", "invalid UTF-8", 3),
    "empty.bib": (b"% only a comment\n", "no BibTeX entries", 1),
    "quote.csv": (b"title,authors\n\"A paper,Ann\n", "malformed CSV", None),
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, name: str) -> None:
    data, message, line = CASES[name]
    source = tmp_path / name
    source.write_bytes(data)
    out_dir = tmp_path / "out"
    code, out, err = cli("import", str(source), "--venue", "SOSP", "--year", "2024",
                         "-o", str(out_dir / "sosp-2024.md"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"notes-kit: {source}:")
    assert message in err
    if line is not None:
        assert err.startswith(f"notes-kit: {source}:{line}: ")
    else:
        assert err.split(":")[2].strip().isdigit()  # some line is named
    assert not out_dir.exists()


def test_the_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    """Refused before any expansion: the message is short and no title carries 'lol'."""
    source = tmp_path / "bomb.xml"
    source.write_text(BOMB.replace("lol2;</title>", "lol2;</title>" * 1), encoding="utf-8")
    code, out, err = cli("import", str(source), "-o", str(tmp_path / "x.md"))
    assert code == 2 and "lol" not in err and len(err) < 200


def test_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2025.md"
    page.write_text("mine\n", encoding="utf-8")
    code, _, err = cli("import", str(FIXTURES / "dblp" / "sosp-2025.xml"), "-o", str(page))
    assert code == 2 and "already exists" in err and "--into" in err
    assert page.read_text(encoding="utf-8") == "mine\n"
    assert not page.with_suffix(".yaml").exists()


def test_a_source_without_venue_needs_venue_and_year(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("title\nA Paper\n", encoding="utf-8")
    code, _, err = cli("import", str(source), "-o", str(tmp_path / "x.md"))
    assert code == 2 and "--venue and --year" in err
    code, _, err = cli("import", str(source), "--venue", "Nope", "--year", "2024",
                       "-o", str(tmp_path / "x.md"))
    assert code == 2 and "unknown venue" in err
    assert not (tmp_path / "x.md").exists()


def test_into_refuses_output_options(tmp_path: Path) -> None:
    code, _, err = cli("import", "a.bib", "--into", "p.md", "--venue", "SOSP")
    assert code == 2 and "--into" in err


def test_help_lists_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):  # argparse prints help and exits, as for every command
        run(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name in ("bibtex (.bib, .bibtex)", "dblp (.xml)", "csv (.csv)", "markdown (.md"):
        assert name in text
