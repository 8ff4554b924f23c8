"""The link-check cache: one small file per checked URL under `<cache>/links-1/`, so a CI
re-run asks only for new and expired links, and an interrupted run keeps what it found.

Each file is the sha256 of its payload on the first line, then the payload (JSON: the key,
when it was checked, the Outcome). A file whose digest, key or fields do not hold is a
miss. Writes go through a temporary file and a rename, so a reader never sees half a file.
How long an entry lives is decided when it is read (links.ttl-alive / links.ttl-failed), so
changing the TTLs or `links.accept` needs no new check.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from notes_kit.links.outcome import NO_NETWORK, Outcome
from notes_kit.lint.link_settings import LinkSettings

FOLDER = "links-1"  # bump when the payload changes


class Store:
    """Read and write per-URL results; a None directory (no home, no cache) stores nothing."""

    def __init__(self, directory: Path | None, *, read: bool = True, write: bool = True,
                 now: Callable[[], float] = time.time) -> None:
        self.directory = directory / FOLDER if directory is not None else None
        self.read, self.write, self.now = read, write, now
        self.made: set[Path] = set()  # folders known to exist (one mkdir each per run)

    def _file(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> tuple[Outcome, float] | None:
        """(outcome, when checked) of a sound entry, None for a miss."""
        path = self._file(key)
        if path is None or not self.read:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest, _, payload = raw.partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
            return None
        try:
            data = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        checked = data.get("checked")
        found = Outcome.from_dict(data.get("outcome"))
        if found is None or not isinstance(checked, (int, float)) or isinstance(checked, bool):
            return None
        return found, float(checked)

    def fresh(self, key: str, settings: LinkSettings) -> Outcome | None:
        """The stored outcome while its time to live lasts."""
        entry = self.get(key)
        if entry is None:
            return None
        found, checked = entry
        ttl = settings.ttl_alive if found.alive(settings.accept) else settings.ttl_failed
        age = self.now() - checked
        return found if 0 <= age < ttl else None

    def put(self, key: str, found: Outcome) -> None:
        """Store an outcome (never a no-network one); a cache that cannot be written is
        skipped silently, as the other caches are."""
        path = self._file(key)
        if path is None or not self.write or found.error == NO_NETWORK:
            return
        payload = json.dumps({"key": key, "checked": self.now(), "outcome": found.to_dict()},
                             sort_keys=True).encode("utf-8")
        blob = hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
        import tempfile

        tmp = None
        try:
            if path.parent not in self.made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.made.add(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
