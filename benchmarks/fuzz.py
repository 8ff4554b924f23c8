"""Fuzzing notes-kit outside the test suite; prints what it ran and what it found.

    python benchmarks/fuzz.py mutate [--seeds 11 12 13 14 15] [--cases 1000]
    python benchmarks/fuzz.py atheris [--seconds 600]

`mutate` runs tests/fuzzing.py's seeded mutation fuzzer over the corpus pages (the test
suite runs 300 of its cases). `atheris` runs coverage-guided fuzzing (pip install
atheris) of the parser, the linter and fix on bytes seeded with the corpus pages: any
exception other than InputError, and any broken law, is a finding.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
CONFERENCES = ROOT.parent / "shared" / "corpus" / "awesome-papers" / "reading-notes" / \
    "conference"


def pages() -> list[tuple[str, str]]:
    from notes_kit.core.files import read_source

    found = [p for p in sorted(CONFERENCES.glob("*.md")) if p.name != "README.md"]
    found += sorted(CONFERENCES.glob("*/README.md"))
    return [(str(p), read_source(str(p))) for p in found]


def run_mutations(seeds: list[int], count: int) -> int:
    import fuzzing

    corpus = pages()
    failing = 0
    for seed in seeds:
        start, slowest = time.perf_counter(), 0.0
        for case in fuzzing.cases(corpus, seed, count):
            began = time.perf_counter()
            try:
                why = fuzzing.check(case.text, case.source)
            except Exception as exc:  # noqa: BLE001 - a crash is exactly what we look for
                why = f"crash: {type(exc).__name__}: {exc}"
            slowest = max(slowest, time.perf_counter() - began)
            if why:
                failing += 1
                print(f"  seed {case.seed} ({Path(case.source).name}): {why}")
        print(f"seed {seed}: {count} cases, slowest {slowest:.2f} s, "
              f"{time.perf_counter() - start:.0f} s")
    print(f"{failing} failing of {len(seeds) * count} cases")
    return 1 if failing else 0


def run_atheris(seconds: int) -> int:
    import atheris

    with atheris.instrument_imports():
        import fuzzing

        from notes_kit.core.files import read_source
        from notes_kit.core.findings import InputError
        from notes_kit.lint.engine import lint

    def one(data: bytes) -> None:
        try:
            text = read_source("fuzz.md", data)
            lint(text, "sosp-2024.md")
        except InputError:
            return
        why = fuzzing.check(text, "sosp-2024.md")
        if why:
            raise AssertionError(why)

    seeds = Path(ROOT / ".fuzz-seeds")
    seeds.mkdir(exist_ok=True)
    for index, (_, text) in enumerate(pages()):
        (seeds / f"{index:03d}.md").write_text(text, encoding="utf-8")
    atheris.Setup([sys.argv[0], str(seeds), f"-max_total_time={seconds}", "-max_len=65536",
                   "-timeout=20"], one)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("mutate", "atheris"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13, 14, 15])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=600)
    args = parser.parse_args()
    if not CONFERENCES.is_dir():
        print(f"corpus not found at {CONFERENCES}")
        return 2
    if args.kind == "mutate":
        return run_mutations(args.seeds, args.cases)
    return run_atheris(args.seconds)


if __name__ == "__main__":
    sys.exit(main())
