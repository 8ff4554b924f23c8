"""What the README and the nightly workflow promise about `notes-kit links` holds: the
workflow runs on a schedule only, its commands parse, the README's settings are valid."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from notes_kit.cli.main import build_parser
from notes_kit.core.findings import InputError
from notes_kit.lint.link_settings import KEYS, LinkSettings, check_table, from_config

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "links.yml"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    return README[start : README.index("\n## ", start + 1)]


def test_the_workflow_runs_nightly_and_never_on_push() -> None:
    data: Any = YAML(typ="safe", pure=True).load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(data["on"]) == {"schedule", "workflow_dispatch"}
    cron = data["on"]["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2:] == ["*", "*", "*"]  # every day
    runs = [step.get("run", "") for step in data["jobs"]["links"]["steps"]]
    commands = [line for run in runs for line in run.splitlines()
                if line.strip().startswith("notes-kit ")]
    assert commands and all(c.startswith("notes-kit links ") for c in commands)
    for command in commands:
        words = shlex.split(command.split("||")[0].split(">")[0])[1:]
        args = build_parser("links").parse_args(words)
        assert args.command == "links" and args.paths == ["conferences/"]
    cache = next(s for s in data["jobs"]["links"]["steps"]
                 if str(s.get("uses", "")).startswith("actions/cache"))
    assert cache["with"]["path"].endswith("/notes-kit/links-1")


def test_the_readme_section_gives_the_nightly_snippet() -> None:
    text = section("Checking links")
    assert "schedule:" in text and "cron:" in text and "notes-kit links" in text
    assert "push:" not in text and "pull_request" not in text


def test_the_readme_settings_are_valid_and_are_the_defaults() -> None:
    block = re.search(r"```toml\n(.*?)```", section("Checking links"), re.DOTALL)
    assert block is not None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    table = tomllib.loads(block.group(1))["tool"]["notes-kit"]["links"]
    assert set(table) == set(KEYS)  # every key is shown

    def error(message: str, *where: str) -> InputError:
        raise AssertionError(message)

    pairs = check_table(table, error)
    settings = from_config(type("C", (), {"links": pairs})())
    default = LinkSettings()
    for name in ("ttl_alive", "ttl_failed", "concurrency", "per_host", "delay", "timeout",
                 "retries", "max_redirects", "max_wait", "probe"):
        assert getattr(settings, name) == getattr(default, name), name


@pytest.mark.parametrize("rule", ["NK306", "NK307", "NK308", "NK309", "NK310"])
def test_each_link_rule_is_in_the_readme_verdicts(rule: str) -> None:
    assert f"| {rule} " in section("Checking links")
