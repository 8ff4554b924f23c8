"""Real conference pages that are not in the corpus (tests/fixtures/real/, written by hand):
they lint clean, survive the YAML round trip, and every defect planted in them is reported
exactly where it was planted, with nothing else, and fixed back to the original page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from notes_kit.core.findings import Finding, FixKind
from notes_kit.format.yaml import schema
from notes_kit.lint.engine import fix, lint
from notes_kit.pages import to_yaml, yaml_to_markdown

REPO = Path(__file__).resolve().parents[1]
REAL = Path(__file__).parent / "fixtures" / "real"
PAGES = sorted(REAL.glob("*-*.md"))
DATA = REPO / "notes_kit" / "data"

LINK = re.compile(r"\\\[\[([^\]]+)\]\(([^)\s]+)\)\]")
RATE = re.compile(r"^(\d+\.\d)% \(= (\d+) / (\d+)\)$")
TAG_LINE = re.compile(r"^ *\* \*\*[^*]+\*\*$")


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _registry(name: str) -> list[Any]:
    data = YAML(typ="safe", pure=True).load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data[name])


# Read from the shipped data files directly, not through the tool's loaders.
ALIASES = {str(e["name"]): [str(a) for a in e["aliases"]] for e in _registry("affiliations")}
TERMS = [str(t) for t in _registry("terms")]


def _pairs(findings: list[Finding]) -> list[tuple[int, str]]:
    return sorted((f.line, f.rule) for f in findings)


# -- the pages as they are ---------------------------------------------------------------------

def test_the_pages_are_not_in_the_corpus() -> None:
    """Each page is a venue-year the corpus does not hold (as a page or as a folder)."""
    corpus = Path("/work/shared/corpus/awesome-papers/reading-notes/conference")
    if not corpus.is_dir():
        pytest.skip("corpus not available")
    assert len(PAGES) >= 3
    held = {p.name.removesuffix(".md") for p in corpus.iterdir()}
    assert not {p.stem for p in PAGES} & held


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_real_page_lints_clean(path: Path) -> None:
    # No finding at all, warnings included: none of the pages needs an exception.
    assert lint(path.read_text(encoding="utf-8"), str(path)) == []


def test_real_pages_lint_clean_on_the_command_line(cli: Any) -> None:
    # One smoke run over the folder, which also runs the collection rules (NK404, NK70x).
    done = cli("lint", str(REAL), cwd=REPO)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_real_page_round_trips_through_yaml(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    yaml_text = to_yaml(page, str(path))
    assert schema.validate(YAML(typ="safe", pure=True).load(yaml_text)) == []
    assert yaml_to_markdown(yaml_text) == page
    assert to_yaml(yaml_to_markdown(yaml_text)) == yaml_text
    assert fix(page, str(path)).text == page


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_real_page_acceptance_rate_is_right(path: Path) -> None:
    """Checked here independently of NK204: P == round(100*A/S, 1), half up."""
    lines = path.read_text(encoding="utf-8").split("\n")
    rates = [m for line in lines if (m := RATE.match(line))]
    assert len(rates) == 1
    percent, accepted, submitted = rates[0].groups()
    assert int(percent.replace(".", "")) == (2000 * int(accepted) // int(submitted) + 1) // 2


# -- where to plant -----------------------------------------------------------------------------

def _papers_span(lines: list[str]) -> range:
    start = lines.index("## Papers")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return range(start + 1, end)


def _paper_lines(lines: list[str]) -> list[int]:
    return [i for i in _papers_span(lines) if lines[i].lstrip().startswith("* ")
            and LINK.search(lines[i])]


def _affiliation_lines(lines: list[str]) -> list[int]:
    return [i + 1 for i in _paper_lines(lines)]


def _note_lines(lines: list[str]) -> list[int]:
    """Bullets under a paper that are neither its affiliation line nor a tag."""
    papers = set(_paper_lines(lines))
    skip = papers | {i + 1 for i in papers}
    return [i for i in _papers_span(lines) if i not in skip and lines[i].startswith("  ")
            and lines[i].lstrip().startswith("* ") and not TAG_LINE.match(lines[i])]


def _first(indexes: list[int], lines: list[str], test: Callable[[str], bool]) -> int:
    found = next((i for i in indexes if test(lines[i])), None)
    assert found is not None, "the page has no line to plant this defect in"
    return found


Planted = tuple[str, list[tuple[int, str]]]


def _edit(text: str, index: int, new: str, rule: str) -> Planted:
    lines = text.split("\n")
    lines[index] = new
    return "\n".join(lines), [(index + 1, rule)]


def _misspelling(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_note_lines(lines), lines, lambda s: " the " in s)
    return _edit(text, i, lines[i].replace(" the ", " teh ", 1), "NK501")


def _label(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: "[arXiv](" in s)
    return _edit(text, i, lines[i].replace("[arXiv](", "[Arxiv](", 1), "NK302")


def _unescaped(text: str) -> Planted:
    lines = text.split("\n")
    i = _paper_lines(lines)[0]
    return _edit(text, i, lines[i].replace("\\[[Paper](", "[[Paper](", 1), "NK301")


PAPER_THEN_CODE = re.compile(r"\\\[\[Paper\]\(([^)]+)\)\] \\\[\[Code\]\(([^)]+)\)\]")


def _one_bracket(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: bool(PAPER_THEN_CODE.search(s)))
    new = PAPER_THEN_CODE.sub(r"\\[[Paper](\1), [Code](\2)]", lines[i], count=1)
    return _edit(text, i, new, "NK301")


def _spaced_brackets(text: str) -> Planted:
    lines = text.split("\n")
    i = _paper_lines(lines)[-1]
    new = LINK.sub(r"\\[ [\1](\2) ]", lines[i])
    return _edit(text, i, new, "NK301")


def _code_first(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: bool(PAPER_THEN_CODE.search(s)))
    new = PAPER_THEN_CODE.sub(r"\\[[Code](\2)] \\[[Paper](\1)]", lines[i], count=1)
    return _edit(text, i, new, "NK303")


def _rate_line(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if RATE.match(line))


def _rate_off(text: str) -> Planted:
    lines = text.split("\n")
    i = _rate_line(lines)
    percent = RATE.match(lines[i]).group(1)  # type: ignore[union-attr]
    wrong = f"{float(percent) + 0.1:.1f}"
    return _edit(text, i, lines[i].replace(percent, wrong, 1), "NK204")


def _rate_without_equals(text: str) -> Planted:
    lines = text.split("\n")
    i = _rate_line(lines)
    return _edit(text, i, lines[i].replace("(= ", "("), "NK203")


def _rate_inline(text: str) -> Planted:
    """'### Acceptance Rate' + blank + rate -> 'Acceptance rate: <rate>' in its place."""
    lines = text.split("\n")
    i = _rate_line(lines)
    assert lines[i - 2] == "### Acceptance Rate" and lines[i - 1] == ""
    new = [*lines[: i - 2], f"Acceptance rate: {lines[i]}", *lines[i + 1 :]]
    return "\n".join(new), [(i - 1, "NK203")]


def _paper_list_inline(text: str) -> Planted:
    """The '### Paper List' block -> one 'Paper list: [u](u)' line per list, blank-separated
    (several URLs on one line is a form the tool does not read: see the report)."""
    lines = text.split("\n")
    head = lines.index("### Paper List")
    end = next(i for i in range(head + 2, len(lines)) if not lines[i].startswith("* <"))
    urls = [line[3:-1] for line in lines[head + 2 : end]]
    inline: list[str] = []
    expected: list[tuple[int, str]] = []
    for url in urls:
        if inline:
            inline.append("")
        inline.append(f"Paper list: [{url}]({url})")
        expected += [(head + len(inline), "NK202"), (head + len(inline), "NK205")]
    return "\n".join([*lines[:head], *inline, *lines[end:]]), expected


def _homepage_link_style(text: str) -> Planted:
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("Homepage: <"))
    url = lines[i][len("Homepage: <") : -1]
    return _edit(text, i, f"Homepage: [{url}]({url})", "NK205")


def _papers_level(text: str) -> Planted:
    lines = text.split("\n")
    return _edit(text, lines.index("## Papers"), "### Papers", "NK104")


def _papers_missing(text: str) -> Planted:
    """Topic headings straight after Meta Info: reported at the first topic heading."""
    lines = text.split("\n")
    i = lines.index("## Papers")
    del lines[i : i + 2]
    return "\n".join(lines), [(i + 1, "NK103")]


def _affiliation_missing(text: str) -> Planted:
    lines = text.split("\n")
    paper = _paper_lines(lines)[0]
    del lines[paper + 1]
    return "\n".join(lines), [(paper + 1, "NK401")]


def _affiliation_commas(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_affiliation_lines(lines), lines, lambda s: " & " in s)
    return _edit(text, i, lines[i].replace(" & ", ", "), "NK402")


def _affiliation_alias(text: str) -> Planted:
    """A canonical name -> its first alias (PKU -> Peking University where the page has PKU)."""
    lines = text.split("\n")
    places = [(i, name) for i in _affiliation_lines(lines)
              for name in lines[i].lstrip()[2:].split(" & ") if ALIASES.get(name)]
    assert places, "no institution with an alias on this page"
    i, name = next(((i, n) for i, n in places if n == "PKU"), places[0])
    indent, names = lines[i][: len(lines[i]) - len(lines[i].lstrip())], lines[i].lstrip()[2:]
    renamed = " & ".join(ALIASES[n][0] if n == name else n for n in names.split(" & "))
    return _edit(text, i, f"{indent}* {renamed}", "NK403")


def _entity(text: str) -> Planted:
    lines = text.split("\n")
    i = _note_lines(lines)[0]
    return _edit(text, i, lines[i] + "&#x20;", "NK502")


def _trailing_spaces(text: str) -> Planted:
    lines = text.split("\n")
    i = _note_lines(lines)[-1]
    return _edit(text, i, lines[i] + "  ", "NK503")


def _tab_after_marker(text: str) -> Planted:
    lines = text.split("\n")
    i = _note_lines(lines)[1]
    return _edit(text, i, lines[i].replace("* ", "*\t", 1), "NK503")


def _tab_indent(text: str) -> Planted:
    """Four spaces of a nested note's indent -> one tab: the same column, the same nesting."""
    lines = text.split("\n")
    i = _first(_note_lines(lines), lines, lambda s: s.startswith("    "))
    return _edit(text, i, "\t" + lines[i][4:], "NK503")


