"""What a person sees (issue 16): findings per HTML block, spans, full/concise/grouped text
output, streaming in file order, no files found, sync --check's report, fix's short report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from notes_kit.cli import run
from notes_kit.config import Config
from notes_kit.engine import lint

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
