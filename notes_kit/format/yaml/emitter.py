"""ruamel.yaml's emitter and serializer, with their per-character and per-node overhead cut.

ruamel.yaml writes every YAML file notes-kit makes. Most of a to-yaml run went
to three places in its pure-Python pipeline, each replaced here by code that
gives the same answer, with ruamel's own code kept for every case not covered:

- Emitter.analyze_scalar (which styles a scalar may take) and write_plain (which,
  for lines that never fold, writes the text unchanged) walked each scalar one
  character at a time: now str methods and regexes; YAML 1.1 output, an encoded
  stream, a root scalar, a line break or a line that could fold go to ruamel;
- Emitter.emit asked the environment for YAMLDEBUG on every event: asked once
  (with YAMLDEBUG set, ruamel's emit runs as it was);
- Serializer.serialize_node kept alias and comment bookkeeping that a tree of
  plain data (no anchors, no comments: what SafeRepresenter builds for notes-kit)
  never uses; anything else raises NotPlain and yaml_io dumps with ruamel's own.

tests/test_yaml_emitter.py checks analyze_scalar against ruamel's on corpus and
generated scalars (every character class the analysis distinguishes), and whole
documents byte for byte against ruamel's unchanged pipeline.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ruamel.yaml.compat import DBG_EVENT, dbg
from ruamel.yaml.emitter import RoundTripEmitter, ScalarAnalysis
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.serializer import Serializer as RuamelSerializer

_SPACE = "\0 \t\r\n\x85\u2028\u2029"  # what ruamel counts as whitespace around indicators
_BREAKS = "\n\x85\u2028\u2029"
_BREAK = re.compile("[\n\x85\u2028\u2029]")
_BREAK_SPACE = re.compile("[\n\x85\u2028\u2029] ")
_SPACE_BREAK = re.compile(" [\n\x85\u2028\u2029]")
_INNER_FLOW = re.compile(r"[,\[\]{}]")
_COLON = re.compile(":(?:[\0 \t\r\n\x85\u2028\u2029]|\\Z)")
_HASH = re.compile("[\0 \t\r\n\x85\u2028\u2029]#")
_LEADING = "#,[]{}&*!|>'\"%@`"


@lru_cache(maxsize=4)
def _special(allow_unicode: bool, supplementary: bool) -> re.Pattern[str]:
    """A character ruamel calls special: only a double-quoted scalar can hold it."""
    allowed = "\n\x20-\x7e"
    if allow_unicode:
        allowed += "\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
        if supplementary:
            allowed += "\U00010000-\U0010ffff"
    return re.compile(f"[^{allowed}]")


_DEBUG = bool(dbg(DBG_EVENT))  # YAMLDEBUG, read once


class NotPlain(Exception):
    """A node that plain data would not give: the document is dumped by ruamel's own code."""


class Emitter(RoundTripEmitter):
    def emit(self, event: Any) -> None:
        if _DEBUG:
            super().emit(event)
            return
        self.events.append(event)
        while not self.need_more_events():
            self.event = self.events.pop(0)
            self.state()
            self.event = None

    def analyze_scalar(self, scalar: Any) -> Any:
        if not scalar or type(scalar) is not str or self.serializer.use_version == (1, 1):
            return super().analyze_scalar(scalar)
        block, flow = _indicators(scalar)
        breaks = _BREAK.search(scalar) is not None
        special = _special(bool(self.allow_unicode),
                           bool(self.unicode_supplementary)).search(scalar) is not None
        first, last = scalar[0], scalar[-1]
        edge = first == " " or last == " " or first in _BREAKS or last in _BREAKS
        break_space = breaks and _BREAK_SPACE.search(scalar) is not None
        space_break = breaks and _SPACE_BREAK.search(scalar) is not None
        flow_plain = block_plain = not edge
        single = double = True
        literal = last != " "
        if break_space:
            flow_plain = block_plain = single = False
        if special:
            flow_plain = block_plain = single = literal = False
        elif space_break:
            flow_plain = block_plain = single = False
            literal = literal and bool(self.allow_space_break)
        if breaks:
            flow_plain = block_plain = False
        return ScalarAnalysis(scalar=scalar, empty=False, multiline=breaks,
                              allow_flow_plain=flow_plain and not flow,
                              allow_block_plain=block_plain and not block,
                              allow_single_quoted=single, allow_double_quoted=double,
                              allow_block=literal)

    def write_plain(self, text: Any, split: Any = True) -> None:
        if (self.root_context or self.encoding or not text or type(text) is not str
                or self.column + len(text) + 1 >= self.best_width
                or _BREAK.search(text) is not None):
            super().write_plain(text, split)
            return
        if not self.whitespace:  # no break and no fold: the text goes out as it is
            self.column += 1
            self.stream.write(" ")
        self.whitespace = False
        self.indention = False
        self.column += len(text)
        self.stream.write(text)


def _indicators(scalar: str) -> tuple[bool, bool]:
    """(block indicators, flow indicators) as ruamel's character loop finds them."""
    block = flow = scalar.startswith(("---", "..."))
    first = scalar[0]
    spaced = len(scalar) == 1 or scalar[1] in _SPACE  # the first character is followed by one
    if first in _LEADING or (first == "-" and spaced):
        block = flow = True
    elif first in "?:":
        flow = flow or len(scalar) == 1
        block = block or spaced
    if _INNER_FLOW.search(scalar, 1) is not None:
        flow = True
    if _COLON.search(scalar, 1) is not None or _HASH.search(scalar) is not None:
        block = flow = True
    return block, flow


class Serializer(RuamelSerializer):
    """Events for a tree of plain nodes: no anchors to find, no aliases, no comments."""

    def anchor_node(self, node: Any) -> None:
        if self.resolver.yaml_path_resolvers:
            raise NotPlain("path resolvers")

    def serialize_node(self, node: Any, parent: Any, index: Any) -> None:
        if node.comment is not None or node.anchor is not None:
            raise NotPlain("a comment or an anchor")
        kind, emit, resolve = type(node), self.emitter.emit, self.resolver.resolve
        tag = node.ctag
        if kind is ScalarNode:
            value = node.value
            implicit = (tag == resolve(ScalarNode, value, (True, False)),
                        tag == resolve(ScalarNode, value, (False, True)),
                        node.tag.startswith("tag:yaml.org,2002:"))
            emit(ScalarEvent(None, tag, implicit, value, style=node.style, comment=None))
        elif kind is SequenceNode:
            implicit = tag == resolve(SequenceNode, node.value, True)
            emit(SequenceStartEvent(None, tag, implicit, flow_style=node.flow_style,
                                    comment=None))
            for position, item in enumerate(node.value):
                self.serialize_node(item, node, position)
            emit(SequenceEndEvent(comment=[None, None]))
        elif kind is MappingNode:
            implicit = tag == resolve(MappingNode, node.value, True)
            emit(MappingStartEvent(None, tag, implicit, flow_style=node.flow_style,
                                   comment=None, nr_items=len(node.value)))
            for key, value in node.value:
                self.serialize_node(key, node, None)
                self.serialize_node(value, node, key)
            emit(MappingEndEvent(comment=[None, None]))
        else:
            raise NotPlain(kind.__name__)
