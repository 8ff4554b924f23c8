"""`notes-kit server`: a Language Server Protocol server over stdio (pygls, lsprotocol).

positions.py converts between our 1-based code-point columns and LSP's 0-based UTF-16 (or
negotiated) positions; analysis.py lints one buffer as the file it stands for; convert.py
makes diagnostics and text edits; actions.py the code actions (allow_words.py edits the
config with tomlkit); complete.py and hover.py answer completion and hover; app.py holds
the session's state and features.py its LSP methods. Only the `server` subcommand imports
this package: an ordinary lint never loads pygls or lsprotocol.
"""
