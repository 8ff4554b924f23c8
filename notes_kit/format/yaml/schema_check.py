"""A yes/no check of data against the notes schema, in a few hundred microseconds a page.

notes-kit refuses to write YAML the schema refuses. jsonschema answered that at
~90 ms to import plus ~2 ms a page, more than the conversion itself, though the
data notes-kit builds nearly always passes. This module walks the same schema
file (the keywords it uses: type, properties, required, additionalProperties,
items, minItems, pattern, minLength, minimum, maximum, enum, const, oneOf, allOf,
if/then, $ref) with jsonschema's semantics for them (re.search for patterns, bool
is no number, 2.0 is an integer), and says only whether the data passes. When it
does not, or the schema holds a keyword it does not know, the caller asks
jsonschema, which also words the error: the answer and the message stay those of
jsonschema. tests/test_own_output.py checks both agree on valid and broken data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description",
                          "default", "examples", "format"})
_TYPES: dict[str, Any] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "number": lambda v: type(v) in (int, float),
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
}


class Unsupported(Exception):
    """The schema uses a keyword this check does not know: ask jsonschema."""


Check = Callable[[Any], bool]


def passes(data: Any) -> bool:
    """True when the data is valid against notes.schema.json; False when it may not be
    (jsonschema then decides and explains)."""
    try:
        return _compiled()(data)
    except (RecursionError, KeyError, TypeError, ValueError):
        return False


@lru_cache(maxsize=1)
def _compiled() -> Check:
    """The schema compiled once into nested closures (a walk of the schema per value
    cost five times as much); a schema this check cannot read always says no."""
    from notes_kit.format.yaml.schema import notes_schema

    try:
        return _Compiler(notes_schema()).compile(notes_schema())
    except (Unsupported, KeyError, TypeError, ValueError, re.error):
        return lambda data: False


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, list[Check]] = {}  # a cell per target: refs may recurse

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda data: True
        if schema is False:
            return lambda data: False
        if type(schema) is not dict:
            raise Unsupported("schema")
        unknown = set(schema) - _ANNOTATIONS - _KNOWN
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        checks = [check for check in (self._ref(schema), self._type(schema),
                                      self._object(schema), self._array(schema),
                                      self._string(schema), self._number(schema),
                                      self._values(schema), self._combined(schema))
                  if check is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda data: all(check(data) for check in checks)

    def _ref(self, schema: dict[str, Any]) -> Check | None:
        pointer = schema.get("$ref")
        if pointer is None:
            return None
        if type(pointer) is not str or not pointer.startswith("#/"):
            raise Unsupported("$ref")
        cell = self.refs.get(pointer)
        if cell is None:
            cell = self.refs[pointer] = []
            target: Any = self.root
            for part in pointer[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            cell.append(self.compile(target))
        return lambda data: cell[0](data)

    def _type(self, schema: dict[str, Any]) -> Check | None:
        if "type" not in schema:
            return None
        names = [schema["type"]] if type(schema["type"]) is str else list(schema["type"])
        tests = [_TYPES[name] for name in names]
        return tests[0] if len(tests) == 1 else lambda data: any(t(data) for t in tests)

    def _object(self, schema: dict[str, Any]) -> Check | None:
        if not {"properties", "additionalProperties", "required"} & set(schema):
            return None
        known = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        other = None if extra is True else self.compile(extra)
        required = tuple(schema.get("required", ()))

        def check(data: Any) -> bool:
            if type(data) is not dict:
                return True
            for key, value in data.items():
                test = known.get(key, other)
                if test is not None and not test(value):
                    return False
            return all(key in data for key in required)

        return check

    def _array(self, schema: dict[str, Any]) -> Check | None:
        if "items" not in schema and "minItems" not in schema:
            return None
        each = self.compile(schema["items"]) if "items" in schema else None
        least = schema.get("minItems", 0)
        return lambda data: type(data) is not list or (
            len(data) >= least and (each is None or all(each(item) for item in data)))

    def _string(self, schema: dict[str, Any]) -> Check | None:
        if "pattern" not in schema and "minLength" not in schema:
            return None
        search = re.compile(schema["pattern"]).search if "pattern" in schema else None
        least = schema.get("minLength", 0)
        return lambda data: type(data) is not str or (
            len(data) >= least and (search is None or search(data) is not None))

    def _number(self, schema: dict[str, Any]) -> Check | None:
        if "minimum" not in schema and "maximum" not in schema:
            return None
        low, high = schema.get("minimum"), schema.get("maximum")
        return lambda data: type(data) not in (int, float) or (  # as jsonschema compares:
            (low is None or not data < low) and (high is None or not data > high))  # (nan)

    def _values(self, schema: dict[str, Any]) -> Check | None:
        if "const" in schema:
            value = schema["const"]
            return lambda data: _equal(data, value)
        if "enum" in schema:
            values = list(schema["enum"])
            return lambda data: any(_equal(data, v) for v in values)
        return None

    def _combined(self, schema: dict[str, Any]) -> Check | None:
        checks: list[Check] = []
        if "oneOf" in schema:
            options = [self.compile(sub) for sub in schema["oneOf"]]
            checks.append(lambda data: sum(1 for o in options if o(data)) == 1)
        if "allOf" in schema:
            parts = [self.compile(sub) for sub in schema["allOf"]]
            checks.append(lambda data: all(p(data) for p in parts))
        if "if" in schema:
            test = self.compile(schema["if"])
            then = self.compile(schema["then"]) if "then" in schema else None
            other = self.compile(schema["else"]) if "else" in schema else None
            checks.append(lambda data: (then is None or then(data)) if test(data)
                          else (other is None or other(data)))
        if not checks:
            return None
        return checks[0] if len(checks) == 1 else lambda data: all(c(data) for c in checks)


_KNOWN = frozenset({"$ref", "type", "properties", "additionalProperties", "required", "items",
                    "minItems", "pattern", "minLength", "minimum", "maximum", "enum", "const",
                    "oneOf", "allOf", "if", "then", "else"})
