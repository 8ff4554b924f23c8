"""NK501's checker: codespell's dictionary applied to Markdown prose only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notes_kit.core import store
from notes_kit.knowledge import spelling as typos
from notes_kit.knowledge.spelling import (
    Misspellings,
    Typo,
    check_text,
    load_dictionary,
    parse_dictionary,
)

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "sosp-2024.md"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CONFERENCES = CORPUS / "awesome-papers" / "reading-notes" / "conference"


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # one cache for the module: building the dictionary once is enough
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "nk-cache"))


def words(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    return [t.word for t in check_text(text, allow)]


def test_modle_gives_both_candidates_and_no_fix() -> None:
    text = "        * Modle state&#x20;"
    [typo] = check_text(text)
    assert typo == Typo(10, 15, "Modle", ("Model", "Module"))
    assert text[typo.start : typo.end] == "Modle"
    assert not typo.fixable


def test_single_candidate_is_fixable() -> None:
    [typo] = check_text("widely used in distrubuted training")
    assert typo.candidates == ("distributed",)
    assert typo.fixable


@pytest.mark.parametrize(
    ("word", "candidates"),
    [
        ("modle", ("model", "module")),
        ("Modle", ("Model", "Module")),
        ("MODLE", ("MODEL", "MODULE")),
        ("achillees", ("Achilles",)),  # the dictionary's own capital is kept
    ],
)
def test_case_is_preserved(word: str, candidates: tuple[str, ...]) -> None:
    [typo] = check_text(f"a {word} here")
    assert typo.candidates == candidates


@pytest.mark.parametrize(
    "text",
    [
        "<https://example.org/modle>",
        "see [the paper](https://example.org/modle) now",
        "see [the paper](https://example.org/a_(modle)) now",
        '[Paper](https://example.org/modle "title")',
        "bare https://example.org/modle/x and http://modle.org",
        "www.modle.org",
        "mail modle@example.org",
        "the `modle` field, and ``a `modle` b``",
        "math $modle$ and $$modle^2$$",
        '<span title="modle">x</span> <!-- modle -->',
        "&modle; entity",
        "[text][modle]",
        "Modle2 and modle_state are identifiers",
        "SME and ACI are acronyms",
        "vLLM and MoDle are names",
    ],
)
def test_skipped(text: str) -> None:
    assert words(text) == []


def test_money_is_not_math() -> None:
    assert words("costs $5 per modle and $6 per hour") == ["modle"]


def test_unclosed_code_span_is_prose() -> None:
    assert words("a ` b modle") == ["modle"]


def test_text_around_skipped_spans_is_checked() -> None:
    text = "Modle <https://x.org/modle> `modle` [evaulate](https://x.org/y) distrubuted"
    found = check_text(text)
    assert [t.word for t in found] == ["Modle", "evaulate", "distrubuted"]
    assert all(text[t.start : t.end] == t.word for t in found)


def test_hyphens_apostrophes_and_emphasis() -> None:
    assert words("a modle-based design") == ["modle"]
    assert words("the modle's state") == ["modle"]
    assert words("*modle* and _modle_ and **modle**") == ["modle"] * 3
    assert words("the well-known 'modle'") == ["modle"]
    assert words("alpha-numeric") == ["alpha-numeric"]  # a hyphenated dictionary key
    [typo] = check_text("x modle’s")  # typographic apostrophe
    assert typo.word == "modle"


def test_allowlist_forms() -> None:
    assert words("Modle state", frozenset({"modle"})) == []
    assert words("MODLE state", frozenset({"Modle"})) == []  # case-insensitive
    assert words("a modle-based design", frozenset({"modle-based"})) == []  # whole word
    assert words("a modle-based design", frozenset({"modle"})) == []  # the part
    assert words("the modle's state", frozenset({"modle's"})) == []
    assert words("the modle's state", frozenset({"modle"})) == []
    assert words("Ths O'Leary", frozenset({"o'leary", "ths"})) == []
    assert words("Modle state", frozenset({"model"})) == ["Modle"]  # only the word itself


@pytest.mark.skipif(not SEED.is_file(), reason="seed not available")
def test_seed_has_only_modle() -> None:
    found = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        found += words(line)
    assert found == ["Modle"]


@pytest.mark.skipif(not CONFERENCES.is_dir(), reason="corpus not available")
def test_corpus_smoke() -> None:
    """The corpus is nearly clean: what is found is real, and nothing comes from URLs or code."""
    found: list[str] = []
    for page in sorted(CONFERENCES.rglob("*.md")):
        for line in page.read_text(encoding="utf-8").splitlines():
            for typo in check_text(line):
                assert "://" not in line[typo.start - 40 : typo.start]
                found.append(typo.word)
    assert "Modle" in found and "distrubuted" in found
    assert {"BU", "SME", "Joo"}.isdisjoint(found)  # codespell's own CLI flags these
    assert len(found) < 20


def test_parse_dictionary_format() -> None:
    text = "modle->model, module,\nteh->the\nfoo->bar, a reason\nnoarrow\nABC->ABCD\n"
    assert parse_dictionary(text) == {
        "modle": ("model", "module"),
        "teh": ("the",),
        "foo": ("bar",),
        "abc": ("ABCD",),
    }


def test_misspellings_mapping_round_trip() -> None:
    data = {"modle": ("model", "module"), "teh": ("the",), "abandonin": ("abandon in",)}
    mapping = Misspellings.from_dict(data)
    assert dict(mapping) == data and len(mapping) == 3
    assert "te" not in mapping and "teh" in mapping and "tehx" not in mapping
    restored = Misspellings.load(mapping.dump())
    assert restored is not None and dict(restored) == data
    assert Misspellings.load(b"garbage") is None


def test_dictionary_is_codespells_main_list() -> None:
    path = typos.dictionary_path()
    assert path is not None and path.name == "dictionary.txt"
    assert path.parent.parent.name == "codespell_lib"
    dictionary = load_dictionary()
    assert dictionary["modle"] == ("model", "module")
    assert "bellow" not in dictionary  # dictionary_rare.txt is not used
    assert len(dictionary) > 50_000


def test_disk_cache_hit_equals_fresh_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(typos, "_DICT", None)
    path = typos.dictionary_path()
    assert path is not None
    fresh = typos._load_cached(path)  # miss: parses and writes
    [cached_file] = tmp_path.glob("codespell-*.marshal")
    monkeypatch.setattr(typos, "parse_dictionary", _no_parse)
    hit = typos._load_cached(path)
    assert hit._buckets == fresh._buckets and len(hit) == len(fresh)
    cached_file.write_bytes(b"\x00broken")
    monkeypatch.undo()
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path))
    assert len(typos._load_cached(path)) == len(fresh)  # rebuilt
    assert re.fullmatch(r"codespell-[\w.-]+-[0-9a-f]{8}\.marshal", cached_file.name)
    assert store.read_cache(cached_file.name) != b"\x00broken"


def test_cached_dictionary_of_another_source_is_refused() -> None:
    """The file name is a short checksum; the full key is stored and compared on load."""
    mapping = Misspellings.from_dict({"modle": ("model",)})
    assert Misspellings.load(mapping.dump("key-a"), "key-a") is not None
    assert Misspellings.load(mapping.dump("key-a"), "key-b") is None


def _no_parse(text: str) -> dict[str, tuple[str, ...]]:
    raise AssertionError("cache hit expected")


def test_big_groups_are_split_into_small_buckets_with_the_same_verdicts() -> None:
    """2,000 misspellings starting "con" (like codespell's 50 kB of them) are spread over
    buckets of at most ~2 kB by longer prefixes; every lookup gives the same answer."""
    words = {f"con{i:04d}x": (f"fix{i}",) for i in range(2000)}
    words |= {"co": ("go",), "con": ("on",), "cat": ("cart",)}
    mapping = Misspellings.from_dict(words)
    assert max(map(len, mapping._buckets.values())) <= 2048 + 40
    assert mapping._depth["con"] > 3
    assert all(mapping.get(key) == fixes for key, fixes in words.items())
    assert all(mapping._listed(key) for key in words)
    probes = ["con0001y", "con", "conx", "co0", "c"]
    assert [mapping.get(key) for key in probes] == [None, ("on",), None, None, None]
    restored = Misspellings.load(mapping.dump())
    assert restored is not None and dict(restored.items()) == dict(mapping.items())


def test_every_entry_of_codespells_dictionary_is_found() -> None:
    path = typos.dictionary_path()
    assert path is not None
    parsed = parse_dictionary(path.read_text(encoding="utf-8"))
    mapping = Misspellings.from_dict(parsed)
    assert len(mapping) == len(parsed) and all(mapping.get(k) == v for k, v in parsed.items())
