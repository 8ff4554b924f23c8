"""Collection rules: NK701 duplicate paper, NK702 shared URL, NK703 stale twin, NK404 spellings."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.lint.rules.collection import collection_findings
from notes_kit.lint.rules.facts import normalise_title, url_key
from notes_kit.lint.rules.registry import all_rules
from notes_kit.pages import to_yaml


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def paper(title: str, url: str, affiliation: str = "PKU", code: str | None = None) -> str:
    links = f"\\[[Paper]({url})]" + (f" \\[[Code]({code})]" if code else "")
    return f"* {title} {links}\n  * {affiliation}\n"


def page(venue: str, year: int, *papers: str, homepage: str = "https://example.org/") -> str:
    return (f"# {venue} {year}\n\n## Meta Info\n\nHomepage: <{homepage}>\n\n"
            f"### Paper List\n\n* <https://example.org/{venue.lower()}{year}/papers>\n\n"
            f"## Papers\n\n### Systems\n\n" + "".join(papers))


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def lines_of(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(Path(f.path).name, f.line, f.rule) for f in findings]


def test_normalised_title_ignores_case_emphasis_escapes_and_punctuation() -> None:
    assert normalise_title("**PowerInfer**: Fast  LLM Serving!") == "powerinfer fast llm serving"
    assert normalise_title("PowerInfer — fast LLM \\*serving\\*") == "powerinfer fast llm serving"
    assert normalise_title("Per-Input `Compute`") == normalise_title("per input compute")
    assert url_key("HTTP://Example.org/a/") == url_key("https://example.org/a")


def test_duplicate_paper_reported_once_per_extra_occurrence(tmp_path: Path) -> None:
    one = write(tmp_path, "osdi-2024.md", page("OSDI", 2024,
                paper("PowerInfer: Fast LLM Serving", "https://a.org/1"),
                paper("Other Paper", "https://a.org/2")))
    two = write(tmp_path, "sosp-2024.md", page("SOSP", 2024,
                paper("Unrelated", "https://b.org/0"),
                paper("**PowerInfer**: fast LLM serving", "https://b.org/1")))
    three = write(tmp_path, "atc-2024.md", page("ATC", 2024,
                  paper("PowerInfer - Fast LLM Serving", "https://c.org/1")))
    findings = [f for f in collection_findings([one, two, three], Config()) if f.rule == "NK701"]
    # the first occurrence (by path) keeps the paper: atc-2024.md sorts first
    assert lines_of(findings) == [("osdi-2024.md", 15, "NK701"), ("sosp-2024.md", 17, "NK701")]
    assert all(f"{three}:15" in f.message for f in findings)
    assert findings[0].column == 3  # the title, after "* "


def test_shared_url_between_different_papers(tmp_path: Path) -> None:
    shared = "https://arxiv.org/abs/2401.00001"
    one = write(tmp_path, "osdi-2024.md", page("OSDI", 2024,
                paper("First Paper", shared, code="https://github.com/x/shared"),
                paper("Second Paper", shared + "/", code="https://github.com/x/shared")))
    two = write(tmp_path, "sosp-2024.md", page("SOSP", 2024,
                paper("Third Paper", shared.replace("https", "http")),
                paper("First Paper", shared)))  # the same paper again: NK701, not NK702
    findings = collection_findings([one, two], Config())
    shared_url = [f for f in findings if f.rule == "NK702"]
    assert lines_of(shared_url) == [("osdi-2024.md", 17, "NK702"), ("sosp-2024.md", 15, "NK702")]
    assert all("'First Paper'" in f.message and f"{one}:15" in f.message for f in shared_url)
    assert lines_of([f for f in findings if f.rule == "NK701"]) == [("sosp-2024.md", 17, "NK701")]


def test_shared_url_column_points_at_the_link(tmp_path: Path) -> None:
    one = write(tmp_path, "osdi-2024.md", page("OSDI", 2024, paper("A", "https://a.org/p"),
                                               paper("B", "https://a.org/p")))
    two = write(tmp_path, "sosp-2024.md", page("SOSP", 2024, paper("C", "https://c.org/p")))
    [finding] = [f for f in collection_findings([one, two], Config()) if f.rule == "NK702"]
    row = Path(one).read_text().split("\n")[finding.line - 1]
    assert row[finding.column - 1 :].startswith("[Paper](https://a.org/p)")


def test_meta_and_code_urls_are_not_compared(tmp_path: Path) -> None:
    list_url = "https://example.org/osdi2024/papers"
    one = write(tmp_path, "osdi-2024.md", page("OSDI", 2024, paper("A", list_url),
                                               paper("B", list_url)))
    two = write(tmp_path, "sosp-2024.md", page("SOSP", 2024,
                paper("C", "https://c.org/1", code="https://github.com/lab/repo"),
                paper("D", "https://c.org/2", code="https://github.com/lab/repo")))
    assert [f for f in collection_findings([one, two], Config()) if f.rule == "NK702"] == []


def test_stale_twin(tmp_path: Path) -> None:
    text = page("SOSP", 2024, paper("A Paper", "https://a.org/1"))
    md = write(tmp_path, "sosp-2024.md", text)
    other = write(tmp_path, "osdi-2024.md", page("OSDI", 2024, paper("B", "https://b.org/1")))
    assert collection_findings([md, other], Config()) == []  # no twin: nothing to compare
    twin = tmp_path / "sosp-2024.yaml"
    twin.write_text(to_yaml(text, md, str(twin)), encoding="utf-8")
    assert collection_findings([md, other], Config()) == []
    Path(md).write_text(text.replace("A Paper", "A Renamed Paper"), encoding="utf-8")
    [finding] = collection_findings([md, other], Config())
    assert (finding.path, finding.line, finding.rule) == (str(twin), 1, "NK703")
    assert "notes-kit sync" in finding.message and md in finding.message


def test_affiliation_spelled_two_ways_reported_once(tmp_path: Path) -> None:
    one = write(tmp_path, "atc-2024.md", page("ATC", 2024,
                paper("A", "https://a.org/1", "UT Austin & Gatech"),
                paper("B", "https://a.org/2", "UT Austin"),
                paper("C", "https://a.org/3", "Georgia Tech")))
    two = write(tmp_path, "osdi-2024.md", page("OSDI", 2024,
                paper("D", "https://b.org/1", "PKU & UT-Austin"),
                paper("E", "https://b.org/2", "UT-Austin & GaTech")))
    findings = [f for f in collection_findings([one, two], Config()) if f.rule == "NK404"]
    got = sorted((Path(f.path).name, f.line, f.column, f.message) for f in findings)
    assert [g[:3] for g in got] == [("atc-2024.md", 16, 17), ("atc-2024.md", 20, 5),
                                   ("osdi-2024.md", 16, 11)]
    gatech, alias, ut = (g[3] for g in got)
    assert "'Gatech' and 'GaTech'" in gatech and f"{two}:18" in gatech
    assert "'Georgia Tech' and 'GaTech'" in alias
    assert "'UT-Austin' and 'UT Austin'" in ut and f"{one}:16" in ut
    assert all(f.suggestions for f in findings)


def test_config_and_suppressions_are_respected(tmp_path: Path) -> None:
    body = paper("Same Title", "https://a.org/1")
    one = write(tmp_path, "atc-2024.md", page("ATC", 2024, body))
    two = write(tmp_path, "osdi-2024.md", page("OSDI", 2024, body))
    assert lines_of(collection_findings([one, two], Config())) == [
        ("osdi-2024.md", 15, "NK701")]
    assert collection_findings([one, two], replace(Config(), ignore=("NK70",))) == []
    per_file = replace(Config(), per_file_ignores=(("osdi-*.md", ("NK701",)),))
    assert collection_findings([one, two], per_file) == []
    directive = "<!-- notes-kit: disable-next-line NK701 -->\n"
    Path(two).write_text(page("OSDI", 2024, directive + body), encoding="utf-8")
    assert collection_findings([one, two], Config()) == []


def test_skips_other_files_and_is_deterministic(tmp_path: Path) -> None:
    body = paper("Same Title", "https://a.org/1")
    files = [write(tmp_path, "osdi-2024.md", page("OSDI", 2024, body)),
             write(tmp_path, "sosp-2024.md", page("SOSP", 2024, body)),
             write(tmp_path, "atc-2024.md", page("ATC", 2024, body)),
             write(tmp_path, "README.md", "# Reading notes\n\n" + body),
             write(tmp_path, "empty.md", ""),
             write(tmp_path, "notes.yaml", "schema_version: 1\n")]
    (tmp_path / "binary.md").write_bytes(b"\0\1")
    files.append(str(tmp_path / "binary.md"))
    forward = collection_findings(files, Config())
    assert forward == collection_findings(list(reversed(files)), Config())
    assert lines_of(forward) == [("osdi-2024.md", 15, "NK701"), ("sosp-2024.md", 15, "NK701")]


def test_lint_of_a_folder_reports_collection_findings(tmp_path: Path) -> None:
    body = paper("Same Title", "https://a.org/1")
    write(tmp_path, "atc-2024.md", page("ATC", 2024, body))
    write(tmp_path, "osdi-2024.md", page("OSDI", 2024, body))
    out, err = io.StringIO(), io.StringIO()
    assert run(["lint", str(tmp_path)], out, err) == 0  # NK701 is a warning
    assert "osdi-2024.md:15:3: NK701" in out.getvalue(), out.getvalue() + err.getvalue()


def test_nk404_is_registered_as_a_collection_rule() -> None:
    rule = all_rules()["NK404"]
    assert (rule.scope, rule.check, rule.name) == ("collection", None, "affiliation-spelling")
    assert rule.summary and rule.fix_why and rule.bad and rule.good
    out = io.StringIO()
    assert run(["explain", "NK404"], out, io.StringIO()) == 0
    assert "NK404" in out.getvalue()


def test_one_page_alone_is_checked_for_urls_and_papers_listed_twice(tmp_path: Path) -> None:
    shared = "https://arxiv.org/abs/2401.00001"
    one = write(tmp_path, "osdi-2024.md", page("OSDI", 2024, paper("First Paper", shared),
                                               paper("Second Paper", shared),
                                               paper("First Paper", "https://a.org/p")))
    out = io.StringIO()
    code = run(["lint", "--format", "json", one], stdout=out, stderr=io.StringIO())
    rules = {(item["line"], item["rule"]) for item in json.loads(out.getvalue())}
    assert code == 1
    assert {(17, "NK702"), (19, "NK701")} <= rules
    assert not any(rule == "NK703" for _, rule in rules)  # the twin check needs several files


def test_lint_parses_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The collection rules reuse what the per-file lint found, pages that are not
    conference pages included: no file is read and parsed a second time."""
    from notes_kit.lint.rules import facts

    body = paper("Same Title", "https://a.org/1")
    write(tmp_path, "atc-2024.md", page("ATC", 2024, body))
    write(tmp_path, "osdi-2024.md", page("OSDI", 2024, body))
    write(tmp_path, "README.md", "# Reading notes\n\n" + body)
    (tmp_path / "binary.md").write_bytes(b"\0\1")
    reread: list[str] = []
    monkeypatch.setattr(facts, "read_facts", lambda path, **_: reread.append(path))
    out, err = io.StringIO(), io.StringIO()
    assert run(["lint", "--no-cache", "--jobs", "1", str(tmp_path)], out, err) == 2
    assert "osdi-2024.md:15:3: NK701" in out.getvalue()
    assert reread == []
