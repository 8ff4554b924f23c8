"""The shipped registries, user extensions, error lines and the JSON cache."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from notes_kit.core import store
from notes_kit.core.findings import InputError
from notes_kit.knowledge import registries
from notes_kit.knowledge.registries import (
    DATA_DIR,
    SCHEMA_PATH,
    Venue,
    load_affiliations,
    load_terms,
    load_venues,
    registry_fingerprint,
    venue_for_heading,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CONFERENCES = CORPUS / "awesome-papers" / "reading-notes" / "conference"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "sosp-2024.md"
HEADING = re.compile(r"^# (.+) (\d{4})\s*$")

SEED_CANONICAL = [
    "ICL",
    "SJTU IPADS",
    "MSR",
    "Indian Institute of Science",
    "Aalto University",
    "Edinburgh",
    "ETH",
    "UMich",
    "UIUC",
    "MSRA",
    "GaTech",
    "Princeton",
    "Stanford",
    "PKU",
]


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory and an empty in-process memo."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(cache))
    monkeypatch.setattr(registries, "_MEMO", {})
    return cache


def _user(tmp_path: Path, text: str, name: str = "user.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- shipped data ---------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", ["venues", "affiliations", "terms"])
def test_shipped_files_validate_against_their_def(kind: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = YAML(typ="safe").load((DATA_DIR / f"{kind}.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, {**schema, "$ref": f"#/$defs/{kind}_file"})
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({kind: data[kind], "extra": 1}, schema)


def test_venues() -> None:
    venues = load_venues()
    assert venues["sosp"] == Venue(
        "sosp", "SOSP", "ACM Symposium on Operating Systems Principles", "ACM", "10.1145"
    )
    assert venues["osdi"].doi_prefix is None  # USENIX: no DOIs
    assert venues["isca"].doi_prefix is None  # ACM and IEEE alternate
    slug = "ispa-iucc-bdcloud-socialcom-sustaincom"
    assert venues[slug].name == "ISPA/IUCC/BDCloud/SocialCom/SustainCom"
    for slug, venue in venues.items():
        assert slug == venue.slug
        assert venue.publisher, slug
    names = [v.name.casefold() for v in venues.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("heading", "slug"),
    [("SOSP", "sosp"), ("Eurosys", "eurosys"), (" mlsys ", "mlsys"), ("HotChips", "hotchips")],
)
def test_venue_for_heading(heading: str, slug: str) -> None:
    venue = venue_for_heading(heading, load_venues())
    assert venue is not None and venue.slug == slug


def test_venue_for_heading_unknown() -> None:
    assert venue_for_heading("Conference", load_venues()) is None


@pytest.mark.skipif(not CONFERENCES.is_dir(), reason="corpus not available")
def test_every_corpus_venue_heading_is_known() -> None:
    venues = load_venues()
    seen = set()
    for page in sorted(CONFERENCES.rglob("*.md")):
        stem = page.parent.name if page.name == "README.md" else page.stem
        if not re.fullmatch(r"[a-z-]+-\d{4}(-\d+)?", stem):
            continue  # a single-paper page, titled by the paper
        lines = page.read_text(encoding="utf-8").splitlines()
        first = next(line for line in lines if line.startswith("# "))
        match = HEADING.match(first)
        assert match, page
        seen.add(match.group(1))
    assert len(seen) > 25
    unknown = sorted(name for name in seen if venue_for_heading(name, venues) is None)
    assert unknown == []
    # the display name is exact, not just case-insensitively equal
    assert all(venue_for_heading(name, venues).name == name for name in seen)  # type: ignore[union-attr]


def test_seed_affiliations_are_canonical() -> None:
    aliases = load_affiliations()
    for name in SEED_CANONICAL:
        assert name not in aliases, name


@pytest.mark.skipif(not SEED.is_file(), reason="seed not available")
def test_no_seed_affiliation_is_an_alias() -> None:
    aliases = load_affiliations()
    lines = SEED.read_text(encoding="utf-8").splitlines()
    institutions = set()
    for line, following in zip(lines, lines[1:], strict=False):
        if "](http" in line and following.lstrip().startswith("* "):
            institutions.update(following.strip()[2:].split(" & "))
    assert set(SEED_CANONICAL) <= institutions
    assert not institutions & set(aliases)


def test_affiliation_aliases() -> None:
    aliases = load_affiliations()
    assert aliases["Peking University"] == "PKU"
    assert aliases["Georgia Tech"] == aliases["Georgia Institute of Technology"] == "GaTech"
    assert aliases["Microsoft Research Asia"] == "MSRA"
    assert aliases["Microsoft Research"] == "MSR"
    assert "IISc" not in aliases  # a short name in its own right, used across the corpus
    assert "NTU" not in aliases and "OSU" not in aliases  # ambiguous
    assert not set(aliases) & set(aliases.values()), "an alias is also a canonical name"


def test_terms() -> None:
    terms = load_terms()
    assert terms["pytorch"] == "PyTorch"
    assert terms["arxiv"] == "arXiv"
    assert terms["nvidia"] == "NVIDIA"
    assert all(key == value.lower() for key, value in terms.items())
    assert "spark" not in terms and "ray" not in terms


# -- user files -----------------------------------------------------------------------------


def test_user_file_extends_and_overrides(tmp_path: Path) -> None:
    user = _user(
        tmp_path,
        "venues:\n"
        "  - slug: sosp\n    name: SOSP\n    full_name: Symposium on OS Principles\n"
        "  - slug: apnet\n    name: APNet\n    full_name: Asia-Pacific Workshop on Networking\n"
        "affiliations:\n"
        "  - name: Tsinghua University\n    aliases: [THU]\n"
        "  - name: Foo Lab\n    aliases: [Foo Laboratory]\n"
        "terms: [Megatron, NVIDIA]\n",
    )
    venues = load_venues([user])
    assert venues["sosp"].full_name == "Symposium on OS Principles"
    assert venues["sosp"].doi_prefix is None  # the user entry replaces the shipped one
    assert venues["apnet"].name == "APNet"
    assert len(venues) == len(load_venues()) + 1
    aliases = load_affiliations([user])
    assert aliases["Foo Laboratory"] == "Foo Lab"
    assert aliases["THU"] == "Tsinghua University"
    assert aliases["Tsinghua"] == "Tsinghua University"  # chain through the demoted name
    assert "Tsinghua University" not in aliases
    terms = load_terms([user])
    assert terms["megatron"] == "Megatron"
    assert terms["pytorch"] == "PyTorch"


def test_later_user_file_wins(tmp_path: Path) -> None:
    one = _user(tmp_path, "terms: [Foo]\n", "one.yaml")
    two = _user(tmp_path, "terms: [FOO]\n", "two.yaml")
    assert load_terms([one, two])["foo"] == "FOO"
    assert load_terms([two, one])["foo"] == "Foo"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            "venues:\n  - {slug: x, name: X, full_name: X}\n  - slug: y\n    name: Y\n",
            3,
            "full_name",
        ),
        ("venues:\n  - slug: Bad\n    name: B\n    full_name: B\n", 2, "does not match"),
        ("venues:\n  - {slug: a, name: A, full_name: A, colour: red}\n", 2, "colour"),
        ("terms:\n  - fine\n  - two words\n", 3, "does not match"),
        ("affiliations:\n  - name: A\n    aliases: [B & C]\n", 3, "should not be valid"),
        ("venue: []\n", 1, "unexpected"),
        ("terms: [a,\n", 2, "invalid YAML"),
        ("terms: [a]\nterms: [b]\n", 2, "duplicate key"),
        ("terms: !!python/object/apply:os.system [echo]\n", 1, "is not allowed"),
        ("", 1, "empty registry file"),
        ("terms: [PyTorch, Pytorch]\n", 1, "conflicts"),
        ("affiliations:\n  - name: A\n    aliases: [X]\n  - name: B\n    aliases: [X]\n", 5, "two"),
        ("affiliations:\n  - name: A\n    aliases: [B]\n  - name: B\n", 3, "alias and a canonical"),
        ("affiliations:\n  - name: A\n  - name: A\n", 3, "listed twice"),
        (
            "venues:\n  - {slug: x, name: X, full_name: X}\n  - {slug: x, name: Y, full_name: Y}\n",
            3,
            "listed twice",
        ),
        ("venues:\n  - slug: usenix-atc\n    name: atc\n    full_name: A\n", 3, "already"),
    ],
)
def test_invalid_user_file(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    user = _user(tmp_path, text)
    kind = next((k for k in ("venues", "affiliations") if k in text), "terms")
    loader = {"venues": load_venues, "affiliations": load_affiliations, "terms": load_terms}[kind]
    with pytest.raises(InputError) as caught:
        loader([user])
    assert caught.value.path == str(user)
    assert caught.value.line == line, caught.value
    assert fragment in caught.value.message


def test_file_without_the_list_is_an_error(tmp_path: Path) -> None:
    user = _user(tmp_path, "terms: [Foo]\n")
    with pytest.raises(InputError, match="no `venues:` list"):
        load_venues([user])


def test_unreadable_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_terms([tmp_path / "missing.yaml"])
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"terms: [\xff]\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_terms([binary])


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcde", "bcdef", strict=True):
        rows.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    user = _user(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(InputError, match="alias bomb"):
        load_terms([user])


# -- cache ----------------------------------------------------------------------------------


def test_cache_miss_writes_and_hit_reads(fresh_cache: Path, tmp_path: Path) -> None:
    user = _user(tmp_path, "terms: [Megatron]\naffiliations:\n  - name: Foo\n")
    first = (load_venues(), load_affiliations([user]), load_terms([user]))
    written = sorted(p.name for p in fresh_cache.iterdir())
    assert len(written) == 3 and all(n.startswith("registry-") for n in written)
    # a second process: empty memo, and the YAML/schema path must not be taken
    registries._MEMO.clear()

    def no_build(*args: object) -> None:
        raise AssertionError("cache hit expected")

    original = registries._build
    registries._build = no_build  # type: ignore[assignment]
    try:
        second = (load_venues(), load_affiliations([user]), load_terms([user]))
    finally:
        registries._build = original
    assert second == first


def test_cache_key_follows_content(fresh_cache: Path, tmp_path: Path) -> None:
    user = _user(tmp_path, "terms: [Megatron]\n")
    assert load_terms([user])["megatron"] == "Megatron"
    user.write_text("terms: [MegaTron]\n", encoding="utf-8")
    registries._MEMO.clear()
    assert load_terms([user])["megatron"] == "MegaTron"
    assert len(list(fresh_cache.glob("registry-terms-*"))) == 2


def test_corrupt_cache_is_rebuilt(fresh_cache: Path) -> None:
    expected = load_terms()
    for path in fresh_cache.iterdir():
        path.write_text("{not json", encoding="utf-8")
    registries._MEMO.clear()
    assert load_terms() == expected


def test_unwritable_cache_dir_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(blocker / "cache"))  # parent is a file
    assert load_terms()["github"] == "GitHub"


def test_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NOTES_KIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert store.cache_dir() == tmp_path / "notes-kit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store.cache_dir() == tmp_path / ".cache" / "notes-kit"


def test_old_cache_files_are_pruned(fresh_cache: Path, tmp_path: Path) -> None:
    for i in range(12):
        registries._MEMO.clear()
        load_terms([_user(tmp_path, f"terms: [Term{i}]\n")])
    assert len(list(fresh_cache.glob("registry-terms-*"))) == store._KEEP_CACHED
    assert not list(fresh_cache.glob(".tmp-*"))


def test_fingerprint(tmp_path: Path) -> None:
    user = _user(tmp_path, "terms: [Foo]\n")
    base = registry_fingerprint()
    assert base == registry_fingerprint()
    with_user = registry_fingerprint([user])
    assert with_user != base
    user.write_text("terms: [Bar]\n", encoding="utf-8")
    assert registry_fingerprint([user]) != with_user
