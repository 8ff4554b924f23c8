"""The round-trip law on golden pages: to-md(to-yaml(P)) == P for canonical pages,
the canonical output for pages written in accepted variants, and the YAML's shape."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from notes_kit.lint.engine import fix
from notes_kit.pages import from_yaml, to_markdown, to_yaml, yaml_to_markdown

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "roundtrip"
SOSP = REPO / "conferences" / "sosp-2024.md"
SCHEMA = REPO / "notes_kit" / "data" / "notes.schema.json"

CANONICAL = [SOSP, *sorted(p for p in FIXTURES.glob("*.md") if p.name.count(".") == 1)]
VARIANTS = sorted(FIXTURES.glob("*.in.md"))

# Every key of the YAML form, in the order it is written wherever it occurs.
KEY_ORDER = ["schema_version", "venue", "year", "front_matter", "preamble", "meta", "full_name",
             "homepage", "paper_lists", "acceptance_rate", "sections", "group", "title", "kind",
             "label", "text", "percent", "accepted", "submitted", "cycles", "url", "term",
             "meaning", "topics", "papers", "acronyms", "links", "affiliations", "tags", "notes",
             "children", "raw"]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=\S+\n")
KEY_LINE = re.compile(r"^ *(?:- |[a-z_]+:(?: |$))")  # a list item or a key, nothing else
BLOCK_SCALAR = re.compile(r"(?::|-) ([|>])[-+]?\d*$")


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", CANONICAL, ids=_ids(CANONICAL))
def test_canonical_page_survives_the_round_trip(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    yaml_text = to_yaml(page, str(path))
    assert yaml_to_markdown(yaml_text) == page
    assert to_yaml(yaml_to_markdown(yaml_text)) == yaml_text
    assert fix(page, str(path)).text == page  # a canonical page has nothing to fix


@pytest.mark.parametrize("path", CANONICAL, ids=_ids(CANONICAL))
def test_yaml_form_is_schema_valid_ordered_and_unfolded(path: Path) -> None:
    yaml_text = to_yaml(path.read_text(encoding="utf-8"), str(path))
    assert SCHEMA_LINE.match(yaml_text)
    data = _load(yaml_text)
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == []
    _assert_key_order(data)
    _assert_unfolded(yaml_text)


def _assert_key_order(value: Any, where: str = "") -> None:
    if isinstance(value, dict):
        ranks = [KEY_ORDER.index(key) for key in value]
        assert ranks == sorted(ranks), f"{where or '(document)'}: keys {list(value)}"
        for key, item in value.items():
            _assert_key_order(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _assert_key_order(item, f"{where}.{index}")


def _assert_unfolded(yaml_text: str) -> None:
    """Every line is one key or one list item, except inside literal `|` blocks; no `>`."""
    lines = yaml_text.split("\n")[1:-1]
    literal_at: int | None = None  # indentation of the line that opened a literal block
    for number, line in enumerate(lines, 2):
        indent = len(line) - len(line.lstrip(" "))
        if literal_at is not None and (not line.strip() or indent > literal_at):
            continue
        literal_at = None
        assert KEY_LINE.match(line), f"line {number} continues a folded scalar: {line!r}"
        block = BLOCK_SCALAR.search(line)
        if block:
            assert block.group(1) == "|", f"line {number} folds: {line!r}"
            literal_at = indent


def test_long_lines_are_never_folded() -> None:
    title = "A " + "very " * 200 + "long title"
    page = SOSP.read_text(encoding="utf-8").replace(
        "Dirigent: Lightweight Serverless Orchestration", title)
    yaml_text = to_yaml(page)
    assert f"- title: {title}\n" in yaml_text
    _assert_unfolded(yaml_text)
    assert yaml_to_markdown(yaml_text) == page


def test_committed_yaml_twin_is_the_conversion_of_the_page() -> None:
    twin = SOSP.with_suffix(".yaml")
    assert to_yaml(SOSP.read_text(encoding="utf-8"), str(SOSP), str(twin)) == \
        twin.read_text(encoding="utf-8")
    assert twin.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/notes.schema.json\n")


def test_shipped_schema_matches_the_project_schema() -> None:
    project = REPO / "schemas" / "notes.schema.json"
    assert json.loads(project.read_text(encoding="utf-8")) == \
        json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_model_from_yaml_equals_model_from_markdown() -> None:
    from notes_kit.pages import parse_markdown

    page = SOSP.read_text(encoding="utf-8")
    assert from_yaml(to_yaml(page)) == parse_markdown(page)


def test_cli_pipeline_reproduces_the_page(cli_env: dict[str, str], tmp_path: Path) -> None:
    """`notes-kit to-yaml conferences/sosp-2024.md | notes-kit to-md -`, through a real pipe."""
    command = [sys.executable, "-m", "notes_kit"]
    first = subprocess.Popen([*command, "to-yaml", str(SOSP)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=cli_env,
                             cwd=tmp_path)
    second = subprocess.Popen([*command, "to-md", "-"], stdin=first.stdout,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env,
                              cwd=tmp_path)
    assert first.stdout is not None
    first.stdout.close()  # the second process owns the read end now
    out, err = second.communicate(timeout=30)
    first_err = first.communicate(timeout=30)[1]
    assert (first.returncode, second.returncode, first_err, err) == (0, 0, b"", b"")
    assert out == SOSP.read_bytes()


@pytest.mark.parametrize("path", VARIANTS, ids=_ids(VARIANTS))
def test_variant_input_converts_to_the_canonical_page(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    expected = path.with_name(path.name.replace(".in.md", ".out.md")).read_text(encoding="utf-8")
    assert source != expected
    assert yaml_to_markdown(to_yaml(source, str(path))) == expected
    assert fix(source, str(path)).text == expected
    # the canonical output is a fixed point of both conversion and fix
    assert yaml_to_markdown(to_yaml(expected)) == expected
    assert fix(expected, str(path)).text == expected
    assert to_markdown(from_yaml(to_yaml(expected))) == expected


@pytest.mark.parametrize("path", VARIANTS, ids=_ids(VARIANTS))
def test_variant_findings_are_all_fixable_and_gone_after_fix(path: Path) -> None:
    from notes_kit.lint.engine import lint

    source = path.read_text(encoding="utf-8")
    structural = {"NK103", "NK104", "NK202", "NK203", "NK205", "NK301", "NK302", "NK303"}
    before = {f.rule for f in lint(source, str(path)) if f.fixable}
    assert before & structural
    after = {f.rule for f in lint(fix(source, str(path)).text, str(path)) if f.fixable}
    assert not after & structural
