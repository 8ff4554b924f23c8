"""Model <-> plain data (the canonical YAML document), field order fixed here."""

from __future__ import annotations

from typing import Any

from notes_kit.core.model import (
    Acronym,
    Group,
    Link,
    Meta,
    Note,
    NoteItem,
    Page,
    Paper,
    PaperList,
    Rate,
    Raw,
    Section,
    Topic,
)

Data = dict[str, Any]


def version_for(page: Page) -> int:
    """The lowest version that can say the page: 2 only when a paper has authors, so every
    document without them stays version 1, byte for byte as before."""
    return 2 if any(paper.authors for paper in page.papers()) else 1


def page_to_data(page: Page) -> Data:
    data: Data = {"schema_version": version_for(page), "venue": page.venue, "year": page.year}
    _put(data, "full_title", page.full_title)
    if page.front_matter is not None:
        data["front_matter"] = page.front_matter
    if page.preamble:
        data["preamble"] = [r.text for r in page.preamble]
    if page.meta is not None:
        data["meta"] = _meta(page.meta)
    data["sections"] = [_section(s) for s in page.sections]
    return data


def _put(data: Data, key: str, value: Any) -> None:
    if value not in (None, [], ""):
        data[key] = value


def _meta(meta: Meta) -> Data:
    data: Data = {}
    _put(data, "full_name", meta.full_name)
    _put(data, "homepage", meta.homepage)
    _put(data, "paper_lists", [_paper_list(p) for p in meta.paper_lists])
    if meta.acceptance_rate:
        if meta.rates_listed():
            data["acceptance_rate"] = {"cycles": [_rate(r) for r in meta.acceptance_rate]}
        else:
            data["acceptance_rate"] = _rate(meta.acceptance_rate[0])
    _put(data, "raw", [r.text for r in meta.raw])
    _put(data, "verbatim", meta.verbatim)
    return data


def _paper_list(item: PaperList) -> Data:
    data: Data = {}
    _put(data, "label", item.label)
    data["url"] = item.url
    return data


def _rate(rate: Rate) -> Data:
    data: Data = {}
    _put(data, "label", rate.label)
    if rate.percent is not None:
        data.update(percent=rate.percent, accepted=rate.accepted, submitted=rate.submitted)
        if rate.approx:
            data.update(approx=rate.approx, precision=rate.precision or 0)
    else:
        data["text"] = rate.text or ""
    _put(data, "cycles", [_rate(r) for r in rate.cycles])
    return data


def _section(section: Section) -> Data:
    data: Data = {"title": section.title, "kind": section.kind}
    if section.kind == "papers":
        data["topics"] = [_raw(t) if isinstance(t, Raw) else _topic(t) for t in section.topics]
    elif section.kind == "acronyms":
        data["acronyms"] = [_raw(a) if isinstance(a, Raw) else
                            {"term": a.term, "meaning": a.meaning} for a in section.acronyms]
    elif section.kind == "references":
        data["notes"] = _notes(section.notes)
    else:
        data["raw"] = [r.text for r in section.raw]
    return data


def _raw(raw: Raw) -> Data:
    return {"raw": raw.text}


def _topic(topic: Topic) -> Data:
    return {"title": topic.title, "papers": [_topic_item(i) for i in topic.papers]}


def _topic_item(item: Paper | Group | Raw) -> Data:
    if isinstance(item, Raw):
        return _raw(item)
    if isinstance(item, Group):
        return {"group": item.title, "papers": [_topic_item(p) for p in item.papers]}
    return _paper(item)


def _paper(paper: Paper) -> Data:
    data: Data = {"title": paper.title}
    _put(data, "links", [{"label": link.label, "url": link.url} for link in paper.links])
    _put(data, "affiliations", list(paper.affiliations))
    _put(data, "authors", list(paper.authors))
    _put(data, "tags", list(paper.tags))
    _put(data, "notes", _notes(paper.notes))
    return data


