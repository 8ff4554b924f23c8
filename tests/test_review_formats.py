"""Review formats: rdjson (reviewdog) against reviewdog's own schema, with its suggestions
applied as reviewdog applies them (UTF-8 byte columns); the GitLab code quality report
against GitLab's documented fields; the Markdown job summary."""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft7Validator

from notes_kit.cli.main import run
from notes_kit.cli.reporters_review import byte_column, render_gitlab, render_rdjson
from notes_kit.cli.reporters_stats import render_summary
from notes_kit.core.edits import apply_edits
from notes_kit.core.findings import Edit, Finding, FixKind, Severity
from notes_kit.lint.engine import lint
from notes_kit.lint.rules.registry import all_rules

TESTS = Path(__file__).resolve().parent
RDJSON_SCHEMA = TESTS / "fixtures" / "rdjson" / "DiagnosticResult.json"
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
CANONICAL = TESTS / "fixtures" / "rules" / "NK101" / "good.md"

# GitLab's code quality report as its documentation describes it ("Code Quality report
# format": an array of objects with description, check_name, fingerprint, severity,
# location.path and location.lines.begin); GitLab publishes no JSON schema of it.
GITLAB_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))


def nk(*args: str | Path, stdin: bytes | None = None,
       monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def strict(schema: Any) -> Any:
    """The schema with `additionalProperties: false` wherever it lists properties: a key it
    does not name (a typo such as `suggestion`) fails."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def rdjson_errors(document: Any) -> list[str]:
    schema = json.loads(RDJSON_SCHEMA.read_text(encoding="utf-8"))
    found = []
    for variant in (schema, strict(schema)):
        found += [e.message for e in Draft4Validator(variant).iter_errors(document)]
    return found


def emoji_page() -> str:
    """A canonical page whose label casing is wrong after non-BMP characters on its line."""
    text = CANONICAL.read_text(encoding="utf-8")
    old = "* Apparate: Rethinking"
    assert old in text
    return text.replace(old, "* 🚀😀 Apparate: Rethinking", 1).replace("[Code](https://github."
                                                                     "com/dywsjtu", "[code]("
                                                                     "https://github.com/dywsjtu")


def apply_suggestions(data: bytes, suggestions: list[dict[str, Any]]) -> bytes:
    """reviewdog's reading: 1-based lines, columns in UTF-8 bytes, end exclusive."""
    starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]

    def offset(position: dict[str, int]) -> int:
        return starts[position["line"] - 1] + position["column"] - 1

    spans = sorted(((offset(s["range"]["start"]), offset(s["range"]["end"]), s["text"])
                    for s in suggestions), reverse=True)
    for start, end, text in spans:
        data = data[:start] + text.encode("utf-8") + data[end:]
    return data


def test_rdjson_of_the_seed_validates() -> None:
    code, out, _ = nk("lint", "--format", "rdjson", SEED)
    document = json.loads(out)
    assert code == 1 and rdjson_errors(document) == []
    assert document["source"]["name"] == "notes-kit"
    codes = [d["code"]["value"] for d in document["diagnostics"]]
    assert codes == ["NK501", "NK502"]
    entity = document["diagnostics"][1]
    assert entity["severity"] == "ERROR" and entity["code"]["url"].endswith("#nk502-html-leftover")
    assert entity["suggestions"][0]["text"] == ""


