"""Import mistletoe without its scan of every code point, where that is known to be safe.

`mistletoe.core_tokens` builds its `punctuation` set at import time by asking
`unicodedata.category()` about all 1,114,112 code points: ~0.3 s, most of a
one-page lint. The set depends on two things only: that comprehension (ASCII
punctuation plus every character of a `P*` category) and the Unicode database.
So, for a `core_tokens.py` whose fingerprint is in KNOWN (sources read and checked by
hand: the scan is the module's only call of `range`) and a Unicode version whose
set we have (`data/punctuation.txt`, made by `tools/gen_punctuation.py`, or one
that mistletoe computed on an earlier run, kept sealed in the cache folder),
the module runs from its own bytecode, with a `range` in its globals that
answers the scan's one call `range(sys.maxunicode + 1)` with an empty range.
The comprehension then finds nothing, the precomputed characters are added to
the very set the module built, and the shadow `range` is removed: afterwards the
module is what a plain import gives (same names, same loader and spec, an
identical set). Anything else (another mistletoe, an edited file, a Unicode
version with no set yet, mistletoe already imported) is a plain import.

All callers import mistletoe through `load()`; blocks.py is the only parser.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

from notes_kit.core.files import DATA_DIR

MODULE = "mistletoe.core_tokens"
# fingerprint() of core_tokens.py -> (the mistletoe releases that ship it, its sha256). The
# fingerprint (length, CRC-32, Adler-32) needs only zlib, which every Python start has
# loaded: hashlib's OpenSSL would cost ~4 ms of a 0.1 s lint. tests/test_mistletoe_loader.py
# checks the installed file's sha256 against the one recorded with its fingerprint.
KNOWN = {
    "17826:8725a675:0b9880a6": (
        "1.3.0 - 1.5.1", "cc8a5b5824f717c7e9cbbfc9401e56098a27e02031f96e6dd581c1f276408786"),
    "17901:7b4a2459:d03d992b": (
        "1.6.0", "9cb78841381560fef4266a890493610526d193d4c6cb3d3be169e0227f2fc313"),
}
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_STATE: dict[str, str] = {}  # "how": precomputed / cached / plain, for tests and benchmarks


def how_loaded() -> str:
    """How this process got core_tokens: "precomputed" (shipped set), "cached" (the
    cache folder's set), "plain" (mistletoe's own scan) or "" (not imported by load())."""
    return _STATE.get("how", "")


def load() -> None:
    """Make sure mistletoe's block parser and Markdown renderer are imported."""
    if MODULE not in sys.modules:
        finder = _Finder()
        sys.meta_path.insert(0, finder)
        try:
            import mistletoe.core_tokens  # noqa: F401  (the finder answers for it)
        finally:
            sys.meta_path.remove(finder)
        _STATE["how"] = finder.how or "plain"
        if finder.keep is not None:
            _keep(finder.keep, sys.modules[MODULE])
    import mistletoe.block_token  # noqa: F401
    import mistletoe.markdown_renderer  # noqa: F401
    import mistletoe.span_token  # noqa: F401


class _Finder:
    """A meta path finder for core_tokens alone, present only while load() imports it."""

    def __init__(self) -> None:
        self.how = ""
        self.keep: str | None = None  # a Unicode version whose set mistletoe computes now

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name != MODULE:
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not spec.origin:
            return None
        try:
            with open(spec.origin, "rb") as handle:
                source = handle.read()
        except OSError:
            return None
        import unicodedata

        if fingerprint(source) not in KNOWN:
            return None  # another version of mistletoe: import it as it is
        version = unicodedata.unidata_version
        found = _shipped(version)
        self.how = "precomputed"
        if found is None:
            found, self.how = _cached(version), "cached"
        if found is None:
            self.how, self.keep = "", version
            return None
        spec.loader = _Loader(spec.loader, found)  # type: ignore[assignment]
        return spec


class _Loader:
    """Runs core_tokens' own code object with the scan short-circuited (see the module doc)."""

    def __init__(self, loader: Any, punctuation: frozenset[str]) -> None:
        self.loader = loader
        self.punctuation = punctuation

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        result: ModuleType | None = self.loader.create_module(spec)
        return result

    def exec_module(self, module: ModuleType) -> None:
        scans: list[int] = []
        full = sys.maxunicode + 1

        def scan_range(*args: int) -> range:
            if not scans and args == (full,):
                scans.append(full)
                return range(0)
            return range(*args)

        namespace = module.__dict__
        namespace["range"] = scan_range
        try:
            self.loader.exec_module(module)
        finally:
            if namespace.get("range") is scan_range:
                del namespace["range"]
            module.__loader__ = self.loader  # as a plain import leaves them
            if module.__spec__ is not None:
                module.__spec__.loader = self.loader
        if scans:
            namespace["punctuation"].update(self.punctuation)


def fingerprint(source: bytes) -> str:
    """`length:crc32:adler32` of a source file, the key of KNOWN."""
    import zlib

    return f"{len(source)}:{zlib.crc32(source):08x}:{zlib.adler32(source):08x}"


def parse_ranges(text: str) -> frozenset[str]:
    """`21-2f,a1,...` (hex code points and ranges) -> the characters."""
    chars: set[str] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        chars.update(map(chr, range(int(first, 16), int(last or first, 16) + 1)))
    return frozenset(chars)


def _shipped(version: str) -> frozenset[str] | None:
    """The set of data/punctuation.txt for this Unicode version (lines: version count ranges)."""

    try:
        text = (DATA_DIR / "punctuation.txt").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == version:
            return _checked(words[2], words[1])
    return None


def _checked(ranges: str, count: str) -> frozenset[str] | None:
    """The characters when they parse, their number is the one recorded with them, and
    each is ASCII punctuation or of a `P*` category in this Python's Unicode database."""
    from unicodedata import category

    try:
        chars = parse_ranges(ranges)
    except (ValueError, OverflowError):
        return None
    if str(len(chars)) != count:
        return None
    if not all(c in _ASCII_PUNCTUATION or category(c).startswith("P") for c in chars):
        return None
    return chars


def _cache_name(version: str) -> str:
    return f"punctuation-{version}.txt"


def _cached(version: str) -> frozenset[str] | None:
    from notes_kit.core.store import read_cache

    raw = read_cache(_cache_name(version))
    if raw is None:
        return None
    try:
        stored, count, ranges = raw.decode("ascii").split()
    except (UnicodeDecodeError, ValueError):
        return None
    return _checked(ranges, count) if stored == version else None


def _keep(version: str, module: ModuleType) -> None:
    """Store the set mistletoe just computed, for the next run under this Unicode version."""
    from notes_kit.core.store import write_cache

    chars = getattr(module, "punctuation", None)
    if not isinstance(chars, set) or not all(isinstance(c, str) and len(c) == 1 for c in chars):
        return
    text = f"{version} {len(chars)} {format_ranges(chars)}"
    write_cache(_cache_name(version), text.encode("ascii"), "punctuation-")


def format_ranges(chars: set[str] | frozenset[str]) -> str:
    """The inverse of parse_ranges (as tools/gen_punctuation.py writes it)."""
    runs: list[list[int]] = []
    for point in sorted(map(ord, chars)):
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in runs)
