"""Per-file lint only (no collection rules), as a whole process: shows memory per file.

    python benchmarks/per_file.py FOLDER [--jobs 1]

Outcomes are counted as they come and dropped, so the peak RSS is that of linting
one file (plus the process), the floor the whole lint's memory is compared with.
"""

from __future__ import annotations

import argparse

from notes_kit.lint.config import Config
from notes_kit.run.discover import expand
from notes_kit.run.parallel import iter_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    files = findings = 0
    for outcome in iter_files(expand([args.folder]), Config(), fix=False, unsafe=False,
                              jobs=args.jobs, use_cache=False):
        files, findings = files + 1, findings + len(outcome.findings)
    print(findings, "findings in", files, "files")


if __name__ == "__main__":
    main()
