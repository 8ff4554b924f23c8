"""`notes-kit server` end to end: a real LSP client session over stdio (pytest-lsp) with the
server as a subprocess: open, change, diagnostics, code actions and their edits applied,
hover, completion, config reload, bad input."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from notes_kit.lint.engine import fix

TESTS = Path(__file__).resolve().parent
SEED = TESTS / "fixtures" / "seed" / "sosp-2024.original.md"
CANONICAL = TESTS / "fixtures" / "rules" / "NK101" / "good.md"
REPO = TESTS.parent
# Each test starts its own server; its bytecode goes to a private folder, so only the first
# start compiles pygls and lsprotocol (nothing is written into the checkout).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="nk-pyc-"),
       "NOTES_KIT_CACHE_DIR": tempfile.mkdtemp(prefix="notes-kit-server-cache-")}
COMMAND = [sys.executable, "-m", "notes_kit", "server", "--debounce", "100"]


def counting_client() -> LanguageClient:
    """pytest-lsp's client, also counting each publishDiagnostics per document."""
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    client = LanguageClient(converter_factory=lambda: _converter())
    client.published = {}  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.setdefault(params.uri, []).append(params.version)  # type: ignore[attr-defined]

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


def _converter() -> Any:
    from pygls.protocol import default_converter

    return default_converter()


def capabilities(encodings: list[str] | None = None) -> lsp.ClientCapabilities:
    return lsp.ClientCapabilities(
        general=lsp.GeneralClientCapabilities(position_encodings=encodings)
        if encodings else None,
        workspace=lsp.WorkspaceClientCapabilities(workspace_edit=lsp.WorkspaceEditClientCapabilities(
            document_changes=True, resource_operations=[lsp.ResourceOperationKind.Create])),
        text_document=lsp.TextDocumentClientCapabilities(
            code_action=lsp.CodeActionClientCapabilities(),
            hover=lsp.HoverClientCapabilities(content_format=[lsp.MarkupKind.Markdown])))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=COMMAND, server_env=ENV,
                                              client_factory=counting_client))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities(), root_uri=tmp_path.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=tmp_path.as_uri(), name="notes")]))
    yield
    await lsp_client.shutdown_session()


# --- helpers -------------------------------------------------------------------------------


def offset(text: str, at: lsp.Position) -> int:
    """An LSP position (UTF-16 units) as an offset into `text`, counted independently."""
    lines = text.split("\n")
    base = sum(len(line) + 1 for line in lines[: at.line])
    units = 0
    for index, char in enumerate(lines[at.line] if at.line < len(lines) else ""):
        if units >= at.character:
            return base + index
        units += 2 if ord(char) > 0xFFFF else 1
    return base + min(len(lines[at.line]) if at.line < len(lines) else 0,
                      len(text) - base)


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def published(client: LanguageClient, uri: str, count: int = 1,
                    timeout: float = 20) -> list[lsp.Diagnostic]:
    """Wait until the server has published for `uri` `count` times in all."""
    for _ in range(int(timeout / 0.05)):
        if len(client.published.get(uri, [])) >= count:  # type: ignore[attr-defined]
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics for {uri}")


async def open_page(client: LanguageClient, path: Path, text: str,
                    language: str = "markdown") -> tuple[str, list[lsp.Diagnostic]]:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id=language, version=1, text=text)))
    return uri, await published(client, uri)


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))


async def actions(client: LanguageClient, uri: str, span: lsp.Range,
                  only: list[str] | None = None) -> list[lsp.CodeAction]:
    found = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=span,
        context=lsp.CodeActionContext(diagnostics=[], only=only)))
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


def page_at(tmp_path: Path, name: str = "sosp-2024.md") -> Path:
    folder = tmp_path / "conferences"
    folder.mkdir(exist_ok=True)
    return folder / name


def by_code(diagnostics: list[lsp.Diagnostic], code: str) -> lsp.Diagnostic:
    return next(d for d in diagnostics if d.code == code)


# --- diagnostics -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_diagnostics_on_open(client: LanguageClient, tmp_path: Path) -> None:
    _, found = await open_page(client, page_at(tmp_path), SEED.read_text(encoding="utf-8"))
    assert [d.code for d in found] == ["NK501", "NK502"]
    typo = found[0]
    assert typo.range == lsp.Range(start=lsp.Position(line=35, character=10),
                                   end=lsp.Position(line=35, character=15))
    assert typo.severity == lsp.DiagnosticSeverity.Error and typo.source == "notes-kit"
    assert typo.code_description is not None
    assert typo.code_description.href.endswith("docs/rules.md#nk501-misspelling")


@pytest.mark.asyncio
async def test_change_lints_the_buffer_after_a_pause(client: LanguageClient,
                                                     tmp_path: Path) -> None:
    path = page_at(tmp_path)  # never written: the buffer is what is linted
    clean = CANONICAL.read_text(encoding="utf-8")
    uri, found = await open_page(client, path, clean)
    assert found == [] and not path.exists()
    typo = clean.replace("* Automatically apply", "* Automatically aplly")
    for version in range(2, 7):  # typing: five changes in quick succession
        change(client, uri, version, typo if version == 6 else clean + "x" * version)
    found = await published(client, uri, 2)
    await asyncio.sleep(0.5)
    assert client.published[uri] == [1, 6]  # type: ignore[attr-defined]
    assert [d.code for d in found] == ["NK501"]


