"""The LSP methods the server answers, registered on a NotesServer by `register`."""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from notes_kit.server.actions import FIX_ALL, WRITE_CONFIG, Request, code_actions
from notes_kit.server.app import NotesServer, _path_of
from notes_kit.server.positions import from_lsp, split_lines

TRIGGERS = ["[", " ", "&"]


def register(server: NotesServer) -> None:
    _documents(server)
    _settings(server)
    _answers(server)


def _documents(server: NotesServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NotesServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls._lint_safely(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NotesServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: NotesServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.is_settings_file(_path_of(uri)):
            ls.reload()
        else:
            ls._lint_safely(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NotesServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.snapshots.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri,
                                                                          diagnostics=[]))


def _settings(server: NotesServer) -> None:
    @server.feature(lsp.INITIALIZED)
    def initialized(ls: NotesServer, params: lsp.InitializedParams) -> None:
        """Ask the client to tell of config and registry changes, when it can be asked."""
        from notes_kit.server.app import WATCHED

        capabilities = ls.client_capabilities.workspace
        watch = capabilities.did_change_watched_files if capabilities else None
        if not (watch and watch.dynamic_registration):
            return
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED])
        ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
            id="notes-kit-settings", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options)]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: NotesServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(ls.is_settings_file(_path_of(change.uri)) for change in params.changes):
            ls.reload()

    @server.command(WRITE_CONFIG)
    def write_config(ls: NotesServer, path: str, text: str) -> None:
        """Create a config for clients that cannot create files by a workspace edit."""
        from notes_kit.core.files import atomic_write
        from notes_kit.core.findings import InputError

        if os.path.lexists(path):
            return
        try:
            atomic_write(path, text)
        except InputError as exc:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error,
                                                         message=f"notes-kit: {exc}"))
            return
        ls.reload()


def _answers(server: NotesServer) -> None:
    kinds = [lsp.CodeActionKind.QuickFix, FIX_ALL]

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=kinds))
    def code_action(ls: NotesServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        path = ls.workspace.get_text_document(uri).path or _path_of(uri)
        edits = ls.client_capabilities.workspace
        operations = edits.workspace_edit.resource_operations if edits and \
            edits.workspace_edit else None
        request = Request(uri, path, ls.current(uri), params.range, params.context.only,
                          ls.encoding, create_files=bool(operations and
                                                         lsp.ResourceOperationKind.Create in
                                                         operations), root=ls.root_of(path))
        return code_actions(request)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: NotesServer, params: lsp.HoverParams) -> lsp.Hover | None:
        from notes_kit.server.hover import hover_text

        snapshot = ls.current(params.text_document.uri)
        text = hover_text(snapshot, params.position, ls.encoding)
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(ls: NotesServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        from notes_kit.server.hover import completion_items

        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        lines = split_lines(document.source)
        line, column = from_lsp(lines, params.position.line, params.position.character,
                                ls.encoding)
        path = document.path or _path_of(uri)
        items = completion_items(lines, line, column, path, ls.configs, ls.encoding)
        return lsp.CompletionList(is_incomplete=False, items=items)
