"""The index of a file set: each file read once a run, one changed page linted and its groups
updated (no other page parsed, nothing rebuilt), damage and big changes handled by building
afresh, and sync of an unchanged collection parsing nothing. Findings always equal a run
without the cache."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pytest

from notes_kit.cli.main import run
from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.lint.rules import facts as facts_module
from notes_kit.run import cache as cache_module
from notes_kit.run import groups as groups_module
from notes_kit.run import parallel
from notes_kit.run.runner import run_lint


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NOTES_KIT_CACHE_DIR", str(folder))
    return folder


def paper(title: str, url: str, who: str = "PKU") -> str:
    return f"* {title} \\[[Paper]({url})]\n  * {who}\n  * A note on it.\n"


def page(n: int, papers: list[str]) -> str:
    return (f"# CONF{n} {2000 + n}\n\n## Meta Info\n\nHomepage: <https://example.org/c{n}/>\n\n"
            f"### Paper List\n\n* <https://example.org/c{n}/papers>\n\n## Papers\n\n"
            "### Systems\n\n" + "".join(papers))


def folder_of(root: Path, pages: int = 12) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(pages):
        papers = [paper(f"Paper {n}-{k}: On Things", f"https://example.org/p/{n}/{k}",
                        ("PKU", "Peking University", "UT Austin", "UT-Austin")[k % 4])
                  for k in range(6)]
        papers.append(paper("Shared Paper Everywhere", "https://example.org/shared"))
        papers.append(paper(f"Borrowed {n}", "https://example.org/p/0/1"))
        path = root / f"conf{n}-{2000 + n}.md"
        path.write_text(page(n, papers), encoding="utf-8")
        paths.append(path)
    return paths


def full(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.path, f.line, f.column, f.rule, f.message, f.severity, f.end_line,
             f.end_column, f.fix, f.suggestions) for f in findings]


class Spy:
    """Counts reads of page bytes, lints, parses for facts and rebuilds of the groups."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads: list[str] = []
        self.linted: list[str] = []
        self.parsed: list[str] = []
        self.builds = 0
        real_read, real_process = cache_module.read_regular, parallel.process_file
        real_facts, real_finish = facts_module.read_facts, groups_module.Groups.finish

        def read(path: str) -> bytes | None:
            data = real_read(path)
            if data is not None:
                self.reads.append(Path(path).name)
            return data

        def process(path: str, *args: Any) -> Any:
            self.linted.append(Path(path).name)
            return real_process(path, *args)

        def parse(path: str, **options: Any) -> Any:
            self.parsed.append(Path(path).name)
            return real_facts(path, **options)

        def finish(groups: Any) -> None:
            self.builds += 1
            real_finish(groups)

        monkeypatch.setattr(cache_module, "read_regular", read)
        monkeypatch.setattr(parallel, "read_regular", read)
        monkeypatch.setattr(parallel, "process_file", process)
        monkeypatch.setattr(facts_module, "read_facts", parse)
        monkeypatch.setattr(groups_module.Groups, "finish", finish)

    def clear(self) -> None:
        self.reads, self.linted, self.parsed, self.builds = [], [], [], 0


def lint(folder: Path, **options: Any) -> list[Finding]:
    options.setdefault("jobs", 1)
    return run_lint([str(folder)], Config(), **options).findings


def test_one_changed_page_is_the_only_work(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    paths = folder_of(tmp_path / "notes")
    first = lint(tmp_path / "notes")
    spy = Spy(monkeypatch)
    assert full(lint(tmp_path / "notes")) == full(first)
    assert sorted(spy.reads) == sorted(p.name for p in paths)  # each file read once
    assert (spy.linted, spy.parsed, spy.builds) == ([], [], 0)
    spy.clear()
    paths[5].write_text(paths[5].read_text(encoding="utf-8").replace(
        "Borrowed 5", "Paper 1-2: On Things"), encoding="utf-8")  # a new duplicate: NK701
    changed = lint(tmp_path / "notes")
    assert sorted(spy.reads) == sorted(p.name for p in paths)
    assert (spy.linted, spy.parsed, spy.builds) == ([paths[5].name], [], 0)
    assert full(changed) == full(lint(tmp_path / "notes", use_cache=False)) != full(first)


def test_random_edits_give_what_a_run_without_the_cache_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = folder_of(tmp_path / "notes")
    rng = random.Random(17)
    edits = [lambda t: t.replace("UT Austin", "UT-Austin"),
             lambda t: t.replace("https://example.org/shared", "https://example.org/c3/papers"),
             lambda t: t + paper("Paper 2-3: On Things", "https://example.org/x"),
             lambda t: t.replace("# CONF", "# Not a venue page\n\nx\n\n# CONF", 1),
             lambda t: t.replace("* Shared Paper", "<!-- notes-kit: disable-next-line NK701 -->"
                                 "\n* Shared Paper"),
             lambda t: t.replace("Borrowed", "Lent")]
    lint(tmp_path / "notes")
    spy = Spy(monkeypatch)
    for _ in range(8):
        for path in rng.sample(paths, rng.randint(1, 2)):
            path.write_text(rng.choice(edits)(path.read_text(encoding="utf-8")),
                            encoding="utf-8")
        spy.clear()
        assert full(lint(tmp_path / "notes")) == full(lint(tmp_path / "notes",
                                                            use_cache=False))
        assert spy.parsed == []
    assert full(lint(tmp_path / "notes", jobs=2)) == full(lint(tmp_path / "notes"))


def test_many_changed_pages_build_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         ) -> None:
    paths = folder_of(tmp_path / "notes", pages=40)
    lint(tmp_path / "notes")
    for path in paths[::2]:
        path.write_text(path.read_text(encoding="utf-8") + paper("Again", "https://a.b/c"),
                        encoding="utf-8")
    spy = Spy(monkeypatch)
    assert full(lint(tmp_path / "notes")) == full(lint(tmp_path / "notes", use_cache=False))
    assert spy.builds == 2 and spy.parsed == []  # this run, and the run without the cache


