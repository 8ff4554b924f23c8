"""Sealed cache files: a damaged entry is a miss, never a different answer.

Everything notes-kit keeps in its cache folder (lint results, the index of a file
set, the registries, the spelling dictionary, the parsed config, mistletoe's
punctuation set) is written as `MAGIC + sha256(label, payload) + payload` and read
back only when the digest matches. The label names what the payload is (the cache
file's name, or its kind), so an entry copied under another name is a miss too.
A flipped byte, a hand edit (`NK503` -> `NK513`) or a torn write fails the check
before the payload is decoded, and the caller computes the value again and writes
a good entry over the bad one.

This is a checksum, not a MAC: whoever may write the cache folder may also run code
as its owner, so a key kept there would protect nothing.
"""

from __future__ import annotations

MAGIC = b"NKseal1\n"
_DIGEST = 32
HEADER = len(MAGIC) + _DIGEST


def _digest(label: str, payload: bytes | memoryview) -> bytes:
    import hashlib

    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(payload)
    return digest.digest()


def seal(label: str, payload: bytes) -> bytes:
    """The bytes to write: header, then the payload unchanged."""
    return MAGIC + _digest(label, payload) + payload


def unseal(label: str, data: bytes) -> bytes | None:
    """The payload of sealed bytes, or None when they are not exactly what seal() wrote."""
    if len(data) < HEADER or not data.startswith(MAGIC):
        return None
    view = memoryview(data)[HEADER:]
    if _digest(label, view) != data[len(MAGIC) : HEADER]:
        return None
    return bytes(view)


def checksum(label: str, payload: bytes | memoryview) -> bytes:
    """The digest alone, for payloads stored apart from their header (index blobs)."""
    return _digest(label, payload)
