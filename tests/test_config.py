from __future__ import annotations

from pathlib import Path

import pytest

from notes_kit.core.findings import InputError
from notes_kit.lint.config import Config, find_config, load_config, merge


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = ".notes-kit.toml") -> Config:
    return load_config(write(tmp_path / name, text))


def load_error(tmp_path: Path, text: str, name: str = ".notes-kit.toml") -> InputError:
    with pytest.raises(InputError) as info:
        load_text(tmp_path, text, name)
    return info.value


# --- discovery ---------------------------------------------------------------


def test_find_config_walks_up_from_a_file_and_a_directory(tmp_path: Path) -> None:
    own = write(tmp_path / ".notes-kit.toml", "")
    page = write(tmp_path / "a" / "b" / "sosp-2024.md", "# SOSP 2024\n")
    assert find_config(page) == own
    assert find_config(page.parent) == own
    assert find_config(tmp_path) == own


def test_pyproject_counts_only_with_a_notes_kit_table(tmp_path: Path) -> None:
    outer = write(tmp_path / ".notes-kit.toml", "")
    write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    page = write(tmp_path / "a" / "b" / "x.md", "")
    assert find_config(page) == outer
    inner = write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.notes-kit]\n")
    assert find_config(page) == inner


def test_empty_tool_table_is_found_and_gives_defaults(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.notes-kit]\n")
    assert find_config(tmp_path / "missing.md") == pyproject
    config = load_config(pyproject)
    assert config.select == ("NK",) and config.ignore == ()
    assert config.root == str(tmp_path.resolve())
    assert config.source == str(pyproject.resolve())


def test_own_file_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.notes-kit]\nstrict = true\n")
    own = write(tmp_path / ".notes-kit.toml", "")
    assert find_config(tmp_path) == own


def test_nothing_found(tmp_path: Path) -> None:
    if find_config(tmp_path.parent) is not None:
        pytest.skip("a config file above the temporary directory")
    write(tmp_path / "pyproject.toml", "[tool.black]\n")
    assert find_config(tmp_path / "x.md") is None
    assert load_config(None) == Config()


def test_broken_pyproject_that_names_notes_kit_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.notes-kit]\nselect = [\n")
    with pytest.raises(InputError):
        find_config(tmp_path)


# --- loading and errors --------------------------------------------------------


def test_full_file(tmp_path: Path) -> None:
    write(tmp_path / "terms.yaml", "PyTorch: []\n")
    write(tmp_path / "data" / "aff.yaml", "PKU: []\n")
    config = load_text(
        tmp_path,
        'select = ["NK"]\nignore = ["NK5", "NK302"]\nlink-style = "inline"\nstrict = true\n'
        'allow-words = ["FoV"]\nextra-terms = ["terms.yaml"]\n'
        'extra-affiliations = ["data/aff.yaml"]\nextra-venues = []\n'
        '[per-file-ignores]\n"drafts/*.md" = ["NK1"]\n',
    )
    assert config.ignore == ("NK5", "NK302")
    assert config.link_style == "inline" and config.strict is True
    assert config.extra_terms == (str((tmp_path / "terms.yaml").resolve()),)
    assert config.extra_affiliations == (str((tmp_path / "data" / "aff.yaml").resolve()),)
    assert config.per_file_ignores == (("drafts/*.md", ("NK1",)),)


def test_unknown_key_names_key_and_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, '# notes-kit settings\nselect = ["NK"]\nselct = ["NK5"]\n')
    assert error.line == 3
    assert "unknown key 'selct'" in error.message
    assert str(error).startswith(f"{(tmp_path / '.notes-kit.toml').resolve()}:3: ")


def test_unknown_key_line_counts_from_the_tool_table(tmp_path: Path) -> None:
    text = '[tool.ruff]\nselect = ["E"]\n\n[tool.notes-kit]\nselect = "NK"\n'
    error = load_error(tmp_path, text, "pyproject.toml")
    assert (error.line, error.message) == (5, "'select' must be a list of non-empty strings")
    text = "[tool.notes-kit]\nstrict = false\n[tool.notes-kit.extra]\n"
    error = load_error(tmp_path, text, "pyproject.toml")
    assert error.line == 3 and "'extra'" in error.message


