"""Reading input safely and writing output atomically.

Size limits (README, "Exit codes"): a Markdown page may hold MAX_BYTES (16 MiB); a YAML
file MAX_YAML_BYTES (64 MiB), because the canonical YAML of a page takes up to about four
times its Markdown. notes-kit never writes a file it would refuse to read
(`check_size`), so its own output always reads back.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from notes_kit.core.findings import InputError

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # notes_kit/
DATA_DIR = PACKAGE_DIR / "data"  # the shipped registries, schemas and tables
MAX_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 64 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


class Fingerprint(NamedTuple):
    """What a file was when it was read: atomic_write(expect=...) writes only over that."""

    size: int
    mtime_ns: int
    sha256: str


class Changed(InputError):
    """The file changed since it was read: not written (exit 1, run again)."""


def limit_for(path: str, yaml: bool | None = None) -> int:
    """The most bytes notes-kit reads from (and writes to) `path`."""
    if yaml is None:
        yaml = path.endswith(YAML_SUFFIXES)
    return MAX_YAML_BYTES if yaml else MAX_BYTES


def _too_large(path: str, size: int, limit: int) -> InputError:
    return InputError(path, f"file too large ({size / 1e6:.1f} MB; the limit is "
                      f"{limit // (1024 * 1024)} MiB)")


def read_source(path: str, data: bytes | None = None, *, yaml: bool | None = None) -> str:
    """The file's text with LF line ends, or InputError naming the file and line.

    `yaml` says which size limit applies when the name does not (standard input)."""
    limit = limit_for(path, yaml)
    if data is None:
        data = _read_bytes(path, limit)
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
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
    """A regular file's bytes (at most its limit + 1), or InputError."""
    return _read_bytes(path, limit_for(path))


def _read_bytes(path: str, limit: int) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, _why(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if info.st_size > limit:
        raise _too_large(path, info.st_size, limit)
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise InputError(path, _why(exc)) from None


def _why(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def fingerprint(path: str, data: bytes) -> Fingerprint | None:
    """The file as it is now, `data` being the bytes just read from it (None if it is gone)."""
    import hashlib

    try:
        info = os.stat(path)
    except OSError:
        return None
    return Fingerprint(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


def unchanged(path: str, expect: Fingerprint) -> bool:
    """Whether `path` still holds what was read when `expect` was taken."""
    import hashlib

    try:
        info = os.stat(path)
        if (info.st_size, info.st_mtime_ns) != (expect.size, expect.mtime_ns):
            return False
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == expect.sha256
    except OSError:
        return False


def check_size(path: str, text: str, limit: int) -> bytes:
    """The text's bytes; InputError when they are more than notes-kit would read back."""
    data = text.encode("utf-8")
    if len(data) > limit:
        raise InputError(path, f"output too large ({len(data) / 1e6:.1f} MB; notes-kit reads "
                         f"at most {limit // (1024 * 1024)} MiB of it); not written")
    return data


def atomic_write(path: str, text: str, *, expect: Fingerprint | None = None) -> None:
    """Write `text` to `path` so that a reader sees the old or the new file, never half.

    A symbolic link is written through (its target gets the text, the link stays). Only a
    regular file or a new path is written: a device, FIFO or folder is refused, nothing
    written. A new file gets mode 0666 minus the umask; an existing one keeps its mode. A
    file with several hard links is rewritten in place, keeping the inode the links share
    (_write_in_place says what that costs). With `expect`, the file must still be what was
    read (Changed, nothing written, otherwise), checked again just before the rename, so
    edits made while notes-kit worked are not lost.
    """
    target = os.path.realpath(path)
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:  # a symlink loop, no permission, ...
        raise InputError(path, f"cannot write: {_why(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        what = "is a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(path, f"cannot write: {what}")
    if info is not None and not stat.S_IMODE(info.st_mode) & 0o222:
        raise InputError(path, "file is read-only; not written")

    def still_expected() -> bool:
        return expect is None or (info is not None and unchanged(target, expect))

    try:
        if not still_expected():
            raise _Gone
        if info is not None and info.st_nlink > 1:
            _write_in_place(target, text, still_expected)
        else:
            _write_and_rename(target, text, info, still_expected)
    except UnicodeEncodeError as exc:
        raise InputError(path, f"text holds U+{ord(text[exc.start]):04X}, which UTF-8 "
                         "cannot encode; not written") from None
    except _Gone:
        raise Changed(path, "changed while notes-kit was working on it; not written (run "
                      "again)") from None
    except OSError as exc:  # disk full, no permission, ...: nothing written
        raise InputError(path, f"cannot write: {_why(exc)}") from None


class _Gone(Exception):
    """The file is no longer what was read."""


def _write_and_rename(target: str, text: str, info: os.stat_result | None,
                      still_expected: Callable[[], bool]) -> None:
    fd, tmp = _new_temp(os.path.dirname(target), None if info is None
                        else stat.S_IMODE(info.st_mode))
    try:
        _write_all(fd, text)
        if not still_expected():
            raise _Gone
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise


def _write_in_place(target: str, text: str, still_expected: Callable[[], bool]) -> None:
    """Rewrite a hard-linked file through its own inode (a rename would give this name a new
    file and leave the other links with the old text). That cannot be atomic: a reader may
    see the file half written, and a crash can leave it so. The new text is therefore first
    written to a temporary file next to it, kept (and named in the error) until the copy is
    complete."""
    data = text.encode("utf-8")
    fd, tmp = _new_temp(os.path.dirname(target), 0o600)
    try:
        _write_all(fd, text)
    except BaseException:
        _unlink(tmp)
        raise
    if not still_expected():
        _unlink(tmp)
        raise _Gone
    try:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OSError(exc.errno, f"{exc.strerror}; the new text is in {tmp}") from None
    _unlink(tmp)


def _new_temp(folder: str, mode: int | None) -> tuple[int, str]:
    """A new file in `folder`: mode 0666 less the umask (the kernel applies it) unless a
    mode is given (an existing file's, kept)."""
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.path.join(folder, f".notes-kit-{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.fchmod(fd, mode)
            except BaseException:
                os.close(fd)
                _unlink(tmp)
                raise
        return fd, tmp


def _write_all(fd: int, text: str) -> None:
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
