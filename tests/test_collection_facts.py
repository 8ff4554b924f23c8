"""The collection rules' per-page facts: compact, cached, and the same findings every way."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

import pytest

from notes_kit.core.findings import Finding
from notes_kit.format.markdown.parse import parse_page
from notes_kit.lint.config import Config
from notes_kit.lint.rules import facts as collection_facts
from notes_kit.lint.rules.facts import PageFacts, pack_facts, page_facts, unpack_facts
from notes_kit.pages import to_yaml
from notes_kit.run import parallel
from notes_kit.run.runner import run_lint


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def paper(title: str, url: str, affiliation: str = "PKU", extra: str = "") -> str:
    return f"* {title} \\[[Paper]({url})]{extra}\n  * {affiliation}\n  * A note.\n"


def page(venue: str, year: int, *papers: str) -> str:
    return (f"# {venue} {year}\n\n## Meta Info\n\nHomepage: <https://example.org/{venue}/>\n\n"
            f"### Paper List\n\n* <https://example.org/{venue.lower()}{year}/papers>\n\n"
            f"## Papers\n\n### Systems\n\n" + "".join(papers))


def collection_folder(folder: Path, pages: int = 6) -> list[Path]:
    """Pages that repeat papers, share URLs (written differently), spell institutions
    several ways, suppress a finding, and have a stale and a fresh twin."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(pages):
        body = [paper(f"Paper {i}-{k}: A Study of Things", f"https://example.org/p/{i}/{k}",
                      ("UT Austin", "UT-Austin", "Peking University & PKU")[k % 3])
                for k in range(8)]
        body.append(paper("**Listed** Everywhere: A Long Title That Goes On For More Than "
                          "Sixty Characters", f"https://example.org/every/{i}"))
        body.append(paper(f"Borrowed Link {i}", "HTTP://Example.org/p/0/1/",
                          extra=" \\[[Code](https://github.com/lab/repo)]"))
        if i == 3:
            body.append("<!-- notes-kit: disable-next-line NK701 -->\n")
            body.append(paper("Paper 0-0: A study of things", "https://example.org/x"))
        path = folder / f"conf{i}-{2010 + i}.md"
        path.write_text(page(f"CONF{i}", 2010 + i, *body), encoding="utf-8")
        paths.append(path)
    (folder / "README.md").write_text("# Notes\n\n" + paper("Listed Everywhere", "https://a.b"),
                                      encoding="utf-8")
    fresh = paths[1].with_suffix(".yaml")
    fresh.write_text(to_yaml(paths[1].read_text(encoding="utf-8"), str(paths[1]), str(fresh)),
                     encoding="utf-8")
    paths[2].with_suffix(".yaml").write_text("schema_version: 1\n", encoding="utf-8")
    return paths


def full(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.path, f.line, f.column, f.rule, f.message, f.severity, f.end_line,
             f.end_column, f.fix, f.suggestions) for f in findings]


def facts_of(text: str, path: str = "conf1-2011.md") -> PageFacts:
    return page_facts(path, text, parse_page(text, path).page, twin=False)


def test_facts_survive_the_cache_round_trip(tmp_path: Path) -> None:
    paths = collection_folder(tmp_path / "notes")
    for path in paths:
        facts = collection_facts.read_facts(str(path))
        assert facts is not None
        back = unpack_facts(str(path), marshal.loads(marshal.dumps(pack_facts(facts))))
        assert back == facts
    suppressed = collection_facts.read_facts(str(paths[3]))
    assert suppressed is not None and suppressed.suppressions is not None


@pytest.mark.parametrize("bad", [
    ["not a list"], [["k"], "t", [1, 2], [], [], [], [], [], None, False, None],
    [["k"], "t", [1, 2, 3], ["u"], [5, 1, 1], [], [], [], None, False, None],
    [["k"], "t", [1, 2, "3"], [], [], [], [], [], None, False, None],
    [["k"], "t", [1, 2, 2**40], [], [], [], [], [], None, False, None],
    [["k"], "t", [1, 2, 3], [], [], [], [["PKU", "1", 1, 1]], [], None, False, None],
    [["k"], "t", [1, 2, 3], [], [], [], [], [], [["NK701", 1]], False, None],
])
def test_malformed_facts_do_not_decode(bad: list[Any]) -> None:
    with pytest.raises(TypeError):
        unpack_facts("x.md", bad)


