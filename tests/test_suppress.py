from __future__ import annotations

import pytest

from notes_kit.core.findings import Finding, Severity
from notes_kit.lint.suppress import (
    Kind,
    Suppression,
    Suppressions,
    apply,
    is_directive,
    parse_suppressions,
)

PATH = "conferences/sosp-2024.md"


def finding(line: int, rule: str = "NK501", column: int = 1) -> Finding:
    return Finding(PATH, line, column, rule, f"{rule} at {line}")


def kept_lines(text: str, found: list[Finding], kind: Kind = "markdown") -> list[tuple[int, str]]:
    """Lines and rules of what survives, NK506 included; no NK505 allowed."""
    suppressions, errors = parse_suppressions(text, PATH, kind)
    assert errors == []
    return [(f.line, f.rule) for f in apply(found, suppressions)]


def errors_of(text: str, kind: Kind = "markdown") -> list[Finding]:
    return parse_suppressions(text, PATH, kind)[1]


# --- ranges and next-line ------------------------------------------------------

RANGE = """# SOSP 2024
<!-- notes-kit: disable NK501 -->
Modle one
Modle two
<!-- notes-kit: enable NK501 -->
Modle three
"""


def test_range_covers_its_own_boundaries_inclusive() -> None:
    found = [finding(n) for n in range(1, 7)]
    assert kept_lines(RANGE, found) == [(1, "NK501"), (6, "NK501")]


def test_range_touches_only_its_rules() -> None:
    assert kept_lines(RANGE, [finding(3, "NK504"), finding(3)]) == [(3, "NK504")]


def test_trailing_directives_cover_their_own_lines() -> None:
    text = "a <!-- notes-kit: disable NK501 -->\nb\nc <!-- notes-kit: enable NK501 -->\nd\n"
    assert kept_lines(text, [finding(n) for n in (1, 3, 4)]) == [(4, "NK501")]


def test_open_range_runs_to_end_of_file() -> None:
    text = "x\n<!-- notes-kit: disable NK503 -->\n\n\n\ny  \n"
    assert kept_lines(text, [finding(1, "NK503"), finding(6, "NK503"), finding(7, "NK503")]) == [
        (1, "NK503")
    ]


def test_ranges_close_per_id() -> None:
    text = (
        "<!-- notes-kit: disable NK501, NK504 -->\nx\n<!-- notes-kit: enable NK501 -->\n"
        "y\n<!-- notes-kit: enable NK504 -->\nz\n"
    )
    found = [finding(2), finding(4), finding(4, "NK504"), finding(6, "NK504")]
    assert kept_lines(text, found) == [(4, "NK501"), (6, "NK504")]


def test_disable_next_line_skips_blank_lines_and_stacked_directives() -> None:
    text = (
        "<!-- notes-kit: disable-next-line NK302 -->\n\n"
        "<!-- notes-kit: disable-next-line NK501 -->\n"
        "* Modle \\[[arxiv](https://arxiv.org/abs/1)]\n"
        "* Modle \\[[arxiv](https://arxiv.org/abs/2)]\n"
    )
    found = [finding(4), finding(4, "NK302"), finding(5), finding(5, "NK302")]
    assert kept_lines(text, found) == [(5, "NK501"), (5, "NK302")]


def test_disable_next_line_does_not_cover_its_own_line() -> None:
    text = "Modle <!-- notes-kit: disable-next-line NK501 -->\nModle\n"
    assert kept_lines(text, [finding(1), finding(2)]) == [(1, "NK501")]


@pytest.mark.parametrize(
    "ids", ["NK501,NK302,NK504", "NK501 NK302 NK504", "NK501, NK302  NK504", " NK501 ,NK302,NK504 "]
)
def test_several_ids(ids: str) -> None:
    text = f"<!--notes-kit: disable-next-line {ids}-->\nline\n"
    found = [finding(2, rule) for rule in ("NK501", "NK302", "NK504", "NK101")]
    assert kept_lines(text, found) == [(2, "NK101")]


def test_keyword_and_action_are_case_insensitive() -> None:
    assert kept_lines("<!-- Notes-Kit: Disable-Next-Line NK501 -->\nx\n", [finding(2)]) == []


