"""The language server: pygls over stdio. Documents are linted on open and save, and after
a pause in typing on change (the buffer's text, not the file on disk). A change to a
config or a registry file re-lints every open document.
"""

from __future__ import annotations

import asyncio
import logging
import os

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from notes_kit.lint.config import CONFIG_NAME, Configs
from notes_kit.server.analysis import Snapshot, analyse
from notes_kit.server.positions import UTF16

DEBOUNCE = 0.25  # seconds of quiet typing before the buffer is linted again
WATCHED = (f"**/{CONFIG_NAME}", "**/pyproject.toml", "**/*.yaml", "**/*.yml")
log = logging.getLogger("notes-kit.server")


class NotesServer(LanguageServer):
    """The state of one session: every open document's last lint, and the configs."""

    def __init__(self, debounce: float = DEBOUNCE) -> None:
        from notes_kit import __version__

        super().__init__("notes-kit", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.debounce = debounce
        self.configs = Configs()
        self.snapshots: dict[str, Snapshot] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}

    @property
    def encoding(self) -> str:
        found = getattr(self.workspace, "position_encoding", None)
        return str(getattr(found, "value", found) or UTF16)

    def root_of(self, path: str) -> str | None:
        """The workspace folder holding `path` (the deepest), else the workspace root."""
        folders = [f.uri for f in self.workspace.folders.values()]
        paths = [_path_of(uri) for uri in folders] + [self.workspace.root_path or ""]
        inside = [p for p in paths if p and (path + os.sep).startswith(p.rstrip(os.sep) + os.sep)]
        return max(inside, key=len) if inside else None

    def lint(self, uri: str) -> None:
        """Lint the document's current text now and publish what was found."""
        from notes_kit.server.convert import diagnostics

        self.timers.pop(uri, None)
        document = self.workspace.get_text_document(uri)
        path = document.path or _path_of(uri)
        snapshot = analyse(document.source, path, self.configs, document.version)
        self.snapshots[uri] = snapshot
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics(snapshot, self.encoding),
            version=document.version))

    def lint_later(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.debounce, self._lint_safely, uri)

    def _lint_safely(self, uri: str) -> None:
        try:
            self.lint(uri)
        except Exception:  # never let one document stop the session
            log.exception("notes-kit: linting %s failed", uri)

    def current(self, uri: str) -> Snapshot:
        """The lint of the document as it is now (a pending change is linted first)."""
        document = self.workspace.get_text_document(uri)
        snapshot = self.snapshots.get(uri)
        if snapshot is None or snapshot.version != document.version or uri in self.timers:
            self.lint(uri)
        return self.snapshots[uri]

    def reload(self) -> None:
        """Configs and registries changed: forget them and lint every open document again."""
        self.configs = Configs()
        for uri in list(self.workspace.text_documents):
            self._lint_safely(uri)

    def is_settings_file(self, path: str) -> bool:
        """A config file, or a registry file that a config of an open document names."""
        name = os.path.basename(path)
        if name in (CONFIG_NAME, "pyproject.toml"):
            return True
        if not name.endswith((".yaml", ".yml")):
            return False
        target = os.path.realpath(path)
        for snapshot in self.snapshots.values():
            config = snapshot.config
            if config is not None and target in {os.path.realpath(p) for p in (
                    *config.extra_venues, *config.extra_affiliations, *config.extra_terms)}:
                return True
        return False


def _path_of(uri: str) -> str:
    from pygls.uris import to_fs_path

    return to_fs_path(uri) or uri


__all__ = ["NotesServer"]
