"""The options CI and editors expect of `lint` and `fix`: standard input with
--stdin-filename, --exit-zero, --exit-non-zero-on-fix, --output-file, --statistics,
--show-settings, --show-files, --color, the progress bar and the cache folder."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.main import run

TESTS = Path(__file__).resolve().parent
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
CANONICAL = TESTS / "fixtures" / "rules" / "NK101" / "good.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def nk(*args: str | Path, stdin: bytes | None = None, out: Any = None,
       err: io.StringIO | None = None, monkeypatch: pytest.MonkeyPatch | None = None
       ) -> tuple[int, str, str]:
    out, err = out or io.StringIO(), err or io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue() if isinstance(out, io.StringIO) else "", err.getvalue()


def fixable_page() -> str:
    """A canonical page with one safe fix (unescaped brackets, NK301) and nothing else."""
    return CANONICAL.read_text(encoding="utf-8").replace("\\[[Paper]", "[[Paper]", 1)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- standard input ---------------------------------------------------------------------


def test_lint_stdin_reports_under_the_stdin_filename(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = nk("lint", "-", "--stdin-filename", "conferences/sosp-2024.md",
                      stdin=SEED.read_bytes(), monkeypatch=monkeypatch)
    assert code == 1
    assert "conferences/sosp-2024.md:36:11: NK501" in out
    assert "conferences/sosp-2024.md:36:22: NK502" in out


def test_stdin_filename_alone_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = nk("lint", "--stdin-filename", "x-2024.md", "--format", "json",
                      stdin=SEED.read_bytes(), monkeypatch=monkeypatch)
    assert code == 1 and {d["path"] for d in json.loads(out)} == {"x-2024.md"}


def test_stdin_filename_decides_config_and_per_file_ignores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "notes" / ".notes-kit.toml", '[per-file-ignores]\n"drafts/*" = ["NK5"]\n')
    monkeypatch.chdir(tmp_path)
    data = SEED.read_bytes()
    code, out, _ = nk("lint", "-", "--stdin-filename", "notes/drafts/sosp-2024.md",
                      stdin=data, monkeypatch=monkeypatch)
    assert code == 0 and "NK50" not in out, out
    code, out, _ = nk("lint", "-", "--stdin-filename", "notes/sosp-2024.md", stdin=data,
                      monkeypatch=monkeypatch)
    assert code == 1 and "NK501" in out


def test_stdin_filename_decides_the_page_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same text is checked against the notes schema under a .yaml name only."""
    data = (TESTS / "fixtures" / "rules" / "NK601" / "bad.yaml").read_bytes()
    code, out, _ = nk("lint", "-", "--stdin-filename", "sosp-2024.yaml", "--format", "json",
                      stdin=data, monkeypatch=monkeypatch)
    assert code == 1 and {d["rule"] for d in json.loads(out)} == {"NK601"}
    code, out, _ = nk("lint", "-", "--stdin-filename", "notes.md", "--format", "json",
                      stdin=data, monkeypatch=monkeypatch)
    assert "NK601" not in {d["rule"] for d in json.loads(out)}


def test_fix_stdin_writes_only_the_fixed_text(monkeypatch: pytest.MonkeyPatch) -> None:
    page = fixable_page()
    code, out, err = nk("fix", "-", "--stdin-filename", "sosp-2024.md",
                        stdin=page.encode(), monkeypatch=monkeypatch)
    assert out == CANONICAL.read_text(encoding="utf-8")
    assert code == 0  # nothing left: formatters accept the output
    assert "NK301" in err and "Fixed 1 finding" in err
    code, _, _ = nk("fix", "-", "--exit-non-zero-on-fix", "--stdin-filename", "sosp-2024.md",
                    stdin=page.encode(), monkeypatch=monkeypatch)
    assert code == 1


def test_fix_stdin_diff_and_lint_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    page = fixable_page()
    code, out, _ = nk("fix", "-", "--diff", stdin=page.encode(), monkeypatch=monkeypatch)
    assert out.startswith("--- a/<stdin>\n+++ b/<stdin>\n@@ ")
    assert "\n-* Apparate: " in out and "\n+* Apparate: " in out and code == 1
    code, out, _ = nk("lint", "--fix", "-", stdin=page.encode(), monkeypatch=monkeypatch)
    assert out == CANONICAL.read_text(encoding="utf-8") and code == 0


