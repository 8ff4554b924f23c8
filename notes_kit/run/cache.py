"""The content-hash result cache: a file's findings, keyed by what they depend on.

`lint(text, path, config)` is a pure function of the file's bytes, its path,
the tool (version and source), the config and the registries, so its result
can be reused while none of those change. A run's *stamp* hashes everything
but the file: tool version and source, config.fingerprint(),
registry_fingerprint() and the codespell dictionary. Each stamp gets its own
folder under `cache_dir()/results/`, so changing any of them simply starts a
new folder (old ones are pruned). In it:

- one small entry per path: the sha256 of the bytes that were linted and their
  findings, for runs over any set of files (pre-commit passes a few);
- one *index* per set of files (index.py): every file's digest and findings, each
  page's collection facts and the collection rules' state (groups.py), so a run
  over the same set reads one file, and after a page changed only that page is
  linted and only the groups it touches are computed again;
- small sealed values (value()/put_value()), e.g. what `sync` found up to date.

Only lint results are stored. They do not depend on --fix/--unsafe-fixes;
the runner decides whether a cached result also answers a fix run.

Every file is sealed (notes_kit.core.sealed: a checksum of its name and payload) and
written to a unique temporary file, then renamed into place: a reader sees a
whole entry or none, and a damaged, torn or foreign entry is a miss, never an
error and never a different answer. Payloads are marshal (our data only, and
only decoded after the seal matched). Only the standard library is imported
here: a full cache hit must not import the parser.
"""

from __future__ import annotations

import itertools
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from notes_kit.core.checked import digest_of, of, sequence, sha256, strs
from notes_kit.core.files import PACKAGE_DIR
from notes_kit.core.findings import Edit, Finding, FixKind, Severity
from notes_kit.lint.config import Config

FORMAT = 2  # bump when the entry layout changes
KEEP_STAMPS = 4  # result folders kept (one per tool/config/registry combination)
MAX_BYTES = 16 * 1024 * 1024  # same limit as files.read_source: larger files are not cached
_SERIAL = itertools.count()


def read_regular(path: str) -> bytes | None:
    """The bytes of a regular file small enough to lint; None for anything else.

    None means "do not use the cache for this path": the runner then reports
    the problem (missing, directory, FIFO, too large) as it always does.
    """
    try:
        info = os.stat(path)  # before opening: opening a FIFO would wait for a writer
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        fd = os.open(path, os.O_RDONLY)  # no file object: a cached run reads every page
        try:
            data = os.read(fd, info.st_size + 1)
            if len(data) != info.st_size:  # it changed meanwhile, or a short read: go on
                chunks = [data]
                while chunks[-1] and sum(map(len, chunks)) <= MAX_BYTES:
                    chunks.append(os.read(fd, 1 << 20))
                data = b"".join(chunks)
        finally:
            os.close(fd)
    except OSError:
        return None
    return data if len(data) <= MAX_BYTES else None


def file_digest(path: str) -> str:
    """The digest of a regular file's bytes, or "-" when there is no such file to read."""
    data = read_regular(path)
    return "-" if data is None else digest_of(data)


def source_stamp(package: Path = PACKAGE_DIR) -> str:
    """Size and mtime of the tool's modules and data: an editable install changes in place."""
    digest = sha256()
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
    from notes_kit.knowledge.registries import registry_fingerprint

    extra = [Path(p) for p in (*config.extra_venues, *config.extra_affiliations,
                               *config.extra_terms)]
    parts = [str(FORMAT), str(notes_kit.__version__), source_stamp(), config.fingerprint(),
             registry_fingerprint(extra), _dictionary_stamp(), sys.implementation.cache_tag]
    return sha256("\n".join(parts).encode()).hexdigest()[:32]


