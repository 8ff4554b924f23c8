"""`notes-kit import` of Markdown paper lists in other collections' styles: real pages
(fixtures with their licences in tests/fixtures/import/README.md, and a table page of
the shared corpus read in place), then one small page per style the importer reads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.model import Page, Topic
from notes_kit.lint.engine import fix
from notes_kit.pages import load_yaml_data, parse_markdown, yaml_to_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import" / "markdown"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "awesome-papers"
TABLE_PAGE = CORPUS / "paper-list" / "systems-for-ml" / "model-serving.md"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def imported(tmp_path: Path, source: Path, *extra: str) -> tuple[str, Page, str]:
    """Import through the command line: the page's text, its model and stderr; the
    round-trip law is checked on the written files."""
    page = tmp_path / "out" / "page.md"
    out, err = io.StringIO(), io.StringIO()
    assert run(["import", str(source), "-o", str(page), *extra], out, err) == 0, err.getvalue()
    text = page.read_text(encoding="utf-8")
    twin = page.with_suffix(".yaml").read_text(encoding="utf-8")
    assert yaml_to_markdown(twin) == text and fix(text, "page.md").text == text
    load_yaml_data(twin)
    return text, parse_markdown(text), err.getvalue()


def links(paper: object) -> list[tuple[str, str]]:
    return [(link.label, link.url) for link in paper.links]  # type: ignore[attr-defined]


def topics(page: Page) -> dict[str, list[str]]:
    return {t.title: [p.title for p in page.papers() if p in t.papers]  # type: ignore[operator]
            for s in page.sections if s.kind == "papers" for t in s.topics
            if isinstance(t, Topic)}


FELDERA_AUTHORS = ["Mihai Budiu", "Tej Chajed", "Frank McSherry", "Leonid Ryzhyk", "Val Tannen"]


def test_title_links_with_authors_on_continuation_lines(tmp_path: Path) -> None:
    """feldera/feldera docs/literature/papers.md: a wrapped title link, italic authors
    that wrap, an awards list with emoji markers."""
    text, page, err = imported(tmp_path, FIXTURES / "feldera-papers.md",
                               "--venue", "SOSP", "--year", "2023")
    papers = page.papers()
    assert [p.title for p in papers] == [
        ":trophy: DBSP in ACM SIGMOD Research Highlights",
        ":trophy: DBSP wins Best Paper award at VLDB 2023",
        "DBSP: Incremental Computation on Streams and Its Applications to Databases",
        "DBSP: Automatic Incremental View Maintenance for Rich Query Languages",
        "DBSP mathematical specification",
        "DBSP mathematical formalization",
    ]
    assert topics(page) == {"Awards": [p.title for p in papers[:2]],
                            "Unsorted": [p.title for p in papers[2:]]}
    assert links(papers[0]) == [("Blog", "https://www.feldera.com/blog/sigmod-research-highlights/")]
    assert links(papers[2]) == [
        ("Paper", "https://sigmodrecord.org/?smd_process_download=1&download_id=13708")]
    assert links(papers[3]) == [("PDF", "/vldb23.pdf")]
    assert links(papers[5]) == [("Code", "https://github.com/tchajed/database-stream-processing-theory")]
    assert papers[2].authors == papers[3].authors == FELDERA_AUTHORS
    assert [n.text for n in papers[2].notes] == [  # type: ignore[union-attr]
        "SIGMOD Research Highlights, Vol. 53, March, 2024",
        "A shorter and simpler version of the VLDB 2023 DBSP paper."]
    assert [n.text for n in papers[3].notes] == [  # type: ignore[union-attr]
        "Proceedings of the VLDB Endowment (VLDB), Vancouver, Canada, August, 2023, "
        "pages 1601-1614."]
    assert [n.text for n in papers[5].notes] == [  # type: ignore[union-attr]
        "using the Lean theorem prover, *Tej Chajed*, 2022"]
    # the introduction is kept verbatim and reported with its line
    assert "The following publications and awards describe Feldera's" in text
    assert f"{FIXTURES / 'feldera-papers.md'}:3: not placed" in err


def test_numbered_list_with_links_after_each_title(tmp_path: Path) -> None:
    """ml-energy/zeus docs/research_overview/index.md."""
    source = FIXTURES / "zeus-research-overview.md"
    numbered = [line for line in source.read_text(encoding="utf-8").split("\n")
                if re.match(r"^1\. ", line)]
    text, page, _ = imported(tmp_path, source, "--venue", "NSDI", "--year", "2023")
    papers = page.papers()
    assert len(papers) == len(numbered) == 5
    assert [p.title for p in papers] == [
        "Zeus (NSDI 23)", "Chase (ICLR Workshop 23)", "Perseus (SOSP 24)",
        "The ML.ENERGY Benchmark (NeurIPS 25 D&B Spotlight)",
        "Where Do the Joules Go? Diagnosing Inference Energy Consumption"]
    assert topics(page) == {"Research Overview": [p.title for p in papers]}
    assert links(papers[0]) == [
        ("Paper", "https://www.usenix.org/conference/nsdi23/presentation/you"),
        ("Blog", "zeus.md"), ("Slides", "https://www.usenix.org/system/files/nsdi23_slides_chung.pdf")]
    assert links(papers[3]) == [("Paper", "https://arxiv.org/abs/2505.06371"),
                                ("Code", "https://github.com/ml-energy/benchmark"),
                                ("Benchmark", "https://ml.energy/leaderboard")]
    assert [label for label, _ in links(papers[4])] == ["arXiv", "Blog"]
    assert sum(len(p.links) for p in papers) == sum(line.count("](") for line in numbered)
    assert "```bibtex\n@inproceedings{zeus-nsdi23," in text  # the citation block, kept


def test_one_paper_as_front_matter(tmp_path: Path) -> None:
    """verus-lang/verus ..._projects/practical-foundation.md: venue and year from the page."""
    text, page, _ = imported(tmp_path, FIXTURES / "verus-practical-foundation.md")
    assert (page.venue, page.year) == ("SOSP", 2024)
    (paper,) = page.papers()
    assert paper.title == "Verus: A Practical Foundation for Systems Verification"
    assert paper.authors == [
        "Andrea Lattuada", "Travis Hance", "Jay Bosamiya", "Matthias Brun", "Chanhee Cho",
        "Hayley LeBlanc", "Pranav Srinivasan", "Reto Achermann", "Tej Chajed",
        "Chris Hawblitzel", "Jon Howell", "Jay Lorch", "Oded Padon", "Bryan Parno"]
    assert links(paper) == [("PDF", "https://www.andrew.cmu.edu/user/bparno/papers/verus-sys.pdf"),
                            ("Code", "https://verus-lang.github.io/paper-sosp24-artifact/")]
    assert paper.tags == ["**Distinguished Artifact Award**"]
    assert "## Imported" not in text  # nothing left over


@pytest.mark.skipif(not TABLE_PAGE.is_file(), reason="shared corpus not available")
def test_pipe_tables_of_the_shared_corpus(tmp_path: Path) -> None:
    source = TABLE_PAGE
    rows = [line for line in source.read_text(encoding="utf-8").split("\n")
            if line.startswith("|") and not re.match(r"^\|\s*:?-", line)]
    headers = [line for line in rows if re.match(r"^\|\s*(Name|Survey)\s*\|", line)]
    text, page, _ = imported(tmp_path, source, "--venue", "MLSys", "--year", "2023")
    papers = page.papers()
    assert len(papers) == len(rows) - len(headers) == 10
    assert list(topics(page)) == ["Inference Serving System", "Auto-Configuration System",
                                  "Survey"]
    flexgen = papers[0]
    assert flexgen.title == "**FlexGen**"
    assert flexgen.affiliations == ["Stanford", "UC Berkeley", "ETH", "Yandex", "HSE University",
                                    "Meta", "CMU"]
    assert [label for label, _ in links(flexgen)] == ["Paper", "Personal Notes", "Code"]
    anchors = sum(len(re.findall(r"<a href=", line)) for line in rows)
    assert sum(len(p.links) for p in papers) == anchors


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_flat_list_under_the_title_with_authors_lines(tmp_path: Path) -> None:
    source = _write(tmp_path, "papers/2025/OSDI.md", (
        "# OSDI 2025\n\n2 papers · updated 2026-08-12\n\n"
        "- [Quake: Adaptive Indexing for Vector Search](https://example.org/quake) · "
        "[PDF](https://example.org/quake.pdf)\n  Jason Mohoney, Devesh Sarda, Mengze Tang\n"
        "- [Söze: One Network Telemetry Is All You Need](https://example.org/soze) · "
        "[PDF](https://example.org/soze.pdf) · **Best Paper Award**\n"
        "  Weitao Wang, T. S. Eugene Ng\n"))
    text, page, err = imported(tmp_path, source)
    assert (page.venue, page.year) == ("OSDI", 2025)
    quake, soze = page.papers()
    assert links(quake) == [("Paper", "https://example.org/quake"),
                            ("PDF", "https://example.org/quake.pdf")]
    assert quake.authors == ["Jason Mohoney", "Devesh Sarda", "Mengze Tang"]
    assert soze.authors == ["Weitao Wang", "T. S. Eugene Ng"] and soze.title.startswith("Söze")
    assert soze.tags == ["**Best Paper Award**"]
    assert topics(page) == {"Unsorted": [quake.title, soze.title]}
    assert ":3: not placed (paragraph" in err and "2 papers · updated" in text


def test_sessions_as_bold_numbered_bullets_venue_from_front_matter(tmp_path: Path) -> None:
    source = _write(tmp_path, "nsdi23.txt", (
        "---\ntitle: Summary of NSDI 23\ndate: 2023-06-09\n---\n\n## Overview\n\n"
        "1. RDMA\n17. **Programming the Network**\n\t- A High-Speed Stateful Packet Processing "
        "Approach\n\t- *ExoPlane: An Operating System for On-Rack Switch Resource "
        "Augmentation*\n23. Testing\n    - *Norma: Towards Practical Network Load Testing*\n\n"
        "### Interested Papers\n\n- [ExoPlane: An Operating System for On-Rack Switch Resource "
        "Augmentation](https://example.org/exoplane.pdf)\n"
        "- [Electrode: Accelerating Distributed Protocols with eBPF](https://example.org/e.pdf)\n"))
    text, page, _ = imported(tmp_path, source, "--format", "markdown")
    assert (page.venue, page.year) == ("NSDI", 2023)  # `title: Summary of NSDI 23`
    assert topics(page) == {
        "RDMA": [],  # a session with no paper listed is kept, empty
        "Programming the Network": ["A High-Speed Stateful Packet Processing Approach",
                                    "*ExoPlane: An Operating System for On-Rack Switch "
                                    "Resource Augmentation*"],
        "Testing": ["*Norma: Towards Practical Network Load Testing*"],
        "Interested Papers": ["Electrode: Accelerating Distributed Protocols with eBPF"],
    }
    exoplane = page.papers()[1]  # listed twice: one paper, the link gathered
    assert links(exoplane) == [("PDF", "https://example.org/exoplane.pdf")]
    assert "title: Summary of NSDI 23" in text  # the front matter is kept, as raw


@pytest.mark.parametrize("name, venue, year", [
    ("_conferences/osdi2023/results.md", "OSDI", 2023),
    ("osdi23.md", "OSDI", 2023),
    ("papers/2024/SOSP.md", "SOSP", 2024),
])
def test_venue_and_year_from_the_path(tmp_path: Path, name: str, venue: str, year: int) -> None:
    source = _write(tmp_path, name, "| Paper title | Available at |\n|:--:|:--:|\n"
                    "| [Take Out the TraChe]() | [Github](https://github.com/example/detox) |\n")
    _, page, _ = imported(tmp_path, source)
    assert (page.venue, page.year) == (venue, year)
    (paper,) = page.papers()
    assert paper.title == "Take Out the TraChe"
    assert links(paper) == [("Code", "https://github.com/example/detox")]
