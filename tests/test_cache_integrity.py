"""Issue 11, item 3: a damaged cache entry is a miss. Every file of a real cache folder
(per-file results, the index of a file set, the registries, the dictionary, the config, what
sync found up to date) is garbled; the next run reports exactly what a run without the cache
reports, and the one after it is a clean, full hit again: the damage does not persist."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus" / "awesome-papers",
                           REPO.parents[1] / "shared" / "corpus" / "awesome-papers")
               if p.is_dir()), None)
# Prints the findings as JSON, then (on stderr) the heavy modules this run imported.
PROBE = ("import sys\nfrom notes_kit.cli.main import run\nstatus = run(sys.argv[1:])\n"
         "heavy = [m for m in ('mistletoe', 'ruamel.yaml', 'jsonschema') if m in sys.modules]\n"
         "print('IMPORTED', ' '.join(heavy) or '-', file=sys.stderr)\nsys.exit(status)\n")


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return b"x"
    spot = rng.randrange(len(data))
    return data[:spot] + bytes([data[spot] ^ (1 << rng.randrange(8))]) + data[spot + 1 :]


def _edit(data: bytes, rng: random.Random) -> bytes:
    """A hand edit of the findings; a file that holds none gets a flipped byte instead."""
    edited = data.replace(b"NK503", b"NK513").replace(b"error", b"warning")
    return edited if edited != data else _flip(data, rng)


DAMAGE: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip bytes": lambda d, r: _flip(_flip(d, r), r),
    "NK503 -> NK513, error -> warning": _edit,
    "truncated": lambda d, r: d[: len(d) // 2],
    "another entry's bytes": lambda d, r: d,  # swapped below: every file gets a sibling's
}


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages with findings of every kind (NK503 errors included) and twins, or the corpus."""
    folder = tmp_path_factory.mktemp("integrity") / "notes"
    if CORPUS is not None:
        shutil.copytree(CORPUS / "reading-notes" / "conference", folder)
    else:
        folder.mkdir()
        for page in sorted((REPO / "tests" / "fixtures").rglob("*.md"))[:40]:
            name = f"{page.parent.name.lower()}-{page.stem.replace('.', '-')}.md"
            shutil.copy(page, folder / name)
    shutil.copy(REPO / "conferences" / "sosp-2024.md", folder / "sosp-2024.md")
    (folder / "sosp-2024.md").write_text(  # trailing spaces and a blank line too many: NK503
        (folder / "sosp-2024.md").read_text(encoding="utf-8") + "\n\n\n* x   \n",
        encoding="utf-8")
    shutil.copy(REPO / "conferences" / "sosp-2024.yaml", folder / "sosp-2024.yaml")
    (folder / ".notes-kit.toml").write_text("strict = false\n", encoding="utf-8")
    _sync(folder, folder.parent / "throwaway", "--quiet")  # twins, so NK703 and sync have work
    with (folder / "sosp-2024.yaml").open("a", encoding="utf-8") as twin:
        twin.write("# edited by hand: a stale twin (NK703)\n")
    return folder


def _lint(folder: Path, cache: Path, *extra: str) -> tuple[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), NOTES_KIT_CACHE_DIR=str(cache), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-c", PROBE, "lint", "--jobs", "1", "--format",
                           "json", *extra, str(folder)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, done.stderr.strip().splitlines()[-1]


def _sync(folder: Path, cache: Path, mode: str = "--check") -> None:
    """`sync --check` (remembers the twins found up to date), or `sync` (writes them)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NOTES_KIT_CACHE_DIR=str(cache))
    check = [mode] if mode == "--check" else []
    subprocess.run([sys.executable, "-m", "notes_kit", "sync", *check, str(folder)],
                   capture_output=True, env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def filled(notes: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """What a run without the cache reports, and a cache folder a run and sync filled."""
    base = tmp_path_factory.mktemp("filled")
    expected, _ = _lint(notes, base / "unused", "--no-cache")
    assert '"NK503"' in expected and '"error"' in expected and '"NK703"' in expected
    cache = base / "cache"
    assert _lint(notes, cache)[0] == expected
    _sync(notes, cache)
    return expected, cache


@pytest.mark.parametrize("how", list(DAMAGE))
def test_every_garbled_entry_is_a_miss_and_is_repaired(notes: Path, filled: tuple[str, Path],
                                                       tmp_path: Path, how: str) -> None:
    expected, source = filled
    cache = tmp_path / "cache"
    shutil.copytree(source, cache)
    files = sorted(p for p in cache.rglob("*") if p.is_file())
    kinds = {p.suffix for p in files} | {p.name.split("-")[0] for p in files}
    assert {".entry", ".index", ".bin", "registry", "codespell", "config"} <= kinds
    rng = random.Random(how)
    contents = [p.read_bytes() for p in files]
    for index, path in enumerate(files):
        if how == "another entry's bytes":
            garbled = contents[(index + 1) % len(files)]
        else:
            garbled = DAMAGE[how](contents[index], rng)
            while garbled == contents[index]:  # two flips of one bit undo each other
                garbled = _flip(garbled, rng)
        assert garbled != contents[index]
        path.write_bytes(garbled)
    damaged, _ = _lint(notes, cache)
    assert damaged == expected
    again, imported = _lint(notes, cache)  # the damage did not persist: a full, clean hit
    assert again == expected and imported == "IMPORTED -", imported
