"""The work on one file: read, lint (or fix), and what it found; the same in a worker
process of the pool, in the runner's own process and for an editor's buffer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notes_kit.core.findings import Finding, InputError
from notes_kit.lint.config import Config

if TYPE_CHECKING:
    from notes_kit.core.files import Fingerprint
    from notes_kit.lint.rules.facts import PageFacts


@dataclass
class FileOutcome:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    fixed: str | None = None  # new text when a fix changed the file
    original: str | None = None
    applied: list[tuple[Finding, str]] = field(default_factory=list)  # and what it changed
    digest: str | None = None  # sha256 of the bytes linted, when the result cache read them
    facts: PageFacts | None = None  # what the collection rules need of a conference page
    facts_known: bool = False  # facts were asked for and None means "not a conference page"
    read_as: Fingerprint | None = None  # the file when it was read: a fix writes only over that


def process_file(path: str, config: Config, fix: bool, unsafe: bool,
                 data: bytes | None = None, collect: str = "") -> FileOutcome:
    """Lint (and fix in memory) one file; never raises for bad input.

    `data`, when given, is the file's content already read (by the cache).
    """
    from notes_kit.core.files import read_bytes, read_source
    from notes_kit.lint.engine import fix as fix_text
    from notes_kit.lint.engine import lint_context

    outcome = FileOutcome(path)
    try:
        if data is None:
            data = read_bytes(path)
        text = read_source(path, data)
        endings = line_end_findings(path, data, config)
        if fix:
            result = fix_text(text, path, config, unsafe=unsafe)
            outcome.findings = result.remaining
            if result.text != text or endings:
                # NK503 not selected: what is written keeps the file's line ends and BOM
                from notes_kit.core.files import fingerprint

                written = result.text if endings else keep_line_ends(result.text, data)
                outcome.fixed, outcome.original = written, text
                outcome.read_as = fingerprint(path, data)
                outcome.applied = sorted([*((f, f.message) for f in endings),
                                          *zip(result.changes, result.described, strict=True)])
        else:
            outcome.findings, ctx = lint_context(text, path, config)
            outcome.findings = sorted([*endings, *outcome.findings])
            if collect and ctx.parsed is not None:
                from notes_kit.lint.rules.facts import page_facts

                outcome.facts = page_facts(path, text, ctx.parsed.page,
                                           twin=collect == "collection")
            outcome.facts_known = bool(collect)
    except InputError as exc:
        outcome.error = str(exc)
        outcome.facts_known = bool(collect)  # unreadable here, unreadable to the collection too
    except RecursionError:
        outcome.error = f"{path}: input nested too deeply"
        outcome.facts_known = bool(collect)
    return outcome


def line_end_findings(path: str, data: bytes, config: Config) -> list[Finding]:
    """NK503 for what reading normalises away (CRLF or CR line ends, a byte order mark), so
    `fix` writes the file back with LF line ends and no BOM."""
    from notes_kit.core.findings import FixKind, Severity

    if not config.enabled("NK503", path):
        return []
    found = []
    if data.startswith(b"\xef\xbb\xbf"):
        found.append("a UTF-8 byte order mark; notes are plain UTF-8")
    if b"\r\n" in data:
        found.append("CRLF line ends; notes use LF")
    elif b"\r" in data:
        found.append("CR line ends; notes use LF")
    return [Finding(path, 1, 1, "NK503", message, Severity.ERROR, fix=FixKind.SAFE)
            for message in found]


def keep_line_ends(text: str, data: bytes) -> str:
    """`text` (LF line ends) written back with the CRLF or CR line ends and the byte order
    mark of the file it was read from."""
    if b"\r\n" in data:
        text = text.replace("\n", "\r\n")
    elif b"\r" in data:
        text = text.replace("\n", "\r")
    return "\ufeff" + text if data.startswith(b"\xef\xbb\xbf") else text


def buffer_findings(data: bytes, path: str, config: Config) -> list[Finding]:
    """Every finding of one file's bytes read as `path`: its own rules and the collection
    rules one page alone can break (a paper or URL listed twice in it). Nothing is read
    from disk (the language server lints the editor's buffer with it). InputError for text
    that cannot be read."""
    from notes_kit.core.files import read_source
    from notes_kit.lint.engine import lint_context
    from notes_kit.lint.rules.collection import collection_findings

    text = read_source(path, data)
    findings, ctx = lint_context(text, path, config)
    found = [*line_end_findings(path, data, config), *findings]
    if ctx.parsed is not None:
        from notes_kit.lint.rules.facts import page_facts

        facts = page_facts(path, text, ctx.parsed.page, twin=False)
        found += [f for f in collection_findings([path], config, {path: facts}, twins=False)
                  if config.enabled(f.rule, path)]
    return sorted(found)
