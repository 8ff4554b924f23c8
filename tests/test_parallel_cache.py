"""--jobs and the result cache: same findings either way, invalidation, robustness, laziness."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.config import Config, load_config
from notes_kit.run import cache as cache_mod
from notes_kit.run import parallel
from notes_kit.run.cache import ResultCache, decode, encode, run_stamp
from notes_kit.run.runner import RunResult, run_lint
from notes_kit.run.worker import FileOutcome

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(folder))
    return folder


def paper(n: int, title: str | None = None, note: str = "Reduce tail latency.") -> str:
    title = title or f"Paper Number {n}: A System for Things"
    return (f"* {title} \\[[Paper](https://example.org/p/{n})]\n"
            f"  * PKU\n  * {note}\n")


def page(venue: str, year: int, papers: list[str], extra: str = "") -> str:
    return (f"# {venue} {year}\n\n## Meta Info\n\nHomepage: <https://example.org/{venue}>\n\n"
            f"### Paper List\n\n* <https://example.org/{venue.lower()}{year}/papers>\n\n"
            f"## Papers\n\n### Systems\n\n" + "".join(papers) + extra)


def collection(folder: Path, pages: int = 8) -> list[str]:
    """Several pages with per-file findings (typos, whitespace) and collection findings."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(pages):
        papers = [paper(i * 100 + k) for k in range(12)]
        papers.append(paper(999, "Shared Paper: Listed Twice"))  # NK701 across pages
        if i % 2:
            papers.append(paper(i * 100 + 50, note="Teh system is fast.   "))  # NK501, NK503
        path = folder / f"conf{i}-{2000 + i}.md"
        path.write_text(page(f"CONF{i}", 2000 + i, papers), encoding="utf-8")
        paths.append(str(path))
    (folder / "notes.md").write_text("# Notes\n\nSome teh prose.\n", encoding="utf-8")
    paths.append(str(folder / "notes.md"))
    return paths


def lint(paths: list[str], config: Config | None = None, **options: object) -> RunResult:
    options.setdefault("jobs", 1)
    return run_lint(paths, config or Config(), **options)  # type: ignore[arg-type]


