"""Property tests of `fix` over real corpus pages: for random sets of selected rules and
random suppression ranges, fix changes only what selected, unsuppressed findings cover,
leaves every suppressed finding in place, and a second fix changes nothing.

NOTES_KIT_PROPERTY_EXAMPLES sets how many cases run (default 30; CI's default)."""

from __future__ import annotations

import difflib
import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_kit.core.files import read_source
from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.lint.engine import fix, lint

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "awesome-papers"
CONFERENCES = CORPUS / "reading-notes" / "conference"
FIXABLE = ("NK102", "NK103", "NK104", "NK105", "NK202", "NK203", "NK205", "NK301", "NK302",
           "NK303", "NK403", "NK501", "NK502", "NK503", "NK504")
EXAMPLES = int(os.environ.get("NOTES_KIT_PROPERTY_EXAMPLES", "30"))
OFF = "notes-kit-off"  # a comment that is no directive: the page's lines without suppressions

pytestmark = pytest.mark.skipif(not CONFERENCES.is_dir(), reason="corpus not available")


@cache
def pages() -> list[tuple[str, str]]:
    found = [p for p in sorted(CONFERENCES.glob("*.md")) if p.name != "README.md"]
    found += sorted(CONFERENCES.glob("*/README.md"))
    return [(str(p), read_source(str(p))) for p in found]


@cache
def fixable_topics(index: int) -> list[tuple[str, int]]:
    """(rule, 0-based topic number) of each fixable finding under a topic of ## Papers."""
    path, text = pages()[index]
    topics = _topics(text.split("\n"))
    return [(f.rule, sum(t < f.line - 1 for t in topics) - 1) for f in lint(text, path)
            if f.fixable and topics and f.line - 1 > topics[0]]


def _topics(lines: list[str]) -> list[int]:
    papers = next((i for i, line in enumerate(lines) if line.strip() == "## Papers"), len(lines))
    return [i for i, line in enumerate(lines) if i > papers and line.startswith("### ")]


def with_suppression(text: str, rule: str, start: int, stop: int) -> tuple[str, int, int]:
    """`text` with `rule` disabled from the topic heading numbered `start` up to the one
    numbered `stop` (0-based among the headings of ## Papers); the 1-based lines of the
    two directives (the end is past the text when the range stays open)."""
    lines = text.split("\n")
    topics = _topics(lines)
    if not topics:
        return text, 0, 0
    first = topics[start % len(topics)]
    later = [i for i in topics if i > first]
    last = later[stop % len(later)] if later and stop % (len(later) + 1) < len(later) else None
    if last is not None:
        lines[last:last] = [f"<!-- notes-kit: enable {rule} -->", ""]
    lines[first:first] = [f"<!-- notes-kit: disable {rule} -->", ""]
    end = last + 3 if last is not None else len(lines) + 1
    return "\n".join(lines), first + 1, end


def spoken_for(findings: list[Finding]) -> set[int]:
    """The lines fixable findings speak for: their own and the lines their edits span."""
    lines: set[int] = set()
    for finding in findings:
        first = min([finding.line, *(e.line for e in finding.edits)])
        last = max([finding.end[0], *(e.end_line for e in finding.edits)])
        lines.update(range(first, last + 1))
    return lines


def changed(before: str, after: str) -> set[int]:
    """1-based lines of `before` that `after` replaces or deletes, and the two lines around
    every insertion."""
    lines: set[int] = set()
    old, new = before.split("\n"), after.split("\n")
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag in ("replace", "delete"):
            lines.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            lines.update({i1, i1 + 1})
    return lines


def count_between(text: str, rule: str, first: int, end: int) -> int:
    """How many `rule` findings stand between the directives at first..end, with the
    directives turned into plain comments."""
    plain = text.replace("notes-kit: disable", f"{OFF}: disable").replace(
        "notes-kit: enable", f"{OFF}: enable")
    return sum(first < f.line < end for f in lint(plain, "page.md", Config(select=(rule,))))


def directive_lines(text: str, rule: str) -> tuple[int, int]:
    lines = text.split("\n")
    first = lines.index(f"<!-- notes-kit: disable {rule} -->") + 1
    closing = f"<!-- notes-kit: enable {rule} -->"
    return first, (lines.index(closing) + 1 if closing in lines else len(lines) + 1)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.sets(st.sampled_from(FIXABLE), min_size=1),
       st.integers(0, 50), st.integers(0, 50), st.booleans())
def test_fix_changes_only_what_selected_unsuppressed_findings_cover(
    which: int, rules: set[str], start: int, stop: int, unsafe: bool
) -> None:
    index = which % len(pages())
    path, original = pages()[index]
    rule = sorted(rules)[which % len(rules)]
    targets = fixable_topics(index)
    if targets and start % 2:  # half the cases suppress a rule where it has findings
        rule, start = targets[start % len(targets)]
        rules = rules | {rule}
    text, first, end = with_suppression(original, rule, start, stop)
    config = Config(select=tuple(sorted(rules)))
    result = fix(text, path, config, unsafe=unsafe)
    assert fix(result.text, path, config, unsafe=unsafe).text == result.text
    reported = [f for f in lint(text, path, config) if f.fixable]
    allowed = {n + d for n in spoken_for(reported) for d in (-2, -1, 0, 1, 2)}
    assert changed(text, result.text) <= allowed
    if first:
        after = directive_lines(result.text, rule)
        assert count_between(result.text, rule, *after) == count_between(text, rule, first, end)


@pytest.mark.parametrize("index", range(len(pages())) if CONFERENCES.is_dir() else [])
def test_every_corpus_page_fixes_idempotently_with_every_rule(index: int) -> None:
    path, text = pages()[index]
    once = fix(text, path, unsafe=True)
    assert fix(once.text, path, unsafe=True).text == once.text
    assert not any(f.fixable and f.edits for f in once.remaining)
