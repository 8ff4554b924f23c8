"""DBLP XML: a table of contents (`db/conf/sosp/sosp2025.xml`), a search API answer or a
slice of the dump. Parsed by defusedxml: entity declarations (entity bombs) and external
references are refused, never expanded or fetched.
"""

from __future__ import annotations

import re
from typing import Any

from notes_kit.core.findings import InputError
from notes_kit.importers.common import (
    Imported,
    ImportedPaper,
    add_link,
    clean_name,
    escape_title,
    label_from_url,
    one_line,
)

RECORDS = {"inproceedings", "article", "incollection", "info"}
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_NAMES = {"amp", "lt", "gt", "quot", "apos"}


def read_dblp(path: str, text: str) -> Imported:
    root = _parse(path, text)
    found = Imported(path)
    session: str | None = None
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h2", "h3"):  # a session heading of a table of contents
            session = one_line("".join(element.itertext())) or None
            if session and session not in found.sessions:
                found.sessions.append(session)
        elif tag == "proceedings":
            found.paper_lists.extend(_text(ee) for ee in element.findall("ee") if _text(ee))
            _hints(found, element)
        elif tag in RECORDS and element.find("title") is not None:
            paper = _paper(element, _line_of(text, element))
            paper.session = session
            found.papers.append(paper)
            _hints(found, element)
    if not found.papers:
        raise InputError(path, "no DBLP records (<inproceedings>, <article>, <info>) found", 1)
    return found


def _parse(path: str, text: str) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException, ElementTree

    if "<!ENTITY" not in text:  # the dump's DTD entities (&ouml;) as the characters they are
        text = _NAMED.sub(_character, text)
    try:
        return ElementTree.fromstring(text, forbid_dtd=False, forbid_entities=True,
                                      forbid_external=True)
    except DefusedXmlException as exc:
        mark = "<!ENTITY" if "<!ENTITY" in text else "<!DOCTYPE"
        line = text[: max(text.find(mark), 0)].count("\n") + 1
        what = "entity declarations" if "Entit" in type(exc).__name__ else "external references"
        raise InputError(path, f"XML {what} are refused (no expansion, nothing fetched)",
                         line) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        message = str(exc).split(":")[0]
        raise InputError(path, f"malformed XML: {message}", line) from None


def _character(match: re.Match[str]) -> str:
    from html.entities import html5

    name = match.group(1)
    char = html5.get(name + ";")
    if name in _XML_NAMES or char is None:
        return match.group()
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char)


def _text(element: Any) -> str:
    return one_line("".join(element.itertext())) if element is not None else ""


def _paper(element: Any, line: int) -> ImportedPaper:
    title = _text(element.find("title"))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # DBLP ends every title with a full stop
    paper = ImportedPaper(escape_title(title), line)
    authors = element.findall("author") or element.findall("authors/author")
    paper.authors = [name for name in (clean_name(_text(a)) for a in authors) if name]
    for ee in element.findall("ee"):
        url = _text(ee)
        host = url.split("/")[2].casefold() if url.count("/") >= 2 else ""
        add_link(paper, "Paper" if host.endswith("doi.org") else label_from_url(url), url)
    doi = _text(element.find("doi"))
    if doi and not paper.links:
        add_link(paper, "Paper", f"https://doi.org/{doi}")
    return paper


def _hints(found: Imported, element: Any) -> None:
    venue = _text(element.find("booktitle")) or _text(element.find("venue"))
    year = _text(element.find("year"))
    if found.venue is None and venue:
        found.venue = venue
    if found.year is None and year.isdigit() and len(year) == 4:
        found.year = int(year)


def _line_of(text: str, element: Any) -> int:
    key = element.get("key") or _text(element.find("key"))
    at = text.find(f'key="{key}"') if key else -1
    if at < 0 and key:
        at = text.find(f"<key>{key}</key>")
    return text[:at].count("\n") + 1 if at >= 0 else 0
