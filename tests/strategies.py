"""Hypothesis strategies for random valid conference-page models.

The generated values stay inside what the Markdown format can say: titles do
not start like a block (`#`, `*`, `1.`, `>`...) or end like a link tail, an
affiliation name holds no ' & ', an author's name no ', ' or ' and ', a paper
without an affiliation line does not open its notes with a bullet that reads like
one, a paper without links has an affiliation line (else its bullets could read
as a group), `Paper` is the first link, and raw blocks are the kinds real pages
carry (HTML figures, paragraphs, empty bullets, fenced code, suppression comments).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

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
from notes_kit.format.markdown.papers import LABELS, TAG

VENUES = ["SOSP", "OSDI", "NSDI", "EuroSys", "MLSys", "ATC", "SC", "HotOS", "ISPA/IUCC"]
UNKNOWN_LABELS = ["Extended Version", "Talk", "Supplementary"]
RATE_LABELS = ["Spring", "Fall", "Spring Cycle", "Summer", "Poster", "Spotlight", "Total",
               "Research Track", "Major Revision"]
LIST_LABELS = ["Program", "Proceedings", "Proceedings Volume 1", "Spring", "Fall",
               "Technical Sessions"]
TAGS = ["**Best Paper Award**", "**Distinguished Artifact Award**", "Industry Track",
        "Experience Track", "Operational Systems Track"]
INSTITUTIONS = ["PKU", "MIT", "ByteDance", "Stanford", "UC Berkeley", "SJTU IPADS", "ICT, CAS",
                "Indian Institute of Science", "MSR", "ETH", "Universitat Rovira i Virgili"]
INLINE = ["**HotSPa**", "$$E^3$$", "→", "⇒", "\\*literal\\*", "`code span`", "(LLMs)", "—",
          "2×", "ünïcödé", "多模态推理", "😀", "**E**fficient", "_emphasis_", "~~gone~~",
          "[Code](https://github.com/example/code)", "<https://example.org/auto>", "A&B", "x_1",
          "50%", "#hashtag", "a|b", "C++"]
FIGURE = ('<figure><img src="../.gitbook/assets/fig-{n}.png" alt="">'
          "<figcaption></figcaption></figure>")

# Characters that may follow the first one of a word (no brackets, backslashes, `<>&`).
_INNER = st.characters(categories=["L", "N", "S", "P", "Mn"],
                       exclude_characters="[]\\<>&`\u2028\u2029\ufeff")
_FIRST = st.characters(categories=["L", "N"], exclude_characters="\ufeff")
_BLOCK_START = re.compile(r"^(?:\d{1,9}[.)]|[#>*+=~|_-]|```|Homepage)", re.IGNORECASE)


def _word() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: a + b, _FIRST, st.text(_INNER, max_size=6))


def _words(min_size: int = 1, max_size: int = 8, extra: list[str] | None = None
           ) -> st.SearchStrategy[str]:
    word = _word() if extra is None else st.one_of(_word(), _word(), st.sampled_from(extra))
    return st.lists(word, min_size=min_size, max_size=max_size).map(" ".join).filter(
        lambda text: not _BLOCK_START.match(text) and not text.endswith("#"))


_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=10)
_HOST = st.sampled_from(["example.org", "dl.acm.org", "arxiv.org", "github.com",
                         "www.usenix.org", "例子.中国"])
urls = st.builds(lambda h, parts, q: f"https://{h}/" + "/".join(parts) + q, _HOST,
                 st.lists(_SEGMENT, max_size=4), st.sampled_from(["", "?v=abc_1", "#sec"]))


titles = _words(1, 8, [w for w in INLINE if "[" not in w and "<" not in w])
plain_text = _words(1, 10)


note_text = _words(1, 8, INLINE).filter(lambda t: not TAG.match(t))


raw_note = st.one_of(
    st.integers(1, 99).map(lambda n: Raw(FIGURE.format(n=n))),
    st.just(Raw("*")),
    plain_text.map(lambda t: Raw(t + ".")),
    plain_text.map(lambda t: Raw(f"```\n{t}\n  indented code\n```")),
)


def _notes(depth: int) -> st.SearchStrategy[list[NoteItem]]:
    """A note tree at most `depth` levels deep; raw blocks among the bullets."""
    leaf = st.builds(Note, note_text)
    if depth > 1:
        parent = st.builds(Note, note_text, _notes(depth - 1))
        return st.lists(st.one_of(leaf, parent, raw_note), max_size=3 if depth == 4 else 2)
    return st.lists(st.one_of(leaf, leaf, raw_note), max_size=2)


notes = _notes(4)


@st.composite
def _links(draw: st.DrawFn) -> list[Link]:
    names = draw(st.lists(st.sampled_from([*LABELS[1:], *UNKNOWN_LABELS]), max_size=3))
    if draw(st.booleans()):
        names.insert(0, "Paper")
    return [Link(name, draw(urls)) for name in names]


affiliation_name = st.one_of(
    st.sampled_from(INSTITUTIONS),
    st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=10),
             min_size=1, max_size=4).map(" ".join),
).filter(lambda name: not _BLOCK_START.match(name) and not name.endswith("Track"))


AUTHOR_NAMES = ["Jae W. Lee", "K. V. Rashmi", "David Mazières", "T. S. Eugene Ng", "高明",
                "Hugo Lefeuvre", "Ding Yuan 0004", "O'Neil", "Jean-Luc Picard", "Mae Milano"]
author_name = st.one_of(
    st.sampled_from(AUTHOR_NAMES),
    st.lists(st.text(st.characters(categories=["L"]), min_size=1, max_size=8), min_size=1,
             max_size=3).map(" ".join),
).filter(lambda name: " and " not in name and not _BLOCK_START.match(name))


@st.composite
def _papers(draw: st.DrawFn, need_links: bool = False) -> Paper:
    links = draw(_links())
    if need_links and not links:
        links = [Link("Paper", draw(urls))]
    affiliations = draw(st.lists(affiliation_name, min_size=0 if links else 1, max_size=3))
    tags = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
    authors = draw(st.lists(author_name, max_size=4))
    tree = draw(notes)
    if not affiliations and not tags and tree and isinstance(tree[0], Note) \
            and not tree[0].children:
        tree[0].text = "**Key idea**: " + tree[0].text  # never reads as an affiliation line
    return Paper(draw(titles), links, affiliations, tags, tree, authors)


papers = _papers()
linked_papers = _papers(need_links=True)


raw_blocks = st.one_of(
    plain_text.map(lambda t: Raw(f"This paragraph is between papers: {t}.")),
    st.sampled_from(LABELS).map(lambda label: Raw(
        f"<!-- notes-kit: disable-next-line NK302 --> <!-- {label} -->")),
)
raw_between_papers = st.one_of(raw_blocks, st.just(Raw("*")))


@st.composite
def groups(draw: st.DrawFn, depth: int = 2) -> Group:
    """A group opens with a paper or, nested up to `depth` levels, with another group."""
    openers = [linked_papers, papers]  # a link-less paper has an affiliation
    if depth > 1:
        openers.append(groups(depth - 1))
    first = draw(st.one_of(*openers))
    rest = draw(st.lists(st.one_of(papers, papers, raw_between_papers), max_size=2))
    return Group(draw(plain_text), [first, *rest])


topic_items = st.lists(st.one_of(papers, papers, papers, groups(), raw_between_papers),
                       max_size=3)
topics = st.builds(Topic, titles, topic_items)


def _figure(cycles: st.SearchStrategy[list[Rate]]) -> st.SearchStrategy[Rate]:
    return st.builds(lambda label, permille, a, s, kids: Rate(label, permille / 10, a, s,
                                                                cycles=kids),
                     st.one_of(st.none(), st.sampled_from(RATE_LABELS)),
                     st.integers(1, 1000), st.integers(0, 5000), st.integers(0, 20000), cycles)


def _rate(depth: int) -> st.SearchStrategy[Rate]:
    cycles = st.lists(st.deferred(lambda: _rate(depth - 1)), max_size=3) if depth > 1 \
        else st.just([])
    figure = _figure(cycles)
    note = st.builds(lambda text, kids: Rate(text=text, cycles=kids),
                     st.sampled_from(["Review model: two deadlines, one-shot revision",
                                      "Rebuttal: none", "Double-blind review"]), cycles)
    return st.one_of(figure, figure, note)


single_rate = _figure(st.just([]))
rate_cycles = st.lists(_rate(3), min_size=1, max_size=4)
full_names = plain_text.filter(lambda t: ":" not in t and "%" not in t)
paper_lists = st.lists(st.builds(PaperList, urls, st.one_of(st.none(),
                                                             st.sampled_from(LIST_LABELS))),
                       max_size=3)
meta_raw = st.lists(st.integers(1, 9).map(lambda n: Raw(FIGURE.format(n=n))), max_size=1)


@st.composite
def metas(draw: st.DrawFn) -> Meta:
    meta = Meta()
    if draw(st.booleans()):
        meta.full_name = draw(full_names)
    meta.homepage = draw(st.one_of(st.none(), urls))
    meta.paper_lists = draw(paper_lists)
    form = draw(st.sampled_from(["none", "line", "cycles"]))
    if form == "line":
        meta.acceptance_rate = [draw(single_rate)]
    elif form == "cycles":
        meta.acceptance_rate = draw(rate_cycles)
        meta.rate_as_list = True
    meta.raw = draw(meta_raw)
    return meta


acronym_items = st.lists(st.one_of(
    st.builds(Acronym, st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=6),
              plain_text),
    plain_text.map(lambda t: Raw(f"Loose text among acronyms: {t}.")),
), min_size=1, max_size=4)

reference_notes = st.lists(st.one_of(
    st.builds(Note, note_text, _notes(2)),
    plain_text.map(lambda t: Raw(f"Reference paragraph {t}.")),
), max_size=4)

# Two lists in a row would read back as one loose list: each kind appears at most once.
other_raw = st.lists(st.sampled_from(["text", "table", "heading", "list"]), unique=True,
                     max_size=3).flatmap(lambda kinds: st.tuples(*(_other(k) for k in kinds)))


def _other(kind: str) -> st.SearchStrategy[Raw]:
    if kind == "text":
        return plain_text.map(lambda t: Raw(f"Free text: {t}."))
    if kind == "list":
        return plain_text.map(lambda t: Raw(f"* loose bullet {t}\n  * nested bullet"))
    return st.just(Raw("| a | b |\n|---|---|\n| 1 | 2 |" if kind == "table"
                       else "### A sub-heading kept as is"))


lead_raw = st.lists(raw_blocks, max_size=1)
topic_lists = st.lists(topics, max_size=2)


@st.composite
def sections(draw: st.DrawFn) -> list[Section]:
    found: list[Section] = []
    if draw(st.integers(0, 4)):  # usually a Papers section
        found.append(Section("Papers", "papers", topics=[*draw(lead_raw), *draw(topic_lists)]))
    extra: list[Section] = []
    if draw(st.booleans()):
        extra.append(Section("Acronyms", "acronyms", acronyms=draw(acronym_items)))
    if draw(st.booleans()):
        extra.append(Section("References", "references", notes=draw(reference_notes)))
    if draw(st.booleans()):
        title = draw(st.sampled_from(["Notes", "Related Work", "Misc"]))
        extra.append(Section(title, "other", raw=list(draw(other_raw))))
    return found + draw(st.permutations(extra))


preambles = st.lists(plain_text.map(lambda t: Raw(f"Intro text {t}.")), max_size=1)
optional_meta = st.one_of(st.none(), metas(), metas())
all_sections = sections()


@st.composite
def _pages(draw: st.DrawFn) -> Page:
    page = Page(draw(st.sampled_from(VENUES)), draw(st.integers(1990, 2030)))
    if draw(st.booleans()):
        page.front_matter = f"---\ndescription: {draw(plain_text)}\n---\n"
    page.preamble = draw(preambles)
    page.meta = draw(optional_meta)
    page.sections = draw(all_sections)
    return page


def pages() -> st.SearchStrategy[Page]:
    """Random valid conference-page models."""
    return _pages()
