"""The VS Code extension (editors/vscode): a manifest VS Code accepts, and extension.js run
under node with stand-ins for the `vscode` and `vscode-languageclient` modules, starting
`notes-kit server` for Markdown and YAML. Skipped where node is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "editors" / "vscode"


def test_manifest() -> None:
    manifest = json.loads((EXTENSION / "package.json").read_text())
    assert (EXTENSION / manifest["main"]).is_file()
    assert "vscode-languageclient" in manifest["dependencies"]
    assert {"onLanguage:markdown", "onLanguage:yaml"} <= set(manifest["activationEvents"])
    assert manifest["engines"]["vscode"].startswith("^")
    assert not (EXTENSION / "node_modules").exists()  # installed by npm, never committed


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_extension_starts_the_server() -> None:
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run([node, str(ROOT / "tests" / "editors" / "vscode-check.js"),
                           str(EXTENSION / "extension.js")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["serverOptions"]["run"] == {"command": "notes-kit",
                                            "args": ["server", "--debounce", "400"]}
    languages = {s["language"] for s in seen["clientOptions"]["documentSelector"]}
    assert languages == {"markdown", "yaml"} and seen["started"] and seen["stopped"]
    assert ".notes-kit.toml" in seen["clientOptions"]["synchronize"]["fileEvents"]["glob"]
    assert seen["subscriptions"] == 1
