"""NK501-NK506: fixture pages (bad / good / fixed), the seed, and the fix <-> finding law."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.format.markdown.textfix import fix_line, fix_lines
from notes_kit.lint.config import Config
from notes_kit.lint.engine import fix, lint
from notes_kit.lint.rules import text
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import all_rules

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "rules"
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
CORPUS = TESTS.parents[1] / "shared" / "corpus" / "awesome-papers"
SEED_PATH = "conferences/sosp-2024.md"
UNSAFE = {"NK501", "NK504"}

EXPECTED = {
    "NK501": [(3, 38), (5, 24), (6, 3)],
    "NK502": [(3, 18), (5, 14), (6, 3), (6, 22), (9, 1), (11, 1)],
    "NK503": [(1, 1), (5, 16), (6, 1), (7, 13), (9, 1), (20, 1)],
    "NK504": [(3, 18), (3, 30), (3, 44), (4, 11), (4, 38)],
}


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))


def read(path: Path) -> str:
    """The bytes as written: NK503's fixtures hold whitespace that must survive."""
    return path.read_bytes().decode("utf-8")


def only(rule: str) -> Config:
    return Config(select=(rule,))


def page(rule: str, kind: str) -> tuple[str, str]:
    path = FIXTURES / rule / f"{kind}.md"
    return read(path), f"notes/{rule.lower()}-{kind}.md"


def check(rule_check: object, source: str, path: str = "notes/page.md") -> list[Finding]:
    assert callable(rule_check)
    return sorted(rule_check(Context(path, source)))


# --- fixtures -------------------------------------------------------------------


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_bad_page_gives_exactly_the_expected_findings(rule: str) -> None:
    source, path = page(rule, "bad")
    found = lint(source, path, only(rule))
    assert [(f.line, f.column, f.rule) for f in found] == [(*at, rule) for at in EXPECTED[rule]]


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_good_page_is_clean_for_every_text_rule(rule: str) -> None:
    source, path = page(rule, "good")
    assert lint(source, path, only("NK5")) == []


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_fix_gives_the_fixed_page_and_a_second_fix_changes_nothing(rule: str) -> None:
    source, path = page(rule, "bad")
    expected, _ = page(rule, "fixed")
    unsafe = rule in UNSAFE
    once = fix(source, path, only(rule), unsafe=unsafe)
    assert once.text == expected
    assert fix(once.text, path, only(rule), unsafe=unsafe).text == once.text
    assert not [f for f in lint(once.text, path, only(rule)) if f.fixable]


def test_unsafe_fixes_wait_for_the_request() -> None:
    for rule in sorted(UNSAFE):
        source, path = page(rule, "bad")
        assert fix(source, path, only(rule)).text == source


# --- the seed (a conference page) -------------------------------------------------


def test_seed_gives_one_misspelling_with_two_candidates_and_no_fix() -> None:
    [finding] = lint(read(SEED), SEED_PATH, only("NK501"))
    assert (finding.line, finding.column, finding.end_column) == (36, 11, 16)
    assert finding.message == "'Modle' may be misspelled: Model, Module"
    assert finding.suggestions == ("Model", "Module")
    assert finding.fix is FixKind.NONE


def test_seed_gives_one_html_leftover_at_the_ampersand() -> None:
    source = read(SEED)
    [finding] = lint(source, SEED_PATH, only("NK502"))
    assert (finding.line, finding.column, finding.fix) == (36, 22, FixKind.SAFE)
    assert source.split("\n")[35][finding.column - 1 :] == "&#x20;"


def test_unsafe_fix_of_the_seed_keeps_the_two_candidate_word() -> None:
    fixed = fix(read(SEED), SEED_PATH, unsafe=True).text
    assert "        * Modle state\n" in fixed
    assert "&#x20;" not in fixed


# --- NK501 ------------------------------------------------------------------------


