"""`--changed-since REF`: only findings in paper entries (and parts) changed since REF."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.findings import Finding, InputError
from notes_kit.run.changed import only_changed

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

ROOT = Path(__file__).resolve().parents[1]
PAGE = "conferences/sosp-2024.md"
DIRIGENT = "* Dirigent: Lightweight Serverless Orchestration"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose first commit has the seed page with a wrong acceptance rate."""
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "repo"
    (work / "conferences").mkdir(parents=True)
    text = (ROOT / PAGE).read_text(encoding="utf-8")
    text = text.replace("17.3% (= 43 / 248)", "17.4% (= 43 / 248)")  # NK204, old
    (work / PAGE).write_text(text, encoding="utf-8")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "old page")
    monkeypatch.chdir(work)
    return work


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lint(*argv: str) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["lint", *argv], out, err)
    lines = [line for line in out.getvalue().splitlines() if line.startswith(PAGE)]
    return code, [line.split(": ")[1].split()[0] + "@" + line.split(":")[1] for line in lines], \
        err.getvalue()


def test_only_the_new_papers_findings(repo: Path) -> None:
    code, everything, _ = lint(PAGE)
    assert everything == ["NK204@14"]
    edit(repo / PAGE, "  * ETH\n", "  * ETH\n  * A note about the Modle.\n")  # NK501, new
    edit(repo / PAGE, "[Code](https://github.com/eth-easl/dirigent)",
         "[code](https://github.com/eth-easl/dirigent)")  # NK302, new
    code, everything, _ = lint(PAGE)
    assert sorted(everything) == ["NK204@14", "NK302@73", "NK501@75"]
    code, changed, err = lint("--changed-since", "HEAD", PAGE)
    assert (code, err) == (1, "")
    assert sorted(changed) == ["NK302@73", "NK501@75"]
    git(repo, "commit", "-qam", "edit Dirigent")
    assert lint("--changed-since", "HEAD", PAGE)[:2] == (0, [])
    assert sorted(lint("--changed-since", "HEAD~1", PAGE)[1]) == ["NK302@73", "NK501@75"]


def move_dirigent(repo: Path, into_group: bool) -> None:
    text = (repo / PAGE).read_text(encoding="utf-8")
    start = text.index(DIRIGENT)
    entry = text[start:]
    text = text[:start].rstrip("\n") + "\n"
    if into_group:  # nested under the "LLM Training" group: two more spaces of indentation
        entry = "".join("  " + line if line.strip() else line
                        for line in entry.splitlines(keepends=True))
        anchor = "* LLM Inference\n"
    else:
        anchor = "### Model Serving\n\n"
    at = text.index(anchor) + (0 if into_group else len(anchor))
    (repo / PAGE).write_text(text[:at] + entry + text[at:], encoding="utf-8")


@pytest.mark.parametrize("into_group", [False, True])
def test_a_moved_paper_is_not_a_change(repo: Path, into_group: bool) -> None:
    edit(repo / PAGE, "[Code](https://github.com/eth-easl/dirigent)",
         "[code](https://github.com/eth-easl/dirigent)")
    git(repo, "commit", "-qam", "an old NK302")
    move_dirigent(repo, into_group)
    code, everything, _ = lint(PAGE)
    assert "NK302" in " ".join(everything) and "NK204@14" in everything
    moved = [f for f in everything if f.startswith("NK302")][0]
    assert moved != "NK302@73"  # it really moved
    assert lint("--changed-since", "HEAD", PAGE)[1] == []


def test_meta_findings_kept_when_meta_changed(repo: Path) -> None:
    edit(repo / PAGE, "* <https://sigops.org/s/conferences/sosp/2024/accepted.html>\n", "")
    code, changed, _ = lint("--changed-since", "HEAD", PAGE)
    assert changed == ["NK204@13"]  # the line above was deleted


def test_new_file_keeps_all_findings(repo: Path) -> None:
    shutil.copy(repo / PAGE, repo / "conferences" / "sosp-2025.md")
    out = io.StringIO()
    run(["lint", "--changed-since", "HEAD", "conferences/sosp-2025.md"], out, io.StringIO())
    rows = [line for line in out.getvalue().splitlines() if ": NK" in line]
    rules = {line.split(": ")[1].split()[0] for line in rows}
    assert {"NK204", "NK101"} <= rules


def test_stale_twin_kept_when_the_page_changed(repo: Path) -> None:
    assert run(["sync", "conferences"], io.StringIO(), io.StringIO()) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "twin")
    edit(repo / PAGE, "  * ETH\n", "  * ETH & EPFL\n")
    out = io.StringIO()
    run(["lint", "--changed-since", "HEAD", "conferences"], out, io.StringIO())
    assert "conferences/sosp-2024.yaml:1:1: NK703" in out.getvalue()
    twin = Finding("conferences/sosp-2024.yaml", 1, 1, "NK703", "stale")
    git(repo, "commit", "-qam", "page only")
    assert only_changed([twin], "HEAD") == []
    assert only_changed([twin], "HEAD~1") == [twin]


def test_unknown_ref_is_exit_2(repo: Path) -> None:
    code, _, err = lint("--changed-since", "no-such-branch", PAGE)
    assert code == 2 and "no-such-branch" in err and err.count("\n") == 1
    with pytest.raises(InputError):
        only_changed([], "no-such-branch")
    with pytest.raises(InputError):
        only_changed([Finding(PAGE, 1, 1, "NK101", "x")], "--output=x")


def test_outside_a_repository_is_an_input_error(tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    page = lone / "sosp-2024.md"
    page.write_text("# SOSP 2024\n", encoding="utf-8")
    if subprocess.run(["git", "rev-parse"], cwd=lone, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    with pytest.raises(InputError, match="not in a git repository"):
        only_changed([Finding(str(page), 1, 1, "NK101", "x")], "HEAD")
