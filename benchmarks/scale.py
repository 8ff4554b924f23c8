"""Sections (c), (d) and (e) of run.py, and the targets table.

(c) cold lint of synthetic collections with --jobs 1 and 2, the per-file lint alone
(its peak RSS is the floor: one file at a time), and a run after one page changed;
the peak RSS above that floor, per paper, is what the collection rules hold.
(d) the largest collection: reading and hashing its files (the floor of any cached
run), the run with every result cached, and the run after one page changed.
(e) the process pool forced on (--jobs 2) against linting in process (--jobs 1),
without the cache, by input size: where the pool starts to pay.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

from gen_collection import Collection, generate
from proc import Rounds, Runner

HERE = Path(__file__).resolve().parent
FLOORS: dict[str, int] = {}  # collection folder -> peak RSS (kB) of its per-file lint
FORCED_POOL = ("import sys\nfrom notes_kit.run import parallel\n"
               "from notes_kit.__main__ import main\n"
               "parallel.MIN_BYTES, parallel.MIN_FILES = 0, 2\nsys.argv[0] = 'notes-kit'\n"
               "main()\n")


class Targets:
    """Each target of issue 17 beside its figure, as measured in this run."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, bool | None]] = []

    def add(self, name: str, rounds: Rounds, index: int, floor: int, limit: float) -> None:
        wall, cpu = rounds.between(index, floor)
        self.ratio(name, wall, cpu, limit)

    def ratio(self, name: str, wall: float, cpu: float, limit: float) -> None:
        self.rows.append((name, f"{wall:.2f}x (CPU {cpu:.2f}x)", wall <= limit))

    def note(self, name: str, figure: str, met: bool | None) -> None:
        self.rows.append((name, figure, met))

    def table(self) -> str:
        lines = ["| target | measured | met |", "|---|---|---|"]
        for name, figure, met in self.rows:
            verdict = "yes" if met else "n/a" if met is None else "**no**"
            lines.append(f"| {name} | {figure} | {verdict} |")
        return "\n".join(lines)


def sizes_of(text: str, papers: int) -> list[tuple[int, int]]:
    """`10,100,1000x200` -> [(10, papers), (100, papers), (1000, 200)]."""
    sizes = []
    for item in text.split(","):
        pages, _, per_page = item.partition("x")
        sizes.append((int(pages), int(per_page) if per_page else papers))
    return sizes


def _touch(page: Path) -> None:
    """Change a page (a note more), so its cached result and its facts miss."""
    with page.open("a", encoding="utf-8") as handle:
        handle.write("  * One more note.\n")


def section_c(run: Runner, rows: list[list[str]], targets: Targets,
              sizes: Sequence[tuple[int, int]], workdir: Path, *, cold: bool = True
              ) -> Collection | None:
    """Returns the largest collection (gen_collection.Collection), its results cached."""
    largest, per_paper, memory = None, [], []
    for pages, papers in sizes:
        made = generate(workdir / f"pages-{pages}x{papers}", pages, papers, seed=pages)
        run.warm(next(made.folder.glob("*.md")))
        largest = made
        if not cold:
            run.once([*run.nk, "lint", "--jobs", "2", str(made.folder)])
            continue
        times, extra = _cold(run, rows, made, 3 if made.papers <= 1000 else 1)
        per_paper.append(times)
        memory.append((made.papers, extra))
    if len(per_paper) >= 2:  # CPU time: the work; a run of minutes on a shared machine
        wall, cpu = (per_paper[-1][i] / per_paper[-2][i] for i in (0, 1))  # waits a lot
        targets.note(f"cold time stays linear: CPU time per paper at {sizes[-1][0]} pages "
                     f"over {sizes[-2][0]} pages <= 1.2", f"{cpu:.2f} (wall {wall:.2f})",
                     cpu <= 1.2)
    if memory:
        papers, extra = memory[-1]
        per = extra / papers
        targets.note(f"collection-rule memory <= 0.3 KiB/paper (cold --jobs 1, {papers} "
                     "papers: peak RSS over the per-file lint's)", f"{per:.2f} KiB", per <= 0.3)
    if len(memory) >= 2:
        (small, low), (big, high) = memory[-2], memory[-1]
        targets.note(f"the same, grown per paper from {small} to {big} papers",
                     f"{(high - low) / (big - small):.2f} KiB", None)
    return largest


