"""NK5xx: text rules, run on the source lines of every Markdown page, conference or not.

NK502's and NK503's fixable findings are derived from textfix.fix_line and the
blank-line folding of textfix.fix_lines, so a page has a fixable finding exactly
when the line-level fixer would change it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes_kit.core.findings import Edit, Finding, FixKind, Severity
from notes_kit.format.markdown.regions import CODE, COMMENT, FRONT, HTML, PROSE, line_kinds
from notes_kit.format.markdown.textfix import (
    HEADING,
    INDENT,
    empty_anchors,
    fix_line,
    trailing_start,
)
from notes_kit.knowledge.spelling import check_lines, prose_mask
from notes_kit.lint.rules.context import Context
from notes_kit.lint.rules.registry import Rule, register

__all__ = ["CODE", "COMMENT", "FRONT", "HTML", "PROSE", "line_kinds"]  # regions, for tests

# Code spans `(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)` (found by spans.spans, linear) and display math.
_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_TEMPLATE = re.compile(r"\{%\s*([\w-]+)[^%]*%\}")
_LABEL = re.compile(r"\[[^\[\]]*\](?=\()")
_HEADING_ID = re.compile(r"\{#[^{}]*\}")
_WORD = re.compile(r"(?<!\w)[A-Za-z][A-Za-z0-9]*(?!\w)")
_GLUE_BEFORE = "/@#\\~=$%-"
_GLUE_AFTER = "/@\\~=(%-"


def _blank(text: str, spans: re.Pattern[str]) -> str:
    return spans.sub(lambda m: " " * len(m.group()), text)


def _blank_code(line: str) -> str:
    from notes_kit.format.markdown.spans import blank, spans

    return blank(line, spans(line, _DISPLAY_MATH))


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the (start, end) spans, in order and apart, made spaces: one rebuild."""
    pieces, done = [], 0
    for start, end in spans:
        pieces += [text[done:start], " " * (end - start)]
        done = end
    return "".join(pieces) + text[done:]


# --- NK501 -----------------------------------------------------------------------


def check_spelling(ctx: Context) -> Iterator[Finding]:
    rows = [(number, _blank(line, _HEADING_ID) if "{#" in line else line)
            for number, line in ctx.prose]
    names = {paper.affiliation_line for paper in ctx.papers if paper.affiliation_line}
    titles = {paper.line: (paper.column, paper.column + len(paper.title)) for paper in ctx.papers}
    for number, typo in check_lines(rows, ctx.config.allow_words):
        if ctx.config.allows(typo.word) or _name_in_title(titles.get(number), typo.start,
                                                           typo.word):
            continue
        column = typo.start + 1
        message = f"'{typo.word}' may be misspelled: {', '.join(typo.candidates)}"
        in_title = number in titles and typo.word[:1].isupper()  # its first word: a name?
        fixable = typo.fixable and number not in names and not in_title \
            and not proper_noun(ctx.lines[number - 1], typo.start, typo.word)
        if typo.fixable and not fixable:
            message += " (no fix offered: it may be a name)"
        edits = ctx.span_edit(number, column, typo.word, typo.candidates[0]) if fixable else ()
        yield ctx.finding("NK501", number, column, message, end_column=column + len(typo.word),
                          suggestions=typo.candidates, fixable=fixable, edits=edits)


def _name_in_title(span: tuple[int, int] | None, start: int, word: str) -> bool:
    """A capitalised word inside a paper's title, past its first word: titles are Title
    Case and name systems and people (`Tung`, `Clos`), so such a word is never reported."""
    return span is not None and span[0] - 1 < start < span[1] - 1 and word[:1].isupper()


_LEAD = re.compile(r"^\s*(?:[*+-]\s+|\d{1,9}[.)]\s+|#{1,6}\s+)?[\s*_\[(\"'“‘>]*")


def proper_noun(line: str, start: int, word: str) -> bool:
    """A word no spelling fix may touch: a capitalised word that does not begin its sentence
    (a name: `Nam`, `Tung`, a Clos network), or one inside bold, where notes put system
    names."""
    if line[:start].count("**") % 2:
        return True
    if not word[:1].isupper():
        return False
    before = line[_LEAD.match(line[:start]).end() : start].rstrip()  # type: ignore[union-attr]
    return bool(before) and before[-1] not in ".!?:;"


# --- NK502 -----------------------------------------------------------------------