def test_rdjson_columns_are_utf8_bytes_and_suggestions_apply(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(emoji_page(), encoding="utf-8")
    _, out, _ = nk("lint", "--format", "rdjson", page)
    document = json.loads(out)
    assert rdjson_errors(document) == []
    label = next(d for d in document["diagnostics"] if d["code"]["value"] == "NK302")
    findings = [f for f in lint(emoji_page(), str(page)) if f.rule == "NK302"]
    assert len(findings) == 1
    row = emoji_page().split("\n")[findings[0].line - 1]
    expected = len(row[: findings[0].column - 1].encode("utf-8")) + 1
    assert label["location"]["range"]["start"]["column"] == expected
    assert expected == findings[0].column + 6  # two emoji: 4 bytes each, 1 code point each
    fixed = apply_suggestions(page.read_bytes(), label["suggestions"])
    assert fixed.decode("utf-8") == apply_edits(emoji_page(), findings[0].edits)


def test_rdjson_from_standard_input_uses_that_text(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = nk("lint", "-", "--stdin-filename", "nowhere/sosp-2024.md", "--format",
                      "rdjson", stdin=emoji_page().encode(), monkeypatch=monkeypatch)
    label = next(d for d in json.loads(out)["diagnostics"] if d["code"]["value"] == "NK302")
    finding = next(f for f in lint(emoji_page(), "x.md") if f.rule == "NK302")
    assert label["location"]["range"]["start"]["column"] == finding.column + 6
    assert label["location"]["path"] == "nowhere/sosp-2024.md"


def test_byte_column_without_the_text_keeps_code_points() -> None:
    assert byte_column(None, 3, 7) == 7
    assert byte_column(["a𐐀b"], 1, 3) == 6  # reviewdog's own example
    assert byte_column(["a𐐀b"], 2, 1) == 1


def test_a_whole_file_finding_has_no_range() -> None:
    document = json.loads(render_rdjson([Finding("x.md", 0, 0, "NK703", "stale")], {}))
    assert document["diagnostics"][0]["location"] == {"path": "x.md"}
    assert rdjson_errors(document) == []


def test_gitlab_report_has_the_documented_fields() -> None:
    code, out, _ = nk("lint", "--format", "gitlab", SEED)
    issues = json.loads(out)
    assert code == 1 and list(Draft7Validator(GITLAB_SCHEMA).iter_errors(issues)) == []
    assert [i["check_name"] for i in issues] == ["NK501", "NK502"]
    assert [i["location"]["lines"]["begin"] for i in issues] == [36, 36]
    assert {i["severity"] for i in issues} == {"major"}


def test_gitlab_fingerprints_are_unique_and_stable_when_lines_move() -> None:
    twice = [Finding("a.md", 3, 1, "NK501", "'Modle' may be misspelled"),
             Finding("a.md", 9, 1, "NK501", "'Modle' may be misspelled"),
             Finding("a.md", 9, 4, "NK304", "http link", severity=Severity.WARNING)]
    first = json.loads(render_gitlab(twice, {}))
    assert len({i["fingerprint"] for i in first}) == 3
    moved = [Finding(f.path, f.line + 5, f.column, f.rule, f.message, f.severity)
             for f in twice]
    again = json.loads(render_gitlab(moved, {}))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in first]
    assert again[2]["severity"] == "minor"


def test_summary_counts_every_finding_past_the_annotation_limit() -> None:
    rules = all_rules()
    findings = [Finding(f"p{n % 3}.md", n + 1, 1, "NK302", f"label | {n}", fix=FixKind.SAFE,
                        edits=(Edit(n + 1, 1, n + 1, 2, "x"),)) for n in range(25)]
    findings += [Finding("p0.md", 40 + n, 1, "NK304", "http", Severity.WARNING)
                 for n in range(12)]
    text = render_summary(sorted(findings), rules)
    assert text.startswith("## notes-kit\n")
    assert "Found 25 errors, 12 warnings (25 fixable) in 3 files." in text
    table = [line for line in text.splitlines() if line.startswith("| [NK")]
    assert table[0].startswith("| [NK302](") and table[0].endswith(
        "| link-label | 25 | 0 | 25 safe |")
    assert table[1].endswith("| 0 | 12 | - |")
    listed = [line for line in text.splitlines() if line.startswith("- <code>")]
    assert len(listed) == 37 and "label &#124; 0" in text and "label | 0" not in text


def test_summary_when_all_is_well(tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.md"
    page.write_text(CANONICAL.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = nk("lint", "--format", "summary", page)
    assert code == 0 and out == "## notes-kit\n\nAll checks passed.\n"
