"""What every importer produces: imported papers, what could not be placed, and the
small conversions they share (link labels from the vocabulary, author names, awards).

Each format module turns one source file into an `Imported` value; build.py turns those
into the model, so no importer knows how a page is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from notes_kit.core.model import NoteItem
from notes_kit.format.markdown.papers import LABELS, canonical_label

_WORD_LABELS = {  # words seen as link texts in real lists -> the vocabulary
    "github": "Code", "gitlab": "Code", "code": "Code", "source": "Code", "repo": "Code",
    "repository": "Code", "zenodo": "Artifact", "artifact": "Artifact", "pdf": "PDF",
    "slides": "Slides", "slide": "Slides", "ppt": "Slides", "video": "Video", "talk": "Video",
    "youtube": "Video", "arxiv": "arXiv", "doi": "Paper", "acm": "Paper", "usenix": "Paper",
    "ieee": "Paper", "paper": "Paper", "presentation": "Paper", "abstract": "Paper",
    "project": "Homepage", "website": "Homepage", "homepage": "Homepage", "page": "Homepage",
    "site": "Homepage", "blog": "Blog", "poster": "Poster", "dataset": "Dataset",
    "data": "Dataset", "openreview": "OpenReview", "benchmark": "Benchmark", "docs": "Docs",
    "trace": "Trace", "leaderboard": "Benchmark", "notes": "Personal Notes",
    "note": "Personal Notes",
}
_AWARD = re.compile(r"\b(?:best|distinguished)\b.*\b(?:award|paper)\b|\baward\b", re.I)
_HOMONYM = re.compile(r"\s+\d{4}$")  # DBLP's number for people of the same name
_SPACES = re.compile(r"\s+")


@dataclass
class ImportedPaper:
    """One paper as a source gives it; every field is optional but the title."""

    title: str
    line: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (vocabulary label, url)
    authors: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    session: str | None = None  # becomes the topic
    group: str | None = None  # a group bullet inside the topic
    tags: list[str] = field(default_factory=list)  # awards, tracks
    notes: list[NoteItem] = field(default_factory=list)  # inline Markdown kept as written


@dataclass
class Unplaced:
    """Source text the importer could not place: reported with its line, kept as raw."""

    line: int
    text: str
    why: str


@dataclass
class Imported:
    """One source file, read."""

    path: str
    papers: list[ImportedPaper] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    venue: str | None = None  # as the source names it (registry lookup happens later)
    year: int | None = None
    paper_lists: list[str] = field(default_factory=list)  # proceedings volumes
    sessions: list[str] = field(default_factory=list)  # sessions in order, even empty ones


def label_for(text: str, url: str) -> str:
    """A vocabulary label for a link, from its text when that names one, else its URL."""
    return label_word(text) or label_from_url(url)


def label_word(text: str) -> str | None:
    """The vocabulary label a link text (or a column header) names, if any."""
    words = " ".join(text.replace("[", " ").replace("]", " ").split())
    exact = canonical_label(words)
    if exact in LABELS:
        return exact
    for word in re.findall(r"[a-z]+", words.casefold()):
        if word in _WORD_LABELS:
            return _WORD_LABELS[word]
    return None


def label_from_url(url: str) -> str:
    parts = urlsplit(url)
    host, path = parts.netloc.casefold(), parts.path.casefold()
    if host.endswith("arxiv.org"):
        return "arXiv"
    if host.endswith(("github.com", "gitlab.com", "bitbucket.org")):
        return "Code"
    if host.endswith(("youtube.com", "youtu.be", "vimeo.com")):
        return "Video"
    if host.endswith("zenodo.org"):
        return "Artifact"
    if host.endswith("openreview.net"):
        return "OpenReview"
    if "/blog" in path or host.startswith("blog."):
        return "Blog"
    if path.endswith(".pdf"):
        return "PDF"
    return "Paper"


def add_link(paper: ImportedPaper, label: str, url: str) -> None:
    """A link once: the same URL twice (a DOI and its doi.org form) is one link."""
    url = safe_url(url)
    if url and not any(_same(url, known) for _, known in paper.links):
        paper.links.append((label, url))


def safe_url(url: str) -> str:
    """The URL as a Markdown link target can hold it: spaces, parentheses, angle brackets
    and quotes percent-encoded (they mean the same to a browser)."""
    url = url.strip()
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"),
                       ('"', "%22")):
        url = url.replace(char, code)
    return url


def _same(a: str, b: str) -> bool:
    def key(url: str) -> str:
        parts = urlsplit(url)
        host = parts.netloc.casefold().removeprefix("www.").removeprefix("dx.")
        return host + parts.path.rstrip("/") + ("?" + parts.query if parts.query else "")

    return key(a) == key(b)


def clean_name(name: str) -> str:
    """One author's name on one line, without DBLP's homonym number (`Ding Yuan 0004`)."""
    return _HOMONYM.sub("", _SPACES.sub(" ", name).strip())


def split_names(text: str) -> list[str]:
    """`A, B and C`, `A, B, and C`, `A; B; C` -> [A, B, C]."""
    text = _SPACES.sub(" ", text).strip().rstrip(".")
    parts = re.split(r"\s*;\s*|,\s+(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [clean_name(part) for part in parts if part.strip()]


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def award_tag(text: str) -> str | None:
    """`Best Paper Award` -> `**Best Paper Award**` (the page's tag form), else None."""
    plain = one_line(text).strip("*_ ")
    if plain and _AWARD.search(plain) and len(plain) <= 80:
        return f"**{plain}**"
    return None


def escape_title(title: str) -> str:
    """A plain-text title (from BibTeX, DBLP, CSV) as inline Markdown that shows it exactly."""
    text = one_line(title)
    text = re.sub(r"([\\`*\[\]<>])", r"\\\1", text)
    text = re.sub(r"(^|\s)_|_(?=\s|$)", lambda m: m.group().replace("_", "\\_"), text)
    numbered = re.match(r"^\d{1,9}(?=[.)](?:\s|$))", text)
    if numbered:  # `1. Title` would start a numbered list: escape the dot
        return text[: numbered.end()] + "\\" + text[numbered.end() :]
    if re.match(r"^[#>+=~|-]", text):
        text = "\\" + text
    return text