def test_pyproject_without_the_table_cannot_be_loaded(tmp_path: Path) -> None:
    assert "no [tool.notes-kit] table" in load_error(tmp_path, "", "pyproject.toml").message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('\nselect = "NK"\n', 2, "'select' must be a list"),
        ("ignore = [5]\n", 1, "'ignore' must be a list"),
        ('strict = "yes"\n', 1, "'strict' must be true or false"),
        ("strict = 1\n", 1, "'strict' must be true or false"),
        ('link-style = "bare"\n', 1, "'link-style' must be one of autolink, inline"),
        ('allow-words = ["ok", ""]\n', 1, "'allow-words' must be a list"),
        ('per-file-ignores = ["x"]\n', 1, "'per-file-ignores' must be a table"),
        ('\n[per-file-ignores]\n"a.md" = "NK5"\n', 3, "'per-file-ignores.a.md' must be a list"),
        ('extra-terms = ["nowhere.yaml"]\n', 1, "no such file nowhere.yaml"),
    ],
)
def test_wrong_types(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    error = load_error(tmp_path, text)
    assert fragment in error.message
    assert error.line == line


@pytest.mark.parametrize("prefix", ["E501", "NK5012", "NK-5", "ALL"])
def test_unknown_rule_prefix(tmp_path: Path, prefix: str) -> None:
    error = load_error(tmp_path, f'strict = false\nselect = [\n  "NK",\n  "{prefix}",\n]\n')
    assert f"unknown rule prefix '{prefix}'" in error.message
    assert error.line == 4


def test_rule_prefixes_are_case_insensitive(tmp_path: Path) -> None:
    """`nk5` in a config is NK5 (as `explain nk204` always was)."""
    (tmp_path / ".notes-kit.toml").write_text('select = ["nk5"]\nignore = ["Nk503"]\n',
                                              encoding="utf-8")
    config = load_config(tmp_path / ".notes-kit.toml")
    assert (config.select, config.ignore) == (("NK5",), ("NK503",))
    assert config.enabled("NK501", "a.md") and not config.enabled("NK503", "a.md")
    assert merge(Config(), select=["nk3"]).select == ("NK3",)


def test_unknown_prefix_in_per_file_ignores(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[per-file-ignores]\n"a.md" = ["NK5"]\n"b.md" = ["X1"]\n')
    assert error.line == 3 and "'X1'" in error.message


@pytest.mark.parametrize(
    ("text", "line"),
    [("select = [\n", 2), ('strict = true\nlink-style = = "x"\n', 2), ("[a]\nb = 1\n[a]\n", 3)],
)
def test_invalid_toml(tmp_path: Path, text: str, line: int) -> None:
    error = load_error(tmp_path, text)
    assert error.message.startswith("invalid TOML")
    assert error.line == line


# --- select / ignore -----------------------------------------------------------


def test_ignore_beats_a_shorter_select() -> None:
    config = Config(select=("NK",), ignore=("NK5",))
    assert not config.enabled("NK501", "a.md")
    assert config.enabled("NK302", "a.md")


def test_longer_select_reenables_under_a_shorter_ignore(tmp_path: Path) -> None:
    config = load_text(tmp_path, 'select = ["NK", "NK501"]\nignore = ["NK5"]\n')
    assert config.enabled("NK501", "a.md")
    assert not config.enabled("NK502", "a.md")
    assert config.enabled("NK101", "a.md")


def test_tie_goes_to_ignore_and_unselected_is_off() -> None:
    assert not Config(select=("NK5",), ignore=("NK5",)).enabled("NK501", "a.md")
    assert not Config(select=("NK3",)).enabled("NK501", "a.md")
    assert not Config(select=()).enabled("NK101", "a.md")
    assert Config().enabled("NK101", "a.md")


def test_per_file_ignores(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        'select = ["NK", "NK101"]\n[per-file-ignores]\n"drafts/*.md" = ["NK1"]\n'
        '"README.md" = ["NK"]\n',
    )
    draft = str(tmp_path / "drafts" / "x.md")
    assert not config.enabled("NK101", draft)  # per-file-ignores beat a longer select
    assert config.enabled("NK501", draft)
    assert not config.enabled("NK501", str(tmp_path / "deep" / "README.md"))  # basename
    assert config.enabled("NK101", str(tmp_path / "conferences" / "drafts.md"))
    assert config.ignored_for(draft) == ("NK1",)


def test_per_file_ignores_with_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_text(tmp_path, '[per-file-ignores]\n"conferences/old-*.md" = ["NK2"]\n')
    monkeypatch.chdir(tmp_path)
    assert not config.enabled("NK201", "conferences/old-2019.md")
    monkeypatch.chdir(write(tmp_path / "conferences" / "x.md", "").parent)
    assert not config.enabled("NK201", "old-2019.md")
    assert config.enabled("NK201", "new-2024.md")


def test_allow_words_are_case_folded(tmp_path: Path) -> None:
    config = load_text(tmp_path, 'allow-words = ["O\'Leary", "FoV", "Straße"]\n')
    assert config.allow_words == frozenset({"o'leary", "fov", "strasse"})
    for word in ("O'Leary", "o'leary", "O'LEARY", "FoV", "FOV", "fov", "STRASSE"):
        assert config.allows(word)
    assert not config.allows("Leary")


# --- fingerprint ---------------------------------------------------------------


def test_fingerprint_is_stable_and_follows_content(tmp_path: Path) -> None:
    terms = write(tmp_path / "terms.yaml", "PyTorch: []\n")
    base = 'allow-words = ["FoV", "ABC"]\nextra-terms = ["terms.yaml"]\n'
    first = load_text(tmp_path, base).fingerprint()
    assert first == load_text(tmp_path, base).fingerprint()
    reordered = 'allow-words = ["ABC", "fov"]\nextra-terms = ["terms.yaml"]\n'
    assert load_text(tmp_path, reordered).fingerprint() == first
    assert load_text(tmp_path, base + "strict = true\n").fingerprint() != first
    assert load_text(tmp_path, base + 'ignore = ["NK5"]\n').fingerprint() != first
    terms.write_text("PyTorch: []\nNVIDIA: []\n", encoding="utf-8")
    assert load_text(tmp_path, base).fingerprint() != first
    assert len(first) == 64


# --- command-line overrides ----------------------------------------------------


def test_merge_select_replaces_file_select_and_ignore() -> None:
    config = merge(Config(select=("NK",), ignore=("NK5",), strict=False), select=["NK50"])
    assert (config.select, config.ignore) == (("NK50",), ())
    assert config.enabled("NK501", "a.md") and not config.enabled("NK101", "a.md")


def test_merge_ignore_beats_a_more_specific_file_select() -> None:
    config = merge(Config(select=("NK", "NK501"), ignore=("NK3",)), ignore=["NK5"])
    assert not config.enabled("NK501", "a.md")
    assert not config.enabled("NK301", "a.md")  # file ignores are kept
    assert config == merge(Config(select=("NK", "NK501"), ignore=("NK3",)), extend_ignore=["NK5"])


def test_merge_extend_select_beats_file_ignore() -> None:
    config = merge(Config(ignore=("NK5", "NK501")), extend_select=["NK501"])
    assert config.enabled("NK501", "a.md") and not config.enabled("NK502", "a.md")


def test_merge_within_one_layer_longest_prefix_wins() -> None:
    config = merge(Config(), extend_select=["NK501"], ignore=["NK5"])
    assert config.enabled("NK501", "a.md") and not config.enabled("NK502", "a.md")


def test_merge_strict_and_untouched_fields() -> None:
    base = Config(link_style="inline", allow_words=frozenset({"fov"}))
    assert merge(base) == base
    assert merge(base, strict=True).strict is True
    assert merge(merge(base, strict=True), strict=None).strict is True


def test_merge_rejects_unknown_prefix() -> None:
    with pytest.raises(InputError) as info:
        merge(Config(), select=["NK", "W1"])
    assert str(info.value) == "--select: unknown rule prefix 'W1' (expected NK and up to 3 digits)"


# --- the parsed-config cache ----------------------------------------------------


def test_parsed_config_is_cached_and_checked_against_the_whole_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notes_kit.lint import config as config_module

    cache = tmp_path / "cache"
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(cache))
    text = 'ignore = ["NK5"]\nallow-words = ["vLLM"]\n'
    first = load_text(tmp_path / "a", text)
    [stored] = cache.glob("config-*.marshal")
    parsed: list[str] = []
    real = config_module._parse_toml
    monkeypatch.setattr(config_module, "_parse_toml",
                        lambda t, p: parsed.append(t) or real(t, p))
    again = load_text(tmp_path / "b", text)
    assert (again.ignore, again.allow_words) == (first.ignore, first.allow_words) == (
        ("NK5",), frozenset({"vllm"}))
    assert parsed == []  # served from the cache
    stored.write_bytes(b"\x00broken")
    assert load_text(tmp_path / "c", text).ignore == ("NK5",) and parsed == [text]
    other = 'ignore = ["NK6"]\n'
    assert load_text(tmp_path / "d", other).ignore == ("NK6",) and parsed[-1] == other


def test_toml_dates_are_parsed_but_not_cached(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))
    text = '[tool.other]\nwhen = 2024-11-04\n\n[tool.notes-kit]\nignore = ["NK5"]\n'
    assert load_text(tmp_path, text, "pyproject.toml").ignore == ("NK5",)
    assert not list((tmp_path / "cache").glob("config-*"))
