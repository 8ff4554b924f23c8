"""Counts per rule: `--statistics` (text or JSON) and `--format summary`, the Markdown a CI
job writes to `$GITHUB_STEP_SUMMARY`. GitHub shows at most 10 error and 10 warning
annotations per step, so the summary carries the full count.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import Finding, FixKind, Severity

if TYPE_CHECKING:
    from notes_kit.lint.rules.registry import Rule

SUMMARY_LISTED = 200  # findings listed under the table; the table counts them all


@dataclass
class RuleCount:
    rule: str
    name: str
    errors: int = 0
    warnings: int = 0
    safe: int = 0  # findings with a safe fix
    unsafe: int = 0  # ... with an unsafe fix

    @property
    def count(self) -> int:
        return self.errors + self.warnings

    @property
    def marker(self) -> str:
        """ruff's: `[*]` has fixes `fix` applies, `[-]` only --unsafe-fixes ones."""
        return "[*]" if self.safe else "[-]" if self.unsafe else "[ ]"


def count_rules(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[RuleCount]:
    """One row per rule with findings, the most frequent first."""
    rows: dict[str, RuleCount] = {}
    for finding in findings:
        rule = rules.get(finding.rule)
        row = rows.setdefault(finding.rule, RuleCount(finding.rule, rule.name if rule else ""))
        if finding.severity is Severity.ERROR:
            row.errors += 1
        else:
            row.warnings += 1
        row.safe += finding.fix is FixKind.SAFE
        row.unsafe += finding.fix is FixKind.UNSAFE
    return sorted(rows.values(), key=lambda r: (-r.count, r.rule))


def render_statistics_text(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                           color: bool = False) -> str:
    from notes_kit.cli.reporters_text import summary_line

    rows = count_rules(findings, rules)
    width = max((len(str(r.count)) for r in rows), default=1)
    lines = [f"{r.count:>{width}}\t{r.rule}\t{r.marker} {r.name}".rstrip() for r in rows]
    lines.append(summary_line(findings))
    return "".join(line + "\n" for line in lines)


def render_statistics_json(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                           color: bool = False) -> str:
    rows = [{"code": r.rule, "name": r.name, "count": r.count, "errors": r.errors,
             "warnings": r.warnings, "fixable": r.safe, "unsafe_fixable": r.unsafe}
            for r in count_rules(findings, rules)]
    return json.dumps(rows, indent=2) + "\n"


def _escape(text: str) -> str:
    """Markdown/HTML-safe text for the summary (messages quote page text)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "&#124;").replace("`", "&#96;").replace("\n", " "))


def render_summary(findings: Sequence[Finding], rules: Mapping[str, Rule], *,
                   color: bool = False) -> str:
    """`## notes-kit`, the totals, a table of findings per rule, then the findings."""
    from notes_kit.cli.reporters_text import summary_line
    from notes_kit.lint.rules.docs import rule_url

    out = ["## notes-kit", "", summary_line(findings).replace("--unsafe-fixes",
                                                              "`--unsafe-fixes`")]
    if not findings:
        return "\n".join(out) + "\n"
    files = len({f.path for f in findings})
    out[-1] = out[-1].rstrip(".") + f" in {files} file{'s' if files != 1 else ''}."
    out += ["", "| Rule | Name | Errors | Warnings | Fixable |", "|---|---|---:|---:|---|"]
    for row in count_rules(findings, rules):
        rule = rules.get(row.rule)
        ident = f"[{row.rule}]({rule_url(rule.id, rule.name)})" if rule else row.rule
        fixes = ", ".join(part for part in (f"{row.safe} safe" if row.safe else "",
                                            f"{row.unsafe} unsafe" if row.unsafe else "")
                          if part) or "-"
        out.append(f"| {ident} | {row.name} | {row.errors} | {row.warnings} | {fixes} |")
    shown = findings[:SUMMARY_LISTED]
    out += ["", f"<details><summary>The findings ({len(findings)})</summary>", ""]
    out += [f"- <code>{_escape(f.path)}:{f.line}:{f.column}</code> {f.rule} "
            f"{_escape(f.message)}" for f in shown]
    if len(findings) > len(shown):
        out.append(f"- ... and {len(findings) - len(shown)} more")
    out += ["", "</details>"]
    return "\n".join(out) + "\n"


def statistics_reporter(fmt: str) -> Any:
    """The reporter `--statistics` uses with `--format fmt`; None when it has none."""
    return {"text": render_statistics_text, "json": render_statistics_json,
            "summary": render_summary}.get(fmt)
