"""Code actions: a quick fix per fixable finding (its edits; unsafe ones marked and never
preferred), `source.fixAll.notes-kit` (what `notes-kit fix` would write, as the lines that
change), "suppress NKxxx on this line", and "add 'word' to allow-words" for NK501."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as lsp

from notes_kit.core.findings import Finding, FixKind
from notes_kit.server.analysis import YAML, Snapshot
from notes_kit.server.convert import diagnostic, finding_range, minimal_edits, text_edit
from notes_kit.server.positions import UTF16, split_lines

FIX_ALL = "source.fixAll.notes-kit"
UNSUPPRESSIBLE = ("NK505", "NK506")
SPELLING = "NK501"
WRITE_CONFIG = "notes-kit.writeConfig"  # for clients that cannot create files by edit


@dataclass
class Request:
    """What one codeAction request is about."""

    uri: str
    path: str
    snapshot: Snapshot
    span: lsp.Range
    only: Sequence[str] | None = None
    encoding: str = UTF16
    create_files: bool = True  # the client applies CreateFile in workspace edits
    root: str | None = None  # the workspace folder holding the document

    def wants(self, kind: str) -> bool:
        """LSP's hierarchical kinds: `only: [source.fixAll]` asks for ours too."""
        return self.only is None or any(kind == k or kind.startswith(k + ".")
                                        for k in self.only)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def code_actions(request: Request) -> list[lsp.CodeAction]:
    snapshot = request.snapshot
    if snapshot.problem is not None:
        return []
    lines = split_lines(snapshot.text)
    actions: list[lsp.CodeAction] = []
    for finding in snapshot.findings:
        if not _overlaps(finding_range(finding, lines, request.encoding), request.span):
            continue
        found = diagnostic(finding, lines, request.encoding)
        if request.wants(lsp.CodeActionKind.QuickFix):
            actions += _quick_fix(request, finding, found, lines)
            actions += _suppress(request, finding, found, lines)
            if finding.rule == SPELLING:
                actions += _allow_word(request, finding, found, lines)
    if request.wants(FIX_ALL):
        actions += _fix_all(request)
    return actions


def _edit(request: Request, edits: Sequence[Any], lines: Sequence[str]) -> lsp.WorkspaceEdit:
    newline = "\r\n" if request.snapshot.crlf else "\n"
    return lsp.WorkspaceEdit(changes={request.uri: [
        text_edit(e, lines, request.encoding, newline) for e in edits]})


def _quick_fix(request: Request, finding: Finding, found: lsp.Diagnostic,
               lines: Sequence[str]) -> list[lsp.CodeAction]:
    if not finding.fixable or not finding.edits:
        return []
    from notes_kit.lint.engine import describe

    unsafe = finding.fix is FixKind.UNSAFE
    title = f"Fix {finding.rule}: {describe(finding, list(lines))}" + (" (unsafe)" if unsafe
                                                                         else "")
    return [lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[found],
                           is_preferred=not unsafe,
                           edit=_edit(request, finding.edits, lines))]


def directive(rule: str, yaml: bool, indent: str) -> str:
    body = f"notes-kit: disable-next-line {rule}"
    return f"{indent}# {body}\n" if yaml else f"{indent}<!-- {body} -->\n"


def _suppress(request: Request, finding: Finding, found: lsp.Diagnostic,
              lines: Sequence[str]) -> list[lsp.CodeAction]:
    """The directive on a line of its own above the finding's line, indented like it."""
    if finding.rule in UNSUPPRESSIBLE or not 0 < finding.line <= len(lines):
        return []
    from notes_kit.core.findings import Edit

    row = lines[finding.line - 1]
    indent = row[: len(row) - len(row.lstrip())]
    text = directive(finding.rule, request.path.endswith(YAML), indent)
    edit = Edit(finding.line, 1, finding.line, 1, text)
    return [lsp.CodeAction(title=f"Suppress {finding.rule} on this line",
                           kind=lsp.CodeActionKind.QuickFix, diagnostics=[found],
                           edit=_edit(request, [edit], lines))]


def _allow_word(request: Request, finding: Finding, found: lsp.Diagnostic,
                lines: Sequence[str]) -> list[lsp.CodeAction]:
    from notes_kit.server.allow_words import allow_word, misspelled_word

    word = misspelled_word(finding, lines)
    if word is None:
        return []
    change = allow_word(request.path, word, request.snapshot.config, request.root)
    if change is None:
        return []
    title = f"Add '{word}' to allow-words in {change.name}"
    action = lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[found])
    if change.old is not None:
        action.edit = lsp.WorkspaceEdit(changes={change.uri: [
            text_edit(e, split_lines(change.old)) for e in minimal_edits(change.old,
                                                                          change.new)]})
    elif request.create_files:
        action.edit = lsp.WorkspaceEdit(document_changes=[
            lsp.CreateFile(uri=change.uri, options=lsp.CreateFileOptions(ignore_if_exists=True)),
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=change.uri,
                                                                          version=None),
                edits=[lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0),
                                                    end=lsp.Position(line=0, character=0)),
                                    new_text=change.new)])])
    else:
        action.command = lsp.Command(title=title, command=WRITE_CONFIG,
                                     arguments=[change.path, change.new])
    return [action]


def _fix_all(request: Request) -> list[lsp.CodeAction]:
    """The safe fixes, as `notes-kit fix` applies them (pass after pass, with the guard)."""
    snapshot = request.snapshot
    if snapshot.config is None or not any(f.fix is FixKind.SAFE for f in snapshot.findings):
        return []
    from notes_kit.core.findings import InputError
    from notes_kit.lint.engine import fix

    try:
        result = fix(snapshot.text, request.path, snapshot.config)
    except (InputError, RecursionError):
        return []
    if result.text == snapshot.text:
        return []
    lines = split_lines(snapshot.text)
    return [lsp.CodeAction(title=f"Fix all safe notes-kit findings ({len(result.changes)})",
                           kind=FIX_ALL,
                           edit=_edit(request, minimal_edits(snapshot.text, result.text),
                                      lines))]
