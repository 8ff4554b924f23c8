"""notes-kit values as lsprotocol types: findings as diagnostics, edits as text edits."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from notes_kit.core.findings import Edit, Finding, FixKind, Severity
from notes_kit.server.analysis import Snapshot
from notes_kit.server.positions import UTF16, to_lsp

SOURCE = "notes-kit"
_SEVERITY = {Severity.ERROR: lsp.DiagnosticSeverity.Error,
             Severity.WARNING: lsp.DiagnosticSeverity.Warning}


def position(lines: Sequence[str], line: int, column: int, encoding: str = UTF16) -> lsp.Position:
    row, character = to_lsp(lines, line, column, encoding)
    return lsp.Position(line=row, character=character)


def finding_range(finding: Finding, lines: Sequence[str], encoding: str = UTF16) -> lsp.Range:
    """The finding's span; one without an end reaches to the end of its line (so a hover
    anywhere on what it is about finds it); a whole-file finding is the first line."""
    line = max(finding.line, 1)
    start = position(lines, line, max(finding.column, 1), encoding)
    end_line, end_column = finding.end
    if finding.line < 1 or (end_line, end_column) <= (finding.line, finding.column):
        row = lines[line - 1] if line <= len(lines) else ""
        return lsp.Range(start=start, end=position(lines, line, len(row) + 1, encoding))
    return lsp.Range(start=start, end=position(lines, end_line, end_column, encoding))


def diagnostic(finding: Finding, lines: Sequence[str], encoding: str = UTF16) -> lsp.Diagnostic:
    from notes_kit.lint.rules.docs import rule_url
    from notes_kit.lint.rules.registry import all_rules

    rule = all_rules().get(finding.rule)
    href = rule_url(rule.id, rule.name) if rule is not None else None
    return lsp.Diagnostic(
        range=finding_range(finding, lines, encoding), message=finding.message,
        severity=_SEVERITY[finding.severity], code=finding.rule, source=SOURCE,
        code_description=lsp.CodeDescription(href=href) if href else None,
        data={"fix": finding.fix.value} if finding.fix is not FixKind.NONE else None)


def diagnostics(snapshot: Snapshot, encoding: str = UTF16) -> list[lsp.Diagnostic]:
    from notes_kit.server.positions import split_lines

    lines = split_lines(snapshot.text)
    if snapshot.problem is not None:
        line = max(snapshot.problem_line, 1)
        row = lines[line - 1] if line <= len(lines) else ""
        span = lsp.Range(start=position(lines, line, 1, encoding),
                         end=position(lines, line, len(row) + 1, encoding))
        return [lsp.Diagnostic(range=span, message=snapshot.problem,
                               severity=lsp.DiagnosticSeverity.Error, source=SOURCE)]
    return [diagnostic(f, lines, encoding) for f in snapshot.findings]


def text_edit(edit: Edit, lines: Sequence[str], encoding: str = UTF16,
              newline: str = "\n") -> lsp.TextEdit:
    return lsp.TextEdit(range=lsp.Range(start=position(lines, edit.line, edit.column, encoding),
                                        end=position(lines, edit.end_line, edit.end_column,
                                                     encoding)),
                        new_text=edit.text.replace("\n", newline))


def _keep_ends(text: str) -> list[str]:
    """The lines of `text`, each with its `\n` (only `\n` ends a line here)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def minimal_edits(old: str, new: str) -> list[Edit]:
    """`old` -> `new` as few whole-line replacements (what changed, not the whole file)."""
    import difflib

    before, after = _keep_ends(old), _keep_ends(new)
    parts = old.split("\n")
    end_of_text = (len(parts), len(parts[-1]) + 1)

    def at(index: int) -> tuple[int, int]:
        return (index + 1, 1) if index < len(before) else end_of_text

    edits = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(*at(i1), *at(i2), "".join(after[j1:j2])))
    return edits
