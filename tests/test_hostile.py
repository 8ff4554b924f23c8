"""Hostile input through the real command line: every command ends with exit 0/1 (with
findings), or exit 2 and one line naming the file; never a traceback, never a hang, and
nothing written for bad input. Big and odd inputs are made in tmp_path at test time."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "conferences" / "sosp-2024.md").read_bytes()
TWIN = (REPO / "conferences" / "sosp-2024.yaml").read_bytes()
HEAD = b"# SOSP 2024\n\n## Meta Info\n\nHomepage: <https://example.org>\n\n## Papers\n\n### T\n\n"
CONVERTERS = ("to-yaml", "to-md")
PREVIOUS = b"previous output\n"


def _deep_indented(levels: int) -> bytes:
    return HEAD + b"".join(b"  " * i + b"* level\n" for i in range(levels))


def _huge(size: int) -> bytes:
    paper = b"* A paper \\[[Paper](https://example.org/p)]\n  * MIT\n"
    return HEAD + paper * (size // len(paper) + 1)


def _bomb() -> bytes:
    """Billion laughs: nine levels of nine aliases each."""
    lines = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = bytes([ord("a") + index - 1]), bytes([ord("a") + index])
        lines.append(name + b": &" + name + b" [" + b",".join([b"*" + prev] * 9) + b"]")
    return b"\n".join(lines) + b"\n"


WRONG_TYPES = b'schema_version: 1\nvenue: [1, 2]\nyear: "x"\nmeta: "no"\nsections: 5\n'
WRONG_NESTED = TWIN.replace(b"accepted: 43", b"accepted: forty-three").replace(
    b"- label: Paper\n", b"- label: [Paper]\n", 1).replace(b"year: 2024", b"year: 20.24")


@dataclass
class Case:
    """ok: the input is fine and every command must work (exit 0/1).
    Otherwise converters must refuse it (exit 2, one line naming the file) and lint/fix
    may instead report findings about it (exit 1); nothing may be written."""

    name: str
    filename: str
    make: Callable[[Path], None]
    ok: bool = False
    commands: tuple[str, ...] = ("lint", "fix", "to-yaml")
    timeout: float = 20
    same: bool = False  # converts exactly like the plain page


def _data(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inner.md").write_bytes(PAGE)


def _loop(path: Path) -> None:
    other = path.with_name("loop-b.md")
    os.symlink(other, path)
    os.symlink(path, other)


def _missing(path: Path) -> None:
    return None


YAML_COMMANDS = ("lint", "fix", "to-md")
CASES: list[Any] = [
    Case("invalid-utf8", "page.md", _data(PAGE.replace(b"Stanford", b"Stan\xffford"))),
    Case("utf8-bom", "page.md", _data(b"\xef\xbb\xbf" + PAGE), ok=True, same=True),
    Case("crlf", "page.md", _data(PAGE.replace(b"\n", b"\r\n")), ok=True, same=True),
    Case("lone-cr", "page.md", _data(PAGE.replace(b"\n", b"\r")), ok=True, same=True),
    Case("nul-byte", "page.md", _data(PAGE.replace(b"Stanford", b"Stan\0ford"))),
    Case("empty", "page.md", _data(b"")),
    Case("blank", "page.md", _data(b"  \n\n\t\n")),
    Case("20-mb", "page.md", _data(_huge(20 * 1024 * 1024))),
    Case("deep-list-one-line", "page.md", _data(HEAD + b"* " * 5000 + b"x\n")),
    Case("deep-list-indented", "page.md", _data(_deep_indented(1000))),
    Case("deep-quote", "page.md", _data(HEAD + b"> " * 5000 + b"x\n")),
    Case("long-line", "page.md", _data(HEAD + b"* " + b"word " * 20000 + b"\n"), ok=True),
    Case("long-links", "page.md", _data(HEAD + b"* t " + b"[a](https://e.org/" * 2000 + b"\n"),
         ok=True),
    Case("long-emphasis", "page.md", _data(HEAD + b"* t " + b"*_`$<" * 20000 + b"\n"), ok=True),
    Case("long-brackets", "page.md", _data(HEAD + b"* t " + b"\\[[" * 34000 + b"\n"),
         ok=True, commands=("lint",), timeout=10),
    Case("many-links", "page.md", _data(HEAD + b"* A paper" + b"".join(
        b" \\[[Paper](https://e.org/%d)]" % i for i in range(16_000)) + b"\n  * MIT\n"), ok=True,
         commands=("lint", "fix")),  # to-yaml of 16,000 links is the YAML dumper's speed
    Case("long-link-line", "page.md", _data(HEAD + b"* t " + b"[Paper](u)" * 30_000 + b"\n"),
         ok=True, commands=("lint", "fix")),
    Case("html-comments-line", "page.md", _data(HEAD + b"<!-- a -->" * 40 + b" x\n"), ok=True),
    Case("backtick-runs", "page.md", _data(HEAD + b"* t " + b" ".join(
        b"`" * size for size in range(1, 600)) + b"\n"), ok=True),
    Case("unclosed-comments", "page.md", _data(HEAD + b"* t " + b"<!-- a " * 30_000 + b"\n"),
         ok=True),
    Case("yaml-alias-bomb", "page.yaml", _data(_bomb()), commands=YAML_COMMANDS),
    Case("yaml-python-tag", "page.yaml",
         _data(b"schema_version: 1\nvenue: !!python/object/apply:os.system ['touch pwned']\n"),
         commands=YAML_COMMANDS),
    Case("yaml-duplicate-keys", "page.yaml",
         _data(b"schema_version: 1\nvenue: A\nvenue: B\nyear: 2020\nsections: []\n"),
         commands=YAML_COMMANDS),
    Case("yaml-wrong-types", "page.yaml", _data(WRONG_TYPES), commands=YAML_COMMANDS),
    Case("yaml-wrong-nested-types", "page.yaml", _data(WRONG_NESTED), commands=YAML_COMMANDS),
    Case("yaml-not-a-mapping", "page.yaml", _data(b"- just\n- a list\n"),
         commands=YAML_COMMANDS),
    Case("yaml-invalid-utf8", "page.yaml", _data(TWIN + b"# \xc3\x28\n"),
         commands=YAML_COMMANDS),
    Case("yaml-deep", "page.yaml", _data(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
         commands=YAML_COMMANDS),
    Case("yaml-deep-block", "page.yaml",
         _data(b"a:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 3000))),
         commands=YAML_COMMANDS),
    Case("yaml-bad-syntax", "page.yaml", _data(b"venue: [unclosed\nyear: 2020\n"),
         commands=YAML_COMMANDS),
    Case("directory", "folder.md", _directory, commands=("to-yaml",)),
    Case("directory-yaml", "folder.yaml", _directory, commands=("to-md",)),
    Case("fifo", "pipe.md", _fifo),
    Case("fifo-yaml", "pipe.yaml", _fifo, commands=YAML_COMMANDS),
    Case("symlink-loop", "loop-a.md", _loop, commands=CONVERTERS),
    Case("symlink-loop-lint", "loop-a.md", _loop, commands=("lint", "fix")),
    Case("missing", "missing.md", _missing, commands=("lint", "fix", *CONVERTERS)),
]


def _case_id(case: Any) -> str:
    return str(case.values[0].name if hasattr(case, "values") else case.name)


def _snapshot(folder: Path) -> dict[str, str | None]:
    """Every entry under folder with a digest of its bytes (None for non-files)."""
    found: dict[str, str | None] = {}
    for path in sorted(folder.rglob("*")):
        regular = not path.is_symlink() and path.is_file()
        found[str(path)] = _digest(path.read_bytes()) if regular else None
    return found


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain_yaml(out: Path) -> str:
    from notes_kit.pages import to_yaml

    return to_yaml(PAGE.decode("utf-8"), "page.md", str(out))


def _args(command: str, path: Path, out: Path) -> list[str]:
    if command in CONVERTERS:
        return [command, str(path), "-o", str(out)]
    return [command, str(path)]


@dataclass
class Run:
    command: str
    path: Path
    out: Path
    before: dict[str, str | None]
    result: Any = None  # CompletedProcess, or the exception the run raised


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory, cli_runner: Any
                 ) -> dict[str, list[Run]]:
    """Every command of every case, run concurrently once (each in its own folder)."""
    root = tmp_path_factory.mktemp("hostile")
    runs: dict[str, list[Run]] = {}
    jobs: list[tuple[Case, Run]] = []
    for case in (c.values[0] if hasattr(c, "values") else c for c in CASES):
        for command in case.commands:
            folder = root / case.name / command
            folder.mkdir(parents=True)
            path = folder / case.filename
            case.make(path)
            if command == "to-md":  # an existing target must survive a refused conversion
                (folder / "out.txt").write_bytes(PREVIOUS)
            run = Run(command, path, folder / "out.txt", _snapshot(folder))
            runs.setdefault(case.name, []).append(run)
            jobs.append((case, run))

    def execute(job: tuple[Case, Run]) -> None:
        case, run = job
        try:
            run.result = cli_runner(*_args(run.command, run.path, run.out), cwd=run.path.parent,
                                    timeout=case.timeout)
        except subprocess.TimeoutExpired as exc:
            run.result = exc

    with ThreadPoolExecutor(max(4, 2 * (os.cpu_count() or 1))) as pool:
        list(pool.map(execute, jobs))
    return runs


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_hostile_input_is_handled_cleanly(case: Case, hostile_runs: dict[str, list[Run]]
                                          ) -> None:
    for run in hostile_runs[case.name]:
        if isinstance(run.result, BaseException):
            raise run.result
        command, path, out, result = run.command, run.path, run.out, run.result
        stdout, stderr = result.stdout.decode("utf-8", "replace"), result.stderr.decode()
        where = f"{case.name}: {command} exited {result.returncode}\n{stderr[-3000:]}"
        assert "Traceback" not in stdout + stderr, where
        if case.ok:
            assert result.returncode in (0, 1), where
            assert stderr == "", where
            if case.same and command == "fix":  # left alone, or written as the plain page
                assert _digest(path.read_bytes()) in (_digest(PAGE), run.before[str(path)])
            if case.same and command == "to-yaml":
                assert out.read_text(encoding="utf-8") == _plain_yaml(out), where
            continue
        if result.returncode == 1 and command not in CONVERTERS:  # findings about the file
            assert stderr == "" and f"{path}:" in stdout, where
        else:
            assert result.returncode == 2, where
            lines = stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"notes-kit: {path}"), where
        assert _snapshot(path.parent) == run.before, f"{where}\nsomething was written"
        assert out.read_bytes() == PREVIOUS if command == "to-md" else not out.exists()


def test_read_only_file_is_not_fixed(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    original = PAGE.replace(b"\n### Model Serving", b"\n\n\n### Model Serving")  # fixable
    page.write_bytes(original)
    page.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    result = cli("fix", str(page))
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"notes-kit: {page}"), lines
    assert "read-only" in lines[0]
    assert page.read_bytes() == original
    assert stat.S_IMODE(page.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir() if p.name != ".cache"] == ["page.md"]


def test_python_tag_runs_nothing(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.yaml"
    page.write_bytes(b"venue: !!python/object/apply:os.system ['touch pwned']\n")
    result = cli("to-md", str(page))
    assert result.returncode == 2
    assert b"not allowed" in result.stderr
    assert not (tmp_path / "pwned").exists()


def test_fifo_among_good_files_is_reported_and_the_rest_linted(cli: Any, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    good = tmp_path / "good.md"
    good.write_bytes(PAGE.replace(b"* Stanford\n", b"* Stanford\n\n\n", 1))
    result = cli("lint", str(pipe), str(good))
    assert result.returncode == 2
    assert b"Traceback" not in result.stdout + result.stderr
    assert result.stderr.decode().splitlines() == [f"notes-kit: {pipe}: not a regular file"]
    assert f"{good}:" in result.stdout.decode()  # the good file was still linted


# --- time linear in the input ---------------------------------------------------------
# Each case is a page made at size n and at size factor * n. Linear work costs about
# factor times as much; the quadratic rules of issue 11 cost factor ** 2 times as much (or
# more). The budget is a ratio measured in one process, never an absolute time.

LINEAR_HEAD = ("# SOSP 2024\n\n## Meta Info\n\nHomepage: <https://example.org>\n\n"
               "### Acceptance Rate\n\n17.3% (= 43 / 248)\n\n## Papers\n\n### T\n\n")


@dataclass
class Scaling:
    name: str
    make: Callable[[int], str]  # the page's text at size n
    n: int
    factor: int = 4
    what: str = "lint+fix"  # "rules": the rules alone, on a page parsed beforehand;
    # "suppress": reading the suppression comments and applying them to the rules' findings
    budget: float = 0  # the largest ratio allowed; 0: twice the factor


def _backtick_runs(n: int) -> str:
    """Backtick runs of distinct lengths 1, 2, ..., k (about n characters): none closes."""
    k = int((2 * n) ** 0.5)
    return "* t " + " ".join("`" * size for size in range(1, k))


def _links(n: int) -> str:
    return "* A paper" + "".join(f" \\[[Paper](https://e.org/{i})]" for i in range(n)) + \
        "\n  * MIT\n"


SUPPRESSED = "<!-- notes-kit: disable-next-line NK501 -->\n"
SCALING = [
    Scaling("many-links", _links, 6000, what="rules"),
    Scaling("paper-link-line", lambda n: "* t " + "[Paper](u)" * n + "\n", 8000, what="rules"),
    Scaling("unclosed-comments", lambda n: "* t " + "<!-- a " * n + "\n", 2000),
    Scaling("unclosed-templates", lambda n: "* t " + "{% a " * n + "\n", 2000),
    Scaling("backtick-runs", _backtick_runs, 40_000, factor=8),
    Scaling("word-before-address", lambda n: "* t " + "a" * n + " b@c.de\n", 10_000),
    Scaling("inner-spaces", lambda n: "* t" + " " * n + "x \n", 1000),
    Scaling("inner-entities", lambda n: "* t" + "&#x20;" * n + "x \n", 1000),
    Scaling("title-spaces", lambda n: "# SOSP" + " " * n + "x 2024\n\n## Papers\n", 2000),
    Scaling("heading-spaces", lambda n: "### T" + " " * n + "x <a id=\"a\"></a> \n", 2000),
    Scaling("heading-anchor-ids", lambda n: "### T <a " + "id=" * n + "> \n", 1000),
    Scaling("stacked-suppressions", lambda n: SUPPRESSED * n + "* Modle\n", 500,
            what="suppress"),
    Scaling("many-suppressions", lambda n: (SUPPRESSED + "* Modle\n") * n, 3000,
            what="suppress", budget=10),  # sorting: n log n, and 100,000s of findings
]


def _cpu_seconds(text: str, what: str) -> float:
    """CPU time of lint and fix (or the rules alone) of one page in this process, the best
    of three, without the garbage collector (whose passes grow with everything alive, not
    with this input)."""
    import gc
    import time

    from notes_kit.knowledge.spelling import prose_mask
    from notes_kit.lint.config import Config
    from notes_kit.lint.engine import fix, lint, make_context
    from notes_kit.lint.rules.registry import all_rules
    from notes_kit.lint.suppress import apply, parse_suppressions

    page, config = LINEAR_HEAD + text, Config()
    rules = [r for r in all_rules().values() if r.check and r.scope in ("text", "conference")]
    parsed = make_context(page, "sosp-2024.md", config) if what != "lint+fix" else None
    found = [f for rule in rules if parsed and (rule.scope == "text" or parsed.parsed)
             for f in rule.check(parsed)] if what == "suppress" else []
    best = float("inf")
    for _ in range(3):
        prose_mask.cache_clear()  # a remembered line would hide the work
        ctx = replace(parsed) if parsed is not None else None  # the parse, no derived views
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            if what == "suppress":
                apply(found, parse_suppressions(page, "sosp-2024.md")[0])
            elif ctx is not None:
                for rule in rules:
                    if rule.scope == "text" or ctx.parsed is not None:
                        list(rule.check(ctx))
            else:
                lint(page, "sosp-2024.md", config)
                fix(page, "sosp-2024.md", config)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


@pytest.mark.parametrize("case", SCALING, ids=[c.name for c in SCALING])
def test_work_grows_linearly_with_the_input(case: Scaling, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-lin"))
    _cpu_seconds(case.make(10), case.what)  # registries and dictionary loaded once
    small = _cpu_seconds(case.make(case.n), case.what)
    large = _cpu_seconds(case.make(case.factor * case.n), case.what)
    budget = case.budget or 2 * case.factor  # linear plus slack; quadratic is factor ** 2
    assert large < budget * max(small, 0.005), (
        f"{case.name}: {large:.3f} s at {case.factor}x the input of {small:.3f} s")