def set_key(files: Iterable[str], twins: bool) -> str:
    """Names one set of files (and whether its twins are compared): its index's key."""
    return "\0".join(["twins" if twins else "pages", *sorted(set(files))])


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
        from notes_kit.core.store import cache_dir

        base = cache_dir()
        if base is None:
            return None
        try:
            stamp = run_stamp(config)
        except Exception:  # an unreadable registry file: the lint itself will report it
            return None
        return cls(base / "results", stamp)

    def _entry(self, path: str) -> str:
        name = sha256(f"{os.path.abspath(path)}\0{path}".encode()).hexdigest()[:40]
        return f"{self._prefix}{name[:2]}{os.sep}{name}.entry"

    def has_entry(self, path: str) -> bool:
        """Whether an entry exists for this path (a cheap test before reading the file)."""
        return os.path.exists(self._entry(path))

    def lookup(self, path: str, digest: str) -> list[Finding] | None:
        """The stored findings for the bytes with this digest at this path, or None."""
        entry = self._read(self._entry(path), f"result\0{path}")
        try:
            form, where, sha, items = entry
            if form != FORMAT or where != path or sha != digest:
                return None
            return [decode(path, item) for item in items]
        except (ValueError, TypeError, KeyError):
            return None  # a foreign entry is a miss

    def store(self, path: str, digest: str, findings: Sequence[Finding]) -> None:
        """Write one entry atomically; silently skipped when the cache is not writable."""
        entry = (FORMAT, path, digest, tuple(encode(path, f) for f in findings))
        self._write(Path(self._entry(path)), f"result\0{path}", entry)

    def value(self, kind: str, key: str) -> Any:
        """A value put_value() stored under (kind, key), or None."""
        return self._read(str(self._value_path(kind, key)), f"{kind}\0{key}")

    def put_value(self, kind: str, key: str, value: Any) -> None:
        self._write(self._value_path(kind, key), f"{kind}\0{key}", value)

    def _value_path(self, kind: str, key: str) -> Path:
        name = sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return self.folder / kind / f"{name}.bin"

    def index_path(self, key: str) -> Path:
        return self._value_path("index", key).with_suffix(".index")

    def _read(self, name: str, label: str) -> Any:
        """The unsealed, unmarshalled payload of one file; None when absent or damaged."""
        import marshal

        from notes_kit.core.sealed import read_sealed

        payload = read_sealed(name, label)
        try:
            return None if payload is None else marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None

    def _write(self, target: Path, label: str, value: Any) -> None:
        import marshal

        from notes_kit.core.sealed import seal

        try:
            payload = marshal.dumps(value)
        except ValueError:  # not marshallable: nothing is stored
            return
        self.put_file(target, [seal(label, payload)])

    def put_file(self, target: Path, chunks: Iterable[bytes]) -> None:
        """Write through a unique temporary file and rename: readers see all or nothing."""
        tmp = self.temporary(target.parent)
        if tmp is None:
            return
        try:
            with open(tmp, "wb") as handle:
                handle.writelines(chunks)
            os.replace(tmp, target)
        except OSError:
            discard(tmp)
            return
        self.pruned()

    def temporary(self, folder: Path) -> Path | None:
        """A new, unique, empty file in `folder` (made if needed); None when not writable."""
        tmp = folder / f".tmp-{os.getpid()}-{next(_SERIAL)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            try:
                fd = os.open(tmp, flags, 0o644)
            except FileNotFoundError:  # the folder's first entry (mkdir first costs every time)
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(tmp, flags, 0o644)
        except OSError:
            return None
        os.close(fd)
        return tmp

    def pruned(self) -> None:
        if not self._pruned:
            self._pruned = True
            self.prune()

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


def discard(path: Path | str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def encode(path: str, finding: Finding) -> tuple[Any, ...]:
    """A finding as a compact tuple; the path is left out when it is the file's own."""
    return (None if finding.path == path else finding.path, finding.line, finding.column,
            finding.rule, finding.message, finding.severity.value, finding.end_line,
            finding.end_column, finding.fix.value, tuple(finding.suggestions),
            tuple((e.line, e.column, e.end_line, e.end_column, e.text) for e in finding.edits))


_SEVERITIES = {s.value: s for s in Severity}
_FIXES = {f.value: f for f in FixKind}


_FIELDS = tuple(Finding.__dataclass_fields__)  # the order of encode()'s values
_NEW = object.__new__
_FAST = "__slots__" not in Finding.__dict__ and _FIELDS == (  # else: the constructor
    "path", "line", "column", "rule", "message", "severity", "end_line", "end_column", "fix",
    "suggestions", "edits")


def decode(path: str, item: Any) -> Finding:
    """The inverse of encode(); TypeError, ValueError or KeyError for anything malformed.

    A cached run decodes every finding it reports, so the fields are checked in one go
    and set without the frozen dataclass's per-field __setattr__ (a third of the time)."""
    where, line, column, rule, message, severity, end_line, end_column, fix, suggestions, \
        *rest = item
    if len(rest) > 1:
        raise ValueError("too many fields")
    if (type(line) is not int or type(column) is not int or type(end_line) is not int
            or type(end_column) is not int or type(rule) is not str
            or type(message) is not str or (where is not None and type(where) is not str)):
        raise TypeError("malformed finding")
    edits = tuple(Edit(of(int, a), of(int, b), of(int, c), of(int, d), of(str, t))
                  for a, b, c, d, t in sequence(rest[0])) if rest and rest[0] else ()
    if type(suggestions) is not tuple or suggestions:  # () is by far the most common
        suggestions = strs(suggestions)
    if not _FAST:
        return Finding(path if where is None else where, line, column, rule, message,
                       _SEVERITIES[severity], end_line, end_column, _FIXES[fix], suggestions,
                       edits)
    finding = _NEW(Finding)
    fields = finding.__dict__
    fields["path"] = path if where is None else where
    fields["line"], fields["column"], fields["rule"], fields["message"] = \
        line, column, rule, message
    fields["severity"], fields["end_line"], fields["end_column"] = \
        _SEVERITIES[severity], end_line, end_column
    fields["fix"], fields["suggestions"], fields["edits"] = _FIXES[fix], suggestions, edits
    return finding
