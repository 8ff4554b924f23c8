"""The language server, built: the server object (app.py) with every feature registered
(features.py holds the handlers). `notes-kit server` calls serve()."""

from __future__ import annotations

import logging

from notes_kit.server.app import DEBOUNCE, NotesServer
from notes_kit.server.features import register


def build(debounce: float = DEBOUNCE) -> NotesServer:
    """The server with every feature registered (features.py holds the handlers)."""
    server = NotesServer(debounce)
    register(server)
    return server


def serve(debounce: float = DEBOUNCE) -> None:
    logging.basicConfig(level=logging.WARNING, format="notes-kit server: %(message)s")
    build(debounce).start_io()


__all__ = ["build", "serve"]