def _url_with_space(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: "(https://github.com/" in s)
    new = lines[i].replace("(https://github.com/", "(https://github.com/a ", 1)
    return _edit(text, i, new, "NK304")


def _two_blank_lines(text: str) -> Planted:
    lines = text.split("\n")
    i = lines.index("## Papers")  # a blank line stands before it: add a second one
    lines.insert(i, "")
    return "\n".join(lines), [(i + 1, "NK503")]


def _no_final_newline(text: str) -> Planted:
    return text.rstrip("\n"), [(text.count("\n"), "NK503")]


def _arxiv_pdf(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: "https://arxiv.org/abs/" in s)
    new = lines[i].replace("https://arxiv.org/abs/", "https://arxiv.org/pdf/", 1)
    return _edit(text, i, new, "NK304")


def _http(text: str) -> Planted:
    lines = text.split("\n")
    i = _first(_paper_lines(lines), lines, lambda s: "(https://github.com/" in s)
    new = lines[i].replace("(https://github.com/", "(http://github.com/", 1)
    return _edit(text, i, new, "NK304")


def _term_casing(text: str) -> Planted:
    """'PyTorch' -> 'Pytorch' in a note; on pages without PyTorch, another term the same way."""
    lines = text.split("\n")
    notes = _note_lines(lines)
    for term in ["PyTorch", *TERMS]:
        word = re.compile(rf"(?<![\w*]){re.escape(term)}(?![\w*])")
        found = next((i for i in notes if word.search(lines[i])), None)
        if found is not None:
            wrong = term[0] + term[1:].lower()
            wrong = wrong if wrong != term else term.lower()
            return _edit(text, found, word.sub(wrong, lines[found], count=1), "NK504")
    raise AssertionError("no well-known term in the notes of this page")


