"""pre-commit, for real: the hooks of .pre-commit-hooks.yaml installed by pre-commit and run on a
notes repository, and the local hooks of this repository's .pre-commit-config.yaml.

pre-commit installs a hook repository from a git commit, so uncommitted work would be
invisible to it (and `pre-commit try-repo` only carries over changes to tracked files, and
installs into a throw-away store on every call). The fixture therefore commits a snapshot of
this checkout's working tree (tracked and untracked, minus ignored files) into a temporary
repository and points a config at that commit; PRE_COMMIT_HOME is shared by the module, so
pre-commit installs the package (with pip, from the package registry) once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
PAGE = "conferences/sosp-2024.md"
TWIN = "conferences/sosp-2024.yaml"
HOOKS = ("notes-kit-lint", "notes-kit-fix", "notes-kit-sync")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def pre_commit_command() -> list[str] | None:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        found = shutil.which("pre-commit")
        return [found] if found else None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = pre_commit_command()
pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="needs pre-commit and git")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV},
                          capture_output=True, text=True, check=True)
    return done.stdout


def snapshot(target: Path) -> str:
    """Commit this checkout's working tree into `target`; return the commit."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout: copy what a build would see
        shutil.copytree(ROOT, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", "*venv", "*cache*", "*.egg-info", "__pycache__", "build"))
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot of the working tree")
    return git(target, "rev-parse", "HEAD").strip()


def write_yaml(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)


class PreCommit:
    def __init__(self, home: Path, config: Path, repo: Path | None = None) -> None:
        self.config, self.repo = config, repo
        self.env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
                    "NOTES_KIT_CACHE_DIR": str(home / "notes-kit-cache"),
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def __call__(self, cwd: Path, *args: str, config: Path | None = None,
                 timeout: int = 600) -> subprocess.CompletedProcess[str]:
        assert PRE_COMMIT is not None
        return subprocess.run([*PRE_COMMIT, *args, "--config", str(config or self.config)],
                              cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def hook(self, cwd: Path, hook: str, *files: str,
             config: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self(cwd, "run", hook, "--color", "never", "--files", *files, config=config)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreCommit]:
    """The hooks of this checkout, installed once for the module (pip may use the network)."""
    if os.environ.get("NOTES_KIT_OFFLINE") == "1":
        pytest.skip("NOTES_KIT_OFFLINE=1: pre-commit cannot install the hooks")
    base = tmp_path_factory.mktemp("pre-commit")
    (base / "hooks-repo").mkdir()
    rev = snapshot(base / "hooks-repo")
    config = base / "config.yaml"
    write_yaml(config, {"repos": [{"repo": str(base / "hooks-repo"), "rev": rev,
                                   "hooks": [{"id": hook} for hook in HOOKS]}]})
    runner = PreCommit(base / "home", config, base / "hooks-repo")
    notes = notes_repo(base / "install-here")
    started = time.monotonic()
    done = runner(notes, "install-hooks")
    if done.returncode != 0:
        pytest.fail(f"pre-commit could not install the hooks:\n{done.stdout}\n{done.stderr}")
    print(f"pre-commit installed the hooks in {time.monotonic() - started:.1f}s")
    yield runner


def notes_repo(where: Path) -> Path:
    """A git repository holding the seed page (and nothing staged, like a working copy)."""
    (where / "conferences").mkdir(parents=True)
    shutil.copy(ROOT / PAGE, where / PAGE)
    git(where, "init", "-q")
    git(where, "add", "-A")
    git(where, "commit", "-qm", "notes")
    return where


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    return notes_repo(tmp_path / "notes")


def plant(repo: Path, old: str, new: str) -> None:
    text = (repo / PAGE).read_text(encoding="utf-8")
    assert old in text
    (repo / PAGE).write_text(text.replace(old, new, 1), encoding="utf-8")


TYPO = ("* Simplify state management", "* Simplify the Modle state management")
LABEL = ("[Code](https://github.com/eth-easl/dirigent)",
         "[code](https://github.com/eth-easl/dirigent)")


def write_twin(repo: Path) -> None:
    """The page's twin as this checkout converts it (the committed one may lag behind)."""
    from notes_kit.pages import to_yaml

    text = (repo / PAGE).read_text(encoding="utf-8")
    (repo / TWIN).write_text(to_yaml(text, PAGE, str(repo / TWIN)), encoding="utf-8")


def rule_registered(rule_id: str) -> bool:
    from notes_kit.lint.rules.registry import all_rules

    return rule_id in all_rules()


@pytest.mark.network
def test_lint_hook_fails_on_a_typo_and_passes_when_fixed(installed: PreCommit,
                                                         notes: Path) -> None:
    original = (notes / PAGE).read_text(encoding="utf-8")
    plant(notes, *TYPO)
    plant(notes, *LABEL)
    done = installed.hook(notes, "notes-kit-lint", PAGE)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "NK302" in done.stdout and "'code'" in done.stdout
    if rule_registered("NK501"):
        assert "NK501" in done.stdout and "'Modle'" in done.stdout
    (notes / PAGE).write_text(original, encoding="utf-8")
    done = installed.hook(notes, "notes-kit-lint", PAGE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


@pytest.mark.network
def test_fix_hook_rewrites_and_reports(installed: PreCommit, notes: Path) -> None:
    plant(notes, *LABEL)
    before = (notes / PAGE).read_text(encoding="utf-8")
    done = installed.hook(notes, "notes-kit-fix", PAGE)
    assert done.returncode != 0, done.stdout + done.stderr
    after = (notes / PAGE).read_text(encoding="utf-8")
    assert after != before and after == (ROOT / PAGE).read_text(encoding="utf-8")
    assert "NK302" in done.stdout and "files were modified by this hook" in done.stdout
    # a short report: what changed and the counts; the lint hook lists what is left
    assert "Fixed 1 finding in 1 file." in done.stdout and "[error]" not in done.stdout
    done = installed.hook(notes, "notes-kit-fix", PAGE)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.network
def test_sync_hook_catches_a_missing_or_stale_twin(installed: PreCommit, notes: Path) -> None:
    done = installed.hook(notes, "notes-kit-sync", PAGE)
    assert done.returncode == 1 and "NK703" in done.stdout and "missing" in done.stdout
    write_twin(notes)
    assert installed.hook(notes, "notes-kit-sync", PAGE, TWIN).returncode == 0
    plant(notes, "  * ETH\n", "  * ETH & EPFL\n")
    for files in ((PAGE, TWIN), (TWIN,), (PAGE,)):
        done = installed.hook(notes, "notes-kit-sync", *files)
        assert done.returncode == 1, (files, done.stdout + done.stderr)
        assert f"{TWIN}: NK703 out of date with" in done.stdout


@pytest.mark.network
def test_try_repo(installed: PreCommit, notes: Path) -> None:
    """What a user types to try the hooks before adding them to a config."""
    assert PRE_COMMIT is not None and installed.repo is not None
    plant(notes, *LABEL)
    done = subprocess.run([*PRE_COMMIT, "try-repo", str(installed.repo), "notes-kit-lint",
                           "--color", "never", "--files", PAGE], cwd=notes, env=installed.env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "notes-kit-lint" in done.stdout and "NK302" in done.stdout


def local_hooks_config(target: Path) -> Path:
    """This repository's `repo: local` hooks alone (the remote ones need GitHub)."""
    config = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-config.yaml").read_text())
    local = [repo for repo in config["repos"] if repo["repo"] == "local"]
    assert {hook["id"] for repo in local for hook in repo["hooks"]} == set(HOOKS)
    write_yaml(target, {"repos": local})
    return target


def test_this_repositorys_local_hooks(tmp_path: Path, notes: Path) -> None:
    runner = PreCommit(tmp_path / "home", local_hooks_config(tmp_path / "local.yaml"))
    write_twin(notes)
    for hook in HOOKS:
        done = runner.hook(notes, hook, PAGE, TWIN)
        assert done.returncode == 0, (hook, done.stdout + done.stderr)
    plant(notes, *LABEL)
    done = runner.hook(notes, "notes-kit-lint", PAGE, TWIN)
    assert done.returncode == 1 and "NK302" in done.stdout
    done = runner.hook(notes, "notes-kit-sync", PAGE, TWIN)
    assert done.returncode == 0  # a label's spelling is fixed in the YAML form too
    plant(notes, "  * ETH\n", "  * ETH & EPFL\n")
    done = runner.hook(notes, "notes-kit-sync", PAGE, TWIN)
    assert done.returncode == 1 and "NK703" in done.stdout
    outside = runner.hook(notes, "notes-kit-lint", "README.md")
    assert "no files to check" in outside.stdout.lower() or outside.returncode == 0


def test_manifest_and_config_are_valid() -> None:
    assert PRE_COMMIT is not None
    for what, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                       ("validate-config", ".pre-commit-config.yaml")):
        done = subprocess.run([*PRE_COMMIT, what, str(ROOT / name)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    hooks = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == set(HOOKS)
    assert by_id["notes-kit-sync"]["entry"] == "notes-kit sync --check"
    assert all(hook["language"] == "python" and hook["types_or"] == ["markdown", "yaml"]
               and "files" not in hook and hook["minimum_pre_commit_version"] == "2.9.0"
               for hook in hooks)
    assert by_id["notes-kit-lint"]["entry"] == "notes-kit lint --force-exclude"
    assert by_id["notes-kit-fix"]["entry"] == "notes-kit fix --force-exclude --brief"


@pytest.mark.network
def test_the_lint_hook_leaves_out_what_the_config_excludes(installed: PreCommit,
                                                            notes: Path) -> None:
    """--force-exclude in the entry: pre-commit names the staged file, the config's exclude
    still holds (and pre-commit's own type filter passes no other file)."""
    plant(notes, *LABEL)
    (notes / ".notes-kit.toml").write_text('extend-exclude = ["conferences/sosp-2024.md"]\n')
    (notes / "script.py").write_text("print('not notes')\n")
    done = installed.hook(notes, "notes-kit-lint", PAGE, "script.py")
    assert done.returncode == 0, done.stdout + done.stderr


def test_local_hooks_check_registry_files_as_registries(tmp_path: Path, notes: Path) -> None:
    """pre-commit passes conferences/venues.yaml to the hooks like any page (issue 11, item 8):
    it passes as a registry, and a broken entry fails with its line, never with NK601."""
    runner = PreCommit(tmp_path / "home", local_hooks_config(tmp_path / "local.yaml"))
    registries = ["conferences/venues.yaml", "conferences/affiliations.yaml"]
    for name in registries:
        shutil.copy(ROOT / name, notes / name)
    (notes / "pyproject.toml").write_text(
        '[tool.notes-kit]\nextra-venues = ["conferences/venues.yaml"]\n'
        'extra-affiliations = ["conferences/affiliations.yaml"]\n', encoding="utf-8")
    git(notes, "add", "-A")
    git(notes, "commit", "-qm", "registries")
    for hook in ("notes-kit-fix", "notes-kit-lint"):
        done = runner.hook(notes, hook, *registries)
        assert done.returncode == 0, (hook, done.stdout + done.stderr)
        assert "NK601" not in done.stdout
    venues = notes / registries[0]
    text = venues.read_text(encoding="utf-8")
    venues.write_text(text.replace("    full_name:", "    fullname:", 1), encoding="utf-8")
    entry = text[: text.index("  - slug:")].count("\n") + 1
    done = runner.hook(notes, "notes-kit-lint", registries[0])
    assert done.returncode != 0 and "NK601" not in done.stdout
    assert f"{registries[0]}:{entry}: invalid registry" in done.stdout, done.stdout
