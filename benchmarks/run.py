"""Whole-process benchmarks of notes-kit on this machine; prints a Markdown table and the targets.

    python benchmarks/run.py [--quick] [--papers 10] [--sizes 10,100,1000] [--huge]
                             [--corpus DIR] [--only abcde] [--runs 7]

(a) one page as pre-commit lints it, next to `python -c pass`, `python -c "import
mistletoe"` and the peers mdformat, codespell and pymarkdown (each skipped, and said so,
when not installed); (b) the real corpus: where lint time goes, to-yaml next to
mdformat.text, lint with --jobs 1 and 2, sync with stale and with fresh twins;
(c) scaling over synthetic collections, and the memory the collection rules add;
(d) the largest collection cached and with one page changed, next to reading and
hashing its files; (e) the process pool against linting in process, by input size.
Then every target of issue 17 beside its figure, met or not.

Every row is a separate process. Commands measured together take turns, round by
round, and a ratio is the median of the per-round ratios (steadier than a ratio of
medians on a shared machine); peak RSS is the largest single process of a run.

Bytecode: notes-kit's own modules are compiled once into a private
PYTHONPYCACHEPREFIX, as an installed package has its .pyc files, even when
PYTHONDONTWRITEBYTECODE is set here; (a) is also shown without bytecode.
Results go to a private NOTES_KIT_CACHE_DIR whose registry and dictionary
caches are warmed first; "cold" means no cached lint results.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proc import Proc, Runner  # noqa: E402
from scale import Targets, section_c, section_d, section_e, sizes_of  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PAGE = REPO / "conferences" / "sosp-2024.md"
CORPUS = next((p / "reading-notes" / "conference" for p in (
    REPO.parent / "shared" / "corpus" / "awesome-papers",
    REPO.parents[1] / "shared" / "corpus" / "awesome-papers") if p.is_dir()),
    REPO.parent / "shared" / "corpus" / "awesome-papers" / "reading-notes" / "conference")
PEERS = {"mdformat": ["--check"], "codespell": [], "pymarkdown": ["scan"]}


def section_a(run: Runner, rows: list[list[str]], targets: Targets, runs: int) -> None:
    """One page as pre-commit lints it: without the result cache, with a miss (the page
    changed since the last run: lint, then store the result), with a hit; next to the
    floors and the peers run on the same file, all taking turns."""
    page = str(PAGE.relative_to(REPO))
    cmds = {"floor: python -c pass": [run.python, "-c", "pass"],
            "floor: import mistletoe": [run.python, "-c", "import mistletoe"],
            "lint one page, no cache": [*run.nk, "lint", "--no-cache", page],
            "lint one page, cache miss": [*run.nk, "lint", page],
            "lint one page, cache hit": [*run.nk, "lint", page]}
    for name, options in PEERS.items():
        found = run.peer(name)
        if found is None:
            print(f"(a) peer {name}: skipped, not installed", file=sys.stderr)
        else:
            cmds[f"peer: {name} {' '.join(options)}".rstrip()] = [found, *options, page]
    names = list(cmds)
    before = [run.clear_results if n.endswith("cache miss") else None for n in names]
    lenient = [n.startswith("peer") for n in names]
    for label, bytecode in (("", True), (", no bytecode", False)):
        picked = names if bytecode else names[:5]
        got = run.interleaved([cmds[n] for n in picked], runs, cwd=REPO, bytecode=bytecode,
                              before=before[: len(picked)], any_exit=lenient[: len(picked)])
        for index, name in enumerate(picked):
            wall, cpu = got.between(index, 1)
            rows.append([f"(a) {name}{label}", got.procs[index].fmt(),
                         f"{wall:.2f}x import mistletoe (CPU {cpu:.2f}x)", run.show(cmds[name])])
        cold = names.index("lint one page, no cache")
        if not bytecode:  # a source checkout compiles every module on every start: no target
            continue
        targets.add("cold one-page lint <= 0.5x `import mistletoe`", got, cold, 1, 0.5)
        targets.add("cache hit <= 3x `python -c pass`", got, names.index(
            "lint one page, cache hit"), 0, 3.0)
        for index, name in enumerate(picked):
            if name.startswith("peer") and ("mdformat" in name or "codespell" in name):
                targets.add(f"cold one-page lint below `{name[6:]}`", got, cold, index, 1.0)


def section_b(run: Runner, rows: list[list[str]], targets: Targets, corpus: Path,
              runs: int) -> None:
    pages = sorted(corpus.rglob("*.md"))
    run.warm(corpus)  # --no-cache never writes the registry caches: fill them for this config
    stages = run.json([run.python, str(HERE / "breakdown.py"), "--runs", "5", str(corpus)])
    parse = stages["mistletoe parse"]
    show = run.show([run.python, str(HERE / "breakdown.py"), str(corpus)])
    rows.append([f"(b) floor: mistletoe.Document on {len(pages)} files (in process, best of 5)",
                 f"{parse:.2f} s", "1.00x", show])
    for name, seconds in list(stages.items())[1:]:
        rows.append([f"(b) in process: {name}", f"{seconds:.2f} s",
                     f"{100 * seconds / parse:.0f}% of parse", show])
    _conversion(run, rows, targets, corpus)
    copy = run.tmp / "corpus" / "conference"  # sync writes a .yaml twin next to each page
    shutil.copytree(corpus, copy)
    run.once([*run.nk, "sync", str(copy)])  # writes the twins
    stale = [*run.nk, "sync", str(copy)]
    cmds = [[run.python, "-c", "import mistletoe"],
            *([*run.nk, "lint", "--no-cache", "--jobs", jobs, str(corpus)] for jobs in "12"),
            stale, [*run.nk, "sync", "--check", str(copy)]]
    got = run.interleaved(cmds, runs, before=[None, None, None, run.forget_sync, None])
    names = ["lint corpus, cold, --jobs 1", "lint corpus, cold, --jobs 2",
             "sync corpus, every twin converted and compared (nothing remembered)",
             "sync --check corpus, unchanged since the last sync"]
    for index, (name, cmd) in enumerate(zip(names, cmds[1:], strict=True), 1):
        wall, cpu = got.between(index, 0)
        compared = (_beyond(got.procs[index], got.procs[0], parse) if index < 3 else
                    f"{wall:.2f}x import mistletoe (CPU {cpu:.2f}x)")
        rows.append([f"(b) {name}", got.procs[index].fmt(), compared, run.show(cmd)])
    wall, cpu = got.between(2, 1)
    rows.append(["(b) lint corpus: --jobs 2 over --jobs 1", "", f"{wall:.2f}x (CPU {cpu:.2f}x)",
                 "(the two rows above, per round)"])
    parsed = run.probe_sync(copy)
    targets.note("sync of an unchanged collection parses nothing",
                 "mistletoe imported: " + ("yes" if parsed else "no"), not parsed)


def _conversion(run: Runner, rows: list[list[str]], targets: Targets, corpus: Path) -> None:
    found = run.json([run.python, str(HERE / "convert.py"), "--runs", "7", str(corpus)])
    show = run.show([run.python, str(HERE / "convert.py"), str(corpus)])
    ours = found["to_yaml"]
    theirs = found.get("mdformat.text")
    for name, times in (("to-yaml", ours), ("mdformat.text", theirs)):
        if times is not None:
            rows.append([f"(b) in process: {name} of the {found['pages']} conference pages "
                         "(best of 7)", f"{times['wall']:.3f} s (CPU {times['cpu']:.3f} s)",
                         "", show])
    if theirs is None:
        print("(b) peer mdformat: skipped, not installed", file=sys.stderr)
        return
    targets.ratio("to-yaml of the conference pages <= 1.0x `mdformat.text`",
                  ours["wall"] / theirs["wall"], ours["cpu"] / theirs["cpu"], 1.0)


def _beyond(proc: Proc, start: Proc, parse: float) -> str:
    """Our cost beyond mistletoe's import and its parse of the same files (wall time)."""
    wall = proc.wall - start.wall - parse
    return f"beyond parse+start-up: {wall:.2f} s = {100 * wall / parse:.0f}% of parse"


