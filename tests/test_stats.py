"""`notes-kit stats`: per-conference counts, acceptance rates and totals."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from notes_kit.cli.main import run
from notes_kit.core.model import Rate
from notes_kit.format.markdown.parse import parse_page
from notes_kit.run.stats import acceptance_of

ROOT = Path(__file__).resolve().parents[1]
SOSP = ROOT / "conferences" / "sosp-2024.md"
CORPUS = Path("..") / "shared" / "corpus" / "awesome-papers" / "reading-notes" / "conference"


@pytest.fixture(autouse=True)
def _at_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(ROOT)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def sosp_papers() -> int:
    """Paper bullets of the page, counted twice: by the parser and by their link tails."""
    text = SOSP.read_text(encoding="utf-8")
    by_parser = len(parse_page(text, str(SOSP)).page.papers())
    by_lines = len([line for line in text.splitlines()
                    if re.match(r"\s*\* .* \\\[\[Paper\]\(", line)])
    assert by_parser == by_lines
    return by_parser


def paths() -> list[str]:
    found = ["conferences/"]
    if (ROOT / CORPUS).is_dir():
        found.append(str(CORPUS))
    return found


def test_text_table_shows_sosp_2024() -> None:
    code, out, err = cli("stats", *paths())
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["venue", "year", "papers", "topics", "acceptance", "links"]
    rows = [line for line in lines if re.match(r"SOSP\s+2024\s", line)]
    ours = [row for row in rows if "17.3% (43/248)" in row]
    assert ours, out
    cells = ours[0].split()
    assert cells[2] == str(sosp_papers())
    assert f"Paper:{sosp_papers()}" in ours[0]
    total = [line for line in lines if line.startswith("Total (")]
    assert len(total) == 1


def test_json_is_a_list_of_objects() -> None:
    code, out, _ = cli("stats", "--format", "json", *paths())
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and all(isinstance(item, dict) for item in data)
    [sosp] = [d for d in data if Path(d["path"]) == Path("conferences/sosp-2024.md")]
    assert (sosp["venue"], sosp["year"], sosp["papers"]) == ("SOSP", 2024, sosp_papers())
    assert sosp["acceptance"] == {"accepted": 43, "submitted": 248, "source": "rate",
                                  "percent": 17.3}
    assert sosp["topics"] == 4 and sosp["links"]["Paper"] == sosp_papers()
    assert len(data) == len({d["path"] for d in data})


def test_totals_add_up(tmp_path: Path) -> None:
    for name, rate, n in (("osdi-2024.md", "10.0% (= 10 / 100)", 1),
                          ("sosp-2024.md", "20.0% (= 20 / 100)", 2)):
        papers = "".join(f"* P{name}{i} \\[[Paper](https://a.org/{name}/{i})]\n  * PKU\n"
                         for i in range(n))
        (tmp_path / name).write_text(
            f"# {name[:4].upper()} 2024\n\n## Meta Info\n\nHomepage: <https://a.org>\n\n"
            f"### Acceptance Rate\n\n{rate}\n\n## Papers\n\n### T\n\n{papers}", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Not a conference\n", encoding="utf-8")
    code, out, _ = cli("stats", str(tmp_path))
    assert code == 0
    total = out.splitlines()[-1].split()
    assert total[:5] == ["Total", "(2", "pages)", "3", "2"]
    assert "15.0% (30/200)" in out.splitlines()[-1]


def test_acceptance_prefers_total_then_sums_cycles() -> None:
    spring, fall = Rate("Spring", 10.0, 10, 100), Rate("Fall", 20.0, 40, 200)
    total = Rate("Total", 16.7, 50, 300)
    one = acceptance_of([spring, fall, total])
    assert one is not None and (one.accepted, one.submitted, one.source) == (50, 300, "total")
    summed = acceptance_of([spring, fall])
    assert summed is not None and summed.source == "sum" and summed.text() == "16.7% (50/300)*"
    assert acceptance_of([Rate(text="Review model: two rounds")]) is None
