"""The GitHub Action (action.yml) and the workflows: valid against check-jsonschema's built-in
schemas (shipped with it: no network), and the action's own shell steps run here, in
order, as a runner would run them on a pull request of a scratch repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SEED = ROOT / "tests" / "fixtures" / "seed" / "sosp-2024.original.md"
CANONICAL = ROOT / "tests" / "fixtures" / "rules" / "NK101" / "good.md"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("check_jsonschema")
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           schema, *map(str, files)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_action_is_valid() -> None:
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_are_valid() -> None:
    assert WORKFLOWS
    done = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text().replace("using: composite", "using: compost"))
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(ACTION.read_text())
    return data


def test_inputs_the_issue_asks_for() -> None:
    inputs = load_action()["inputs"]
    assert {"paths", "changed-since", "sarif", "reviewdog", "summary"} <= set(inputs)
    assert inputs["sarif"]["default"] == "true" and inputs["reviewdog"]["default"] == "false"


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def pull_request(tmp_path: Path) -> Path:
    """A repository whose `main` holds a clean page and whose branch adds a typo to one
    paper and an entity to another; `origin` is the repository itself."""
    repo = tmp_path / "repo"
    (repo / "conferences").mkdir(parents=True)
    page = repo / "conferences" / "sosp-2024.md"
    shutil.copy(CANONICAL, page)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main")
    git(repo, "remote", "add", "origin", str(repo))
    git(repo, "checkout", "-qb", "topic")
    text = page.read_text().replace("* Automatically apply", "* Automatically aplly")
    page.write_text(text.replace("ML models.", "ML models.&#x20;", 1))
    git(repo, "commit", "-qam", "topic")
    return repo


def resolve(value: str, context: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(value))


def run_steps(repo: Path, inputs: dict[str, str], github: dict[str, str],
              tmp_path: Path) -> tuple[dict[str, str], str]:
    """The action's `shell: bash` steps whose `if` holds for these inputs (the `uses:` steps
    are GitHub's and reviewdog's own actions, not run here): outputs and the summary."""
    action = load_action()
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in inputs.items()})
    context.update({f"github.{k}": v for k, v in github.items()})
    summary = tmp_path / "summary.md"
    bin_dir = Path(sys.executable).parent
    outputs: dict[str, str] = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or not _holds(step.get("if"), context):
            continue
        output = tmp_path / f"output-{step.get('id', 'x')}"
        output.write_text("")
        env = {**os.environ, **{k: resolve(v, context) for k, v in step.get("env", {}).items()},
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
               "GITHUB_ACTION_PATH": str(ROOT),
               "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        script = step["run"]
        if step["name"] == "Install notes-kit":
            continue  # this checkout is installed already
        done = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        outputs[step["name"]] = str(done.returncode)
        outputs[f"{step['name']}:stdout"] = done.stdout
        for line in output.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step.get('id')}.outputs.{key}"] = value
            outputs[f"{step.get('id')}.{key}"] = value
    return outputs, summary.read_text() if summary.exists() else ""


def _holds(condition: str | None, context: dict[str, str]) -> bool:
    """The few conditions action.yml uses: `inputs.x == 'true'` (and `!= ''`), alone or
    with the event name."""
    if not condition:
        return True
    for name, op, value in re.findall(r"([\w.-]+) (==|!=) '([^']*)'", condition):
        actual = context.get(name, "")
        if (actual == value) != (op == "=="):
            return False
    return True


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_action_on_a_pull_request(tmp_path: Path) -> None:
    repo = pull_request(tmp_path)
    github = {"base_ref": "main", "event_name": "pull_request"}
    outputs, summary = run_steps(repo, {"paths": "conferences", "sarif": "true"}, github,
                                 tmp_path)
    assert outputs["base.args"] == "--changed-since origin/main"
    lint = outputs["Lint (annotations):stdout"]
    assert lint.count("::error ") == 2 and "title=NK501" in lint and "title=NK502" in lint
    assert outputs["lint.status"] == "1"
    assert "| [NK501](" in summary and "Found 2 errors" in summary
    assert (repo / "notes-kit.sarif").is_file() and outputs["reports.sarif-file"]
    assert outputs["Fail when findings are left"] == "1"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_action_without_a_pull_request_lints_everything(tmp_path: Path) -> None:
    repo = pull_request(tmp_path)
    outputs, summary = run_steps(repo, {"paths": "conferences", "sarif": "false",
                                        "summary": "false"}, {"event_name": "push"}, tmp_path)
    assert outputs["base.args"] == "" and summary == ""
    assert "SARIF" not in outputs and outputs["lint.status"] == "1"
