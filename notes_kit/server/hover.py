"""Hover (the explanation of each rule with a finding under the cursor) and completion items
(complete.py decides what fits where; this turns it into LSP items)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from notes_kit.server.analysis import Snapshot
from notes_kit.server.convert import finding_range, position
from notes_kit.server.positions import UTF16, split_lines

if TYPE_CHECKING:
    from notes_kit.lint.config import Configs

_KINDS = {"label": lsp.CompletionItemKind.EnumMember, "venue": lsp.CompletionItemKind.Module,
          "affiliation": lsp.CompletionItemKind.Value}
_DETAIL = {"label": "link label", "venue": "venue (registry)",
           "affiliation": "institution (registry)"}


def _contains(span: lsp.Range, at: lsp.Position) -> bool:
    point = (at.line, at.character)
    return (span.start.line, span.start.character) <= point <= (span.end.line, span.end.character)


def hover_text(snapshot: Snapshot, at: lsp.Position, encoding: str = UTF16) -> str | None:
    """Markdown: for each rule with a finding here, a link to its docs and its explanation."""
    from notes_kit.lint.rules.docs import explain, rule_url
    from notes_kit.lint.rules.registry import all_rules

    lines = split_lines(snapshot.text)
    rules = all_rules()
    shown: list[str] = []
    parts: list[str] = []
    for finding in snapshot.findings:
        rule = rules.get(finding.rule)
        if rule is None or rule.id in shown or not _contains(
                finding_range(finding, lines, encoding), at):
            continue
        shown.append(rule.id)
        parts.append(f"**[{rule.id} {rule.name}]({rule_url(rule.id, rule.name)})**: "
                     f"{finding.message}\n\n```text\n{explain(rule).rstrip()}\n```")
    return "\n\n---\n\n".join(parts) if parts else None


def completion_items(lines: Sequence[str], line: int, column: int, path: str,
                     configs: Configs, encoding: str = UTF16) -> list[lsp.CompletionItem]:
    """The items that fit at 1-based (line, column) of the document `lines`."""
    from notes_kit.core.findings import InputError
    from notes_kit.format.markdown.papers import LABELS
    from notes_kit.server.complete import offer

    try:
        venues, affiliations = _registries(path, configs)
    except InputError:
        venues, affiliations = [], []
    found = offer(lines, line, column, labels=LABELS, venues=venues, affiliations=affiliations)
    if found is None:
        return []
    span = lsp.Range(start=position(lines, line, found.start, encoding),
                     end=position(lines, line, column, encoding))
    return [lsp.CompletionItem(label=item, kind=_KINDS[found.kind], detail=_DETAIL[found.kind],
                               sort_text=f"{index:04d}",
                               text_edit=lsp.TextEdit(range=span, new_text=item))
            for index, item in enumerate(found.items)]


def _registries(path: str, configs: Configs) -> tuple[list[str], list[str]]:
    """Venue display names and canonical institution names, with the config's own files."""
    from notes_kit.knowledge.registries import load_affiliations, load_venues

    config = configs(path)
    venues = load_venues([Path(p) for p in config.extra_venues])
    affiliations = load_affiliations([Path(p) for p in config.extra_affiliations])
    return [v.name for v in venues.values()], sorted(set(affiliations.values()))