@dataclass(frozen=True)
class Defect:
    name: str
    plant: Callable[[str], Planted]
    fix: FixKind  # how the finding is fixed: SAFE by `fix`, UNSAFE with unsafe=True, NONE
    bug: str = ""  # a known tool bug: the case is expected to fail until it is fixed
    converts: bool = True  # False: the bug also breaks to-md(to-yaml(P)) == fix(P)


DEFECTS = [
    Defect("misspelling-in-note", _misspelling, FixKind.UNSAFE),
    Defect("Arxiv-label", _label, FixKind.SAFE),
    Defect("unescaped-bracket", _unescaped, FixKind.SAFE),
    Defect("two-links-one-bracket", _one_bracket, FixKind.SAFE),
    Defect("spaced-brackets", _spaced_brackets, FixKind.SAFE),
    Defect("code-before-paper", _code_first, FixKind.SAFE),
    Defect("rate-off-by-0.1", _rate_off, FixKind.NONE),
    Defect("rate-without-equals", _rate_without_equals, FixKind.SAFE),
    Defect("rate-inline", _rate_inline, FixKind.SAFE),
    Defect("paper-list-inline", _paper_list_inline, FixKind.SAFE),
    Defect("homepage-url-as-text", _homepage_link_style, FixKind.SAFE),
    Defect("papers-level-3", _papers_level, FixKind.SAFE),
    Defect("papers-heading-missing", _papers_missing, FixKind.SAFE),
    Defect("affiliation-missing", _affiliation_missing, FixKind.NONE),
    Defect("affiliation-commas", _affiliation_commas, FixKind.NONE),
    Defect("affiliation-alias", _affiliation_alias, FixKind.UNSAFE),
    Defect("entity-at-line-end", _entity, FixKind.SAFE),
    Defect("trailing-spaces", _trailing_spaces, FixKind.SAFE),
    Defect("tab-after-bullet-marker", _tab_after_marker, FixKind.SAFE),
    Defect("tab-in-indent", _tab_indent, FixKind.SAFE),
    Defect("url-with-space", _url_with_space, FixKind.NONE),
    Defect("two-blank-lines", _two_blank_lines, FixKind.SAFE),
    Defect("no-final-newline", _no_final_newline, FixKind.SAFE),
    Defect("arxiv-pdf-link", _arxiv_pdf, FixKind.NONE),
    Defect("http-link", _http, FixKind.NONE),
    Defect("Pytorch-casing", _term_casing, FixKind.UNSAFE),
]


