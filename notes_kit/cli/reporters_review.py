"""Reporters for review tools: reviewdog's rdjson (fixes as suggested changes) and the GitLab
code quality report. Like every reporter, each returns the whole output as one string.

rdjson columns count UTF-8 bytes (reviewdog's `Position.column`), ours count code points,
so the rdjson reporter needs the text of each file with findings: `sources` gives the ones
not on disk (standard input); the others are read here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Edit, Finding, Severity

if TYPE_CHECKING:
    from notes_kit.lint.rules.registry import Rule

TOOL = "notes-kit"
TOOL_URL = "https://github.com/notes-kit/notes-kit"
_RDJSON_SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING"}
_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def _lines_of(path: str, sources: Mapping[str, str] | None) -> list[str] | None:
    """The file's lines, or None when it cannot be read (columns then stay code points)."""
    if sources is not None and path in sources:
        return sources[path].split("\n")
    from notes_kit.core.files import read_source
    from notes_kit.core.findings import InputError

    try:
        return read_source(path).split("\n")
    except InputError:
        return None


def byte_column(lines: list[str] | None, line: int, column: int) -> int:
    """A 1-based code-point column as reviewdog counts it: 1 + the UTF-8 bytes before it."""
    if lines is None or not 0 < line <= len(lines):
        return max(column, 1)
    return len(lines[line - 1][: max(column, 1) - 1].encode("utf-8")) + 1


def _position(lines: list[str] | None, line: int, column: int) -> dict[str, int]:
    return {"line": line, "column": byte_column(lines, line, column)}


def _suggestion(lines: list[str] | None, edit: Edit) -> dict[str, Any]:
    return {"range": {"start": _position(lines, edit.line, edit.column),
                      "end": _position(lines, edit.end_line, edit.end_column)},
            "text": edit.text}


def rdjson_diagnostic(finding: Finding, rule: Rule | None,
                      lines: list[str] | None) -> dict[str, Any]:
    """One reviewdog Diagnostic; a fix's edits are its suggestions (safe and unsafe alike:
    a reviewer applies them one by one)."""
    location: dict[str, Any] = {"path": finding.path}
    if finding.line >= 1:
        end_line, end_column = finding.end
        location["range"] = {"start": _position(lines, finding.line, max(finding.column, 1)),
                             "end": _position(lines, max(end_line, finding.line),
                                              max(end_column, 1))}
    code: dict[str, str] = {"value": finding.rule}
    if rule is not None:
        from notes_kit.lint.rules.docs import rule_url

        code["url"] = rule_url(rule.id, rule.name)
    diagnostic: dict[str, Any] = {"message": finding.message, "location": location,
                                  "severity": _RDJSON_SEVERITY[finding.severity],
                                  "code": code}
    if finding.fixable and finding.edits:
        diagnostic["suggestions"] = [_suggestion(lines, e) for e in finding.edits]
    return diagnostic


def render_rdjson(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                  color: bool = False, sources: Mapping[str, str] | None = None) -> str:
    """reviewdog's DiagnosticResult (`reviewdog -f=rdjson`)."""
    cache: dict[str, list[str] | None] = {}
    diagnostics = []
    for finding in findings:
        if finding.path not in cache:
            cache[finding.path] = _lines_of(finding.path, sources)
        diagnostics.append(rdjson_diagnostic(finding, rules.get(finding.rule),
                                             cache[finding.path]))
    result = {"source": {"name": TOOL, "url": TOOL_URL}, "diagnostics": diagnostics}
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across runs and across lines moving: the path, the rule, the message and
    which of several identical findings in the file this is."""
    import hashlib

    key = "\0".join((finding.path, finding.rule, finding.message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def gitlab_issue(finding: Finding, occurrence: int) -> dict[str, Any]:
    """One issue of GitLab's code quality report (a subset of Code Climate's issue)."""
    begin = max(finding.line, 1)
    end = max(finding.end[0], begin)
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.rule}: {finding.message}",
        "categories": ["Style"],
        "severity": _GITLAB_SEVERITY[finding.severity],
        "fingerprint": fingerprint(finding, occurrence),
        "location": {"path": finding.path.replace("\\", "/"),
                     "lines": {"begin": begin, "end": end}},
    }


def render_gitlab(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                  color: bool = False) -> str:
    """The JSON array GitLab reads from `artifacts:reports:codequality`."""
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for finding in findings:
        key = (finding.path, finding.rule, finding.message)
        seen[key] = seen.get(key, -1) + 1
        issues.append(gitlab_issue(finding, seen[key]))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
