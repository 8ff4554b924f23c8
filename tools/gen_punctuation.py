"""Print the line of notes_kit/data/punctuation.txt for the Unicode database of this Python.

    python tools/gen_punctuation.py >> notes_kit/data/punctuation.txt   (once per Python)

The set is the one mistletoe.core_tokens computes at import: the ASCII punctuation
characters of CommonMark plus every code point whose category starts with "P".
This script imports neither notes_kit nor mistletoe, so any Python 3 can run it;
tests/test_mistletoe_loader.py checks the line of the running Python against the set
mistletoe itself computes.
"""

from __future__ import annotations

import sys
import unicodedata

ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def punctuation() -> set[str]:
    found = set(ASCII_PUNCTUATION)
    found.update(c for c in map(chr, range(sys.maxunicode + 1))
                 if unicodedata.category(c).startswith("P"))
    return found


def ranges(chars: set[str]) -> str:
    """Sorted code points as `21-23,25-2a,...` (hex; a lone point has no dash)."""
    points = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for point in points:
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in runs)


if __name__ == "__main__":
    chars = punctuation()
    print(f"{unicodedata.unidata_version} {len(chars)} {ranges(chars)}")
