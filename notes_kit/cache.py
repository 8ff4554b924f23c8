"""The content-hash result cache: a file's findings, keyed by what they depend on.

`lint(text, path, config)` is a pure function of the file's bytes, its path,
the tool (version and source), the config and the registries, so its result
can be reused while none of those change. A run's *stamp* hashes everything
but the file: tool version and source, config.fingerprint(),
registry_fingerprint() and the codespell dictionary. Each stamp gets its own
folder under `cache_dir()/results/`, so changing any of them simply starts a
new folder (old ones are pruned). Inside, one small JSON entry per path holds
the sha256 of the bytes that were linted and the findings; a lookup hashes the
current bytes and compares.

Only lint results are stored. They do not depend on --fix/--unsafe-fixes;
the runner decides whether a cached result also answers a fix run.

The collection rules (NK7xx, NK404) get one entry per set of paths: their
findings, keyed by every input's digest, and beside it a `.facts` file of JSON
lines, one per page: its digest and compact facts (facts_to_json()). When a
page changed, the other pages' facts are read from there instead of parsing
them again; a line is used only while its page's digest (and, for NK703, its
twin's) still matches.

Robust with concurrent processes: entries are written to a unique temporary
file and renamed into place, so a reader sees a whole entry or none; an entry
that does not decode is a miss, never an error. Only the standard library is
imported here: a full cache hit must not import the parser.
"""

from __future__ import annotations

import itertools
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from notes_kit.config import Config
from notes_kit.findings import Edit, Finding, FixKind, Severity

if TYPE_CHECKING:
    import hashlib
    from types import ModuleType

    from notes_kit.rules.facts import PageFacts


def _sha256(data: bytes = b"") -> hashlib._Hash:
    """hashlib costs ~5 ms to import (OpenSSL): only runs that use the cache pay it."""
    import hashlib

    return hashlib.sha256(data)


def _json() -> ModuleType:
    import json

    return json

FORMAT = 2  # bump when the entry layout changes
KEEP_STAMPS = 4  # result folders kept (one per tool/config/registry combination)
MAX_BYTES = 16 * 1024 * 1024  # same limit as files.read_source: larger files are not cached
PACKAGE_DIR = Path(__file__).resolve().parent
_SERIAL = itertools.count()
_T = TypeVar("_T")


def read_regular(path: str) -> bytes | None:
    """The bytes of a regular file small enough to lint; None for anything else.

    None means "do not use the cache for this path": the runner then reports
    the problem (missing, directory, FIFO, too large) as it always does.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with open(path, "rb") as handle:
            data = handle.read()  # read(n) would allocate n bytes up front: slow for 16 MiB
    except OSError:
        return None
    return data if len(data) <= MAX_BYTES else None


def digest_of(data: bytes) -> str:
    return _sha256(data).hexdigest()


def file_digest(path: str) -> str:
    """The digest of a regular file's bytes, or "-" when there is no such file to read."""
    data = read_regular(path)
    return "-" if data is None else digest_of(data)


