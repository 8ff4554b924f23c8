"""Conversion commands end to end, and nothing lost on write: a write that fails midway
leaves the original file intact and no temporary file behind."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.main import run
from notes_kit.core import files
from notes_kit.lint.engine import fix
from notes_kit.pages import to_yaml

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "conferences" / "sosp-2024.md").read_text(encoding="utf-8")
# Fixable: a blank-line run, an unescaped link bracket and a misspelt label casing.
UNFIXED = PAGE.replace("\n### Model Serving", "\n\n\n### Model Serving").replace(
    "\\[[Code](https://github.com/PKU-DAIR/Hetu)]", "[[code](https://github.com/PKU-DAIR/Hetu)]")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".notes-kit-"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def _fail_replace(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the final rename fail like a full disk; returns the temp files it saw."""
    seen: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        seen.append(str(src))
        assert Path(src).exists()  # the new text was written to a temp file first
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", replace)
    return seen


def _fail_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the write itself fail after part of the text went out."""
    real_fdopen = os.fdopen

    class Half(io.TextIOWrapper):
        def write(self, text: str) -> int:
            super().write(text[: len(text) // 2])
            super().flush()
            raise OSError(errno.EIO, "Input/output error")

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        raw = real_fdopen(fd, "wb")
        return Half(raw, encoding="utf-8", newline="\n")

    monkeypatch.setattr(files.os, "fdopen", fdopen)


@pytest.mark.parametrize("failure", [_fail_replace, _fail_write], ids=["replace", "write"])
def test_failed_write_during_fix_keeps_the_original(failure: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(UNFIXED, encoding="utf-8")
    failure(monkeypatch)
    code, out, err = _run("fix", "--no-cache", str(page))
    assert code == 2
    why = "no space left on device" if failure is _fail_replace else "input/output error"
    assert err.splitlines() == [f"notes-kit: {page}: cannot write: {why}"]
    assert page.read_text(encoding="utf-8") == UNFIXED
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [_fail_replace, _fail_write], ids=["replace", "write"])
def test_failed_write_during_to_yaml_keeps_the_old_output(failure: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    page, target = tmp_path / "sosp-2024.md", tmp_path / "sosp-2024.yaml"
    page.write_text(PAGE, encoding="utf-8")
    target.write_text("old: content\n", encoding="utf-8")
    failure(monkeypatch)
    code, out, err = _run("to-yaml", str(page), "-o", str(target))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"notes-kit: {target}: cannot write")
    assert target.read_text(encoding="utf-8") == "old: content\n"
    assert _leftovers(tmp_path) == []


def test_failed_write_during_sync_keeps_the_twin(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "conferences"
    folder.mkdir()
    (folder / "sosp-2024.md").write_text(PAGE, encoding="utf-8")
    twin = folder / "sosp-2024.yaml"
    twin.write_text("stale: twin\n", encoding="utf-8")
    os.utime(twin, ns=(0, 0))  # older than the page: sync rewrites it
    seen = _fail_replace(monkeypatch)
    code, out, err = _run("sync", str(folder))
    assert code == 2
    assert err.startswith(f"notes-kit: {twin}: cannot write")
    assert seen and twin.read_text(encoding="utf-8") == "stale: twin\n"
    assert _leftovers(folder) == []


def test_interrupted_write_leaves_no_temp_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(UNFIXED, encoding="utf-8")

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    code, out, err = _run("fix", "--no-cache", str(page))
    assert code == 130
    assert page.read_text(encoding="utf-8") == UNFIXED
    assert _leftovers(tmp_path) == []


def test_successful_write_keeps_the_file_mode(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(UNFIXED, encoding="utf-8")
    page.chmod(0o640)
    code, out, err = _run("fix", "--no-cache", str(page))
    assert code in (0, 1), err
    assert page.read_text(encoding="utf-8") == fix(UNFIXED, str(page)).text == PAGE
    assert page.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_two_fix_processes_at_once_leave_the_fixed_page(tmp_path: Path,
                                                        cli_env: dict[str, str]) -> None:
    page = tmp_path / "sosp-2024.md"
    expected = fix(UNFIXED, str(page)).text
    assert expected == PAGE
    page.write_text(UNFIXED, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "notes_kit", "fix", "--no-cache",
                               str(page)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=cli_env) for _ in range(3)]
    results = [proc.communicate(timeout=30) for proc in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode in (0, 1), err
        assert b"Traceback" not in err
    assert page.read_text(encoding="utf-8") == expected
    assert _leftovers(tmp_path) == []


# Run `notes-kit <args>` in a process that stops in the middle of its atomic write (half
# of the text in the temporary file, or all of it before the rename), says so on stdout
# and waits there to be killed.
_STALLED_WRITER = """
import os, sys, time
from notes_kit.core import files
from notes_kit.__main__ import main

def stall():
    print("WRITING", flush=True)
    time.sleep(60)

