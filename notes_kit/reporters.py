"""Reporters: the only place findings become output text (plain, JSON, SARIF, GitHub annotations).

Each reporter takes the findings already sorted and returns the whole output as one string,
newline-terminated when not empty, so the CLI only writes it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Protocol

from notes_kit.findings import Finding, FixKind, Severity

if TYPE_CHECKING:
    from notes_kit.rules.registry import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "notes-kit"
INFORMATION_URI = "https://pypi.org/project/notes-kit/"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_CYAN = "\x1b[36m"
_SEVERITY_COLOR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m"}


class Reporter(Protocol):
    def __call__(
        self, findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
    ) -> str: ...


def _lines(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# --- text -------------------------------------------------------------------------------------


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def _fix_note(fix: FixKind) -> str:
    if fix is FixKind.SAFE:
        return " (fixable)"
    if fix is FixKind.UNSAFE:
        return " (fixable with --unsafe-fixes)"
    return ""


def visible(text: str, keep: str = "") -> str:
    """`text` with the characters a terminal would act on written as escapes (ESC as `\x1b`,
    U+202E as `\u202e`): C0 controls but tab, DEL, C1, line separators and bidirectional
    controls. A page's text reaches messages (NK701 quotes titles): it must not clear the
    screen or set the window title. Characters in `keep` stay as they are."""
    if text.isascii() and text.isprintable():
        return text  # nearly every message
    return _HIDDEN.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text_line(finding: Finding, *, color: bool = False) -> str:
    """`path:line:col: NK501 [error] message (fixable)`, the one plain-text form of a finding."""
    sev = _SEVERITY_COLOR[finding.severity]
    where = f"{_paint(visible(finding.path), _BOLD, color)}:{finding.line}:{finding.column}:"
    what = f"{_paint(finding.rule, sev, color)} {_paint(f'[{finding.severity.value}]', sev, color)}"
    return (f"{where} {what} {visible(finding.message)}"
            f"{_paint(_fix_note(finding.fix), _CYAN, color)}")


def summary_line(findings: Sequence[Finding]) -> str:
    """Counts by severity and by fix kind, or `All checks passed.` when there is nothing."""
    if not findings:
        return "All checks passed."
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    counts = [_plural(n, w) for n, w in ((errors, "error"), (warnings, "warning")) if n]
    safe = sum(f.fix is FixKind.SAFE for f in findings)
    unsafe = sum(f.fix is FixKind.UNSAFE for f in findings)
    fixes = [f"{safe} fixable"] if safe else []
    fixes += [f"{unsafe} fixable with --unsafe-fixes"] if unsafe else []
    tail = f" ({', '.join(fixes)})" if fixes else ""
    return f"Found {', '.join(counts)}{tail}."


def render_text(
    findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    lines = [text_line(f, color=color) for f in findings]
    lines.append(_paint(summary_line(findings), _BOLD, color))
    return _lines(lines)


# --- json -------------------------------------------------------------------------------------


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    end_line, end_column = finding.end
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": end_line,
        "end_column": end_column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable,
        "suggestions": list(finding.suggestions),
    }


def render_json(
    findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    import json

    return json.dumps([finding_to_dict(f) for f in findings], indent=2) + "\n"


# --- sarif ------------------------------------------------------------------------------------


def _tool_version() -> str:
    from importlib import metadata  # ~30 ms to import: only SARIF output needs it

    try:
        return metadata.version(TOOL_NAME)
    except metadata.PackageNotFoundError:
        return "0"


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _rule_descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    """SARIF reportingDescriptor; a rule missing from `rules` still gets an id so indexes hold."""
    if rule is None:
        return {"id": rule_id}
    full = f"{rule.summary}\n\nFix: {rule.fix_why}" if rule.fix_why else rule.summary
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {
            "text": f"Bad:\n{rule.bad}\n\nGood:\n{rule.good}",
            "markdown": f"Bad:\n\n```markdown\n{rule.bad}\n```\n\n"
            f"Good:\n\n```markdown\n{rule.good}\n```",
        },
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"fixable": rule.fixable, "fix": rule.fix.value, "scope": rule.scope},
    }


def _artifact_location(path: str) -> dict[str, str]:
    """Relative paths stay relative to %SRCROOT%; absolute ones become file: URIs."""
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(path)
        if pure.is_absolute():
            return {"uri": pure.as_uri()}
    from urllib.parse import quote

    return {"uri": quote(path.replace("\\", "/"), safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(finding: Finding) -> dict[str, int] | None:
    """SARIF lines and columns start at 1; a finding on line 0 concerns the whole file."""
    if finding.line < 1:
        return None
    start_col = max(finding.column, 1)
    end_line, end_col = finding.end
    end_line = max(end_line, finding.line)
    end_col = max(end_col, start_col if end_line == finding.line else 1)
    return {
        "startLine": finding.line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def _sarif_result(finding: Finding, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact_location(finding.path)}
    region = _region(finding)
    if region is not None:
        physical["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "properties": {"fixable": finding.fixable, "fix": finding.fix.value},
    }
    if finding.suggestions:
        result["properties"]["suggestions"] = list(finding.suggestions)
    return result


def sarif_log(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """The SARIF document as a dict; its `rules` lists only the rules that have findings."""
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver = {
        "name": TOOL_NAME,
        "version": _tool_version(),
        "informationUri": INFORMATION_URI,
        "rules": [_rule_descriptor(rule_id, rules.get(rule_id)) for rule_id in rule_ids],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(f, index[f.rule]) for f in findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(
    findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    import json

    return json.dumps(sarif_log(findings, rules), indent=2) + "\n"


# --- github -----------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow-command message the way GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also lose `:` and `,`, which delimit the command's properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    """`::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=NK501::message`."""
    props: list[tuple[str, object]] = [("file", visible(finding.path))]
    if finding.line >= 1:
        end_line, end_col = finding.end
        props += [("line", finding.line)]
        props += [("col", finding.column)] if finding.column >= 1 else []
        props += [("endLine", max(end_line, finding.line))]
        props += [("endColumn", end_col)] if end_col >= 1 else []
    props.append(("title", finding.rule))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    message = escape_data(visible(finding.message, keep="\r\n"))
    return f"::{_level(finding.severity)} {joined}::{message}"


def render_github(
    findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    return _lines([github_line(f) for f in findings])


# --- choice -----------------------------------------------------------------------------------

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}


def render(
    fmt: str, findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    """Render with the reporter named `fmt` (one of REPORTERS' keys)."""
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(REPORTERS)}") from None
    return reporter(findings, rules, color=color)
