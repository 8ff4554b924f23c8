"""yaml_emitter.Emitter answers as ruamel's own emitter does: the same scalar analysis for any
string, and byte-identical documents (quoting, Unicode, long strings, special scalars)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import pages

from notes_kit.core.files import read_source
from notes_kit.core.findings import InputError
from notes_kit.format.yaml import io as yaml_io
from notes_kit.format.yaml.data import page_to_data
from notes_kit.format.yaml.emitter import Emitter
from notes_kit.pages import parse_markdown

REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus" / "awesome-papers",
                           REPO.parents[1] / "shared" / "corpus" / "awesome-papers")
               if p.is_dir()), None)
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Every character class the analysis tells apart: indicators, whitespace and breaks,
# ASCII control, Latin-1, BMP, surrogates, BOM, private use, astral.
SPECIAL = list("#,[]{}&*!|>'\"%@`?:-. \t\r\n\x00\x07\x1b\x7f\x85\xa0\u2028\u2029\ufeff"
               "\ud800\udfff\ue000\ufffd\ufffe\U0001f600\U0010ffff") + ["---", "...", ": ",
                                                                        " #", "yes", "null",
                                                                        "1e3", "~", "0x1F"]
SCALARS = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=4)),
                   max_size=8).map("".join)


def _plain_emitter() -> Any:
    """A dumper configured as yaml_io's, with ruamel's own emitter and serializer."""
    return yaml_io._dumper(plain=True)


def _emitters() -> tuple[Any, Any]:
    """Two emitters as a dump sets them up: ruamel's and ours."""
    ours, theirs = yaml_io._dumper(), _plain_emitter()
    made = []
    for yaml in (theirs, ours):
        yaml.dump({"a": "b"}, io.StringIO())  # builds the emitter, serializer and resolver
        made.append(yaml)
    return made[0], made[1]


def _analysis(yaml: Any, scalar: str) -> tuple[Any, ...]:
    emitter = yaml.emitter
    result = type(emitter).analyze_scalar(emitter, scalar)
    return (result.scalar, result.empty, result.multiline, result.allow_flow_plain,
            result.allow_block_plain, result.allow_single_quoted, result.allow_double_quoted,
            result.allow_block)


@settings(max_examples=3000, deadline=None, suppress_health_check=SLOW)
@given(SCALARS)
def test_the_analysis_of_any_scalar_is_ruamels(scalar: str) -> None:
    theirs, ours = _emitters()
    assert type(ours.emitter) is Emitter
    assert _analysis(ours, scalar) == _analysis(theirs, scalar)


def _dump_with(yaml: Any, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def same_text(data: Any) -> None:
    assert _dump_with(_plain_emitter(), data) == yaml_io.dump(data).split("\n", 1)[1]


_TRICKY = st.sampled_from(["yes", "no", "null", "~", "1e3", "0o17", "2024-01-01", "a: b",
                           "Title: with colon", "- dash", "#hash", "'quoted'", '"dq"',
                           "tab\there", "trail ", " lead", "line\nbreak", "x" * 300,
                           "多模态推理 😀", "\u2028sep", "\ufeffbom", "a\\b", ":", "?", "-"])
_VALUES = st.one_of(_TRICKY, SCALARS, st.integers(), st.floats(allow_nan=False), st.none(),
                    st.booleans())
_TREES = st.recursive(_VALUES, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.one_of(_TRICKY, st.text(max_size=8)), inner,
                                        max_size=4), max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=SLOW)
@given(st.dictionaries(st.one_of(_TRICKY, st.text(max_size=10)), _TREES, max_size=6))
def test_documents_are_byte_identical(data: dict[str, Any]) -> None:
    same_text(data)


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW)
@given(pages())
def test_generated_pages_are_byte_identical(page: Any) -> None:
    same_text(page_to_data(page))


def _page_data(paths: list[Path]) -> list[Any]:
    found = []
    for path in paths:
        try:
            found.append(page_to_data(parse_markdown(read_source(str(path)), str(path))))
        except InputError:
            pass
    return found


def test_local_pages_are_byte_identical() -> None:
    data = _page_data(sorted({*REPO.glob("conferences/*.md"),
                              *(REPO / "tests" / "fixtures").rglob("*.md")}))
    assert len(data) >= 10
    for item in data:
        same_text(item)


@pytest.mark.skipif(CORPUS is None, reason="corpus not available")
def test_corpus_pages_are_byte_identical() -> None:
    assert CORPUS is not None
    data = _page_data(sorted(CORPUS.rglob("*.md")))
    assert len(data) >= 70
    for item in data:
        same_text(item)


def test_a_tree_that_is_not_plain_is_dumped_by_ruamels_own_serializer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notes_kit.format.yaml import emitter as yaml_emitter

    data = {"title": "a: b", "items": ["yes", None, 3, "line\nbreak"]}
    expected = yaml_io.dump(data)

    def refuse(self: Any, node: Any, parent: Any, index: Any) -> None:
        raise yaml_emitter.NotPlain("test")

    monkeypatch.setattr(yaml_emitter.Serializer, "serialize_node", refuse)
    yaml_io._forget(False)
    assert yaml_io.dump(data) == expected
    monkeypatch.undo()
    yaml_io._forget(False)
    assert yaml_io.dump(data) == expected
