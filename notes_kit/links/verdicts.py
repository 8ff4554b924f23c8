"""Outcomes become findings: one per written URL, at the URL, naming the paper.

- alive (2xx or a code in links.accept): nothing, or NK308 when 301/308 answers from the
  written URL on led there (an unsafe fix whose edits put the new URL in place);
- 404 / 410: NK306, or NK309 for a DOI (the resolver does not know it) and NK310 for an
  arXiv id; a host that does not exist, a redirect loop, a URL httpx cannot even send, a
  missing local file: NK306;
- anything else (timeouts, refused connections, 5xx and 429 after retries, other 4xx, too
  many redirects, TLS errors): NK307, a warning.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from notes_kit.core.findings import Edit, Finding, FixKind, Severity
from notes_kit.links import outcome as kinds
from notes_kit.links.outcome import Outcome
from notes_kit.links.specs import Spec, doi_of
from notes_kit.links.targets import Target
from notes_kit.lint.rules.links import BAD_ARXIV, BAD_DOI, DEAD, MOVED, UNREACHABLE

SEVERITY = {DEAD: Severity.ERROR, UNREACHABLE: Severity.WARNING, MOVED: Severity.WARNING,
            BAD_DOI: Severity.ERROR, BAD_ARXIV: Severity.ERROR}
_GONE = frozenset({404, 410})
_DEAD_ERRORS = frozenset({kinds.NO_SUCH_HOST, kinds.LOOP, kinds.INVALID})


def _finding(target: Target, rule: str, message: str, *, fix: FixKind = FixKind.NONE,
             suggestions: tuple[str, ...] = (), edits: tuple[Edit, ...] = ()) -> Finding:
    return Finding(target.path, target.line, target.column, rule, message, SEVERITY[rule],
                   target.line, target.end_column, fix, suggestions, edits)


def offline_verdict(target: Target, spec: Spec) -> Finding | None:
    """Checks that need no request: local files and malformed arXiv ids."""
    if spec.kind == "file" and not os.path.exists(spec.url):
        return _finding(target, DEAD, f"{target.subject()} names a missing file: {spec.url}")
    if spec.kind == "bad-arxiv":
        shown = spec.url or "(nothing)"
        return _finding(target, BAD_ARXIV, f"{target.subject()}: '{shown}' is not an arXiv "
                        f"identifier: {target.url}")
    return None


def verdict(target: Target, spec: Spec, found: Outcome,
            accept: frozenset[int] = frozenset()) -> Finding | None:
    """The finding for one written URL given what checking its spec found (None: fine)."""
    subject, url = target.subject(), target.url
    if found.alive(accept):
        if spec.kind == "url" and found.moved_to and found.moved_to != spec.url:
            return _moved(target, found.moved_to)
        return None
    why = found.detail or (f"HTTP {found.status}" if found.status else "no answer")
    if found.final and found.final != spec.url and found.error is None:
        why += f" at {found.final}"
    if found.error is None and found.status in _GONE:
        if spec.kind == "doi":
            doi = doi_of(url) or url
            return _finding(target, BAD_DOI, f"{subject}: the DOI resolver does not know "
                            f"{doi} ({why}): {url}")
        if spec.kind == "arxiv":
            ident = spec.url.rsplit("/abs/", 1)[-1]
            return _finding(target, BAD_ARXIV, f"{subject}: arXiv has no paper {ident} "
                            f"({why}): {url}")
        return _finding(target, DEAD, f"{subject} is dead ({why}): {url}")
    if found.error in _DEAD_ERRORS and spec.kind == "url":
        return _finding(target, DEAD, f"{subject} is dead ({why}): {url}")
    return _finding(target, UNREACHABLE, f"{subject} could not be checked now ({why}): {url}")


def _moved(target: Target, new: str) -> Finding:
    fragment = urlsplit(target.url).fragment
    if fragment and "#" not in new:
        new = f"{new}#{fragment}"
    edits = tuple(Edit(target.line, start, target.line, end, new) for start, end in target.spans)
    return _finding(target, MOVED, f"{target.subject()} moved permanently to {new} (was "
                    f"{target.url})", fix=FixKind.UNSAFE if edits else FixKind.NONE,
                    suggestions=(new,), edits=edits)