def test_crlf_text() -> None:
    text = RANGE.replace("\n", "\r\n")
    assert kept_lines(text, [finding(n) for n in range(1, 7)]) == [(1, "NK501"), (6, "NK501")]


def test_directive_positions() -> None:
    text = "x\n  * a <!-- c --> <!-- notes-kit: disable-next-line NK501 -->\ny\n"
    suppressions, _ = parse_suppressions(text, PATH)
    assert suppressions.items == (Suppression("NK501", 3, 3, 2, 18),)


# --- malformed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("<!-- notes-kit: disable -->", 1, "no disable-all"),
        ("<!-- notes-kit: disable , -->", 1, "no disable-all"),
        ("<!-- notes-kit: enable -->", 1, "'enable' needs at least one rule id"),
        ("* x <!-- notes-kit: disable-next-line -->", 5, "needs at least one rule id"),
        ("<!-- notes-kit: disabel NK501 -->", 1, "unknown directive 'disabel'"),
        ("<!-- notes-kit: noqa NK501 -->", 1, "unknown directive 'noqa'"),
        ("<!-- notes-kit: disable NK5 -->", 1, "not a rule id: NK5"),
        ("<!-- notes-kit: disable NK999 -->", 1, "no such rule: NK999"),
        ("<!-- notes-kit: disable NK501; NK302 -->", 1, "not a rule id: NK501;"),
        ("<!-- notes-kit disable NK501 -->", 1, "expected 'notes-kit: <disable|"),
        ("<!--notes-kit:-->", 1, "expected 'notes-kit:"),
        ("<!-- notes-kit -->", 1, "expected 'notes-kit:"),
        ("<!-- notes-kit: disable NK501 NK501 -->", 1, "repeated id: NK501"),
        ("<!-- notes-kit: disable NK505 -->", 1, "NK505 cannot be suppressed inline"),
        ("<!-- notes-kit: disable-next-line NK506 -->", 1, "NK506 cannot be suppressed"),
        ("<!-- notes-kit: enable NK501 -->", 1, "'enable NK501' has no matching 'disable NK501'"),
        ("text <!-- notes-kit: disable NK501", 6, "unclosed comment"),
    ],
)
def test_malformed(line: str, column: int, fragment: str) -> None:
    text = f"# SOSP 2024\n\n{line}\nModle\n"
    suppressions, errors = parse_suppressions(text, PATH)
    assert [(e.line, e.column, e.rule) for e in errors] == [(3, column, "NK505")]
    assert fragment in errors[0].message
    assert errors[0].message.startswith("malformed suppression comment: ")
    assert errors[0].severity is Severity.ERROR and not errors[0].fixable
    assert apply([finding(4)], suppressions) == [finding(4)]  # nothing silently disabled


def test_one_finding_per_malformed_directive_with_every_reason() -> None:
    errors = errors_of("<!-- notes-kit: disable NK1 NK501 NK501 NK505 -->\n")
    assert len(errors) == 1
    for part in ("not a rule id: NK1", "repeated id: NK501", "NK505 cannot"):
        assert part in errors[0].message


def test_disable_twice_is_reported_and_first_range_kept() -> None:
    text = "<!-- notes-kit: disable NK501 -->\na\n<!-- notes-kit: disable NK501, NK302 -->\nb\n"
    suppressions, errors = parse_suppressions(text, PATH)
    assert [(e.line, e.column) for e in errors] == [(3, 1)]
    assert "NK501 is already disabled (line 1)" in errors[0].message
    assert [(s.rule, s.line) for s in suppressions.items] == [("NK501", 1), ("NK302", 3)]


def test_partly_unmatched_enable_still_closes_the_matched_ids() -> None:
    text = "<!-- notes-kit: disable NK501 -->\na\n<!-- notes-kit: enable NK501 NK302 -->\nb\n"
    suppressions, errors = parse_suppressions(text, PATH)
    assert "'enable NK302'" in errors[0].message and "NK501" not in errors[0].message
    assert [(s.first, s.last) for s in suppressions.items] == [(1, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- a comment -->\n<!-- notes kit: disable -->\n<!-- notes-kitten: x -->\n",
        "`<!-- notes-kit: disable -->` in a code span\n",
        "``<!-- notes-kit: enable NK501 -->``\n",
        "```markdown\n<!-- notes-kit: disable -->\n```\n",
        "  ~~~~\n<!-- notes-kit: disable -->\n~~~\n<!-- notes-kit: x -->\n~~~~\n",
        "---\ntitle: <!-- notes-kit: disable -->\n---\n# SOSP 2024\n",
        "# notes-kit: disable NK501\n",
    ],
)
def test_not_directives(text: str) -> None:
    suppressions, errors = parse_suppressions(text, PATH)
    assert (suppressions.items, errors) == ((), [])


