"""A seeded mutation fuzzer over real pages: random line insertions, deletions, swaps and
inserted Markdown fragments. Each mutated page must be refused cleanly (InputError) or
keep the laws: lint raises nothing, `to-md(to-yaml(P)) == fix(P)`, `fix(fix(P)) == fix(P)`.

Used by tests/test_fuzz.py (a few hundred cases) and by benchmarks/fuzz.py (thousands).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from notes_kit.core.findings import InputError

FRAGMENTS = (
    "* ", "*", "  * ", "    * nested note", "\t* tabbed", "1. numbered", "17. **Session**",
    "### Topic", "## Papers", "## Meta Info", "## Acronyms", "# SOSP 2024", "#", "---",
    "```", "~~~", "    code", "> quote", "| a | b |", "|---|---|", "<div>", "</div>",
    "<figure><img src=x></figure>", "<!-- notes-kit: disable NK301 -->",
    "<!-- notes-kit: disable-next-line NK503 -->", "<!-- notes-kit: enable NK301 -->",
    "<!-- notes-kit: disable -->", "Homepage: <https://a.org/>", "Homepage: x",
    "Paper list: [https://a.org/p](https://a.org/p)", "Acceptance rate: 12.70% (65 / 510)",
    "### Acceptance Rate", "### Paper List", "17.3% (= 43 / 248)", "* Spring: 10% (= 1 / 10)",
    "~16% (= 74 / 460 (approx.))", "* Title [[Paper](https://a.org/x)], [Code](u)]",
    "* Title \\[[Arxiv](https://arxiv.org/pdf/2401.00001.pdf)]", "  * Peking University, MIT",
    "  * Authors: A Person and B Person", "  * **Best Paper Award**", "text&#x20;",
    "trailing   ", "", "", "[x](y)", "<https://a.org/>", "$$E^3$$", "`code`", "\\",
    "* [Title](https://a.org/t) · [PDF](https://a.org/t.pdf)", "&amp; &#1234; &bogus;",
)


@dataclass(frozen=True)
class Case:
    """One mutated page: where it came from and what was done to it."""

    source: str
    seed: int
    steps: tuple[str, ...]
    text: str


def mutate(text: str, rng: random.Random, count: int) -> tuple[str, tuple[str, ...]]:
    lines = text.split("\n")
    steps = []
    for _ in range(count):
        kind = rng.choice(("insert", "delete", "swap", "fragment", "fragment", "duplicate"))
        at = rng.randrange(len(lines) + 1)
        if kind == "delete" and len(lines) > 1:
            del lines[min(at, len(lines) - 1)]
        elif kind == "swap" and len(lines) > 1:
            other = rng.randrange(len(lines))
            at = min(at, len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "duplicate" and lines:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif kind == "insert" and lines:
            lines.insert(at, rng.choice(lines) + rng.choice(("", " ", "\t", "  * x")))
        else:
            lines.insert(at, rng.choice(FRAGMENTS))
        steps.append(f"{kind}@{at}")
    return "\n".join(lines), tuple(steps)


def case(pages: list[tuple[str, str]], seed: int) -> Case:
    """The case of one seed: a page drawn from `pages` and mutated, all from that seed."""
    rng = random.Random(seed)
    source, text = pages[rng.randrange(len(pages))]
    mutated, steps = mutate(text, rng, rng.randint(1, 6))
    return Case(source, seed, steps, mutated)


def cases(pages: list[tuple[str, str]], seed: int, count: int) -> Iterator[Case]:
    for number in range(count):
        yield case(pages, seed * 1_000_003 + number)


def check(text: str, path: str) -> str | None:
    """None when the laws hold for `text` (or it is refused cleanly); else what broke."""
    from notes_kit.lint.engine import fix, lint_context
    from notes_kit.pages import to_yaml, yaml_to_markdown

    try:
        # the round-trip law holds with nothing suppressed: a page with directives (or
        # whose fixes bring one above a finding) is checked for idempotence only
        suppressed = lint_context(text, path)[1].withheld or "notes-kit:" in text
    except InputError:
        return None
    try:
        yaml_text: str | None = to_yaml(text, path)
    except InputError:
        yaml_text = None  # not a conference page, or refused cleanly: fix alone is checked
    try:
        fixed = fix(text, path).text
        again = fix(fixed, path).text
    except InputError as exc:  # a clean refusal, where conversion refuses too
        return None if yaml_text is None else f"fix refused: {exc}"
    if again != fixed:
        return "fix is not idempotent"
    if yaml_text is None:
        return None
    if suppressed:
        return None
    if yaml_to_markdown(yaml_text) != fixed:
        return "to-md(to-yaml(P)) != fix(P)"
    return None