def test_fix_stdin_keeps_crlf_when_nk503_is_not_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    page = fixable_page().replace("\n", "\r\n")
    _, out, _ = nk("fix", "-", "--ignore", "NK503", stdin=page.encode(), monkeypatch=monkeypatch)
    assert out == CANONICAL.read_text(encoding="utf-8").replace("\n", "\r\n")


def test_fix_stdin_writes_unreadable_input_back(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"# SOSP 2024\n\xff\xfe broken\n"
    sink = io.BytesIO()
    out = io.TextIOWrapper(sink, encoding="utf-8")
    code, _, err = nk("fix", "-", stdin=data, out=out, monkeypatch=monkeypatch)
    out.flush()
    assert code == 2 and sink.getvalue() == data
    assert "invalid UTF-8" in err


def test_force_exclude_on_stdin_echoes_the_text(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".notes-kit.toml", 'exclude = ["drafts/"]\n')
    monkeypatch.chdir(tmp_path)
    data = SEED.read_bytes()
    code, out, _ = nk("lint", "-", "--force-exclude", "--stdin-filename", "drafts/a-2024.md",
                      stdin=data, monkeypatch=monkeypatch)
    assert code == 0 and out == ""
    code, out, _ = nk("fix", "-", "--force-exclude", "--stdin-filename", "drafts/a-2024.md",
                      stdin=data, monkeypatch=monkeypatch)
    assert code == 0 and out == data.decode()


def test_stdin_goes_alone() -> None:
    code, _, err = nk("lint", "-", str(SEED))
    assert code == 2 and "alone" in err


def test_stdin_as_a_real_subprocess(cli: Any) -> None:
    done = cli("fix", "-", "--stdin-filename", "sosp-2024.md", input=fixable_page().encode())
    assert done.stdout.decode() == CANONICAL.read_text(encoding="utf-8")
    assert done.returncode == 0


# --- exit codes and output file ----------------------------------------------------------


def test_exit_zero(tmp_path: Path) -> None:
    assert nk("lint", SEED)[0] == 1
    assert nk("lint", "--exit-zero", SEED)[0] == 0
    missing = tmp_path / "missing.md"
    assert nk("lint", "--exit-zero", missing)[0] == 2  # bad input still fails


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    page = write(tmp_path / "sosp-2024.md", fixable_page())
    assert nk("lint", "--fix", page)[0] == 0
    write(page, fixable_page())
    assert nk("lint", "--fix", "--exit-non-zero-on-fix", page)[0] == 1
    assert page.read_text(encoding="utf-8") == CANONICAL.read_text(encoding="utf-8")
    assert nk("lint", "--fix", "--exit-non-zero-on-fix", page)[0] == 0  # nothing to fix now


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = nk("lint", "--format", "json", "--output-file", target, SEED)
    assert code == 1 and out == ""
    assert [d["rule"] for d in json.loads(target.read_text())] == ["NK501", "NK502"]


# --- statistics, settings, files ---------------------------------------------------------


def test_statistics_text_and_json(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\\[[Paper]", "[[Paper]")
    page = write(tmp_path / "sosp-2024.md", text)
    _, listed, _ = nk("lint", "--format", "json", page)
    expected: dict[str, int] = {}
    for finding in json.loads(listed):
        expected[finding["rule"]] = expected.get(finding["rule"], 0) + 1
    code, out, _ = nk("lint", "--statistics", "--format", "json", page)
    rows = json.loads(out)
    assert code == 1 and {r["code"]: r["count"] for r in rows} == expected
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    nk301 = next(r for r in rows if r["code"] == "NK301")
    assert nk301["fixable"] == nk301["count"] and nk301["name"] == "link-brackets"
    _, out, _ = nk("lint", "--statistics", page)
    lines = out.splitlines()
    assert re.fullmatch(rf"{expected['NK301']}\tNK301\t\[\*\] link-brackets", lines[0])
    assert any(re.fullmatch(r" *1\tNK501\t\[ \] misspelling", line) for line in lines)
    assert lines[-1].startswith("Found ")
    code, _, err = nk("lint", "--statistics", "--format", "sarif", page)
    assert code == 2 and "--statistics" in err


def test_show_settings_text_and_json(tmp_path: Path) -> None:
    write(tmp_path / ".notes-kit.toml", 'allow-words = ["Zeus"]\nlink-style = "inline"\n'
          '[per-file-ignores]\n"drafts/*" = ["NK5"]\n')
    page = write(tmp_path / "sosp-2024.md", "# SOSP 2024\n")
    code, out, _ = nk("lint", "--show-settings", "--format", "json", "--ignore", "NK2", page)
    settings = json.loads(out)
    assert code == 0 and settings["allow-words"] == ["zeus"]
    assert settings["link-style"] == "inline" and settings["ignore"] == ["NK2"]
    assert settings["per-file-ignores"] == {"drafts/*": ["NK5"]}
    assert settings["source"] == str((tmp_path / ".notes-kit.toml").resolve())
    _, out, _ = nk("lint", "--show-settings", page)
    assert 'link-style = "inline"' in out and 'allow-words = ["zeus"]' in out


def test_show_files_applies_excludes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".notes-kit.toml", 'extend-exclude = ["drafts/"]\n')
    write(tmp_path / "a-2024.md", "# A 2024\n")
    write(tmp_path / "drafts" / "b-2024.md", "# B 2024\n")
    write(tmp_path / "c.yaml", "jobs: {}\n")  # not a notes document
    monkeypatch.chdir(tmp_path)
    code, out, _ = nk("lint", "--show-files", ".")
    assert code == 0 and out.splitlines() == [os.path.join(".", "a-2024.md")]
    _, out, _ = nk("lint", "--show-files", "--force-exclude", "drafts/b-2024.md")
    assert out == ""


# --- colour ------------------------------------------------------------------------------


@pytest.mark.parametrize("choice, env, terminal, coloured", [
    ("always", {}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
    ("auto", {}, False, False),
    ("auto", {}, True, True),
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # an empty NO_COLOR does not count
])
def test_color(choice: str, env: dict[str, str], terminal: bool, coloured: bool,
               monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = Terminal() if terminal else io.StringIO()
    _, text, _ = nk("lint", "--color", choice, SEED, out=out)
    assert bool(ANSI.search(text)) is coloured
    assert ANSI.sub("", text).splitlines()[-1].startswith("Found 2 errors")


# --- progress ----------------------------------------------------------------------------


def many_pages(folder: Path, count: int) -> Path:
    for index in range(count):
        write(folder / f"p{index:03d}-2024.md", f"# P{index:03d} 2024\n\nSome text.\n")
    return folder


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    folder = many_pages(tmp_path / "notes", 60)
    err = Terminal()
    code, _, _ = nk("lint", "--no-cache", "-j", "1", folder, err=err)
    assert "linting" in err.getvalue()
    plain = io.StringIO()
    nk("lint", "--no-cache", "-j", "1", folder, err=plain)
    assert plain.getvalue() == ""
    short = Terminal()
    nk("lint", "--no-cache", many_pages(tmp_path / "few", 3), err=short)
    assert short.getvalue() == ""


def test_run_lint_tells_progress_of_every_file(tmp_path: Path) -> None:
    from notes_kit.lint.config import Configs
    from notes_kit.run.runner import run_lint

    folder = many_pages(tmp_path / "notes", 5)
    seen: list[Any] = []

    class Bar:
        def advance(self) -> None:
            seen.append("step")

        def close(self) -> None:
            seen.append("closed")

    def start(total: int) -> Bar:
        seen.append(total)
        return Bar()

    run_lint([str(folder)], Configs(), jobs=1, use_cache=False, progress=start)
    assert seen == [5, *["step"] * 5, "closed"]


def test_plain_lint_imports_no_bar_and_no_server(tmp_path: Path) -> None:
    code = ("import sys; from notes_kit.cli.main import run; run(['lint', sys.argv[1]]); "
            "print(sorted(m for m in ('rich', 'pygls', 'lsprotocol', 'tomlkit', 'platformdirs',"
            " 'notes_kit.server') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(SEED)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "NOTES_KIT_CACHE_DIR": str(tmp_path / "c")})
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


# --- the cache folder ----------------------------------------------------------------------


def test_cache_dir_env_first_then_platformdirs(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    import platformdirs

    from notes_kit.core.store import cache_dir

    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("NOTES_KIT_CACHE_DIR")
    for xdg in (str(tmp_path / "xdg"), "", "  "):
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        assert cache_dir() == Path(platformdirs.user_cache_dir("notes-kit", appauthor=False))
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path(platformdirs.user_cache_dir("notes-kit", appauthor=False))


def test_cache_dir_asks_platformdirs_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from notes_kit.core import store

    monkeypatch.delenv("NOTES_KIT_CACHE_DIR", raising=False)
    monkeypatch.setattr(store.sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: "/Library/Caches/nk")
    assert store.cache_dir() == Path("/Library/Caches/nk")
