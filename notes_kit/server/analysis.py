"""What the server knows of one open document: the findings of its buffer's text, linted as
the file its URI names (that path's config, per-file ignores and page type), or why it
could not be linted. Never raises: bad input is one `problem`, not a dead server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notes_kit.core.findings import Finding, InputError

if TYPE_CHECKING:
    from notes_kit.lint.config import Config, Configs

MARKDOWN = (".md", ".markdown")
YAML = (".yaml", ".yml")


@dataclass
class Snapshot:
    """One lint of one version of a document."""

    text: str  # the buffer as linted (line ends as LF)
    version: int | None = None
    findings: list[Finding] = field(default_factory=list)
    config: Config | None = None
    problem: str | None = None  # why the document could not be linted
    problem_line: int = 0  # 1-based; 0: the document as a whole
    crlf: bool = False  # the buffer's own line ends are CRLF


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_notes_yaml(text: str) -> bool:
    """A YAML buffer is ours when it is a notes document (not CI config), as when walking."""
    head = text[:4096]
    return "schema_version:" in head or "notes.schema.json" in head


def lintable(path: str, text: str) -> bool:
    if path.endswith(MARKDOWN):
        return True
    return path.endswith(YAML) and is_notes_yaml(text)


def analyse(text: str, path: str, configs: Configs, version: int | None = None) -> Snapshot:
    """Lint the buffer `text` as `path`; a Snapshot with no findings for a file that is not
    ours (excluded, empty, not notes YAML)."""
    snapshot = Snapshot(normalise(text), version, crlf="\r\n" in text)
    if not lintable(path, text) or not text.strip():
        return snapshot
    try:
        snapshot.config = configs(path)
        if _excluded(path, configs):
            return snapshot
        from notes_kit.run.worker import buffer_findings

        snapshot.findings = buffer_findings(text.encode("utf-8", errors="surrogatepass"),
                                            path, snapshot.config)
    except InputError as exc:
        own = os.path.abspath(exc.path) == os.path.abspath(path)
        snapshot.problem = f"notes-kit could not lint this file: {exc}" if own else \
            f"notes-kit could not lint this file: its config or data: {exc}"
        snapshot.problem_line = exc.line if own else 0
    except RecursionError:
        snapshot.problem = "notes-kit could not lint this file: input nested too deeply"
    except Exception as exc:  # a notes-kit bug must not end the session
        snapshot.problem = f"notes-kit failed on this file ({type(exc).__name__}: {exc}); " \
            "please report this bug"
    return snapshot


def _excluded(path: str, configs: Configs) -> bool:
    """The config's `exclude` (and .gitignore) hold in the editor too."""
    from notes_kit.lint.ignore import Excluder

    return Excluder(configs).excluded(path)
