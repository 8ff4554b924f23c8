"""Spreading files over processes, with the result cache in front.

The parent first answers what it can from the cache (reading and hashing
bytes only: a full hit never imports the parser). The rest is linted in
process for small inputs, or over a pool of worker processes: the parent
lints the first file itself, which imports the parser and loads the rules,
registries and dictionary, and on Linux the workers are forked from that warm
state instead of importing it all again. Each worker returns only a file's
findings (and fixed text): no syntax tree crosses a process boundary or
outlives its file. Results come back in the input order.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from notes_kit.cache import ResultCache, digest_of, file_digest, read_regular
from notes_kit.config import Config
from notes_kit.findings import Finding, FixKind
from notes_kit.runner import FileOutcome, process_file

MIN_FILES = 4  # fewer files than this are not worth a process pool
MIN_BYTES = 64 * 1024  # nor less text than this (a few tenths of a second of linting)
MAX_CHUNK = 32


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
    from notes_kit.registries import allow_cache_writes

    previous = None if allowed else allow_cache_writes(False)
    try:
        yield
    finally:
        if previous is not None:
            allow_cache_writes(previous)


def map_files(files: list[str], config: Config, *, fix: bool, unsafe: bool, jobs: int,
              use_cache: bool, collect: str = "") -> list[FileOutcome]:
    """One outcome per file, in order. `jobs`: 0 = one process per CPU, 1 = in process."""
    with _cache_writes(use_cache):
        job = Job(config, fix, unsafe, ResultCache.open(config) if use_cache else None,
                  use_cache, collect)
        outcomes, todo, size = _from_cache(files, job)
        if todo:
            workers = plan_workers(jobs, len(todo), size)
            done = _run([files[i] for i in todo], job, workers)
            for index, outcome in zip(todo, done, strict=True):
                outcomes[index] = outcome
    return [o for o in outcomes if o is not None]


def _from_cache(files: list[str], job: Job) -> tuple[list[FileOutcome | None], list[int], int]:
    """Outcomes answered by the cache, the indexes still to do, and their total size."""
    outcomes: list[FileOutcome | None] = [None] * len(files)
    todo: list[int] = []
    size = 0
    for index, path in enumerate(files):
        if job.cache is None:
            size += _size(path)
        else:
            data = read_regular(path)
            if data is not None:
                digest = digest_of(data)
                found = job.cache.lookup(path, digest)
                if found is not None and answers(found, job.fix, job.unsafe):
                    outcomes[index] = FileOutcome(path, found, digest=digest)
                    continue
                size += len(data)
        todo.append(index)
    return outcomes, todo, size


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


def plan_workers(jobs: int, count: int, size: int) -> int:
    """Worker processes for `count` files of `size` bytes; 1 means in process."""
    wanted = jobs if jobs > 0 else available_cpus()
    if wanted <= 1 or count < MIN_FILES or size < MIN_BYTES:
        return 1
    return min(wanted, count - 1)


def work(path: str, job: Job) -> FileOutcome:
    """Lint one file; store a plain lint result (not a fix that changed the text)."""
    data = read_regular(path)
    outcome = process_file(path, job.config, job.fix, job.unsafe, data, job.collect)
    if job.cache is not None and data is not None:
        outcome.digest = digest_of(data)
        if outcome.error is None and outcome.fixed is None:
            job.cache.store(path, outcome.digest, outcome.findings)
    return outcome


def _run(paths: list[str], job: Job, workers: int) -> list[FileOutcome]:
    if workers <= 1:
        return [work(path, job) for path in paths]
    first = work(paths[0], job)  # warms this process up before it forks
    _warm_parser()
    return [first, *_pool_map(paths[1:], job, workers)]


def _warm_parser() -> None:
    """Import the parser here once, so forked workers share it (the first file may be YAML)."""
    from importlib import import_module

    try:
        import_module("mistletoe.markdown_renderer")
    except ImportError:  # pragma: no cover - mistletoe is a dependency
        pass


def _pool_map(paths: list[str], job: Job, workers: int) -> list[FileOutcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job,))
    try:
        results = list(pool.map(_work_in_worker, paths, chunksize=chunk))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _init(job: Job) -> None:
    global _JOB
    _JOB = job
    if not job.writes:  # a spawned worker starts with the default
        from notes_kit.registries import allow_cache_writes

        allow_cache_writes(False)


def _work_in_worker(path: str) -> FileOutcome:
    assert _JOB is not None, "worker used before _init"
    return work(path, _JOB)


# -- collection rules ---------------------------------------------------------------------


def collection_inputs(files: Sequence[str], outcomes: Sequence[FileOutcome]) -> dict[str, str]:
    """What the collection rules read, path -> digest: the Markdown pages and their .yaml twins.

    Digests the lint already took are reused. Keep this in step with
    rules.collection: a file it reads that is missing here would go stale.
    """
    known = {o.path: o.digest for o in outcomes if o.digest}
    inputs: dict[str, str] = {}
    for path in sorted(set(files)):
        if path.endswith((".md", ".markdown")):
            inputs[path] = known.get(path) or file_digest(path)
            twin = os.path.splitext(path)[0] + ".yaml"
            inputs.setdefault(twin, known.get(twin) or file_digest(twin))
    return inputs


def collection_findings(files: list[str], config: Config, outcomes: Sequence[FileOutcome], *,
                        use_cache: bool, twins: bool = True) -> list[Finding]:
    """The collection rules over `files`; from the cache when none of their inputs changed.

    Pages answered by the result cache have no facts, so without this a cached
    run would still import the parser and parse the whole collection.
    """
    def inputs_of(done: Sequence[FileOutcome]) -> dict[str, str]:
        found = collection_inputs(files, done)
        found["<twins>"] = "checked" if twins else "not checked"
        return found

    with _cache_writes(use_cache):
        cache = ResultCache.open(config) if use_cache else None
        inputs = inputs_of(outcomes) if cache is not None else {}
        found = cache.lookup_collection(inputs) if cache is not None else None
        if found is not None:
            return found
        from notes_kit.rules.collection import collection_findings as compute

        known = {o.path: o.facts for o in outcomes if o.facts_known}
        findings = compute(files, config, known, twins=twins)
        if cache is not None and inputs_of(()) == inputs:
            cache.store_collection(inputs, findings)  # unless a file changed meanwhile
        return findings
