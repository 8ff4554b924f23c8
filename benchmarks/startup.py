"""Start-up of a one-file lint, for two source trees side by side (e.g. before and after a
change): the median wall time of `python -X importtime -m notes_kit lint PAGE` with a warm
cache, the import time it reports, and the modules one imports that the other does not.

    python benchmarks/startup.py /tmp/base-checkout .      # runs: 9 each, taking turns
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def once(tree: Path, page: Path, cache: str) -> tuple[float, int, set[str]]:
    env = {**os.environ, "NOTES_KIT_CACHE_DIR": cache, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "notes_kit", "lint",
                           str(page)], cwd=tree, env=env, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - started
    total, modules = 0, set()
    for match in map(LINE.match, done.stderr.splitlines()):
        if match:
            total += int(match.group(1))
            modules.add(match.group(4))
    return wall, total, modules


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs=2, type=Path, help="before and after")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    caches = [tempfile.mkdtemp() for _ in args.trees]
    pages = [tree.resolve() / "conferences" / "sosp-2024.md" for tree in args.trees]
    for tree, page, cache in zip(args.trees, pages, caches, strict=True):
        once(tree.resolve(), page, cache)  # fill the cache (registries, dictionary, result)
    walls: list[list[float]] = [[], []]
    imports: list[list[int]] = [[], []]
    modules: list[set[str]] = [set(), set()]
    for _ in range(args.runs):
        for index, tree in enumerate(args.trees):
            wall, total, found = once(tree.resolve(), pages[index], caches[index])
            walls[index].append(wall)
            imports[index].append(total)
            modules[index] = found
    print("| tree | wall (median) | import time (median, -X importtime) | modules |")
    print("|---|---|---|---|")
    for index, tree in enumerate(args.trees):
        print(f"| {tree} | {statistics.median(walls[index]) * 1000:.0f} ms | "
              f"{statistics.median(imports[index]) / 1000:.0f} ms | {len(modules[index])} |")
    print(f"\nonly in {args.trees[0]}: {sorted(modules[0] - modules[1])}")
    print(f"only in {args.trees[1]}: {sorted(modules[1] - modules[0])}")


if __name__ == "__main__":
    main()
