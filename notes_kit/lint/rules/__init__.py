"""Rule modules register themselves in rules.registry on import; load_all imports them."""

from __future__ import annotations

from importlib import import_module

MODULES = ("structure", "meta", "papers", "affiliations", "text", "controls", "yaml_rules",
           "collection", "links")
_loaded = False


def load_all() -> None:
    global _loaded
    if _loaded:
        return
    for name in MODULES:
        import_module(f"notes_kit.lint.rules.{name}")
    _loaded = True
