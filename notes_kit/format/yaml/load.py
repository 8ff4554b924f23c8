"""The one safe YAML loader: notes pages, registries and the NK601 rule all read YAML here.

Loading is safe: while ruamel composes the document, a node with an explicit tag
(`!!python/object`, `!!float`, `!custom`) is refused, and so is a scalar whose value
would not survive the trip to Markdown and back (a NUL, a carriage return or a lone
surrogate in a string, a NaN or infinite float, an integer of hundreds of digits).
Before anything is constructed, the size the document would have with every alias
expanded is compared with the number of nodes it really holds: aliases may repeat
nodes (ALIAS_FACTOR times the document, plus ALIAS_ALLOWANCE), an alias bomb
(nine levels of nine aliases, a billion nodes from a hundred) is refused. So the
limit scales with the input: a 20,000-paper page without aliases is read whatever
its node count. Every error names a line.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from notes_kit.core.findings import InputError

MAX_FLOW_DEPTH = 100
MAX_DEPTH = 300  # nested collections; the deepest page notes-kit reads needs ~130
MAX_INT_DIGITS = 100  # years and counts need four; Python refuses 4300 with a traceback hint
ALIAS_FACTOR = 10  # expanded nodes per node written, at most ...
ALIAS_ALLOWANCE = 10_000  # ... plus this many
_CAP = 1 << 62  # expanded sizes stop growing here: a doubling chain stays a small integer
_BAD_TEXT = re.compile("[\0\r\ud800-\udfff]")
_NUMBER = re.compile(r"[-+]?[0-9_.eE+-]*")


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def load(text: str, path: str, *, empty: str = "empty YAML document") -> Any:
    """Parse YAML text safely; returns ruamel's commented data (with line info).

    `empty` is the message for a document with no content."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_DEPTH + 1000))  # ruamel composes recursively
    try:
        node = yaml.compose(text)
        if node is None:
            raise InputError(path, empty, 1)
        _check_expansion(yaml.composer, node)
        return yaml.constructor.construct_document(node)  # the checked node, not a re-parse
    except InputError:
        raise
    except _Refused as exc:
        raise InputError(path, exc.message, exc.line) from None
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
    finally:
        sys.setrecursionlimit(limit)


def _check_expansion(composer: Any, root: Any) -> None:
    written = composer.nk_nodes
    expanded = composer.nk_sizes[id(root)]
    allowed = ALIAS_FACTOR * written + ALIAS_ALLOWANCE
    if expanded > allowed:
        raise _Refused(f"YAML aliases expand {written} nodes to more than {allowed} "
                       "(alias bomb?)", composer.nk_first_alias)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    if yaml.Scanner is not None:
        yaml.Scanner = _shallow(yaml.Scanner)
    yaml.Composer = _strict(yaml.Composer)
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


def _strict(base: Any) -> Any:
    """ruamel's composer, checking each node as it is made (see the module docstring) and
    keeping, per node, how many nodes it stands for with its aliases expanded."""
    from ruamel.yaml.events import AliasEvent
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class Strict(base):  # type: ignore[misc]
        nk_nodes = 0
        nk_depth = 0
        nk_first_alias = 0
        nk_sizes: dict[int, int]

        def compose_node(self, parent: Any, index: Any) -> Any:
            if not hasattr(self, "nk_sizes"):
                self.nk_sizes = {}
            event = self.parser.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent):
                node = super().compose_node(parent, index)
                if id(node) not in self.nk_sizes:
                    raise _Refused("recursive YAML alias (it refers to a node that holds "
                                   "it)", line)
                self.nk_first_alias = self.nk_first_alias or line
                return node
            tag = getattr(event, "ctag", None)
            if tag is not None:
                raise _Refused(f"YAML tag {_short(str(tag))!r} is not allowed: plain "
                               "values only", line)
            if self.nk_depth >= MAX_DEPTH:
                raise _Refused(f"YAML nested deeper than {MAX_DEPTH} levels", line)
            self.nk_depth += 1
            try:
                node = super().compose_node(parent, index)
            finally:
                self.nk_depth -= 1
            self.nk_nodes += 1
            if isinstance(node, ScalarNode):
                _check_scalar(str(node.tag), node.value, line)
                size = 1
            elif isinstance(node, MappingNode):
                size = 1 + sum(self.nk_sizes[id(k)] + self.nk_sizes[id(v)] for k, v in node.value)
            elif isinstance(node, SequenceNode):
                size = 1 + sum(self.nk_sizes[id(item)] for item in node.value)
            else:
                size = 1
            self.nk_sizes[id(node)] = min(size, _CAP)
            return node

    return Strict


def _short(tag: str) -> str:
    core = "tag:yaml.org,2002:"
    return "!!" + tag[len(core) :] if tag.startswith(core) else tag


def _check_scalar(tag: str, value: str, line: int) -> None:
    """Refuse a value that a page could not hold or that notes-kit would write wrongly."""
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        bad = _BAD_TEXT.search(value)
        if bad is not None:
            char = bad.group()
            what = {"\0": "a NUL character", "\r": "a carriage return (notes use LF line "
                    "ends)"}.get(char, f"a lone surrogate (U+{ord(char):04X}, not UTF-8)")
            raise _Refused(f"YAML string holds {what}", line)
    elif kind == "int":
        digits = sum(c.isalnum() for c in value)
        if digits > MAX_INT_DIGITS:
            raise _Refused(f"YAML integer of {digits} digits: more than {MAX_INT_DIGITS}", line)
    elif kind == "float":
        plain = value.replace("_", "").lower()
        if "nan" in plain or "inf" in plain:
            raise _Refused(f"YAML value {value} is not a finite number", line)
        if len(plain) > MAX_INT_DIGITS:
            raise _Refused(f"YAML number of {len(plain)} characters: more than "
                           f"{MAX_INT_DIGITS}", line)
        if _NUMBER.fullmatch(plain):
            try:
                number = float(plain)
            except ValueError:
                return  # a form ruamel reads and Python does not: the constructor decides
            if number in (float("inf"), float("-inf")):
                raise _Refused(f"YAML value {value} is out of range (not a finite number)",
                               line)


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
