"""Model -> canonical Markdown, in the seed's style.

A plain map from value type to a small function producing lines; the page
is the list of top-level chunks joined by single blank lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from notes_kit.core.model import (
    Acronym,
    Group,
    Meta,
    NoteItem,
    Page,
    Paper,
    Rate,
    Raw,
    Section,
    Topic,
)
from notes_kit.format.markdown.inline import canonical_tail
from notes_kit.format.markdown.papers import format_authors
from notes_kit.format.markdown.rates import format_rate

INDENT = "  "


def bare_link(url: str, style: str = "autolink") -> str:
    """A URL standing alone: `<url>` (the seed's style) or `[url](url)` (link-style inline)."""
    return f"[{url}]({url})" if style == "inline" else f"<{url}>"


def render_page(page: Page, link_style: str = "autolink") -> str:
    title = f"# {page.venue} {page.year}"
    if page.full_title:
        title += f" ({page.full_title})"
    chunks: list[list[str]] = [[title]]
    chunks.extend([raw.text] for raw in page.preamble)  # what stood between title and sections
    if page.meta is not None:
        chunks.extend(_meta(page.meta, link_style))
    for section in page.sections:
        chunks.extend(_section(section))
    body = "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n"
    # GitBook writes a blank line after front matter: keep the page's chunks apart the same way
    return (page.front_matter + "\n" if page.front_matter else "") + body


def _meta(meta: Meta, style: str) -> list[list[str]]:
    chunks: list[list[str]] = [["## Meta Info"]]
    if meta.verbatim is not None:
        return chunks + ([[meta.verbatim]] if meta.verbatim else [])
    if meta.full_name:
        chunks.append([meta.full_name])
    if meta.homepage:
        chunks.append([f"Homepage: {bare_link(meta.homepage, style)}"])
    first = bool(meta.full_name or meta.homepage)  # else kept content would read as either
    if first:  # a heading follows: it never runs into the lists below
        chunks.extend([raw.text] for raw in meta.raw)
    if meta.paper_lists:
        chunks.append(["### Paper List"])
        chunks.append([f"* {p.label}: {bare_link(p.url, style)}" if p.label
                       else f"* {bare_link(p.url, style)}" for p in meta.paper_lists])
    if meta.acceptance_rate:
        chunks.append(["### Acceptance Rate"])
        if meta.rates_listed():
            chunks.append(_rates(meta.acceptance_rate, 0))
        else:
            chunks.append([format_rate(meta.acceptance_rate[0])])
    if not first:
        chunks.extend([raw.text] for raw in meta.raw)
    return chunks


def _rates(rates: list[Rate], depth: int) -> list[str]:
    lines: list[str] = []
    for rate in rates:
        lines.extend(_bullet(format_rate(rate), depth))
        lines.extend(_rates(rate.cycles, depth + 1))
    return lines


def _section(section: Section) -> list[list[str]]:
    title = section.title if section.title.startswith("# ") else f"## {section.title}"
    chunks: list[list[str]] = [[title]]
    if section.kind == "papers":
        for topic in section.topics:
            if isinstance(topic, Raw):
                chunks.append([topic.text])
            else:
                chunks.extend(_topic(topic))
    elif section.kind == "acronyms":
        chunks.extend(_runs(section.acronyms, _acronym))
    elif section.kind == "references":
        chunks.extend(_runs(section.notes, lambda n: _note(n, 0)))
    else:
        chunks.extend([raw.text] for raw in section.raw)
    return chunks


def _acronym(item: Acronym | Raw) -> list[str]:
    assert isinstance(item, Acronym)
    return [f"* {item.term}: {item.meaning}"]


def _runs(items: Sequence[Any], render: Callable[[Any], list[str]]) -> list[list[str]]:
    """Consecutive values form one list; a Raw between them stands as its own chunk."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for item in items:
        if isinstance(item, Raw) and not _is_bullet(item) and not _is_directive(item):
            if current:
                chunks.append(current)
                current = []
            chunks.append([item.text])
        elif isinstance(item, Raw):
            current.extend(item.text.split("\n"))
        else:
            current.extend(render(item))
    if current:
        chunks.append(current)
    return chunks


def _is_directive(raw: Raw) -> bool:
    """A one-line suppression comment stays where it stands, right above what it covers."""
    from notes_kit.format.directives import is_directive

    return "\n" not in raw.text and is_directive(raw.text)


def _is_bullet(raw: Raw) -> bool:
    return raw.text[:2] in ("* ", "- ", "+ ") or raw.text in ("*", "-", "+")


def _topic(topic: Topic) -> list[list[str]]:
    chunks: list[list[str]] = [[f"### {topic.title}"]]
    chunks.extend(_runs(topic.papers, _topic_item))
    return chunks


def _topic_item(item: Paper | Group | Raw, depth: int = 0) -> list[str]:
    if isinstance(item, Group):
        lines = _bullet(item.title, depth)
        _children(lines, item.papers, lambda p: _topic_item(p, depth + 1))
        return lines
    if isinstance(item, Raw):
        return _raw(item, depth)
    return _paper(item, depth)


def _paper(paper: Paper, depth: int) -> list[str]:
    tail = canonical_tail([(link.label, link.url) for link in paper.links])
    lines = _bullet(paper.title + tail, depth)
    if paper.affiliations:
        lines.extend(_bullet(" & ".join(paper.affiliations), depth + 1))
    if paper.authors:
        lines.extend(_bullet(format_authors(paper.authors), depth + 1))
    for tag in paper.tags:
        lines.extend(_bullet(tag, depth + 1))
    _children(lines, paper.notes, lambda n: _note(n, depth + 1),
              after_text=not paper.affiliations and not paper.authors and not paper.tags)
    return lines


def _note(note: NoteItem, depth: int) -> list[str]:
    if isinstance(note, Raw):
        return _raw(note, depth)
    lines = _bullet(note.text, depth)
    _children(lines, note.children, lambda n: _note(n, depth + 1))
    return lines


def _children(lines: list[str], items: list[Any], render: Callable[[Any], list[str]],
              after_text: bool = True) -> None:
    """Append nested items; a raw block that is not a bullet stands between blank lines,
    or it would continue the bullet above it (and an HTML block would swallow the next one).
    An empty bullet cannot interrupt its parent's text either: a blank line goes first."""
    for index, item in enumerate(items):
        block = isinstance(item, Raw) and not _is_bullet(item) and not _is_directive(item)
        empty = isinstance(item, Raw) and item.text in ("*", "-", "+")
        if (block or (empty and index == 0 and after_text)) and lines and lines[-1]:
            lines.append("")
        lines.extend(render(item))
        if block and index + 1 < len(items):
            lines.append("")


def _bullet(text: str, depth: int) -> list[str]:
    pad = INDENT * depth
    first, *rest = text.split("\n")
    more = (f"{pad}  {line}".rstrip() if line else "" for line in rest)
    return [f"{pad}* {first}".rstrip(), *more]


def _raw(raw: Raw, depth: int) -> list[str]:
    pad = INDENT * depth
    return [f"{pad}{line}" if line else "" for line in raw.text.split("\n")]
