"""A paper written as a page's YAML front matter (Jekyll and Hugo publication lists:
`title`, `authors`, `venue`, `date`, `pdf`, `code`, `award`, ...), read with the
project's safe YAML loader."""

from __future__ import annotations

from typing import Any

from notes_kit.core.model import Note
from notes_kit.importers.common import (
    ImportedPaper,
    add_link,
    award_tag,
    label_from_url,
    label_word,
    one_line,
    split_names,
)

SITE_KEYS = {"layout", "permalink", "draft", "weight", "slug", "toc", "classes", "sidebar"}


def front_data(front: str, path: str) -> dict[str, Any] | None:
    """The front matter as plain data, None when it is not a mapping or not YAML."""
    from notes_kit.core.findings import InputError
    from notes_kit.format.yaml import io as yaml_io

    try:
        inner = "\n".join(front.split("\n")[1:-2])  # between the `---` lines
        data = yaml_io.plain(yaml_io.load(inner or "{}", path))
    except InputError:
        return None
    return data if isinstance(data, dict) else None


def is_record(data: dict[str, Any]) -> bool:
    """A paper's own page: a title and something only a paper has."""
    return isinstance(data.get("title"), str) and any(
        key in data for key in ("authors", "author", "pdf", "doi", "paper", "code"))


def record(data: dict[str, Any], line: int) -> ImportedPaper:
    paper = ImportedPaper(one_line(str(data["title"])), line)
    for key, value in data.items():
        key_name = str(key).casefold()
        if key_name in ("title", "venue", "year") or key_name in SITE_KEYS:
            continue
        if key_name in ("authors", "author"):
            paper.authors = _names(value)
        elif key_name in ("award", "awards"):
            for item in value if isinstance(value, list) else [value]:
                text = one_line(str(item))
                paper.tags.append(award_tag(text) or f"**{text}**")
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            add_link(paper, label_word(key_name) or label_from_url(value), value)
        elif key_name == "doi" and isinstance(value, str):
            add_link(paper, "Paper", f"https://doi.org/{value}")
        elif isinstance(value, (str, int, float)) and str(value).strip():
            paper.notes.append(Note(f"{str(key).capitalize()}: {one_line(str(value))}"))
    return paper


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_names(value)
    names: list[str] = []
    for item in value if isinstance(value, list) else []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(one_line(name))
    return names
