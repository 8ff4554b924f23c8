"""Registry files among the linted files (issue 11, item 8): `conferences/venues.yaml` and
`conferences/affiliations.yaml` are checked as registries (registry.schema.json and the merge
rules, errors with their line), never linted as notes pages (NK601), whether walked or named."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
REGISTRIES = ("conferences/venues.yaml", "conferences/affiliations.yaml")


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A copy of this repository's collection and of the config that names its registries."""
    shutil.copytree(REPO / "conferences", tmp_path / "conferences")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")  # the twins point at it
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _break(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_the_shipped_registry_files_pass_as_pre_commit_passes_them(
        command: str, collection: Path, cli: Any) -> None:
    before = {name: (collection / name).read_bytes() for name in REGISTRIES}
    for names in ([REGISTRIES[0]], [REGISTRIES[1]], [*REGISTRIES, "conferences/sosp-2024.md"]):
        done = cli(command, *names, cwd=collection)
        assert done.returncode == 0, done.stdout + done.stderr
        assert b"NK601" not in done.stdout and done.stderr == b""
    assert {name: (collection / name).read_bytes() for name in REGISTRIES} == before


@pytest.mark.parametrize("walked", [False, True], ids=["named", "walked"])
@pytest.mark.parametrize(("name", "old", "new", "what"), [
    ("conferences/venues.yaml", "    full_name: ACM Symposium", "    fullname: ACM Symposium",
     "invalid registry"),
    ("conferences/affiliations.yaml", "    aliases: [IPADS, IPADS SJTU]",
     "    aliases: [IPADS, IPADS SJTU]\n  - name: Other\n    aliases: [IPADS]",
     "given to two affiliations"),
])
def test_a_broken_registry_entry_is_reported_with_its_line(
        walked: bool, name: str, old: str, new: str, what: str, collection: Path,
        cli: Any) -> None:
    line = _break(collection / name, old, new)
    done = cli("lint", "conferences/" if walked else name, cwd=collection)
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "NK601" not in done.stdout.decode()
    assert f"{name}:" in stderr and what in stderr, stderr
    assert any(f"{name}:{where}:" in stderr for where in range(line - 2, line + 3)), stderr


def test_a_registry_not_named_in_the_config_is_still_no_notes_page(tmp_path: Path,
                                                                    cli: Any) -> None:
    other = tmp_path / "more-venues.yaml"
    other.write_text("venues:\n  - slug: abc\n    name: ABC\n    full_name: A B C\n",
                     encoding="utf-8")
    done = cli("lint", str(other))
    assert done.returncode == 0 and b"NK601" not in done.stdout, done.stdout + done.stderr
    other.write_text("venues:\n  - slug: Bad Slug\n    name: B\n    full_name: B\n",
                     encoding="utf-8")
    done = cli("lint", str(other))
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"notes-kit: {other}:2: invalid registry")
