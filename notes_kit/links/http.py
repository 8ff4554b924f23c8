"""The HTTP side of the link check: httpx, asynchronous, polite. The only module that
imports httpx; only `notes-kit links` and `lint --check-links` import it.

Politeness: at most `concurrency` requests in flight, at most `per_host` to one host:port,
starts to one host at least `delay` apart. HEAD first; GET when HEAD is refused (any status
from 400 on but 429 and 503), reading at most `prefix_bytes` of the body. Redirects are
followed here, hop by hop (each hop waits for its own host), up to `max_redirects`, and only
to http(s). Timeouts, refused connections, 429 and 5xx are retried `retries` times with a
doubling wait, or the wait that Retry-After asks for when it is at most `max_wait`.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

import httpx

from notes_kit.links import outcome as kinds
from notes_kit.links.net import classify, host_key, interleave, retry_after
from notes_kit.links.outcome import Outcome
from notes_kit.links.specs import Spec
from notes_kit.lint.link_settings import LinkSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
_NO_FALLBACK = frozenset({429, 503})  # "come back later": a GET now would not help
_RETRIED = frozenset({kinds.REFUSED, kinds.TIMEOUT, kinds.CONNECTION, kinds.NO_NETWORK})


class Answer(NamedTuple):
    status: int
    reason: str
    location: str | None
    retry_after: str | None


class _Gate:
    """One host's share: a semaphore, and request starts spaced `delay` apart."""

    def __init__(self, limit: int, delay: float) -> None:
        self.slots = asyncio.Semaphore(limit)
        self.delay = delay
        self.next_start = 0.0

    async def __aenter__(self) -> None:
        await self.slots.acquire()
        now = asyncio.get_running_loop().time()
        start = max(now, self.next_start)
        self.next_start = start + self.delay
        if start > now:
            await asyncio.sleep(start - now)

    async def __aexit__(self, *exc: object) -> None:
        self.slots.release()


class Checker:
    """One client and its limits for a whole run."""

    def __init__(self, settings: LinkSettings,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        from importlib.util import find_spec

        self.settings = settings
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.gates: dict[str, _Gate] = {}
        self.head_refused: set[str] = set()  # hosts that answered HEAD with 405/501
        self.requests = 0
        self.transport = transport
        self.http2 = find_spec("h2") is not None
        self.clients: dict[str, httpx.AsyncClient] = {}
        self.verify: ssl.SSLContext | bool = True  # one context (loading the CA certificates
        if transport is None and hasattr(httpx, "create_ssl_context"):  # costs ~60 ms)
            self.verify = httpx.create_ssl_context(trust_env=settings.trust_env)

    def _client(self, host: str) -> httpx.AsyncClient:
        """One client per host:port. httpx's pool checks every idle connection it holds
        each time it hands one out, so one pool for all hosts costs O(hosts) per request."""
        client = self.clients.get(host)
        if client is None:
            s = self.settings  # in-flight requests are bounded by the gates; the pool only
            client = self.clients[host] = httpx.AsyncClient(  # keeps idle connections
                http2=self.http2, transport=self.transport, verify=self.verify,
                timeout=httpx.Timeout(s.timeout),
                follow_redirects=False, trust_env=s.trust_env,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=s.per_host),
                headers={"User-Agent": s.agent(), "Accept": "*/*"})
        return client

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def check(self, spec: Spec) -> Outcome:
        """Follow the URL's redirects to a final answer (DOIs: one GET of the handle API)."""
        method = "GET" if spec.kind == "doi" else "HEAD"
        url, seen, hops, moved, permanent = spec.url, {spec.url}, 0, None, True
        tally = [0]  # requests made for this spec
        while True:
            got = await self._answer(url, method, tally)
            if isinstance(got, Outcome):
                return _with(got, moved, url, tally[0])
            if got.status not in REDIRECTS or got.location is None:
                return _with(Outcome(got.status, None, _status_text(got)), moved, url, tally[0])
            target = urljoin(url, got.location.strip())
            problem = self._bad_hop(target, seen, hops)
            if problem is not None:
                error, detail = problem
                return _with(Outcome(got.status, error, detail), moved, url, tally[0])
            permanent = permanent and got.status in PERMANENT
            moved = target if permanent else moved
            url, hops = target, hops + 1
            seen.add(target)

    def _bad_hop(self, target: str, seen: set[str], hops: int) -> tuple[str, str] | None:
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            return kinds.BAD_REDIRECT, f"redirects to a non-http(s) URL: {target[:100]}"
        if target in seen:
            return kinds.LOOP, f"redirect loop (back to {target[:100]})"
        if hops >= self.settings.max_redirects:
            return kinds.TOO_MANY, f"more than {self.settings.max_redirects} redirects"
        return None

    async def reachable(self, url: str) -> Outcome | None:
        """None when the server answers anything at all; the last failure otherwise (after
        the retries a connection failure gets)."""
        for attempt in range(self.settings.retries + 1):
            got = await self._request(url, "HEAD", [0])
            if not isinstance(got, Outcome):
                return None
            if got.error not in _RETRIED or attempt == self.settings.retries:
                return got
            await asyncio.sleep(self.settings.backoff * 2**attempt)
        return None  # pragma: no cover - the loop always returns

    async def _answer(self, url: str, method: str, tally: list[int]) -> Answer | Outcome:
        """One answer for one URL, after the retries a failure calls for."""
        s = self.settings
        for attempt in range(s.retries + 1):
            got = await self._exchange(url, method, tally)
            wait = s.backoff * 2**attempt
            if isinstance(got, Outcome):
                if got.error not in _RETRIED or attempt == s.retries:
                    return got
            elif got.status == 429 or got.status >= 500:
                if attempt == s.retries:
                    return got
                asked = retry_after(got.retry_after)
                if asked is not None and asked > s.max_wait:
                    return Outcome(got.status, kinds.RATE_LIMITED, f"{_status_text(got)}, "
                                   f"asked to retry after {asked:.0f} s")
                wait = wait if asked is None else asked
            else:
                return got
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns

    async def _exchange(self, url: str, method: str, tally: list[int]) -> Answer | Outcome:
        """HEAD, then GET when the server refuses HEAD (or answers it with an error)."""
        host = host_key(url)
        if method == "HEAD" and host not in self.head_refused:
            got = await self._request(url, "HEAD", tally)
            if isinstance(got, Outcome) or got.status < 400 or got.status in _NO_FALLBACK:
                return got
            if got.status in (405, 501):
                self.head_refused.add(host)
        return await self._request(url, "GET", tally)

    async def _request(self, url: str, method: str, tally: list[int]) -> Answer | Outcome:
        gate = self.gates.get(host_key(url))
        if gate is None:
            gate = self.gates[host_key(url)] = _Gate(self.settings.per_host, self.settings.delay)
        async with gate, self.slots:
            self.requests += 1
            tally[0] += 1
            try:  # httpx times each read; a server that drips bytes is cut off here
                return await _within(self._send(url, method), 2 * self.settings.timeout)
            except asyncio.TimeoutError:
                return Outcome(error=kinds.TIMEOUT, detail="timed out")
            except (httpx.InvalidURL, ValueError) as exc:  # IDNA errors are ValueErrors
                return Outcome(error=kinds.INVALID, detail=f"not a valid URL ({exc})")
            except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
                error, detail = classify(exc)
                return Outcome(error=error, detail=detail)

    async def _send(self, url: str, method: str) -> Answer:
        client = self._client(host_key(url))
        response = await client.send(client.build_request(method, url), stream=True)
        try:  # a small prefix at most (the answer is in the status); a body read to its
            read = 0  # end (and HEAD's empty one) lets the connection be used again
            try:
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= self.settings.prefix_bytes:
                        break
            except httpx.StreamConsumed:  # a transport that hands over a read response
                pass
            return Answer(response.status_code, response.reason_phrase,
                          response.headers.get("location"), response.headers.get("retry-after"))
        finally:
            await response.aclose()