# --- unused (NK506) ------------------------------------------------------------


def test_unused_names_only_the_idle_ids_at_the_directive() -> None:
    text = "# T\n\n  <!-- notes-kit: disable-next-line NK501, NK302, NK504 -->\nModle\n"
    suppressions, _ = parse_suppressions(text, PATH)
    result = apply([finding(4)], suppressions)
    assert [(f.line, f.column, f.rule) for f in result] == [(3, 3, "NK506")]
    assert result[0].severity is Severity.WARNING
    assert "NK302, NK504" in result[0].message and "NK501" not in result[0].message


def test_unused_range_reported_at_its_disable() -> None:
    text = "x\n<!-- notes-kit: disable NK501 -->\ny\n<!-- notes-kit: enable NK501 -->\n"
    assert kept_lines(text, [finding(1)]) == [(1, "NK501"), (2, "NK506")]


def test_next_line_with_no_next_line_is_unused() -> None:
    assert kept_lines("x\n<!-- notes-kit: disable-next-line NK501 -->\n\n", []) == [(2, "NK506")]


def test_inactive_rules_are_not_called_unused() -> None:
    suppressions, _ = parse_suppressions("<!-- notes-kit: disable NK302 NK501 -->\nx\n", PATH)
    result = apply([], suppressions, active=lambda rule: rule.startswith("NK5"))
    assert [(f.rule, f.message) for f in result] == [
        ("NK506", "unused suppression: NK501 suppressed nothing here")
    ]


def test_nk505_and_nk506_cannot_be_suppressed() -> None:
    suppressions = Suppressions(PATH, (Suppression("NK505", 1, 9, 1, 1),))
    assert apply([finding(2, "NK505")], suppressions, active=lambda _: False) == [
        finding(2, "NK505")
    ]


# --- YAML and the converter helpers ------------------------------------------------


def test_yaml_comments() -> None:
    text = (
        "venue: sosp\n# notes-kit: disable-next-line NK601\nyear: 24\n"
        "papers:\n  #notes-kit: disable-next-line NK501\n  - title: x\n"
        "# <!-- notes-kit: disable NK601 -->\n"
    )
    suppressions, errors = parse_suppressions(text, "sosp-2024.yaml", "yaml")
    assert errors == []
    assert [(s.rule, s.first, s.line, s.column) for s in suppressions.items] == [
        ("NK601", 3, 2, 1),
        ("NK501", 6, 5, 3),
    ]


def test_yaml_malformed_and_html_comments_ignored() -> None:
    errors = errors_of("a: 1\n  # notes-kit: disable\nb: <!-- notes-kit: disable -->\n", "yaml")
    assert [(e.line, e.column, e.rule) for e in errors] == [(2, 3, "NK505")]


@pytest.mark.parametrize(
    ("line", "kind", "expected"),
    [
        ("<!-- notes-kit: disable NK501 -->", "markdown", True),
        ("  <!-- notes-kit: disable -->  ", "markdown", True),  # malformed ones survive too
        ("<!-- toc --> <!-- notes-kit: enable NK501 -->", "markdown", True),
        ("* paper <!-- notes-kit: disable-next-line NK501 -->", "markdown", False),
        ("<!-- just a comment -->", "markdown", False),
        ("# notes-kit: disable NK501", "markdown", False),
        ("  # notes-kit: disable-next-line NK601", "yaml", True),
        ("key: value # notes-kit: disable NK601", "yaml", False),
        ("<!-- notes-kit: disable NK501 -->", "yaml", False),
    ],
)
def test_is_directive(line: str, kind: Kind, expected: bool) -> None:
    assert is_directive(line, kind) is expected


