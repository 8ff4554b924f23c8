"""What notes-kit writes, and over what (issue 11, items 1, 9, 10, 11, 12 and 14): `-o` never
replaces a device, FIFO or link; links survive `fix`; a file edited while `fix` works is not
overwritten; new files follow the umask; a file named twice is linted once."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.main import run
from notes_kit.core import files
from notes_kit.core.findings import InputError
from notes_kit.pages import to_yaml

REPO = Path(__file__).resolve().parents[1]
PAGE = (REPO / "conferences" / "sosp-2024.md").read_text(encoding="utf-8")
TWIN = (REPO / "conferences" / "sosp-2024.yaml").read_text(encoding="utf-8")
UNFIXED = PAGE.replace("\n### Model Serving", "\n\n\n### Model Serving")  # one safe fix


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(tmp_path / "cache"))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".notes-kit-"))


# --- item 1: -o ------------------------------------------------------------------------


def _page(tmp_path: Path, text: str = PAGE) -> Path:
    page = tmp_path / "sosp-2024.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    page = _page(tmp_path)
    target, link = tmp_path / "real.yaml", tmp_path / "link.yaml"
    target.write_text("old\n", encoding="utf-8")
    link.symlink_to(target.name)
    assert _run("to-yaml", str(page), "-o", str(link))[0] == 0
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8") == to_yaml(PAGE, str(page), str(link))
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to("made-by-the-write.yaml")
    assert _run("to-yaml", str(page), "-o", str(dangling))[0] == 0
    assert dangling.is_symlink() and (tmp_path / "made-by-the-write.yaml").is_file()
    assert _leftovers(tmp_path) == []


def _char_device(path: Path) -> None:
    """A node for the null device inside tmp_path (never /dev itself: the code before this
    fix replaced what it was pointed at)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here")


@pytest.mark.parametrize("kind", ["fifo", "char-device", "fifo-through-link"])
@pytest.mark.parametrize("command", ["to-yaml", "to-md"])
def test_output_to_a_special_file_is_refused_and_it_survives(
        kind: str, command: str, tmp_path: Path) -> None:
    source = _page(tmp_path) if command == "to-yaml" else tmp_path / "p.yaml"
    if command == "to-md":
        source.write_text(TWIN, encoding="utf-8")
    special = tmp_path / "special"
    if kind == "char-device":
        _char_device(special)
    else:
        os.mkfifo(special)
    target = special
    if kind == "fifo-through-link":
        target = tmp_path / "link"
        target.symlink_to(special.name)
    code, out, err = _run(command, str(source), "-o", str(target))
    assert code == 2 and out == ""
    assert err == f"notes-kit: {target}: cannot write: not a regular file\n"
    check = stat.S_ISCHR if kind == "char-device" else stat.S_ISFIFO
    assert check(os.stat(special).st_mode)
    assert _leftovers(tmp_path) == []


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    page = _page(tmp_path)
    code, out, err = _run("to-yaml", str(page), "-o", "-")
    assert (code, err) == (0, "") and out == to_yaml(PAGE, str(page), None)
    assert not (tmp_path / "-").exists()


# --- item 10: links survive fix ------------------------------------------------------------