async def _within(work: Coroutine[Any, Any, Answer], seconds: float) -> Answer:
    """asyncio.wait_for without its extra task per request where Python has timeout()."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await work
    return await asyncio.wait_for(work, seconds)  # pragma: no cover - Python 3.10


def _with(got: Outcome, moved: str | None, final: str, requests: int) -> Outcome:
    return Outcome(got.status, got.error, got.detail, moved, final, requests)


def _status_text(answer: Answer) -> str:
    from http import HTTPStatus

    try:
        reason = HTTPStatus(answer.status).phrase
    except ValueError:
        reason = answer.reason
    return f"HTTP {answer.status} {reason}".rstrip()


OnResult = Callable[[Spec, Outcome], None]


async def _unreachable(checker: Checker, probes: tuple[str, ...]) -> str | None:
    """Why there is no network at all: no probe URL answers anything; None if one does
    (or there is no probe)."""
    first: Outcome | None = None
    for url in probes:
        failed = await checker.reachable(url)
        if failed is None:
            return None
        first = first or failed
    if first is None:
        return None
    return f"no network: {probes[0]} cannot be reached ({first.detail})"


async def check_all(specs: Iterable[Spec], settings: LinkSettings, *,
                    transport: httpx.AsyncBaseTransport | None = None,
                    on_result: OnResult | None = None) -> tuple[dict[Spec, Outcome], str | None]:
    """Every spec's outcome, or ({}, why) when the probe says there is no network at all."""
    checker = Checker(settings, transport)
    try:
        failure = await _unreachable(checker, settings.probe)
        if failure is not None:
            return {}, failure
        results: dict[Spec, Outcome] = {}

        async def one(spec: Spec) -> None:
            results[spec] = found = await checker.check(spec)
            if on_result is not None:
                on_result(spec, found)

        await asyncio.gather(*(one(spec) for spec in interleave(specs)))
        return results, None
    finally:
        await checker.close()
