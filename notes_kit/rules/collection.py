"""NK7xx: checks across the pages of a collection (run when several pages are linted)."""

from __future__ import annotations

from notes_kit.config import Config
from notes_kit.findings import Finding, FixKind, Severity
from notes_kit.rules.registry import Rule, register


def collection_findings(files: list[str], config: Config) -> list[Finding]:
    return []


register(Rule(
    "NK701", "duplicate-paper", "The same paper (by normalised title) appears in two pages",
    Severity.WARNING, FixKind.NONE, "Which page should keep the paper is the author's call.",
    "osdi-2024.md and sosp-2024.md both list 'PowerInfer: ...'", "each paper in one page",
    "collection", None))
register(Rule(
    "NK702", "shared-url", "One URL is used for two different papers", Severity.ERROR,
    FixKind.NONE, "Only the author knows which paper the URL belongs to.",
    "two papers linking https://arxiv.org/abs/2401.00001", "each paper with its own URL",
    "collection", None))
register(Rule(
    "NK703", "yaml-twin-sync", "A page and its .yaml twin say the same thing", Severity.ERROR,
    FixKind.NONE, "Run 'notes-kit sync' to rewrite the twin from the page.",
    "sosp-2024.yaml older than sosp-2024.md", "sosp-2024.yaml == to-yaml(sosp-2024.md)",
    "collection", None))
