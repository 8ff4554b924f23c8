"""Running a command as a whole process and taking its wall time and peak RSS."""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Proc:
    wall: float  # seconds
    rss_kb: int  # peak resident set of the largest process of the run (children included)
    cpu: float = 0.0  # user + system seconds of the process and its children

    @property
    def rss_mb(self) -> float:
        return self.rss_kb / 1024

    def fmt(self) -> str:
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s), {self.rss_mb:.0f} MB"


def median(procs: Sequence[Proc]) -> Proc:
    return Proc(statistics.median(p.wall for p in procs),
                int(statistics.median(p.rss_kb for p in procs)),
                statistics.median(p.cpu for p in procs))


@dataclass(frozen=True)
class Rounds:
    procs: list[Proc]  # each command's median
    wall: list[float]  # median per-round wall-time ratio to the first command
    cpu: list[float]  # the same for CPU time
    runs: list[list[Proc]]  # every timed run of each command, round by round

    def ratio(self, index: int) -> str:
        return f"{self.wall[index]:.2f}x floor (CPU {self.cpu[index]:.2f}x)"

    def between(self, index: int, floor: int) -> tuple[float, float]:
        """Median over rounds of command `index`'s wall (and CPU) time over `floor`'s."""
        pairs = list(zip(self.runs[index], self.runs[floor], strict=True))
        return (statistics.median(p.wall / f.wall for p, f in pairs),
                statistics.median(p.cpu / max(f.cpu, 1e-9) for p, f in pairs))


class Runner:
    """Commands run with a private result cache and, unless told, cached bytecode."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.cache = tmp / "cache"
        self.pycache = tmp / "pycache"
        self.python = sys.executable
        script = Path(sys.executable).parent / "notes-kit"
        self.nk = [str(script)] if script.exists() else [sys.executable, "-m", "notes_kit"]
        self.inherited_no_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
        self.warm()

    def env(self, bytecode: bool) -> dict[str, str]:
        env = dict(os.environ, NOTES_KIT_CACHE_DIR=str(self.cache), NO_COLOR="1")
        env.pop("PYTHONPYCACHEPREFIX", None)
        if bytecode:  # like an installed package: .pyc files exist and are used
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        else:  # as this environment runs a source checkout: compiled on every start
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def warm(self, where: Path = REPO / "conferences" / "sosp-2024.md") -> None:
        """Compile bytecode and fill the registry and dictionary caches (not the results).

        The registry cache is keyed by the config's extra registry files, so warm
        with what is measured next (a conference page or a folder holding some: a
        page that is not one never loads the venue and affiliation registries).
        """
        for cmd in ([self.python, "-c", "import mistletoe"], [*self.nk, "lint", str(where)]):
            self.once(cmd, bytecode=True)
        self.clear_results()

    def clear_results(self) -> None:
        shutil.rmtree(self.cache / "results", ignore_errors=True)

    def forget_sync(self) -> None:
        """Drop what sync remembered as up to date: the next sync converts every page."""
        for folder in self.cache.glob("results/*/sync"):
            shutil.rmtree(folder, ignore_errors=True)

    def probe_sync(self, folder: Path) -> bool:
        """Whether `sync --check` of this folder (unchanged since its last sync) imports the
        parser, i.e. parses any page."""
        code = ("import sys\nfrom notes_kit.cli.main import run\nrun(['sync', '--check', "
                f"{str(folder)!r}])\nprint('mistletoe' in sys.modules)\n")
        done = subprocess.run([self.python, "-c", code], cwd=REPO, env=self.env(True),
                              capture_output=True, text=True, check=False)
        return done.stdout.strip().endswith("True")

    def once(self, cmd: Sequence[str], *, bytecode: bool = True, cwd: Path = REPO,
             any_exit: bool = False) -> Proc:
        """One run; an exit status other than 0 or 1 (findings) is an error, unless
        `any_exit` (peers: codespell exits 65 when it finds a typo)."""
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.Popen(list(cmd), cwd=cwd, env=self.env(bytecode),
                                     stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode not in (0, 1) and not any_exit:  # 1: findings, as expected
                err.seek(0)
                message = err.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"{self.show(cmd)} exited {child.returncode}:\n{message}")
        return Proc(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)

    def json(self, cmd: Sequence[str]) -> dict[str, Any]:
        """Run a helper that prints JSON (in its own process: this one stays small)."""
        import json

        done = subprocess.run(list(cmd), cwd=REPO, env=self.env(True), capture_output=True,
                              text=True, check=True)
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def median(self, cmd: Sequence[str], runs: int, *, bytecode: bool = True,
               before: Callable[[], None] | None = None) -> Proc:
        procs = []
        for _ in range(runs):
            if before is not None:
                before()
            procs.append(self.once(cmd, bytecode=bytecode))
        return median(procs)

    def interleaved(self, cmds: Sequence[Sequence[str]], runs: int, *, cwd: Path = REPO,
                    bytecode: bool = True, before: Sequence[Callable[[], None] | None] = (),
                    any_exit: Sequence[bool] = ()) -> Rounds:
        """Run the commands in turn, `runs` rounds (after one untimed round): fair under load.

        `before[i]`, when given, runs (untimed) before each run of command i. Returns
        each command's median, and the median over rounds of its wall time (and of its
        CPU time) divided by the first command's in the same round: steadier than a
        ratio of medians when other processes come and go. CPU time is the steadier of
        the two on a shared machine, where a process also waits for a core.
        """
        hooks = list(before) + [None] * (len(cmds) - len(before))
        lenient = list(any_exit) + [False] * (len(cmds) - len(any_exit))

        def one(index: int) -> Proc:
            hook = hooks[index]
            if hook is not None:
                hook()
            return self.once(cmds[index], bytecode=bytecode, cwd=cwd, any_exit=lenient[index])

        for index in range(len(cmds)):
            one(index)
        got: list[list[Proc]] = [[] for _ in cmds]
        for _ in range(runs):
            for index in range(len(cmds)):
                got[index].append(one(index))
        wall = [statistics.median(p.wall / f.wall for p, f in zip(procs, got[0], strict=True))
                for procs in got]
        cpu = [statistics.median(p.cpu / f.cpu for p, f in zip(procs, got[0], strict=True))
               for procs in got]
        return Rounds([median(procs) for procs in got], wall, cpu, got)

    def show(self, cmd: Sequence[str]) -> str:
        words = []
        for word in cmd:
            if word == self.python:
                word = "python"
            elif word == self.nk[0] and len(self.nk) == 1:
                word = "notes-kit"
            elif os.path.dirname(word) == os.path.dirname(self.python):
                word = os.path.basename(word)  # a peer installed beside this Python
            words.append(word.replace(str(self.tmp), "$TMP"))
        line = shlex.join(words).replace(f"{REPO}/", "").replace(str(REPO.parent), "..")
        return f"`{line}`"

    def peer(self, name: str) -> str | None:
        """A peer tool's executable: beside this Python (its virtual environment), or on PATH."""
        here = Path(self.python).parent / name
        return str(here) if here.exists() else shutil.which(name)

    def describe(self) -> str:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        inherited = "set" if self.inherited_no_bytecode else "not set"
        return (f"Python {platform.python_version()} on {platform.machine()}, {cpus} CPUs, "
                f"load average {load}; PYTHONDONTWRITEBYTECODE {inherited} in the caller's "
                f"environment (bytecode rows use a private PYTHONPYCACHEPREFIX)")
