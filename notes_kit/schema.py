"""The JSON Schema of the YAML form: loading, validating, locating errors."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).parent / "data" / "notes.schema.json"


@lru_cache(maxsize=1)
def notes_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def schema_path_for(out_path: str | None) -> str:
    """Where editors find the schema from a YAML file: the project's `schemas/` when the
    file lives in a checkout that has one, else the schema's `$id`."""
    if out_path and out_path != "-":
        here = Path(os.path.abspath(out_path)).parent
        for folder in (here, *here.parents):
            candidate = folder / "schemas" / "notes.schema.json"
            if candidate.exists():
                return os.path.relpath(candidate, here).replace(os.sep, "/")
    return str(notes_schema()["$id"])


def validate(data: Any) -> list[tuple[list[Any], str]]:
    """(path, message) for every violation, most specific first, sorted by path."""
    from jsonschema.exceptions import best_match

    found: list[tuple[list[Any], str]] = []
    for error in _validator().iter_errors(data):
        error = best_match([error]) if error.context else error
        where = list(error.absolute_path)
        found.append((where, _message(where, error.message)))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


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
