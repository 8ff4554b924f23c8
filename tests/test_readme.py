"""The README's promises: its two set-up commands are what CI runs, and every rule is listed."""

from __future__ import annotations

from pathlib import Path

from notes_kit.lint.rules.registry import all_rules

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


def _quick_start() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") : readme.index("## Commands")]
    return section


def test_quick_start_clones_and_makes_a_virtual_environment_before_installing() -> None:
    """Debian's system Python refuses `pip install` outside a virtual environment."""
    block = _quick_start().split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[-1] == INSTALL
    assert any(line.startswith("git clone ") and "cd notes-kit" in line for line in block)
    assert any("python3 -m venv .venv" in line and ". .venv/bin/activate" in line
               for line in block[:-1])


def test_pre_commit_is_a_test_dependency_the_package_never_imports() -> None:
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(dep.startswith("pre-commit") for dep in project["dependencies"])
    assert any(dep.startswith("pre-commit") for dep in project["optional-dependencies"]["test"])
    for source in (ROOT / "notes_kit").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+pre_commit", source.read_text("utf-8"), re.M)


def test_exit_code_2_is_told_as_it_happens(tmp_path: Path) -> None:
    """A bad file among several is reported and left alone; the others are still fixed."""
    import io

    from notes_kit.cli.main import run

    good = tmp_path / "sosp-2024.md"
    text = (ROOT / "conferences" / "sosp-2024.md").read_text(encoding="utf-8")
    good.write_text(text.replace("\n### Model Serving", "\n\n\n### Model Serving"), "utf-8")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe not UTF-8\n")
    err = io.StringIO()
    code = run(["fix", "--no-cache", str(bad), str(good)], stdout=io.StringIO(), stderr=err)
    assert code == 2 and err.getvalue().splitlines() == [
        f"notes-kit: {bad}:1: invalid UTF-8 (byte 0xff)"]
    assert good.read_text(encoding="utf-8") == text and bad.read_bytes().startswith(b"\xff")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 2 |"))
    assert "nothing written" not in row and "never written" in row
    assert "`fix` still writes their fixes" in readme
