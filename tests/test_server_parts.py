"""The language server's plain parts: position conversion (code points <-> UTF-16/8/32),
minimal edits, allow-words editing with tomlkit, what completion offers where."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from notes_kit.core.edits import apply_edits
from notes_kit.server.allow_words import add_word, allow_word
from notes_kit.server.complete import offer
from notes_kit.server.convert import minimal_edits
from notes_kit.server.positions import UTF8, UTF16, UTF32, from_lsp, to_lsp

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TEXT = st.text(alphabet=st.sampled_from(["a", "é", "😀", "𐐀", " ", "\n", "字"]), max_size=30)


def test_emoji_are_two_utf16_units() -> None:
    lines = ["a😀b"]
    assert to_lsp(lines, 1, 3) == (0, 3)  # 'b': after 'a' (1 unit) and the emoji (2)
    assert to_lsp(lines, 1, 3, UTF8) == (0, 5)
    assert to_lsp(lines, 1, 3, UTF32) == (0, 2)
    assert from_lsp(lines, 0, 3) == (1, 3)
    assert from_lsp(lines, 0, 2) == (1, 2)  # inside the surrogate pair: its code point


def test_positions_past_the_end_are_clamped() -> None:
    assert to_lsp(["ab", "c"], 9, 1) == (1, 1)
    assert to_lsp([], 1, 1) == (0, 0)
    assert from_lsp(["ab"], 5, 0) == (1, 3)


@given(TEXT, st.data())
def test_round_trip(text: str, data: st.DataObject) -> None:
    lines = text.split("\n")
    line = data.draw(st.integers(1, len(lines)))
    column = data.draw(st.integers(1, len(lines[line - 1]) + 1))
    for encoding in (UTF8, UTF16, UTF32):
        row, character = to_lsp(lines, line, column, encoding)
        assert from_lsp(lines, row, character, encoding) == (line, column)


@given(TEXT, TEXT)
def test_minimal_edits_give_the_new_text(old: str, new: str) -> None:
    edits = minimal_edits(old, new)
    assert apply_edits(old, edits) == new
    assert (edits == []) == (old == new)


def test_minimal_edits_touch_only_what_changed() -> None:
    old = "".join(f"line {n}\n" for n in range(100))
    new = old.replace("line 50\n", "line fifty\n")
    (edit,) = minimal_edits(old, new)
    assert (edit.line, edit.end_line, edit.text) == (51, 52, "line fifty\n")


def test_add_word_keeps_comments_and_layout() -> None:
    text = '# notes\nallow-words = [\n    "Zeus",  # a system\n]\nstrict = true\n'
    new = add_word(text, "Modle")
    assert new == text.replace('"Zeus",  # a system\n', '"Zeus",  # a system\n    "Modle",\n')
    assert add_word(new, "modle") is None  # allowed already (words are case-insensitive)


def test_add_word_to_pyproject_and_to_a_config_without_the_key() -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.notes-kit]\nstrict = true\n\n[tool.ruff]\n'
    new = add_word(pyproject, "Modle", pyproject=True)
    assert new is not None and tomllib.loads(new)["tool"]["notes-kit"]["allow-words"] == [
        "Modle"]
    assert new.startswith('[project]\nname = "x"\n')
    tables = 'select = ["NK"]\n\n[per-file-ignores]\n"a/*" = ["NK5"]\n'
    new = add_word(tables, "Modle")
    assert new is not None and tomllib.loads(new)["allow-words"] == ["Modle"]
    assert add_word("select = [", "x") is None  # broken TOML: its own diagnostic says why


def test_allow_word_without_a_config_creates_one_in_the_workspace(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "conferences" / "sosp-2024.md"
    change = allow_word(str(page), 'Mo"dle', None, str(tmp_path))
    assert change is not None and change.old is None
    assert change.path == str(tmp_path / ".notes-kit.toml")
    assert tomllib.loads(change.new) == {"allow-words": ['Mo"dle']}
    outside = allow_word(str(page), "Modle", None, str(tmp_path / "elsewhere"))
    assert outside is not None and outside.path == str(page.parent / ".notes-kit.toml")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def test_offer_labels_venues_and_institutions() -> None:
    page = lines_of("# SO\n\n## Papers\n\n* Title \\[[Paper](https://x.org)] \\[[Pa\n"
                    "  * PKU & Ts\n  * a note \\[[x")
    kw = {"labels": ["Paper", "Code"], "venues": ["SOSP", "OSDI", "SOSP"],
          "affiliations": ["PKU", "Tsinghua"]}
    label = offer(page, 5, len(page[4]) + 1, **kw)
    assert label is not None and label.kind == "label" and label.start == len(page[4]) - 1
    venue = offer(page, 1, 5, **kw)
    assert venue is not None and venue.items == ("OSDI", "SOSP") and venue.start == 3
    place = offer(page, 6, len(page[5]) + 1, **kw)
    assert place is not None and place.kind == "affiliation"
    assert page[5][place.start - 1 :] == "Ts"
    assert offer(page, 3, 4, **kw) is None  # a heading that is not the title
    assert offer(page, 7, 5, **kw) is None  # a note bullet, not an affiliation line
