"""The HTTP checker against a real server on 127.0.0.1: each kind of answer gets its
verdict, the body of a 100 MB answer is not downloaded, the per-host limit and delay hold
as the server sees them, Retry-After is honoured up to the cap."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from links_server import (
    HUGE,
    LoopbackOnly,
    Site,
    closed_port,
    settings_for,
    start_site,
)

from notes_kit.core.findings import FixKind
from notes_kit.links import outcome as kinds
from notes_kit.links.http import check_all
from notes_kit.links.net import classify, interleave, retry_after
from notes_kit.links.outcome import Outcome
from notes_kit.links.specs import Spec
from notes_kit.links.targets import Target
from notes_kit.links.verdicts import verdict
from notes_kit.lint.link_settings import LinkSettings


@pytest.fixture(scope="module")
def server() -> Iterator[Site]:
    site = start_site()
    yield site
    site.server.stop()


@pytest.fixture
def site(server: Site) -> Site:
    server.reset()
    return server


def check(site: Site, *paths: str, **changes: object) -> dict[str, Outcome]:
    """Outcomes by path, one fresh checker (no memory of hosts refusing HEAD) per call."""
    settings = settings_for(site, **changes)
    specs = [Spec("url", site.url(p)) for p in paths]
    transport = LoopbackOnly()
    found, offline = asyncio.run(check_all(specs, settings, transport=transport))
    assert offline is None and transport.hosts == {"127.0.0.1"}
    return {p: found[Spec("url", site.url(p))] for p in paths}


def rule_of(site: Site, path: str, found: Outcome) -> str | None:
    url = site.url(path)
    target = Target("p.md", 9, 20, 20 + len(url), url, "Slides", "A Paper",
                    ((20, 20 + len(url)),))
    made = verdict(target, Spec("url", url), found)
    return made.rule if made is not None else None


@pytest.mark.parametrize("path, rule", [
    ("/ok", None), ("/gone404", "NK306"), ("/gone410", "NK306"),
    ("/temporary", None), ("/moved-then-gone", "NK306"), ("/loop-a", "NK306"),
    ("/chain/0", "NK307"), ("/to-ftp", "NK307"), ("/down", "NK307"), ("/forbidden", "NK307"),
    ("/slow", "NK307"), ("/limited-long", "NK307"), ("/old", "NK308"), ("/old308", "NK308"),
    ("/nohead", None), ("/flaky", None),
])
def test_each_answer_gets_its_verdict(site: Site, path: str, rule: str | None) -> None:
    found = check(site, path)[path]
    assert rule_of(site, path, found) == rule, found


def test_a_permanent_move_is_an_unsafe_fix_to_the_new_url(site: Site) -> None:
    url = site.url("/old")
    row = f"* A Paper \\[[Slides]({url})]"
    start = row.index(url) + 1
    target = Target("p.md", 3, start, start + len(url), url, "Slides", "A Paper",
                    ((start, start + len(url)),))
    made = verdict(target, Spec("url", url), check(site, "/old")["/old"])
    assert made is not None and made.rule == "NK308" and made.fix is FixKind.UNSAFE
    assert [(e.line, e.column, e.end_column, e.text) for e in made.edits] == [
        (3, start, start + len(url), site.url("/new"))]
    assert "'A Paper'" in made.message and made.suggestions == (site.url("/new"),)


def test_a_302_chain_stops_at_the_cap(site: Site) -> None:
    found = check(site, "/chain/0", max_redirects=3)["/chain/0"]
    assert found.error == kinds.TOO_MANY
    assert site.asked("/chain/3") and not site.asked("/chain/4")  # 3 redirects followed


def test_a_redirect_loop_is_dead_without_going_round_again(site: Site) -> None:
    found = check(site, "/loop-a")["/loop-a"]
    assert found.error == kinds.LOOP
    assert len(site.asked("/loop-a")) == 1 and len(site.asked("/loop-b")) == 1


def test_head_refused_falls_back_to_get(site: Site) -> None:
    found = check(site, "/nohead")["/nohead"]
    assert found.alive() and site.asked("/nohead") == ["HEAD", "GET"]


def test_a_100_mb_body_is_not_downloaded(site: Site) -> None:
    found = check(site, "/huge", prefix_bytes=16384)["/huge"]
    assert found.alive() and site.asked("/huge") == ["HEAD", "GET"]
    assert site.huge_done.wait(10)  # the server stopped sending: the client hung up
    assert site.huge_sent < HUGE / 20  # what socket buffers held, not the body


def test_429_waits_for_retry_after_then_succeeds(site: Site) -> None:
    found = check(site, "/limited")["/limited"]
    times = [s.at for s in site.seen if s.path == "/limited"]
    assert found.alive() and len(times) == 2
    assert times[1] - times[0] >= 0.9  # Retry-After: 1 was honoured


def test_a_retry_after_past_the_cap_is_not_waited_for(site: Site) -> None:
    found = check(site, "/limited-long", max_wait=5.0)["/limited-long"]
    assert found.error == kinds.RATE_LIMITED and found.status == 429
    assert site.asked("/limited-long") == ["HEAD"]  # no GET, no second try


def test_503_then_200_is_alive_after_one_retry(site: Site) -> None:
    found = check(site, "/flaky")["/flaky"]
    assert found.alive() and site.asked("/flaky") == ["HEAD", "HEAD"]


def test_a_slow_answer_times_out_after_retries(site: Site) -> None:
    found = check(site, "/slow", timeout=0.3, retries=1)["/slow"]
    assert found.error == kinds.TIMEOUT and found.status is None
    assert site.asked("/slow") == ["HEAD", "HEAD"]


def test_a_closed_port_is_refused_after_retries() -> None:
    settings = LinkSettings(retries=2, backoff=0.01, probe=(), trust_env=False)
    spec = Spec("url", f"http://127.0.0.1:{closed_port()}/x")
    found, _ = asyncio.run(check_all([spec], settings, transport=LoopbackOnly()))
    assert found[spec].error == kinds.REFUSED and found[spec].requests == 3


def test_the_per_host_limit_holds_at_the_server(site: Site) -> None:
    paths = [f"/busy/{i}" for i in range(24)]
    found = check(site, *paths, per_host=3, concurrency=16)
    assert all(o.alive() for o in found.values())
    assert 2 <= site.busiest <= 3  # used, and never more than 3 at once


def test_starts_to_one_host_are_spaced_by_the_delay(site: Site) -> None:
    check(site, "/ok", "/ok2", "/ok3", "/new", delay=0.2, per_host=4)
    starts = sorted(s.at for s in site.seen if s.path != "/probe")
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 4 and min(gaps) >= 0.18


def test_every_request_carries_the_user_agent(site: Site) -> None:
    check(site, "/ok")
    agent = site.server.log[-1][0].headers.get("User-Agent")
    assert agent.startswith("notes-kit/") and agent.endswith("(+link check)")


def test_interleave_takes_hosts_in_turn() -> None:
    specs = [Spec("url", f"https://{h}.org/{i}") for h in "ab" for i in range(3)]
    hosts = [s.url.split("/")[2] for s in interleave(specs)]
    assert hosts == ["a.org", "b.org"] * 3


@pytest.mark.parametrize("value, seconds", [("3", 3.0), ("0", 0.0), ("soon", None), ("", None),
                                            (None, None)])
def test_retry_after_reads_seconds(value: str | None, seconds: float | None) -> None:
    assert retry_after(value) == seconds


def test_retry_after_reads_an_http_date() -> None:
    waited = retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    assert waited == 0.0  # a date in the past: retry at once


@pytest.mark.parametrize("make, kind", [
    (lambda: OSError(111, "Connection refused"), kinds.REFUSED),
    (lambda: OSError(101, "Network is unreachable"), kinds.NO_NETWORK),
    (lambda: __import__("socket").gaierror(-2, "Name or service not known"), kinds.NO_SUCH_HOST),
    (lambda: __import__("socket").gaierror(-3, "Temporary failure in name resolution"),
     kinds.NO_NETWORK),
    (lambda: RuntimeError("something else"), kinds.CONNECTION),
])
def test_classify_reads_the_os_error_under_httpx(make: object, kind: str) -> None:
    import httpx

    try:
        try:
            raise make()  # type: ignore[operator]
        except Exception as inner:
            raise httpx.ConnectError("All connection attempts failed") from inner
    except httpx.ConnectError as exc:
        assert classify(exc)[0] == kind


def test_urls_that_cannot_be_sent_are_dead_not_a_crash() -> None:
    """IDNA and port errors are ValueErrors inside httpx; an already-read response (a
    mock transport) has no stream to read: neither may end the run."""
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    urls = ["http://xn--/", "http://a.org:abc/", "http://\x00/", "https://ok.example.org/"]
    found, _ = asyncio.run(check_all([Spec("url", u) for u in urls],
                                     LinkSettings(probe=(), retries=0), transport=transport))
    assert [found[Spec("url", u)].error for u in urls] == [kinds.INVALID] * 3 + [None]
    target = Target("p.md", 1, 1, 1, urls[0], "Paper", "T")
    made = verdict(target, Spec("url", urls[0]), found[Spec("url", urls[0])])
    assert made is not None and made.rule == "NK306" and "not a valid URL" in made.message
