"""Reading input safely and writing output atomically."""

from __future__ import annotations

import os
import stat

from notes_kit.findings import InputError

MAX_BYTES = 16 * 1024 * 1024


def read_source(path: str, data: bytes | None = None) -> str:
    """The file's text with LF line ends, or InputError naming the file and line."""
    if data is None:
        data = _read_bytes(path)
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file too large ({len(data) / 1e6:.1f} MB; the limit is "
                         f"{MAX_BYTES // (1024 * 1024)} MiB)")
    if not data.strip():
        raise InputError(path, "empty file", 1)
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InputError(path, "binary file (NUL byte)", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: str) -> bytes:
    """A regular file's bytes (at most MAX_BYTES + 1), or InputError."""
    return _read_bytes(path)


def _read_bytes(path: str) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, _why(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if info.st_size > MAX_BYTES:
        raise InputError(path, f"file too large ({info.st_size / 1e6:.1f} MB; the limit is "
                         f"{MAX_BYTES // (1024 * 1024)} MiB)")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(path, _why(exc)) from None


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def atomic_write(path: str, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = None
    try:
        info = os.stat(path)
        mode = stat.S_IMODE(info.st_mode)
        if not mode & 0o222:
            raise InputError(path, "file is read-only; not written")
    except FileNotFoundError:
        pass
    except OSError as exc:  # a symlink loop, no permission, ...
        raise InputError(path, f"cannot write: {_why(exc)}") from None
    import tempfile  # only writers need it: lint stays lighter

    try:
        fd, tmp = tempfile.mkstemp(prefix=".notes-kit-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(path, f"cannot write: {_why(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # disk full, target is a folder, ...: nothing written
            raise InputError(path, f"cannot write: {_why(exc)}") from None
        raise
