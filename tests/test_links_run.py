"""A whole link-check run over real pages and a real server on 127.0.0.1: which URLs are
checked, where findings point, the cache (fresh entries send nothing, expired ones are
checked again), no network at all, --changed-since, exclusions and suppressions."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from links_server import LoopbackOnly, Site, closed_port, settings_for, start_site

from notes_kit.core.edits import apply_edits
from notes_kit.links.run import LinksResult, run_links
from notes_kit.links.store import FOLDER, Store
from notes_kit.lint.config import Config
from notes_kit.lint.link_settings import DAY, LinkSettings


@pytest.fixture(scope="module")
def server() -> Iterator[Site]:
    site = start_site()
    yield site
    site.server.stop()


@pytest.fixture
def site(server: Site) -> Site:
    server.reset()
    return server


def page_text(site: Site, papers: list[tuple[str, list[tuple[str, str]]]],
              homepage: str = "/ok", paper_list: str = "/ok2") -> str:
    def where(url: str) -> str:  # a path on the local server, or written as it stands
        return url if "://" in url or url.endswith(".md") else site.url(url)

    rows = [f"* {title} " + " ".join(f"\\[[{label}]({where(url)})]" for label, url in links)
            + "\n  * MIT" for title, links in papers]
    return (f"# SOSP 2024\n\n## Meta Info\n\nHomepage: <{site.url(homepage)}>\n\n"
            f"### Paper List\n\n* <{site.url(paper_list)}>\n\n## Papers\n\n### Systems\n\n"
            + "\n".join(rows) + "\n")


PAPERS = [
    ("Alive Paper", [("Paper", "/ok"), ("Code", "/nohead")]),
    ("Gone Paper", [("Paper", "/gone404"), ("Slides", "/gone410")]),
    ("Moved Paper", [("Paper", "/old")]),
    ("DOI Paper", [("Paper", "https://doi.org/10.1145/1.2"),
                   ("PDF", "https://dl.acm.org/doi/pdf/10.1145/missing")]),
    ("ArXiv Paper", [("arXiv", "https://arxiv.org/abs/2405.14009"),
                     ("PDF", "https://arxiv.org/pdf/2405.99999.pdf")]),
    ("Bad Id Paper", [("arXiv", "https://arxiv.org/abs/2413.00001")]),
    ("Notes Paper", [("Personal Notes", "notes/here.md"), ("Blog", "notes/missing.md")]),
]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def run(site: Site, paths: list[str], store: Store | None, *, config: Config | None = None,
        transport: httpx.AsyncBaseTransport | None = None, **changes: object) -> LinksResult:
    settings = settings_for(site, **changes)
    return run_links(paths, config or Config(), settings, store=store,
                     transport=transport or LoopbackOnly(), use_cache=store is not None)


@pytest.fixture
def page(site: Site, tmp_path: Path) -> Path:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, PAPERS), encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "here.md").write_text("# notes\n", encoding="utf-8")
    return path


def rules(result: LinksResult) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message.split(" link of ")[-1].split("'")[1]
             if " link of " in f.message else f.message.split()[1]) for f in result.findings]


def test_every_url_of_the_page_gets_its_verdict(site: Site, page: Path, clock: Clock) -> None:
    result = run(site, [str(page)], Store(page.parent / "cache", now=clock))
    lines = page.read_text(encoding="utf-8").split("\n")
    line_of = {title: n for n, row in enumerate(lines, 1) for title, _ in PAPERS
               if row.startswith(f"* {title} ")}
    assert rules(result) == [
        ("NK306", line_of["Gone Paper"], "Gone Paper"), ("NK306", line_of["Gone Paper"],
                                                         "Gone Paper"),
        ("NK308", line_of["Moved Paper"], "Moved Paper"),
        ("NK309", line_of["DOI Paper"], "DOI Paper"),
        ("NK310", line_of["ArXiv Paper"], "ArXiv Paper"),
        ("NK310", line_of["Bad Id Paper"], "Bad Id Paper"),
        ("NK306", line_of["Notes Paper"], "Notes Paper"),
    ]
    assert result.errors == [] and result.offline is None
    asked = {s.path for s in site.seen}
    assert {"/ok", "/ok2", "/doi/api/handles/10.1145/1.2", "/arxiv/abs/2405.99999"} <= asked
    assert not any("2413" in path for path in asked)  # a malformed id is not asked for


def test_findings_point_at_the_url_in_the_source(site: Site, page: Path) -> None:
    result = run(site, [str(page)], None)
    lines = page.read_text(encoding="utf-8").split("\n")
    for finding in result.findings:
        written = lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
        assert written.startswith(("http", "notes/")) and written in finding.message


def test_the_homepage_and_paper_lists_are_checked(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, [("A", [("Paper", "/ok")])], homepage="/gone404",
                              paper_list="/old"), encoding="utf-8")
    found = {(f.rule, f.line) for f in run(site, [str(path)], None).findings}
    assert found == {("NK306", 5), ("NK308", 9)}


def test_a_shared_url_is_asked_once_and_reported_at_each_paper(site: Site,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, [("A", [("Paper", "/gone404")]),
                                     ("B", [("Paper", "/gone404")])]), encoding="utf-8")
    result = run(site, [str(path)], None)
    assert [f.rule for f in result.findings] == ["NK306", "NK306"]
    assert site.asked("/gone404") == ["HEAD", "GET"]


def test_fixes_replace_exactly_the_moved_urls(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    text = page_text(site, [("A", [("Paper", "/old"), ("Code", "/ok")])]).replace(
        f"Homepage: <{site.url('/ok')}>", f"Homepage: [{site.url('/old')}]({site.url('/old')})")
    path.write_text(text, encoding="utf-8")
    moved = [f for f in run(site, [str(path)], None).findings if f.rule == "NK308"]
    fixed = apply_edits(text, [e for f in moved for e in f.edits])
    assert fixed == text.replace(site.url("/old"), site.url("/new"))


def test_a_second_run_sends_no_requests(site: Site, page: Path, clock: Clock) -> None:
    store = Store(page.parent / "cache", now=clock)
    first = run(site, [str(page)], store)
    asked = len(site.seen)
    second = run(site, [str(page)], store)
    assert asked > 0 and len(site.seen) == asked  # not even the probe
    assert second.findings == first.findings and second.cached == second.checks > 0
    assert [f.message for f in second.findings] == [f.message for f in first.findings]


def test_expired_entries_are_checked_again(site: Site, page: Path, clock: Clock) -> None:
    store = Store(page.parent / "cache", now=clock)
    run(site, [str(page)], store)
    site.reset()
    clock.now += 2 * DAY  # failures (a day) expired, live links (a week) not
    again = run(site, [str(page)], store)
    asked = {s.path for s in site.seen}
    assert "/gone404" in asked and "/arxiv/abs/2405.99999" in asked
    assert "/ok" not in asked and "/nohead" not in asked
    site.reset()
    clock.now += 6 * DAY  # now the live ones too
    run(site, [str(page)], store)
    assert {"/ok", "/nohead"} <= {s.path for s in site.seen}
    assert again.cached > 0


def test_a_damaged_entry_is_a_miss(site: Site, page: Path, clock: Clock) -> None:
    store = Store(page.parent / "cache", now=clock)
    run(site, [str(page)], store)
    entries = sorted((page.parent / "cache" / FOLDER).glob("*/*.json"))
    victim = next(p for p in entries if b"/gone410" in p.read_bytes())
    victim.write_bytes(victim.read_bytes().replace(b'"status": 410', b'"status": 200'))
    site.reset()
    result = run(site, [str(page)], store)
    assert {s.path for s in site.seen} == {"/probe", "/gone410"}
    assert [f.rule for f in result.findings].count("NK306") == 3  # still dead, not "200"


def test_without_the_cache_everything_is_checked_and_nothing_written(
        site: Site, page: Path, clock: Clock) -> None:
    folder = page.parent / "cache"
    run(site, [str(page)], Store(folder, now=clock))
    site.reset()
    shutil.rmtree(folder / FOLDER)
    result = run(site, [str(page)], Store(folder, read=False, write=False, now=clock))
    assert result.cached == 0 and "/ok" in {s.path for s in site.seen}
    assert not (folder / FOLDER).exists()


def test_no_network_is_one_message_and_no_finding(site: Site, page: Path) -> None:
    result = run(site, [str(page)], None, probe=(f"http://127.0.0.1:{closed_port()}/",),
                 retries=0)
    assert result.offline is not None and result.offline.startswith("no network")
    assert result.findings == [] and site.seen == []


class FakeDns(LoopbackOnly):
    """Names in `answers` fail at the name lookup with that error; 127.0.0.1 is served."""

    def __init__(self, answers: dict[str, tuple[int, str]]) -> None:
        super().__init__()
        self.answers = answers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        failure = self.answers.get(request.url.host) or self.answers.get("*")
        if failure is None:
            return await super().handle_async_request(request)
        try:
            raise socket.gaierror(*failure)
        except socket.gaierror as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc


NO_DNS = (socket.EAI_AGAIN, "Temporary failure in name resolution")
NO_HOST = (socket.EAI_NONAME, "Name or service not known")


def test_no_name_lookup_at_all_is_no_network(site: Site, page: Path) -> None:
    result = run(site, [str(page)], None, transport=FakeDns({"*": NO_DNS}),
                 probe=("https://doi.org/",))
    assert result.offline is not None and "name lookup failed" in result.offline
    assert result.findings == []


def test_without_a_probe_every_link_failing_to_resolve_is_no_network(
        site: Site, page: Path) -> None:
    result = run(site, [str(page)], None, transport=FakeDns({"*": NO_DNS}), probe=())
    assert result.offline is not None and result.findings == []


def test_a_host_that_does_not_exist_is_dead_when_the_network_works(site: Site,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, [("A", [("Paper", "https://gone.example.org/p")])]),
                    encoding="utf-8")
    result = run(site, [str(path)], None, transport=FakeDns({"gone.example.org": NO_HOST}))
    assert result.offline is None
    assert [(f.rule, "no such host" in f.message) for f in result.findings] == [("NK306", True)]


def test_excluded_hosts_and_patterns_are_not_asked(site: Site, page: Path) -> None:
    result = run(site, [str(page)], None, exclude=("doi.org", "acm.org", f"{site.url('/g')}*"))
    asked = {s.path for s in site.seen}
    assert not any(p.startswith(("/doi/", "/gone")) for p in asked)
    assert result.excluded == 4 and not any(f.rule in ("NK309",) for f in result.findings)


def test_accept_takes_more_codes_as_alive(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, [("A", [("Paper", "/forbidden")])]), encoding="utf-8")
    assert [f.rule for f in run(site, [str(path)], None).findings] == ["NK307"]
    assert run(site, [str(path)], None, accept=frozenset({403})).findings == []


def test_suppressions_and_config_ignores_hold(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "sosp-2024.md"
    text = page_text(site, [("A", [("Paper", "/gone404")]), ("B", [("Paper", "/down")])])
    text = text.replace("* A ", "<!-- notes-kit: disable-next-line NK306 -->\n* A ")
    path.write_text(text, encoding="utf-8")
    assert [f.rule for f in run(site, [str(path)], None).findings] == ["NK307"]
    quiet = replace(Config(), ignore=("NK307",))
    assert run(site, [str(path)], None, config=quiet).findings == []


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_checks_only_the_changed_papers(site: Site, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sosp-2024.md"
    path.write_text(page_text(site, [("A", [("Paper", "/ok")]), ("B", [("Paper", "/ok2")])]),
                    encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "page")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(site.url("/ok2") + ")", site.url("/gone404") + ")"),
                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_links([str(path)], Config(), settings_for(site), store=None,
                       transport=LoopbackOnly(), changed_since="HEAD")
    assert {s.path for s in site.seen} == {"/probe", "/gone404"}
    assert [f.rule for f in result.findings] == ["NK306"] and result.links == 1


def test_unreadable_pages_are_errors_and_other_pages_still_checked(site: Site,
                                                                   tmp_path: Path) -> None:
    good = tmp_path / "sosp-2024.md"
    good.write_text(page_text(site, [("A", [("Paper", "/gone404")])]), encoding="utf-8")
    (tmp_path / "osdi-2024.md").write_bytes(b"\xff\xfe broken")
    result = run(site, [str(tmp_path)], None)
    assert len(result.errors) == 1 and "osdi-2024.md" in result.errors[0]
    assert [f.rule for f in result.findings] == ["NK306"]


def test_default_settings_are_documented_values() -> None:
    default = LinkSettings()
    assert (default.ttl_alive, default.ttl_failed) == (7 * DAY, DAY)
    assert default.agent().startswith("notes-kit/") and default.agent().endswith(
        "(+link check)")


def test_one_probe_that_answers_is_enough(site: Site, page: Path) -> None:
    closed = f"http://127.0.0.1:{closed_port()}/"
    result = run(site, [str(page)], None, probe=(closed, site.url("/probe")), retries=0)
    assert result.offline is None and result.findings
