"""NK201-NK206: Meta Info, from the fixture folders and a few direct cases."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import (
    FIXTURES,
    lint_rule,
    read,
)
from hypothesis import given
from hypothesis import strategies as st

from notes_kit.core.findings import Severity
from notes_kit.lint.engine import fix
from notes_kit.lint.rules.meta import expected_percent


def page_with_rate(rate: str) -> str:
    """A canonical page whose acceptance-rate line is `rate`."""
    return read(FIXTURES / "NK204" / "bad-inline.md").replace("17.4% (= 43 / 248)", rate)


# --- NK204: arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(("accepted", "submitted", "percent"), [
    (43, 248, "17.3"),  # the seed
    (1, 8, "12.5"),
    (1, 3, "33.3"),
    (2, 3, "66.7"),
    (1, 16, "6.3"),  # 6.25: half up, not to even
    (5, 16, "31.3"),  # 31.25
    (1, 2000, "0.1"),  # 0.05
    (7, 7, "100.0"),
])
def test_expected_percent_rounds_half_up(accepted: int, submitted: int, percent: str) -> None:
    assert expected_percent(accepted, submitted) == percent
    assert lint_rule(page_with_rate(f"{percent}% (= {accepted} / {submitted})"),
                     "sosp-2024.md", "NK204") == []


def test_wrong_percent_suggests_the_right_one() -> None:
    found = lint_rule(page_with_rate("6.2% (= 1 / 16)"), "sosp-2024.md", "NK204")
    assert [(f.line, f.column, f.end_column) for f in found] == [(13, 1, 16)]
    assert found[0].suggestions == ("6.3%",)
    assert "6.3%" in found[0].message


@pytest.mark.parametrize("rate", ["0.0% (= 0 / 12)", "120.0% (= 6 / 5)"])
def test_accepted_must_be_between_one_and_submitted(rate: str) -> None:
    found = lint_rule(page_with_rate(rate), "sosp-2024.md", "NK204")
    assert [(f.line, f.column) for f in found] == [(13, 1)]
    assert "between 1 and submitted" in found[0].message


# --- NK203 / NK206 / NK201 / NK205 details -------------------------------------------


def test_two_decimals_are_reported_not_rounded() -> None:
    text = page_with_rate("17.34% (= 43 / 248)")
    found = lint_rule(text, "sosp-2024.md", "NK203")
    assert [(f.line, f.column, f.fixable) for f in found] == [(13, 1, False)]
    assert fix(text, "sosp-2024.md").text == text


def test_trailing_zero_decimal_is_fixed() -> None:
    text = page_with_rate("17.30% (= 43 / 248)")
    assert [f.fixable for f in lint_rule(text, "sosp-2024.md", "NK203")] == [True]
    assert "\n17.3% (= 43 / 248)\n" in fix(text, "sosp-2024.md").text


def test_totals_with_one_denominator_are_not_summed() -> None:
    text = page_with_rate("17.3% (= 43 / 248)").replace(
        "### Acceptance Rate\n\n17.3% (= 43 / 248)",
        "### Acceptance Rate\n\n* Poster: 24.3% (= 2947 / 12107)\n"
        "* Spotlight: 2.6% (= 313 / 12107)\n* Total: 26.9% (= 3260 / 12107)")
    assert "* Total: 26.9%" in text
    assert lint_rule(text, "sosp-2024.md", "NK206") == []


def test_http_homepage_is_a_warning() -> None:
    path = FIXTURES / "NK201" / "bad.md"
    found = lint_rule(read(path), path, "NK201")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.ERROR]


def test_misleading_link_is_an_error_without_fix() -> None:
    path = FIXTURES / "NK205" / "bad-misleading.md"
    found = lint_rule(read(path), path, "NK205")
    assert [(f.severity, f.fixable) for f in found] == [(Severity.ERROR, False)]
    fixed = fix(read(path), str(path)).text
    assert "[https://sigops.org/s/conferences/sosp/2024/](https://sigops.org/s/conferences/" \
           "sosp/2023/)" in fixed


def test_same_url_link_is_fixed_to_autolink() -> None:
    path = FIXTURES / "NK205" / "bad.md"
    found = lint_rule(read(path), path, "NK205")
    assert all(f.fixable for f in found)
    assert "Homepage: <https://sigops.org/s/conferences/sosp/2024/>" in read(FIXTURES / "NK205"
                                                                            / "fixed.md")


def test_missing_paper_list_is_a_warning() -> None:
    path = FIXTURES / "NK202" / "bad-none.md"
    found = lint_rule(read(path), path, "NK202")
    assert [(f.severity, f.fixable) for f in found] == [(Severity.WARNING, False)]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_expected_percent_agrees_with_decimal_rounding(accepted: int, submitted: int) -> None:
    """The integer arithmetic against the decimal module as an oracle."""
    oracle = (Decimal(100 * accepted) / Decimal(submitted)).quantize(Decimal("0.1"),
                                                                     rounding=ROUND_HALF_UP)
    assert expected_percent(accepted, submitted) == str(oracle)
