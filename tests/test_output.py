"""What a person sees (issue 16): findings per HTML block, spans, full/concise/grouped text
output, streaming in file order, no files found, sync --check's report, fix's short report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.lint.config import Config
from notes_kit.lint.engine import lint

TABLE = ("# Notes\n\n| Name | Institute |\n|---|---|\n"
         "| A | <ul><li>MIT</li><li>CMU</li></ul> |\n| B | <ul><li>PKU</li></ul> |\n\n"
         "A <mark>marked</mark> word.\n")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def nk(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_html_is_reported_once_per_block_with_its_count() -> None:
    found = [f for f in lint(TABLE, "notes/x.md") if f.rule == "NK502"]
    assert [(f.line, f.column, f.end_column) for f in found] == [(5, 7, 11), (8, 3, 9)]
    assert found[0].message.startswith("HTML kept as written (5 elements: <ul>, <li>):")
    assert found[1].message.startswith("HTML kept as written (1 element: <mark>):")


def test_html_kept_on_purpose_has_a_configurable_severity() -> None:
    warned = [f for f in lint(TABLE, "x.md", Config(html_content="warning")) if f.rule == "NK502"]
    assert {f.severity.value for f in warned} == {"warning"}
    assert [f for f in lint(TABLE, "x.md", Config(html_content="off")) if f.rule == "NK502"] == []


SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "sosp-2024.original.md"


def test_full_output_underlines_what_each_finding_is_about(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_bytes(SEED.read_bytes())
    code, out, _ = nk("lint", page)
    assert code == 1
    assert out.split("\n")[:5] == [
        f"{page}:36:11: NK501 [error] 'Modle' may be misspelled: Model, Module",
        "   |",
        "36 |         * Modle state&#x20;",
        "   |           ^^^^^",
        ""]
    concise = nk("lint", "--output-format", "concise", page)[1].splitlines()
    assert concise == [f"{page}:36:11: NK501 [error] 'Modle' may be misspelled: Model, Module",
                       f"{page}:36:22: NK502 [error] '&#x20;' at the end of a line (a GitBook "
                       "leftover): it is dropped (fixable)", "Found 2 errors (1 fixable)."]


def test_grouped_output_lists_findings_under_each_file(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("# B\n\nA Modle.\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n\nA Modle.   \n", encoding="utf-8")
    out = nk("lint", "--format", "grouped", tmp_path / "b.md", tmp_path / "a.md")[1]
    assert out.splitlines() == [
        f"{tmp_path / 'b.md'}:", "  3:3: NK501 [error] 'Modle' may be misspelled: Model, Module",
        "", f"{tmp_path / 'a.md'}:", "  3:3: NK501 [error] 'Modle' may be misspelled: Model, "
        "Module", "  3:9: NK503 [error] trailing whitespace (fixable)", "",
        "Found 3 errors (1 fixable)."]


def test_findings_stream_in_the_order_files_are_given(tmp_path: Path) -> None:
    """Each file's findings are printed when it is done: the order of the paths, not the
    order of their names."""
    for name in ("z.md", "a.md"):
        (tmp_path / name).write_text("# N\n\nA Modle.\n", encoding="utf-8")
    out = nk("lint", "--format", "concise", tmp_path / "z.md", tmp_path / "a.md")[1]
    assert [line.split(":")[0] for line in out.splitlines()[:2]] == [
        str(tmp_path / "z.md"), str(tmp_path / "a.md")]


def test_a_folder_without_notes_says_so_with_its_own_exit_code(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ci.yaml").write_text("on: push\n", encoding="utf-8")
    code, out, err = nk("lint", tmp_path / "notes")
    assert (code, out) == (5, "")
    assert err == f"notes-kit: no notes found in {tmp_path / 'notes'} (Markdown pages and notes " \
                  "YAML, after excludes)\n"


def test_sync_check_names_the_twins_and_the_command(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_bytes((SEED.parents[2].parent / "conferences" / "sosp-2024.md").read_bytes())
    code, out, _ = nk("sync", "--check", tmp_path)
    assert code == 1
    assert out.splitlines() == [f"{tmp_path / 'sosp-2024.yaml'}: NK703 missing: no YAML twin of "
                                f"{page}",
                                f"1 of 1 YAML twins to write: run 'notes-kit sync {page}'"]
    assert nk("sync", tmp_path)[0] == 0
    assert nk("sync", "--check", tmp_path)[1] == "1 YAML twin up to date.\n"


def test_fix_brief_reports_changes_and_counts_only(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_bytes(SEED.read_bytes())
    code, out, _ = nk("fix", "--brief", page)
    assert code == 1
    assert out.splitlines() == [f"{page}:36:22: NK502 '&#x20;' -> ''",
                                "Fixed 1 finding in 1 file (1 left)."]


def test_sarif_regions_span_what_findings_are_about(tmp_path: Path) -> None:
    import json

    page = tmp_path / "sosp-2024.md"
    page.write_bytes(SEED.read_bytes())
    results = json.loads(nk("lint", "--format", "sarif", page)[1])["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert [(g["startColumn"], g["endColumn"]) for g in regions] == [(11, 16), (22, 28)]


def test_docs_output_is_what_notes_kit_prints() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "docs" / "make_output.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == 0, "docs/output.md is stale: run python docs/make_output.py"