def _notes(notes: list[NoteItem]) -> list[Any]:
    out: list[Any] = []
    for note in notes:
        if isinstance(note, Raw):
            out.append(_raw(note))
        elif note.children:
            out.append({"text": note.text, "children": _notes(note.children)})
        else:
            out.append(note.text)
    return out


# ---- data -> model (the data is schema-valid; `lines` maps an id() to a YAML line) ----


def data_to_page(data: Data) -> Page:
    page = Page(data["venue"], data["year"], full_title=data.get("full_title"))
    page.front_matter = data.get("front_matter")
    page.preamble = [Raw(t) for t in data.get("preamble", [])]
    if "meta" in data:
        page.meta = _to_meta(data["meta"])
    page.sections = [_to_section(s) for s in data.get("sections", [])]
    return page


def _to_meta(data: Data) -> Meta:
    meta = Meta(full_name=data.get("full_name"), homepage=data.get("homepage"))
    meta.paper_lists = [PaperList(p["url"], p.get("label")) for p in data.get("paper_lists", [])]
    rate = data.get("acceptance_rate")
    if rate is not None and "cycles" in rate and "percent" not in rate and "text" not in rate:
        meta.rate_as_list = True
        meta.acceptance_rate = [_to_rate(r) for r in rate["cycles"]]
    elif rate is not None:
        meta.acceptance_rate = [_to_rate(rate)]
    meta.raw = [Raw(t) for t in data.get("raw", [])]
    meta.verbatim = data.get("verbatim")
    return meta


def _to_rate(data: Data) -> Rate:
    percent = data.get("percent")
    return Rate(label=data.get("label"), percent=None if percent is None else float(percent),
                accepted=data.get("accepted"), submitted=data.get("submitted"),
                text=data.get("text"), cycles=[_to_rate(r) for r in data.get("cycles", [])],
                approx=data.get("approx"), precision=data.get("precision"))


def _to_section(data: Data) -> Section:
    section = Section(data["title"], data["kind"])
    section.topics = [Raw(t["raw"]) if "raw" in t else _to_topic(t) for t in data.get("topics", [])]
    section.acronyms = [Raw(a["raw"]) if "raw" in a else Acronym(a["term"], a["meaning"])
                        for a in data.get("acronyms", [])]
    section.notes = _to_notes(data.get("notes", []))
    section.raw = [Raw(t) for t in data.get("raw", [])]
    return section


def _to_topic(data: Data) -> Topic:
    return Topic(data["title"], [_to_topic_item(i) for i in data.get("papers", [])])


def _to_topic_item(data: Data) -> Paper | Group | Raw:
    if "raw" in data:
        return Raw(data["raw"])
    if "group" in data:
        return Group(data["group"], [_to_topic_item(p) for p in data.get("papers", [])])
    return _to_paper(data)


def _to_paper(data: Data) -> Paper:
    return Paper(data["title"], [Link(x["label"], x["url"]) for x in data.get("links", [])],
                 list(data.get("affiliations", [])), list(data.get("tags", [])),
                 _to_notes(data.get("notes", [])), list(data.get("authors", [])))


def data_uses_authors(data: Any) -> bool:
    """Whether any paper of (schema-valid) data has authors: what version 2 adds."""
    def items(papers: list[Any]) -> bool:
        return any(isinstance(p, dict) and ("authors" in p or items(p.get("papers", [])))
                   for p in papers)

    return any(isinstance(t, dict) and items(t.get("papers", []))
               for s in data.get("sections", []) if isinstance(s, dict)
               for t in s.get("topics", []))


def _to_notes(items: list[Any]) -> list[NoteItem]:
    notes: list[NoteItem] = []
    for item in items:
        if isinstance(item, str):
            notes.append(Note(item))
        elif "raw" in item:
            notes.append(Raw(item["raw"]))
        else:
            notes.append(Note(item["text"], _to_notes(item.get("children", []))))
    return notes
