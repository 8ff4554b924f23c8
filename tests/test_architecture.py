"""The layers contract (pyproject.toml, [tool.importlinter]) holds, fails when a rule module
imports the command line, and the package has no import cycle (function-level imports
counted; imports only for type checking are not run and are left out)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")
ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or \
    shutil.which("lint-imports")


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    if LINT_IMPORTS is None:
        pytest.skip("import-linter is not installed")
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--no-logo", str(where / "pyproject.toml")],
                          cwd=where, env=env, capture_output=True, text=True, check=False)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "notes_kit", tmp_path / "notes_kit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_on_a_copy(tmp_path: Path) -> None:
    done = _lint_imports(_copy(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_a_rule_importing_the_command_line_breaks_the_layers(tmp_path: Path) -> None:
    where = _copy(tmp_path)
    rule = where / "notes_kit" / "lint" / "rules" / "affiliations.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n\ndef _wrong() -> None:\n"
                    "    from notes_kit.cli.formats import FORMATS  # noqa: F401\n",
                    encoding="utf-8")
    done = _lint_imports(where)
    assert done.returncode == 1
    assert "notes_kit.lint is not allowed to import notes_kit.cli" in done.stdout
    assert "notes_kit.lint.rules.affiliations -> notes_kit.cli.formats" in done.stdout


def _cycles(graph: object) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    modules = sorted(graph.modules)  # type: ignore[attr-defined]
    edges = {m: sorted(graph.find_modules_directly_imported_by(m))  # type: ignore[attr-defined]
             for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("notes_kit", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("def f():\n    from loopy import b\n", encoding="utf-8")
    (package / "b.py").write_text("from loopy import a\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("loopy")) == [["loopy.a", "loopy.b"]]
