"""Sealed cache files: a damaged entry is a miss, never a different answer.

Everything notes-kit keeps in its cache folder (lint results, the index of a file
set, the registries, the spelling dictionary, the parsed config, mistletoe's
punctuation set) is written as `MAGIC + checksum(label, payload) + payload` and
read back only when the checksum matches. The label names what the payload is
(the cache file's name, or its kind), so an entry copied under another name is a
miss too. A flipped byte, a hand edit (`NK503` -> `NK513`), a truncated or torn
write fails the check before the payload is decoded, and the caller computes the
value again and writes a good entry over the bad one.

The checksum is CRC-32 and Adler-32 of label and payload, and the payload's
length (16 bytes): CRC-32 alone catches every burst of up to 32 flipped bits and
every odd number of them; together they let random damage through about once in
2**64. zlib is part of every Python start, where hashlib's OpenSSL costs ~4 ms,
a twentieth of a one-page lint without the cache. It is a checksum, not a MAC:
whoever may write the cache folder may also run code as its owner, so a key kept
there would protect nothing.
"""

from __future__ import annotations

import struct
import zlib

MAGIC = b"NKseal2\n"
_DIGEST = struct.Struct(">IIQ")
HEADER = len(MAGIC) + _DIGEST.size


def checksum(label: str, payload: bytes | memoryview) -> bytes:
    """16 bytes that change when the label or any byte of the payload does."""
    head = label.encode("utf-8", "surrogatepass") + b"\0"
    crc = zlib.crc32(payload, zlib.crc32(head))
    adler = zlib.adler32(payload, zlib.adler32(head))
    return _DIGEST.pack(crc, adler, len(payload))


def seal(label: str, payload: bytes) -> bytes:
    """The bytes to write: header, then the payload unchanged."""
    return MAGIC + checksum(label, payload) + payload


def unseal(label: str, data: bytes) -> bytes | None:
    """The payload of sealed bytes, or None when they are not exactly what seal() wrote."""
    if len(data) < HEADER or not data.startswith(MAGIC):
        return None
    view = memoryview(data)[HEADER:]
    if checksum(label, view) != data[len(MAGIC) : HEADER]:
        return None
    return bytes(view)


def read_sealed(path: str, label: str) -> bytes | None:
    """unseal() of a file, without copying its payload once more; None when absent."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER)
            payload = handle.read()
    except OSError:
        return None
    if len(header) < HEADER or not header.startswith(MAGIC):
        return None
    return payload if checksum(label, payload) == header[len(MAGIC) :] else None
