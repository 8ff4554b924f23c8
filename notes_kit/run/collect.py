"""The collection side of a lint run: each page's facts, the collection rules, the index.

While a set of files is linted, each file's digest and findings, and each linted
page's facts, are handed in (saw(), take()). findings() then completes the pages
that were not linted: their facts come from the last run's index while the page
(and, for NK703, its twin) is unchanged, else from parsing the page. It brings
the collection rules up to date and writes the index of this set (index.py):

- nothing changed: the stored findings are the answer, nothing is computed;
- a few pages changed: the last state (groups.py) with those pages replaced,
  only the groups they touch computed again;
- no usable index (the first run over this set, a damaged one, one with mostly
  dead blobs, many changed pages): every page's facts added and the state built
  once. In that case facts go to the blob store as they come (take() streams
  them), so no page's facts stay in memory, whatever the size of the collection.
"""

from __future__ import annotations

import marshal
import os
from array import array
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.run.index import Records

if TYPE_CHECKING:
    from notes_kit.lint.rules.facts import PageFacts
    from notes_kit.run.cache import ResultCache
    from notes_kit.run.groups import Groups
    from notes_kit.run.index import Blobs, IndexFile

HEAD_FORMAT = 2
SMALL = 64  # without the cache, sets of fewer files keep their blobs in memory
PAGES = (".md", ".markdown")
Facts = tuple["PageFacts | None", "str | None"]  # a page's facts and the digest they are of
Page = tuple[Any, Any, Any]  # (facts digest, blob reference or None, twin digest)
_BAD = (ValueError, TypeError, IndexError, KeyError, LookupError, EOFError)


def twin_path(path: str) -> str:
    return os.path.splitext(path)[0] + ".yaml"