def _cold(run: Runner, rows: list[list[str]], made: Collection,
          reps: int) -> tuple[tuple[float, float], float]:
    """((wall, CPU) seconds per paper of the cold --jobs 1 lint, KiB its peak RSS is over
    the per-file lint's)."""
    floor_cmd = [run.python, str(HERE / "per_file.py"), str(made.folder)]
    floor = run.median(floor_cmd, reps)
    FLOORS[str(made.folder)] = floor.rss_kb
    name = f"(c) {made.pages} pages, {made.papers} papers ({made.bytes / 1e3:.0f} kB)"
    times, extra = (0.0, 0.0), 0.0
    for jobs in ("2", "1"):  # --jobs 1 last: its results stay in the cache for (d)
        cmd = [*run.nk, "lint", "--jobs", jobs, str(made.folder)]
        proc = run.median(cmd, reps, before=run.clear_results)
        over = proc.rss_kb - floor.rss_kb
        rows.append([f"{name}, cold, --jobs {jobs}", proc.fmt(),
                     f"{1000 * proc.wall / made.papers:.2f} ms/paper, peak RSS "
                     f"{over / 1024:+.0f} MB = {over / made.papers:+.2f} KiB/paper over "
                     "per-file", run.show(cmd)])
        times, extra = (proc.wall / made.papers, proc.cpu / made.papers), over
    rows.append([f"{name}: per-file lint only, no collection rules", floor.fmt(),
                 f"{1000 * floor.wall / made.papers:.2f} ms/paper", run.show(floor_cmd)])
    return times, extra


def section_d(run: Runner, rows: list[list[str]], targets: Targets, made: Collection,
              runs: int) -> None:
    """The results of the last cold run of section (c) are in the cache."""
    folder, papers = made.folder, made.papers
    pages = sorted(folder.glob("*.md"))
    floor = [run.python, str(HERE / "read_hash.py"), str(folder)]
    cached = [*run.nk, "lint", str(folder)]
    changed = pages[len(pages) // 2]
    got = run.interleaved([floor, cached, cached], runs, cwd=run.tmp,
                          before=[None, None, functools.partial(_touch, changed)])
    names = [f"(d) floor: read and hash the {len(pages)} pages",
             f"(d) lint {folder.name}, all results cached",
             f"(d) lint {folder.name}, one page changed since the last run"]
    for index, name in enumerate(names):
        wall, cpu = got.between(index, 0)
        rows.append([name, got.procs[index].fmt(), f"{wall:.2f}x floor (CPU {cpu:.2f}x)",
                     run.show([floor, cached, cached][index])])
    wall, cpu = got.between(2, 1)
    rows.append([f"(d) {folder.name}: one page changed over all cached", "",
                 f"{wall:.2f}x (CPU {cpu:.2f}x)", "(the two rows above, per round)"])
    targets.add(f"all cached <= 2x the read-and-hash floor ({len(pages)} pages)", got, 1, 0,
                2.0)
    targets.add(f"one page changed <= 2x all cached ({len(pages)} pages)", got, 2, 1, 2.0)
    floor_rss = FLOORS.get(str(folder))
    if floor_rss is not None:
        extra = (got.procs[2].rss_kb - floor_rss) / papers
        targets.note(f"collection-rule memory <= 0.3 KiB/paper (one page changed, "
                     f"{papers} papers)", f"{extra:.2f} KiB", extra <= 0.3)


def section_e(run: Runner, rows: list[list[str]], targets: Targets, corpus: Path | None,
              workdir: Path, runs: int) -> None:
    """The pool forced on (--jobs 2) against in process (--jobs 1), no cache, by size."""
    folders = [generate(workdir / f"pages-{n}", n, 10, seed=n).folder
               for n in (8, 16, 32, 64, 128, 256, 512)]
    if corpus is not None:
        folders.append(corpus)
    for folder in folders:
        size = sum(p.stat().st_size for p in folder.rglob("*.md"))
        count = sum(1 for _ in folder.rglob("*.md"))
        one = [*run.nk, "lint", "--no-cache", "--jobs", "1", str(folder)]
        two = [run.python, "-c", FORCED_POOL, "lint", "--no-cache", "--jobs", "2", str(folder)]
        load = os.getloadavg()[0]
        got = run.interleaved([one, two], runs, cwd=run.tmp)
        wall, cpu = got.between(1, 0)
        rows.append([f"(e) {count} files, {size / 1e3:.0f} kB: pool of 2 over in process "
                     f"(load {load:.1f})", f"{got.procs[0].wall:.3f} s vs "
                     f"{got.procs[1].wall:.3f} s", f"{wall:.2f}x (CPU {cpu:.2f}x)",
                     run.show([run.python, "-c", "FORCED_POOL", *two[3:]])])
    targets.note("pool size and threshold chosen from measurements", "see the (e) rows and "
                 "benchmarks/README.md", None)
