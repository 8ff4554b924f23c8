"""The link checker's parts without a server: where URLs are written, what is asked for a
DOI or an arXiv id, exclusions and durations, the cache files, the progress bar, the rules."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from notes_kit.core.findings import Finding
from notes_kit.links import outcome as kinds
from notes_kit.links.outcome import Outcome
from notes_kit.links.specs import Spec, arxiv_id_of, doi_of, spec_for, valid_arxiv_id
from notes_kit.links.store import FOLDER, Store
from notes_kit.links.targets import page_targets, url_spans
from notes_kit.lint.engine import lint
from notes_kit.lint.link_settings import DAY, LinkSettings, duration, excluded
from notes_kit.lint.rules.registry import all_rules
from notes_kit.pages import parse_markdown
from notes_kit.run.progress import progress_for

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "conferences" / "sosp-2024.md"
U = "https://a.org/x"


def occurrences(row: str) -> list[tuple[int, int]]:
    """1-based spans of every U in the row."""
    found, at = [], row.find(U)
    while at >= 0:
        found.append((at + 1, at + 1 + len(U)))
        at = row.find(U, at + 1)
    return found


@pytest.mark.parametrize("row, column, which", [
    (f"* T \\[[Paper]({U})]", 5, [0]),
    (f"Homepage: [{U}]({U})", 1, [0, 1]),  # the link text repeats the URL: both
    (f"Homepage: <{U}>", 1, [0]),
    (f"* <{U}>", 3, [0]),
    (f"* {U}", 1, [0]),
    (f"* T \\[[Paper]({U}/longer)]", 5, []),  # only a longer URL starts with it
    (f"* T \\[[Paper]({U})] \\[[PDF]({U})]", 21, [1]),  # the second of two
    ("* T \\[[Paper](https://b.org/)]", 5, []),
])
def test_url_spans(row: str, column: int, which: list[int]) -> None:
    spans = url_spans(row, U, column)
    assert spans == [occurrences(row)[i] for i in which]
    for start, end in spans:
        assert row[start - 1 : end - 1] == U


def test_every_link_of_the_real_page_is_found_at_its_url() -> None:
    text = PAGE.read_text(encoding="utf-8")
    page = parse_markdown(text, str(PAGE))
    targets = page_targets(page, text, str(PAGE))
    lines = text.split("\n")
    links = sum(len(p.links) for p in page.papers())
    assert page.meta is not None
    assert len(targets) == links + 1 + len(page.meta.paper_lists)
    for target in targets:
        assert lines[target.line - 1][target.column - 1 : target.end_column - 1] == target.url
    papers = [t for t in targets if t.paper is not None]
    assert papers[0].subject().startswith(f"the {papers[0].label} link of '")


@pytest.mark.parametrize("url, doi", [
    ("https://doi.org/10.1145/3694715.3695960", "10.1145/3694715.3695960"),
    ("https://dx.doi.org/10.1145/1.2", "10.1145/1.2"),
    ("https://dl.acm.org/doi/10.1145/3694715.3695960", "10.1145/3694715.3695960"),
    ("https://dl.acm.org/doi/pdf/10.1145/3694715.3695960", "10.1145/3694715.3695960"),
    ("https://dl.acm.org/doi/proceedings/10.1145/3694715", "10.1145/3694715"),
    ("https://doi.org/10.1000/a%3Cb%3E", "10.1000/a<b>"),
    ("https://www.usenix.org/conference/osdi24/presentation/x", None),
    ("https://doi.org/", None),
])
def test_doi_of(url: str, doi: str | None) -> None:
    assert doi_of(url) == doi


@pytest.mark.parametrize("ident, valid", [
    ("2405.14009", True), ("2405.14009v2", True), ("1412.1234", True), ("0704.0001", True),
    ("hep-th/9901001", True), ("math.GT/0309136v1", True),
    ("2413.00001", False), ("2405.1400", False), ("1412.12345", False), ("0612.0001", False),
    ("2405.14009v0", False), ("", False), ("abs", False),
])
def test_valid_arxiv_ids(ident: str, valid: bool) -> None:
    assert valid_arxiv_id(ident) is valid


def test_specs_for_each_kind_of_url() -> None:
    s = LinkSettings(doi_resolver="http://127.0.0.1:9/doi/", arxiv="http://127.0.0.1:9/ax/")
    assert spec_for("https://doi.org/10.1145/1.2", "p.md", s) == Spec(
        "doi", "http://127.0.0.1:9/doi/api/handles/10.1145/1.2")
    assert spec_for("https://arxiv.org/pdf/2405.14009v1.pdf", "p.md", s) == Spec(
        "arxiv", "http://127.0.0.1:9/ax/abs/2405.14009v1")
    assert arxiv_id_of("https://arxiv.org/abs/") == ""
    assert spec_for("https://arxiv.org/abs/2413.00001", "p.md", s) == Spec("bad-arxiv",
                                                                           "2413.00001")
    assert spec_for("https://a.org/x#part", "p.md", s) == Spec("url", "https://a.org/x")
    assert spec_for("mailto:a@b.org", "p.md", s).kind == "skip"
    assert spec_for("notes/x.md#y", "dir/p.md", s) == Spec("file", "dir/notes/x.md")
    assert not spec_for("notes/x.md", "p.md", s).online


@pytest.mark.parametrize("url, hit", [
    ("https://dl.acm.org/doi/1", True), ("https://acm.org/", True), ("https://notacm.org/", False),
    ("https://twitter.com/u/status/1", True), ("https://x.com/u", False),
])
def test_exclusions(url: str, hit: bool) -> None:
    assert excluded(("acm.org", "https://twitter.com/*"), url) is hit


@pytest.mark.parametrize("value, seconds", [
    (5, 5.0), (0.5, 0.5), ("50ms", 0.05), ("30s", 30.0), ("2m", 120.0), ("12h", 43200.0),
    ("7d", 7 * DAY), ("1w", 7 * DAY), ("soon", None), (-1, None), (True, None), ("5 y", None),
])
def test_durations(value: object, seconds: float | None) -> None:
    assert duration(value) == seconds


ALIVE = Outcome(200, None, "HTTP 200 OK", None, "https://a.org/", 1)
GONE = Outcome(404, None, "HTTP 404 Not Found", None, "https://a.org/g", 2)


class Clock:
    now = 5_000.0

    def __call__(self) -> float:
        return self.now


def test_store_round_trip_and_ttls(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path, now=clock)
    settings = LinkSettings(ttl_alive=100, ttl_failed=10)
    store.put("url https://a.org/", ALIVE)
    store.put("url https://a.org/g", GONE)
    assert store.get("url https://a.org/") == (ALIVE, 5_000.0)
    clock.now += 50
    assert store.fresh("url https://a.org/", settings) == ALIVE
    assert store.fresh("url https://a.org/g", settings) is None  # a failure lives 10 s
    assert store.fresh("url https://a.org/g", LinkSettings(accept=frozenset({404}),
                                                           ttl_alive=100)) == GONE
    clock.now += 60
    assert store.fresh("url https://a.org/", settings) is None
    clock.now -= 1_000  # a clock that went back: not trusted
    assert store.fresh("url https://a.org/", settings) is None


def test_damaged_or_foreign_entries_are_misses(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("url https://a.org/", ALIVE)
    (path,) = (tmp_path / FOLDER).glob("*/*.json")
    good = path.read_bytes()
    digest, _, payload = good.partition(b"\n")
    cases = [good[:-5], b"", b"junk", digest + b"\n" + payload.replace(b"200", b"201")]
    data = json.loads(payload)
    for change in ({"key": "url https://b.org/"}, {"checked": "yesterday"},
                   {"outcome": {**data["outcome"], "error": "gremlins"}}):
        forged = json.dumps({**data, **change}).encode()
        import hashlib

        cases.append(hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    for blob in cases:
        path.write_bytes(blob)
        assert store.get("url https://a.org/") is None
    path.write_bytes(good)
    assert store.get("url https://a.org/") == (ALIVE, store.get("url https://a.org/")[1])


def test_no_network_outcomes_and_disabled_stores_write_nothing(tmp_path: Path) -> None:
    Store(tmp_path).put("url https://a.org/", Outcome(error=kinds.NO_NETWORK))
    Store(tmp_path, write=False).put("url https://b.org/", ALIVE)
    assert not list(tmp_path.rglob("*.json"))
    Store(None).put("url https://c.org/", ALIVE)
    assert Store(None).get("url https://c.org/") is None
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    Store(blocker).put("url https://d.org/", ALIVE)  # not a folder: skipped silently


def test_outcome_from_dict_takes_only_its_own_shape() -> None:
    assert Outcome.from_dict(ALIVE.to_dict()) == ALIVE
    assert Outcome.from_dict({**ALIVE.to_dict(), "status": "200"}) is None
    assert Outcome.from_dict({**ALIVE.to_dict(), "extra": 1}) is None
    assert Outcome.from_dict([1, 2]) is None


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert progress_for(io.StringIO()) is None
    screen = Terminal()
    start = progress_for(screen, long=5)
    assert start is not None
    short = start(3)
    short.advance()
    short.close()
    assert screen.getvalue() == ""
    import notes_kit.run.progress as progress

    def no_rich(total: int, stream: object, label: str) -> None:
        raise ImportError("rich")

    monkeypatch.setattr(progress, "_Rich", no_rich)
    bar = start(6)
    for _ in range(6):
        bar.advance()
    bar.close()
    assert "checking links: 6/6" in screen.getvalue()


def test_the_rich_bar_when_rich_is_there() -> None:
    pytest.importorskip("rich")
    screen = Terminal()
    start = progress_for(screen, long=1)
    assert start is not None
    bar = start(2)
    bar.advance()
    bar.advance()
    bar.close()


def test_the_link_rules_are_registered_online_and_never_run_by_lint() -> None:
    rules = all_rules()
    ids = ["NK306", "NK307", "NK308", "NK309", "NK310"]
    assert all(rules[i].scope == "online" and rules[i].check is None for i in ids)
    assert rules["NK308"].fixable and not rules["NK306"].fixable
    found: list[Finding] = lint(PAGE.read_text(encoding="utf-8"), str(PAGE))
    assert not any(f.rule in ids for f in found)
