"""notes-kit: lint, convert and fix conference paper notes.

The library API::

    from notes_kit import lint, fix, to_yaml, yaml_to_markdown
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["lint", "fix", "to_yaml", "yaml_to_markdown", "parse_markdown", "to_markdown",
           "from_yaml", "__version__"]


def __getattr__(name: str) -> Any:
    """Lazy re-exports: importing the package stays cheap for the CLI."""
    from importlib import import_module

    if name in ("lint", "fix"):
        return getattr(import_module("notes_kit.lint.engine"), name)
    if name in ("to_yaml", "yaml_to_markdown", "parse_markdown", "to_markdown", "from_yaml"):
        return getattr(import_module("notes_kit.pages"), name)
    raise AttributeError(name)
