"""Property tests of the round-trip law over random valid models (see strategies.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from strategies import pages

from notes_kit.core.model import Page
from notes_kit.format.yaml.data import data_to_page
from notes_kit.pages import load_yaml_data, page_to_yaml, parse_markdown, to_markdown, to_yaml

SCHEMA = Path(__file__).resolve().parents[1] / "notes_kit" / "data" / "notes.schema.json"


def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


VALIDATOR = _validator()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages())
def test_round_trip_law_holds_for_random_models(page: Page) -> None:
    # YAML -> Markdown -> YAML gives the same YAML, and that YAML is schema-valid
    yaml_text = page_to_yaml(page)
    data = load_yaml_data(yaml_text)  # loaded safely, as the CLI does it
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []
    assert to_yaml(to_markdown(data_to_page(data))) == yaml_text
    # the rendered Markdown is a fixed point of parse + render
    markdown = to_markdown(page)
    assert to_markdown(parse_markdown(markdown)) == markdown
