"""NK306-NK310: link liveness. Online rules: `notes-kit links` and `lint --check-links`
run them (notes_kit.links); the per-file engine never does (their scope is "online")."""

from __future__ import annotations

from notes_kit.core.findings import FixKind, Severity
from notes_kit.lint.rules.registry import Rule, register

DEAD, UNREACHABLE, MOVED, BAD_DOI, BAD_ARXIV = "NK306", "NK307", "NK308", "NK309", "NK310"
LINK_RULES = (DEAD, UNREACHABLE, MOVED, BAD_DOI, BAD_ARXIV)

register(Rule(
    DEAD, "dead-link", "A link whose target is gone (HTTP 404/410, no such host, a redirect "
    "loop, a missing local file)", Severity.ERROR, FixKind.NONE,
    "Only the author knows where the page went (an archive copy, a new host).",
    "Title \\[[Slides](https://example.org/gone.pdf)]   (HTTP 404)",
    "Title \\[[Slides](https://example.org/talks/slides.pdf)]   (HTTP 200)", "online", None))
register(Rule(
    UNREACHABLE, "unreachable-link", "A link that could not be checked now (timeout, 5xx, "
    "refused, rate-limited after retries; 403; too many redirects)", Severity.WARNING,
    FixKind.NONE, "The page may well be there tomorrow, so this is a warning that fails a run "
    "only with --strict. Hosts that refuse robots belong in 'links.exclude', status codes "
    "they answer with (403, 999) in 'links.accept'.",
    "Title \\[[Code](https://slow.example.org/repo)]   (timed out twice)",
    "Title \\[[Code](https://github.com/a/b)]   (HTTP 200)", "online", None))
register(Rule(
    MOVED, "moved-link", "A link that is permanently redirected (301/308): the fix writes the "
    "new URL", Severity.WARNING, FixKind.UNSAFE,
    "A permanent redirect can also lead to a login page or a parked domain's front page: "
    "review the new URL, then apply with `notes-kit links --fix --unsafe-fixes`.",
    "Title \\[[Code](http://github.com/a/b)]   (301 to https://github.com/a/b)",
    "Title \\[[Code](https://github.com/a/b)]", "online", None))
register(Rule(
    BAD_DOI, "unresolved-doi", "A DOI (doi.org or a publisher's /doi/ link) that the DOI "
    "resolver does not know", Severity.ERROR, FixKind.NONE, "A mistyped DOI has no single "
    "right spelling; look it up in the proceedings. DOIs are asked at the resolver's handle "
    "API, not at the publisher (which often refuses robots).",
    "Title \\[[Paper](https://dl.acm.org/doi/10.1145/3694715.99999999)]",
    "Title \\[[Paper](https://dl.acm.org/doi/10.1145/3694715.3695960)]", "online", None))
register(Rule(
    BAD_ARXIV, "unknown-arxiv-id", "An arXiv id that arXiv does not have, or that is not an "
    "arXiv id at all", Severity.ERROR, FixKind.NONE, "Only the author knows the right "
    "identifier. Ids are YYMM.NNNNN (YYMM.NNNN before 2015) or archive/YYMMNNN; anything "
    "else (a month 13, say) is reported without asking arXiv.",
    "Title \\[[arXiv](https://arxiv.org/abs/2413.00001)]",
    "Title \\[[arXiv](https://arxiv.org/abs/2405.14009)]", "online", None))
