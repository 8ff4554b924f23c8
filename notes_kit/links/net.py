"""The plain parts of the HTTP side: which host a URL belongs to, the order requests are
made in, what a failed request means, and how long Retry-After asks to wait."""

from __future__ import annotations

import errno
import socket
import ssl
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from notes_kit.links import outcome as kinds
from notes_kit.links.specs import Spec


@lru_cache(maxsize=8192)
def host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return url
    return f"{(parts.hostname or '').lower()}:{port}"


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    import time

    return max(0.0, when.timestamp() - time.time())


def _causes(exc: BaseException) -> Iterator[BaseException]:
    stack, seen = [exc], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack.extend(getattr(item, "exceptions", ()) or ())
        stack.extend(e for e in (item.__cause__, item.__context__) if e is not None)


_NO_HOST = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
_TEXTS = (("name or service not known", kinds.NO_SUCH_HOST),
          ("nodename nor servname", kinds.NO_SUCH_HOST),
          ("temporary failure in name resolution", kinds.NO_NETWORK),
          ("network is unreachable", kinds.NO_NETWORK),
          ("connection refused", kinds.REFUSED), ("certificate", kinds.TLS))


def classify(exc: BaseException) -> tuple[str, str]:
    """(error kind, reason) of a failed request, from the OS errors underneath httpx's."""
    import httpx  # loaded already: only the checker calls this
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            if cause.errno in _NO_HOST:
                return kinds.NO_SUCH_HOST, "no such host"
            return kinds.NO_NETWORK, f"name lookup failed ({cause.strerror or cause})"
        if isinstance(cause, ssl.SSLError):
            return kinds.TLS, f"TLS error ({getattr(cause, 'reason', None) or cause})"
        if isinstance(cause, (httpx.TimeoutException, TimeoutError)):
            return kinds.TIMEOUT, "timed out"
        number = getattr(cause, "errno", None) if isinstance(cause, OSError) else None
        if number == errno.ECONNREFUSED:
            return kinds.REFUSED, "connection refused"
        if number in (errno.ENETUNREACH, errno.ENETDOWN):
            return kinds.NO_NETWORK, "network is unreachable"
    text = " ".join(str(c) for c in _causes(exc)).lower()
    for needle, kind in _TEXTS:
        if needle in text:
            return kind, needle
    return kinds.CONNECTION, f"connection failed ({str(exc)[:120] or type(exc).__name__})"


def interleave(specs: Iterable[Spec]) -> list[Spec]:
    """Round-robin over hosts, so the first requests do not all queue for one host."""
    by_host: dict[str, list[Spec]] = defaultdict(list)
    for spec in specs:
        by_host[host_key(spec.url)].append(spec)
    queues = list(by_host.values())
    out: list[Spec] = []
    for index in range(max((len(q) for q in queues), default=0)):
        out.extend(q[index] for q in queues if index < len(q))
    return out