def check_html(ctx: Context) -> Iterator[Finding]:
    if "<" not in ctx.text and "&" not in ctx.text and "{%" not in ctx.text:
        return  # every NK502 finding needs one of these
    kinds = ctx.kinds
    block: list[tuple[int, str]] = []  # the lines with HTML of the block being read
    for index, line in enumerate(ctx.lines):
        kind, number = kinds[index], index + 1
        if kind not in (PROSE, HTML) or not line.strip():
            yield from _content_html(ctx, block)  # a block ends: one finding for its HTML
            block = []
        if kind in (CODE, FRONT) or ("<" not in line and "&" not in line and "{%" not in line):
            continue
        cut = trailing_start(line) if line[-1].isspace() or line[-1] == ";" else len(line)
        yield from _fixable_html(ctx, number, line, cut)
        if kind == PROSE and "&" in line:
            yield from _entities(ctx, number, line[:cut])
        if kind in (PROSE, HTML) and ("<" in line or "{%" in line):
            block.append((number, line))
    yield from _content_html(ctx, block)


def _fixable_html(ctx: Context, number: int, line: str, cut: int) -> Iterator[Finding]:
    """What textfix.fix_line removes: empty heading anchors and a trailing `&#x20;`."""
    if "<a" in line and HEADING.match(line):
        for found, stop in empty_anchors(line):
            start = line.index("<a", found)
            # the anchor and the spaces around it go; one space stays between words
            gap = " " if trailing_start(line[stop:]) else ""
            yield ctx.finding("NK502", number, start + 1, "empty HTML anchor in a heading "
                              "(a GitBook leftover): it is dropped",
                              end_column=line.index("</a>", start) + 5,
                              edits=ctx.span_edit(number, found + 1, line[found:stop], gap))
    entity = line.find("&#x20;", cut)
    if entity >= 0:
        stop = len(line.rstrip())  # trailing spaces are NK503's
        yield ctx.finding("NK502", number, entity + 1, "'&#x20;' at the end of a line "
                          "(a GitBook leftover): it is dropped", end_column=len(line) + 1,
                          edits=ctx.span_edit(number, cut + 1, line[cut:stop], ""))


def _entities(ctx: Context, number: int, line: str) -> Iterator[Finding]:
    from html import unescape
    from html.entities import html5

    masked = _blank_code(line) if "`" in line or "$$" in line else line
    for match in _ENTITY.finditer(masked):
        entity = match.group()
        if not entity.startswith("&#") and entity[1:] not in html5:
            continue  # not an entity: renders as typed
        char = unescape(entity)
        what = f"U+{ord(char):04X}" if len(char) == 1 else repr(char)
        yield ctx.finding("NK502", number, match.start() + 1, f"HTML entity '{entity}' ({what}): "
                          "write the character itself", end_column=match.end() + 1, fixable=False)


def _content_html(ctx: Context, rows: list[tuple[int, str]]) -> Iterator[Finding]:
    """One finding per block (a paragraph, a table, an HTML block) for the HTML and GitBook
    blocks it keeps as written, with their count; fixable heading anchors are NK502's
    other case. `html-content` in config sets the severity ("off": not reported)."""
    level = ctx.config.html_content
    if not rows or level == "off":
        return
    found: list[tuple[int, int, int, str]] = []  # line, column, end column, what
    for number, line in rows:
        masked = _blank_code(line) if "`" in line or "$$" in line else line
        if "<a" in line and HEADING.match(line):
            masked = _blank_spans(masked, empty_anchors(masked))
        found += [(number, m.start() + 1, m.end() + 1, f"<{m.group(1)}>")
                  for m in _TAG.finditer(masked)]
        found += [(number, m.start() + 1, m.end() + 1, f"{{% {m.group(1)} %}}")
                  for m in _TEMPLATE.finditer(masked) if not m.group(1).startswith("end")]
    if not found:
        return
    found.sort()
    names = list(dict.fromkeys(what for *_, what in found))
    listed = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    count = f"{len(found)} element{'s' if len(found) > 1 else ''}"
    number, column, end, _ = found[0]
    yield ctx.finding("NK502", number, column, f"HTML kept as written ({count}: {listed}): "
                      "write it as Markdown, or keep it on purpose (config: html-content)",
                      end_column=end, fixable=False, severity=Severity(level))


# --- NK503 -----------------------------------------------------------------------


