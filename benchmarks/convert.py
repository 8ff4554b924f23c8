"""to-yaml of every conference page of a folder next to mdformat.text of the same pages, in one
process (issue 17's conversion target: at most 1.0x mdformat).

    python benchmarks/convert.py [--runs 7] FOLDER      (prints JSON)

Both read the same texts already in memory; each round times notes-kit's to_yaml (parse,
the model to data, the schema check, ruamel.yaml's emitter) over the pages, then
mdformat.text (markdown-it's parse and mdformat's render) over them, and the best round
of each is kept, in CPU time and in wall time. Pages that are not conference pages are
left out of both. With mdformat not installed, only to-yaml is timed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from notes_kit.core.files import read_source
    from notes_kit.core.findings import InputError
    from notes_kit.pages import parse_markdown, to_yaml

    pages = []
    for path in sorted(args.folder.rglob("*.md")):
        text = read_source(str(path))
        try:
            parse_markdown(text, str(path))
        except InputError:
            continue
        pages.append((str(path), text))
    steps: dict[str, Callable[[], object]] = {
        "to_yaml": lambda: [to_yaml(text, path) for path, text in pages]}
    try:
        import mdformat
    except ImportError:  # only to-yaml is timed
        pass
    else:
        steps["mdformat.text"] = lambda: [mdformat.text(text) for _, text in pages]
    best = {name: [float("inf"), float("inf")] for name in steps}
    for _ in range(args.runs + 1):  # the first round warms both up
        for name, step in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            times = best[name]
            times[0] = min(times[0], time.perf_counter() - wall)
            times[1] = min(times[1], time.process_time() - cpu)
    print(json.dumps({"pages": len(pages), **{k: {"wall": v[0], "cpu": v[1]}
                                              for k, v in best.items()}}))


if __name__ == "__main__":
    main()
