"""The index of one set of files: a single cache file read once per run over that set.

Layout: `BLOBS | HEAD | TRAILER`. The trailer (fixed size, at the end) holds the
head's offset, length and checksum (sealed.checksum); the head (marshal) holds what
every run needs: each file's digest and findings, the collection findings, and
references to blobs. A blob (one page's collection facts, the collection rules'
state) is read only when a run needs it, and carries its own checksum in its
reference. So an unchanged collection costs one read of the head and the hashing
of its files, and a run after one page changed reads a few blobs.

A new index is written to a unique temporary file and renamed into place. It
starts as a copy of the old index's blob region (the kernel copies it), new
blobs are appended, and the new head and trailer go last; unchanged pages keep
their references. When dead blobs outweigh live ones the region is written
afresh. A reader keeps its descriptor, so an index replaced meanwhile still reads
whole. Anything that does not check out (trailer, head, a blob) is a miss.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_kit.core.sealed import checksum

if TYPE_CHECKING:
    from notes_kit.run.cache import ResultCache

MAGIC = b"NKindx3\n"
TRAILER = struct.Struct(">8sQQ16s")
Ref = tuple[int, int, bytes]  # offset, length, checksum of one blob


class Blobs:
    """Blobs in memory: a run without the cache (or over a handful of files)."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.live = 0

    def put(self, payload: bytes | memoryview) -> Ref:
        ref = (len(self.data), len(payload), checksum("blob", payload))
        self.data += payload
        self.live += len(payload)
        return ref

    def get(self, ref: Ref) -> bytes | None:
        offset, length, digest = ref
        payload = bytes(self.data[offset : offset + length])
        return payload if len(payload) == length and checksum("blob", payload) == digest \
            else None

    def close(self) -> None:
        self.data = bytearray()