@pytest.mark.asyncio
async def test_positions_count_utf16_units(client: LanguageClient, tmp_path: Path) -> None:
    text = CANONICAL.read_text(encoding="utf-8").replace(
        "* Apparate: Rethinking", "* 🚀😀 Apparate: Rethinking").replace(
        "[Code](https://github.com/dywsjtu", "[code](https://github.com/dywsjtu")
    uri, found = await open_page(client, page_at(tmp_path), text)
    label = by_code(found, "NK302")
    row = text.split("\n")[label.range.start.line]
    column = row.index("[code]") + 1  # code points before the label
    assert label.range.start.character == column + 2  # two emoji: two units more each
    assert label.range.end.character - label.range.start.character == len("code")
    (quick,) = [a for a in await actions(client, uri, label.range)
                if a.title.startswith("Fix NK302")]
    assert quick.edit is not None and quick.edit.changes is not None
    fixed = apply(text, quick.edit.changes[uri])
    assert "[Code](https://github.com/dywsjtu" in fixed and "🚀😀 Apparate" in fixed


# --- code actions ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_quick_fixes_safe_and_unsafe(client: LanguageClient, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("* Princeton & GaTech",
                                                   "* Princeton & Georgia Tech")
    uri, found = await open_page(client, page_at(tmp_path), text)
    entity = by_code(found, "NK502")
    (quick,) = [a for a in await actions(client, uri, entity.range)
                if a.title.startswith("Fix NK502")]
    assert quick.is_preferred and quick.kind == lsp.CodeActionKind.QuickFix
    assert quick.diagnostics and quick.diagnostics[0].code == "NK502"
    assert quick.edit is not None and quick.edit.changes is not None
    fixed = apply(text, quick.edit.changes[uri])
    change(client, uri, 2, fixed)
    assert "NK502" not in [d.code for d in await published(client, uri, 2)]
    alias = by_code(found, "NK403")
    (unsafe,) = [a for a in await actions(client, uri, alias.range)
                 if a.title.startswith("Fix NK403")]
    assert unsafe.title.endswith("(unsafe)") and not unsafe.is_preferred


@pytest.mark.asyncio
async def test_fix_all_is_what_fix_writes(client: LanguageClient, tmp_path: Path) -> None:
    text = CANONICAL.read_text(encoding="utf-8").replace("\\[[Paper]", "[[Paper]")
    path = page_at(tmp_path)
    uri, found = await open_page(client, path, text)
    assert {d.code for d in found} == {"NK301"}
    everywhere = lsp.Range(start=lsp.Position(line=0, character=0),
                           end=lsp.Position(line=0, character=0))
    (action,) = await actions(client, uri, everywhere, only=["source.fixAll"])
    assert action.kind == "source.fixAll.notes-kit"
    assert action.edit is not None and action.edit.changes is not None
    edits = action.edit.changes[uri]
    assert len(edits) < len(text.split("\n"))  # the lines that change, not the whole file
    assert apply(text, edits) == fix(text, str(path)).text == CANONICAL.read_text(
        encoding="utf-8")
    assert await actions(client, uri, everywhere, only=[lsp.CodeActionKind.QuickFix]) == [] \
        or all(a.kind == lsp.CodeActionKind.QuickFix for a in await actions(
            client, uri, everywhere, only=[lsp.CodeActionKind.QuickFix]))


@pytest.mark.asyncio
async def test_suppress_on_this_line(client: LanguageClient, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    uri, found = await open_page(client, page_at(tmp_path), text)
    typo = by_code(found, "NK501")
    (action,) = [a for a in await actions(client, uri, typo.range)
                 if a.title == "Suppress NK501 on this line"]
    assert action.edit is not None and action.edit.changes is not None
    suppressed = apply(text, action.edit.changes[uri])
    inserted = suppressed.split("\n")[typo.range.start.line]
    assert inserted == "        <!-- notes-kit: disable-next-line NK501 -->"
    change(client, uri, 2, suppressed)
    assert [d.code for d in await published(client, uri, 2)] == ["NK502"]


@pytest.mark.asyncio
async def test_allow_word_creates_the_config_and_reloads(client: LanguageClient,
                                                         tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    uri, found = await open_page(client, page_at(tmp_path), text)
    typo = by_code(found, "NK501")
    (action,) = [a for a in await actions(client, uri, typo.range)
                 if a.title.startswith("Add 'Modle'")]
    assert action.title == "Add 'Modle' to allow-words in .notes-kit.toml"
    assert action.edit is not None and action.edit.document_changes is not None
    create, content = action.edit.document_changes
    assert isinstance(create, lsp.CreateFile) and isinstance(content, lsp.TextDocumentEdit)
    config = tmp_path / ".notes-kit.toml"  # the workspace folder's
    assert create.uri == config.as_uri()
    config.write_text(apply("", [e for e in content.edits if isinstance(e, lsp.TextEdit)]))
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Created)]))
    assert [d.code for d in await published(client, uri, 2)] == ["NK502"]


