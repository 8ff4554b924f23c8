"""The user cache folder: sealed files of derived data (registries, dictionary, config,
mistletoe's punctuation table), each a miss when absent or damaged.

One owner for the folder's name and for how a file is stored there; the result cache
(notes_kit.run.cache) keeps its entries below the same folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_KEEP_CACHED = 8  # files kept per family (one per set of user files)
_WRITES = [True]  # False under --no-cache: derived data may be read, nothing is written


def allow_cache_writes(allowed: bool) -> bool:
    """Switch write_cache on or off (--no-cache); returns the previous setting."""
    previous, _WRITES[0] = _WRITES[0], allowed
    return previous


def cache_dir() -> Path | None:
    """`$NOTES_KIT_CACHE_DIR`, else the user cache folder platformdirs names for notes-kit.

    On Linux and the other XDG systems that is `$XDG_CACHE_HOME/notes-kit`, else
    `~/.cache/notes-kit`, computed here: importing platformdirs costs ~25 ms, a tenth of
    a cached one-page lint. macOS and Windows ask platformdirs.
    """
    explicit = os.environ.get("NOTES_KIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform in ("darwin", "win32", "cygwin"):
        import platformdirs

        return Path(platformdirs.user_cache_dir("notes-kit", appauthor=False))
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return Path(xdg) / "notes-kit"
    try:
        return Path.home() / ".cache" / "notes-kit"
    except RuntimeError:  # no home directory
        return None


def read_cache(name: str) -> bytes | None:
    """The payload write_cache() stored under `name`; None when absent or damaged."""
    from notes_kit.core.sealed import read_sealed

    directory = cache_dir()
    if directory is None:
        return None
    return read_sealed(str(directory / name), name)


def write_cache(name: str, payload: bytes, family: str) -> None:
    """Atomic write (temp file + os.replace) of the sealed payload (see notes_kit.core.sealed);
    silently skipped when the directory is not writable.

    Older files whose name starts with `family` are pruned beyond a few.
    """
    directory = cache_dir()
    if directory is None or not _WRITES[0]:
        return
    import tempfile

    from notes_kit.core.sealed import seal

    payload = seal(name, payload)

    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, directory / name)
        tmp = None
        olds = sorted(directory.glob(family + "*"), key=lambda p: p.stat().st_mtime)
        for old in olds[:-_KEEP_CACHED]:
            old.unlink(missing_ok=True)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
