"""Configuration like ruff's: defaults, then the config file, then the command line.

Loaded on every lint, so only the standard library is imported here.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from notes_kit.core.findings import InputError

CONFIG_NAME = ".notes-kit.toml"
PREFIX_RE = re.compile(r"NK\d{0,3}", re.IGNORECASE)  # rule ids are case-insensitive
PREFIX_HINT = "expected NK and up to 3 digits"
LINK_STYLES = ("autolink", "inline")
KEYS = tuple(
    "select ignore per-file-ignores link-style allow-words"
    " extra-terms extra-affiliations extra-venues strict"
    " exclude extend-exclude respect-gitignore html-content links".split()
)


@dataclass(frozen=True)
class Config:
    """The effective settings for one lint run; build it with load_config() and merge()."""

    select: tuple[str, ...] = ("NK",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    link_style: str = "autolink"
    allow_words: frozenset[str] = frozenset()
    extra_terms: tuple[str, ...] = ()
    extra_affiliations: tuple[str, ...] = ()
    extra_venues: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, relative to the config's folder
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    html_content: str = "error"  # NK502 for HTML kept as written: error, warning or off
    links: tuple[tuple[str, Any], ...] = ()  # the `[links]` table (notes_kit.lint.link_settings)
    root: str | None = None
    source: str | None = None

    def enabled(self, rule_id: str, path: str) -> bool:
        """Longest matching prefix wins (a tie goes to ignore); per-file-ignores always win."""
        if not _selected(self.select, self.ignore, rule_id):
            return False
        ignored = self.ignored_for(path)
        return not ignored or not any(rule_id.startswith(p) for p in ignored)

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """Prefixes that per-file-ignores switch off for `path`."""
        return _file_ignores(self.per_file_ignores, self.root, path)

    def allows(self, word: str) -> bool:
        return word.casefold() in self.allow_words

    def fingerprint(self) -> str:
        """A cache key: changes with any setting and with the content of the extra data files."""
        data = asdict(self)
        del data["source"]
        data["allow_words"] = sorted(self.allow_words)
        extra = (*self.extra_terms, *self.extra_affiliations, *self.extra_venues)
        data["files"] = {name: _digest(name) for name in extra}
        import hashlib  # imports that only some runs need are made where they are needed
        import json

        blob = json.dumps(data, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()


@lru_cache(maxsize=1024)
def _selected(select: tuple[str, ...], ignore: tuple[str, ...], rule_id: str) -> bool:
    """select/ignore by prefix, decided once per rule (lint asks per rule and per file)."""
    return _longest(select, rule_id) > _longest(ignore, rule_id)


def _longest(prefixes: Iterable[str], rule_id: str) -> int:
    return max((len(p) for p in prefixes if rule_id.startswith(p)), default=-1)


@lru_cache(maxsize=4096)
def _file_ignores(
    table: tuple[tuple[str, tuple[str, ...]], ...], root: str | None, path: str
) -> tuple[str, ...]:
    """Match each glob against the path relative to the config's directory, and its basename."""
    if not table:
        return ()
    relative = Path(path).as_posix()
    if root is not None:
        try:
            relative = Path(path).resolve().relative_to(root).as_posix()
        except (OSError, ValueError):
            pass  # outside the config's tree: match the path as given
    from notes_kit.lint.ignore import matches

    # gitignore-style: `*` stays within a folder, a pattern without `/` matches at any depth
    return tuple(p for pattern, ps in table if matches((pattern,), relative) for p in ps)


def _digest(name: str) -> str:
    import hashlib

    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def find_config(start: Path) -> Path | None:
    """Walk up from a linted file or directory: `.notes-kit.toml`, then a pyproject table."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: look from where it stands
        here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        own = directory / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    text = _read(pyproject)
    if "notes-kit" not in text:  # skip parsing unrelated pyproject files
        return False
    return _tool_table(_parse(text, pyproject)) is not None


def _tool_table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("notes-kit") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def discover(start: Path) -> Config:
    return load_config(find_config(start))


@dataclass(frozen=True)
class _Source:
    """The config file's text, to put line numbers on errors."""

    path: Path
    text: str
    start: int  # 0-based line where our table begins

    def error(self, message: str, *needles: str) -> InputError:
        return InputError(str(self.path), message, self.line_of(*needles))

    def line_of(self, *needles: str) -> int:
        """1-based line of each needle in turn (a key, then a value after it); 0 if unknown."""
        lines, at, found = self.text.splitlines(), self.start, 0
        for needle in needles:
            pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])")
            hit = next((i for i in range(at, len(lines)) if pattern.search(lines[i])), None)
            if hit is None:
                break
            at, found = hit, hit + 1
        return found


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    path = path.resolve()
    text = _read(path)
    data, start = _parse(text, path), 0
    if path.name == "pyproject.toml":
        table = _tool_table(data)
        if table is None:
            raise InputError(str(path), "no [tool.notes-kit] table")
        header = re.search(r"(?m)^\s*\[\s*tool\s*\.\s*[\"']?notes-kit", text)
        data, start = table, text.count("\n", 0, header.start()) if header else 0
    return _build(data, _Source(path, text, start))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read config: {exc}") from exc


