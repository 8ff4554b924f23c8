"""Inline pieces of a bullet: link groups at the end of a paper line, bare URLs.

These read one line of inline Markdown, never a whole document: the block
structure always comes from mistletoe (see blocks.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One inline link `[label](url)`; the label may hold escaped characters.
_LINK = re.compile(
    r"(?<!\\)\[((?:\\.|[^\[\]\\])*)\]"  # [label], the label without bare brackets
    # (url): one level of parens; inner spaces are kept so NK304 can report them
    r"\(\s*<?([^()\s<>]*(?: [^()\s<>\"]+)*(?:\([^()\s]*\)[^()\s<>]*)*)>?\s*\)"
)
# What may stand between two links of one tail: brackets, escapes, commas, bars.
_GLUE = re.compile(r"^[\s\\\[\],|/;]*$")
_AUTOLINK = re.compile(r"^<(https?://[^<>\s]+)>$")
_URLISH = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


@dataclass
class TailLink:
    """One `[label](url)` of a paper line's link tail."""

    label: str
    url: str
    offset: int  # character offset of the `[` that opens the link
    end: int = 0  # offset just past the link's `)`
    label_offset: int = 0  # offset of the label text as written (after the `[`)
    raw_label: str = ""  # the label as written, escapes and spaces included
    url_offset: int = 0  # offset of the URL as written


@dataclass
class PaperLine:
    """A paper bullet split into its title and its link tail."""

    title: str
    links: list[TailLink]
    tail: str  # the source text of the link tail, to compare with the canonical form

    @property
    def tail_start(self) -> int:
        """Offset where the link tail starts (right after the title)."""
        return len(self.title)


def split_paper_line(text: str) -> PaperLine:
    """Split `Title \\[[Paper](u)] \\[[Code](u)]` into the title and its links.

    Links are peeled off the end while only brackets and separators stand
    between them; a link inside the title stays part of the title.
    """
    matches = list(_LINK.finditer(text))
    if not matches:
        return PaperLine(text, [], "")
    after = text[matches[-1].end() :]
    if after.replace("]", "").strip():  # only closing brackets and spaces may follow
        return PaperLine(text, [], "")
    first = len(matches) - 1
    while first > 0 and _GLUE.match(text[matches[first - 1].end() : matches[first].start()]):
        first -= 1
    start = matches[first].start()
    head = text[:start]
    cut = len(head)
    body = head.rstrip()
    if body.endswith("["):  # the tail's own opening `[` or `\[`
        cut = len(body) - 2 if body.endswith("\\[") else len(body) - 1
    title = head[:cut].rstrip()
    if not title:
        return PaperLine(text, [], "")
    links = [TailLink(_unescape(m.group(1)).strip(), m.group(2), m.start(), m.end(),
                      m.start(1), m.group(1), m.start(2)) for m in matches[first:]]
    return PaperLine(title, links, text[len(head[:cut].rstrip()) :])


def _unescape(label: str) -> str:
    return re.sub(r"\\(.)", r"\1", label) if "\\" in label else label


def canonical_tail(links: list[tuple[str, str]]) -> str:
    return "".join(f" \\[[{label}]({url})]" for label, url in links)


def bare_url(text: str) -> tuple[str, str] | None:
    """A bullet or value that is one URL: (url, style) with style autolink/inline/plain."""
    text = text.strip()
    auto = _AUTOLINK.match(text)
    if auto:
        return auto.group(1), "autolink"
    link = _LINK.fullmatch(text)
    if link and link.group(1).strip() == link.group(2):
        return link.group(2), "inline"
    if link and not _URLISH.match(link.group(1).strip()):
        return None
    if link:
        return link.group(2), "misleading"
    if _URLISH.match(text):
        return text, "plain"
    return None


def clean(text: str) -> str:
    """Drop what a line end may carry without meaning: spaces and GitBook's `&#x20;`."""
    from notes_kit.format.markdown.textfix import trailing_start

    return "\n".join(line[: trailing_start(line)] if line and (line[-1].isspace()
                     or line[-1] == ";") else line for line in text.split("\n"))
