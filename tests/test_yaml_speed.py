"""The fast YAML writer: the same text as the round-trip dumper it replaced, a reused
dumper that survives a failed dump, and the schema checked only where YAML is written
or a twin reported (a fresh twin costs no jsonschema import)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import pages

from notes_kit.cli.main import run
from notes_kit.core.model import Page
from notes_kit.format.yaml import io as yaml_io
from notes_kit.format.yaml import schema
from notes_kit.format.yaml.data import page_to_data
from notes_kit.pages import page_to_yaml, parse_markdown, to_yaml

REPO = Path(__file__).resolve().parents[1]
SOSP = REPO / "conferences" / "sosp-2024.md"
PAGES = [SOSP, *sorted((Path(__file__).parent / "fixtures" / "roundtrip").glob("*.md"))]
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _round_trip_dump(data: Any) -> str:
    """The writer before: a round-trip dumper per call, on a copy whose multi-line
    values are LiteralScalarStrings. The oracle for the text, schema line aside."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    def literal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: literal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [literal(v) for v in value]
        if isinstance(value, str) and "\n" in value and yaml_io._literal_safe(value):
            return LiteralScalarString(value)
        return value

    yaml = YAML(typ="rt", pure=True)
    yaml.width = 1 << 30
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(literal(data), stream)
    return stream.getvalue()


def _body(yaml_text: str) -> str:
    return yaml_text.split("\n", 1)[1]  # without the schema comment line


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_same_text_as_the_round_trip_dumper(path: Path) -> None:
    data = page_to_data(parse_markdown(path.read_text(encoding="utf-8"), str(path)))
    assert _body(yaml_io.dump(data)) == _round_trip_dump(data)


@settings(max_examples=100, deadline=None, suppress_health_check=SLOW)
@given(pages())
def test_same_text_for_random_pages(page: Page) -> None:
    data = page_to_data(page)
    assert _body(yaml_io.dump(data)) == _round_trip_dump(data)


_SCALARS = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none())
_TREES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None, suppress_health_check=SLOW)
@given(st.dictionaries(st.text(max_size=8), _TREES, max_size=5))
def test_same_text_for_any_plain_data(data: dict[str, Any]) -> None:
    # odd strings, multi-line keys, None, floats: beyond what a page holds
    assert _body(yaml_io.dump(data)) == _round_trip_dump(data)


def test_a_failed_dump_leaves_the_next_one_whole() -> None:
    from ruamel.yaml.representer import RepresenterError

    with pytest.raises(RepresenterError):
        yaml_io.dump({"a": object()})
    assert _body(yaml_io.dump({"a": "b\nc"})) == "a: |-\n  b\n  c\n"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "conferences"
    folder.mkdir()
    (folder / "sosp-2024.md").write_text(SOSP.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_fresh_twins_cost_no_schema_check(folder: Path, cli_env: dict[str, str]) -> None:
    page, twin = folder / "sosp-2024.md", folder / "sosp-2024.yaml"
    twin.write_text(to_yaml(page.read_text(encoding="utf-8"), str(page), str(twin)),
                    encoding="utf-8")
    where = repr(str(folder))
    script = ("import sys; from notes_kit.cli.main import run; "
              f"codes = [run(['sync', {where}]), run(['sync', '--check', {where}])]; "
              "print(codes, 'jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], env=cli_env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert (done.stdout, done.stderr) == ("1 YAML twin up to date.\n[0, 0] False\n", "")


def test_valid_output_costs_no_jsonschema(folder: Path, cli_env: dict[str, str]) -> None:
    """The quick check (schema_check) passes what notes-kit writes: jsonschema is asked
    only about YAML that check does not pass (see tests/test_own_output.py)."""
    page = folder / "sosp-2024.md"
    script = ("import sys; from notes_kit.cli.main import run; "
              f"codes = [run(['to-yaml', {str(page)!r}]), run(['sync', {str(folder)!r}])]; "
              "print(codes, 'jsonschema' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], env=cli_env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert done.stderr == "[0, 0] False\n" and done.stdout.startswith("# yaml-language")


def test_yaml_the_schema_refuses_is_never_written(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from notes_kit.format.yaml import schema_check

    monkeypatch.setattr(schema_check, "passes", lambda data: False)  # jsonschema decides
    monkeypatch.setattr(schema, "validate", lambda data: [(["venue"], "venue: refused")])
    page, twin = folder / "sosp-2024.md", folder / "sosp-2024.yaml"
    refused = f"notes-kit: {twin}: cannot write valid YAML: venue: refused\n"
    assert _run("sync", str(folder)) == (2, "", refused)
    assert _run("sync", "--check", str(folder)) == (2, "", refused)
    assert not twin.exists()
    out = tmp_path / "out.yaml"
    code, _, err = _run("to-yaml", str(page), "-o", str(out))
    assert code == 2 and "cannot write valid YAML" in err and not out.exists()
    code, printed, err = _run("to-yaml", str(page))  # stdout is output too
    assert (code, printed) == (2, "") and "cannot write valid YAML" in err
    # a twin already equal to the conversion is left alone: nothing is written or checked
    text = page.read_text(encoding="utf-8")
    twin.write_text(page_to_yaml(parse_markdown(text), str(twin), check=False),
                    encoding="utf-8")
    assert _run("sync", str(folder)) == (0, "", "")
