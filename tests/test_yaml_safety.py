"""The one safe YAML loader (issue 11, items 5, 6, 12 and 17): values a page cannot hold are
refused with their line by `lint` and `to-md` alike, alias bombs are told from big documents
by how much the aliases expand, and the registries go through the same loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notes_kit.core.findings import InputError
from notes_kit.format.yaml import io as yaml_io
from notes_kit.knowledge import registries

REPO = Path(__file__).resolve().parents[1]
TWIN = (REPO / "conferences" / "sosp-2024.yaml").read_text(encoding="utf-8")
TITLE = "  - title: 'ReCycle"


def _twin(old: str, new: str) -> str:
    assert old in TWIN
    return TWIN.replace(old, new, 1)


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


REFUSED = [
    ("lone-surrogate", _twin("title: 'ReCycle", 'title: "\\ud800 ReCycle" #'), "\\ud800",
     "lone surrogate"),
    ("nul", _twin("title: 'ReCycle", 'title: "Re\\0Cycle" #'), "Re\\0", "NUL"),
    ("carriage-return", _twin("title: 'ReCycle", 'title: "Re\\rCycle" #'), "Re\\r",
     "carriage return"),
    ("nan", _twin("percent: 17.3", "percent: .nan"), ".nan", "not a finite number"),
    ("inf", _twin("percent: 17.3", "percent: -.Inf"), "-.Inf", "not a finite number"),
    ("overflow", _twin("percent: 17.3", "percent: 1e400"), "1e400", "out of range"),
    ("float-tag", _twin("year: 2024", "year: !!float 2024"), "!!float", "'!!float' is not"),
    ("str-tag", _twin("venue: SOSP", "venue: !!str SOSP"), "!!str", "'!!str' is not"),
    ("huge-int", _twin("accepted: 43", "accepted: " + "9" * 5000), "9999", "5000 digits"),
]


@pytest.mark.parametrize(("name", "text", "needle", "what"), REFUSED,
                         ids=[case[0] for case in REFUSED])
def test_lint_and_to_md_refuse_with_the_line(name: str, text: str, needle: str, what: str,
                                             cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.yaml"
    page.write_text(text, encoding="utf-8")
    out = tmp_path / "out.md"
    for command in (["lint", str(page)], ["to-md", str(page), "-o", str(out)]):
        done = cli(*command)
        stderr = done.stderr.decode()
        assert done.returncode == 2, (command, stderr, done.stdout)
        assert "Traceback" not in stderr and "set_int_max_str_digits" not in stderr
        assert stderr.splitlines() == [stderr.strip()] and what in stderr, stderr
        assert stderr.startswith(f"notes-kit: {page}:{_line(text, needle)}: "), stderr
    assert not out.exists()


@pytest.mark.parametrize(("old", "new", "what"), [
    ("year: 2024", "year: 2024.0", "is not of type 'integer'"),
])
def test_the_schema_refuses_a_float_year(
        old: str, new: str, what: str, cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "sosp-2024.yaml"
    text = _twin(old, new)
    page.write_text(text, encoding="utf-8")
    line = _line(text, new)
    done = cli("lint", str(page))
    assert done.returncode == 1 and f"{page}:{line}:" in done.stdout.decode()
    assert "NK601" in done.stdout.decode() and what in done.stdout.decode()
    done = cli("to-md", str(page))
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().startswith(f"notes-kit: {page}:{line}: schema:")


def _bomb(levels: int) -> str:
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        rows.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(rows) + "\n"


def test_an_alias_bomb_is_refused_where_its_aliases_start() -> None:
    with pytest.raises(InputError, match="alias bomb") as caught:
        yaml_io.load(_bomb(9), "bomb.yaml")
    assert caught.value.line == 2


def test_aliases_within_the_expansion_allowance_are_read_whatever_the_node_count() -> None:
    """21,000 nodes repeated ten times: 210,000 nodes, past the old fixed budget of 200,000
    that refused notes-kit's own YAML of a 20,000-paper page."""
    size = 21_000
    text = "base: &b [" + ", ".join(["1"] * size) + "]\ncopies: [" + ", ".join(["*b"] * 9) + "]\n"
    data = yaml_io.plain(yaml_io.load(text, "big.yaml"))
    assert sum(len(copy) for copy in data["copies"]) + len(data["base"]) == 10 * size


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(InputError, match="recursive YAML alias") as caught:
        yaml_io.load("a: &a [1, *a]\n", "loop.yaml")
    assert caught.value.line == 1


def test_registries_use_the_same_loader(tmp_path: Path) -> None:
    """The same document is refused with the same message as a page and as a registry."""
    for text in (_bomb(7).replace("a0:", "terms: [x]\na0:", 1), "terms: [!!float 1]\n",
                 'terms: ["a\\0b"]\n'):
        user = tmp_path / "terms.yaml"
        user.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as as_page:
            yaml_io.load(text, str(user))
        with pytest.raises(InputError) as as_registry:
            registries.load_terms([user])
        assert str(as_registry.value) == str(as_page.value)
    assert not hasattr(registries, "_MAX_NODES") and not hasattr(registries, "_plain")


def test_a_page_nested_as_deep_as_markdown_allows_round_trips(cli: Any, tmp_path: Path) -> None:
    head = ("# SOSP 2024\n\n## Meta Info\n\nHomepage: <https://example.org>\n\n## Papers\n\n"
            "### T\n\n* P \\[[Paper](https://e.org/p)]\n  * MIT\n")
    depth = 1
    while True:  # as deep as the Markdown reader takes
        page = tmp_path / "sosp-2024.md"
        page.write_text(head + "".join("  " * (i + 1) + "* note\n" for i in range(1, depth + 1)),
                        encoding="utf-8")
        if cli("to-yaml", str(page), "-o", str(tmp_path / "p.yaml")).returncode != 0:
            break
        depth += 10
    page.write_text(head + "".join("  " * (i + 1) + "* note\n" for i in range(1, depth - 9)),
                    encoding="utf-8")
    assert cli("to-yaml", str(page), "-o", str(tmp_path / "p.yaml")).returncode == 0
    done = cli("to-md", str(tmp_path / "p.yaml"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == page.read_bytes()