class FileBlobs(Blobs):
    """Blobs in a file: an index being read, or one being written (a temporary file)."""

    def __init__(self, fd: int, end: int) -> None:
        super().__init__()
        self.fd = fd
        self.end = end  # where the next blob goes; reads beyond it are refused

    def put(self, payload: bytes | memoryview) -> Ref:
        ref = (self.end, len(payload), checksum("blob", payload))
        self.put_raw(payload)
        self.live += len(payload)
        return ref

    def put_raw(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            written = os.pwrite(self.fd, view, self.end)
            view, self.end = view[written:], self.end + written

    def get(self, ref: Ref) -> bytes | None:
        try:
            offset, length, digest = ref
            if type(offset) is not int or type(length) is not int or offset < 0 \
                    or length < 0 or offset + length > self.end:
                return None
            payload = os.pread(self.fd, length, offset)
        except (OSError, ValueError, TypeError):
            return None
        return payload if len(payload) == length and checksum("blob", payload) == digest \
            else None

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class IndexFile:
    """An index read from disk: its head, and its blobs for reading on demand."""

    def __init__(self, head: Any, blobs: FileBlobs) -> None:
        self.head = head
        self.blobs = blobs

    @classmethod
    def read(cls, path: Path, label: str) -> IndexFile | None:
        import marshal

        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            size = os.fstat(fd).st_size
            if size < TRAILER.size:
                raise ValueError("too short")
            magic, offset, length, digest = TRAILER.unpack(
                os.pread(fd, TRAILER.size, size - TRAILER.size))
            if magic != MAGIC or offset + length != size - TRAILER.size:
                raise ValueError("not an index")
            head = os.pread(fd, length, offset)
            if len(head) != length or checksum(label, head) != digest:
                raise ValueError("damaged")
            value = marshal.loads(head)
        except (OSError, ValueError, EOFError, TypeError, struct.error):
            os.close(fd)
            return None
        return cls(value, FileBlobs(fd, offset))

    def close(self) -> None:
        self.blobs.close()


class IndexWriter(FileBlobs):
    """A new index in a temporary file: blobs first, then commit() writes head and trailer."""

    def __init__(self, cache: ResultCache, target: Path, fd: int, tmp: Path) -> None:
        super().__init__(fd, 0)
        self.cache, self.target, self.tmp = cache, target, tmp

    @classmethod
    def start(cls, cache: ResultCache, target: Path, old: IndexFile | None = None
              ) -> IndexWriter | None:
        """A writer, with the old index's blob region copied in (unless old is None)."""
        tmp = cache.temporary(target.parent)
        if tmp is None:
            return None
        try:
            fd = os.open(tmp, os.O_RDWR)
        except OSError:
            from notes_kit.run.cache import discard

            discard(tmp)
            return None
        writer = cls(cache, target, fd, tmp)
        if old is not None and not writer._copy(old.blobs):
            writer.abort()
            return None
        return writer

    def _copy(self, old: FileBlobs) -> bool:
        """The old blob region, byte for byte, so old references stay valid."""
        done = 0
        try:
            while done < old.end:
                copied = _copy_range(old.fd, self.fd, done, old.end - done)
                if copied <= 0:
                    return False
                done += copied
        except OSError:
            return False
        self.end = old.end
        return True

    def commit(self, head: Any, label: str) -> bool:
        """Head and trailer after the blobs, then the rename; False if nothing was written."""
        import marshal

        try:
            data = marshal.dumps(head)
            offset = self.end
            trailer = TRAILER.pack(MAGIC, offset, len(data), checksum(label, data))
            for chunk in (data, trailer):
                self.put_raw(chunk)
            os.close(self.fd)
            self.fd = -1
            os.replace(self.tmp, self.target)
        except (OSError, ValueError):
            self.abort()
            return False
        self.cache.pruned()
        return True

    def abort(self) -> None:
        from notes_kit.run.cache import discard

        if self.fd >= 0:
            self.close()
            self.fd = -1
        discard(self.tmp)


def _copy_range(source: int, target: int, offset: int, count: int) -> int:
    """Copy bytes between files in the kernel where it can (no page of them in Python)."""
    count = min(count, 1 << 30)
    if hasattr(os, "copy_file_range"):
        try:
            return os.copy_file_range(source, target, count, offset, offset)
        except OSError:
            pass
    data = os.pread(source, min(count, 1 << 24), offset)
    return os.pwrite(target, data, offset) if data else 0


_REF = struct.Struct(">QQ16s")
_ZERO = bytes(32)


class Records:
    """Every file's record in an index head, kept packed: 32 bytes per digest, blob references
    as fixed-width bytes, findings as marshal bytes decoded when asked for. A head of 20,000
    files so decodes in a third of the time, and holds a fraction of the objects.

    get(path) gives (digest, findings, facts digest, facts reference, twin digest), each
    None when absent: digests as hex strings, findings as encode()'s tuples."""

    def __init__(self, ordinals: dict[str, int], data: Any) -> None:
        digests, findings, facts, refs, twins = data
        count = len(ordinals)
        if not (type(digests) is type(facts) is type(refs) is bytes
                and len(digests) == len(facts) == len(refs) == 32 * count
                and type(findings) is type(twins) is tuple and len(findings) == len(twins)
                == count):
            raise ValueError("records of another set")
        self.ordinals = ordinals
        self.digests, self.findings, self.facts, self.refs, self.twins = data

    def __contains__(self, path: str) -> bool:
        return path in self.ordinals

    def get(self, path: str) -> tuple[Any, ...] | None:
        import marshal

        record = self.raw(path)
        if record is None or record[1] is None:
            return record
        try:
            return (record[0], marshal.loads(record[1]), *record[2:])
        except (EOFError, ValueError, TypeError):
            return (record[0], None, *record[2:])

    def raw(self, path: str) -> tuple[Any, ...] | None:
        """get(), the findings left as the marshal bytes they are stored as."""
        index = self.ordinals.get(path)
        if index is None:
            return None
        at = slice(32 * index, 32 * index + 32)
        return (_hex(self.digests[at]), self.findings[index], _hex(self.facts[at]),
                _ref(self.refs[at]), self.twins[index])

    def answer(self, path: str, raw: bytes) -> tuple[Any, bool] | None:
        """For bytes with this (raw) digest: the stored findings (encode()'s tuples), and
        whether the page's facts were taken from the same bytes with no twin then; None
        when the record is for other bytes or holds no findings."""
        import marshal

        index = self.ordinals.get(path)
        if index is None:
            return None
        at = 32 * index
        found = self.findings[index]
        if found is None or self.digests[at : at + 32] != raw:
            return None
        try:
            findings = marshal.loads(found)
        except (EOFError, ValueError, TypeError):
            return None
        same = self.facts[at : at + 32] == raw and (self.refs[at : at + 32] == _ZERO
                                                    or self.twins[index] == "-")
        return findings, same

    @staticmethod
    def pack(paths: tuple[str, ...], records: dict[str, tuple[Any, ...]]) -> tuple[Any, ...]:
        """The packed form of {path: (digest, findings, facts digest, reference, twin)};
        findings given as bytes are taken as marshal bytes already."""
        import marshal

        digests, facts, refs = bytearray(), bytearray(), bytearray()
        findings, twins = [], []
        for path in paths:
            digest, found, fact, ref, twin = records.get(path) or (None,) * 5
            digests += bytes.fromhex(digest) if digest else _ZERO
            facts += bytes.fromhex(fact) if fact else _ZERO
            refs += _REF.pack(*ref) if ref else _ZERO
            findings.append(found if found is None or type(found) is bytes
                            else marshal.dumps(found))
            twins.append(twin)
        return bytes(digests), tuple(findings), bytes(facts), bytes(refs), tuple(twins)


def _hex(raw: bytes) -> str | None:
    return None if raw == _ZERO else raw.hex()


def _ref(raw: bytes) -> Ref | None:
    if raw == _ZERO:
        return None
    offset, length, digest = _REF.unpack(raw)
    return offset, length, digest
