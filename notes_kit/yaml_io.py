"""YAML in and out through ruamel.yaml: fixed key order, block style, no folding.

Loading is safe: the document is composed first and refused if it carries an
explicit tag (`!!python/object` and friends) or expands past a node budget
(alias bombs), before anything is constructed. Every error names a line.
"""

from __future__ import annotations

import io
from typing import Any

from notes_kit.findings import InputError

SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"
NODE_BUDGET = 200_000
MAX_FLOW_DEPTH = 100
_CORE_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map",
                                                 "seq", "timestamp")}


def _yaml(kind: str = "rt") -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ=kind, pure=True)
    yaml.width = 1 << 30  # never fold a line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_duplicate_keys = False
    if yaml.Scanner is not None:
        yaml.Scanner = _shallow(yaml.Scanner)
    return yaml


def _shallow(base: Any) -> Any:
    """ruamel's scanner costs O(depth) per token in nested flow collections (`[[[[...`):
    stop at MAX_FLOW_DEPTH, long before that turns into minutes."""
    from ruamel.yaml.scanner import ScannerError

    class Shallow(base):  # type: ignore[misc]
        def fetch_flow_collection_start(self, *args: Any, **kwargs: Any) -> None:
            if self.flow_level >= MAX_FLOW_DEPTH:
                raise ScannerError(None, None, f"flow collections nested deeper than "
                                   f"{MAX_FLOW_DEPTH} levels", self.reader.get_mark())
            super().fetch_flow_collection_start(*args, **kwargs)

    return Shallow


def schema_ref(out_path: str | None) -> str:
    """The relative path from the YAML file to the project's schema, for editors."""
    from notes_kit.schema import schema_path_for

    return schema_path_for(out_path)


def dump(data: dict[str, Any], out_path: str | None = None) -> str:
    from ruamel.yaml.scalarstring import LiteralScalarString

    def literal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: literal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [literal(v) for v in value]
        if isinstance(value, str) and "\n" in value and _literal_safe(value):
            return LiteralScalarString(value)
        return value

    stream = io.StringIO()
    stream.write(SCHEMA_COMMENT.format(schema_ref(out_path)))
    _yaml().dump(literal(data), stream)
    return stream.getvalue()


def _literal_safe(text: str) -> bool:
    """A literal block keeps text exactly unless lines end in spaces or it has odd breaks."""
    return not any(line != line.rstrip() for line in text.split("\n")) and "\r" not in text \
        and not text.endswith("\n") and not text.startswith((" ", "\n"))


def load(text: str, path: str) -> Any:
    """Parse YAML text safely; returns ruamel's commented data (with line info)."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()
    try:
        node = yaml.compose(text)
        if node is None:
            raise InputError(path, "empty YAML document", 1)
        _check_nodes(node, path)
        return yaml.constructor.construct_document(node)  # the checked node, not a re-parse
    except InputError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise InputError(path, f"invalid YAML: {what}", line) from None
    except (YAMLError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"invalid YAML: {first}") from None
    except RecursionError:
        raise InputError(path, "YAML nested too deeply") from None


def _check_nodes(root: Any, path: str) -> None:
    """Refuse explicit non-core tags and documents that expand past NODE_BUDGET nodes."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    sizes: dict[int, int] = {}

    def size(node: Any, depth: int) -> int:
        if depth > 200:
            raise InputError(path, "YAML nested too deeply", node.start_mark.line + 1)
        if id(node) in sizes:  # an alias: count its expansion again
            return sizes[id(node)]
        tag = str(node.tag)
        if tag not in _CORE_TAGS and (tag.startswith("!") or "python" in tag or "tag:" in tag):
            raise InputError(path, f"YAML tag {tag!r} is not allowed", node.start_mark.line + 1)
        total = 1
        if isinstance(node, MappingNode):
            for key, value in node.value:
                total += size(key, depth + 1) + size(value, depth + 1)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
        if total > NODE_BUDGET:
            raise InputError(path, f"YAML expands to more than {NODE_BUDGET} nodes "
                             "(alias bomb?)", node.start_mark.line + 1)
        sizes[id(node)] = total
        return total

    size(root, 0)


def line_of(data: Any, where: list[Any]) -> int:
    """1-based line of the value at `where` (a JSON-schema error path) in loaded data."""
    node, line = data, 1
    for key in where:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                pos = lc.key(key) if isinstance(key, str) else lc.item(key)
                line = pos[0] + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def plain(data: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, bool) or data is None or isinstance(data, (int, float, str)):
        if isinstance(data, str):
            return str(data)
        if isinstance(data, bool):
            return bool(data)
        if isinstance(data, int):
            return int(data)
        if isinstance(data, float):
            return float(data)
        return data
    return str(data)
