"""The formats people read: `full` (each finding with its source line, the offending text
underlined, as ruff shows it; the default `text`), `concise` (one line a finding) and
`grouped` (findings under each file's name). Lines of a file are rendered per file, so
the command line can print each file as it finishes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from notes_kit.core.findings import Finding, FixKind, Severity

if TYPE_CHECKING:
    from notes_kit.lint.rules.registry import Rule

Source = Callable[[str], "list[str] | None"]  # a file's lines, for the full format

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
CYAN = "\x1b[36m"
BLUE = "\x1b[34m"
SEVERITY_COLOR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m"}
WINDOW = 120  # the most of a source line the full format shows
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep: str = "") -> str:
    r"""`text` with the characters a terminal would act on written as escapes (ESC as `\x1b`,
    U+202E as `\u202e`): C0 controls but tab, DEL, C1, line separators and bidirectional
    controls. A page's text reaches messages (NK701 quotes titles): it must not clear the
    screen or set the window title. Characters in `keep` stay as they are."""
    if text.isascii() and text.isprintable():
        return text  # nearly every message
    return _HIDDEN.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color and text else text


def fix_note(fix: FixKind) -> str:
    if fix is FixKind.SAFE:
        return " (fixable)"
    if fix is FixKind.UNSAFE:
        return " (fixable with --unsafe-fixes)"
    return ""


def text_line(finding: Finding, *, color: bool = False, where: bool = True) -> str:
    """`path:line:col: NK501 [error] message (fixable)`, the one plain-text form of a finding
    (`line:col: ...` without the path, for the grouped format)."""
    sev = SEVERITY_COLOR[finding.severity]
    place = f"{finding.line}:{finding.column}:"
    if where:
        place = f"{paint(visible(finding.path), BOLD, color)}:{place}"
    what = f"{paint(finding.rule, sev, color)} {paint(f'[{finding.severity.value}]', sev, color)}"
    return f"{place} {what} {visible(finding.message)}" \
           f"{paint(fix_note(finding.fix), CYAN, color)}"


def context(finding: Finding, lines: list[str] | None, *, color: bool = False) -> list[str]:
    """The finding's source line with what it is about underlined, ruff's full form:

        36 |         * Modle state
           |           ^^^^^
    """
    if not lines or not 0 < finding.line <= len(lines):
        return []
    row = lines[finding.line - 1].replace("\t", " ")
    end = finding.end_column if finding.end_line == finding.line else len(row) + 1
    start = finding.column
    if len(row) > WINDOW:  # a long line: the part around the finding, marked as cut
        left = max(0, min(start - 1 - WINDOW // 3, len(row) - WINDOW))
        shown = row[left : left + WINDOW]
        head, tail = ("..." if left else ""), ("..." if left + WINDOW < len(row) else "")
        row = head + shown + tail
        start, end = start - left + len(head), min(end - left, WINDOW + 1) + len(head)
    row = visible(row)
    width = max(1, min(end, len(row) + 1) - start)
    number = str(finding.line)
    gutter = paint(" " * len(number) + " |", BLUE, color)
    marks = paint("^" * width, SEVERITY_COLOR[finding.severity], color)
    return [gutter, f"{paint(number + ' |', BLUE, color)} {row}",
            f"{gutter} {' ' * (start - 1)}{marks}", ""]


def summary_line(findings: Sequence[Finding]) -> str:
    """Counts by severity and by fix kind, or `All checks passed.` when there is nothing."""
    if not findings:
        return "All checks passed."
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    counts = [plural(n, w) for n, w in ((errors, "error"), (warnings, "warning")) if n]
    safe = sum(f.fix is FixKind.SAFE for f in findings)
    unsafe = sum(f.fix is FixKind.UNSAFE for f in findings)
    fixes = [f"{safe} fixable"] if safe else []
    fixes += [f"{unsafe} fixable with --unsafe-fixes"] if unsafe else []
    tail = f" ({', '.join(fixes)})" if fixes else ""
    return f"Found {', '.join(counts)}{tail}."


def fix_summary(left: Sequence[Finding], fixed: int, files: int, diff: bool = False) -> str:
    """ruff's closing line of a fix run: `Fixed 12 findings in 3 files (5 left, 2 fixable
    with --unsafe-fixes).`; with --diff, what would be fixed."""
    verb = "Would fix" if diff else "Fixed"
    head = f"{verb} {plural(fixed, 'finding')} in {plural(files, 'file')}" if fixed \
        else "No fixes applied" if not diff else "No fixes to apply"
    unsafe = sum(f.fix is FixKind.UNSAFE for f in left)
    more = [f"{len(left)} left"] if left else []
    more += [f"{unsafe} fixable with --unsafe-fixes"] if unsafe else []
    return f"{head} ({', '.join(more)})." if more else f"{head}."


def file_lines(findings: Iterable[Finding], fmt: str, source: Source | None = None, *,
               color: bool = False) -> list[str]:
    """The lines of some findings in a human format, the findings of one file at a time
    (the grouped format's heading comes with each file's first finding)."""
    lines: list[str] = []
    path = None
    for finding in findings:
        if fmt == "grouped":
            if finding.path != path:
                lines += [""] if path is not None else []
                lines.append(paint(visible(finding.path), BOLD, color) + ":")
                path = finding.path
            lines.append("  " + text_line(finding, color=color, where=False))
            continue
        lines.append(text_line(finding, color=color))
        if fmt in ("text", "full"):
            lines += context(finding, source(finding.path) if source else None, color=color)
    return lines


def render_human(fmt: str) -> Callable[..., str]:
    def render(findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False,
               source: Source | None = None) -> str:
        lines = file_lines(findings, fmt, source, color=color)
        if fmt == "grouped" and findings:
            lines.append("")
        lines.append(paint(summary_line(findings), BOLD, color))
        return "".join(line + "\n" for line in lines)

    return render
