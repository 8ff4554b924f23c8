"""Reporters: the only place findings become output text (the human formats of
reporters_text, JSON, SARIF, GitHub annotations).

Each reporter takes the findings already sorted and returns the whole output as one string,
newline-terminated when not empty, so the CLI only writes it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Protocol

from notes_kit.cli.formats import TEXT_FORMATS
from notes_kit.cli.reporters_text import render_human, visible
from notes_kit.core.findings import Edit, Finding, Severity

if TYPE_CHECKING:
    from notes_kit.lint.rules.registry import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "notes-kit"
INFORMATION_URI = "https://pypi.org/project/notes-kit/"

class Reporter(Protocol):
    def __call__(
        self, findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
    ) -> str: ...


render_text = render_human("concise")  # one line a finding


def _lines(lines: Sequence[str]) -> str:
    return "".join(line + "\n" for line in lines)


# --- json -------------------------------------------------------------------------------------


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    return {"line": edit.line, "column": edit.column, "end_line": edit.end_line,
            "end_column": edit.end_column, "content": edit.text}


def finding_to_dict(finding: Finding, rule: Rule | None = None) -> dict[str, Any]:
    """A finding as JSON: its fix is data (ruff's `fix.applicability` and `fix.edits`, end
    exclusive, 1-based, columns in code points), so an editor applies it without us."""
    end_line, end_column = finding.end
    fix = None
    if finding.fixable:
        fix = {"applicability": finding.fix.value, "message": finding.message,
               "edits": [edit_to_dict(e) for e in finding.edits]}
    data: dict[str, Any] = {
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
        "fix": fix,
    }
    if rule is not None:
        data["url"] = _help_uri(rule)
    return data


def render_json(
    findings: Sequence[Finding], rules: Mapping[str, Rule], *, color: bool = False
) -> str:
    import json

    return json.dumps([finding_to_dict(f, rules.get(f.rule)) for f in findings], indent=2) + "\n"


def _help_uri(rule: Rule) -> str:
    from notes_kit.lint.rules.docs import rule_url

    return rule_url(rule.id, rule.name)


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
        "helpUri": _help_uri(rule),
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
    if finding.fixable and finding.edits:
        result["fixes"] = [_sarif_fix(finding)]
    return result


def _sarif_fix(finding: Finding) -> dict[str, Any]:
    """SARIF's fix object: the finding's edits as replacements in its artifact."""
    replacements = [{
        "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                          "endColumn": e.end_column},
        "insertedContent": {"text": e.text},
    } for e in finding.edits]
    return {"description": {"text": f"{finding.fix.value} fix: {finding.message}"},
            "artifactChanges": [{"artifactLocation": _artifact_location(finding.path),
                                 "replacements": replacements}]}


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

def _elsewhere(module: str, name: str) -> Reporter:
    """A reporter of another module, imported when it is used (reporters_review.py and
    reporters_stats.py: review tools and counts)."""
    def reporter(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                 color: bool = False) -> str:
        from importlib import import_module

        found: Reporter = getattr(import_module(module), name)
        return found(findings, rules, color=color)

    return reporter


REPORTERS: dict[str, Reporter] = {
    **{name: render_human(name) for name in TEXT_FORMATS},
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "rdjson": _elsewhere("notes_kit.cli.reporters_review", "render_rdjson"),
    "gitlab": _elsewhere("notes_kit.cli.reporters_review", "render_gitlab"),
    "summary": _elsewhere("notes_kit.cli.reporters_stats", "render_summary"),
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