@pytest.mark.asyncio
async def test_allow_word_keeps_the_configs_formatting(client: LanguageClient,
                                                       tmp_path: Path) -> None:
    config = tmp_path / ".notes-kit.toml"
    original = ('# The collection\'s settings.\nallow-words = [\n    "Zeus",  # a system\n]\n\n'
                '[per-file-ignores]\n"drafts/*" = ["NK5"]\n')
    config.write_text(original)
    text = SEED.read_text(encoding="utf-8")
    uri, found = await open_page(client, page_at(tmp_path), text)
    (action,) = [a for a in await actions(client, uri, by_code(found, "NK501").range)
                 if a.title.startswith("Add 'Modle'")]
    assert action.edit is not None and action.edit.changes is not None
    new = apply(original, action.edit.changes[config.as_uri()])
    assert new == original.replace('    "Zeus",  # a system\n',
                                   '    "Zeus",  # a system\n    "Modle",\n')
    config.write_text(new)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=config.as_uri())))
    assert [d.code for d in await published(client, uri, 2)] == ["NK502"]


# --- hover and completion --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient, tmp_path: Path) -> None:
    uri, found = await open_page(client, page_at(tmp_path), SEED.read_text(encoding="utf-8"))
    typo = by_code(found, "NK501")
    answer = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=typo.range.start))
    assert answer is not None and isinstance(answer.contents, lsp.MarkupContent)
    from notes_kit.lint.rules.docs import explain
    from notes_kit.lint.rules.registry import all_rules

    assert explain(all_rules()["NK501"]).rstrip() in answer.contents.value
    assert "#nk501-misspelling" in answer.contents.value
    nothing = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=0, character=1)))
    assert nothing is None


async def complete(client: LanguageClient, uri: str, line: int, character: int) -> list[str]:
    found = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=character)))
    assert isinstance(found, lsp.CompletionList)
    return [item.label for item in found.items]


@pytest.mark.asyncio
async def test_completion(client: LanguageClient, tmp_path: Path) -> None:
    from notes_kit.format.markdown.papers import LABELS

    text = CANONICAL.read_text(encoding="utf-8")
    lines = text.split("\n")
    paper = next(i for i, line in enumerate(lines) if line.startswith("* Apparate"))
    lines[paper] += " \\[[Sl"
    lines[paper + 1] = "  * Princeton & Ga"
    lines[0] = "# Eu"
    uri, _ = await open_page(client, page_at(tmp_path), "\n".join(lines))
    labels = await complete(client, uri, paper, len(lines[paper]))
    assert labels == list(LABELS)
    venues = await complete(client, uri, 0, 4)
    assert {"EuroSys", "SOSP", "OSDI"} <= set(venues)
    institutions = await complete(client, uri, paper + 1, len(lines[paper + 1]))
    assert {"GaTech", "PKU", "MSR"} <= set(institutions) and "Georgia Tech" not in institutions
    assert await complete(client, uri, paper + 2, 4) == []  # a note line: nothing


# --- documents of other kinds and bad input --------------------------------------------------


@pytest.mark.asyncio
async def test_notes_yaml_and_other_yaml(client: LanguageClient, tmp_path: Path) -> None:
    bad = (TESTS / "fixtures" / "rules" / "NK601" / "bad.yaml").read_text(encoding="utf-8")
    _, found = await open_page(client, page_at(tmp_path, "sosp-2024.yaml"), bad, "yaml")
    assert found and {d.code for d in found} == {"NK601"}
    _, found = await open_page(client, tmp_path / "ci.yml", "jobs:\n  test: {}\n", "yaml")
    assert found == []


@pytest.mark.asyncio
async def test_bad_input_is_one_diagnostic_and_the_server_lives(client: LanguageClient,
                                                                tmp_path: Path) -> None:
    _, found = await open_page(client, page_at(tmp_path, "a-2024.md"), "# A 2024\n\0oops\n")
    assert len(found) == 1 and "binary file" in found[0].message and found[0].range.start.line == 1
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / ".notes-kit.toml").write_text("select = [\n")
    _, found = await open_page(client, broken / "b-2024.md", SEED.read_text(encoding="utf-8"))
    assert len(found) == 1 and "invalid TOML" in found[0].message and "config" in found[0].message
    _, found = await open_page(client, page_at(tmp_path), SEED.read_text(encoding="utf-8"))
    assert [d.code for d in found] == ["NK501", "NK502"]


@pytest.mark.asyncio
async def test_excluded_files_get_no_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".notes-kit.toml").write_text('extend-exclude = ["drafts/"]\n')
    (tmp_path / "drafts").mkdir()
    _, found = await open_page(client, tmp_path / "drafts" / "sosp-2024.md",
                               SEED.read_text(encoding="utf-8"))
    assert found == []
