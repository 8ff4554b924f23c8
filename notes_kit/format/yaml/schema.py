"""The JSON Schema of the YAML form: loading, validating, locating errors."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from notes_kit.core.files import DATA_DIR

SCHEMA_FILE = DATA_DIR / "notes.schema.json"


@lru_cache(maxsize=1)
def notes_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


SCHEMA_URL = "https://raw.githubusercontent.com/notes-kit/notes-kit/main/schemas/notes.schema.json"


def schema_path_for(out_path: str | None) -> str:
    """Where editors find the schema from a YAML file at `out_path` (None: standard output,
    read from the current folder): the project's `schemas/` when a folder above holds one,
    relative to the file so a checkout can move; else the schema's published copy. Never a
    path into where notes-kit happens to be installed: a twin says the same on every
    machine."""
    here = Path(os.path.abspath(out_path)).parent if out_path and out_path != "-" \
        else Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "schemas" / "notes.schema.json"
        if candidate.exists():
            return os.path.relpath(candidate, here).replace(os.sep, "/")
    return SCHEMA_URL


def output_file(fd: int = 1) -> str | None:
    """The path of the regular file that descriptor `fd` writes to (`> page.yaml`), if the
    system says (Linux's /proc)."""
    import stat

    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def validate(data: Any) -> list[tuple[list[Any], str]]:
    """(path, message) for every violation, most specific first, sorted by path."""
    from jsonschema.exceptions import best_match

    found: list[tuple[list[Any], str]] = []
    for error in _validator().iter_errors(data):
        error = best_match([error]) if error.context else error
        where = list(error.absolute_path)
        found.append((where, _message(where, error.message)))
    if not found:
        found.extend(_version_problems(data))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


def _version_problems(data: Any) -> list[tuple[list[Any], str]]:
    """schema_version is the lowest version that says the document: 2 exactly when a paper
    has authors. A JSON Schema cannot look that far, so it is checked here; it keeps
    `to-yaml(to-md(Y)) == Y`, since Markdown does not carry the version."""
    from notes_kit.format.yaml.data import data_uses_authors

    version = data.get("schema_version") if isinstance(data, dict) else None
    if version not in (1, 2):
        return []
    wanted = 2 if data_uses_authors(data) else 1
    if version == wanted:
        return []
    why = ("a paper has authors, a version 2 field" if wanted == 2 else
           "no paper has authors, the only version 2 field")
    return [(["schema_version"], _message(["schema_version"], f"{why}: write "
                                          f"schema_version: {wanted}"))]


@lru_cache(maxsize=1)
def _validator() -> Any:
    """Built once per process: its $ref lookups are then cached across documents."""
    from jsonschema import Draft202012Validator, validators

    # JSON Schema calls 2024.0 an integer; here it is not: `to-md` would write `# SOSP 2024.0`.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool))
    strict = validators.extend(Draft202012Validator, type_checker=checker)
    return strict(notes_schema())


def _message(where: list[Any], message: str) -> str:
    dotted = ".".join(str(p) for p in where) or "(document)"
    if len(message) > 200:
        message = message[:197] + "..."
    return f"{dotted}: {message}"
