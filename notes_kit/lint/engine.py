"""The lint engine: run the registered rules over one file's text, apply config and
suppressions, and fix by applying the findings' edits. Pure functions over text; the CLI
does the I/O.

A fix is data: every fixable finding carries edits. `fix` applies the edits of the
findings that `lint` reports (selected, not suppressed), re-lints and repeats until none
is left, and checks before returning that the page still holds the same content. With
every safe rule selected the result is the page re-rendered from the model: the
canonical form, as `to-md(to-yaml(P))` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Edit, Finding, FixKind, InputError
from notes_kit.lint.config import Config

if TYPE_CHECKING:
    from notes_kit.lint.rules.context import Context

YAML_SUFFIXES = (".yaml", ".yml")
MAX_PASSES = 12  # fix rounds; each applies every edit that does not overlap another


def is_yaml(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES)


class FixRefused(InputError):
    """The fixed text would not hold the page's content: nothing is written."""


def make_context(text: str, path: str, config: Config) -> Context:
    """What the rules see; `parsed` is None for Markdown that is not a conference page."""
    from notes_kit.lint.rules.context import Context

    if is_yaml(path):
        from notes_kit.knowledge.registry_files import check_registry, is_registry

        if is_registry(path, text, config):  # a registry, not a notes page: no rule applies
            check_registry(path, text)
            return Context(path, text, config, kind="registry")
        return Context(path, text, config, kind="yaml")
    from notes_kit.format.markdown.parse import NotConferencePage
    from notes_kit.pages import parse_page

    try:
        parsed = parse_page(text, path)
    except NotConferencePage:
        parsed = None
    return Context(path, text, config, parsed=parsed)


def lint(text: str, path: str = "<string>", config: Config | None = None) -> list[Finding]:
    """Every enabled finding of one file, sorted; InputError for unreadable input."""
    return lint_context(text, path, config)[0]


def lint_context(text: str, path: str = "<string>",
                 config: Config | None = None) -> tuple[list[Finding], Context]:
    """lint(), and the context the rules saw (its parsed page feeds the collection rules)."""
    from notes_kit.lint.suppress import apply, parse_suppressions

    config = config or Config()
    ctx = make_context(text, path, config)
    found, ran = _run_rules(ctx)
    if ctx.parsed is not None and config.enabled("NK503", path):
        found.extend(layout_findings(ctx, found))
    suppressions, malformed = parse_suppressions(text, path, "yaml" if ctx.kind == "yaml"
                                                 else "markdown")
    selected = [f for f in found if config.enabled(f.rule, path)]
    kept = apply(selected, suppressions, active=lambda rule_id: rule_id in ran)
    kept.extend(malformed)
    ends: dict[int, int] = {}  # line -> where its text ends, measured once a line
    reported = sorted(with_span(f, ctx.lines, ends) for f in kept
                      if config.enabled(f.rule, path))
    ctx.withheld = sum(f.fix is FixKind.SAFE for f in found) - \
        sum(f.fix is FixKind.SAFE for f in reported)  # safe fixes deselected or suppressed
    return reported, ctx


def with_span(finding: Finding, lines: list[str], ends: dict[int, int] | None = None
              ) -> Finding:
    """The finding with the extent of what it is about, where its rule gave only a start:
    its fix's text on that line, else the rest of the line (editors and code scanning
    highlight it; the text output underlines it)."""
    if finding.end_column or not 0 < finding.line <= len(lines):
        return finding
    from dataclasses import replace

    first = finding.edits[0] if finding.edits else None
    if first is not None and first.line == first.end_line == finding.line \
            and first.end_column > finding.column:
        return replace(finding, end_line=finding.line, end_column=first.end_column)
    ends = {} if ends is None else ends
    if finding.line not in ends:
        ends[finding.line] = len(lines[finding.line - 1].rstrip()) + 1
    end = ends[finding.line]
    if end <= finding.column and finding.line < len(lines):  # a blank line: the line itself
        return replace(finding, end_line=finding.line + 1, end_column=1)
    return replace(finding, end_line=finding.line, end_column=max(end, finding.column))


