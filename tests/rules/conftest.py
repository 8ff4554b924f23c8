"""Helpers for the rule tests: fixture cases, linting with one rule selected, positions.

A rule's folder `tests/fixtures/rules/<ID>/` holds `good.md` (or `good.yaml`), a page
with no finding at all, and one or more cases `bad.md`, `bad-<name>.md` with their
findings in `expected.txt`, `expected-<name>.txt` as `line:col: ID` lines. A case with a
`fixed.md` / `fixed-<name>.md` is fixable: that file is what `engine.fix` makes of it, and
`fixed[-<name>].expected.txt` (absent = empty) lists what the rule still reports after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.lint.engine import lint

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "rules"
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
SEED_PATH = "conferences/sosp-2024.md"
UNSAFE = frozenset({"NK403"})  # rules whose fixture fix needs unsafe=True


@pytest.fixture(autouse=True)
def _registry_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the registries' JSON cache out of the user's home directory."""
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))


@dataclass(frozen=True)
class Case:
    """One bad page of a rule's fixture folder."""

    rule: str
    source: Path

    @property
    def name(self) -> str:
        return self.source.stem[len("bad"):]  # "" or "-<name>"

    @property
    def expected(self) -> Path:
        return self.source.with_name(f"expected{self.name}.txt")

    @property
    def fixed(self) -> Path | None:
        fixed = self.source.with_name(f"fixed{self.name}{self.source.suffix}")
        return fixed if fixed.exists() else None

    @property
    def fixed_expected(self) -> Path:
        return self.source.with_name(f"fixed{self.name}.expected.txt")

    def __str__(self) -> str:
        return f"{self.rule}/{self.source.name}"


def read(path: Path) -> str:
    """The bytes as written (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def only(rule: str) -> Config:
    return Config(select=(rule,))


def lint_rule(text: str, path: str | Path, rule: str) -> list[Finding]:
    """The findings of one rule, linted with only that rule selected."""
    return [f for f in lint(text, str(path), only(rule)) if f.rule == rule]


def positions(findings: Iterable[Finding]) -> list[str]:
    return [f"{f.line}:{f.column}: {f.rule}" for f in findings]


def expected_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in read(path).splitlines() if line.strip()]


def rule_dirs(prefix: str) -> list[Path]:
    return sorted(d for d in FIXTURES.iterdir() if d.is_dir() and d.name.startswith(prefix))


def cases(prefix: str) -> list[Case]:
    found = []
    for folder in rule_dirs(prefix):
        for source in sorted(folder.glob("bad*")):
            if source.suffix in (".md", ".yaml"):
                found.append(Case(folder.name, source))
    return found


def good_pages(prefix: str) -> list[Path]:
    pages = []
    for folder in rule_dirs(prefix):
        pages.extend(sorted(p for p in folder.glob("good.*") if p.suffix in (".md", ".yaml")))
    return pages


# --- the checks every fixture folder gets (called from the family test files) ----------


def check_findings(case: Case) -> None:
    """The rule reports exactly the expected positions, and nothing else."""
    from notes_kit.core.findings import FixKind
    from notes_kit.lint.rules.registry import all_rules

    expected = expected_lines(case.expected)
    assert expected, f"{case.expected} is missing or empty"
    found = lint_rule(read(case.source), case.source, case.rule)
    assert positions(found) == expected
    rule = all_rules()[case.rule]  # a finding's fix is the rule's kind or none
    assert {f.fix for f in found} <= {FixKind.NONE, rule.fix}


def check_good(page: Path) -> None:
    """A good page is canonical: no finding from any rule, and neither fixing nor
    re-rendering it changes a byte."""
    from notes_kit.lint.engine import fix
    from notes_kit.pages import parse_markdown, to_markdown

    text = read(page)
    assert lint(text, str(page)) == []
    assert fix(text, str(page), unsafe=True).text == text
    if page.suffix == ".md":
        assert to_markdown(parse_markdown(text, str(page))) == text


def check_fix(case: Case) -> None:
    """fix(bad) == fixed, a second fix changes nothing, and no fixable finding is left."""
    from notes_kit.lint.engine import fix

    assert case.fixed is not None
    text, wanted = read(case.source), read(case.fixed)
    found = lint_rule(text, case.source, case.rule)
    assert found and all(f.fixable for f in found), "a fixable case holds fixable findings only"
    unsafe = case.rule in UNSAFE
    if unsafe:  # an unsafe fix is applied only on request
        assert fix(text, str(case.source)).text == text
    assert fix(text, str(case.source), unsafe=unsafe).text == wanted
    assert fix(wanted, str(case.fixed), unsafe=unsafe).text == wanted
    after = lint_rule(wanted, case.fixed, case.rule)
    assert positions(after) == expected_lines(case.fixed_expected)
    assert not any(f.fixable for f in after)


def check_unfixable(case: Case) -> None:
    """Findings without a fix survive `fix` (same messages), whatever else it rewrites."""
    from collections import Counter

    from notes_kit.lint.engine import fix

    text = read(case.source)
    before = lint_rule(text, case.source, case.rule)
    assert not any(f.fixable for f in before), f"{case}: fixable findings need a fixed file"
    fixed = fix(text, str(case.source), unsafe=True).text
    after = lint_rule(fixed, case.source, case.rule)
    assert Counter(f.message for f in after) == Counter(f.message for f in before)


def check_seed(prefix: str) -> None:
    """The user's own page is canonical for every structural rule."""
    text = read(SEED)
    found = [f for f in lint(text, SEED_PATH) if f.rule.startswith(prefix)]
    assert found == []
