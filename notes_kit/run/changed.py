"""`--changed-since REF`: keep only the findings in what changed since a git revision.

Each file is compared with its version at REF (`git show REF:path`). The rule:

- a file that did not exist at REF (or was not readable then) keeps all its findings;
- in a conference page, a finding inside a paper entry (its bullet and everything nested
  under it) is kept when that entry is new or edited. Entries are matched by identity,
  the normalised title, and compared as text with their indentation removed, so moving
  a paper to another topic or group is not a change;
- a finding in the page's head (title, front matter and Meta Info: everything before the
  first section after Meta Info) is kept when the head changed (ignoring blank lines);
- any other finding (section and topic headings, acronyms, other Markdown and YAML files)
  is kept when its line is new or edited: its text appears on no line of the old version;
- an NK703 finding (stale YAML twin) is kept when the twin or its page changed.

An unknown REF, or a file outside any git repository, is an InputError (exit 2).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from notes_kit.core.findings import Finding, InputError


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise InputError("git", f"cannot run git ({exc.strerror}); --changed-since needs it") \
            from None


@lru_cache(maxsize=256)
def _toplevel(directory: str) -> str | None:
    done = _git(["rev-parse", "--show-toplevel"], directory)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


@lru_cache(maxsize=64)
def _check_ref(top: str, ref: str) -> None:
    if not ref or ref.startswith("-") or _git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
            top).returncode != 0:
        raise InputError(ref, f"unknown git revision in {top}")


def _repo_of(path: str) -> str:
    directory = os.path.dirname(os.path.abspath(path)) or "."
    top = _toplevel(directory) if os.path.isdir(directory) else None
    if top is None:
        raise InputError(path, "not in a git repository; --changed-since needs one")
    return top


def old_text(path: str, ref: str) -> str | None:
    """The file's text at REF, None when it did not exist there (or cannot be read)."""
    from notes_kit.core.files import read_source

    top = _repo_of(path)
    _check_ref(top, ref)
    rel = Path(os.path.relpath(os.path.realpath(path), os.path.realpath(top))).as_posix()
    done = _git(["show", f"{ref}:{rel}"], top)
    if done.returncode != 0:
        return None
    try:
        return read_source(path, done.stdout)
    except InputError:
        return None


@dataclass
class _Regions:
    """A page cut into paper entries, the head, and the rest."""

    lines: list[str]
    head_end: int = 0  # last line of the head
    entries: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, id, text

    def head(self) -> list[str]:
        return [line for line in self.lines[: self.head_end] if line.strip()]

    def entry_at(self, line: int) -> tuple[str, str] | None:
        for start, end, ident, text in self.entries:
            if start <= line <= end:
                return ident, text
        return None

    def texts(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for _, _, ident, text in self.entries:
            found.setdefault(ident, set()).add(text)
        return found


def regions(text: str, path: str) -> _Regions | None:
    """None when the text is not a conference page."""
    from notes_kit.core.model import Group, Paper, Topic
    from notes_kit.lint.rules.facts import normalise_title
    from notes_kit.pages import parse_page

    try:
        page = parse_page(text, path).page
    except (InputError, RecursionError):
        return None
    lines = text.split("\n")
    result = _Regions(lines, (page.sections[0].line - 1) if page.sections else len(lines))
    anchors: set[int] = {len(lines) + 1}
    papers: list[Paper] = []
    for section in page.sections:
        anchors.add(section.line)
        for topic in section.topics:
            anchors.add(topic.line)
            stack = list(topic.papers) if isinstance(topic, Topic) else []
            while stack:
                item = stack.pop()
                anchors.add(item.line)
                papers.extend([item] if isinstance(item, Paper) else [])
                stack.extend(item.papers if isinstance(item, Group) else [])
    ordered = sorted(anchors)
    for paper in papers:
        end = next(a for a in ordered if a > paper.line) - 1
        while end > paper.line and not lines[end - 1].strip():
            end -= 1
        indent = paper.column - 1
        body = "\n".join(row[indent:] if row[:indent].isspace() else row.lstrip()
                         for row in lines[paper.line - 1 : end])
        result.entries.append((paper.line, end, normalise_title(paper.title), body))
    return result


class _FileDiff:
    def __init__(self, path: str, ref: str) -> None:
        from notes_kit.core.files import read_source

        self.old = old_text(path, ref)
        try:
            self.new: str | None = read_source(path)
        except InputError:
            self.new = None
        self.changed = self.old != self.new
        self.old_lines = {line.strip() for line in (self.old or "").split("\n")}
        self.new_regions = regions(self.new, path) if self.new and self.old else None
        self.old_regions = regions(self.old, path) if self.new_regions and self.old else None
        self.old_entries = self.old_regions.texts() if self.old_regions else {}

    def keeps(self, finding: Finding) -> bool:
        if self.old is None or self.new is None:
            return True
        lines = self.new.split("\n")
        if not 0 < finding.line <= len(lines):
            return self.changed
        new, old = self.new_regions, self.old_regions
        if new is not None and old is not None:
            entry = new.entry_at(finding.line)
            if entry is not None:
                ident, body = entry
                return body not in self.old_entries.get(ident, set())
            if finding.line <= new.head_end:
                return new.head() != old.head()
        return lines[finding.line - 1].strip() not in self.old_lines


def only_changed(findings: list[Finding], ref: str) -> list[Finding]:
    """The findings located in what changed since REF (see the module docstring)."""
    _toplevel.cache_clear()  # repositories may have appeared or moved since the last call
    _check_ref.cache_clear()
    if not findings:
        _check_ref(_repo_of(os.path.join(os.getcwd(), "-")), ref)
    diffs: dict[str, _FileDiff] = {}

    def diff(path: str) -> _FileDiff:
        if path not in diffs:
            diffs[path] = _FileDiff(path, ref)
        return diffs[path]

    kept: list[Finding] = []
    for finding in findings:
        if finding.path.startswith("<") or finding.path == "-":
            kept.append(finding)
        elif finding.rule == "NK703":
            page = str(Path(finding.path).with_suffix(".md"))
            sides = [finding.path] + ([page] if os.path.exists(page) else [])
            if any(diff(p).changed for p in sides):
                kept.append(finding)
        elif diff(finding.path).keeps(finding):
            kept.append(finding)
    return kept
