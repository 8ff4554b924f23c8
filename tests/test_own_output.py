"""What notes-kit writes as YAML, checked without jsonschema on every run (issue 17).

to-yaml and sync refuse to write YAML the schema refuses. The check used to be
jsonschema itself (~90 ms to import, ~2 ms a page: more than the conversion); now
schema_check.passes() answers it and jsonschema is asked only about data that does
not pass. These tests show the two agree: on every page notes-kit can read (the
corpus, the repository's pages and fixtures), on generated models, and on data
broken in every way the schema can refuse. One fixture (NK402's, an affiliation
line with stray spaces) converts to data the schema refuses: so a check is needed,
and to-yaml refuses that page as it always did.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import pages

from notes_kit.cli.main import run
from notes_kit.core.files import read_source
from notes_kit.core.findings import InputError
from notes_kit.core.model import Page
from notes_kit.format.yaml.data import page_to_data
from notes_kit.format.yaml.schema_check import passes
from notes_kit.pages import page_to_yaml, parse_markdown

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "notes_kit" / "data" / "notes.schema.json"
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus" / "awesome-papers",
                           REPO.parents[1] / "shared" / "corpus" / "awesome-papers")
               if p.is_dir()), None)
LOCAL = sorted({*REPO.glob("conferences/*.md"), *(REPO / "tests" / "fixtures").rglob("*.md")})
FOUND = sorted(CORPUS.rglob("*.md")) if CORPUS is not None else []
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


VALIDATOR = _validator()


def agree(data: Any) -> bool:
    """passes() and jsonschema give the same answer; returns it."""
    valid = VALIDATOR.is_valid(data)
    assert passes(data) == valid, data
    return valid


def _data(paths: list[Path]) -> list[tuple[str, Any]]:
    found = []
    for path in paths:
        try:
            found.append((str(path), page_to_data(parse_markdown(read_source(str(path)),
                                                                 str(path)))))
        except (InputError, RecursionError):
            pass  # not a conference page: nothing is converted
    return found


def test_local_pages_and_the_one_that_converts_to_invalid_data(tmp_path: Path) -> None:
    converted = _data(LOCAL)
    assert len(converted) >= 10
    refused = [path for path, data in converted if not agree(data)]
    assert [Path(p).relative_to(REPO).as_posix() for p in refused] == [
        "tests/fixtures/rules/NK402/bad.md"]
    out, errors = tmp_path / "out.yaml", io.StringIO()
    assert run(["to-yaml", refused[0], "-o", str(out)], io.StringIO(), errors) == 2
    assert "cannot write valid YAML" in errors.getvalue() and "MSRA" in errors.getvalue()
    assert not out.exists()


@pytest.mark.skipif(CORPUS is None, reason="corpus not available")
def test_every_corpus_page() -> None:
    converted = _data(FOUND)
    assert len(converted) >= 70
    assert all(agree(data) for _, data in converted)


@settings(max_examples=200, deadline=None, suppress_health_check=SLOW)
@given(pages())
def test_generated_models(page: Page) -> None:
    assert agree(page_to_data(page))
    page_to_yaml(page, check=True)


def _places(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in the data."""
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*at, index))
    return found


_BREAKS: list[Any] = [" ", "", "\n", " lead", "trail ", "* item", "# h", "1. x", "a\nb",
                      "[x]", "(x)", 0, -1, 99, 10000, 1.5, 2.0, True, None, [], {}, ["x"],
                      {"x": 1}, float("nan"), "papers", "other", "x y"]


@settings(max_examples=400, deadline=None, suppress_health_check=SLOW)
@given(pages(), st.data())
def test_broken_data(page: Page, draw: st.DataObject) -> None:
    """Values replaced, keys dropped or added anywhere: passes() never says yes where
    jsonschema says no, and says no only where jsonschema does."""
    data = copy.deepcopy(page_to_data(page))
    for _ in range(draw.draw(st.integers(1, 3))):
        places = _places(data)
        where = draw.draw(st.sampled_from(places))
        parent: Any = data
        for step in where[:-1]:
            parent = parent[step]
        what = draw.draw(st.sampled_from(["replace", "drop", "add"]))
        if not where:
            break
        if what == "replace":
            parent[where[-1]] = copy.deepcopy(draw.draw(st.sampled_from(_BREAKS)))
        elif what == "drop":
            del parent[where[-1]]
        elif isinstance(parent, dict):
            parent[draw.draw(st.sampled_from(["extra", "title", "kind", "notes"]))] = \
                copy.deepcopy(draw.draw(st.sampled_from(_BREAKS)))
    agree(data)