def _run_rules(ctx: Context) -> tuple[list[Finding], set[str]]:
    """The findings of every rule that applies, and the ids of the selected ones that ran.

    A rule with safe fixes runs even when it is not selected: its findings are never
    reported then, but the layout check must not claim what they would change.
    """
    from notes_kit.lint.rules.registry import all_rules

    ran: set[str] = set()
    found: list[Finding] = []
    for rule in all_rules().values():
        if rule.check is None or not _applies(rule.scope, ctx):
            continue
        if ctx.config.enabled(rule.id, ctx.path):
            ran.add(rule.id)
        elif rule.fix is not FixKind.SAFE:
            continue
        found.extend(rule.check(ctx))
    return found, ran


def layout_findings(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """NK503 for what re-rendering would change that no fixable finding covers (blank lines,
    indentation, bullet markers), so `fix(P) == P` exactly when nothing fixable is reported.
    Each carries the hunk of the canonical form as its edit."""
    from notes_kit.format.markdown.render import render_page

    assert ctx.parsed is not None
    canonical = render_page(ctx.parsed.page, ctx.config.link_style)
    if canonical == ctx.text:
        return []
    import difflib

    source, target = ctx.text.splitlines(True), canonical.splitlines(True)
    recorded = [*findings, *ctx.parsed.findings]  # parser variants count even when unselected
    covered = covered_lines(recorded) | _text_fixed_lines(ctx)
    extra: list[Finding] = []
    matcher = difflib.SequenceMatcher(None, source, target)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lines = set(range(max(i1 - 1, 1), i2 + 3))  # the hunk and the lines around it
        if lines & covered:
            continue
        removed, added = source[i1:i2], target[j1:j2]
        if removed and not any(s.strip() for s in removed) and not added:
            what = "blank line inside a list or block: the canonical form has none here"
        elif added and not any(s.strip() for s in added) and not removed:
            what = "missing blank line between blocks"
        else:
            what = "layout differs from the canonical form (indentation or bullet markers)"
        edit = Edit(i1 + 1, 1, i2 + 1, 1, "".join(added))
        extra.append(ctx.finding("NK503", min(i1 + 1, len(source)), 1, what, edits=(edit,)))
        covered |= lines
    return extra


def covered_lines(findings: list[Finding]) -> set[int]:
    """The lines a safe fix speaks for: its finding's own and every line its edits span (a
    move spans from where a block is to where it goes)."""
    covered: set[int] = set()
    for finding in findings:
        if finding.fix is not FixKind.SAFE:  # rendering never applies an unsafe fix
            continue
        first = min([finding.line, *(e.line for e in finding.edits)])
        last = max([finding.end[0], *(e.end_line for e in finding.edits)])
        covered.update(range(first, last + 1))
    return covered


def _text_fixed_lines(ctx: Context) -> set[int]:
    """1-based lines the line-level fixer changes (NK502/NK503 report those themselves);
    code and front matter it leaves alone."""
    from notes_kit.format.markdown.regions import CODE, FRONT
    from notes_kit.format.markdown.textfix import fix_line

    lines = ctx.lines
    kept = {i + 1 for i, kind in enumerate(ctx.kinds) if kind in (CODE, FRONT)}
    changed = {n for n, line in enumerate(lines, 1) if n not in kept and fix_line(line) != line}
    changed |= {n for n in range(2, len(lines) + 1) if n not in kept and n - 1 not in kept
                and not lines[n - 1].strip() and not lines[n - 2].strip()}
    return changed


def _applies(scope: str, ctx: Context) -> bool:
    if scope == "yaml":
        return ctx.kind == "yaml"
    if scope == "text":
        return ctx.kind == "markdown"
    if scope == "conference":
        return ctx.kind == "markdown" and ctx.parsed is not None
    return False  # collection rules run over several files, in runner.py


@dataclass
class FixResult:
    """What fix() did: the new text, the findings it fixed and those left."""

    text: str
    changes: list[Finding] = field(default_factory=list)  # the findings whose fix was applied
    remaining: list[Finding] = field(default_factory=list)
    described: list[str] = field(default_factory=list)  # what each change did, in order


def fix(text: str, path: str = "<string>", config: Config | None = None, *,
        unsafe: bool = False) -> FixResult:
    """Apply the edits of the reported fixable findings (safe ones, and unsafe ones on
    request), pass after pass, until none is left. FixRefused when the result would not
    hold the same content (nothing should ever get there: it is the last line of defence)."""
    from notes_kit.core.edits import apply_edits, compatible

    config = config or Config()
    wanted = {FixKind.SAFE, FixKind.UNSAFE} if unsafe else {FixKind.SAFE}
    applied: list[Finding] = []
    described: list[str] = []
    current = text
    findings, ctx = lint_context(current, path, config)
    for _ in range(MAX_PASSES):
        chosen, _ = compatible(current, [f for f in findings if f.fix in wanted and f.edits])
        if not chosen:
            break
        new = apply_edits(current, [edit for f in chosen for edit in f.edits])
        if new == current:
            break
        page = ctx.parsed.page if ctx.parsed is not None else None
        try:
            _guard(current, new, [f for f in chosen if f.fix is FixKind.UNSAFE], path, page)
        except FixRefused:
            chosen, new = _recover(current, chosen, path, ctx)
            if new == current:
                break
        lines = current.split("\n")
        described.extend(describe(f, lines) for f in chosen)
        applied.extend(chosen)
        current = new
        findings, ctx = lint_context(current, path, config)
    return FixResult(current, applied, findings, described)


def describe(finding: Finding, lines: list[str]) -> str:
    """`'Arxiv' -> 'arXiv'` for a fix that replaces text within one line, else the message;
    `lines` are the text the fix applies to."""
    if len(finding.edits) == 1:
        edit = finding.edits[0]
        row = lines[edit.line - 1] if 0 < edit.line <= len(lines) else ""
        before = row[edit.column - 1 : edit.end_column - 1]
        if edit.line == edit.end_line and before.strip() and "\n" not in edit.text \
                and len(before) + len(edit.text) <= 60:  # longer ones read better as a message
            return f"'{before}' -> '{edit.text}'"
    return finding.message


def _recover(current: str, chosen: list[Finding], path: str, ctx: Context
             ) -> tuple[list[Finding], str]:
    """A pass whose edits together would change the page's content: keep the findings whose
    edits hold the content on their own. When one does not (an edit too local for what
    rendering moves) and no safe fix is withheld from this run, the page re-rendered from
    the model is what every safe fix gives: that is the pass. Else the rest waits."""
    from notes_kit.core.edits import apply_edits

    good = []
    for finding in chosen:
        try:
            _guard(current, apply_edits(current, list(finding.edits)),
                   [finding] if finding.fix is FixKind.UNSAFE else [], path,
                   ctx.parsed.page if ctx.parsed is not None and
                   finding.fix is not FixKind.UNSAFE else None)
            good.append(finding)
        except FixRefused:
            continue
    if len(good) < len(chosen) and not ctx.withheld and ctx.parsed is not None \
            and all(f.fix is FixKind.SAFE for f in chosen):
        from notes_kit.format.markdown.render import render_page

        canonical = render_page(ctx.parsed.page, ctx.config.link_style)
        _guard(current, canonical, [], path, ctx.parsed.page)
        return chosen, canonical
    if not good:
        return [], current
    new = apply_edits(current, [edit for f in good for edit in f.edits])
    unsafe = [f for f in good if f.fix is FixKind.UNSAFE]
    try:
        _guard(current, new, unsafe, path, None if unsafe or ctx.parsed is None
               else ctx.parsed.page)
    except FixRefused:  # each holds on its own, not together: one now, the rest next pass
        return good[:1], apply_edits(current, list(good[0].edits))
    return good, new


def _guard(before: str, after: str, unsafe: list[Finding], path: str, page: Any) -> None:
    """mdformat's promise: the fixed page holds what the page held (the same model), apart
    from the words the unsafe fixes changed on purpose."""
    from notes_kit.core.edits import apply_edits

    if is_yaml(path):
        return
    if unsafe:
        before = apply_edits(before, [edit for f in unsafe for edit in f.edits])
        page = None
    expected = page if page is not None else content_of(before, path)
    try:
        same = content_of(after, path) == expected
    except InputError:
        same = False
    if not same:
        raise FixRefused(path, "fix refused: the fixed page would not hold the same content "
                         "(please report this notes-kit bug); nothing written")


def content_of(text: str, path: str) -> Any:
    """What a page means, for the guard: a conference page's model (positions aside), or the
    text of another page as the line-level fixer leaves it."""
    from notes_kit.format.markdown.parse import NotConferencePage
    from notes_kit.pages import parse_page

    try:
        return parse_page(text, path).page
    except NotConferencePage:
        from notes_kit.format.markdown.textfix import fix_lines

        return ("text", fix_lines(text))


__all__ = ["lint", "fix", "FixResult", "FixRefused", "InputError"]
