"""The mistletoe loader: the set it supplies is mistletoe's own, anything unknown is a plain
import, and lint output does not depend on which way mistletoe was loaded."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
from importlib.util import find_spec
from pathlib import Path

import pytest

from notes_kit.format.markdown import loader as mistletoe_loader
from notes_kit.format.markdown.loader import KNOWN, fingerprint, format_ranges, parse_ranges

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "notes_kit" / "data" / "punctuation.txt"
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus" / "awesome-papers",
                           REPO.parents[1] / "shared" / "corpus" / "awesome-papers")
               if p.is_dir()), None)

# Prints how core_tokens was loaded, its punctuation as ranges, and its names and their types.
PROBE = (
    "import sys\n"
    "if sys.argv[1] == 'plain':\n"
    "    import mistletoe.core_tokens\n"
    "else:\n"
    "    from notes_kit.format.markdown.loader import load\n"
    "    load()\n"
    "from notes_kit.format.markdown.loader import format_ranges, how_loaded\n"
    "import mistletoe.core_tokens as c\n"
    "print(how_loaded() or 'plain')\n"
    "print(format_ranges(c.punctuation))\n"
    "print(sorted((k, type(v).__name__) for k, v in vars(c).items() if k != '__builtins__'))\n"
    "print(type(c.__loader__).__name__, type(c.__spec__.loader).__name__, c.__file__)\n"
    "print(list(c.unicode_chrs), type(c.punctuation).__name__)\n"
)


def probe(how: str, tmp_path: Path, *, pythonpath: str = "", unidata: str = "",
          cache: Path | None = None) -> list[str]:
    code = PROBE if not unidata else (
        f"import unicodedata\nunicodedata.unidata_version = {unidata!r}\n" + PROBE)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (pythonpath, str(REPO)) if p),
               NOTES_KIT_CACHE_DIR=str(cache or tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code, how], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    return done.stdout.splitlines()


def installed_source() -> Path:
    spec = find_spec("mistletoe")
    assert spec is not None and spec.submodule_search_locations
    return Path(list(spec.submodule_search_locations)[0]) / "core_tokens.py"


def known_here() -> bool:
    return fingerprint(installed_source().read_bytes()) in KNOWN


REVIEWED = ("1.3.0", "1.4.0", "1.5.0", "1.5.1", "1.6.0")  # releases whose source was read


def test_a_known_fingerprint_is_the_recorded_source() -> None:
    """A reviewed release is known (so the fast path is taken and tested here), and the
    fingerprint that picks the fast path stands for exactly the source read by hand."""
    from importlib.metadata import version

    source = installed_source().read_bytes()
    if version("mistletoe") in REVIEWED:
        assert fingerprint(source) in KNOWN, "add this release's fingerprint to KNOWN"
    if fingerprint(source) in KNOWN:
        assert hashlib.sha256(source).hexdigest() == KNOWN[fingerprint(source)][1]
    assert len({sha for _, sha in KNOWN.values()}) == len(KNOWN)


def test_the_supplied_set_is_what_mistletoe_computes(tmp_path: Path) -> None:
    plain = probe("plain", tmp_path)
    fast = probe("loader", tmp_path)
    assert plain[0] == "plain"
    assert fast[0] == ("precomputed" if known_here() else "plain")
    assert fast[1:] == plain[1:]  # same set, same names and types, same loader, same file
    assert len(parse_ranges(fast[1])) > 800


def test_the_shipped_line_of_this_python_is_mistletoes_set(tmp_path: Path) -> None:
    lines = [line.split() for line in DATA.read_text(encoding="ascii").splitlines()
             if not line.startswith("#")]
    ours = {version: (count, ranges) for version, count, ranges in lines}
    assert unicodedata.unidata_version in ours
    assert ours[unicodedata.unidata_version][1] == probe("plain", tmp_path)[1]
    for count, ranges in ours.values():
        assert len(parse_ranges(ranges)) == int(count)
        assert format_ranges(parse_ranges(ranges)) == ranges
    tool = subprocess.run([sys.executable, str(REPO / "tools" / "gen_punctuation.py")],
                          capture_output=True, text=True, check=True, timeout=60)
    assert tool.stdout.split() == [unicodedata.unidata_version,
                                   *ours[unicodedata.unidata_version]]


def test_an_unknown_mistletoe_is_imported_as_it_is(tmp_path: Path) -> None:
    copy = tmp_path / "site" / "mistletoe"
    shutil.copytree(installed_source().parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "core_tokens.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a local edit: another source hash\n")
    fast = probe("loader", tmp_path, pythonpath=str(tmp_path / "site"))
    assert fast[0] == "plain"
    assert str(copy) in fast[3]
    assert fast[1] == probe("plain", tmp_path)[1]  # mistletoe computed it itself
    assert not (tmp_path / "cache").exists()  # and nothing was kept for it


@pytest.mark.skipif(not known_here(), reason="the installed mistletoe is not a known one")
def test_an_unknown_unicode_version_is_computed_once_then_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain = probe("plain", tmp_path)
    first = probe("loader", tmp_path, unidata="0.0.test", cache=cache)
    assert first[0] == "plain" and first[1:] == plain[1:]
    [kept] = cache.glob("punctuation-0.0.test*")
    second = probe("loader", tmp_path, unidata="0.0.test", cache=cache)
    assert second[0] == "cached" and second[1:] == plain[1:]
    data = bytearray(kept.read_bytes())
    data[-5] ^= 0x01  # one code point of the ranges changed: the seal no longer matches
    kept.write_bytes(bytes(data))
    third = probe("loader", tmp_path, unidata="0.0.test", cache=cache)
    assert third[0] == "plain" and third[1:] == plain[1:]
    assert probe("loader", tmp_path, unidata="0.0.test", cache=cache)[0] == "cached"


def test_a_damaged_shipped_line_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    version = unicodedata.unidata_version
    text = DATA.read_text(encoding="ascii")
    line = next(line for line in text.splitlines() if line.startswith(version + " "))
    fake = tmp_path / "notes_kit_data"
    fake.mkdir()
    (fake / "punctuation.txt").write_text(line.replace(",a1,", ",a2,"), encoding="ascii")
    monkeypatch.setattr(mistletoe_loader, "DATA_DIR", fake)
    assert mistletoe_loader._shipped(version) is None  # one point moved: the count differs
    (fake / "punctuation.txt").write_text(line, encoding="ascii")
    assert mistletoe_loader._shipped(version) == parse_ranges(line.split()[2])


def _lint_corpus(target: Path, first: str, cache: Path) -> str:
    code = (f"{first}\nimport sys\nfrom notes_kit.cli.main import run\n"
            "from notes_kit.format.markdown.loader import how_loaded\n"
            "status = run(sys.argv[1:])\n"
            "print('LOADED', how_loaded() or 'plain', file=sys.stderr)\n")
    env = dict(os.environ, PYTHONPATH=str(REPO), NOTES_KIT_CACHE_DIR=str(cache), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-c", code, "lint", "--no-cache", "--jobs", "1",
                           "--format", "json", str(target)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout + done.stderr.strip().splitlines()[-1]


def test_lint_output_is_the_same_either_way(tmp_path: Path) -> None:
    target = CORPUS if CORPUS is not None else REPO / "tests" / "fixtures"
    cache = tmp_path / "cache"
    _lint_corpus(REPO / "conferences", "", cache)  # warm the registry caches only
    shutil.rmtree(cache / "results", ignore_errors=True)
    fast = _lint_corpus(target, "", cache)
    plain = _lint_corpus(target, "import mistletoe", cache)
    assert fast.endswith("LOADED precomputed" if known_here() else "LOADED plain")
    assert plain.endswith("LOADED plain")
    assert fast.rsplit("LOADED", 1)[0] == plain.rsplit("LOADED", 1)[0]
    assert '"NK' in fast