def _cases(affected: Callable[[Defect], bool], *, rotate: bool = False) -> list[object]:
    """Every defect on every page, or (rotate) each defect on one page, taking turns."""
    pairs = ([(PAGES[n % len(PAGES)], defect) for n, defect in enumerate(DEFECTS)] if rotate
             else [(page, defect) for page in PAGES for defect in DEFECTS])
    return [pytest.param(page, defect, id=f"{page.stem}-{defect.name}",
                         marks=[pytest.mark.xfail(strict=True, reason=defect.bug)]
                         if affected(defect) else [])
            for page, defect in pairs]


LINT_CASES = _cases(lambda defect: bool(defect.bug))
# Conversion is the slow part (schema validation both ways): one page per defect is enough.
CONVERT_CASES = _cases(lambda defect: not defect.converts, rotate=True)


@pytest.mark.parametrize(("path", "defect"), LINT_CASES)
def test_planted_defect_is_found_and_fixed(path: Path, defect: Defect) -> None:
    page = path.read_text(encoding="utf-8")
    broken, expected = defect.plant(page)
    assert broken != page

    found = lint(broken, str(path))
    assert _pairs(found) == sorted(expected), "\n".join(
        f"{f.line}:{f.column} {f.rule} {f.message}" for f in found)
    assert {f.fix for f in found} == {defect.fix}

    safe, unsafe = fix(broken, str(path)), fix(broken, str(path), unsafe=True)
    if defect.fix is FixKind.SAFE:
        assert safe.text == page
        assert safe.remaining == []
    else:
        assert safe.text == broken  # nothing safe to do: the page is left alone
    if defect.fix is FixKind.NONE:
        assert unsafe.text == broken  # only the author knows the original
    else:
        assert unsafe.text == page
        assert unsafe.remaining == []


@pytest.mark.parametrize(("path", "defect"), CONVERT_CASES)
def test_planted_defect_converts_like_fix(path: Path, defect: Defect) -> None:
    """The round-trip law on a defective page: to-md(to-yaml(P)) == fix(P) (both conversions
    validate against the schema themselves)."""
    broken, _ = defect.plant(path.read_text(encoding="utf-8"))
    assert yaml_to_markdown(to_yaml(broken, str(path))) == fix(broken, str(path)).text


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_every_paper_without_its_affiliation_line(path: Path) -> None:
    """Whatever note comes first once the affiliation line is gone, it is not read as one."""
    page = path.read_text(encoding="utf-8")
    lines = page.split("\n")
    for paper in _paper_lines(lines):
        broken = "\n".join([*lines[: paper + 1], *lines[paper + 2 :]])
        assert _pairs(lint(broken, str(path))) == [(paper + 1, "NK401")], lines[paper]