def entries(folder: Path) -> list[Path]:
    """Every stored result: per-file entries and the indexes of file sets."""
    return sorted(p for p in folder.rglob("*") if "results" in p.parts and p.is_file()
                  and p.suffix in (".entry", ".index"))


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths actually linted (cache misses) in this process."""
    seen: list[str] = []
    real = parallel.process_file  # type: ignore[attr-defined]

    def recording(path: str, *args: object) -> FileOutcome:
        seen.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "process_file", recording)
    return seen


def test_jobs_two_gives_the_findings_of_jobs_one(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paths = collection(tmp_path / "notes")
    one = lint([str(tmp_path / "notes")], jobs=1, use_cache=False)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)  # small test files: use the pool anyway
    monkeypatch.setattr(parallel, "MIN_FILES", 4)
    pools: list[int] = []
    real_pool = parallel._pool_map

    def counting(paths: list[str], job: parallel.Job, workers: int) -> list[FileOutcome]:
        pools.append(workers)
        return real_pool(paths, job, workers)

    monkeypatch.setattr(parallel, "_pool_map", counting)
    two = lint([str(tmp_path / "notes")], jobs=2, use_cache=False)
    assert pools == [2]
    assert two.findings == one.findings
    assert [(f.message, f.severity, f.fix) for f in two.findings] == \
        [(f.message, f.severity, f.fix) for f in one.findings]
    assert [o.path for o in two.outcomes] == sorted(paths)  # input (walk) order kept
    assert {f.rule for f in one.findings} >= {"NK501", "NK503", "NK701"}


@pytest.mark.parametrize("stop_after", [None, 2])
def test_no_worker_outlives_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    stop_after: int | None) -> None:
    """Whether every outcome was taken or the consumer stopped early, the pool's workers
    have exited and been joined when the iteration is over."""
    import multiprocessing

    paths = collection(tmp_path / "notes")
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "MIN_FILES", 4)
    outcomes = parallel.iter_files(paths, Config(), fix=False, unsafe=False, jobs=2,
                                   use_cache=False)
    taken = [next(outcomes) for _ in range(stop_after)] if stop_after else list(outcomes)
    outcomes.close()
    assert len(taken) == (stop_after or len(paths))
    assert multiprocessing.active_children() == []


def test_console_script_returns_with_its_pipes_closed(tmp_path: Path,
                                                      _private_cache: Path) -> None:
    """A worker left running would hold stdout and stderr open, and pre-commit (like
    subprocess.run here) waits for them to close: that hung before the pool was joined."""
    collection(tmp_path / "notes")
    env = dict(os.environ, NOTES_KIT_CACHE_DIR=str(_private_cache), PYTHONPATH=str(REPO),
               NO_COLOR="1")
    code = ("import sys\nfrom notes_kit.run import parallel\nfrom notes_kit.__main__ import main\n"
            "parallel.MIN_BYTES, parallel.MIN_FILES = 0, 4\nsys.argv[0] = 'notes-kit'\nmain()\n")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code, "lint", "--no-cache", "--jobs", "2",
                               str(tmp_path / "notes")], capture_output=True, text=True,
                              env=env, timeout=60, check=False)
        assert done.returncode == 1 and "NK701" in done.stdout, done.stderr


def test_small_inputs_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parallel.plan_workers(1, 500, 10**9) == 1
    assert parallel.plan_workers(4, 2, 10**9) == 1
    assert parallel.plan_workers(4, 100, 1000) == 1
    assert parallel.plan_workers(4, 100, parallel.MIN_BYTES - 1) == 1
    assert parallel.plan_workers(4, parallel.MIN_FILES - 1, 10**9) == 1
    assert parallel.plan_workers(4, 100, 10**9) == 4
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.0, 0.0))
    assert parallel.plan_workers(0, 100, 10**9) == 4


def test_the_default_counts_idle_cpus_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work on the CPUs: the default pool shrinks, down to linting in process; an
    explicit --jobs is kept (above the size thresholds)."""
    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    for load, workers in ((0.0, 2), (0.4, 2), (1.3, 2), (1.6, 1), (2.2, 1), (4.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert parallel.plan_workers(0, 100, 10**9) == workers, load
        assert parallel.plan_workers(2, 100, 10**9) == 2

    def missing() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(os, "getloadavg", missing)
    assert parallel.plan_workers(0, 100, 10**9) == 2


def test_second_run_comes_from_the_cache(tmp_path: Path, _private_cache: Path,
                                         spy: list[str]) -> None:
    collection(tmp_path / "notes")
    first = lint([str(tmp_path / "notes")])
    assert len(spy) == 9 and entries(_private_cache)
    spy.clear()
    second = lint([str(tmp_path / "notes")])
    assert spy == []
    assert second.findings == first.findings
    assert [f.message for f in second.findings] == [f.message for f in first.findings]


def test_a_changed_file_is_linted_again(tmp_path: Path, spy: list[str]) -> None:
    paths = collection(tmp_path / "notes")
    lint([str(tmp_path / "notes")])
    target = Path(paths[0])
    target.write_text(target.read_text(encoding="utf-8") + "\nTeh end.\n", encoding="utf-8")
    spy.clear()
    again = lint([str(tmp_path / "notes")])
    assert spy == [paths[0]]
    assert any(f.path == paths[0] and f.rule == "NK501" and f.line > 40 for f in again.findings)
    assert again.findings == lint([str(tmp_path / "notes")], use_cache=False).findings


def test_a_changed_config_or_registry_invalidates(tmp_path: Path, spy: list[str]) -> None:
    collection(tmp_path / "notes")
    terms = tmp_path / "terms.yaml"
    terms.write_text("terms:\n  - HotSPa\n", encoding="utf-8")
    (tmp_path / ".notes-kit.toml").write_text('extra-terms = ["terms.yaml"]\n', encoding="utf-8")
    config = load_config(tmp_path / ".notes-kit.toml")
    lint([str(tmp_path / "notes")], config)
    spy.clear()
    lint([str(tmp_path / "notes")], config)
    assert spy == []
    lint([str(tmp_path / "notes")], Config(ignore=("NK503",)))
    assert len(spy) == 9
    spy.clear()
    before = run_stamp(config)
    terms.write_text("terms:\n  - HotSPa\n  - PowerInfer\n", encoding="utf-8")
    assert run_stamp(config) != before
    lint([str(tmp_path / "notes")], config)
    assert len(spy) == 9


def test_stamp_follows_tool_version_and_source(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import notes_kit

    before = run_stamp(Config())
    monkeypatch.setattr(notes_kit, "__version__", "999.0")
    assert run_stamp(Config()) != before
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    stamp = cache_mod.source_stamp(package)
    (package / "a.py").write_text("x = 22\n", encoding="utf-8")
    assert cache_mod.source_stamp(package) != stamp


def test_no_cache_writes_nothing(tmp_path: Path, _private_cache: Path) -> None:
    collection(tmp_path / "notes")
    out, err = io.StringIO(), io.StringIO()
    status = run(["lint", "--no-cache", "--jobs", "1", str(tmp_path / "notes")], out, err)
    assert status == 1, err.getvalue()
    assert "NK501" in out.getvalue()
    assert not _private_cache.exists() or not any(_private_cache.rglob("*"))


def test_corrupted_entries_are_misses_not_crashes(tmp_path: Path, _private_cache: Path,
                                                  spy: list[str]) -> None:
    collection(tmp_path / "notes")
    first = lint([str(tmp_path / "notes")])
    damaged = entries(_private_cache)
    assert damaged
    garbage = [b"", b"{", b"null", b'{"format": 1, "path": 3}', b"\xff\xfe",
               b'{"format":1,"path":"x","sha256":"y","findings":[[1]]}']
    for n, path in enumerate(damaged):
        path.write_bytes(garbage[n % len(garbage)])
    spy.clear()
    again = lint([str(tmp_path / "notes")])
    assert again.findings == first.findings
    assert len(spy) == 9


def test_malformed_findings_do_not_decode() -> None:
    good = Finding("a.md", 3, 4, "NK501", "typo", Severity.WARNING, 3, 7, FixKind.UNSAFE,
                   ("the",))
    assert decode("a.md", encode("a.md", good)) == good
    assert decode("a.md", encode("a.md", good)).suggestions == ("the",)
    malformed: list[list[object]] = [
        [None, "3", 4, "NK501", "m", "error", 0, 0, "none", []],
        [None, 3, 4, "NK501", "m", "fatal", 0, 0, "none", []],
        [None, 3, 4, "NK501", "m", "error", 0, 0, "none", "abc"],
        [None, 3, 4, "NK501", "m", "error", 0, 0, "none"],
    ]
    for bad in malformed:
        with pytest.raises((TypeError, ValueError, KeyError)):
            decode("a.md", bad)


def test_unwritable_cache_folder_is_skipped(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(blocker / "cache"))
    paths = collection(tmp_path / "notes", pages=2)
    assert lint(paths).findings == lint(paths, use_cache=False).findings


def test_fix_run_does_not_take_a_cached_lint_with_fixable_findings(tmp_path: Path) -> None:
    paths = collection(tmp_path / "notes", pages=2)
    linted = lint(paths)
    assert any(f.fix is FixKind.SAFE and f.path == paths[1] for f in linted.findings)
    fixed = lint(paths, fix=True)
    assert fixed.changed
    assert "Teh system is fast.   " not in Path(paths[1]).read_text(encoding="utf-8")
    assert lint(paths).findings == lint(paths, use_cache=False).findings


def test_old_stamps_are_pruned(tmp_path: Path, _private_cache: Path) -> None:
    paths = collection(tmp_path / "notes", pages=1)
    for n in range(cache_mod.KEEP_STAMPS + 3):
        lint(paths, Config(ignore=(f"NK9{n:02d}",)))
    stamps = [p for p in (_private_cache / "results").iterdir() if p.is_dir()]
    assert len(stamps) == cache_mod.KEEP_STAMPS


def test_collection_findings_are_cached_but_follow_the_twin(tmp_path: Path,
                                                            _private_cache: Path) -> None:
    paths = collection(tmp_path / "notes", pages=3)
    first = lint(paths)
    assert ResultCache.open(Config()) is not None
    assert list(_private_cache.rglob("index/*.index"))
    twin = Path(paths[0]).with_suffix(".yaml")
    twin.write_text("schema_version: 1\n", encoding="utf-8")  # a stale twin: NK703
    again = lint(paths)
    assert [f.rule for f in again.findings if f.rule == "NK703"] == ["NK703"]
    twin.unlink()
    assert lint(paths).findings == first.findings


def test_a_cache_hit_does_not_import_the_parser(tmp_path: Path, _private_cache: Path) -> None:
    collection(tmp_path / "notes")
    env = dict(os.environ, NOTES_KIT_CACHE_DIR=str(_private_cache), PYTHONPATH=str(REPO),
               NO_COLOR="1")
    code = ("import sys\nfrom notes_kit.cli.main import run\n"
            "status = run(sys.argv[1:])\n"
            "print('PARSER', 'mistletoe' in sys.modules, file=sys.stderr)\n"
            "sys.exit(status)\n")
    args = [sys.executable, "-c", code, "lint", "--jobs", "2", str(tmp_path / "notes")]
    cold = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    warm = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert "PARSER True" in cold.stderr
    assert "PARSER False" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout and "NK501" in warm.stdout
    assert warm.returncode == cold.returncode == 1


def test_entries_are_small_and_sealed(tmp_path: Path, _private_cache: Path) -> None:
    import marshal

    from notes_kit.core.sealed import unseal

    paths = collection(tmp_path / "notes", pages=1)
    lint(paths)
    files = [p for p in entries(_private_cache) if p.suffix == ".entry"]
    assert len(files) == 2 and len(list(_private_cache.rglob("*.index"))) == 1
    for path in files:
        raw = path.read_bytes()
        assert len(raw) < 2000
        form, where, digest, findings = marshal.loads(unseal(f"result\0{where_of(raw)}",
                                                             raw) or b"")
        assert form == cache_mod.FORMAT and len(digest) == 64 and where in paths


def where_of(raw: bytes) -> str:
    """The path an entry names (read without the seal, to build the label it is sealed with)."""
    import marshal

    from notes_kit.core.sealed import HEADER

    path: str = marshal.loads(raw[HEADER:])[1]
    return path
