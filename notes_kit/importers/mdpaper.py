"""One paper bullet of another collection's Markdown, read as inline text: its title,
links, authors, awards and the rest (kept as notes). The bullet itself was found by
mistletoe (markdown.py); only its text is read here, a line or a span at a time.
"""

from __future__ import annotations

import re

from notes_kit.core.model import Note
from notes_kit.importers.common import (
    ImportedPaper,
    add_link,
    award_tag,
    label_for,
    split_names,
)

LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\[\]\\])*)\]"
                  r"\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
# A bullet that opens with its title as the link, maybe after an emoji (`:trophy: [T](u)`).
_LEAD = re.compile(r"^(?P<mark>(?::[a-z0-9_+-]+:|[^\w\s\[*_`\\]{1,3})\s+)?(\*\*|\*|_)?"
                   r"(?P<link>\[(?:\\.|[^\[\]\\])*\]\([^()\s]*\))(\2)?")
_SPAN = re.compile(r"^(\*\*|\*|_)(?!\s)([^*_]+?)(?<!\s)\1(?![*_])", re.S)
_GLUE = re.compile(r"^[\s·•|,;:/()\[\]\\–—.-]*$")
_AUTHORS_LABEL = re.compile(r"^[*_]{0,2}Authors?[*_]{0,2}\s*:[*_]{0,2}\s*", re.I)
_NOT_NAMES = re.compile(r"https?://|[()\[\]:@#|]|\d")


def paper_text(text: str, line: int) -> ImportedPaper:
    """`[Title](u) · [PDF](u)` (the link may wrap lines), `Title \\[[Paper](u)]`,
    `Title ([pdf](u))` or a plain title; then the authors (a line, or an emphasis span
    that may wrap) and whatever else the bullet says, as notes."""
    from notes_kit.format.markdown.inline import split_paper_line

    first, _, more = text.partition("\n")
    lead = _LEAD.match(text)
    if lead:
        link = LINK.match(lead.group("link"))
        assert link is not None
        paper = ImportedPaper((lead.group("mark") or "") + " ".join(link.group(1).split()), line)
        if link.group(2):
            add_link(paper, label_for("", link.group(2)), link.group(2))
        first, _, more = text[lead.end() :].partition("\n")
        add_links(paper, first)
        words = LINK.sub(" ", first).strip(" ·•|,;:/()[]\\–—-.")
        if award_tag(words):
            paper.tags.append(award_tag(words) or "")
        elif words:  # `[T](u) using the Lean theorem` goes on in the next line
            more = f"{words}\n{more}"
    else:
        split = split_paper_line(first)
        found = LINK.search(first)
        if split.links:
            paper = ImportedPaper(split.title.strip().rstrip(" :|·–—-,"), line)
            for link_tail in split.links:
                add_link(paper, label_for(link_tail.label, link_tail.url), link_tail.url)
        elif found and found.start() > 0:
            paper = ImportedPaper(first[: found.start()].rstrip(" ([|·-–—:,"), line)
            tail(paper, first[found.start() :])
        else:
            paper = ImportedPaper(first.strip(), line)
    details(paper, more)
    return paper


def tail(paper: ImportedPaper, text: str) -> None:
    """What follows the title on its line: more links, an award, other words (a note)."""
    add_links(paper, text)
    rest = LINK.sub(" ", text)
    if _GLUE.match(rest):
        return
    words = rest.strip(" ·•|,;:/()[]\\–—-.")
    tag = award_tag(words)
    if tag:
        paper.tags.append(tag)
    elif words:
        paper.notes.append(Note(words))


def details(paper: ImportedPaper, text: str) -> None:
    """The continuation lines of a paper bullet: links, the authors, awards, notes."""
    text = text.strip()
    span = _SPAN.match(text)
    if span and author_line(span.group(2)):  # `*A, B, and C*, Proceedings ...`
        paper.authors = author_line(span.group(2)) or []
        text = text[span.end() :].lstrip(" ,;.")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and not paper.authors and not links_only(lines[0]) and author_line(lines[0]):
        paper.authors = author_line(lines.pop(0)) or []
    for line in _sentences(lines):
        if links_only(line):
            add_links(paper, line)
        elif award_tag(line):
            paper.tags.append(award_tag(line) or "")
        else:
            paper.notes.append(Note(line))


def _sentences(lines: list[str]) -> list[str]:
    """Wrapped lines back together: a line that ends mid-sentence (a comma, or no full
    stop before a lower-case start) goes on in the next."""
    joined: list[str] = []
    for line in lines:
        if joined and (joined[-1].endswith(",") or (
                not joined[-1].endswith((".", "!", "?", ":")) and line[:1].islower())):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined


def add_links(paper: ImportedPaper, text: str) -> None:
    for match in LINK.finditer(text):
        if match.group(2):
            add_link(paper, label_for(match.group(1), match.group(2)), match.group(2))


def links_only(text: str) -> bool:
    return bool(LINK.search(text)) and bool(_GLUE.match(LINK.sub(" ", text)))


def author_line(text: str) -> list[str] | None:
    """Names, with or without an `Authors:` label, in italics or not."""
    body = _AUTHORS_LABEL.sub("", text, count=1)
    labelled = body != text
    body = " ".join(body.split())
    body = re.sub(r"^(\*\*|\*|_)(.+)\1$", r"\2", body).strip()
    if not body or _NOT_NAMES.search(body) or award_tag(body):
        return None
    names = split_names(body)
    if not names or any(len(name.split()) > 6 for name in names):
        return None
    if not labelled and len(names) < 2 and len(body.split()) > 3:
        return None
    return names
