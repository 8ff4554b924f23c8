"""Reporters: exact text and GitHub lines, JSON shape, SARIF checked against the OASIS schema."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.reporters import (
    REPORTERS,
    escape_data,
    escape_property,
    github_line,
    render,
    render_github,
    render_json,
    render_sarif,
    render_text,
    sarif_log,
)
from notes_kit.cli.reporters_text import summary_line, text_line
from notes_kit.core.findings import Finding, FixKind, Severity
from notes_kit.lint.rules.registry import Rule

SCHEMA_PATH = Path(__file__).parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
PAGE = "conferences/sosp-2024.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def make_rule(rule_id: str, severity: Severity, fix: FixKind) -> Rule:
    return Rule(
        id=rule_id,
        name=f"rule-{rule_id.lower()}",
        summary=f"Summary of {rule_id}.",
        severity=severity,
        fix=fix,
        fix_why="" if fix is FixKind.NONE else "Changes form only.",
        bad="* Paper \\[ [Paper](https://x.org) ]",
        good="* Paper \\[[Paper](https://x.org)]",
        scope="text",
    )


RULES = {
    "NK201": make_rule("NK201", Severity.ERROR, FixKind.NONE),
    "NK302": make_rule("NK302", Severity.WARNING, FixKind.SAFE),
    "NK501": make_rule("NK501", Severity.ERROR, FixKind.UNSAFE),
    "NK503": make_rule("NK503", Severity.ERROR, FixKind.SAFE),
}

FINDINGS = [
    Finding(PAGE, 2, 1, "NK201", "missing `Homepage: <url>` line"),
    Finding(
        PAGE,
        14,
        30,
        "NK302",
        "unknown link label `Demo`",
        severity=Severity.WARNING,
        end_column=34,
        fix=FixKind.SAFE,
    ),
    Finding(
        PAGE,
        20,
        5,
        "NK501",
        "`Modle` may be misspelled",
        end_line=20,
        end_column=10,
        fix=FixKind.UNSAFE,
        suggestions=("Model", "Module"),
    ),
    Finding(PAGE, 31, 18, "NK503", "trailing whitespace", fix=FixKind.SAFE),
]


# --- text ---------------------------------------------------------------------------------------


def test_text_exact_output() -> None:
    assert render_text(FINDINGS, RULES) == (
        "conferences/sosp-2024.md:2:1: NK201 [error] missing `Homepage: <url>` line\n"
        "conferences/sosp-2024.md:14:30: NK302 [warning] unknown link label `Demo` (fixable)\n"
        "conferences/sosp-2024.md:20:5: NK501 [error] `Modle` may be misspelled"
        " (fixable with --unsafe-fixes)\n"
        "conferences/sosp-2024.md:31:18: NK503 [error] trailing whitespace (fixable)\n"
        "Found 3 errors, 1 warning (2 fixable, 1 fixable with --unsafe-fixes).\n"
    )


def test_text_no_findings() -> None:
    assert render_text([], RULES) == "All checks passed.\n"


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([FINDINGS[0]], "Found 1 error."),
        ([FINDINGS[1]], "Found 1 warning (1 fixable)."),
        ([FINDINGS[2]], "Found 1 error (1 fixable with --unsafe-fixes)."),
        ([FINDINGS[0], FINDINGS[3]], "Found 2 errors (1 fixable)."),
    ],
)
def test_summary_counts_and_plurals(findings: list[Finding], expected: str) -> None:
    assert summary_line(findings) == expected


def test_text_colour_only_when_asked() -> None:
    plain = render_text(FINDINGS, RULES)
    coloured = render_text(FINDINGS, RULES, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain
    assert "\x1b[" not in text_line(FINDINGS[0])
    assert "\x1b[" not in render_text([], RULES)


# --- json ---------------------------------------------------------------------------------------

JSON_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "severity",
    "message",
    "fixable",
    "suggestions",
}


def test_json_keys_and_types() -> None:
    data = json.loads(render_json(FINDINGS, RULES))
    assert isinstance(data, list) and len(data) == len(FINDINGS)
    for item, finding in zip(data, FINDINGS, strict=True):
        assert set(item) == JSON_KEYS | {"fix", "url"}
        assert (item["fix"] is None) == (not finding.fixable)
        for key in ("line", "column", "end_line", "end_column"):
            assert type(item[key]) is int
        assert type(item["fixable"]) is bool
        assert item["fixable"] == finding.fixable
        assert item["severity"] in {"error", "warning"}
        assert isinstance(item["suggestions"], list)
        assert (item["path"], item["rule"], item["message"]) == (
            finding.path,
            finding.rule,
            finding.message,
        )


def test_json_end_defaults_and_suggestions() -> None:
    data = json.loads(render_json(FINDINGS, RULES))
    assert (data[0]["end_line"], data[0]["end_column"]) == (2, 1)  # no end given
    assert (data[1]["end_line"], data[1]["end_column"]) == (14, 34)  # only end_column given
    assert data[2]["suggestions"] == ["Model", "Module"]
    assert data[2]["fixable"] is True and data[0]["fixable"] is False
    assert data[1]["severity"] == "warning"


def test_json_empty_and_unicode() -> None:
    assert json.loads(render_json([], RULES)) == []
    odd = Finding("a b/é.md", 1, 1, "NK501", 'quote " and ünïcode\n')
    assert json.loads(render_json([odd], RULES))[0]["message"] == 'quote " and ünïcode\n'


# --- sarif --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA_PATH}")
    from jsonschema import Draft7Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def test_sarif_multi_rule_validates(sarif_validator: Any) -> None:
    log = json.loads(render_sarif(FINDINGS, RULES))
    sarif_validator.validate(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "notes-kit"
    assert isinstance(driver["version"], str) and driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["NK201", "NK302", "NK501", "NK503"]
    assert len(run["results"]) == len(FINDINGS)
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rule_metadata() -> None:
    driver = sarif_log(FINDINGS, RULES)["runs"][0]["tool"]["driver"]
    nk302 = next(r for r in driver["rules"] if r["id"] == "NK302")
    assert nk302["name"] == "rule-nk302"
    assert nk302["shortDescription"] == {"text": "Summary of NK302."}
    assert nk302["fullDescription"]["text"].startswith("Summary of NK302.")
    assert "Bad:" in nk302["help"]["text"] and "Good:" in nk302["help"]["text"]
    assert nk302["defaultConfiguration"] == {"level": "warning"}
    assert nk302["properties"]["fixable"] is True and nk302["properties"]["fix"] == "safe"
    nk201 = next(r for r in driver["rules"] if r["id"] == "NK201")
    assert nk201["defaultConfiguration"] == {"level": "error"}
    assert nk201["properties"]["fixable"] is False


def test_sarif_result_location() -> None:
    results = sarif_log(FINDINGS, RULES)["runs"][0]["results"]
    first, _, third, _ = results
    assert first["level"] == "error" and first["message"] == {"text": FINDINGS[0].message}
    physical = third["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": PAGE, "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 20, "startColumn": 5, "endLine": 20, "endColumn": 10}
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["endLine"], region["endColumn"]) == (2, 1)
    assert third["properties"]["suggestions"] == ["Model", "Module"]
    assert results[1]["level"] == "warning"


def test_sarif_empty_validates(sarif_validator: Any) -> None:
    log = json.loads(render_sarif([], RULES))
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_edge_locations_validate(sarif_validator: Any) -> None:
    findings = [
        Finding("/abs/dir/x y.md", 0, 0, "NK703", "YAML twin out of sync"),
        Finding("docs\\win.md", 3, 0, "NK999", "rule unknown to the mapping"),
    ]
    log = sarif_log(findings, RULES)
    sarif_validator.validate(log)
    whole_file, windows = (r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"])
    assert whole_file == {"artifactLocation": {"uri": "file:///abs/dir/x%20y.md"}}
    assert windows["artifactLocation"] == {"uri": "docs/win.md", "uriBaseId": "%SRCROOT%"}
    assert windows["region"]["startColumn"] == 1 and windows["region"]["endColumn"] >= 1
    assert {"id": "NK999"} in log["runs"][0]["tool"]["driver"]["rules"]


def test_sarif_version_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert sarif_log([], RULES)["runs"][0]["tool"]["driver"]["version"] == "0"


# --- github -------------------------------------------------------------------------------------


def test_github_exact_output() -> None:
    assert render_github(FINDINGS, RULES) == (
        "::error file=conferences/sosp-2024.md,line=2,col=1,endLine=2,endColumn=1,title=NK201"
        "::missing `Homepage: <url>` line\n"
        "::warning file=conferences/sosp-2024.md,line=14,col=30,endLine=14,endColumn=34,"
        "title=NK302::unknown link label `Demo`\n"
        "::error file=conferences/sosp-2024.md,line=20,col=5,endLine=20,endColumn=10,"
        "title=NK501::`Modle` may be misspelled\n"
        "::error file=conferences/sosp-2024.md,line=31,col=18,endLine=31,endColumn=18,"
        "title=NK503::trailing whitespace\n"
    )
    assert render_github([], RULES) == ""


def test_github_escapes_message_and_properties() -> None:
    finding = Finding(
        "dir,1/a:b%.md", 4, 2, "NK501", "100% sure: a, b\r\nnext", severity=Severity.WARNING
    )
    assert github_line(finding) == (
        "::warning file=dir%2C1/a%3Ab%25.md,line=4,col=2,endLine=4,endColumn=2,title=NK501"
        "::100%25 sure: a, b%0D%0Anext"
    )


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("%0A", "%250A", "%250A"),
        ("a\nb\rc", "a%0Ab%0Dc", "a%0Ab%0Dc"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("::x::", "::x::", "%3A%3Ax%3A%3A"),
    ],
)
def test_escape_rules(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_whole_file_finding_has_no_position() -> None:
    finding = Finding("conferences/x-2024.md", 0, 0, "NK703", "out of sync")
    assert github_line(finding) == "::error file=conferences/x-2024.md,title=NK703::out of sync"


# --- choice -------------------------------------------------------------------------------------


def test_reporters_dict_and_render() -> None:
    assert set(REPORTERS) == {"text", "full", "concise", "grouped", "json", "sarif", "github",
                              "rdjson", "gitlab", "summary"}
    human = ("text", "full", "concise", "grouped")
    for name, reporter in REPORTERS.items():
        assert render(name, FINDINGS, RULES) == reporter(FINDINGS, RULES)
        assert "\x1b[" not in render(name, FINDINGS, RULES, color=name not in human)
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", FINDINGS, RULES)
