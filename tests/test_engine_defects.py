"""Issue 11's engine defects: a safe fix never drops content, machine formats print only
their document, and suppressions and selection mean what they say."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.lint.engine import fix, lint
from notes_kit.pages import to_yaml, yaml_to_markdown

EUROSYS = ("# EuroSys 2022\n\n## Meta Info\n\nHomepage: <https://a.org/>\n\n### Paper List\n\n"
           "* <https://a.org/>\n  * note\n")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))


def nk(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --- 2: a safe fix or a conversion never drops what a page holds ---------------------------


def test_a_paper_list_heading_with_nothing_readable_under_it_stays() -> None:
    fixed = fix(EUROSYS, "eurosys-2022.md").text
    assert "### Paper List\n" in fixed and "* <https://a.org/>\n  * note\n" in fixed
    assert yaml_to_markdown(to_yaml(EUROSYS)) == fixed
    assert [f.rule for f in lint(EUROSYS, "eurosys-2022.md") if f.rule == "NK503"] == []


def test_a_rate_line_and_an_indented_bullet_do_not_become_two_rates() -> None:
    text = ("# EuroSys 2022\n\n## Meta Info\n\nHomepage: <https://a.org/>\n\n"
            "### Acceptance Rate\n\n17.3% (= 43 / 248)\n  * counted by hand\n\n## Papers\n")
    fixed = fix(text, "eurosys-2022.md").text
    assert "17.3% (= 43 / 248)\n" in fixed and "  * counted by hand\n" in fixed
    assert "* 17.3%" not in fixed
    assert yaml_to_markdown(to_yaml(text)) == fixed


# --- 7: machine formats print only the document on standard output -------------------------


@pytest.mark.parametrize("args", [("fix", "--format", "json"),
                                  ("lint", "--fix", "--format", "sarif")])
def test_fix_in_a_machine_format_prints_only_the_document(tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    path = tmp_path / "eurosys-2022.md"
    path.write_text(EUROSYS.replace("<https://a.org/>\n\n###", "[https://a.org/](https://a.org/)"
                                    "\n\n###"), encoding="utf-8")
    code, out, err = nk(*args, path)
    json.loads(out)  # nothing but the document
    assert f"{path}:5:11: NK205" in err  # the change line went to standard error


# --- 13: suppressions and selection ------------------------------------------------------


def test_a_suppression_of_an_unknown_rule_is_malformed() -> None:
    text = "# Notes\n\n<!-- notes-kit: disable-next-line NK999 -->\nText.\n"
    (finding,) = lint(text, "notes.md")
    assert (finding.rule, finding.line) == ("NK505", 3) and "NK999" in finding.message


def test_suppression_ids_are_case_insensitive() -> None:
    text = "# Notes\n\n<!-- notes-kit: disable-next-line nk501 -->\nA Modle.\n"
    assert lint(text, "notes.md") == []


@pytest.mark.parametrize("args", [("--ignore", "NK505"), ("--select", "NK503"),
                                  ("--ignore", "nk5")])
def test_nk505_follows_the_selection(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n<!-- notes-kit: disable -->\nText.\n", encoding="utf-8")
    assert nk("lint", path)[0] == 1
    code, out, _ = nk("lint", *args, path)
    assert (code, out) == (0, "All checks passed.\n")


def test_config_ignore_silences_nk505(tmp_path: Path) -> None:
    (tmp_path / ".notes-kit.toml").write_text('ignore = ["NK505"]\n', encoding="utf-8")
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n<!-- notes-kit: disable -->\nText.\n", encoding="utf-8")
    assert nk("lint", path)[:2] == (0, "All checks passed.\n")


def test_an_empty_selection_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nA Modle.\n", encoding="utf-8")
    code, out, err = nk("lint", "--select", "", path)
    assert code == 2 and out == "" and "--select" in err