def _parse(text: str, path: Path) -> dict[str, Any]:
    """The TOML document; a copy parsed before is read from the cache (tomllib and the
    modules it pulls in cost ~4 ms, an eighth of linting one page)."""
    import marshal
    import zlib

    from notes_kit.core.store import read_cache, write_cache

    name = f"config-{zlib.crc32(text.encode()):08x}-{len(text)}.marshal"
    raw = read_cache(name)
    if raw is not None:
        try:
            source, data = marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            source = None
        if source == text and isinstance(data, dict):  # the whole text, not a checksum
            return data
    data = _parse_toml(text, path)
    try:
        write_cache(name, marshal.dumps((text, data)), "config-")
    except ValueError:  # TOML dates and times: marshal cannot store them
        pass
    return data


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else (text.count("\n") + 1 if "end" in message else 0)
        raise InputError(str(path), f"invalid TOML: {message}", line) from exc
    return data


def _build(table: dict[str, Any], src: _Source) -> Config:
    unknown = [key for key in table if key not in KEYS]
    if unknown:
        raise src.error(f"unknown key '{unknown[0]}' (known: {', '.join(KEYS)})", unknown[0])
    root = src.path.parent
    values: dict[str, Any] = {"root": str(root), "source": str(src.path)}
    for key, value in table.items():
        values[key.replace("-", "_")] = _convert(key, value, src)
    return Config(**values)


def _convert(key: str, value: object, src: _Source) -> object:
    if key in ("strict", "respect-gitignore"):
        if not isinstance(value, bool):
            raise src.error(f"'{key}' must be true or false", key)
        return value
    if key == "link-style":
        if value not in LINK_STYLES:
            raise src.error(f"'link-style' must be one of {', '.join(LINK_STYLES)}", key)
        return value
    if key == "html-content":
        if value not in ("error", "warning", "off"):
            raise src.error("'html-content' must be one of error, warning, off", key)
        return value
    if key == "per-file-ignores":
        return _per_file(value, src)
    if key == "links":  # the link checker's table; stdlib only, read when present
        from notes_kit.lint.link_settings import check_table

        return check_table(value, src.error)
    items = _strings(key, value, src, key)
    if key in ("select", "ignore"):
        return _prefixes(items, src, key)
    if key == "allow-words":
        return frozenset(word.casefold() for word in items)
    if key in ("exclude", "extend-exclude"):
        return items
    return tuple(_existing(src.path.parent, item, src, key) for item in items)


def _strings(label: str, value: object, src: _Source, *where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise src.error(f"'{label}' must be a list of non-empty strings", *where)
    return tuple(value)


def _prefixes(items: tuple[str, ...], src: _Source, *where: str) -> tuple[str, ...]:
    for item in items:
        if not PREFIX_RE.fullmatch(item):
            raise src.error(f"unknown rule prefix '{item}' ({PREFIX_HINT})", *where, item)
    return tuple(item.upper() for item in items)


def _per_file(value: object, src: _Source) -> tuple[tuple[str, tuple[str, ...]], ...]:
    key = "per-file-ignores"
    if not isinstance(value, dict):
        raise src.error(f"'{key}' must be a table of glob = [rule prefixes]", key)
    out = []
    for pattern, prefixes in value.items():
        items = _strings(f"{key}.{pattern}", prefixes, src, key, pattern)
        out.append((pattern, _prefixes(items, src, key, pattern)))
    return tuple(out)


def _existing(base: Path, name: str, src: _Source, key: str) -> str:
    target = (base / name).resolve()
    if not target.is_file():
        raise src.error(f"'{key}': no such file {name}", key, name)
    return str(target)


def merge(
    config: Config,
    *,
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    extend_ignore: Iterable[str] = (),
    strict: bool | None = None,
) -> Config:
    """Lay command-line options over a config, as ruff layers `--select` over its file.

    `select` replaces the file's select and ignore; `extend_select` adds rules,
    beating file ignores it is at least as specific as; `ignore` and its alias
    `extend_ignore` add to the file's ignores and beat file selects they cover.
    """
    new_select = _cli_prefixes("--extend-select", extend_select)
    new_ignore = _cli_prefixes("--ignore", (*ignore, *extend_ignore))
    base_select, base_ignore = config.select, config.ignore
    if select is not None:
        new_select = _cli_prefixes("--select", select) + new_select
        base_select, base_ignore = (), ()
    kept_select = tuple(p for p in base_select if not any(p.startswith(i) for i in new_ignore))
    kept_ignore = tuple(p for p in base_ignore if not any(p.startswith(s) for s in new_select))
    return replace(
        config,
        select=_unique(kept_select + new_select),
        ignore=_unique(kept_ignore + new_ignore),
        strict=config.strict if strict is None else strict,
    )


def _cli_prefixes(option: str, items: Iterable[str]) -> tuple[str, ...]:
    out = tuple(items)
    for item in out:
        if not PREFIX_RE.fullmatch(item):
            raise InputError(option, f"unknown rule prefix '{item}' ({PREFIX_HINT})")
    return tuple(item.upper() for item in out)


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Configs:
    """Each file's settings: its nearest config file (or the one given with --config), with
    the command line's options laid over it, the same whatever order the paths are given
    in. Each folder is looked up once, each config file read once."""

    def __init__(self, fixed: Path | None = None, **options: Any) -> None:
        self.fixed = fixed
        self.options = options
        self._files: dict[str, Path | None] = {}
        self._configs: dict[Path | None, Config] = {}

    def source_of(self, path: str) -> Path | None:
        """The config file that governs `path` (a file or a folder's entry)."""
        if self.fixed is not None:
            return self.fixed
        folder = os.getcwd() if path in ("-", "") or path.startswith("<") else \
            os.path.dirname(os.path.abspath(path))
        if folder not in self._files:
            self._files[folder] = find_config(Path(folder))
        return self._files[folder]

    def __call__(self, path: str) -> Config:
        source = self.source_of(path)
        if source not in self._configs:
            self._configs[source] = merge(load_config(source), **self.options)
        return self._configs[source]
