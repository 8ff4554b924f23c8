"""`notes-kit lint` and `notes-kit fix` end to end: in process through cli.run, plus a
couple of real subprocess runs."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from notes_kit.cli.main import run

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
RULE_FIXTURES = TESTS / "fixtures" / "rules"
CANONICAL = RULE_FIXTURES / "NK101" / "good.md"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>NK\d{3}) \[(?P<sev>\w+)\] ")
CHANGE = re.compile(r"^[^:]+:\d+:\d+: NK\d{3} (?!\[)")  # `path:line:col: RULE what changed`


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def nk(*args: str | Path) -> tuple[int, str, str]:
    """Run the CLI in process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def finding_lines(output: str) -> list[tuple[int, str]]:
    """(line, rule) of every `path:line:col: RULE [severity] ...` line of text output."""
    return [(int(m.group("line")), m.group("rule"))
            for m in map(LINE.match, output.splitlines()) if m]


def page(tmp_path: Path, text: str, name: str = "sosp-2024.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def canonical() -> str:
    return CANONICAL.read_text(encoding="utf-8")


# A canonical page with one warning (a paper without link) and nothing else.
def warning_only() -> str:
    return canonical().replace(
        " \\[[Paper](https://dl.acm.org/doi/10.1145/3694715.3695963)] "
        "\\[[Code](https://github.com/dywsjtu/apparate)]", "")


# A page with a safe fix (unescaped brackets, NK301) and an unsafe one (NK403).
def fixable() -> str:
    return canonical().replace("\\[[Paper]", "[[Paper]").replace(
        "* Princeton & GaTech", "* Princeton & Georgia Tech")


# --- the seed and the collection ------------------------------------------------------


def test_original_seed_has_exactly_the_typo_and_the_entity() -> None:
    code, out, err = nk("lint", SEED)
    assert code == 1, err
    assert finding_lines(out) == [(36, "NK501"), (36, "NK502")]
    assert out.splitlines()[-1].startswith("Found 2 errors")


def test_original_seed_as_json() -> None:
    code, out, _ = nk("lint", "--format", "json", SEED)
    found = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [
        ("NK501", 36, 11), ("NK502", 36, 22)]


def test_the_conferences_folder_is_clean() -> None:
    code, out, err = nk("lint", REPO / "conferences")
    assert (code, err) == (0, "")
    assert out == "All checks passed.\n"


def test_the_conference_page_is_clean_under_strict() -> None:
    assert nk("lint", "--strict", REPO / "conferences" / "sosp-2024.md")[0] == 0


# --- output formats -------------------------------------------------------------------


def test_json_shape() -> None:
    code, out, _ = nk("lint", "--format", "json", SEED)
    found = json.loads(out)
    assert code == 1 and isinstance(found, list) and len(found) == 2
    for item in found:
        assert set(item) >= {"path", "line", "column", "end_line", "end_column", "rule",
                             "severity", "message", "fixable", "suggestions"}
        assert item["path"] == str(SEED)
    assert [f["fixable"] for f in found] == [False, True]


def test_sarif_shape() -> None:
    code, out, _ = nk("lint", "--format", "sarif", SEED)
    log = json.loads(out)
    assert code == 1
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "notes-kit"
    assert [r["id"] for r in driver["rules"]] == ["NK501", "NK502"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["NK501", "NK502"]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 36
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 11


def test_github_shape() -> None:
    code, out, _ = nk("lint", "--format", "github", SEED)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith(f"::error file={SEED},line=36,col=11,")
    assert all(re.match(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,.*title=NK\d{3}::", x)
               for x in lines)


def test_clean_json_is_an_empty_list() -> None:
    assert nk("lint", "--format", "json", REPO / "conferences" / "sosp-2024.md")[:2] == (0, "[]\n")


# --- selection, strictness ------------------------------------------------------------


def test_select_keeps_only_the_prefix() -> None:
    code, out, _ = nk("lint", "--select", "NK502", SEED)
    assert (code, finding_lines(out)) == (1, [(36, "NK502")])


def test_ignore_drops_the_prefix() -> None:
    code, out, _ = nk("lint", "--ignore", "NK501", SEED)
    assert (code, finding_lines(out)) == (1, [(36, "NK502")])


def test_ignoring_everything_passes() -> None:
    code, out, _ = nk("lint", "--ignore", "NK5", SEED)
    assert (code, out) == (0, "All checks passed.\n")


def test_unknown_prefix_is_a_usage_error() -> None:
    code, out, err = nk("lint", "--select", "E501", SEED)
    assert code == 2 and out == "" and "E501" in err


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = page(tmp_path, warning_only())
    code, out, _ = nk("lint", path)
    assert (code, finding_lines(out)) == (0, [(19, "NK305")])
    assert "[warning]" in out
    assert nk("lint", "--strict", path)[0] == 1


# --- fixing ---------------------------------------------------------------------------


def test_fix_writes_and_reports_each_change(tmp_path: Path) -> None:
    path = page(tmp_path, fixable())
    code, out, err = nk("fix", path)
    assert code == 1, err  # `fix` changed a file
    changes = [line for line in out.splitlines() if CHANGE.match(line)]
    assert changes == [f"{path}:19:86: NK301 links are written '\\[[Label](url)]', one per "
                       "bracket, separated by single spaces"]
    assert out.splitlines()[-1] == "Fixed 1 finding in 1 file (1 left, 1 fixable with " \
        "--unsafe-fixes)."
    text = path.read_text(encoding="utf-8")
    assert "\\[[Paper]" in text and "Georgia Tech" in text  # unsafe fixes need the flag
    code, out, _ = nk("fix", path)  # what is left is the unsafe fix, a warning
    assert code == 0 and not any(CHANGE.match(line) for line in out.splitlines())


def test_fix_twice_changes_nothing(tmp_path: Path) -> None:
    path = page(tmp_path, fixable())
    nk("fix", path)
    once = path.read_bytes()
    code, out, _ = nk("fix", path)
    assert path.read_bytes() == once
    assert not any(CHANGE.match(line) for line in out.splitlines()) and code == 0


def test_unsafe_fixes_on_request(tmp_path: Path) -> None:
    path = page(tmp_path, fixable())
    code, out, _ = nk("fix", "--unsafe-fixes", path)
    assert code == 1
    assert f"{path}:20:17: NK403 'Georgia Tech' -> 'GaTech'" in out
    assert path.read_text(encoding="utf-8") == canonical()


def test_fix_diff_writes_nothing(tmp_path: Path) -> None:
    path = page(tmp_path, fixable())
    before = path.read_bytes()
    code, out, err = nk("fix", "--diff", path)
    assert path.read_bytes() == before
    assert out.startswith(f"--- a/{path}\n")  # the diff alone: `fix --diff | git apply`
    assert err.splitlines()[-1] == "Would fix 1 finding in 1 file (1 left, 1 fixable with " \
        "--unsafe-fixes)."
    assert f"--- a/{path}" in out and f"+++ b/{path}" in out
    assert "\n-* Apparate: Rethinking Early Exits to Tame Latency-Throughput Tensions in ML " \
           "Serving [[Paper]" in out
    assert "\n+* Apparate: Rethinking Early Exits to Tame Latency-Throughput Tensions in ML " \
           "Serving \\[[Paper]" in out
    assert code == 1  # a pending diff fails, as `ruff --diff` does; nothing written


def test_lint_fix_applies_safe_fixes(tmp_path: Path) -> None:
    path = page(tmp_path, canonical().replace("\\[[Paper]", "[[Paper]"))
    code, out, _ = nk("lint", "--fix", path)
    assert path.read_text(encoding="utf-8") == canonical()
    assert code == 0 and out.splitlines()[-1] == "Fixed 1 finding in 1 file."


def test_lint_alone_writes_nothing(tmp_path: Path) -> None:
    path = page(tmp_path, fixable())
    before = path.read_bytes()
    code, out, _ = nk("lint", path)
    assert path.read_bytes() == before
    assert code == 1 and (19, "NK301") in finding_lines(out)


# --- bad input and configuration ------------------------------------------------------


def test_missing_path_exits_2(tmp_path: Path) -> None:
    code, out, err = nk("lint", tmp_path / "nothere.md")
    assert code == 2 and out == ""
    assert "nothere.md" in err and "no such file" in err


def test_bad_config_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / ".notes-kit.toml").write_text('select = ["NK"]\ncolour = "blue"\n',
                                               encoding="utf-8")
    path = page(tmp_path, canonical())
    code, out, err = nk("lint", path)
    assert code == 2 and out == ""
    assert ".notes-kit.toml:2" in err and "colour" in err


def test_explicit_config_file(tmp_path: Path) -> None:
    config = tmp_path / "lint.toml"
    config.write_text('ignore = ["NK305"]\n', encoding="utf-8")
    path = page(tmp_path, warning_only())
    assert nk("lint", "--config", config, path)[:2] == (0, "All checks passed.\n")


def test_pyproject_table_is_discovered(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "notes"\n\n[tool.notes-kit]\n'
                                             'ignore = ["NK305"]\nstrict = true\n',
                                             encoding="utf-8")
    folder = tmp_path / "conferences"
    folder.mkdir()
    path = page(folder, warning_only())
    assert nk("lint", path)[:2] == (0, "All checks passed.\n")
    assert nk("lint", folder)[:2] == (0, "All checks passed.\n")


def test_pyproject_without_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "notes"\n', encoding="utf-8")
    path = page(tmp_path, warning_only())
    code, out, _ = nk("lint", path)
    assert (code, finding_lines(out)) == (0, [(19, "NK305")])


# --- inline suppression ---------------------------------------------------------------

LABEL = "\\[[Code](https://github.com/dywsjtu/apparate)]"


def test_disable_next_line_suppresses(tmp_path: Path) -> None:
    text = canonical().replace(LABEL, LABEL.replace("Code", "code")).replace(
        "* Apparate", "<!-- notes-kit: disable-next-line NK302 -->\n* Apparate")
    path = page(tmp_path, text)
    code, out, _ = nk("lint", path)
    assert (code, out) == (0, "All checks passed.\n")
    (tmp_path / "plain").mkdir()
    without = page(tmp_path / "plain", text.replace(
        "<!-- notes-kit: disable-next-line NK302 -->\n", ""))
    assert finding_lines(nk("lint", without)[1]) == [(19, "NK302")]


def test_unused_suppression_is_reported(tmp_path: Path) -> None:
    text = canonical().replace("* Apparate",
                               "<!-- notes-kit: disable-next-line NK302 -->\n* Apparate")
    path = page(tmp_path, text)
    code, out, _ = nk("lint", path)
    assert finding_lines(out) == [(19, "NK506")]
    assert code == 0  # a warning
    assert nk("lint", "--strict", path)[0] == 1


# --- real processes -------------------------------------------------------------------


def test_subprocess_lint_seed(tmp_path: Path) -> None:
    import subprocess
    import sys

    copy = tmp_path / "sosp-2024.md"
    shutil.copy(SEED, copy)
    done = subprocess.run([sys.executable, "-m", "notes_kit", "lint", "--format", "json",
                           str(copy)], capture_output=True, cwd=tmp_path, timeout=120,
                          check=False)
    assert done.returncode == 1, done.stderr
    assert [(f["rule"], f["line"]) for f in json.loads(done.stdout)] == [
        ("NK501", 36), ("NK502", 36)]


def test_subprocess_fix_then_lint(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = page(tmp_path, fixable())
    cmd = [sys.executable, "-m", "notes_kit"]
    fixed = subprocess.run([*cmd, "fix", str(path)], capture_output=True, cwd=tmp_path,
                           timeout=120, check=False)
    assert fixed.returncode == 1, fixed.stderr
    assert b": NK301 " in fixed.stdout
    linted = subprocess.run([*cmd, "lint", str(path)], capture_output=True, cwd=tmp_path,
                            timeout=120, check=False)
    assert linted.returncode == 0, linted.stdout
    assert b"NK403" in linted.stdout  # the unsafe one is left and reported (a warning)
