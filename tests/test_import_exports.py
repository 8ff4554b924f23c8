"""`notes-kit import` of proceedings exports: DBLP XML, BibTeX, CSV (fixtures in
tests/fixtures/import, sources in its README). Expectations come from reading the
fixture another way (the standard library's XML and CSV readers, or by hand)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.model import Page
from notes_kit.importers import plan
from notes_kit.knowledge.registries import load_venues
from notes_kit.lint.engine import fix
from notes_kit.pages import load_yaml_data, parse_markdown, yaml_to_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def imported(tmp_path: Path, source: Path, *extra: str) -> tuple[str, Page]:
    """Import through the command line; the written page's text and model."""
    page = tmp_path / "out" / "page.md"
    code, out, err = cli("import", str(source), "-o", str(page), *extra)
    assert code == 0, err
    assert f"wrote {page}" in out and page.with_suffix(".yaml").exists()
    text = page.read_text(encoding="utf-8")
    return text, parse_markdown(text, str(page))


def assert_canonical(tmp_path: Path, text: str) -> None:
    """The round-trip law on the written files: the twin converts back to the page, the
    page is its own fix, and the twin is what `to-yaml` makes of the page."""
    twin = (tmp_path / "out" / "page.yaml").read_text(encoding="utf-8")
    assert yaml_to_markdown(twin) == text
    assert fix(text, "page.md").text == text
    load_yaml_data(twin)  # schema-valid, version rule included


def _dblp_records() -> list[tuple[str, list[str], list[str]]]:
    root = ET.parse(FIXTURES / "dblp" / "sosp-2025.xml").getroot()
    found = []
    for record in root.iter("inproceedings"):
        title = "".join(record.find("title").itertext())  # type: ignore[union-attr]
        authors = [re.sub(r" \d{4}$", "", "".join(a.itertext())) for a in record.iter("author")]
        found.append((title, authors, [ee.text or "" for ee in record.iter("ee")]))
    return found


def test_dblp_table_of_contents(tmp_path: Path) -> None:
    expected = _dblp_records()
    raw = (FIXTURES / "dblp" / "sosp-2025.xml").read_text(encoding="utf-8")
    assert len(expected) == raw.count("<inproceedings ") == 66
    text, page = imported(tmp_path, FIXTURES / "dblp" / "sosp-2025.xml")
    assert (page.venue, page.year) == ("SOSP", 2025)  # said by the export itself
    papers = page.papers()
    assert len(papers) == 66
    for paper, (title, authors, ees) in zip(papers, expected, strict=True):
        assert paper.title == title.removesuffix(".")
        assert paper.authors == authors
        assert [(link.label, link.url) for link in paper.links] == [("Paper", u) for u in ees]
    assert papers[1].title == "μFork: Supporting POSIX fork Within a Single-Address-Space OS"
    assert "Amit Levy" in papers[2].authors  # DBLP's `Amit Levy 0001`
    assert page.meta is not None and [p.url for p in page.meta.paper_lists] == [
        "https://doi.org/10.1145/3731569"]  # the <proceedings> volume
    assert_canonical(tmp_path, text)


BIBTEX = [  # checked by hand against tests/fixtures/import/bibtex/sosp-2024.bib
    ("Dirigent: Lightweight Serverless Orchestration",
     ["Lazar Cvetković", "François Costa", "Mihajlo Djokic", "Michal Friedman", "Ana Klimovic"],
     [("Paper", "https://doi.org/10.1145/3694715.3695966")]),
    ("Tenplex: Dynamic Parallelism for Deep Learning using Parallelizable Tensor Collections",
     ["Marcel Wagenlander", "Guo Li", "Bo Zhao", "Luo Mai", "Peter Pietzuch"], []),
    ("PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU",
     ["Yixin Song", "Zeyu Mi", "Haotong Xie", "Haibo Chen"],
     [("arXiv", "https://arxiv.org/abs/2312.12456")]),
]


def test_bibtex_entries(tmp_path: Path) -> None:
    source = FIXTURES / "bibtex" / "sosp-2024.bib"
    assert source.read_text(encoding="utf-8").count("\n@") + 1 == len(BIBTEX)
    text, page = imported(tmp_path, source)
    assert (page.venue, page.year) == ("SOSP", 2024)  # from `series = {SOSP '24}`
    got = [(p.title, p.authors, [(link.label, link.url) for link in p.links])
           for p in page.papers()]
    assert got == BIBTEX
    assert "* Authors: Lazar Cvetković, François Costa, Mihajlo Djokic, Michal Friedman " \
           "and Ana Klimovic" in text
    assert_canonical(tmp_path, text)


def test_csv_with_a_header_row(tmp_path: Path) -> None:
    source = FIXTURES / "csv" / "sosp-2025.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8", newline="")))
    assert len(rows) == 20
    text, page = imported(tmp_path, source, "--venue", "sosp", "--year", "2025")
    papers = page.papers()
    assert [p.title for p in papers] == [r["Title"] for r in rows]
    assert [p.authors for p in papers] == [r["Authors"].split("; ") for r in rows]
    assert [[(link.label, link.url) for link in p.links] for p in papers] == [
        [("Paper", r["DOI URL"])] for r in rows]
    assert [p.notes[0].text for p in papers] == [f"Pages: {r['Pages']}" for r in rows]
    # the derived CSV agrees with the DBLP export it came from
    assert [p.title for p in papers] == [t.removesuffix(".") for t, _, _ in _dblp_records()[:20]]
    assert_canonical(tmp_path, text)


def test_several_sources_make_one_page_without_duplicates(tmp_path: Path) -> None:
    venues = load_venues()
    sources = [str(FIXTURES / "dblp" / "sosp-2025.xml"), str(FIXTURES / "csv" / "sosp-2025.csv")]
    result = plan(sources, output=str(tmp_path / "sosp-2025.md"), venues=venues)
    page = parse_markdown(result.text)
    assert len(page.papers()) == 66  # the CSV's 20 papers are the DBLP's first 20
    first = page.papers()[0]
    assert first.notes and first.notes[0].text == "Pages: 1-17"  # gathered from the CSV


def test_awards_and_sessions_from_csv(tmp_path: Path) -> None:
    source = tmp_path / "program.csv"
    source.write_text("title,authors,session,award,pdf,slides\n"
                      "\"A, B: Title\",Ann Lee and Bo Li,Storage,Best Paper Award,"
                      "https://example.org/a.pdf,https://example.org/a-slides.pdf\n"
                      "Second Title,\"Cy, Dee, and Eve\",Networking,,,\n", encoding="utf-8")
    text, page = imported(tmp_path, source, "--venue", "OSDI", "--year", "2025")
    assert [t.title for s in page.sections if s.kind == "papers" for t in s.topics
            ] == ["Storage", "Networking"]
    first, second = page.papers()
    assert first.title == "A, B: Title" and first.tags == ["**Best Paper Award**"]
    assert [(link.label, link.url) for link in first.links] == [
        ("PDF", "https://example.org/a.pdf"), ("Slides", "https://example.org/a-slides.pdf")]
    assert second.authors == ["Cy", "Dee", "Eve"]
    assert_canonical(tmp_path, text)
