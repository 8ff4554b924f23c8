"""What to ask for a written URL: the URL itself, a DOI at the DOI resolver, an arXiv id at
arXiv's abstract page, or a file next to the page.

A DOI link (doi.org, or a publisher's `/doi/10.xxxx/...` page such as dl.acm.org's, which
answers robots with 403) is checked at the resolver's handle API: one small JSON answer that
says whether the DOI exists, without asking the publisher at all.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from notes_kit.lint.link_settings import LinkSettings

_DOI = re.compile(r"^https?://(?:(?:dx\.|www\.)?doi\.org/|[^/?#]+/doi/(?:[a-z]+/)?)"
                  r"(?P<doi>10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE)
_ARXIV = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>[^?#]*)",
                    re.IGNORECASE)
_NEW_ID = re.compile(r"(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?:v[1-9]\d*)?")
_OLD_ID = re.compile(r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}(?:v[1-9]\d*)?")


class Spec(NamedTuple):
    """One check: `kind` is url, doi, arxiv (asked over HTTP), file (looked up on disk),
    bad-arxiv (not an arXiv id: nothing to ask) or skip (mailto: and the like)."""

    kind: str
    url: str  # what is requested (or the file path, or the malformed id)

    @property
    def online(self) -> bool:
        return self.kind in ("url", "doi", "arxiv")

    def key(self) -> str:
        return f"{self.kind} {self.url}"


def doi_of(url: str) -> str | None:
    match = _DOI.match(url)
    return unquote(match.group("doi")).rstrip(".") if match else None


def arxiv_id_of(url: str) -> str | None:
    """The id written in an arXiv abs/pdf/html URL ('' when the path holds none)."""
    match = _ARXIV.match(url)
    if match is None:
        return None
    ident = unquote(match.group("id")).strip("/")
    return ident[:-4] if ident.endswith(".pdf") else ident


def valid_arxiv_id(ident: str) -> bool:
    """The shapes arXiv issues: YYMM.NNNN (2007-2014), YYMM.NNNNN (2015 on), archive/YYMMNNN."""
    new = _NEW_ID.fullmatch(ident)
    if new is not None:
        yymm = int(new.group("yy") + new.group("mm"))
        five = len(new.group("num")) == 5
        return 1 <= int(new.group("mm")) <= 12 and yymm >= 704 and five == (yymm >= 1501)
    return bool(_OLD_ID.fullmatch(ident))


def spec_for(url: str, page: str, settings: LinkSettings) -> Spec:
    """The check for `url` as written on the page at path `page`."""
    url = url.split("#", 1)[0]  # servers never see the fragment
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return Spec("skip", url)
    if not scheme:
        return _local(url, page)
    if scheme not in ("http", "https"):
        return Spec("skip", url)
    doi = doi_of(url)
    if doi is not None:
        return Spec("doi", f"{settings.doi_resolver}api/handles/{quote(doi, safe='/')}")
    ident = arxiv_id_of(url)
    if ident is not None:
        if not valid_arxiv_id(ident):
            return Spec("bad-arxiv", ident)
        return Spec("arxiv", f"{settings.arxiv}abs/{ident}")
    return Spec("url", url)


def _local(url: str, page: str) -> Spec:
    """A relative link (a Personal Notes page): the file it names, next to the page."""
    path = unquote(url.split("?", 1)[0])
    if not path or path.startswith("/"):
        return Spec("skip", url)
    return Spec("file", os.path.normpath(os.path.join(os.path.dirname(page) or ".", path)))