def check_whitespace(ctx: Context) -> Iterator[Finding]:
    lines = ctx.lines
    kept = ctx.code | {i for i, kind in enumerate(ctx.kinds) if kind == FRONT}  # verbatim
    rows = [(line if line.strip() else "") if i in kept else fix_line(line)
            for i, line in enumerate(lines)]  # an unclosed fence's blank tail is the end
    found, dropped = _layout(ctx, rows, kept)
    yield from found
    for index, line in enumerate(lines):
        if index in kept or index in dropped:
            continue
        cut = len(line.rstrip()) if line and line[-1].isspace() else len(line)
        body = line[:cut]
        if "\t" not in body and cut == len(line):
            continue
        if cut < len(line):
            what = "CRLF line end" if line[cut:] == "\r" else "trailing whitespace"
            yield ctx.finding("NK503", index + 1, cut + 1, what, end_column=len(line) + 1,
                              edits=ctx.span_edit(index + 1, cut + 1, line[cut:], ""))
        indent = INDENT.match(body)
        if indent and "\t" in indent.group():
            yield ctx.finding("NK503", index + 1, body.index("\t") + 1, "tab in the "
                              "indentation: written as the spaces it stands for",
                              edits=ctx.span_edit(index + 1, 1, indent.group(),
                                                  indent.group().expandtabs(4)))
        elif "\t" in body:
            yield ctx.finding("NK503", index + 1, body.index("\t") + 1, "tab character: use "
                              "spaces", fixable=False)


def _layout(ctx: Context, rows: list[str], kept: set[int]) -> tuple[list[Finding], set[int]]:
    """Blank lines that fix_lines folds or drops: at the start, in runs, at the end.

    `rows` are the lines as fix_line leaves them; `kept` lines (code, front matter) count
    as content. Returns the findings and the 0-based indexes of the lines the fixer drops
    (reported here, nowhere else).
    """
    filled = [i for i, row in enumerate(rows) if row]
    if not filled:
        message = "no newline at end of file" if not ctx.text else "the file has only blank lines"
        whole = (Edit(1, 1, len(rows), len(ctx.lines[-1]) + 1, "\n"),)  # one newline is left
        empty = [] if ctx.text == "\n" else [ctx.finding("NK503", 1, 1, message, edits=whole)]
        return empty, set(range(len(rows)))
    first, last = filled[0], filled[-1]
    found: list[Finding] = []
    dropped = set(range(first)) | set(range(last + 1, len(rows)))
    lines = ctx.lines
    if first:
        found.append(ctx.finding("NK503", 1, 1, "blank lines at the start of the file",
                                 edits=(Edit(1, 1, first + 1, 1, ""),)))
    run = first
    for index in range(first, last + 1):
        if rows[index] or index in kept:
            if index - run > 1:
                found.append(ctx.finding("NK503", run + 2, 1, f"{index - run} blank lines in a "
                                         "row: one is enough",
                                         edits=(Edit(run + 2, 1, index + 1, 1, ""),)))
                dropped.update(range(run + 1, index))
            run = index + 1
    end = (last + 1, len(lines[last]) + 1)  # the end of the last line with content
    if last == len(rows) - 1:
        found.append(ctx.finding("NK503", *end, "no newline at end of file",
                                 edits=(Edit(*end, *end, "\n"),)))
    elif last < len(rows) - 2 or lines[-1]:
        found.append(ctx.finding("NK503", last + 2, 1, "blank lines at the end of the file",
                                 edits=(Edit(*end, len(lines), len(lines[-1]) + 1, "\n"),)))
    return found, dropped


# --- NK504 -----------------------------------------------------------------------


def check_terms(ctx: Context) -> Iterator[Finding]:
    terms = ctx.terms
    rows = [(number, _term_text(line)) for number, line in ctx.prose]
    suspects = _suspects(set(_WORD.findall("\n".join(masked for _, masked in rows))), terms)
    if not suspects:
        return  # the page's distinct words, judged at once: most pages stop here
    for number, masked in rows:
        if not any(word in masked for word in suspects):
            continue
        for match in _WORD.finditer(masked):
            word = match.group()
            canonical = terms.get(word.lower())
            if canonical is None or word == canonical or _glued(masked, *match.span()):
                continue
            if word.isupper() and len(word) > 1 and not canonical.isupper():
                continue  # SHOUTED titles are typography, not a casing slip
            yield ctx.finding("NK504", number, match.start() + 1, f"'{word}' is written "
                              f"'{canonical}'", end_column=match.end() + 1,
                              suggestions=(canonical,),
                              edits=ctx.span_edit(number, match.start() + 1, word, canonical))


