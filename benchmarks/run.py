"""Whole-process benchmarks of notes-kit on this machine; prints a Markdown table.

    python benchmarks/run.py [--quick] [--papers 10] [--sizes 10,100,1000x200] [--huge]
                             [--corpus DIR] [--only abcd]

(a) one page as pre-commit lints it, next to `python -c "import mistletoe"`;
(b) lint and sync (to-yaml of every page) of the real corpus next to mistletoe's
own parse time of the same files; (c) scaling over synthetic collections with
--jobs 1 and 2; (d) a cached second run of the largest collection next to
`python -c pass`. Every figure is the median of several runs (fewer for the big
ones); peak RSS is the largest single process of a run (os.wait4). In (a) and
(d) the commands take turns and "x floor" is the median of per-round ratios,
which holds steadier than the times when other processes share the machine.

Bytecode: notes-kit's own modules are compiled once into a private
PYTHONPYCACHEPREFIX, as an installed package has its .pyc files, even when
PYTHONDONTWRITEBYTECODE is set here; (a) is also shown without bytecode.
Results go to a private NOTES_KIT_CACHE_DIR whose registry and dictionary
caches are warmed first; "cold" means no cached lint results.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_collection import generate  # noqa: E402
from proc import Proc, Runner  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PAGE = REPO / "conferences" / "sosp-2024.md"
CORPUS = REPO.parent / "shared" / "corpus" / "awesome-papers" / "reading-notes" / "conference"


def section_a(run: Runner, rows: list[list[str]], runs: int) -> None:
    """One page as pre-commit lints it: without the result cache, with a miss (the page
    changed since the last run: lint, then store the result), and with a hit."""
    page = str(PAGE.relative_to(REPO))
    floor = [run.python, "-c", "import mistletoe"]
    cold = [*run.nk, "lint", "--no-cache", page]
    cached = [*run.nk, "lint", page]
    names = ("floor: import mistletoe", "lint one page, no cache", "lint one page, cache miss",
             "lint one page, cache hit")
    for label, bytecode in (("", True), (", no bytecode", False)):
        got = run.interleaved([floor, cold, cached, cached], runs, cwd=REPO, bytecode=bytecode,
                              before=[None, None, run.clear_results, None])
        for index, (name, cmd) in enumerate(zip(names, (floor, cold, cached, cached),
                                                strict=True)):
            rows.append([f"(a) {name}{label}", got.procs[index].fmt(), got.ratio(index),
                         run.show(cmd)])


def section_b(run: Runner, rows: list[list[str]], corpus: Path, runs: int) -> None:
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
    copy = run.tmp / "corpus" / "conference"  # sync writes a .yaml twin next to each page
    shutil.copytree(corpus, copy)
    sync = [*run.nk, "sync", str(copy)]
    run.once(sync)  # writes the twins; later runs convert every page and compare
    cmds = [[run.python, "-c", "import mistletoe"],
            *([*run.nk, "lint", "--no-cache", "--jobs", jobs, str(corpus)] for jobs in "12"),
            sync]
    got = run.interleaved(cmds, runs)
    start = got.procs[0]
    names = ["lint corpus, cold, --jobs 1", "lint corpus, cold, --jobs 2",
             "sync corpus (to-yaml of every conference page, twins present)"]
    for name, cmd, proc in zip(names, cmds[1:], got.procs[1:], strict=True):
        rows.append([f"(b) {name}", proc.fmt(), _beyond(proc, start, parse, cpu="2" not in cmd),
                     run.show(cmd)])
    lint, sync_proc = got.procs[1], got.procs[3]
    both = Proc(lint.wall + sync_proc.wall - start.wall, max(lint.rss_kb, sync_proc.rss_kb),
                lint.cpu + sync_proc.cpu - start.cpu)
    rows.append(["(b) lint + to-yaml of the corpus: the two rows above, one start-up counted",
                 both.fmt(), _beyond(both, start, parse), "(sum of the --jobs 1 and sync rows)"])


def _beyond(proc: Proc, start: Proc, parse: float, *, cpu: bool = True) -> str:
    """Our cost beyond mistletoe's import and its parse of the same files, in wall and CPU
    time (the parse is timed in one process, where wall and CPU time agree). With worker
    processes only wall time compares: their CPU time adds up."""
    wall, used = proc.wall - start.wall - parse, proc.cpu - start.cpu - parse
    text = f"beyond parse+start-up: {wall:.2f} s = {100 * wall / parse:.0f}% of parse"
    return f"{text} (CPU {used:.2f} s = {100 * used / parse:.0f}%)" if cpu else text


def section_c(run: Runner, rows: list[list[str]], sizes: Sequence[tuple[int, int]],
              runs: int, workdir: Path) -> Path:
    """Cold lint of synthetic collections (pages x papers per page) with --jobs 1 and 2, the
    per-file lint alone (its peak RSS is the floor: one file at a time), and a run after
    one page changed (the other pages' results and collection facts come from the cache).
    The peak RSS above the per-file floor is what the collection rules hold (plus, at
    small sizes, the modules the CLI imports that per_file.py does not)."""
    largest = workdir
    for pages, papers in sizes:
        made = generate(workdir / f"pages-{pages}x{papers}", pages, papers, seed=pages)
        run.warm(next(made.folder.glob("*.md")))
        largest = made.folder
        big = pages * papers
        reps = runs if big <= 100 else max(1, runs - 1) if big <= 1000 else 1
        floor_cmd = [run.python, str(HERE / "per_file.py"), str(made.folder)]
        floor = run.median(floor_cmd, reps)
        name = f"(c) {pages} pages, {made.papers} papers ({made.bytes / 1e3:.0f} kB)"
        for jobs in ("1", "2"):
            cmd = [*run.nk, "lint", "--jobs", jobs, str(made.folder)]
            proc = run.median(cmd, reps, before=run.clear_results)
            rows.append([f"{name}, cold, --jobs {jobs}", proc.fmt(),
                         f"{1000 * proc.wall / made.papers:.2f} ms/paper, peak RSS "
                         f"{(proc.rss_kb - floor.rss_kb) / 1024:+.0f} MB over per-file",
                         run.show(cmd)])
        rows.append([f"{name}: per-file lint only, no collection rules", floor.fmt(),
                     f"{1000 * floor.wall / made.papers:.2f} ms/paper", run.show(floor_cmd)])
        if pages > 10:
            changed = sorted(made.folder.glob("*.md"))[pages // 2]
            cmd = [*run.nk, "lint", "--jobs", "1", str(made.folder)]
            proc = run.median(cmd, reps, before=functools.partial(_touch, changed))
            rows.append([f"{name}, one page changed since the last run, --jobs 1", proc.fmt(),
                         f"{1000 * proc.wall / made.papers:.3f} ms/paper", run.show(cmd)])
    return largest


def _touch(page: Path) -> None:
    """Change a page (a note more), so its cached result and the collection entry miss."""
    with page.open("a", encoding="utf-8") as handle:
        handle.write("  * One more note.\n")


def sizes_of(text: str, papers: int) -> list[tuple[int, int]]:
    """`10,100,1000x200` -> [(10, papers), (100, papers), (1000, 200)]."""
    sizes = []
    for item in text.split(","):
        pages, _, per_page = item.partition("x")
        sizes.append((int(pages), int(per_page) if per_page else papers))
    return sizes


def section_d(run: Runner, rows: list[list[str]], folder: Path, runs: int) -> None:
    """The results of the last cold run of section (c) are in the cache."""
    floor = [run.python, "-c", "pass"]
    cmd = [*run.nk, "lint", str(folder)]
    got = run.interleaved([floor, cmd], runs, cwd=REPO, bytecode=True)
    rows.append(["(d) floor: python start-up", got.procs[0].fmt(), "1.00x", run.show(floor)])
    rows.append([f"(d) lint {folder.name}, all results cached", got.procs[1].fmt(),
                 f"{got.ratio(1)} (+{got.procs[1].wall - got.procs[0].wall:.2f} s)",
                 run.show(cmd)])


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
                        help="(c) also 1,000 pages x 200 papers (200,000: about 5 more minutes)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--quick", action="store_true", help="3 runs, sizes 10,100")
    parser.add_argument("--only", default="abcd", help="sections to run, e.g. 'a' or 'cd'")
    args = parser.parse_args(argv)
    sizes = sizes_of("10,100" if args.quick else args.sizes, args.papers)
    sizes += [(1000, 200)] if args.huge else []
    runs = 3 if args.quick else args.runs
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nk-bench-") as tmp:
        run = Runner(Path(tmp))
        rows: list[list[str]] = []
        print(run.describe(), file=sys.stderr)
        corpus = args.corpus if args.corpus.is_dir() else None
        if corpus is None and "b" in args.only:
            print(f"(b) skipped: no corpus at {args.corpus}", file=sys.stderr)
        largest: Path | None = None

        def done(name: str) -> None:
            print(f"({name}) done at {time.perf_counter() - started:.0f} s", file=sys.stderr)

        if "a" in args.only:
            section_a(run, rows, runs)
            done("a")
        if "b" in args.only and corpus is not None:
            section_b(run, rows, corpus, 3)
            done("b")
        if "c" in args.only:
            largest = section_c(run, rows, sizes, 3, Path(tmp) / "synthetic")
            done("c")
        if "d" in args.only and largest is not None:
            section_d(run, rows, largest, runs)
        print(table(rows))
        print(f"\n{run.describe()}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