def table(rows: list[list[str]]) -> str:
    head = ["figure", "wall (median), peak RSS", "compared", "command"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per small figure")
    parser.add_argument("--papers", type=int, default=10, help="papers per synthetic page")
    parser.add_argument("--sizes", default="10,100,1000",
                        help="synthetic collection sizes: pages, or pages x papers per page")
    parser.add_argument("--huge", action="store_true",
                        help="(c, d) also 20,000 pages x 10 papers (about 15 more minutes)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--quick", action="store_true", help="3 runs, sizes 10,100")
    parser.add_argument("--only", default="abcde", help="sections to run, e.g. 'a' or 'cd'")
    args = parser.parse_args(argv)
    sizes = sizes_of("10,100" if args.quick else args.sizes, args.papers)
    sizes += [(20000, 10)] if args.huge else []
    runs = 3 if args.quick else args.runs
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nk-bench-") as tmp:
        run = Runner(Path(tmp))
        rows: list[list[str]] = []
        targets = Targets()
        print(run.describe(), file=sys.stderr)
        corpus = args.corpus if args.corpus.is_dir() else None
        if corpus is None and "b" in args.only:
            print(f"(b) skipped: no corpus at {args.corpus}", file=sys.stderr)
        largest = None

        def done(name: str) -> None:
            print(f"({name}) done at {time.perf_counter() - started:.0f} s; "
                  f"{run.describe().split('; ')[0]}", file=sys.stderr)

        if "a" in args.only:
            section_a(run, rows, targets, runs)
            done("a")
        if "b" in args.only and corpus is not None:
            section_b(run, rows, targets, corpus, 3)
            done("b")
        if "c" in args.only or "d" in args.only:
            largest = section_c(run, rows, targets, sizes, Path(tmp) / "synthetic",
                                cold="c" in args.only)
            done("c")
        if "d" in args.only and largest is not None:
            section_d(run, rows, targets, largest, max(3, runs - 2))
            done("d")
        if "e" in args.only:
            section_e(run, rows, targets, corpus, Path(tmp) / "pool", 3)
            done("e")
        print(table(rows))
        print()
        print(targets.table())
        print(f"\n{run.describe()}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
