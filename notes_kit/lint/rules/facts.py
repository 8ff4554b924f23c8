"""The facts of one conference page that the collection rules (NK7xx, NK404) compare.

Extracted while a page is linted (or read back from the cache), so the rules
never hold a syntax tree: a few flat containers per page, whatever its size.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple

from notes_kit.core.findings import InputError
from notes_kit.core.model import Page, Paper
from notes_kit.lint.suppress import Suppressions

_ESCAPE = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"[*_`~]+")
_PUNCT = re.compile(r"[^\w\s]")
_SQUASH = re.compile(r"[\W_]+")
# Links that may rightly serve several papers (one repository or project site for a series).
SHARED_LABELS = frozenset({"Code", "Homepage", "Dataset", "Benchmark", "Trace", "Docs", "Blog"})


def normalise_title(title: str) -> str:
    """A paper's identity: casefolded, no Markdown emphasis, escapes or punctuation."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _EMPHASIS.sub("", _ESCAPE.sub(r"\1", text))
    return " ".join(_PUNCT.sub(" ", text).split())


def squash(name: str) -> str:
    """An institution's spelling-blind key: `UT-Austin`, `UT Austin` and `ut austin` agree."""
    return _SQUASH.sub("", unicodedata.normalize("NFKC", name).casefold())


def url_key(url: str) -> str:
    """Scheme and host are case-blind, http is https, a trailing slash is ignored."""
    from urllib.parse import urlsplit, urlunsplit  # ~3 ms with ipaddress: a cache hit skips it

    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() == "http" else parts.scheme.lower()
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, parts.fragment))


class PageFacts(NamedTuple):
    """A page reduced to what NK7xx/NK404 compare, in a few flat containers per page.

    There is no object per paper or per link: a collection run holds the facts of
    every page at once, and at 200,000 papers a dataclass per paper and a tuple per
    link and affiliation were most of the memory. Paper `i` is `keys[i]`, its line,
    column and title end at `spots[3*i : 3*i+3]`; link `j` (only the links NK702
    compares) is `urls[j]` (its url_key), its paper, line and column at
    `links[3*j : 3*j+3]`, its written URL in `raw_urls` when that differs.
    Affiliations are counted per spelling: NK404 needs a count and a first place.
    """

    path: str
    keys: tuple[str, ...]  # normalise_title() of each paper
    titles: str  # _short() of each title, concatenated (titles may hold newlines)
    spots: array[int]
    urls: tuple[str, ...]
    links: array[int]
    raw_urls: tuple[tuple[int, str], ...]  # (link, URL as written) where not its url_key
    affiliations: tuple[tuple[str, int, int, int], ...]  # name, count, first line, column
    meta_urls: frozenset[str]
    suppressions: Suppressions | None  # None: no directive in the page
    twin_stale: bool = False
    twin_digest: str | None = None  # of the .yaml twin compared ("-": none); None: not asked

    def title(self, index: int) -> str:
        return self.titles[self.spots[3 * index - 1] if index else 0 : self.spots[3 * index + 2]]

    def where(self, index: int) -> str:
        return f"{self.path}:{self.spots[3 * index]}"


_DIRECTIVE = re.compile("notes-kit", re.IGNORECASE)  # as format.directives.KEYWORD matches it


def page_facts(path: str, text: str, page: Page, *, twin: bool = True) -> PageFacts:
    """Extract the facts of one parsed conference page (done while it is linted)."""
    rows = text.split("\n")
    keys: list[str] = []
    titles: list[str] = []
    spots, links = array("i"), array("i")
    urls: list[str] = []
    raw: list[tuple[int, str]] = []
    names: dict[str, tuple[int, int, int]] = {}
    end = 0
    for index, paper in enumerate(page.papers()):
        keys.append(normalise_title(paper.title))
        titles.append(_short(paper.title))
        end += len(titles[-1])
        spots.extend((paper.line, paper.column, end))
        for link in paper.links:
            target = "" if link.label in SHARED_LABELS else url_key(link.url)
            if target:
                if link.url != target:
                    raw.append((len(urls), link.url))
                urls.append(target)
                links.extend((index, link.line, link.column))
        _count_names(names, paper, rows)
    spellings = tuple((intern(name), *at) for name, at in names.items())
    return PageFacts(path, tuple(keys), "".join(titles), spots, tuple(urls), links, tuple(raw),
                     spellings, _meta_urls(page), _suppressions(path, text),
                     *(_twin_check(path, page) if twin else (False, None)))


def _count_names(names: dict[str, tuple[int, int, int]], paper: Paper, rows: list[str]) -> None:
    """Count each spelling; the first place of one is where NK404 reports it."""
    spelled = [a.strip() for a in paper.affiliations]
    for name, column in zip(spelled, _name_columns(rows, paper.affiliation_line, spelled),
                            strict=True):
        if squash(name):
            at = names.get(name)
            names[name] = (at[0] + 1, at[1], at[2]) if at else (1, paper.affiliation_line, column)


