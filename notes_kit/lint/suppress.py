"""Inline suppressions, like ruff's `# noqa` with RUF100, for Markdown and YAML notes.

Markdown: `<!-- notes-kit: disable NK501 -->` ... `<!-- notes-kit: enable NK501 -->`
and `<!-- notes-kit: disable-next-line NK302 -->`. YAML: the same after `#`.
There is deliberately no disable-all: every directive names its rule ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from notes_kit.core.findings import Finding, Severity
from notes_kit.format.directives import KEYWORD as _KEYWORD
from notes_kit.format.directives import YAML_COMMENT as _YAML_COMMENT
from notes_kit.format.directives import Kind, is_directive
from notes_kit.format.directives import html_comments as _html_comments

MALFORMED = "NK505"
UNUSED = "NK506"
UNSUPPRESSIBLE = frozenset({MALFORMED, UNUSED})
ACTIONS = ("disable", "enable", "disable-next-line")
END_OF_FILE = 2**31
RULE_ID = re.compile(r"NK\d{3}", re.IGNORECASE)
_ANYWHERE = re.compile(r"notes-kit", re.IGNORECASE)
_GRAMMAR = re.compile(r"\s*notes-kit\s*:\s*([\w-]+)(.*)", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")


class Directive(NamedTuple):
    """A well-formed directive at 1-based line and column (of `<!--` or `#`)."""

    line: int
    column: int
    action: str
    rules: tuple[str, ...]


class Suppression(NamedTuple):
    """One rule switched off on lines first..last (inclusive), by the directive at line:column."""

    rule: str
    first: int
    last: int
    line: int
    column: int


class Suppressions(NamedTuple):
    """Every suppression of one file."""

    path: str
    items: tuple[Suppression, ...] = ()


def parse_suppressions(
    text: str, path: str, kind: Kind = "markdown"
) -> tuple[Suppressions, list[Finding]]:
    """Read every directive; malformed ones become NK505 findings and suppress nothing."""
    if not _ANYWHERE.search(text):
        return Suppressions(path), []  # every directive names notes-kit
    lines = [line.rstrip("\r") for line in text.split("\n")]
    state = _State(lines, kind)
    errors: list[Finding] = []
    for number, column, body in _comments(lines, kind):
        parsed = _parse(number, column, body)
        problems = [parsed] if isinstance(parsed, str) else state.add(parsed)
        if problems:
            errors.append(_malformed(path, number, column, problems))
    return Suppressions(path, tuple(state.finish())), errors


def apply(
    findings: Iterable[Finding],
    suppressions: Suppressions,
    active: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """Drop the findings (of this file) that a directive covers, then add NK506 for unused ids.

    `active(rule)` says whether a rule ran; ids of rules that did not run are
    never called unused, so a partial `--select` run gives no false NK506.
    """
    findings = list(findings)
    covering = _covering(suppressions.items, {(f.rule, f.line) for f in findings})
    used: set[Suppression] = set()
    kept: list[Finding] = []
    for finding in findings:
        hits = covering.get((finding.rule, finding.line), ())
        if finding.rule in UNSUPPRESSIBLE or not hits:
            kept.append(finding)
        else:
            used.update(hits)
    return kept + _unused(suppressions, used, active)


def _covering(items: Iterable[Suppression], wanted: set[tuple[str, int]]
              ) -> dict[tuple[str, int], tuple[Suppression, ...]]:
    """The suppressions covering each (rule, line) asked for, in one sweep per rule over
    lines and ranges sorted by start (not every suppression per finding: that is quadratic
    in a page with thousands of directives)."""
    import heapq

    by_rule: dict[str, list[Suppression]] = {}
    for item in items:
        by_rule.setdefault(item.rule, []).append(item)
    found: dict[tuple[str, int], tuple[Suppression, ...]] = {}
    for rule, ranges in by_rule.items():
        ranges.sort(key=lambda s: s.first)
        lines = sorted(line for wanted_rule, line in wanted if wanted_rule == rule)
        active: list[tuple[int, int, Suppression]] = []  # a heap by last line
        index = 0
        for line in lines:
            while index < len(ranges) and ranges[index].first <= line:
                heapq.heappush(active, (ranges[index].last, index, ranges[index]))
                index += 1
            while active and active[0][0] < line:
                heapq.heappop(active)
            if active:
                found[(rule, line)] = tuple(item for _, _, item in active)
    return found


class _State:
    """Pairs `disable` with `enable` and places `disable-next-line`, in file order."""

    def __init__(self, lines: list[str], kind: Kind) -> None:
        self.lines, self.kind = lines, kind
        self.open: dict[str, Directive] = {}
        self.items: list[Suppression] = []
        self.scanned = (1, -1)  # (line, its next content line) of the last scan: none yet

    def add(self, directive: Directive) -> list[str]:
        if directive.action == "disable-next-line":
            target = self._next_line(directive.line)
            self.items += [_cover(rule, target, target, directive) for rule in directive.rules]
            return []
        problems = []
        for rule in directive.rules:
            start = self.open.get(rule)
            if directive.action == "disable" and start is not None:
                problems.append(f"{rule} is already disabled (line {start.line})")
            elif directive.action == "disable":
                self.open[rule] = directive
            elif start is None:
                problems.append(f"'enable {rule}' has no matching 'disable {rule}'")
            else:
                del self.open[rule]
                self.items.append(_cover(rule, start.line, directive.line, start))
        return problems

    def finish(self) -> list[Suppression]:
        """A range left open runs to the end of the file."""
        rest = [_cover(rule, d.line, END_OF_FILE, d) for rule, d in self.open.items()]
        return sorted(self.items + rest, key=lambda s: (s.line, s.column, s.rule))

    def _next_line(self, number: int) -> int:
        """The next line with content, skipping blank lines and stacked directives; 0 if none.

        Directives are read in file order, so the scan resumes where the last one stopped
        when it started before it: stacked directives cost one pass, not one each."""
        start, target = self.scanned
        if not start <= number <= (target - 1 if target else len(self.lines)):
            start, target = number, 0
            for index in range(number, len(self.lines)):
                line = self.lines[index]
                if line.strip() and not is_directive(line, self.kind):
                    target = index + 1
                    break
        self.scanned = (number, target)
        return target


def _cover(rule: str, first: int, last: int, directive: Directive) -> Suppression:
    return Suppression(rule, first, last, directive.line, directive.column)


def _comments(lines: list[str], kind: Kind) -> Iterator[tuple[int, int, str | None]]:
    """(line, column, body) of each notes-kit comment; body None if the comment is unclosed."""
    if kind == "yaml":
        for number, line in enumerate(lines, 1):
            match = _YAML_COMMENT.match(line)
            if match and _KEYWORD.match(line[match.end() :]):
                yield number, match.end(), line[match.end() :]
        return
    from notes_kit.format.markdown.spans import blank, spans

    for number, line in _prose_lines(lines):
        masked = blank(line, spans(line, None)) if "`" in line else line  # keeps columns
        for column, body, closed in _html_comments(masked):
            if _KEYWORD.match(body):
                yield number, column, body if closed else None


def _prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Lines outside front matter and fenced code, where directives are live."""
    fence = ""
    in_front = bool(lines) and lines[0] == "---"
    for number, line in enumerate(lines, 1):
        if in_front:
            in_front = number == 1 or line not in ("---", "...")
            continue
        if fence:
            closing = line.strip()
            if set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = ""
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)
            continue
        yield number, line