# Per terms table (kept alive with it): the words already judged, and those that differ
# from a term only in casing. A collection repeats most of its words from page to page;
# past _JUDGED_LIMIT words the memory starts again, so a huge collection stays flat.
_JUDGED: dict[int, tuple[dict[str, str], set[str], set[str]]] = {}
_JUDGED_LIMIT = 200_000


def _suspects(words: set[str], terms: dict[str, str]) -> set[str]:
    """The words that are a term written with other casing."""
    entry = _JUDGED.get(id(terms))
    if entry is None or entry[0] is not terms or len(entry[1]) > _JUDGED_LIMIT:
        entry = _JUDGED[id(terms)] = (terms, set(), set())
    _, judged, differ = entry
    for word in words.difference(judged):
        canonical = terms.get(word.lower())
        if canonical is not None and word != canonical:
            differ.add(word)
    judged.update(words)
    return words & differ


def _term_text(line: str) -> str:
    """Prose with link labels (NK302's business) and heading ids blanked as well."""
    masked = prose_mask(line)
    if "[" not in line and "{#" not in line:
        return masked
    chars: list[str] | None = None  # blanked in place: one rebuild per line, not per match
    for pattern in (_LABEL, _HEADING_ID):
        for match in pattern.finditer(line):
            start, end = match.span()
            if chars is None:
                chars = list(masked)
            chars[start:end] = " " * (end - start)
    return masked if chars is None else "".join(chars)


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a path, domain, identifier, handle or command (`nvidia-smi`, `torch.cuda`)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in _GLUE_BEFORE or after in _GLUE_AFTER:
        return True
    dotted_before = before == "." and start > 1 and text[start - 2].isalnum()
    dotted_after = after in ".:" and end + 1 < len(text) and text[end + 1].isalnum()
    return dotted_before or dotted_after


# --- registry ----------------------------------------------------------------------

_TEXT = "text"

register(Rule(
    "NK501", "misspelling", "A word in prose that codespell's dictionary lists as a misspelling",
    Severity.ERROR, FixKind.UNSAFE,
    "It edits prose, and only a single-candidate correction is applied at all.",
    "* Modle state, widley used\n", "* Model state, widely used\n", _TEXT, check_spelling))
register(Rule(
    "NK502", "html-leftover", "HTML entities and GitBook HTML leftovers in Markdown text",
    Severity.ERROR, FixKind.SAFE,
    "Dropping a line-end `&#x20;` or an empty heading anchor changes no visible text; "
    "HTML that carries content is only reported.",
    "### Model Serving <a href=\"#ms\" id=\"ms\"></a>\n* Modle state&#x20;\n",
    "### Model Serving\n* Model state\n", _TEXT, check_html))
register(Rule(
    "NK503", "whitespace", "Trailing whitespace, tabs, blank-line runs and a missing final "
    "newline", Severity.ERROR, FixKind.SAFE,
    "Whitespace carries no wording; a tab in the indentation becomes the spaces Markdown "
    "reads it as, and a tab inside text is only reported.",
    "* PKU  \n\n\n* SJTU", "* PKU\n\n* SJTU\n", _TEXT, check_whitespace))
register(Rule(
    "NK504", "term-casing", "A well-known term (PyTorch, GitHub, NVIDIA, ...) written with "
    "other casing", Severity.WARNING, FixKind.UNSAFE,
    "It edits prose: a lower-case word can be a command or package name the author meant.",
    "* Implemented in pytorch on Nvidia GPUs\n", "* Implemented in PyTorch on NVIDIA GPUs\n",
    _TEXT, check_terms))
register(Rule(
    "NK505", "malformed-suppression", "A notes-kit suppression comment that cannot be read; "
    "it suppresses nothing", Severity.ERROR, FixKind.NONE,
    "Only the author knows which rules the comment meant to name.",
    "<!-- notes-kit: disable -->\n", "<!-- notes-kit: disable NK501 -->\n", _TEXT))
register(Rule(
    "NK506", "unused-suppression", "A suppression comment naming a rule that reports "
    "nothing on the lines it covers", Severity.WARNING, FixKind.NONE,
    "A stale comment may still document intent; the author deletes it.",
    "<!-- notes-kit: disable-next-line NK501 -->\n* Model state\n", "* Model state\n", _TEXT))
