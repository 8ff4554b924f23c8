"""YAML in and out through ruamel.yaml: fixed key order, block style, no folding.

Loading is safe: the document is composed first and refused if it carries an
explicit tag (`!!python/object` and friends) or expands past a node budget
(alias bombs), before anything is constructed. Every error names a line.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache
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
    """Plain data (dicts, lists, str, int, float) -> YAML text, one literal block per
    multi-line string that a block keeps exactly."""
    from notes_kit.yaml_emitter import NotPlain

    head = SCHEMA_COMMENT.format(schema_ref(out_path))
    for plain in (False, True):
        stream = io.StringIO()
        stream.write(head)
        try:
            _dumper(plain).dump(data, stream)
        except NotPlain:  # not what plain data gives: ruamel's own serializer writes it
            _forget(plain)
            continue
        except BaseException:
            _forget(plain)  # ruamel keeps a failed dump's state: the next would write nothing
            raise
        break
    return stream.getvalue()


_DUMPERS = threading.local()


def _forget(plain: bool) -> None:
    setattr(_DUMPERS, "plain" if plain else "yaml", None)


def _dumper(plain: bool = False) -> Any:
    """One configured dumper per thread, reused (5% of a dump to build one per call).

    The safe dumper, not the round-trip one: our data is plain, so the round-trip
    representer's comment and anchor bookkeeping is wasted; with flow style off and
    insertion order kept, both write the same text. Its emitter and serializer are
    yaml_emitter's (the same text, less overhead); `plain`: ruamel's own.
    """
    yaml: Any = getattr(_DUMPERS, "plain" if plain else "yaml", None)
    if yaml is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.emitter import RoundTripEmitter
        from ruamel.yaml.serializer import Serializer

        from notes_kit import yaml_emitter

        yaml = YAML(typ="safe", pure=True)
        yaml.width = 1 << 30  # never fold a line
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.default_flow_style = False
        yaml.sort_base_mapping_type_on_output = False
        yaml.Representer = _representer()
        yaml.Resolver = _resolver()
        # round-trip: its prepare_tag skips a per-character loop
        yaml.Emitter = RoundTripEmitter if plain else yaml_emitter.Emitter
        yaml.Serializer = Serializer if plain else yaml_emitter.Serializer
        setattr(_DUMPERS, "plain" if plain else "yaml", yaml)
    return yaml


@lru_cache(maxsize=1)
def _resolver() -> Any:
    """ruamel's resolver, its table for the YAML version looked up once per dumper instead
    of twice per scalar (5% of a dump)."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    class Resolver(VersionedResolver):
        _table: Any = None
        _memo: dict[Any, Any] | None = None  # (scalar, implicit) -> tag: a pure function

        @property
        def versioned_resolver(self) -> Any:
            if self._table is None:
                self._table = super().versioned_resolver
            return self._table

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not ScalarNode or self.yaml_path_resolvers or type(value) is not str:
                return super().resolve(kind, value, implicit)
            if self._memo is None or len(self._memo) > 50_000:
                self._memo = {}
            key = (value, implicit)
            tag = self._memo.get(key)
            if tag is None:
                tag = self._memo[key] = super().resolve(kind, value, implicit)
            return tag

    return Resolver


@lru_cache(maxsize=1)
def _representer() -> Any:
    """ruamel's safe representer, with multi-line string values as literal blocks (when
    `_literal_safe`), no anchors (the data is a tree), None written empty (as the round-trip
    dumper did), and one shared Tag per tag name: ruamel builds a Tag per node and decodes
    its name character by character (an eighth of a dump)."""
    from ruamel.yaml.representer import SafeRepresenter
    from ruamel.yaml.tag import Tag

    tags: dict[str, Any] = {}

    def shared(tag: Any) -> Any:
        if isinstance(tag, str):
            return tags.get(tag) or tags.setdefault(tag, Tag(suffix=tag))
        return tag

    class Representer(SafeRepresenter):
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def represent_scalar(self, tag: Any, value: Any, style: Any = None,
                             anchor: Any = None) -> Any:
            return super().represent_scalar(shared(tag), value, style, anchor)

        def represent_sequence(self, tag: Any, sequence: Any, flow_style: Any = None) -> Any:
            return super().represent_sequence(shared(tag), sequence, flow_style)

        def represent_mapping(self, tag: Any, mapping: Any, flow_style: Any = None) -> Any:
            return super().represent_mapping(shared(tag), mapping, flow_style)

        def represent_key(self, data: Any) -> Any:  # keys are never literal blocks
            if type(data) is str:
                return self.represent_scalar("tag:yaml.org,2002:str", data)
            return super().represent_key(data)

        def represent_str(self, data: str) -> Any:
            style = "|" if "\n" in data and _literal_safe(data) else None
            return self.represent_scalar("tag:yaml.org,2002:str", data, style)

        def represent_none(self, data: None) -> Any:
            return self.represent_scalar("tag:yaml.org,2002:null", "")

    Representer.add_representer(str, Representer.represent_str)
    Representer.add_representer(type(None), Representer.represent_none)
    return Representer


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