def test_fix_writes_through_a_symlinked_page(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    real = tmp_path / "store" / "sosp-2024.md"
    real.write_text(UNFIXED, encoding="utf-8")
    link = tmp_path / "sosp-2024.md"
    link.symlink_to(real)
    code, _, err = _run("fix", str(link))
    assert code == 1 and err == ""
    assert link.is_symlink() and real.read_text(encoding="utf-8") == PAGE


def test_fix_keeps_hard_links_together(tmp_path: Path) -> None:
    page = _page(tmp_path, UNFIXED)
    other = tmp_path / "elsewhere.md"
    os.link(page, other)
    page.chmod(0o640)
    inode = page.stat().st_ino
    code, _, err = _run("fix", str(page))
    assert code == 1 and err == ""
    assert page.stat().st_ino == inode and page.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == PAGE == page.read_text(encoding="utf-8")
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_a_dangling_symlink_in_a_folder_is_reported_and_the_rest_linted(tmp_path: Path) -> None:
    _page(tmp_path, UNFIXED)
    (tmp_path / "gone.md").symlink_to("missing.md")
    code, out, err = _run("lint", str(tmp_path))
    assert code == 1, err  # the page's own finding, not a refusal of the run
    assert err.splitlines() == [f"notes-kit: {tmp_path / 'gone.md'}: dangling symbolic link "
                                "(to missing.md); skipped"]
    assert "NK503" in out
    code, _, err = _run("lint", str(tmp_path / "gone.md"))  # named on its own: bad input
    assert code == 2 and "no such file" in err


# --- item 9: edits made while fix runs ------------------------------------------------------


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    page = _page(tmp_path, UNFIXED)
    data = page.read_bytes()
    read_as = files.fingerprint(str(page), data)
    assert read_as is not None
    edited = UNFIXED + "\n* Another Paper \\[[Paper](https://a.org/p)]\n"
    page.write_text(edited, encoding="utf-8")
    os.utime(page, ns=(read_as.mtime_ns, read_as.mtime_ns))  # same time: the hash tells
    with pytest.raises(files.Changed):
        files.atomic_write(str(page), PAGE, expect=read_as)
    assert page.read_text(encoding="utf-8") == edited
    page.write_bytes(data)
    os.utime(page, ns=(read_as.mtime_ns, read_as.mtime_ns))
    files.atomic_write(str(page), PAGE, expect=read_as)  # unchanged: written
    assert page.read_text(encoding="utf-8") == PAGE


def test_fix_does_not_overwrite_an_edit_made_while_it_ran(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from notes_kit.run import parallel

    page = _page(tmp_path, UNFIXED)
    real = parallel.process_file
    added = "\n* A Paper Added Meanwhile \\[[Paper](https://a.org/new)]\n"

    def process(path: str, *args: Any, **kwargs: Any) -> Any:
        outcome = real(path, *args, **kwargs)
        with open(path, "a", encoding="utf-8") as handle:  # the author saves, mid-run
            handle.write(added)
        return outcome

    monkeypatch.setattr(parallel, "process_file", process)
    code, out, err = _run("fix", "--jobs", "1", "--no-cache", str(page))
    assert code == 1
    assert err.splitlines() == [f"notes-kit: {page}: changed while notes-kit was working on "
                                "it; not written (run again)"]
    assert page.read_text(encoding="utf-8") == UNFIXED + added
    assert not [line for line in out.splitlines() if line.startswith(f"{page}:") and
                line.split(":")[2].startswith(" NK")], out  # no change reported as made


# --- item 11: modes -------------------------------------------------------------------------


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_follow_the_umask_and_existing_ones_keep_their_mode(
        tmp_path: Path, umask_027: None) -> None:
    folder = tmp_path / "conferences"
    code, _, err = _run("new", "osdi", "2031", "--dir", str(folder))
    assert code == 0, err
    assert _mode(folder / "osdi-2031.md") == _mode(folder / "osdi-2031.yaml") == 0o640
    page = _page(folder)
    assert _run("sync", str(page))[0] == 0
    assert _mode(folder / "sosp-2024.yaml") == 0o640
    assert _run("to-yaml", str(page), "-o", str(tmp_path / "out.yaml"))[0] == 0
    assert _run("to-md", str(tmp_path / "out.yaml"), "-o", str(tmp_path / "out.md"))[0] == 0
    assert _mode(tmp_path / "out.yaml") == _mode(tmp_path / "out.md") == 0o640
    existing = _page(tmp_path, UNFIXED)
    existing.chmod(0o604)
    assert _run("fix", str(existing))[0] == 1
    assert _mode(existing) == 0o604 and existing.read_text(encoding="utf-8") == PAGE


# --- item 12: limits ------------------------------------------------------------------------


def test_yaml_may_be_larger_than_a_page_and_nothing_unreadable_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"a: b\n" * (20 * 1024 * 1024 // 5)  # 20 MiB
    assert files.read_source("big.yaml", big).startswith("a: b\n")
    with pytest.raises(InputError, match="file too large"):
        files.read_source("big.md", big)
    page = _page(tmp_path)
    monkeypatch.setattr(files, "MAX_YAML_BYTES", 1000)  # smaller than the page's YAML
    code, out, err = _run("to-yaml", str(page), "-o", str(tmp_path / "out.yaml"))
    assert code == 2 and "output too large" in err and "not written" in err
    assert not (tmp_path / "out.yaml").exists()


# --- item 14: one file, two spellings -------------------------------------------------------


def test_a_file_named_twice_is_linted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    _page(tmp_path, UNFIXED)
    (tmp_path / "link.md").symlink_to("sosp-2024.md")
    monkeypatch.chdir(tmp_path)
    once = _run("lint", "sosp-2024.md")
    twice = _run("lint", "sosp-2024.md", "./sosp-2024.md", str(tmp_path / "link.md"))
    assert "NK701" not in twice[1] and "NK702" not in twice[1]
    assert twice == once
