"""Per-file lint only (no collection rules), as a whole process: shows memory per file.

    python benchmarks/per_file.py FOLDER [--jobs 1]
"""

from __future__ import annotations

import argparse

from notes_kit.config import Config
from notes_kit.discover import expand
from notes_kit.parallel import map_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    outcomes = map_files(expand([args.folder]), Config(), fix=False, unsafe=False,
                         jobs=args.jobs, use_cache=False)
    print(sum(len(o.findings) for o in outcomes), "findings in", len(outcomes), "files")


if __name__ == "__main__":
    main()
