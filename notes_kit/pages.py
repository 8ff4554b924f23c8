"""The library API: conversion both ways (the CLI, the linter and the tools use it too).

The one place the page format meets the knowledge: parse_page() here is the format's
parser with the venue registry's namer (a page titled by its front matter or path)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from notes_kit.core.findings import InputError
from notes_kit.core.model import Page

if TYPE_CHECKING:
    from notes_kit.format.markdown.parse import Parsed


def parse_page(text: str, path: str = "<string>", *, check_meta: bool = True) -> Parsed:
    """The format's parse_page(), told what the registries know (see the module's doc)."""
    from notes_kit.format.markdown import parse
    from notes_kit.knowledge.venuehint import name_of_page

    return parse.parse_page(text, path, check_meta=check_meta, namer=name_of_page)


def parse_markdown(text: str, path: str = "<string>") -> Page:
    """Markdown text (LF line ends) -> model; InputError for pages that are not conferences."""
    return parse_page(text, path).page


def convertible_page(text: str, path: str = "<string>") -> Page:
    """The model of a page that converts losslessly: InputError when content kept verbatim
    would read differently once written back (an unclosed code fence or HTML block that
    would swallow what follows it), rather than a YAML form that loses it."""
    from notes_kit.format.markdown.render import render_page

    page = parse_markdown(text, path)
    raws = list(raw_blocks(page))
    if raws and parse_page(render_page(page), path).page != page:
        first = next((r for r in raws if _unclosed(r.text)), raws[0])
        raise InputError(path, "cannot convert losslessly: content kept as written here would "
                         "read differently once written back (an unclosed code fence or HTML "
                         "block?)", first.line)
    return page


def raw_blocks(page: Page) -> Any:
    """Every Raw of the model, in document order."""
    from notes_kit.core.model import Group, Note, Raw, Topic

    def walk(items: Any) -> Any:
        for item in items:
            if isinstance(item, Raw):
                yield item
            elif isinstance(item, (Topic, Group)):
                yield from walk(item.papers)
            elif isinstance(item, Note):
                yield from walk(item.children)
            elif hasattr(item, "notes"):
                yield from walk(item.notes)

    yield from page.preamble
    if page.meta is not None:
        yield from page.meta.raw
    for section in page.sections:
        yield from walk(section.topics)
        yield from walk(section.acronyms)
        yield from walk(section.notes)
        yield from section.raw


def _unclosed(text: str) -> bool:
    from notes_kit.format.markdown.textfix import code_lines

    lines = text.split("\n")
    return bool(lines) and len(lines) - 1 in code_lines(lines) or "<!--" in text


def to_markdown(page: Page) -> str:
    from notes_kit.format.markdown.render import render_page

    return render_page(page)


def page_to_yaml(page: Page, out_path: str | None = None, *, check: bool = True) -> str:
    """The page's canonical YAML; InputError if `check` and the schema refuses the data.

    The check guards against writing a YAML page the schema refuses (a page whose
    affiliation line has stray spaces around ' & ' gives one). It runs where YAML is
    written or a twin reported: `to-yaml` (file or stdout) and `new` always, `sync` only
    for a twin it will write or report stale (a twin equal to the conversion was checked
    when it was written, and NK601 checks it on every lint). schema_check answers it in
    well under a millisecond; jsonschema (~90 ms to import, ~2 ms a page, more than the
    conversion) is asked only about data that check does not pass, and words the error.
    """
    from notes_kit.format.yaml import data as convert
    from notes_kit.format.yaml import io as yaml_io

    data = convert.page_to_data(page)
    if check:
        _refuse_invalid(data, out_path)
    return yaml_io.dump(data, out_path)


def check_page(page: Page, out_path: str | None = None) -> None:
    """InputError if the page's YAML form would break the schema: such YAML is never written."""
    from notes_kit.format.yaml import data as convert

    _refuse_invalid(convert.page_to_data(page), out_path)


def _refuse_invalid(data: Any, out_path: str | None) -> None:
    from notes_kit.format.yaml.schema_check import passes

    if passes(data):
        return
    from notes_kit.format.yaml import schema

    problems = schema.validate(data)
    if problems:  # the model produced something the schema refuses: never write it
        where, message = problems[0]
        raise InputError(out_path or "<yaml>", f"cannot write valid YAML: {message}")


def to_yaml(text: str, path: str = "<string>", out_path: str | None = None, *,
            check: bool = True) -> str:
    """Markdown page -> canonical YAML (the safe fixes applied); `check` as in page_to_yaml."""
    return page_to_yaml(convertible_page(text, path), out_path, check=check)


def load_yaml_data(text: str, path: str = "<string>") -> Any:
    """Safely loaded, schema-valid YAML data; InputError with a line otherwise."""
    from notes_kit.format.yaml import io as yaml_io
    from notes_kit.format.yaml import schema

    loaded = yaml_io.load(text, path)
    data = yaml_io.plain(loaded)
    problems = schema.validate(data)
    if problems:
        where, message = problems[0]
        raise InputError(path, f"schema: {message}", yaml_io.line_of(loaded, where))
    return data


def from_yaml(text: str, path: str = "<string>") -> Page:
    from notes_kit.format.yaml.data import data_to_page

    return data_to_page(load_yaml_data(text, path))


def yaml_to_markdown(text: str, path: str = "<string>") -> str:
    return to_markdown(from_yaml(text, path))