def source_stamp(package: Path = PACKAGE_DIR) -> str:
    """Size and mtime of the tool's modules and data: an editable install changes in place."""
    digest = _sha256()
    stack = [package]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and entry.name != "__pycache__":
                stack.append(Path(entry.path))
            elif entry.is_file() and not entry.name.endswith(".pyc"):
                info = entry.stat()
                digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _dictionary_stamp() -> str:
    """codespell's dictionary file (as typos.dictionary_path finds it, without importing typos)."""
    from importlib.util import find_spec

    spec = find_spec("codespell_lib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "data" / "dictionary.txt"
        try:
            info = path.stat()
        except OSError:
            continue
        return f"{path}\0{info.st_size}\0{info.st_mtime_ns}"
    return "none"


def run_stamp(config: Config) -> str:
    """Everything a file's findings depend on, except the file itself."""
    import notes_kit
    from notes_kit.registries import registry_fingerprint

    extra = [Path(p) for p in (*config.extra_venues, *config.extra_affiliations,
                               *config.extra_terms)]
    parts = [str(FORMAT), str(notes_kit.__version__), source_stamp(), config.fingerprint(),
             registry_fingerprint(extra), _dictionary_stamp(), sys.implementation.cache_tag]
    return _sha256("\n".join(parts).encode()).hexdigest()[:32]


class ResultCache:
    """One run's view of the result cache: the folder of its stamp."""

    def __init__(self, root: Path, stamp: str) -> None:
        self.root = root
        self.stamp = stamp
        self.folder = root / stamp
        self._prefix = str(self.folder) + os.sep  # string paths: a hit costs ~2 opens per file
        self._pruned = False

    @classmethod
    def open(cls, config: Config) -> ResultCache | None:
        """The cache for this config, or None when there is no cache directory at all."""
        from notes_kit.registries import cache_dir

        base = cache_dir()
        if base is None:
            return None
        try:
            stamp = run_stamp(config)
        except Exception:  # an unreadable registry file: the lint itself will report it
            return None
        return cls(base / "results", stamp)

    def _entry(self, path: str) -> str:
        name = _sha256(f"{os.path.abspath(path)}\0{path}".encode()).hexdigest()[:40]
        return f"{self._prefix}{name[:2]}{os.sep}{name}.json"

    def lookup(self, path: str, digest: str) -> list[Finding] | None:
        """The stored findings for the bytes with this digest at this path, or None."""
        try:
            with open(self._entry(path), "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        try:
            entry = _json().loads(raw)
            if (not isinstance(entry, dict) or entry.get("format") != FORMAT
                    or entry.get("path") != path
                    or entry.get("sha256") != digest):
                return None
            return [decode(path, item) for item in entry["findings"]]
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # a torn or foreign entry is a miss

    def store(self, path: str, digest: str, findings: Sequence[Finding]) -> None:
        """Write one entry atomically; silently skipped when the cache is not writable."""
        entry = {"format": FORMAT, "path": path, "sha256": digest,
                 "findings": [encode(path, f) for f in findings]}
        self._write(Path(self._entry(path)), entry)

    def _write(self, target: Path, entry: dict[str, Any]) -> None:
        self._put(target, [_json().dumps(entry, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8")])

    def _put(self, target: Path, chunks: Iterable[bytes]) -> None:
        """Write through a unique temporary file and rename: readers see all or nothing."""
        tmp = target.parent / f".tmp-{os.getpid()}-{next(_SERIAL)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            try:
                fd = os.open(tmp, flags, 0o644)
            except FileNotFoundError:  # the folder's first entry (mkdir first costs every time)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(tmp, flags, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(chunks)
            os.replace(tmp, target)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
            return
        if not self._pruned:
            self._pruned = True
            self.prune()

    def stored_facts(self, inputs: dict[str, str]) -> Iterator[tuple[str, str, Any]]:
        """(path, sha256, facts_to_json()) of each page, as the last run over the same paths
        stored them (whatever changed since); one line at a time, so a big collection is
        never decoded all at once."""
        json = _json()
        try:
            with open(self._collection_entry(inputs).with_suffix(".facts"), "rb") as handle:
                if json.loads(handle.readline()) != {"format": FORMAT}:
                    return
                for line in handle:
                    path, digest, facts = json.loads(line)
                    if type(path) is str and type(digest) is str:
                        yield path, digest, facts
        except (OSError, ValueError, TypeError):
            return  # a torn or foreign entry: the pages are parsed again

    def store_facts(self, inputs: dict[str, str],
                    pages: Iterable[tuple[str, str, list[Any]]]) -> None:
        """Keep every page's facts for the next run over these paths (one JSON line each)."""
        json = _json()
        self._put(self._collection_entry(inputs).with_suffix(".facts"), itertools.chain(
            [json.dumps({"format": FORMAT}).encode("utf-8") + b"\n"],
            (json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
             for row in pages)))

    def lookup_collection(self, inputs: dict[str, str]) -> list[Finding] | None:
        """The collection findings stored for exactly these inputs (path -> digest), or None."""
        try:
            entry = _json().loads(self._collection_entry(inputs).read_bytes())
            if (not isinstance(entry, dict) or entry.get("format") != FORMAT
                    or entry.get("inputs") != inputs):
                return None
            return [decode("", item) for item in entry["findings"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def store_collection(self, inputs: dict[str, str], findings: Sequence[Finding]) -> None:
        entry = {"format": FORMAT, "inputs": inputs,
                 "findings": [encode("", f) for f in findings]}
        self._write(self._collection_entry(inputs), entry)

    def _collection_entry(self, inputs: dict[str, str]) -> Path:
        """One entry per set of paths: a changed file overwrites it, a new set adds one."""
        name = _sha256("\0".join(sorted(inputs)).encode()).hexdigest()[:40]
        return self.folder / "collection" / f"{name}.json"

    def prune(self, keep: int = KEEP_STAMPS) -> None:
        """Drop the folders of all but the most recently used stamps."""
        import shutil

        try:
            os.utime(self.folder)
            folders = [p for p in self.root.iterdir() if p.is_dir()]
            folders.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        except OSError:
            return
        for old in folders[keep:]:
            if old.name != self.stamp:
                shutil.rmtree(old, ignore_errors=True)


def encode(path: str, finding: Finding) -> list[Any]:
    """A finding as a compact JSON list; the path is left out when it is the file's own."""
    return [None if finding.path == path else finding.path, finding.line, finding.column,
            finding.rule, finding.message, finding.severity.value, finding.end_line,
            finding.end_column, finding.fix.value, list(finding.suggestions),
            [[e.line, e.column, e.end_line, e.end_column, e.text] for e in finding.edits]]


_SEVERITIES = {s.value: s for s in Severity}
_FIXES = {f.value: f for f in FixKind}


def decode(path: str, item: Any) -> Finding:
    """The inverse of encode(); TypeError, ValueError or KeyError for anything malformed."""
    where, line, column, rule, message, severity, end_line, end_column, fix, suggestions, \
        edits = item
    return Finding(path if where is None else _of(str, where), _of(int, line),
                   _of(int, column), _of(str, rule), _of(str, message), _SEVERITIES[severity],
                   _of(int, end_line), _of(int, end_column), _FIXES[fix], _strs(suggestions),
                   tuple(_edit(e) for e in _of(list, edits)))


def _edit(item: Any) -> Edit:
    line, column, end_line, end_column, text = item
    return Edit(_of(int, line), _of(int, column), _of(int, end_line), _of(int, end_column),
                _of(str, text))


def facts_to_json(facts: PageFacts | None) -> list[Any]:
    """A page's collection facts as JSON; [] for a file that is not a conference page."""
    if facts is None:
        return []
    marks = None if facts.suppressions is None else [
        [s.rule, s.first, s.last, s.line, s.column] for s in facts.suppressions.items]
    return [list(facts.keys), facts.titles, facts.spots.tolist(), list(facts.urls),
            facts.links.tolist(), [list(r) for r in facts.raw_urls],
            [list(a) for a in facts.affiliations], sorted(facts.meta_urls), marks,
            facts.twin_stale, facts.twin_digest]


def facts_from_json(path: str, item: list[Any]) -> PageFacts | None:
    """The inverse of facts_to_json(); TypeError for anything malformed."""
    from array import array

    from notes_kit.rules.facts import PageFacts
    from notes_kit.suppress import Suppression, Suppressions

    if not item:
        return None
    try:
        keys, titles, spots, urls, links, raw, names, meta, marks, stale, twin = item
        facts = PageFacts(
            path, _strs(keys), _of(str, titles), array("i", spots), _strs(urls), array("i", links),
            tuple((_of(int, i), _of(str, u)) for i, u in raw),
            tuple((_of(str, n), _of(int, c), _of(int, a), _of(int, b)) for n, c, a, b in names),
            frozenset(_strs(meta)), None if marks is None else Suppressions(path, tuple(
                Suppression(_of(str, r), _of(int, f), _of(int, t), _of(int, a), _of(int, b))
                for r, f, t, a, b in marks)),
            _of(bool, stale), None if twin is None else _of(str, twin))
    except (ValueError, OverflowError) as exc:
        raise TypeError("malformed facts") from exc
    if (len(facts.spots) != 3 * len(facts.keys) or len(facts.links) != 3 * len(facts.urls)
            or not all(0 <= i < len(keys) for i in facts.links[::3])
            or not all(0 <= i < len(urls) for i, _ in facts.raw_urls)):
        raise TypeError("malformed facts")
    return facts


def _of(kind: type[_T], value: Any) -> _T:
    """`value` when it is exactly of this type (JSON gives no subclasses); else TypeError."""
    if type(value) is not kind:
        raise TypeError(f"not a {kind.__name__}")
    result: _T = value
    return result


def _strs(values: Any) -> tuple[str, ...]:
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("not a list of strings")
    return tuple(values)