def test_allowlist_silences_a_word() -> None:
    source, path = page("NK501", "bad")
    config = Config(select=("NK501",), allow_words=frozenset({"modle"}))
    assert [f.column for f in lint(source, path, config)] == [38, 24]


@pytest.mark.parametrize("source", [
    "---\ntitle: teh notes\n---\n\n# Notes\n",
    "<!-- teh\nteh -->\n",
    "<figure><figcaption>teh caption</figcaption>\n</figure>\n",
    "```\nteh\n```\n",
    "`teh` and <https://teh.example/teh> and [x](teh.md) and {% embed url=\"teh\" %}\n",
    "## Setup {#teh-setup}\n",
])
def test_no_misspelling_outside_prose(source: str) -> None:
    assert check(text.check_spelling, source) == []


def test_html_block_ends_at_an_outer_list_item() -> None:
    source = "* a\n    * b\n\n        <figure><img src=\"x.png\"></figure>\n* teh item\n"
    assert text.line_kinds(source.split("\n"))[3:5] == [text.HTML, text.PROSE]
    assert [(f.line, f.column) for f in check(text.check_spelling, source)] == [(5, 3)]


# --- NK502 ------------------------------------------------------------------------


def test_anchor_in_a_code_span_of_a_heading_is_reported_because_the_fixer_drops_it() -> None:
    source = "## Use `<a id=\"x\"></a>` here\n"
    found = check(text.check_html, source)
    assert [(f.column, f.fix) for f in found] == [(9, FixKind.SAFE)]
    assert fix_lines(source) != source


def test_unknown_entity_names_are_text() -> None:
    assert check(text.check_html, "R&D; and &foo; stay\n") == []


# --- NK503 ------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ("", [(1, 1, "no newline at end of file")]),
    ("a", [(1, 2, "no newline at end of file")]),
    ("a\n", []),
    ("\n", []),
    ("\n\n", [(1, 1, "the file has only blank lines")]),
    ("a\n\n", [(2, 1, "blank lines at the end of the file")]),
    ("a\n   ", [(2, 1, "blank lines at the end of the file")]),
    ("a\r\nb\r\n", [(1, 2, "CRLF line end"), (2, 2, "CRLF line end")]),
    ("a\n  \n\nb\n", [(2, 1, "trailing whitespace"),
                      (3, 1, "2 blank lines in a row: one is enough")]),
    ("a \t\n", [(1, 2, "trailing whitespace")]),
])
def test_whitespace_layout(source: str, expected: list[tuple[int, int, str]]) -> None:
    found = check(text.check_whitespace, source)
    assert [(f.line, f.column, f.message) for f in found] == expected
    assert all(f.fix is FixKind.SAFE for f in found)


def test_tab_in_indentation_is_fixed_tab_in_text_only_reported() -> None:
    [finding] = check(text.check_whitespace, "*\tone\n")
    assert (finding.column, finding.fix) == (2, FixKind.SAFE)
    [finding] = check(text.check_whitespace, "one\ttwo\n")
    assert (finding.column, finding.fix) == (4, FixKind.NONE)


# --- NK504 ------------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    "`pytorch`", "https://github.com/pytorch/pytorch", "see github.com/x", "torch.cuda is",
    "run nvidia-smi", "pytorch_lightning", "\\[[Arxiv](https://arxiv.org/abs/1)]",
    "PYTORCH ON GPUS", "## Setup {#pytorch-setup}", "<https://arxiv.org/abs/1>",
    "<!-- pytorch -->", "[arxiv:2210.00093](https://arxiv.org/abs/2210.00093)",
])
def test_no_term_casing_outside_prose(source: str) -> None:
    assert check(text.check_terms, source + "\n") == []


def test_term_casing_gives_one_suggestion_and_the_span() -> None:
    source = "Built on pytorch's autograd, run on nvidia GPUs.\n"
    found = check(text.check_terms, source)
    assert [(f.column, f.end_column, f.suggestions) for f in found] == [
        (10, 17, ("PyTorch",)), (37, 43, ("NVIDIA",))]
    assert all(f.severity is Severity.WARNING and f.fix is FixKind.UNSAFE for f in found)


