"""Where lint time goes, measured in one process: parse, model, per-file rules, collection rules.

The floor is mistletoe's full parse (block and inline) of each file. Our
parse_page runs only mistletoe's block pass (inline source is kept verbatim)
and builds the model; lint adds the per-file rules; for a run over several
files it also extracts each conference page's collection facts from the parsed
page, and the collection rules then compare those facts (no page is parsed
again). to-yaml converts each parsed page (as sync does for a twin it finds in
sync: no schema check). Each stage is the best of a few rounds, the stages
taking turns, so load from other processes disturbs them alike.

    python benchmarks/breakdown.py [--runs 5] FOLDER   (prints the stages as JSON)
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def _forget() -> None:
    """Drop what the spelling check remembers of earlier files, so no round sees them twice."""
    from notes_kit.knowledge import spelling as typos

    typos.prose_mask.cache_clear()
    typos.load_dictionary().forget()


def _rounds(steps: Sequence[Callable[[], object]], runs: int) -> list[float]:
    """Each step's best time over `runs` rounds, the steps taking turns (fair under load)."""
    best = [float("inf")] * len(steps)
    for _ in range(runs):
        for index, step in enumerate(steps):
            _forget()
            start = time.perf_counter()
            step()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def breakdown(files: Sequence[Path], runs: int = 3) -> dict[str, float]:
    """Seconds per stage for these files (the parser and rules already imported and warm)."""
    from mistletoe.block_token import Document
    from mistletoe.markdown_renderer import MarkdownRenderer

    from notes_kit.core.files import read_source
    from notes_kit.core.findings import InputError
    from notes_kit.format.markdown.parse import parse_page
    from notes_kit.lint.config import Config
    from notes_kit.lint.engine import lint
    from notes_kit.lint.rules.collection import collection_findings
    from notes_kit.lint.rules.facts import PageFacts, page_facts
    from notes_kit.pages import page_to_yaml

    config = Config()
    pages = [(str(f), read_source(str(f))) for f in files]
    lint(pages[0][1], pages[0][0], config)  # imports, registries, dictionary
    parsed_pages = []
    for path, text in pages:
        try:
            parsed_pages.append((path, text, parse_page(text, path).page))
        except InputError:
            pass
    known: dict[str, PageFacts | None] = {path: None for path, _ in pages}

    def parse() -> None:
        for _, text in pages:
            with MarkdownRenderer():
                Document(text)

    def model() -> None:
        for path, text in pages:
            try:
                parse_page(text, path)
            except InputError:
                pass  # not a conference page: lint still runs the text rules

    def rules() -> None:
        for path, text in pages:
            lint(text, path, config)

    def facts() -> None:
        for path, text, page in parsed_pages:
            known[path] = page_facts(path, text, page)

    def collection() -> None:
        collection_findings([path for path, _ in pages], config, known)

    def to_yaml() -> None:
        for path, _, page in parsed_pages:
            page_to_yaml(page, path[:-3] + ".yaml", check=False)

    steps = (parse, model, rules, facts, collection, to_yaml)
    parsed, modelled, linted, extracted, collected, dumped = _rounds(steps, runs)
    return {"mistletoe parse": parsed,
            "our parse_page (mistletoe's block pass + the model)": modelled,
            "per-file rules (lint minus parse_page)": linted - modelled,
            "collection facts of each parsed page": extracted,
            "collection rules over the facts": collected,
            f"to-yaml of each parsed page ({len(parsed_pages)} conference pages: the model "
            "to data, then ruamel.yaml's emitter)": dumped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(breakdown(sorted(args.folder.rglob("*.md")), args.runs)))


if __name__ == "__main__":
    main()
