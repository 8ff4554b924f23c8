"""The floor of a cached run: read and hash (sha256) every page of a folder, in one process.

    python benchmarks/read_hash.py FOLDER

A run whose results all come from the cache cannot do less than this: start Python,
find the files, read each and take its digest (to know it is unchanged). Walks as
notes-kit does (Markdown and YAML files, hidden folders skipped), without importing it.
"""

from __future__ import annotations

import hashlib
import os
import sys


def main() -> None:
    total = count = 0
    for folder, dirs, files in os.walk(sys.argv[1]):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".md", ".markdown", ".yaml", ".yml")):
                with open(os.path.join(folder, name), "rb") as handle:
                    data = handle.read()
                hashlib.sha256(data).hexdigest()
                total, count = total + len(data), count + 1
    print(count, "files,", total, "bytes")


if __name__ == "__main__":
    main()
