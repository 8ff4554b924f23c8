"""YAML in and out through ruamel.yaml: fixed key order, block style, no folding.

Loading (load, line_of, plain) lives in yaml_load, the one safe loader of the package:
explicit tags, alias bombs and values a page cannot hold are refused there, with a line.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Any

from notes_kit.format.yaml.load import MAX_FLOW_DEPTH, line_of, load, plain

__all__ = ["MAX_FLOW_DEPTH", "dump", "line_of", "load", "plain", "schema_ref"]

SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"


def schema_ref(out_path: str | None) -> str:
    """The relative path from the YAML file to the project's schema, for editors."""
    from notes_kit.format.yaml.schema import schema_path_for

    return schema_path_for(out_path)


def dump(data: dict[str, Any], out_path: str | None = None) -> str:
    """Plain data (dicts, lists, str, int, float) -> YAML text, one literal block per
    multi-line string that a block keeps exactly."""
    from notes_kit.format.yaml.emitter import NotPlain

    head = SCHEMA_COMMENT.format(schema_ref(out_path))
    for plain_tree in (False, True):
        stream = io.StringIO()
        stream.write(head)
        try:
            _dumper(plain_tree).dump(data, stream)
        except NotPlain:  # not what plain data gives: ruamel's own serializer writes it
            _forget(plain_tree)
            continue
        except BaseException:
            _forget(plain_tree)  # ruamel keeps a failed dump's state: the next would write nothing
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

        from notes_kit.format.yaml import emitter as yaml_emitter

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