def rebuild_above(pages: int) -> int:
    """Changed pages beyond which building the state afresh beats replacing them one by
    one (each replacement moves the sorted arrays: ~5 ms at 200,000 papers)."""
    return max(16, pages // 100)


class Collection:
    """The collection rules over one run's set of files (see the module docstring)."""

    def __init__(self, files: list[str], config: Config, cache: ResultCache | None,
                 twins: bool) -> None:
        from notes_kit.run.cache import set_key

        self.paths = tuple(sorted(set(files)))
        self.ordinals = {path: index for index, path in enumerate(self.paths)}
        self.pages = [i for i, path in enumerate(self.paths) if path.endswith(PAGES)]
        self.config, self.cache, self.twins = config, cache, twins
        self.key = set_key(self.paths, twins)
        self.label = "index\0" + self.key
        self.old: IndexFile | None = None
        self.records: Records | dict[str, Any] = {}  # path -> (digest, findings, *Page)
        if cache is not None:
            self._open_old(cache)
        self.fresh: dict[int, Facts] = {}  # facts this run computed, not yet in a store
        self.digests: dict[str, str] = {}  # path -> digest of the bytes this run read
        self.results: dict[str, tuple[str, bytes]] = {}  # path -> (digest, findings as the
        # index stores them: marshal bytes of encode()'s tuples)
        self._store: Blobs | None = None  # while building: the new index's blobs
        self._pages: dict[int, Page] = {}  # the pages of the new state (see Page)
        self._groups: Groups | None = None  # while building: the state being built
        self._listings: dict[str, set[str]] = {}  # folder -> its names (see _may_exist)
        self._no_yaml: dict[str, bool] = {}  # folder -> it has no .yaml file (_twinless)
        self._held: set[str] = set()  # pages whose last facts stored() found still hold

    def _open_old(self, cache: ResultCache) -> None:
        from notes_kit.run.index import IndexFile

        old = IndexFile.read(cache.index_path(self.key), self.label)
        if old is None:
            return
        head = old.head
        try:
            if (type(head) is not dict or head.get("format") != HEAD_FORMAT
                    or head.get("key") != self.key):
                raise ValueError("another index")
            self.records = Records(self.ordinals, head["records"])
            self.old = old
        except (ValueError, TypeError, KeyError):
            old.close()

    def _record(self, path: str) -> tuple[Any, ...] | None:
        return self.records.get(path)  # each checked when the index was read

    # -- while the files are linted -------------------------------------------------------

    def stored(self, path: str, digest: str, raw: bytes) -> list[Finding] | None:
        """The findings the index holds for these bytes (digest: hex, raw: the same as bytes)
        of this path, or None; either way the digest is noted (as saw() does), and so is a
        page whose facts still hold."""
        from notes_kit.run.cache import decode

        self.digests[path] = digest
        records = self.records
        answer = records.answer(path, raw) if isinstance(records, Records) else None
        if answer is None:
            return None
        items, same = answer
        if same and (not self.twins or self._twinless(_split(path)[0])):
            self._held.add(path)  # _reusable without asking again
        try:
            return [decode(path, item) for item in items]
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def saw(self, path: str, digest: str | None, findings: list[Finding] | None) -> None:
        """This run's digest of a file and, when they may be kept, its lint findings."""
        from notes_kit.run.cache import encode

        if digest is None:
            self.digests.pop(path, None)  # not read, or rewritten by a fix: read it again
            self._held.discard(path)
            return
        self.digests[path] = digest
        if findings is not None:
            self.results[path] = (digest, marshal.dumps(tuple(encode(path, f)
                                                              for f in findings)))

    def take(self, path: str, facts: PageFacts | None, digest: str | None) -> None:
        """The facts of a page linted this run (digest: of the bytes linted)."""
        ordinal = self.ordinals.get(path)
        if ordinal is None:
            return
        if self._groups is not None:
            self._add(ordinal, facts, digest)
            return
        self.fresh[ordinal] = (facts, digest)
        if self.old is None or len(self.fresh) > rebuild_above(len(self.pages)):
            self._start_build()  # the state is built afresh: stream the facts to blobs

    # -- the collection rules -------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Bring the collection rules up to date, store the index, return the findings."""
        try:
            return self._findings()
        finally:
            if self.old is not None:
                self.old.close()

    def _findings(self) -> list[Finding]:
        if self._groups is None:
            for ordinal in self.pages:
                if ordinal not in self.fresh and not self._reusable(ordinal):
                    self.fresh[ordinal] = self._parse(self.paths[ordinal])
            if self.old is not None and not self.fresh:
                found = self._stored_findings()
                if found is not None:
                    if self._results_changed():
                        self._save(None, found)
                    return found
            if self.old is not None and len(self.fresh) <= rebuild_above(len(self.pages)):
                groups = self._replace()
                if groups is not None:
                    found = groups.findings()
                    self._save(groups, found)
                    return found
            self._start_build()
        groups = self._built()
        found = groups.findings()
        self._save(groups, found)
        return found

    def _reusable(self, ordinal: int) -> bool:
        """The last run's facts still hold: same page bytes and (for NK703) same twin."""
        path = self.paths[ordinal]
        if path in self._held:
            return True
        record, digest = self.records.get(path), self.digests.get(path)
        if record is None or digest is None or record[2] != digest:
            return False
        if not self.twins or record[3] is None:
            return True
        if record[4] == "-" and self._twinless(_split(path)[0]):
            return True  # no twin then, and no YAML file in its folder now
        return bool(record[4] == self._twin_digest(path))

    def _twinless(self, folder: str) -> bool:
        """The folder holds no .yaml file at all (so no page in it has a twin)."""
        found = self._no_yaml.get(folder)
        if found is None:
            try:
                found = not any(n.lower().endswith(".yaml") for n in os.listdir(folder or "."))
            except OSError:
                found = False
            self._no_yaml[folder] = found
        return found

    def _twin_digest(self, path: str) -> str:
        from notes_kit.run.cache import file_digest

        twin = twin_path(path)
        known = self.digests.get(twin)
        if known is not None:
            return known
        return file_digest(twin) if self._may_exist(twin) else "-"

    def _may_exist(self, path: str) -> bool:
        """False only when the folder's listing has no such name, even ignoring case and
        Unicode normalisation: one listing per folder instead of a stat per page."""
        folder, name = _split(path)
        names = self._listings.get(folder)
        if names is None:
            try:
                found = os.listdir(folder or ".")
            except OSError:
                return True
            names = self._listings[folder] = {_folded(n) for n in found}
        return _folded(name) in names

    def _parse(self, path: str) -> Facts:
        """Facts of a page read (and hashed) and parsed here."""
        from notes_kit.core.checked import digest_of
        from notes_kit.lint.rules.facts import read_facts
        from notes_kit.run.cache import read_regular

        data = read_regular(path)
        if data is None:
            return None, None
        return read_facts(path, twin=self.twins, data=data), digest_of(data)

    def _results_changed(self) -> bool:
        raw = self.records.raw if isinstance(self.records, Records) else self.records.get
        return any((raw(path) or (None, None))[:2] != result
                   for path, result in self.results.items())

    def _stored_findings(self) -> list[Finding] | None:
        from notes_kit.run.cache import decode

        assert self.old is not None
        try:
            return [decode("", item) for item in self.old.head["final"]]
        except _BAD:
            return None

    # -- building afresh ----------------------------------------------------------------

    def _start_build(self) -> None:
        """From here on every page's facts go straight to a new blob store and state."""
        from notes_kit.run.groups import Groups

        if self._groups is not None:
            return
        self._store, self._pages = self._new_store(), {}
        self._groups = Groups(self.paths, self.config, self._facts_of)
        fresh, self.fresh = self.fresh, {}
        for ordinal, (facts, digest) in sorted(fresh.items()):
            self._add(ordinal, facts, digest)

    def _built(self) -> Groups:
        """The state built: the pages not added yet (not linted) added, then sorted once."""
        assert self._groups is not None
        for ordinal in self.pages:
            if ordinal not in self._pages:
                self._add(ordinal, *self._any_facts(ordinal))
        self._groups.finish()
        return self._groups

    def _add(self, ordinal: int, facts: PageFacts | None, digest: str | None) -> None:
        assert self._groups is not None
        self._keep(ordinal, facts, digest)
        if facts is not None:
            self._groups.add(ordinal, facts)

    def _new_store(self) -> Blobs:
        from notes_kit.run.index import Blobs, FileBlobs, IndexWriter

        if self.cache is not None:
            writer = IndexWriter.start(self.cache, self.cache.index_path(self.key))
            if writer is not None:
                return writer
        if len(self.paths) < SMALL:
            return Blobs()
        import tempfile

        with tempfile.TemporaryFile() as handle:  # gone from the folder once closed
            return FileBlobs(os.dup(handle.fileno()), 0)

    def _any_facts(self, ordinal: int) -> Facts:
        """The last run's facts when they still hold (and check out), else parsed here."""
        path = self.paths[ordinal]
        record = self._record(path)
        if record is not None and self.old is not None and self._reusable(ordinal):
            if record[3] is None:
                return None, record[2]
            facts = _unpack(self.old.blobs, record[3], path)
            if facts is not None:
                return facts, record[2]
        return self._parse(path)

    def _keep(self, ordinal: int, facts: PageFacts | None, digest: str | None) -> None:
        from notes_kit.lint.rules.facts import pack_facts

        assert self._store is not None
        ref = None if facts is None else self._store.put(marshal.dumps(pack_facts(facts)))
        self._pages[ordinal] = (digest, ref, None if facts is None else facts.twin_digest)

    def _facts_of(self, ordinal: int) -> PageFacts | None:
        assert self._store is not None
        ref = self._pages[ordinal][1]
        if ref is None:
            return None
        facts = _unpack(self._store, ref, self.paths[ordinal])
        if facts is None:
            raise LookupError(f"the facts of {self.paths[ordinal]} do not check out")
        return facts

    # -- a few pages changed ------------------------------------------------------------

    def _replace(self) -> Groups | None:
        """The last run's state with the changed pages replaced; None: build it afresh."""
        from notes_kit.run.groups import Groups
        from notes_kit.run.index import IndexWriter

        assert self.old is not None and self.cache is not None
        head = self.old.head
        live = head.get("live")
        if type(live) is not int or self.old.blobs.end > 2 * live + (1 << 20):
            return None  # mostly dead blobs: written afresh
        store = IndexWriter.start(self.cache, self.cache.index_path(self.key), self.old)
        if store is None:
            return None
        self._store, self._pages = store, {}
        for ordinal in self.pages:
            record = self._record(self.paths[ordinal])
            if ordinal not in self.fresh and record is not None:
                self._pages[ordinal] = record[2:]
        try:
            meta, refs = head["groups"]
            groups = Groups.load(_state(store, meta), [_array(store, ref) for ref in refs],
                                 self.paths, self.config, self._facts_of)
            store.live = live - meta[1] - sum(ref[1] for ref in refs)
            for ordinal, (facts, digest) in sorted(self.fresh.items()):
                record = self._record(self.paths[ordinal])
                old = None
                if record is not None and record[3] is not None:
                    old = _unpack(store, record[3], self.paths[ordinal])
                    if old is None:
                        raise LookupError("damaged facts")
                    store.live -= record[3][1]
                groups.change(ordinal, old, facts)
                self._keep(ordinal, facts, digest)
            groups.findings()  # every blob it needs read now: a damaged one is a rebuild
        except _BAD:
            store.abort()
            self._store, self._pages = None, {}
            return None
        return groups

    # -- saving -------------------------------------------------------------------------

    def _save(self, groups: Groups | None, found: list[Finding]) -> None:
        """The index for the next run (only with the cache; a failed write is no error)."""
        from notes_kit.run.cache import encode
        from notes_kit.run.index import IndexWriter

        store = self._store
        if groups is None and self.old is not None and self.cache is not None:
            store = IndexWriter.start(self.cache, self.cache.index_path(self.key), self.old)
        if not isinstance(store, IndexWriter):
            if store is not None:
                store.close()
            return
        records = {}
        raw = self.records.raw if isinstance(self.records, Records) else self.records.get
        for path in self.paths:
            old = raw(path)
            result = self.results.get(path) or (old[:2] if old else (None, None))
            page = (self._pages.get(self.ordinals[path]) if groups is not None
                    else old[2:] if old else None) or (None, None, None)
            records[path] = (*result, *page)
        self.results, self.digests, self._pages = {}, {}, {}  # in records now: let them go
        packed = Records.pack(self.paths, records)
        del records
        if groups is not None:
            meta, arrays = groups.dump()
            state = (store.put(marshal.dumps(meta)),
                     tuple(store.put(memoryview(a).cast("B")) for a in arrays))
            live = store.live
        else:
            assert self.old is not None
            state, live = self.old.head["groups"], self.old.head["live"]
        head = {"format": HEAD_FORMAT, "key": self.key, "records": packed,
                "final": tuple(encode("", f) for f in found), "groups": state, "live": live}
        store.commit(head, self.label)


def _split(path: str) -> tuple[str, str]:
    """os.path.split, by one rpartition where "/" is the only separator (a cached run splits
    the path of every page)."""
    if os.sep == "/" and not os.altsep:
        folder, _, name = path.rpartition("/")
        return (folder or ("/" if path.startswith("/") else "")), name
    return os.path.split(path)


def _folded(name: str) -> str:
    """A file name as a case- and normalisation-blind file system might match it."""
    if name.isascii():
        return name.lower()
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold()


def _unpack(store: Blobs, ref: Any, path: str) -> PageFacts | None:
    from notes_kit.lint.rules.facts import unpack_facts

    raw = store.get(ref)
    if raw is None:
        return None
    try:
        return unpack_facts(path, marshal.loads(raw))
    except (EOFError, ValueError, TypeError):
        return None


def _array(store: Blobs, ref: Any) -> array[int]:
    """One of the state's sorted arrays, as the index wrote it (raw 64-bit integers)."""
    raw = store.get(ref)
    if raw is None:
        raise LookupError("the collection state does not check out")
    found = array("Q")
    found.frombytes(raw)
    return found


def _state(store: Blobs, ref: Any) -> Any:
    raw = store.get(ref)
    if raw is None:
        raise LookupError("the collection state does not check out")
    return marshal.loads(raw)
