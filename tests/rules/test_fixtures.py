"""Every fixture folder of the structure, meta, paper, affiliation and YAML rules
(tests/fixtures/rules/<ID>/): exact findings for bad pages, none for good ones,
the expected fix output, and findings without a fix surviving `fix`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    Case,
    cases,
    check_findings,
    check_fix,
    check_good,
    check_seed,
    check_unfixable,
    good_pages,
)

FAMILIES = ("NK1", "NK2", "NK3", "NK4", "NK6")
CASES = [case for family in FAMILIES for case in cases(family)]
GOOD = [page for family in FAMILIES for page in good_pages(family)]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_findings(case: Case) -> None:
    check_findings(case)


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.parent.name)
def test_good_page(page: Path) -> None:
    check_good(page)


@pytest.mark.parametrize("case", [c for c in CASES if c.fixed], ids=str)
def test_fix(case: Case) -> None:
    check_fix(case)


@pytest.mark.parametrize("case", [c for c in CASES if not c.fixed and c.source.suffix == ".md"],
                         ids=str)
def test_unfixable_findings_survive_fix(case: Case) -> None:
    check_unfixable(case)


@pytest.mark.parametrize("family", FAMILIES[:4])
def test_seed_is_clean(family: str) -> None:
    check_seed(family)
