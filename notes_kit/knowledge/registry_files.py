"""Registry files among the linted files: `conferences/venues.yaml` is not a notes page.

A YAML file is a registry when the config names it (`extra-venues`,
`extra-affiliations`, `extra-terms`) or when it has a registry's top-level list
(`venues:`, `affiliations:`, `terms:`) and no `schema_version:`. It is then
checked as the linter loads it (registry.schema.json and the merge rules: a venue
or alias listed twice, ...), an error naming its line, instead of being linted as
a notes page (which would give NK601 on every line).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol


class Config(Protocol):
    """What is read of the linter's config (notes_kit.lint.config.Config), which lives in a
    layer above this one."""

    @property
    def root(self) -> str | None: ...
    @property
    def extra_venues(self) -> tuple[str, ...]: ...
    @property
    def extra_affiliations(self) -> tuple[str, ...]: ...
    @property
    def extra_terms(self) -> tuple[str, ...]: ...

KINDS = ("venues", "affiliations", "terms")
_TOP_KEY = re.compile(rb"^(venues|affiliations|terms|schema_version)[ \t]*:", re.MULTILINE)


def named_paths(config: Config) -> set[str]:
    """The real paths of the registry files the config names."""
    root = Path(config.root) if config.root else Path.cwd()
    names = (*config.extra_venues, *config.extra_affiliations, *config.extra_terms)
    return {os.path.realpath(root / name) for name in names}


def looks_like_registry(data: bytes) -> bool:
    keys = {m.group(1) for m in _TOP_KEY.finditer(data)}
    return bool(keys) and b"schema_version" not in keys


def is_registry(path: str, text: str, config: Config) -> bool:
    if not path.endswith((".yaml", ".yml")):
        return False
    if os.path.realpath(path) in named_paths(config):
        return True
    return looks_like_registry(text.encode("utf-8", "surrogatepass"))


def check_registry(path: str, text: str) -> None:
    """InputError, with the line, for what the linter would refuse when loading this file
    as an extra registry; nothing for a good one."""
    from notes_kit.knowledge.registries import check_user_file

    raw = text.encode("utf-8")
    kinds = [kind for kind in KINDS if re.search(rf"^{kind}[ \t]*:".encode(), raw, re.M)]
    check_user_file(path, raw, kinds or ["venues"])  # no list: the schema says what is wrong