# --- NK505 / NK506 and the registry -------------------------------------------------


def test_suppression_findings_reach_lint_output() -> None:
    source = ("# Notes\n\n<!-- notes-kit: disable -->\n"
              "<!-- notes-kit: disable-next-line NK501 -->\nModel state is fine.\n")
    found = lint(source, "notes/page.md")
    assert [(f.line, f.column, f.rule) for f in found] == [(3, 1, "NK505"), (4, 1, "NK506")]


@pytest.mark.parametrize("rule_id", ["NK501", "NK502", "NK503", "NK504", "NK505", "NK506",
                                     "NK507"])
def test_rule_is_documented_and_its_examples_hold(rule_id: str) -> None:
    rule = all_rules()[rule_id]
    assert rule.scope == "text" and rule.name and rule.summary and rule.fix_why
    assert (rule.check is None) == (rule_id in ("NK505", "NK506"))
    assert rule_id in {f.rule for f in lint(rule.bad, "notes/example.md")}
    assert rule_id not in {f.rule for f in lint(rule.good, "notes/example.md")}


# --- the law: a fixable finding exactly when the line fixer changes the page ---------

PIECES = ["", "", " ", "\t", "text", "text  ", "\ttext", "&#x20;", "word&#x20;", "a&#x20; ",
          "## Head <a href=\"#h\" id=\"h\"></a>", "## Head", "```", "~~~", "---", "<!-- c -->",
          "<figure>", "\u00a0", "text\r", "* `&#x20;`"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.booleans())
def test_fix_changes_the_page_exactly_when_a_fixable_finding_exists(
    rows: list[str], final_newline: bool
) -> None:
    source = "\n".join(rows) + ("\n" if final_newline else "")
    fixable = [f for f in lint(source, "notes/page.md", only("NK50")) if f.fix is FixKind.SAFE]
    assert bool(fixable) == (fix_lines(source) != source)
    lines = source.split("\n")
    for finding in fixable:  # each points at a line the fixer edits, empties or ends
        row = lines[finding.line - 1]
        assert fix_line(row) != row or not row.strip() or "newline" in finding.message
    assert (fix(source, "notes/page.md", only("NK50")).text == source) == (not fixable)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_spans_and_the_law_hold() -> None:
    for path in sorted(CORPUS.rglob("*.md")):
        source = path.read_text(encoding="utf-8")
        ctx = Context(str(path), source)
        found = [*text.check_html(ctx), *text.check_whitespace(ctx)]
        assert any(f.fixable for f in found) == (fix_lines(source) != source), path
        for finding in [*text.check_spelling(ctx), *text.check_terms(ctx)]:
            word = re.match(r"'([^']+)'", finding.message)
            assert word is not None
            line = ctx.lines[finding.line - 1]
            assert line[finding.column - 1 : finding.end_column - 1] == word.group(1)


def test_casing_memory_is_bounded_and_starts_again_without_changing_verdicts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The words judged for NK504 are remembered up to a limit (a huge collection stays
    flat in memory); past it the memory starts again and the verdicts stay the same."""
    monkeypatch.setattr(text, "_JUDGED_LIMIT", 3)
    monkeypatch.setattr(text, "_JUDGED", {})
    terms = {"pytorch": "PyTorch", "cuda": "CUDA"}
    first = text._suspects({"Pytorch", "cuda", "plain", "words"}, terms)
    assert first == {"Pytorch", "cuda"}
    assert len(text._JUDGED[id(terms)][1]) == 4
    second = text._suspects({"PyTorch", "Cuda", "other"}, terms)
    assert second == {"Cuda"}
    assert len(text._JUDGED[id(terms)][1]) == 3  # started again: only this call's words
    assert text._suspects({"Pytorch"}, terms) == {"Pytorch"}
