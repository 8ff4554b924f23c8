"""The real corpus (../shared/corpus/awesome-papers, never copied into the repo) as a
smoke test: every conference page converts to schema-valid YAML, converting back is a
fixed point, and no URL or word is lost. Other pages are refused cleanly.

Run with -s to see how many pages convert and how many come back byte-identical.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest

from notes_kit.core.files import read_source
from notes_kit.core.findings import InputError
from notes_kit.format.yaml.data import data_to_page
from notes_kit.pages import load_yaml_data, to_markdown, to_yaml

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "awesome-papers"
CONFERENCES = CORPUS / "reading-notes" / "conference"
SCHEMA = Path(__file__).resolve().parents[1] / "notes_kit" / "data" / "notes.schema.json"

pytestmark = pytest.mark.skipif(not CONFERENCES.is_dir(), reason="corpus not available")


def _conference_pages() -> list[Path]:
    if not CONFERENCES.is_dir():
        return []
    top = [p for p in sorted(CONFERENCES.glob("*.md")) if p.name != "README.md"]
    return top + sorted(CONFERENCES.glob("*/README.md"))


def _other_pages() -> list[Path]:
    if not CONFERENCES.is_dir():
        return []
    notes = [p for p in sorted(CONFERENCES.glob("*/*.md")) if p.name != "README.md"]
    return [CORPUS / "README.md", CONFERENCES / "README.md", *notes,
            *sorted((CORPUS / "paper-list").rglob("*.md"))]


PAGES = _conference_pages()
OTHERS = _other_pages()
URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
WORD = re.compile(r"[^\W_]+")
# The only text conversion may drop: GitBook's `&#x20;` and empty anchors in headings.
ARTIFACTS = [re.compile(r"&#x20;"),
             re.compile(r"(?m)(^#{1,6} .*?)\s*<a\s+[^<>]*\bid=[^<>]*>\s*</a>")]


def _name(path: Path) -> str:
    return str(path.relative_to(CONFERENCES))


@cache
def _convert(path: Path) -> tuple[str, str, Any, str]:
    """(source, YAML, the YAML's data, Markdown back) of one page, computed once per run."""
    text = read_source(str(path))
    yaml_text = to_yaml(text, str(path))
    data = load_yaml_data(yaml_text, str(path))  # loaded safely, as `to-md` does
    return text, yaml_text, data, to_markdown(data_to_page(data))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _without_artifacts(text: str) -> str:
    text = ARTIFACTS[0].sub(" ", text)
    return ARTIFACTS[1].sub(r"\1", text)


def test_corpus_has_the_conference_pages() -> None:
    assert len(PAGES) >= 70


@pytest.mark.parametrize("path", PAGES, ids=[_name(p) for p in PAGES])
def test_conference_page_converts_losslessly(path: Path) -> None:
    text, yaml_text, data, markdown = _convert(path)
    assert [e.message for e in _validator().iter_errors(data)] == []
    # converting back is a fixed point
    assert to_yaml(markdown, str(path)) == yaml_text
    # no content lost: every URL and every word of the input is still there
    kept = _without_artifacts(text)
    lost_urls = sorted({u for u in URL.findall(kept) if u not in markdown})
    assert lost_urls == []
    words_out = {w.casefold() for w in WORD.findall(markdown)}
    lost_words = sorted({w.casefold() for w in WORD.findall(kept)} - words_out)
    assert lost_words == []


def test_corpus_numbers() -> None:
    converted = identical = fixed_equal = 0
    failed: list[str] = []
    for path in PAGES:
        try:
            text, _, _, markdown = _convert(path)
        except InputError as exc:
            failed.append(f"{_name(path)}: {exc}")
            continue
        converted += 1
        identical += markdown == text
        fixed_equal += markdown == _fixed(text, path)
    print(f"\ncorpus: {len(PAGES)} conference pages, {converted} convert, "
          f"{identical} byte-identical (to-md(to-yaml(P)) == P), "
          f"{fixed_equal} equal to fix(P)")
    assert failed == []
    assert fixed_equal == converted  # the law: to-md(to-yaml(P)) == fix(P)


def _fixed(text: str, path: Path) -> str:
    from notes_kit.lint.engine import fix

    return fix(text, str(path)).text


@pytest.mark.parametrize("path", OTHERS, ids=[str(p.relative_to(CORPUS)) for p in OTHERS])
def test_other_pages_are_refused(path: Path) -> None:
    with pytest.raises(InputError, match="not a conference page"):
        to_yaml(read_source(str(path)), str(path))


REFUSED = ["README.md", "reading-notes/conference/README.md",
           "reading-notes/conference/asplos-2017/neurosurgeon.md", "paper-list/gpu-sharing.md"]


def test_cli_refuses_other_pages_in_one_line(cli: Any, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def convert(index: int) -> tuple[Path, Path, Any]:
        path, out = CORPUS / REFUSED[index], tmp_path / f"out-{index}.yaml"
        return path, out, cli("to-yaml", str(path), "-o", str(out))

    with ThreadPoolExecutor(len(REFUSED)) as pool:
        runs = list(pool.map(convert, range(len(REFUSED))))
    for path, out, run in runs:
        assert run.returncode == 2
        lines = run.stderr.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"notes-kit: {path}:")
        assert "not a conference page" in lines[0]
        assert run.stdout == b"" and not out.exists()