def test_a_damaged_index_is_built_afresh(tmp_path: Path, _private_cache: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    paths = folder_of(tmp_path / "notes")
    lint(tmp_path / "notes")
    [index] = _private_cache.rglob("*.index")
    data = bytearray(index.read_bytes())
    for spot in range(0, len(data) // 2, 97):  # blobs only: the head still checks out
        data[spot] ^= 0x20
    index.write_bytes(bytes(data))
    paths[3].write_text(paths[3].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    spy = Spy(monkeypatch)
    assert full(lint(tmp_path / "notes")) == full(lint(tmp_path / "notes", use_cache=False))
    assert spy.builds == 2 and len(spy.parsed) == len(paths) - 1  # damaged facts: parsed
    spy.clear()
    lint(tmp_path / "notes")
    assert (spy.linted, spy.parsed, spy.builds) == ([], [], 0)


def test_a_run_over_part_of_the_set_uses_the_files_own_entries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = folder_of(tmp_path / "notes")
    lint(tmp_path / "notes")
    spy = Spy(monkeypatch)
    some = [str(paths[1]), str(paths[4])]
    assert full(run_lint(some, Config(), jobs=1).findings) == \
        full(run_lint(some, Config(), jobs=1, use_cache=False).findings)
    assert spy.linted == [paths[1].name, paths[4].name]  # the run without the cache only


def sync(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(["sync", *args], out, err)
    return status, out.getvalue() + err.getvalue()


def test_sync_of_an_unchanged_collection_parses_nothing(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import notes_kit.pages

    paths = folder_of(tmp_path / "notes", pages=4)
    parsed: list[str] = []
    real = notes_kit.pages.parse_markdown

    def counting(text: str, path: str = "<string>") -> Any:
        parsed.append(Path(path).name)
        return real(text, path)

    monkeypatch.setattr(notes_kit.pages, "parse_markdown", counting)
    assert sync(str(tmp_path / "notes"))[0] == 0 and len(parsed) == 4  # writes the twins
    parsed.clear()
    assert sync("--check", str(tmp_path / "notes")) == (0, "4 YAML twins up to date.\n")
    assert parsed == []
    paths[2].write_text(paths[2].read_text(encoding="utf-8") + paper("New", "https://n.ew"),
                        encoding="utf-8")
    assert sync("--check", str(tmp_path / "notes"))[0] == 1 and parsed == [paths[2].name]
    parsed.clear()
    twin = paths[0].with_suffix(".yaml")
    twin.write_text(twin.read_text(encoding="utf-8") + "# by hand\n", encoding="utf-8")
    status, said = sync("--force", str(tmp_path / "notes"))  # a hand edit: only when forced
    assert status == 0 and sorted(parsed) == sorted([paths[0].name, paths[2].name])
    assert said.count("wrote") == 2
    parsed.clear()
    assert sync("--check", str(tmp_path / "notes")) == (0, "4 YAML twins up to date.\n")
    assert parsed == []


def test_a_fix_run_after_a_cached_lint_sees_the_fixed_pages(tmp_path: Path) -> None:
    """A page the index answered but whose findings a fix applies is rewritten: its
    collection facts are those of the new text, exactly as without the cache."""
    import shutil

    paths = folder_of(tmp_path / "notes")
    paths[2].write_text(paths[2].read_text(encoding="utf-8").replace(
        "Borrowed 2", "Paper 5-1: On Things").replace("\n## Papers", "\n\n\n## Papers"),
        encoding="utf-8")  # a duplicate (NK701) and a blank line too many (fixable NK503)
    shutil.copytree(tmp_path / "notes", tmp_path / "plain")
    lint(tmp_path / "notes")
    cached = run_lint([str(tmp_path / "notes")], Config(), fix=True, jobs=1).findings
    plain = run_lint([str(tmp_path / "plain")], Config(), fix=True, jobs=1,
                     use_cache=False).findings
    assert [f.rule for f in cached] == [f.rule for f in plain] and "NK701" in {
        f.rule for f in cached}
    assert [(f.line, f.column, f.message.replace("/plain/", "/notes/")) for f in plain] == \
        [(f.line, f.column, f.message) for f in cached]
    assert full(lint(tmp_path / "notes")) == full(lint(tmp_path / "notes", use_cache=False))
