"""Fixes are edits (issue 10): fix applies exactly the edits of the findings that are
selected and not suppressed, JSON and SARIF carry them, a guard refuses a fix that would
change a page's content, and the defects found on real pages stay fixed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.main import run
from notes_kit.core.edits import apply_edits
from notes_kit.lint.config import Config
from notes_kit.lint.engine import FixRefused, fix, lint
from notes_kit.pages import parse_markdown, to_markdown, to_yaml, yaml_to_markdown

TESTS = Path(__file__).resolve().parent
SARIF_SCHEMA = TESTS.parents[1] / "shared" / "schemas" / "sarif-schema-2.1.0.json"

PAGE = """# SOSP 2024

## Meta Info

Homepage: <https://sigops.org/s/conferences/sosp/2024/>

### Paper List

* <https://dl.acm.org/doi/proceedings/10.1145/3694715>

## Papers

### Model Serving

<!-- notes-kit: disable-next-line NK301 -->
* A paper [[Paper](https://a.org/a)]
  * PKU
* B paper \\[[Arxiv](https://arxiv.org/abs/2401.00001)]
  * MIT
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def nk(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def changed_lines(before: str, after: str) -> list[str]:
    old, new = before.split("\n"), after.split("\n")
    assert len(old) == len(new)
    return [line for line, other in zip(old, new, strict=True) if line != other]


# --- defect 1: suppressions and selection --------------------------------------------------


def test_a_suppressed_finding_is_not_fixed_and_its_suppression_stays_used() -> None:
    result = fix(PAGE, "sosp-2024.md")
    assert changed_lines(PAGE, result.text) == ["* B paper \\[[Arxiv](https://arxiv.org/abs/"
                                                "2401.00001)]"]
    assert "* A paper [[Paper](https://a.org/a)]" in result.text
    assert [f.rule for f in lint(result.text, "sosp-2024.md")] == []  # no NK506 either


def test_fix_select_applies_only_the_selected_rule(tmp_path: Path) -> None:
    text = PAGE.replace("<!-- notes-kit: disable-next-line NK301 -->\n", "").replace(
        "* A paper [[Paper](https://a.org/a)]", "* A paper [[Arxiv](https://a.org/a)]")
    path = tmp_path / "sosp-2024.md"
    path.write_text(text, encoding="utf-8")
    code, out, _ = nk("fix", "--select", "NK302", path)
    fixed = path.read_text(encoding="utf-8")
    assert "* A paper [[arXiv](https://a.org/a)]" in fixed  # brackets (NK301) left alone
    assert "* B paper \\[[arXiv](https://arxiv.org/abs/2401.00001)]" in fixed
    assert code == 1 and "Fixed 2 findings in 1 file." in out
    code, out, _ = nk("fix", "--select", "nk301", path)  # ids are case-insensitive
    assert "* A paper \\[[arXiv](https://a.org/a)]" in path.read_text(encoding="utf-8")


def test_deselected_rules_keep_their_form_whatever_else_is_fixed() -> None:
    text = PAGE.replace("<!-- notes-kit: disable-next-line NK301 -->\n", "").replace(
        "Homepage: <https://sigops.org/s/conferences/sosp/2024/>",
        "Homepage: [https://sigops.org/](https://sigops.org/)   ")
    config = Config(ignore=("NK205",))
    fixed = fix(text, "sosp-2024.md", config).text
    assert "Homepage: [https://sigops.org/](https://sigops.org/)\n" in fixed  # NK503 only
    assert "\\[[Paper](https://a.org/a)]" in fixed and "[[arXiv]" in fixed


# --- defect 2 is pinned in test_cli_lint (fix --diff exits 1 and says what would change) ---


# --- defects 3 and 4: front matter ----------------------------------------------------------

FRONT = "---\ndescription: |\n  kept as is   \n  two  \n---\n\n# OSDI 2023\n\nSome text.\n"


def test_findings_under_front_matter_point_into_the_file() -> None:
    text = "---\na: 1\nb: 2\n---\n\n# OSDI 2023\n\nSome text.\n"
    found = {(f.rule, f.line) for f in lint(text, "osdi-2023.md")}
    assert ("NK102", 6) in found and ("NK103", 6) in found
    assert max(line for _, line in found) <= text.count("\n")


def test_front_matter_is_kept_byte_for_byte_by_fix_and_conversion() -> None:
    assert not any(f.line <= 5 for f in lint(FRONT, "osdi-2023.md"))
    fixed = fix(FRONT, "osdi-2023.md").text
    assert fixed.startswith(FRONT.split("# OSDI")[0])
    assert yaml_to_markdown(to_yaml(FRONT, "osdi-2023.md")) == fixed
    other = "---\ntitle: x  \n---\n\nText  \n"  # not a conference page: the text rules only
    assert fix(other, "notes/x.md").text == "---\ntitle: x  \n---\n\nText\n"


# --- defect 5: unreadable and approximate acceptance rates -----------------------------------


def rate_page(body: str) -> str:
    return ("# SOSP 2024\n\n## Meta Info\n\nHomepage: <https://a.org/>\n\n### Acceptance Rate\n\n"
            f"{body}\n\n## Papers\n")


@pytest.mark.parametrize("figure", ["16% (= 74 / 460 (approx.))", "~17% (= 43 / 248)",
                                    "~17.3% (= 43 / 248)", "* Spring: 9% (= 19 / 208 (approx.))"])
def test_approximate_figures_round_trip_and_check_at_their_precision(figure: str) -> None:
    text = rate_page(figure)
    assert yaml_to_markdown(to_yaml(text)) == text
    assert fix(text, "sosp-2024.md").text == text
    assert [f.rule for f in lint(text, "sosp-2024.md") if f.rule in ("NK203", "NK204")] == []


def test_an_approximate_figure_outside_its_precision_is_reported() -> None:
    found = lint(rate_page("~19% (= 43 / 248)"), "sosp-2024.md")
    assert [f.rule for f in found if f.rule == "NK204"] == ["NK204"]


def test_an_unreadable_rate_keeps_its_heading() -> None:
    text = rate_page("TBD: the chairs did not say")
    out = yaml_to_markdown(to_yaml(text))
    assert "### Acceptance Rate\n\n* TBD: the chairs did not say\n" in out
    assert out == fix(text, "sosp-2024.md").text


# --- defect 6: a title with the full name in parentheses ------------------------------------


def test_a_title_with_the_full_name_is_a_conference_title() -> None:
    text = ("# CAIS 2026 (ACM Conference on AI and Agentic Systems)\n\n## Meta Info\n\n"
            "Homepage: <https://cais.org/>\n\n## Papers\n")
    page = parse_markdown(text, "cais-2026.md")
    assert (page.venue, page.year, page.full_title) == (
        "CAIS", 2026, "ACM Conference on AI and Agentic Systems")
    assert to_markdown(page) == text
    assert "full_title: ACM Conference on AI and Agentic Systems" in to_yaml(text)


# --- defect 7: messages say what is wrong and what to write ---------------------------------


def test_messages_say_what_to_write() -> None:
    meta = rate_page("17.3% (= 43 / 248)").replace("Homepage: <https://a.org/>",
                                                   "Homepage: <https://a.org/>\nOops: here")
    nk105 = [f.message for f in lint(meta, "sosp-2024.md") if f.rule == "NK105"]
    assert nk105 and "cannot place" not in nk105[0] and "cannot read" in nk105[0]
    pdf = PAGE.replace("https://arxiv.org/abs/2401.00001", "https://arxiv.org/pdf/2401.00001")
    nk304 = [f.message for f in lint(pdf, "sosp-2024.md") if f.rule == "NK304"]
    assert nk304 == ["arXiv link to the PDF: link the abstract page "
                     "https://arxiv.org/abs/2401.00001"]


# --- defect 8: unsafe fixes never rewrite names ---------------------------------------------


def test_unsafe_fixes_leave_names_and_field_terms_alone() -> None:
    text = PAGE.replace("  * MIT\n", "  * MIT & Tung University\n  * Built by Nam and Tung on "
                        "a Clos fabric; **Tung** is fast\n  * Clos networks scale\n")
    found = [f for f in lint(text, "sosp-2024.md") if f.rule == "NK501"]
    assert {(f.line, f.fix.value) for f in found} == {(19, "none"), (20, "none")}
    assert all("no fix offered" in f.message for f in found)
    fixed = fix(text, "sosp-2024.md", unsafe=True).text
    assert "Nam and Tung" in fixed and "**Tung**" in fixed and "Tung University" in fixed
    assert "Clos" in fixed and "Close" not in fixed


# --- defect 9: each file gets its nearest config ---------------------------------------------


def test_each_file_gets_its_nearest_config_whatever_the_order(tmp_path: Path) -> None:
    for name, config in (("a", ""), ("b", 'ignore = ["NK501"]\n')):
        folder = tmp_path / name
        folder.mkdir()
        (folder / ".notes-kit.toml").write_text(config, encoding="utf-8")
        (folder / "notes.md").write_text("# Notes\n\nA Modle of it.\n", encoding="utf-8")
    first = nk("lint", tmp_path / "b", tmp_path / "a")
    second = nk("lint", tmp_path / "a", tmp_path / "b")
    assert sorted(first[1].splitlines()) == sorted(second[1].splitlines())
    assert f"{tmp_path / 'a' / 'notes.md'}:3:3: NK501" in first[1]
    assert "b/notes.md" not in first[1]


# --- defect 10: .gitignore, exclude, --force-exclude, gitignore-style globs ------------------


def test_walking_respects_gitignore_and_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("drafts/\n*.tmp.md\n", encoding="utf-8")
    (tmp_path / ".notes-kit.toml").write_text('extend-exclude = ["old/*.md"]\n',
                                              encoding="utf-8")
    for name in ("drafts/a.md", "b.tmp.md", "old/c.md", "old/deep/d.md", "e.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# Notes\n\nA Modle.\n", encoding="utf-8")
    code, out, _ = nk("lint", tmp_path)
    linted = sorted({line.split(":")[0] for line in out.splitlines() if ": NK" in line})
    assert linted == [str(tmp_path / "e.md"), str(tmp_path / "old" / "deep" / "d.md")]
    named = tmp_path / "drafts" / "a.md"
    assert ": NK501" in nk("lint", named)[1]  # a path named on the command line is linted
    code, out, err = nk("lint", "--force-exclude", named)  # unless excludes are forced
    assert ": NK" not in out, err


def test_per_file_ignore_globs_do_not_cross_folders(tmp_path: Path) -> None:
    (tmp_path / ".notes-kit.toml").write_text('[per-file-ignores]\n"notes/*.md" = ["NK501"]\n',
                                              encoding="utf-8")
    for name in ("notes/a.md", "notes/deep/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# Notes\n\nA Modle.\n", encoding="utf-8")
    out = nk("lint", tmp_path)[1]
    assert "deep/b.md:3:3: NK501" in out and "notes/a.md" not in out


# --- defect 11: the schema modeline names a file an editor can open ------------------------


def test_modelines_name_a_schema_that_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    page = TESTS.parent / "conferences" / "sosp-2024.md"
    target = tmp_path / "notes" / "conferences" / "sosp-2024.yaml"
    (tmp_path / "notes" / "schemas").mkdir(parents=True)
    target.parent.mkdir()
    (tmp_path / "notes" / "schemas" / "notes.schema.json").write_bytes(
        (TESTS.parent / "schemas" / "notes.schema.json").read_bytes())
    assert nk("to-yaml", page, "-o", target)[0] == 0
    first = target.read_text(encoding="utf-8").split("\n")[0]
    ref = first.split("$schema=")[1]
    assert (target.parent / ref).resolve().is_file() and not ref.startswith("/")
    monkeypatch.chdir(tmp_path)  # no schemas/ folder above: the published schema
    code, out, _ = nk("to-yaml", page)
    ref = out.split("\n")[0].split("$schema=")[1]
    assert ref == "https://raw.githubusercontent.com/notes-kit/notes-kit/main/schemas/" \
                  "notes.schema.json"
    assert (TESTS.parent / ref.split("/main/")[1]).is_file()  # the file that URL serves
    nk("to-yaml", page, "-o", tmp_path / "x.yaml")
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8").startswith(
        f"# yaml-language-server: $schema={ref}\n")  # the same wherever notes-kit is


# --- fixes as data: JSON and SARIF carry the edits; a guard protects content --------------


def test_json_fixes_are_the_edits_fix_applies(tmp_path: Path) -> None:
    text = PAGE.replace("<!-- notes-kit: disable-next-line NK301 -->\n", "")
    path = tmp_path / "sosp-2024.md"
    path.write_text(text, encoding="utf-8")
    code, out, _ = nk("lint", "--format", "json", path)
    data = json.loads(out)
    fixable = [d for d in data if d["fix"] and d["fix"]["applicability"] == "safe"]
    assert {d["rule"] for d in fixable} == {"NK301", "NK302"}
    assert all(d["url"].endswith(f"#{d['rule'].lower()}-link-brackets") or d["rule"] != "NK301"
               for d in data)
    from notes_kit.core.findings import Edit

    edits = [Edit(e["line"], e["column"], e["end_line"], e["end_column"], e["content"])
             for d in fixable for e in d["fix"]["edits"]]
    assert apply_edits(text, edits) == fix(text, str(path)).text


def test_sarif_fixes_validate_and_rules_link_their_docs(tmp_path: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    from jsonschema import Draft7Validator

    path = tmp_path / "sosp-2024.md"
    path.write_text(PAGE, encoding="utf-8")
    log = json.loads(nk("lint", "--format", "sarif", path)[1])
    Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "NK302"]
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["replacements"] == [{"deletedRegion": {"startLine": 18, "startColumn": 14,
                                                         "endLine": 18, "endColumn": 19},
                                       "insertedContent": {"text": "arXiv"}}]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["helpUri"].startswith("https://") for rule in rules)


def test_a_fix_that_would_change_content_is_not_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule whose edit would delete a paper's affiliation (a bug): fix applies the findings
    whose edits hold the page's content, and the page keeps the affiliation."""
    monkeypatch.setitem(registry().RULES, "NK302", _deleting(18))
    text = PAGE.replace("<!-- notes-kit: disable-next-line NK301 -->\n", "")
    fixed = fix(text, "sosp-2024.md").text
    assert "* B paper \\[[arXiv](https://arxiv.org/abs/2401.00001)]\n  * MIT\n" in fixed


def test_the_guard_refuses_when_nothing_holds_the_content(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """When even the canonical rendering would not hold the content (a renderer bug), fix
    refuses: exit 2, the file named, nothing written."""
    import notes_kit.format.markdown.render

    monkeypatch.setitem(registry().RULES, "NK302", _deleting(18))
    real = notes_kit.format.markdown.render.render_page
    monkeypatch.setattr(notes_kit.format.markdown.render, "render_page",
                        lambda page, style="autolink": real(page, style).replace("  * MIT\n", ""))
    text = PAGE.replace("<!-- notes-kit: disable-next-line NK301 -->\n", "")
    with pytest.raises(FixRefused):
        fix(text, "sosp-2024.md")
    path = tmp_path / "sosp-2024.md"
    path.write_text(text, encoding="utf-8")
    code, out, err = nk("fix", "--no-cache", "--jobs", "1", path)
    assert code == 2 and f"{path}: fix refused" in err
    assert path.read_text(encoding="utf-8") == text


def registry() -> Any:
    from notes_kit.lint.rules import registry

    registry.all_rules()
    return registry


def _deleting(line: int) -> Any:
    """NK302 whose findings also delete `line`."""
    from dataclasses import replace

    rule = registry().RULES["NK302"]

    def check(ctx: Any) -> Any:
        for finding in rule.check(ctx):
            yield replace(finding, edits=(*finding.edits, *_delete_line(ctx, line)))

    return rule._replace(check=check)


def _delete_line(ctx: Any, line: int) -> tuple[Any, ...]:
    from notes_kit.core.findings import Edit

    return (Edit(line, 1, line + 1, 1, ""),) if line < len(ctx.lines) else ()


def test_capitalised_words_inside_titles_are_names_not_typos() -> None:
    text = PAGE.replace("* B paper \\[", "* Tung: Fast Tung Serving \\[").replace(
        "  * MIT\n", "  * MIT\n  * a mistery of it\n")
    found = [(f.line, f.column, f.fix.value) for f in lint(text, "sosp-2024.md")
             if f.rule == "NK501"]
    assert found == [(18, 3, "none"), (20, 7, "unsafe")]  # the title's first word: no fix
