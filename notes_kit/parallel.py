"""Spreading files over processes, with the result cache in front.

The parent first answers what it can from the cache (reading and hashing
bytes only: a full hit never imports the parser). The rest is linted in
process for small inputs, or over a pool of worker processes: the parent
lints the first file itself, which imports the parser and loads the rules,
registries and dictionary, and on Linux the workers are forked from that warm
state instead of importing it all again. Each worker returns only a file's
findings (and fixed text, or the collection rules' compact facts): no syntax
tree crosses a process boundary or outlives its file. Results come back in the
input order, one at a time (iter_files), so the caller drops each file's texts
before the next: memory stays flat per file, whatever the size of the collection.
The collection rules' facts are kept in the cache too, beside the collection's
findings, so after one page changed the other pages are not parsed again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from notes_kit.cache import (
    ResultCache,
    digest_of,
    facts_from_json,
    facts_to_json,
    file_digest,
    read_regular,
)
from notes_kit.config import Config
from notes_kit.findings import Finding, FixKind
from notes_kit.runner import FileOutcome, process_file

if TYPE_CHECKING:
    from notes_kit.rules.facts import PageFacts

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


def iter_files(files: list[str], config: Config, *, fix: bool, unsafe: bool, jobs: int,
               use_cache: bool, collect: str = "") -> Iterator[FileOutcome]:
    """One outcome per file, in order, one at a time, so the caller can write a fixed file
    and drop its texts before the next one: a fix run never holds the whole collection.
    `jobs`: 0 = one process per CPU, 1 = in process."""
    with _cache_writes(use_cache):
        job = Job(config, fix, unsafe, ResultCache.open(config) if use_cache else None,
                  use_cache, collect)
        outcomes, todo, size = _from_cache(files, job)
        done = _run([files[i] for i in todo], job, plan_workers(jobs, len(todo), size))
        try:
            for index, outcome in enumerate(outcomes):
                outcomes[index] = None
                yield next(done) if outcome is None else outcome
        finally:
            done.close()  # the pool's workers exit and are joined: none outlives the run


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


def _run(paths: list[str], job: Job, workers: int) -> Generator[FileOutcome, None, None]:
    if workers <= 1:
        yield from (work(path, job) for path in paths)
        return
    yield work(paths[0], job)  # warms this process up before it forks
    _warm_parser()
    yield from _pool_map(paths[1:], job, workers)


def _warm_parser() -> None:
    """Import the parser here once, so forked workers share it (the first file may be YAML)."""
    from notes_kit.mistletoe_loader import load

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
        for outcome in outcomes:
            outcome.facts = None  # `known` holds them until the rules are done
        if cache is not None:
            digests = {o.path: o.digest for o in outcomes if o.facts_known and o.digest}
            _add_stored_facts(cache, inputs, files, known, digests, twins)
        findings = compute(files, config, known, twins=twins)
        if cache is not None and inputs_of(()) == inputs:
            cache.store_collection(inputs, findings)  # unless a file changed meanwhile
        return findings


def _add_stored_facts(cache: ResultCache, inputs: dict[str, str], files: list[str],
                      known: dict[str, PageFacts | None], digests: dict[str, str],
                      twins: bool) -> None:
    """Complete `known` with the facts of the pages whose findings came from the cache, so
    one changed page does not send the whole collection back to the parser: the facts the
    last run over these paths stored, for each page (and, for NK703, twin) unchanged since;
    the rest parsed here. Then store them all for the next run."""
    from notes_kit.rules.facts import read_facts

    missing: dict[str, str] = {}  # path -> digest of its bytes (taken for `inputs`)
    for path in sorted(set(files)):
        if path not in known and not path.endswith((".md", ".markdown")):
            known[path] = None  # not a page
        elif path not in known and inputs.get(path, "-") != "-":
            missing[path] = inputs[path]
    for path, digest, item in cache.stored_facts(inputs) if missing else ():
        if missing.get(path) != digest:
            continue
        try:
            facts = facts_from_json(path, item)
        except TypeError:
            continue
        if facts is not None and twins:
            if facts.twin_digest != inputs.get(os.path.splitext(path)[0] + ".yaml"):
                continue  # its twin changed: compare again
        elif facts is not None:
            facts = facts._replace(twin_stale=False)  # one page alone: no twin check
        known[path], digests[path] = facts, missing.pop(path)
    for path in missing:
        data = read_regular(path)
        if data is not None:
            known[path], digests[path] = read_facts(path, twin=twins, data=data), digest_of(data)
    cache.store_facts(inputs, ((path, digests[path], facts_to_json(known[path]))
                               for path in sorted(known) if path in digests))
