"""A real HTTP server on 127.0.0.1 for the link-check tests, and a transport that refuses
every other address, so no test can reach anything but this machine's loopback."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from notes_kit.lint.link_settings import LinkSettings

HUGE = 100 * 1024 * 1024
CHUNK = 64 * 1024


@dataclass
class Seen:
    method: str
    path: str
    at: float


@dataclass
class Site:
    """The server, what it was asked (in order) and what the special handlers measured."""

    server: HTTPServer
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    huge_sent: int = 0
    huge_done: threading.Event = field(default_factory=threading.Event)
    busy: int = 0
    busiest: int = 0
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return str(self.server.url_for(path))

    def record(self, request: Request) -> int:
        """Note the request; how many times its path was asked before."""
        with self.lock:
            self.seen.append(Seen(request.method, request.path, time.monotonic()))
            count = self.hits.get(request.path, 0)
            self.hits[request.path] = count + 1
        return count

    def asked(self, path: str) -> list[str]:
        return [s.method for s in self.seen if s.path == path]

    def reset(self) -> None:
        with self.lock:
            self.seen.clear()
            self.hits.clear()
            self.busiest = self.busy = self.huge_sent = 0
            self.huge_done.clear()


Handler = Callable[[Request], Response]


def _routes(site: Site) -> dict[str, Handler]:
    def status(code: int, **headers: str) -> Handler:
        return lambda request: Response("", code, headers=headers)

    def head_refused(request: Request) -> Response:
        return Response("", 405) if request.method == "HEAD" else Response("fine", 200)

    def once_then_ok(code: int, **headers: str) -> Handler:
        def handle(request: Request) -> Response:
            first = site.hits.get(request.path, 0) <= 1  # record() already counted this one
            return Response("", code, headers=headers) if first else Response("", 200)
        return handle

    def chain(request: Request) -> Response:
        step = int(request.path.rsplit("/", 1)[1])
        return Response("", 302, headers={"Location": f"/chain/{step + 1}"})

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("late", 200)

    def busy(request: Request) -> Response:
        with site.lock:
            site.busy += 1
            site.busiest = max(site.busiest, site.busy)
        time.sleep(0.15)
        with site.lock:
            site.busy -= 1
        return Response("", 200)

    def huge(request: Request) -> Response:
        if request.method == "HEAD":
            return Response("", 405)

        def body() -> Iterator[bytes]:
            block = b"x" * CHUNK
            try:
                for _ in range(HUGE // CHUNK):
                    yield block
                    site.huge_sent += CHUNK
            finally:
                site.huge_done.set()

        return Response(body(), 200, headers={"Content-Length": str(HUGE)},
                        direct_passthrough=True)

    return {
        "/ok": status(200), "/ok2": status(200), "/ok3": status(200), "/probe": status(200),
        "/gone404": status(404), "/gone410": status(410),
        "/old": status(301, Location="/new"), "/new": status(200),
        "/old308": status(308, Location="/new"),
        "/temporary": status(302, Location="/new"),
        "/moved-then-gone": status(301, Location="/gone404"),
        "/loop-a": status(302, Location="/loop-b"), "/loop-b": status(302, Location="/loop-a"),
        "/to-ftp": status(301, Location="ftp://127.0.0.1/file"),
        "/nohead": head_refused, "/huge": huge, "/slow": slow,
        "/limited": once_then_ok(429, **{"Retry-After": "1"}),
        "/limited-long": status(429, **{"Retry-After": "3600"}),
        "/flaky": once_then_ok(503), "/down": status(503), "/forbidden": status(403),
        "/chain": chain, "/busy": busy,
        "/doi/api/handles/10.1145/1.2": status(200),
        "/doi/api/handles/10.1145/missing": status(404),
        "/arxiv/abs/2405.14009": status(200), "/arxiv/abs/2405.99999": status(404),
    }


def start_site() -> Site:
    """A threaded server (handlers run at once, so concurrency can be measured there)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    site = Site(server)
    routes = _routes(site)

    def dispatch(request: Request) -> Response:
        site.record(request)
        path = request.path
        prefix = "/" + path.split("/")[1]
        handler = routes.get(path) or (routes.get(prefix) if prefix in ("/chain", "/busy")
                                       else None)
        return handler(request) if handler is not None else Response("", 404)

    server.expect_request(re.compile(".*")).respond_with_handler(dispatch)
    return site


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LoopbackOnly(httpx.AsyncBaseTransport):
    """httpx's own transport, refusing (as a failed assertion) any host but 127.0.0.1."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(retries=0)
        self.hosts: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.add(request.url.host)
        assert request.url.host == "127.0.0.1", f"a test asked {request.url}"
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def settings_for(site: Site, **changes: object) -> LinkSettings:
    """Quick settings that send everything (DOIs, arXiv, the probe) to the local server."""
    base = LinkSettings(timeout=0.4, retries=1, backoff=0.05, delay=0.0, max_redirects=5,
                        max_wait=5.0, probe=(site.url("/probe"),),
                        doi_resolver=site.url("/doi/"), arxiv=site.url("/arxiv/"),
                        trust_env=False)
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]
