"""Content digests, and exact-type checks for data read back from a cache (marshal and
JSON give plain lists, tuples, strings and integers; anything else is damage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import hashlib

_T = TypeVar("_T")


def sha256(data: bytes = b"") -> hashlib._Hash:
    """hashlib costs ~4 ms to import (OpenSSL): only runs that use it pay it."""
    if not _HASHLIB:  # later calls skip the import statement (called once per page)
        import hashlib

        _HASHLIB.append(hashlib.sha256)
    result: hashlib._Hash = _HASHLIB[0](data)
    return result


_HASHLIB: list[Any] = []


def digest_of(data: bytes) -> str:
    return sha256(data).hexdigest()


def of(kind: type[_T], value: Any) -> _T:
    """`value` when it is exactly of this type (marshal gives no subclasses); else TypeError."""
    if type(value) is not kind:
        raise TypeError(f"not a {kind.__name__}")
    result: _T = value
    return result


def sequence(values: Any) -> list[Any] | tuple[Any, ...]:
    if type(values) is not list and type(values) is not tuple:
        raise TypeError("not a sequence")
    result: list[Any] | tuple[Any, ...] = values
    return result


def strs(values: Any) -> tuple[str, ...]:
    """A tuple of strings from a list or tuple of exactly strings; else TypeError."""
    for value in sequence(values):  # a loop, not all(...): decode() calls this a lot
        if type(value) is not str:
            raise TypeError("not a list of strings")
    return values if type(values) is tuple else tuple(values)


def ints(values: Any) -> list[int]:
    if not all(type(v) is int for v in sequence(values)):
        raise TypeError("not a list of integers")
    return list(values)