def _parse(line: int, column: int, body: str | None) -> Directive | str:
    """A Directive, or the reason the comment is malformed."""
    if body is None:
        return "unclosed comment (a directive must end with '-->' on the same line)"
    match = _GRAMMAR.fullmatch(body)
    if match is None:
        return "expected 'notes-kit: <disable|enable|disable-next-line> NKxxx[, NKxxx]'"
    action, rest = match.group(1).lower(), match.group(2)
    if action not in ACTIONS:
        return f"unknown directive '{match.group(1)}' (expected {', '.join(ACTIONS)})"
    rules = [token.upper() if RULE_ID.fullmatch(token) else token
             for token in re.split(r"[,\s]+", rest) if token]
    problems = _id_problems(action, rules)
    return "; ".join(problems) if problems else Directive(line, column, action, tuple(rules))


def _id_problems(action: str, rules: list[str]) -> list[str]:
    if not rules:
        return [f"'{action}' needs at least one rule id (there is no disable-all)"]
    bad = [rule for rule in rules if not RULE_ID.fullmatch(rule)]
    problems = [f"not a rule id: {', '.join(bad)} (expected NK and 3 digits)"] if bad else []
    unknown = [rule for rule in rules if RULE_ID.fullmatch(rule) and rule not in _known()]
    if unknown:
        problems.append(f"no such rule: {', '.join(unknown)} (see 'notes-kit rules')")
    repeated = sorted({rule for rule in rules if rules.count(rule) > 1})
    if repeated:
        problems.append(f"repeated id: {', '.join(repeated)}")
    fixed = sorted(UNSUPPRESSIBLE.intersection(rules))
    if fixed:
        problems.append(f"{', '.join(fixed)} cannot be suppressed inline")
    return problems


def _malformed(path: str, line: int, column: int, problems: list[str]) -> Finding:
    message = "malformed suppression comment: " + "; ".join(problems)
    return Finding(path, line, column, MALFORMED, message, Severity.ERROR)


def _unused(
    suppressions: Suppressions, used: set[Suppression], active: Callable[[str], bool] | None
) -> list[Finding]:
    """One NK506 per directive, naming its ids that suppressed nothing."""
    idle: dict[tuple[int, int], list[str]] = {}
    for item in suppressions.items:
        if item not in used and (active is None or active(item.rule)):
            idle.setdefault((item.line, item.column), []).append(item.rule)
    return [_unused_at(suppressions.path, *where, rules) for where, rules in idle.items()]


def _unused_at(path: str, line: int, column: int, rules: list[str]) -> Finding:
    message = f"unused suppression: {', '.join(sorted(rules))} suppressed nothing here"
    return Finding(path, line, column, UNUSED, message, Severity.WARNING)


def _known() -> frozenset[str]:
    """The registry's rule ids (suppressions are rare: loaded only for them)."""
    from notes_kit.lint.rules.registry import all_rules

    return frozenset(all_rules())
