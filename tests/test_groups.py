"""The collection rules kept up to date page by page (groups.py) give exactly the findings of
computing them over every page at once (rules.collection), after any sequence of changes."""

from __future__ import annotations

import marshal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_kit.core.findings import Finding
from notes_kit.format.markdown.parse import parse_page
from notes_kit.lint.config import Config
from notes_kit.lint.rules.collection import collection_findings
from notes_kit.lint.rules.facts import PageFacts, page_facts
from notes_kit.run.groups import Groups, Pairs, hash64

TITLES = ["Alpha: A System", "alpha: a system", "Beta Paper", "Gamma, Revisited", "Delta",
          "**Epsilon** Works"]
URLS = ["https://a.org/1", "http://A.org/1/", "https://a.org/2", "https://b.org/x",
        "https://c.org/list", "https://a.org/3"]
NAMES = ["PKU", "Peking University", "UT Austin", "UT-Austin", "MIT", "ETH Zurich", "ETH"]
METAS = ["https://c.org/list", "https://a.org/3", "https://d.org/other"]
PATHS = ("a/conf-2020.md", "a/conf-2021.md", "b/conf-2019.md", "b/conf-2022.md", "c.md")

_papers = st.lists(st.tuples(st.sampled_from(TITLES), st.sampled_from(URLS),
                             st.lists(st.sampled_from(NAMES), min_size=1, max_size=2,
                                      unique=True), st.booleans()), max_size=5)
_pages = st.one_of(st.none(), st.tuples(st.sampled_from(METAS), _papers))


def text_of(spec: Any) -> str:
    meta, papers = spec
    lines = ["# CONF 2020", "", "## Meta Info", "", f"Homepage: <{meta}>", "", "## Papers", "",
             "### Systems", ""]
    for title, url, names, hushed in papers:
        if hushed:
            lines.append("<!-- notes-kit: disable-next-line NK701, NK702 -->")
        lines += [f"* {title} \\[[Paper]({url})]", f"  * {' & '.join(names)}", "  * A note."]
    return "\n".join(lines) + "\n"


def facts_of(path: str, spec: Any) -> PageFacts | None:
    if spec is None:
        return None
    text = text_of(spec)
    return page_facts(path, text, parse_page(text, path).page, twin=False)


def full(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.path, f.line, f.column, f.rule, f.message, f.severity, f.end_line,
             f.end_column, f.fix, f.suggestions) for f in findings]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pages, min_size=len(PATHS), max_size=len(PATHS)),
       st.lists(st.tuples(st.integers(0, len(PATHS) - 1), _pages), max_size=6))
def test_changes_give_the_findings_of_a_full_computation(start: list[Any],
                                                          steps: list[tuple[int, Any]]) -> None:
    config = Config()
    known = {path: facts_of(path, spec) for path, spec in zip(PATHS, start, strict=True)}
    paths = tuple(sorted(PATHS))
    current = {paths.index(p): f for p, f in known.items()}
    groups = Groups(paths, config, current.get)
    for ordinal, facts in sorted(current.items()):
        if facts is not None:
            groups.add(ordinal, facts)
    groups.finish()
    assert full(groups.findings()) == full(collection_findings(list(PATHS), config, known))
    meta, arrays = groups.dump()  # through the index form: plain values, raw arrays
    groups = Groups.load(marshal.loads(marshal.dumps(meta)), [_array(list(a)) for a in arrays],
                         paths, config, current.get)
    for index, spec in steps:
        path = PATHS[index]
        ordinal = paths.index(path)
        new = facts_of(path, spec)
        groups.change(ordinal, current[ordinal], new)
        current[ordinal] = known[path] = new
        assert full(groups.findings()) == full(collection_findings(list(PATHS), config, known))


def test_pairs_keep_order_and_find_members() -> None:
    pairs = Pairs.sort(*map(_array, ([5, 3, 5, 1, 5], [9, 2, 4, 7, 1])))
    assert list(pairs.hashes) == [1, 3, 5, 5, 5] and list(pairs.places) == [7, 2, 1, 4, 9]
    assert list(pairs.members(5)) == [1, 4, 9] and pairs.count(2) == 0
    pairs.add(5, 3)
    pairs.remove(3, 2)
    pairs.remove(3, 2)  # absent: nothing happens
    assert list(pairs.members(5)) == [1, 3, 4, 9] and pairs.count(3) == 0
    assert list(pairs.repeated()) == [5]
    assert Pairs.load(pairs.dump()).places == pairs.places


def test_a_hash_collision_costs_no_wrong_finding(monkeypatch: Any) -> None:
    """Every title and URL hashed alike: the groups are still split by exact value."""
    import notes_kit.run.groups as groups_module

    specs = [("https://c.org/list", [(t, u, ["MIT"], False) for t, u in zip(TITLES, URLS,
                                                                             strict=True)]),
             ("https://d.org/other", [(TITLES[0], URLS[0], ["MIT"], False)])]
    known = {p: facts_of(p, s) for p, s in zip(PATHS, specs, strict=False)}
    expected = full(collection_findings(list(known), Config(), known))
    monkeypatch.setattr(groups_module, "hash64", lambda text: 7)
    paths = tuple(sorted(known))
    groups = Groups(paths, Config(), lambda o: known[paths[o]])
    for ordinal, path in enumerate(paths):
        facts = known[path]
        assert facts is not None
        groups.add(ordinal, facts)
    groups.finish()
    assert full(groups.findings()) == expected and expected
    assert groups_module.hash64("x") == 7 != hash64("x")


def _array(values: list[int]) -> Any:
    from array import array

    return array("Q", values)