if sys.argv[1] == "half":
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, fd, *args, **kwargs):
            self.raw = real_fdopen(fd, "wb")
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.raw.close()
        def write(self, text):
            self.raw.write(text[: len(text) // 2].encode())
            self.raw.flush()
            stall()
    files.os.fdopen = Half
else:
    files.os.replace = lambda *args: stall()
sys.argv = ["notes-kit", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("moment", ["half", "before-rename"])
@pytest.mark.parametrize("command", ["fix", "sync"])
def test_killed_in_the_middle_of_a_write_leaves_the_file_intact(
        moment: str, command: str, tmp_path: Path, cli_env: dict[str, str]) -> None:
    """SIGKILL (no clean-up runs) while the new text is half written, or fully written but
    not yet renamed: the page (fix) or the twin (sync) keeps its old bytes, and the next
    run completes the job."""
    import signal

    page, twin = tmp_path / "sosp-2024.md", tmp_path / "sosp-2024.yaml"
    page.write_text(UNFIXED if command == "fix" else PAGE, encoding="utf-8")
    twin.write_text("# an old twin\n", encoding="utf-8")
    os.utime(twin, ns=(0, 0))  # older than the page: sync rewrites it
    target = page if command == "fix" else twin
    before = target.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", _STALLED_WRITER, moment, command,
                             *(["--no-cache"] if command == "fix" else []), str(page)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=cli_env)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"WRITING\n", proc.stderr.read() if proc.stderr else ""
        assert len(_leftovers(tmp_path)) == 1  # the temporary file is there, being written
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    again = subprocess.run([sys.executable, "-m", "notes_kit", command, str(page)],
                           capture_output=True, env=cli_env, timeout=60, check=False)
    assert again.returncode in (0, 1), again.stderr
    if command == "fix":
        assert page.read_text(encoding="utf-8") == PAGE
    else:
        assert twin.read_text(encoding="utf-8") == to_yaml(PAGE, str(page), str(twin))


def test_to_yaml_and_to_md_write_files_and_read_stdin(tmp_path: Path, cli: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    page, yaml_file, back = tmp_path / "p.md", tmp_path / "p.yaml", tmp_path / "back.md"
    page.write_text(PAGE, encoding="utf-8")
    twin = (REPO / "conferences" / "sosp-2024.yaml").read_bytes()
    with ThreadPoolExecutor(3) as pool:
        written = pool.submit(cli, "to-yaml", str(page), "-o", str(yaml_file))
        to_md = pool.submit(cli, "to-md", "-", "-o", str(back), input=twin)
        piped = pool.submit(cli, "to-yaml", "-", input=PAGE.encode())
    assert written.result().returncode == 0 and written.result().stdout == b""
    assert yaml_file.read_text(encoding="utf-8") == to_yaml(PAGE, str(page), str(yaml_file))
    assert to_md.result().returncode == 0 and to_md.result().stdout == b""
    assert back.read_text(encoding="utf-8") == PAGE
    assert piped.result().returncode == 0
    modeline, rest = piped.result().stdout.decode().split("\n", 1)
    assert rest == to_yaml(PAGE).split("\n", 1)[1]
    assert modeline.split("$schema=")[1].startswith("https://")  # no schemas/ above tmp_path


def test_to_yaml_applies_the_safe_fixes(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(UNFIXED, encoding="utf-8")
    code, out, err = _run("to-yaml", str(page))
    assert (code, err) == (0, "")
    assert out == to_yaml(PAGE)
    assert page.read_text(encoding="utf-8") == UNFIXED  # the input is never touched


def test_sync_writes_then_checks_the_twin(tmp_path: Path) -> None:
    folder = tmp_path / "conferences"
    folder.mkdir()
    (folder / "sosp-2024.md").write_text(PAGE, encoding="utf-8")
    twin = folder / "sosp-2024.yaml"
    assert _run("sync", "--check", str(folder))[0] == 1
    assert not twin.exists()
    assert _run("sync", str(folder))[0] == 0
    assert twin.read_text(encoding="utf-8") == to_yaml(PAGE, str(folder / "sosp-2024.md"),
                                                       str(twin))
    assert _run("sync", "--check", str(folder)) == (0, "1 YAML twin up to date.\n", "")


def test_output_to_a_folder_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = _run("to-yaml", str(page), "-o", str(folder))
    assert code == 2 and err == f"notes-kit: {folder}: cannot write: is a directory\n"
    assert list(folder.iterdir()) == [] and _leftovers(tmp_path) == []


@pytest.mark.parametrize("twin_kind", ["invalid-utf8", "directory"])
def test_sync_with_a_broken_twin_fails_cleanly(twin_kind: str, tmp_path: Path) -> None:
    folder = tmp_path / "conferences"
    folder.mkdir()
    (folder / "sosp-2024.md").write_text(PAGE, encoding="utf-8")
    twin = folder / "sosp-2024.yaml"
    if twin_kind == "directory":
        twin.mkdir()
    else:
        twin.write_bytes(b"\xff\xfe")
    code, out, err = _run("sync", "--check", str(folder))
    assert code == 2 and err.startswith(f"notes-kit: {twin}")