def test_no_object_per_paper() -> None:
    """A page's facts are a few containers, whatever the number of papers."""
    text = page("SOSP", 2024, *(paper(f"A Paper Number {k} On Systems", f"https://a.org/{k}",
                                      "PKU & UT Austin") for k in range(300)))
    facts = facts_of(text)
    assert len(facts.keys) == len(facts.urls) == 300
    assert facts.title(299) == "A Paper Number 299 On Systems"
    assert facts.where(0) == "conf1-2011.md:15"
    assert len(facts.affiliations) == 2 and facts.affiliations[0][:2] == ("PKU", 300)
    size = sum(sys.getsizeof(part) for part in facts) + sum(
        sys.getsizeof(s) for s in (*facts.keys, *facts.urls))
    assert size / 300 < 300  # bytes per paper (a frozen dataclass per paper: ~1,200)


def test_same_findings_with_jobs_cache_and_changes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    paths = collection_folder(tmp_path / "notes")
    folder = [str(tmp_path / "notes")]
    expected = run_lint(folder, Config(), jobs=1, use_cache=False).findings
    assert {f.rule for f in expected} >= {"NK404", "NK701", "NK702", "NK703"}
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)  # small test files: use the pool anyway
    monkeypatch.setattr(parallel, "MIN_FILES", 4)
    for jobs, cached in ((2, False), (1, True), (1, True), (2, True)):
        assert full(run_lint(folder, Config(), jobs=jobs, use_cache=cached).findings) == \
            full(expected)
    paths[4].write_text(paths[4].read_text(encoding="utf-8") + paper(
        "Paper 5-1: A Study of Things", "https://example.org/p/0/1"), encoding="utf-8")
    paths[2].with_suffix(".yaml").unlink()
    changed = run_lint(folder, Config(), jobs=2, use_cache=True).findings
    assert full(changed) == full(run_lint(folder, Config(), jobs=1, use_cache=False).findings)
    assert full(changed) != full(expected)


def test_cached_facts_spare_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After one page changes, the other pages' facts come from the cache; a changed twin
    sends only its page back to the parser."""
    paths = collection_folder(tmp_path / "notes")
    folder = [str(tmp_path / "notes")]
    run_lint(folder, Config(), jobs=1)
    real = collection_facts.read_facts
    parsed: list[str] = []

    def counting(path: str, **options: Any) -> PageFacts | None:
        parsed.append(Path(path).name)
        return real(path, **options)

    monkeypatch.setattr(collection_facts, "read_facts", counting)
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    first = run_lint(folder, Config(), jobs=1)
    assert parsed == []
    paths[1].with_suffix(".yaml").write_text("schema_version: 1\n", encoding="utf-8")
    second = run_lint(folder, Config(), jobs=1)
    assert parsed == [paths[1].name]
    assert [f.path for f in second.findings if f.rule == "NK703"] == \
        [str(p.with_suffix(".yaml")) for p in paths[1:3]]
    assert full(first.findings) != full(second.findings)
    assert full(second.findings) == full(run_lint(folder, Config(), use_cache=False).findings)


def test_a_fix_run_writes_each_file_before_the_next_is_linted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No fixed text waits for the whole collection: the runner writes as results come."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(3):
        (folder / f"conf{i}-2020.md").write_text(
            page(f"CONF{i}", 2020, paper(f"Paper {i}", f"https://a.org/{i}")) + "\n\n\n",
            encoding="utf-8")
    events: list[str] = []
    real_process = parallel.process_file

    def process(path: str, *args: Any) -> Any:
        events.append(f"lint {Path(path).name}")
        return real_process(path, *args)

    import notes_kit.core.files

    real_write = notes_kit.core.files.atomic_write

    def write(path: str, text: str, **options: Any) -> None:
        events.append(f"write {Path(path).name}")
        real_write(path, text, **options)

    monkeypatch.setattr(parallel, "process_file", process)
    monkeypatch.setattr(notes_kit.core.files, "atomic_write", write)
    result = run_lint([str(folder)], Config(), fix=True, jobs=1, use_cache=False)
    assert result.changed
    assert events == [f"{verb} conf{i}-2020.md" for i in range(3) for verb in ("lint", "write")]
    assert all(o.fixed is None and o.original is None for o in result.outcomes)


def test_no_page_model_outlives_its_file(tmp_path: Path) -> None:
    """Only findings and compact facts are kept: no page model stays alive after a run."""
    import gc

    from notes_kit.core.model import Page, Paper

    def models() -> int:
        gc.collect()
        return sum(isinstance(o, (Page, Paper)) for o in gc.get_objects())

    collection_folder(tmp_path / "notes")
    before = models()
    result = run_lint([str(tmp_path / "notes")], Config(), jobs=1, use_cache=False)
    assert result.findings and models() <= before
    assert all(o.facts is None for o in result.outcomes)
