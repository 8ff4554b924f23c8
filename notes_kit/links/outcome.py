"""What checking one URL found: a value the cache stores and the verdicts read."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Failures before any HTTP answer. NO_NETWORK is what a machine without a network sees
# (a name lookup that cannot be made, no route); it is never cached.
NO_SUCH_HOST, NO_NETWORK, REFUSED, TIMEOUT = "no-such-host", "no-network", "refused", "timeout"
TLS, CONNECTION, INVALID = "tls", "connection", "invalid-url"
# Failures after an answer
LOOP, TOO_MANY, BAD_REDIRECT, RATE_LIMITED = "loop", "too-many-redirects", "bad-redirect", \
    "rate-limited"
ERRORS = (NO_SUCH_HOST, NO_NETWORK, REFUSED, TIMEOUT, TLS, CONNECTION, INVALID, LOOP,
          TOO_MANY, BAD_REDIRECT, RATE_LIMITED)


@dataclass(frozen=True)
class Outcome:
    """The last HTTP status seen (None when no server answered), or an error kind, and where
    permanent redirects from the first URL lead."""

    status: int | None = None
    error: str | None = None
    detail: str = ""  # the reason as a person reads it
    moved_to: str | None = None  # the URL that 301/308 answers (from the first one) lead to
    final: str | None = None  # the URL that gave the last answer
    requests: int = 0

    def alive(self, accept: frozenset[int] = frozenset()) -> bool:
        return self.error is None and self.status is not None and (
            200 <= self.status < 300 or self.status in accept)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Outcome | None:
        """None for anything but what to_dict wrote (a cache entry from another version)."""
        if not isinstance(data, dict) or set(data) != set(cls.__dataclass_fields__):
            return None
        status, error, detail = data["status"], data["error"], data["detail"]
        moved, final, requests = data["moved_to"], data["final"], data["requests"]
        ok = (status is None or type(status) is int) and (error is None or error in ERRORS) \
            and type(detail) is str and type(requests) is int \
            and all(v is None or type(v) is str for v in (moved, final))
        return cls(status, error, detail, moved, final, requests) if ok else None