def _meta_urls(page: Page) -> frozenset[str]:
    meta = page.meta
    urls: set[str] = set()
    if meta is not None:
        urls.update(url_key(item.url) for item in meta.paper_lists)
        if meta.homepage:
            urls.add(url_key(meta.homepage))
    return frozenset(urls)


def _suppressions(path: str, text: str) -> Suppressions | None:
    from notes_kit.lint.suppress import parse_suppressions

    if not _DIRECTIVE.search(text):
        return None
    suppressions, _ = parse_suppressions(text, path, "markdown")
    return suppressions if suppressions.items else None


def _name_columns(rows: list[str], line: int, names: list[str]) -> list[int]:
    """1-based column of each institution of an affiliation line (joined by ' & ')."""
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    at = row.find(" & ".join(names))
    columns = []
    for name in names:
        found = row.find(name, max(at, 0))
        columns.append(found + 1 if found >= 0 else 1)
        at = found + len(name) if found >= 0 else at
    return columns


def _twin_check(path: str, page: Page) -> tuple[bool, str]:
    """NK703's question, asked while the page is parsed: does its `.yaml` twin differ?

    Also the sha256 of the twin compared ("-": no twin), so facts kept in the result
    cache are trusted only while the twin is unchanged.
    """
    from notes_kit.core.checked import digest_of
    from notes_kit.core.paths import is_conference_name, twin_of

    twin = twin_of(path)
    try:
        data = Path(twin).read_bytes() if Path(twin).is_file() else None
    except OSError:
        data = None
    if data is None:
        return False, "-"
    if not is_conference_name(path):
        return False, digest_of(data)
    from notes_kit.pages import page_to_yaml

    try:
        expected = page_to_yaml(page, twin, check=False)  # NK601 checks the twin
        current = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except (InputError, UnicodeDecodeError):
        return False, digest_of(data)
    return current != expected, digest_of(data)


def read_facts(path: str, *, twin: bool = True, data: bytes | None = None) -> PageFacts | None:
    """Facts of a file read (unless `data` is given) and parsed here; None when it is not a
    readable conference page."""
    from notes_kit.core.files import read_source
    from notes_kit.pages import parse_page

    if not path.endswith((".md", ".markdown")):
        return None
    try:
        text = read_source(path, data)
        return page_facts(path, text, parse_page(text, path).page, twin=twin)
    except (InputError, RecursionError):
        return None


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 3].rstrip() + "..."


def pack_facts(facts: PageFacts) -> tuple[Any, ...]:
    """A page's facts as plain values (marshal, for the index's blobs)."""
    marks = None if facts.suppressions is None else tuple(
        tuple(s) for s in facts.suppressions.items)
    return (facts.keys, facts.titles, facts.spots.tobytes(), facts.urls, facts.links.tobytes(),
            facts.raw_urls, facts.affiliations, tuple(sorted(facts.meta_urls)), marks,
            facts.twin_stale, facts.twin_digest)


def unpack_facts(path: str, item: Any) -> PageFacts:
    """The inverse of pack_facts(); TypeError for anything malformed (lists are taken for
    tuples, and integer lists for the packed arrays)."""
    from notes_kit.core.checked import ints, of, strs
    from notes_kit.lint.suppress import Suppression, Suppressions

    try:
        keys, titles, spots, urls, links, raw, names, meta, marks, stale, twin = item
        facts = PageFacts(
            path, strs(keys), of(str, titles), _ints(spots, ints), strs(urls),
            _ints(links, ints), tuple((of(int, i), of(str, u)) for i, u in raw),
            tuple((of(str, n), of(int, c), of(int, a), of(int, b)) for n, c, a, b in names),
            frozenset(strs(meta)), None if marks is None else Suppressions(path, tuple(
                Suppression(of(str, r), of(int, f), of(int, t), of(int, a), of(int, b))
                for r, f, t, a, b in marks)),
            of(bool, stale), None if twin is None else of(str, twin))
    except (ValueError, OverflowError) as exc:
        raise TypeError("malformed facts") from exc
    if (len(facts.spots) != 3 * len(facts.keys) or len(facts.links) != 3 * len(facts.urls)
            or not all(0 <= i < len(keys) for i in facts.links[::3])
            or not all(0 <= i < len(urls) for i, _ in facts.raw_urls)):
        raise TypeError("malformed facts")
    return facts


def _ints(value: Any, ints: Any) -> array[int]:
    packed = array("i")
    if type(value) is bytes:
        packed.frombytes(value)
    else:
        packed.extend(ints(value))
    return packed
