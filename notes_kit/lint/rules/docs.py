"""Rule documentation: `notes-kit explain` and docs/rules.md come from the registry."""

from __future__ import annotations

from notes_kit.lint.rules.registry import Rule

PROJECT_URL = "https://github.com/notes-kit/notes-kit"  # as pyproject.toml's [project.urls]
RULES_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


def rule_url(rule_id: str, name: str) -> str:
    """The rule's section of docs/rules.md (GitHub's anchor for `## NK204 name`)."""
    return f"{RULES_URL}#{rule_id.lower()}-{name}"


FIX_WORDS = {"safe": "safe fix (applied by `notes-kit fix`)",
             "unsafe": "unsafe fix (applied only with `--unsafe-fixes`)",
             "none": "not fixable"}


def explain(rule: Rule) -> str:
    lines = [
        f"{rule.id} ({rule.name})",
        "",
        rule.summary + ".",
        "",
        f"Severity: {rule.severity.value}. Applies to: {_scope(rule.scope)}.",
        f"Fix: {FIX_WORDS[rule.fix.value]}. {rule.fix_why}",
        "",
        "Bad:",
        *("    " + line for line in rule.bad.split("\n")),
        "",
        "Good:",
        *("    " + line for line in rule.good.split("\n")),
        "",
    ]
    return "\n".join(lines)


def _scope(scope: str) -> str:
    return {"conference": "conference pages", "text": "every Markdown page",
            "yaml": "YAML pages", "collection": "several pages linted together",
            "online": "conference pages, online (`notes-kit links`, `lint --check-links`)"}[scope]


def rules_markdown(rules: dict[str, Rule]) -> str:
    """The whole of docs/rules.md."""
    out = ["# notes-kit rules", "",
           "Generated from the rule registry by `python -m notes_kit.lint.rules.docs`; a test "
           "keeps "
           "it in sync.", "", "| id | name | severity | fix | summary |", "|---|---|---|---|---|"]
    for rule in rules.values():
        out.append(f"| {rule.id} | {rule.name} | {rule.severity.value} | {rule.fix.value} | "
                   f"{rule.summary} |")
    for rule in rules.values():
        out += ["", f"## {rule.id} {rule.name}", "", rule.summary + ".", "",
                f"- Severity: {rule.severity.value}; applies to {_scope(rule.scope)}",
                f"- Fix: {FIX_WORDS[rule.fix.value]}. {rule.fix_why}", "", "Bad:", "",
                "```markdown", rule.bad, "```", "", "Good:", "", "```markdown", rule.good,
                "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    from notes_kit.lint.rules.registry import all_rules

    print(rules_markdown(all_rules()), end="")
