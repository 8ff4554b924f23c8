"""Spreading files over processes, with the result cache and the index in front.

The parent first answers what it can from the cache: the index of this set of
files (one read), else a file's own entry; it reads and hashes each file once
(a full hit never imports the parser). The rest is linted in process for small
inputs, or over a pool of worker processes: the parent lints the first file
itself, which imports the parser and loads the rules, registries and dictionary,
and on Linux the workers are forked from that warm state instead of importing it
all again. Each worker returns only a file's findings (and fixed text, or the
collection rules' compact facts): no syntax tree crosses a process boundary or
outlives its file. Results come back in the input order, one at a time, so the
caller drops each file's texts before the next, and each page's facts go to the
collection rules (collect.py) as they come: memory stays flat per file, whatever
the size of the collection.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager

from notes_kit.core.checked import digest_of
from notes_kit.core.findings import Finding, FixKind
from notes_kit.lint.config import Config
from notes_kit.run.cache import ResultCache, read_regular
from notes_kit.run.collect import Collection
from notes_kit.run.worker import FileOutcome, process_file

# A pool costs 0.1-0.15 s to start (fork, workers, pipes). Measured on 2 CPUs
# (benchmarks/README.md, section (e)): with the one-minute load average at 1.3 a pool
# of 2 took 0.53-0.93x the time of one process from 32 files / 150 kB up, and lost
# below that; with the load at 2.2-3.7 (the CPUs busy with other work) it lost or
# tied at every size. So --jobs 0 counts idle CPUs only (idle_cpus), and below these
# sizes every run stays in one process.
MIN_FILES = 32  # fewer files than this are not worth a process pool
MIN_BYTES = 256 * 1024  # nor less text than this (about a quarter second of linting)
MAX_CHUNK = 32
MAX_HELD = 32 * 1024 * 1024  # bytes read for the cache kept for the lint (not read twice)


class Job:
    """What every file of one run is processed with (a plain class: cheaper to import)."""

    __slots__ = ("config", "fix", "unsafe", "cache", "writes", "collect")

    def __init__(self, config: Config, fix: bool, unsafe: bool, cache: ResultCache | None,
                 writes: bool = True, collect: str = "") -> None:
        self.collect = collect  # extract the collection rules' facts while linting
        self.config = config
        self.fix = fix
        self.unsafe = unsafe
        self.cache = cache
        self.writes = writes  # False: nothing may be written to the cache directory


_JOB: Job | None = None  # the job of a worker process, set by _init


@contextmanager
def _cache_writes(allowed: bool) -> Iterator[None]:
    """Without the cache, the registries and the dictionary are not written either."""
    from notes_kit.core.store import allow_cache_writes

    previous = None if allowed else allow_cache_writes(False)
    try:
        yield
    finally:
        if previous is not None:
            allow_cache_writes(previous)


class LintRun:
    """One run over a set of files: the cache and the index in front, the pool behind,
    the collection rules (collect.py) fed as the outcomes come."""

    def __init__(self, files: list[str], config: Config, *, fix: bool, unsafe: bool,
                 jobs: int, use_cache: bool, collect: str = "") -> None:
        self.files, self.jobs, self.use_cache = files, jobs, use_cache
        with _cache_writes(use_cache):
            cache = ResultCache.open(config) if use_cache else None
            self.job = Job(config, fix, unsafe, cache, use_cache, collect)
            self.collection = (Collection(files, config, cache, collect == "collection")
                               if collect and files else None)

    def outcomes(self) -> Iterator[FileOutcome]:
        """One outcome per file, in order, one at a time, so the caller can write a fixed
        file and drop its texts before the next one: a fix run never holds the whole
        collection. `jobs`: 0 = one process per CPU, 1 = in process."""
        with _cache_writes(self.use_cache):
            outcomes, todo, size, kept = self._from_cache()
            done = _run([self.files[i] for i in todo], self.job,
                        plan_workers(self.jobs, len(todo), size), kept)
            try:
                for index, outcome in enumerate(outcomes):
                    outcomes[index] = None
                    if outcome is None:
                        outcome = next(done)
                        self._linted(outcome)
                    yield outcome
            finally:
                done.close()  # the pool's workers exit and are joined: none outlives the run

    def _linted(self, outcome: FileOutcome) -> None:
        """Hand a linted file's digest, findings and facts to the collection rules."""
        if self.collection is None:
            return
        kept = outcome.error is None and outcome.fixed is None
        self.collection.saw(outcome.path, None if outcome.fixed is not None else outcome.digest,
                            outcome.findings if kept else None)
        if outcome.facts_known:
            self.collection.take(outcome.path, outcome.facts, outcome.digest)
        outcome.facts = None  # the collection keeps them now (in a blob store, not here)

    def _from_cache(self) -> tuple[list[FileOutcome | None], list[int], int, dict[str, bytes]]:
        """Outcomes the cache answers, the indexes still to do, their total size, and the
        bytes already read of those (each file is read and hashed once per run)."""
        job, collection = self.job, self.collection
        outcomes: list[FileOutcome | None] = [None] * len(self.files)
        todo: list[int] = []
        kept: dict[str, bytes] = {}
        size = held = 0
        records = collection.records if collection is not None else {}
        if job.cache is not None:
            from hashlib import sha256  # (the cache's stamp imported it already)
        for index, path in enumerate(self.files):
            if job.cache is None or (path not in records and not job.cache.has_entry(path)):
                size += _size(path)  # nothing stored for it: the lint reads it
                todo.append(index)
                continue
            data = read_regular(path)
            if data is not None:
                hashed = sha256(data)
                digest = hashed.hexdigest()
                found = (collection.stored(path, digest, hashed.digest())
                         if collection is not None else None)
                from_entry = found is None
                if found is None:
                    found = job.cache.lookup(path, digest)
                if found is not None and answers(found, job.fix, job.unsafe):
                    outcomes[index] = FileOutcome(path, found, digest=digest)
                    if collection is not None and from_entry:
                        collection.saw(path, digest, found)
                    continue
                size += len(data)
                if held + len(data) <= MAX_HELD:
                    kept[path], held = data, held + len(data)
            todo.append(index)
        return outcomes, todo, size, kept

    def collection_findings(self) -> list[Finding]:
        """The collection rules over the files (once every outcome has been taken)."""
        if self.collection is None:
            return []
        with _cache_writes(self.use_cache):
            return self.collection.findings()


