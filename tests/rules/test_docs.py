"""Rule documentation: the registry fields, `explain`, `rules`, docs/rules.md, and the
bad/good examples of the docs checked against the rules themselves."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, lint_rule, read

from notes_kit.cli.main import run
from notes_kit.core.findings import FixKind, Severity
from notes_kit.lint.rules.docs import explain, rules_markdown
from notes_kit.lint.rules.registry import Rule, all_rules

REPO = Path(__file__).resolve().parents[2]
RULES = all_rules()
SCOPES = {"conference", "text", "yaml", "collection", "online"}
ENGINE_RULES = {"NK505", "NK506"}


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.id)
def test_rule_is_fully_documented(rule: Rule) -> None:
    assert rule.id.startswith("NK") and len(rule.id) == 5 and rule.id[2:].isdigit()
    for text in (rule.name, rule.summary, rule.fix_why, rule.bad, rule.good):
        assert isinstance(text, str) and text.strip()
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert isinstance(rule.severity, Severity)
    assert isinstance(rule.fix, FixKind)
    assert rule.scope in SCOPES
    assert rule.bad != rule.good
    # collection rules run over several files, online ones in notes_kit.links; NK505/NK506
    # come from the suppression pass
    assert (rule.check is not None or rule.scope in ("collection", "online")
            or rule.id in ENGINE_RULES)


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))


def test_explain_prints_the_doc() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["explain", "NK204"], stdout=out, stderr=err) == 0
    assert out.getvalue() == explain(RULES["NK204"])
    assert out.getvalue().startswith("NK204 (acceptance-rate-arithmetic)\n")
    assert "17.4% (= 43 / 248)" in out.getvalue() and err.getvalue() == ""


def test_explain_accepts_lower_case() -> None:
    out = io.StringIO()
    assert run(["explain", "nk204"], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue() == explain(RULES["NK204"])


@pytest.mark.parametrize("name", ["NK999", "E501", "nk"])
def test_explain_unknown_rule_exits_2(name: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["explain", name], stdout=out, stderr=err) == 2
    assert out.getvalue() == ""
    assert "unknown rule" in err.getvalue()


def test_rules_lists_every_id() -> None:
    out = io.StringIO()
    assert run(["rules"], stdout=out, stderr=io.StringIO()) == 0
    listed = [line.split()[0] for line in out.getvalue().splitlines() if line.strip()]
    assert listed == list(RULES)


def test_docs_file_is_generated_from_the_registry() -> None:
    """Regenerate with `python -m notes_kit.lint.rules.docs > docs/rules.md`."""
    assert read(REPO / "docs" / "rules.md") == rules_markdown(RULES)


def test_docs_module_prints_the_same() -> None:
    done = subprocess.run([sys.executable, "-m", "notes_kit.lint.rules.docs"], capture_output=True,
                          cwd=REPO, check=True, timeout=60)
    assert done.stdout.decode("utf-8") == rules_markdown(RULES)


def test_docs_document_every_rule() -> None:
    text = rules_markdown(RULES)
    for rule in RULES.values():
        assert f"\n## {rule.id} {rule.name}\n" in text
        assert f"| {rule.id} | {rule.name} |" in text


# --- the docs' examples, embedded in a small canonical page ----------------------------

PAGE = read(FIXTURES / "NK101" / "good.md")
HOMEPAGE = "Homepage: <https://sigops.org/s/conferences/sosp/2024/>"
PAPER_LIST = "### Paper List\n\n* <https://dl.acm.org/doi/proceedings/10.1145/3694715>"
RATE = "17.3% (= 43 / 248)"
PAPER = PAGE[PAGE.index("* Apparate") :].rstrip("\n")
TITLE_LINE = PAPER.split("\n")[0]
AFFILIATION = "  * Princeton & GaTech"
EMBED = {  # rule -> (the page text the example stands in for, how it is written there)
    "NK102": ("# SOSP 2024\n\n## Meta Info\n\n" + HOMEPAGE, "{}"),
    "NK104": ("## Papers", "{}"),
    "NK105": ("## Papers\n\n### Model Serving", "{}"),
    "NK201": (HOMEPAGE, "{}"),
    "NK202": (PAPER_LIST, "{}"),
    "NK203": ("### Acceptance Rate\n\n" + RATE, "{}"),
    "NK204": (RATE, "{}"),
    "NK205": (HOMEPAGE, "{}"),
    "NK206": (RATE, "{}"),
    "NK301": (TITLE_LINE, "* {}"),
    "NK302": (TITLE_LINE, "* {}"),
    "NK303": (TITLE_LINE, "* {}"),
    "NK304": (TITLE_LINE, "* {}"),
    "NK305": (PAPER, "{}"),
    "NK401": (PAPER, "{}"),
    "NK402": (AFFILIATION, "{}"),
    "NK403": (AFFILIATION, "{}"),
}


def embedded(rule: str, example: str) -> str:
    anchor, form = EMBED[rule]
    assert PAGE.count(anchor) == 1
    return PAGE.replace(anchor, form.format(example.rstrip("\n")))


@pytest.mark.parametrize("rule_id", sorted(EMBED))
def test_bad_example_is_reported_and_good_example_is_not(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert lint_rule(embedded(rule_id, rule.bad), "sosp-2024.md", rule_id) != []
    assert lint_rule(embedded(rule_id, rule.good), "sosp-2024.md", rule_id) == []
