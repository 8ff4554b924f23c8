"""Terminal escape injection (issue 11, item 15): what a page holds never reaches the terminal
as a control sequence, and NK507 reports control, bidirectional and zero-width characters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.reporters import visible
from notes_kit.core.findings import Severity
from notes_kit.lint.engine import lint

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "conferences" / "sosp-2024.md").read_text(encoding="utf-8")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J"  # set the window title, clear the screen
TITLE = "* ReCycle: Resilient Training"


def _pages(tmp_path: Path) -> list[Path]:
    """Two pages listing the same paper, whose title carries escape sequences."""
    assert TITLE in PAGE
    text = PAGE.replace(TITLE, f"* ReCycle{HOSTILE}: Resilient Training", 1)
    pages = [tmp_path / "sosp-2024.md", tmp_path / "osdi-2024.md"]
    for page in pages:
        page.write_text(text.replace("# SOSP 2024", "# OSDI 2024") if "osdi" in page.name
                        else text, encoding="utf-8")
    return pages


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_control_character_reaches_the_terminal(fmt: str, cli: Any, tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    done = cli("lint", "--format", fmt, *map(str, pages))
    output = done.stdout + done.stderr
    assert not any(byte < 32 and byte not in b"\n\t" for byte in output), output
    assert b"NK701" in output and b"\\x1b]0;pwned\\x07" in output
    assert b"NK507" in output and done.returncode == 1


def test_nk507_gives_line_column_and_the_characters(tmp_path: Path) -> None:
    source = ("# Notes\n\n* plain\n* tab\tis fine\n* esc\x1b[31m here\n"
              "* Title\u202e reversed, \u2066isolated\u2069\n* Server\u200bless\n")
    found = [f for f in lint(source, "notes/page.md") if f.rule == "NK507"]
    assert [(f.line, f.column, f.end_column) for f in found] == [
        (5, 6, 7), (6, 8, 9), (6, 20, 21), (6, 29, 30), (7, 9, 10)]
    assert "U+001B ESC" in found[0].message and "control character" in found[0].message
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found[1].message
    assert "bidirectional" in found[2].message
    assert "U+200B ZERO WIDTH SPACE" in found[4].message
    assert [f.severity for f in found] == [Severity.ERROR] * 4 + [Severity.WARNING]
    assert not any(f.fixable for f in found)
    assert [f.rule for f in lint("# Notes\n\n* a\tb, caf\u00e9, \U0001f600\n",
                                 "notes/page.md")] == ["NK503"]  # tab in text: NK503 only
    joined = ("# Notes\n\n* \U0001f468\u200d\U0001f4bb coder, "
              "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n")
    assert lint(joined, "notes/page.md") == []  # an emoji sequence, a Persian word
    assert [f.rule for f in lint("# Notes\n\n* Server\u200dless\n", "notes/page.md")] == [
        "NK507"]


def test_visible_escapes_what_a_terminal_acts_on() -> None:
    assert visible("a\x1b[2Jb\x07c\u202ed\te\x85") == "a\\x1b[2Jb\\x07c\\u202ed\te\\x85"
    assert visible("one\ntwo") == "one\\x0atwo"
    assert visible("one\ntwo", keep="\n") == "one\ntwo"
    assert visible("caf\u00e9 \U0001f600") == "caf\u00e9 \U0001f600"


def test_paths_with_control_characters_are_printed_escaped(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "odd\x1b[2Jname"
    folder.mkdir()
    (folder / "sosp-2024.md").write_text(PAGE, encoding="utf-8")
    for command in (["sync", str(folder)], ["lint", str(folder / "missing.md")]):
        done = cli(*command)
        output = done.stdout + done.stderr
        assert b"\x1b" not in output and b"odd\\x1b[2Jname" in output, (command, output)
