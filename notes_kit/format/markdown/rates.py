"""Acceptance-rate figures: reading `P% (= A / S)`, writing it, and its arithmetic.

The one owner of the figure's grammar and of the rounding rule. Approximate
figures are real (`16% (= 74 / 460 (approx.))`, `~16% (= 74 / 460)`): their
marker and the precision P is written with are kept, and their arithmetic is
checked at that precision.
"""

from __future__ import annotations

import re

from notes_kit.core.model import Rate

# The loose form accepts what real pages write; the canonical form is what format_rate writes.
RATE = re.compile(
    r"^(?P<tilde>~\s*)?(?P<p>\d+(?:\.\d+)?)\s*%\s*\(\s*(?P<eq>=?)\s*(?P<a>\d+)\s*/\s*"
    r"(?P<s>\d+)(?P<approx>\s*\((?:approx\.?|approximately|estimated|est\.)\))?\s*\)$"
)
LABELLED = re.compile(r"^(?P<label>[^:]+?):\s*(?P<rest>.*)$")
MAX_DIGITS = 12  # longer numbers are not acceptance-rate figures (and would cost bignum time)


def format_percent(percent: float, precision: int | None = None) -> str:
    """One decimal, as the convention asks; more digits are kept as written. An approximate
    figure keeps the precision it was written with."""
    if precision is not None:
        return f"{percent:.{precision}f}"
    text = repr(float(percent))
    whole, _, frac = text.partition(".")
    if "e" in text or len(frac) > 1:
        return text
    return f"{whole}.{frac or '0'}"


def format_figure(rate: Rate) -> str:
    """`17.3% (= 43 / 248)`, with an approximate figure's marker where it was written."""
    percent = format_percent(rate.percent or 0.0, rate.precision if rate.approx else None)
    if rate.approx == "~":
        return f"~{percent}% (= {rate.accepted} / {rate.submitted})"
    suffix = f" {rate.approx}" if rate.approx else ""
    return f"{percent}% (= {rate.accepted} / {rate.submitted}{suffix})"


def format_rate(rate: Rate) -> str:
    if rate.percent is None:
        return rate.text or ""
    body = format_figure(rate)
    return f"{rate.label}: {body}" if rate.label else body


def _figure(body: str) -> Rate | None:
    match = RATE.match(body)
    if match is None or max(len(match.group(n)) for n in "pas") > MAX_DIGITS:
        return None
    approx = "~" if match.group("tilde") else None
    if match.group("approx"):
        approx = match.group("approx").strip()
    precision = len(match.group("p").partition(".")[2]) if approx else None
    return Rate(None, float(match.group("p")), int(match.group("a")), int(match.group("s")),
                approx=approx, precision=precision)


def read_rate(text: str) -> tuple[Rate, bool] | None:
    """(rate, canonical) for `[Label: ]P% (= A / S)`, None for other text."""
    label: str | None = None
    body = text.strip()
    rate = _figure(body)
    if rate is None:
        labelled = LABELLED.match(body)
        if not labelled:
            return None
        label, body = labelled.group("label").strip(), labelled.group("rest").strip()
        rate = _figure(body)
        if rate is None:
            return None
    rate.label = label
    return rate, format_rate(rate) == text.strip()


def expected_percent(accepted: int, submitted: int, precision: int = 1) -> str:
    """round(100*A/S, precision), rounding half up as people do by hand, in exact integer
    arithmetic: units = floor(100 * 10**precision * A/S + 1/2)."""
    scale = 10**precision
    units = (200 * scale * accepted + submitted) // (2 * submitted)
    sign, units = ("-", -units) if units < 0 else ("", units)
    if not precision:
        return f"{sign}{units}"
    return f"{sign}{units // scale}.{units % scale:0{precision}d}"


def figure_matches(rate: Rate) -> bool:
    """P agrees with A / S: exactly at one decimal, or, for an approximate figure, within
    the half unit of the last digit it is written with."""
    assert rate.percent is not None and rate.accepted is not None and rate.submitted
    if not rate.approx:
        return format_percent(rate.percent) == expected_percent(rate.accepted, rate.submitted)
    precision = rate.precision or 0
    exact = 100 * rate.accepted / rate.submitted
    return bool(abs(exact - rate.percent) <= 0.5 * 10.0**-precision + 1e-9)
