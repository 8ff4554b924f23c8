"""The lint engine: run the registered rules over one file's text, apply config and
suppressions, and compute fixes. Pure functions over text; the CLI does the I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from notes_kit.config import Config
from notes_kit.findings import Finding, FixKind, InputError

if TYPE_CHECKING:
    from notes_kit.rules.context import Context

YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES)


def make_context(text: str, path: str, config: Config) -> Context:
    """What the rules see; `parsed` is None for Markdown that is not a conference page."""
    from notes_kit.rules.context import Context

    if is_yaml(path):
        from notes_kit.registry_files import check_registry, is_registry

        if is_registry(path, text, config):  # a registry, not a notes page: no rule applies
            check_registry(path, text)
            return Context(path, text, config, kind="registry")
        return Context(path, text, config, kind="yaml")
    from notes_kit.parse import NotConferencePage, parse_page

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
    from notes_kit.rules.registry import all_rules
    from notes_kit.suppress import apply, parse_suppressions

    config = config or Config()
    ctx = make_context(text, path, config)
    rules = all_rules()
    ran: set[str] = set()
    findings: list[Finding] = []
    for rule in rules.values():
        if rule.check is None or not _applies(rule.scope, ctx):
            continue
        if not config.enabled(rule.id, path):
            continue
        ran.add(rule.id)
        findings.extend(rule.check(ctx))
    if ctx.parsed is not None and config.enabled("NK503", path):
        findings.extend(layout_findings(ctx, findings))
    suppressions, malformed = parse_suppressions(text, path, "yaml" if ctx.kind == "yaml"
                                                 else "markdown")
    kept = apply(findings, suppressions, active=lambda rule_id: rule_id in ran)
    kept.extend(malformed)
    return sorted(f for f in kept if f.rule in ("NK505", "NK506") or
                  config.enabled(f.rule, path)), ctx


def layout_findings(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """NK503 for what re-rendering would change that no fixable finding covers (blank lines,
    indentation, bullet markers), so `fix(P) == P` exactly when nothing fixable is reported."""
    from notes_kit.render import render_page

    assert ctx.parsed is not None
    canonical = render_page(ctx.parsed.page, ctx.config.link_style)
    if canonical == ctx.text:
        return []
    import difflib

    source, target = ctx.text.split("\n"), canonical.split("\n")
    recorded = [*findings, *ctx.parsed.findings]  # parser variants count even when unselected
    covered = {line for f in recorded if f.fixable for line in range(f.line, f.end[0] + 1)}
    covered |= _text_fixed_lines(source)
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
        extra.append(ctx.finding("NK503", min(i1 + 1, len(source)), 1, what))
        covered |= lines
    return extra


def _text_fixed_lines(lines: list[str]) -> set[int]:
    """1-based lines the line-level fixer changes (NK502/NK503 report those themselves)."""
    from notes_kit.textfix import fix_line

    changed = {n for n, line in enumerate(lines, 1) if fix_line(line) != line}
    changed |= {n for n in range(2, len(lines) + 1)
                if not lines[n - 1].strip() and not lines[n - 2].strip()}
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

    def changed(self, original: str) -> bool:
        return self.text != original


def fix(text: str, path: str = "<string>", config: Config | None = None, *,
        unsafe: bool = False) -> FixResult:
    """Apply every enabled safe fix (and unsafe ones on request), idempotently.

    Conference pages are re-rendered from the model, which is exactly the
    safe fixes; other Markdown pages get the line-level text fixes only.
    """
    from notes_kit.textfix import fix_lines

    config = config or Config()
    findings = lint(text, path, config)
    wanted = {FixKind.SAFE, FixKind.UNSAFE} if unsafe else {FixKind.SAFE}
    applied = [f for f in findings if f.fix in wanted]
    if not applied or is_yaml(path):
        return FixResult(text, [], findings)
    if unsafe:
        text_in = replace_spans(text, [f for f in applied if f.fix is FixKind.UNSAFE])
    else:
        text_in = text
    fixed = fix_lines(text_in)
    ctx = make_context(fixed, path, config)
    if ctx.parsed is not None:
        from notes_kit.render import render_page

        fixed = render_page(ctx.parsed.page, config.link_style)
    remaining = lint(fixed, path, config) if fixed != text else findings
    return FixResult(fixed, applied, remaining)


def replace_spans(text: str, findings: list[Finding]) -> str:
    """Put each finding's single suggestion in place of its line span (unsafe fixes)."""
    lines = text.split("\n")
    spans = sorted({(f.line, f.column, f.end_column, f.suggestions[0]) for f in findings
                    if len(f.suggestions) == 1 and f.end_column > f.column}, reverse=True)
    for line, start, end, new in spans:
        if 0 < line <= len(lines):
            row = lines[line - 1]
            lines[line - 1] = row[: start - 1] + new + row[end - 1 :]
    return "\n".join(lines)


def read_and_lint(path: str, config: Config) -> list[Finding]:
    from notes_kit.files import read_source

    return lint(read_source(path), path, config)


__all__ = ["lint", "fix", "FixResult", "InputError", "read_and_lint"]
