"""The link checker's settings: defaults, the config's `[links]` table, exclusions.

config.py calls check_table() while it reads a config file, so only the standard library
is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from notes_kit.core.findings import InputError

DAY = 86400.0
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": DAY, "w": 7 * DAY}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*")
_INTS = {"concurrency": (1, 1024), "per-host": (1, 256), "retries": (0, 10),
         "max-redirects": (0, 50)}
_DURATIONS = ("ttl-alive", "ttl-failed", "delay", "timeout", "max-wait")
_BASES = ("doi-resolver", "arxiv")
KEYS = ("exclude", "accept", *_DURATIONS, *_INTS, *_BASES, "probe")


@dataclass(frozen=True)
class LinkSettings:
    """Everything the checker needs; `LinkSettings()` is the documented default."""

    exclude: tuple[str, ...] = ()  # host names (and their subdomains) or URL globs
    accept: frozenset[int] = frozenset()  # more status codes taken as alive
    ttl_alive: float = 7 * DAY  # how long a result of a live link is reused
    ttl_failed: float = DAY  # ... and of any other result
    concurrency: int = 32  # requests in flight at once
    per_host: int = 4  # requests in flight at once to one host (host:port)
    delay: float = 0.05  # least time between the starts of two requests to one host
    timeout: float = 15.0  # seconds for each of connect, read and write
    retries: int = 2  # more attempts after a timeout, refused connection, 429 or 5xx
    max_redirects: int = 10
    max_wait: float = 60.0  # a longer Retry-After is not waited for
    backoff: float = 1.0  # first retry wait without Retry-After; doubles per attempt
    doi_resolver: str = "https://doi.org/"  # DOIs are asked at <doi_resolver>api/handles/
    arxiv: str = "https://arxiv.org/"  # arXiv ids are asked at <arxiv>abs/<id>
    probe: tuple[str, ...] = ("https://doi.org/",)  # if none answers, there is no network
    prefix_bytes: int = 16384  # the most of a body ever read
    trust_env: bool = True  # proxies from the environment (tests switch it off)
    user_agent: str = ""

    def agent(self) -> str:
        from notes_kit import __version__

        return self.user_agent or f"notes-kit/{__version__} (+link check)"

    def excluded(self, url: str) -> bool:
        return excluded(self.exclude, url)


def excluded(patterns: tuple[str, ...], url: str) -> bool:
    """A pattern with `://` or `*` is a glob over the whole URL; anything else is a host name
    that also covers its subdomains (`acm.org` excludes dl.acm.org)."""
    from fnmatch import fnmatchcase
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    for pattern in patterns:
        if "://" in pattern or "*" in pattern:
            if fnmatchcase(url, pattern):
                return True
        elif host == pattern.lower() or host.endswith("." + pattern.lower()):
            return True
    return False


def from_config(config: Any) -> LinkSettings:
    """The settings of a Config's `links` table (pairs already checked by check_table)."""
    names = {f.name for f in fields(LinkSettings)}
    values: dict[str, Any] = {}
    for key, value in getattr(config, "links", ()):
        name = key.replace("-", "_")
        if name in names:
            values[name] = frozenset(value) if name == "accept" else value
    return replace(LinkSettings(), **values)


Error = Callable[..., InputError]


def check_table(table: object, error: Error) -> tuple[tuple[str, Any], ...]:
    """The `[links]` table as sorted (key, value) pairs; `error(message, *needles)` makes the
    InputError (with the config line) for a bad key or value."""
    if not isinstance(table, dict):
        raise error("'links' must be a table", "links")
    pairs = []
    for key, value in table.items():
        if key not in KEYS:
            raise error(f"unknown key 'links.{key}' (known: {', '.join(KEYS)})", "links", key)
        pairs.append((key, _value(key, value, _keyed(error, key))))
    return tuple(sorted(pairs))


def _keyed(error: Error, key: str) -> Callable[[str], InputError]:
    return lambda message: error(message, "links", key)


def _value(key: str, value: object, error: Callable[[str], InputError]) -> Any:
    if key in ("exclude", "probe"):
        items = _strings(key, value, error)
        if key == "probe":
            return tuple(_base(key, item, error, slash=False) for item in items)
        return items
    if key == "accept":
        if not isinstance(value, list) or not all(_int(v) and 100 <= v <= 999 for v in value):
            raise error("'links.accept' must be a list of HTTP status codes (100-999)")
        return tuple(sorted(set(value)))
    if key in _INTS:
        low, high = _INTS[key]
        if not _int(value) or not low <= value <= high:  # type: ignore[operator]
            raise error(f"'links.{key}' must be a whole number from {low} to {high}")
        return value
    if key in _BASES:
        if not isinstance(value, str):
            raise error(f"'links.{key}' must be an http(s) URL")
        return _base(key, value, error, slash=True)
    seconds = duration(value)
    if seconds is None or (key == "timeout" and seconds <= 0):
        raise error(f"'links.{key}' must be a duration: seconds, or a string such as "
                    "'50ms', '30s', '12h', '7d'")
    return seconds


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(key: str, value: object, error: Callable[[str], InputError]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error(f"'links.{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _base(key: str, value: str, error: Callable[[str], InputError], *, slash: bool) -> str:
    if not re.match(r"https?://[^/\s]+", value) or " " in value:
        raise error(f"'links.{key}': '{value}' is not an http(s) URL")
    return value if value.endswith("/") or not slash else value + "/"


def duration(value: object) -> float | None:
    """Seconds of a number or of a string like '50ms', '12h', '7d'; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _DURATION.fullmatch(value)
    if match is None:
        return None
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]
