"""The README's promises: its two set-up commands are what CI runs, and every rule is listed."""

from __future__ import annotations

from pathlib import Path

from notes_kit.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]
INSTALL = "pip install -e '.[test]' && notes-kit lint conferences/"


def test_readme_gives_the_two_commands_and_ci_runs_them() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert INSTALL in readme and "\npytest\n" in readme
    assert INSTALL in ci
    assert "\npytest " in ci or "\npytest\n" in ci


def test_every_rule_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in readme.splitlines()
            if line.startswith("| NK")}
    assert rows == set(all_rules())