def iter_files(files: list[str], config: Config, *, fix: bool, unsafe: bool, jobs: int,
               use_cache: bool, collect: str = "") -> Iterator[FileOutcome]:
    """LintRun(...).outcomes(), for callers that want no collection rules."""
    yield from LintRun(files, config, fix=fix, unsafe=unsafe, jobs=jobs, use_cache=use_cache,
                       collect=collect).outcomes()


def answers(findings: list[Finding], fix: bool, unsafe: bool) -> bool:
    """Whether cached lint findings are also the outcome of this run.

    A fix run changes nothing when no finding has a fix it may apply, and then
    its findings are the lint findings.
    """
    if not fix:
        return True
    wanted = (FixKind.SAFE, FixKind.UNSAFE) if unsafe else (FixKind.SAFE,)
    return not any(f.fix in wanted for f in findings)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def idle_cpus() -> int:
    """The CPUs not busy with other work, by the one-minute load average (at least 1):
    this process takes one, each other half-idle CPU one more worker."""
    cpus = available_cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average here: every CPU counts
        return cpus
    return max(1, min(cpus, int(cpus - load + 1.5)))  # 2 CPUs: a pool up to load 1.5


def plan_workers(jobs: int, count: int, size: int) -> int:
    """Worker processes for `count` files of `size` bytes; 1 means in process. `jobs` 0:
    one per idle CPU (a pool competing for busy CPUs is slower than one process)."""
    wanted = jobs if jobs > 0 else idle_cpus()
    if wanted <= 1 or count < MIN_FILES or size < MIN_BYTES:
        return 1
    return min(wanted, count - 1)


def work(path: str, job: Job, data: bytes | None = None) -> FileOutcome:
    """Lint one file (`data`: its bytes, when already read); store a plain lint result (not
    a fix that changed the text)."""
    if data is None:
        data = read_regular(path)
    outcome = process_file(path, job.config, job.fix, job.unsafe, data, job.collect)
    if job.cache is not None and data is not None:
        outcome.digest = digest_of(data)
        if outcome.error is None and outcome.fixed is None:
            job.cache.store(path, outcome.digest, outcome.findings)
    return outcome


def _run(paths: list[str], job: Job, workers: int,
         kept: dict[str, bytes]) -> Generator[FileOutcome, None, None]:
    if workers <= 1:
        yield from (work(path, job, kept.pop(path, None)) for path in paths)
        return
    kept.clear()  # workers read their files themselves: bytes through a pipe cost more
    yield work(paths[0], job)  # warms this process up before it forks
    _warm_parser()
    yield from _pool_map(paths[1:], job, workers)


def _warm_parser() -> None:
    """Import the parser here once, so forked workers share it (the first file may be YAML)."""
    from notes_kit.format.markdown.loader import load

    try:
        load()
    except ImportError:  # pragma: no cover - mistletoe is a dependency
        pass


def _pool_map(paths: list[str], job: Job, workers: int) -> Generator[FileOutcome, None, None]:
    """The outcomes of `paths` from a pool of forked workers, in order.

    Closing this generator (at the end of a run, or when its consumer stops
    early) shuts the pool down and joins the workers: a worker left behind
    would keep the caller's stdout and stderr pipes open (pre-commit and
    `subprocess.run(capture_output=True)` wait for them to close).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job,))
    try:
        yield from pool.map(_work_in_worker, paths, chunksize=chunk)
    except GeneratorExit:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    except BaseException:  # an error or ^C: do not wait for the files being linted
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _init(job: Job) -> None:
    global _JOB
    _JOB = job
    if not job.writes:  # a spawned worker starts with the default
        from notes_kit.core.store import allow_cache_writes

        allow_cache_writes(False)


def _work_in_worker(path: str) -> FileOutcome:
    assert _JOB is not None, "worker used before _init"
    return work(path, _JOB)
