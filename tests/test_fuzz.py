"""The mutation fuzzer over the corpus pages (tests/fuzzing.py) as a test: every mutated
page is refused cleanly or keeps the laws. CI runs a few hundred cases; set
NOTES_KIT_FUZZ_CASES (and NOTES_KIT_FUZZ_SEED) for more. Every case the fuzzer ever found
failing is rebuilt from its seed and page (tests/fixtures/fuzz/cases.txt)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import fuzzing
import pytest

from notes_kit.core.files import read_source

TESTS = Path(__file__).resolve().parent
CONFERENCES = TESTS.parents[1] / "shared" / "corpus" / "awesome-papers" / "reading-notes" / \
    "conference"
CASES = int(os.environ.get("NOTES_KIT_FUZZ_CASES", "300"))
SEED = int(os.environ.get("NOTES_KIT_FUZZ_SEED", "2026"))

pytestmark = pytest.mark.skipif(not CONFERENCES.is_dir(), reason="corpus not available")


@cache
def pages() -> list[tuple[str, str]]:
    found = [p for p in sorted(CONFERENCES.glob("*.md")) if p.name != "README.md"]
    found += sorted(CONFERENCES.glob("*/README.md"))
    return [(str(p), read_source(str(p))) for p in found]


def recorded() -> list[tuple[int, str]]:
    rows = (TESTS / "fixtures" / "fuzz" / "cases.txt").read_text(encoding="utf-8").splitlines()
    return [(int(seed), name) for seed, name in (r.split() for r in rows if r[:1].isdigit())]


def test_mutated_pages_are_refused_cleanly_or_keep_the_laws() -> None:
    failing = []
    for case in fuzzing.cases(pages(), SEED, CASES):
        why = fuzzing.check(case.text, case.source)
        if why:
            failing.append(f"seed {case.seed} ({Path(case.source).name}): {why}")
    assert failing == []


@pytest.mark.parametrize(("seed", "name"), recorded(), ids=[str(s) for s, _ in recorded()])
def test_every_case_the_fuzzer_found_stays_fixed(seed: int, name: str) -> None:
    case = fuzzing.case(pages(), seed)
    if Path(case.source).relative_to(CONFERENCES).as_posix() != name:
        pytest.skip(f"the corpus changed: seed {seed} now draws {case.source}")
    assert fuzzing.check(case.text, case.source) is None
