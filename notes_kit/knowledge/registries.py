"""Venue, affiliation and term registries: YAML validated once, then served from a cache.

ruamel.yaml and jsonschema cost 0.1-0.3 s to import, more than linting one
page, so they are imported only on a cache miss. The cache key is a checksum
of the bytes of every data file (shipped and user), the schema and the package
version, so editing any of them rebuilds the cache; nothing is trusted by
mtime. Within one process each registry is read once per set of unchanged files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from notes_kit.core.files import DATA_DIR
from notes_kit.core.findings import InputError
from notes_kit.core.store import read_cache, write_cache

SCHEMA_PATH = DATA_DIR / "registry.schema.json"
_KINDS = ("venues", "affiliations", "terms")
_FORMAT = "1"  # bump when the cached JSON layout changes
_T = TypeVar("_T")
_MEMO: dict[str, Any] = {}  # registry data by content key, and served objects by file stamps


class Venue(NamedTuple):
    """A venue of the registry (the slug is the file-name prefix)."""

    slug: str
    name: str
    full_name: str
    publisher: str | None = None
    doi_prefix: str | None = None


def load_venues(extra: Sequence[Path] = ()) -> dict[str, Venue]:
    """Venues by slug; a user entry replaces the shipped one with the same slug."""
    return _served("venues", extra, lambda data: {slug: Venue(**fields)
                                                  for slug, fields in data.items()})


def load_affiliations(extra: Sequence[Path] = ()) -> dict[str, str]:
    """Alias (case-sensitive) -> canonical short name. Shared: do not modify it."""
    return _served("affiliations", extra, dict)


def load_terms(extra: Sequence[Path] = ()) -> dict[str, str]:
    """Lower-case term -> canonical casing. Shared: do not modify it."""
    return _served("terms", extra, dict)


def _served(kind: str, extra: Sequence[Path], convert: Callable[[Any], _T]) -> _T:
    """One registry object per process and set of unchanged files, so a collection run
    reads and hashes the registry files once, not once per page."""
    try:
        stamp = [kind, *(_stamp(path) for path in (DATA_DIR / f"{kind}.yaml", SCHEMA_PATH,
                                                   *map(Path, extra)))]
    except OSError:
        return convert(_load(kind, extra))  # _load reports the unreadable file
    key = "served\0" + "\0".join(stamp)
    served: _T | None = _MEMO.get(key)
    if served is None:
        served = _MEMO[key] = convert(_load(kind, extra))
    return served


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}"


def venue_for_heading(name: str, venues: dict[str, Venue]) -> Venue | None:
    """The venue whose display name is `name`, ignoring case (`# Eurosys 2024` finds EuroSys)."""
    wanted = name.strip().casefold()
    return next((v for v in venues.values() if v.name.casefold() == wanted), None)


def registry_fingerprint(extra: Sequence[Path] = ()) -> str:
    """Changes whenever any registry input changes: a key for caches of lint results."""
    sources = [_read(DATA_DIR / f"{kind}.yaml") for kind in _KINDS]
    return _digest("all", sources + [_read(Path(p)) for p in extra])


def _read(path: Path) -> tuple[str, bytes]:
    try:
        return str(path), path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read registry file: {error.strerror}") from None


def _digest(kind: str, sources: Sequence[tuple[str, bytes]]) -> str:
    """sha256 of every input: the registries' part of the lint-result cache key."""
    import hashlib

    digest = hashlib.sha256()
    for chunk in _inputs(kind, sources):
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()[:32]


def _quick_digest(kind: str, sources: Sequence[tuple[str, bytes]]) -> str:
    """CRC-32 and Adler-32 of every input: names (and checks) the registry's own cache file,
    which a lint reads on every run, without importing hashlib (~5 ms) for it."""
    import zlib

    crc, adler, size = 0, 1, 0
    for chunk in _inputs(kind, sources):
        for part in (len(chunk).to_bytes(8, "big"), chunk):
            crc, adler, size = zlib.crc32(part, crc), zlib.adler32(part, adler), size + len(part)
    return f"{crc:08x}{adler:08x}{size:x}"


def _inputs(kind: str, sources: Sequence[tuple[str, bytes]]) -> list[bytes]:
    import notes_kit

    version = str(getattr(notes_kit, "__version__", "0"))
    header = f"{_FORMAT}\0{version}\0{kind}\0".encode()
    return [header, *(data for _, data in [_read(SCHEMA_PATH), *sources])]


def _load(kind: str, extra: Sequence[Path]) -> Any:
    sources = [_read(DATA_DIR / f"{kind}.yaml")] + [_read(Path(p)) for p in extra]
    import marshal  # built in: json costs an import, and this cache is only ours

    key = _quick_digest(kind, sources)
    if key in _MEMO:
        return _MEMO[key]
    name = f"registry-{kind}-{key}.marshal"
    cached = read_cache(name)
    data: Any = None
    if cached is not None:
        try:
            payload = marshal.loads(cached)
        except (EOFError, ValueError, TypeError):
            payload = None
        if isinstance(payload, dict) and payload.get("key") == key:
            data = payload["data"]
    if data is None:
        data = _build(kind, sources)
        write_cache(name, marshal.dumps({"key": key, "data": data}), f"registry-{kind}-")
    _MEMO[key] = data
    return data


def check_user_file(path: str, raw: bytes, kinds: Sequence[str]) -> None:
    """InputError, with its line, when the linter would refuse this file as an extra
    registry of each of `kinds` (merged over the shipped one): nothing for a good file."""
    for kind in kinds:
        _build(kind, [_read(DATA_DIR / f"{kind}.yaml"), (path, raw)])


# -- cache miss: parse, validate, merge ---------------------------------------------------


def _build(kind: str, sources: Sequence[tuple[str, bytes]]) -> Any:
    import json

    import jsonschema

    from notes_kit.format.yaml.load import plain

    schema = json.loads(SCHEMA_PATH.read_bytes())
    shipped = jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}_file"})
    user = jsonschema.Draft202012Validator(schema)
    merged: dict[str, Any] = {}
    for index, (path, raw) in enumerate(sources):
        tree = _parse_yaml(path, raw)
        data = plain(tree)
        if not isinstance(data, dict):
            raise InputError(path, "not a registry file: expected a YAML mapping with "
                             "venues, affiliations or terms", 1)
        errors = list((shipped if index == 0 else user).iter_errors(data))
        if errors:
            where = [(_line(tree, list(e.absolute_path)), _short(e.message)) for e in errors]
            line, message = min(where)
            raise InputError(path, f"invalid registry: {message}", line)
        if kind not in data:
            raise InputError(path, f"no `{kind}:` list in this registry file", 1)
        _MERGERS[kind](merged, data[kind], path, tree)
    if kind == "affiliations":
        _resolve_chains(merged)
    return merged


def _parse_yaml(path: str, raw: bytes) -> Any:
    """The registry file through the package's one safe YAML loader (tags, alias bombs and
    values no registry holds are refused there, with a line)."""
    from notes_kit.format.yaml.load import load

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8: {error.reason}", line) from None
    return load(text, path, empty="empty registry file: expected venues, affiliations or terms")


def _short(message: str) -> str:
    """A schema message on one line, cut short: it quotes the offending value, which can be
    a whole file read as one string."""
    message = " ".join(message.split())
    return message if len(message) <= 160 else message[:157] + "..."


def _line(tree: Any, where: Sequence[str | int]) -> int:
    """1-based line of the value at JSON path `where` in ruamel's round-trip tree."""
    line, node = 1, tree
    for step in where:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and lc is not None:
                line = lc.key(step)[0] + 1
            elif isinstance(node, list) and lc is not None and isinstance(step, int):
                line = lc.item(step)[0] + 1
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _merge_venues(merged: dict[str, Any], entries: list[Any], path: str, tree: Any) -> None:
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        slug = entry["slug"]
        if slug in seen:
            raise InputError(path, f"venue {slug!r} listed twice", _line(tree, ["venues", i]))
        seen.add(slug)
        name = entry["name"].casefold()
        clash = [s for s, v in merged.items() if s != slug and v["name"].casefold() == name]
        if clash:
            message = f"venue name {entry['name']!r} is already the name of venue {clash[0]!r}"
            raise InputError(path, message, _line(tree, ["venues", i, "name"]))
        merged[slug] = Venue(**entry)._asdict()


def _merge_affiliations(merged: dict[str, Any], entries: list[Any], path: str, tree: Any) -> None:
    names: set[str] = set()
    for i, entry in enumerate(entries):
        if entry["name"] in names:
            message = f"affiliation {entry['name']!r} listed twice"
            raise InputError(path, message, _line(tree, ["affiliations", i]))
        names.add(entry["name"])
    owner: dict[str, str] = {}
    for i, entry in enumerate(entries):
        merged.pop(entry["name"], None)  # declared canonical here: no longer an alias
        for j, alias in enumerate(entry.get("aliases", [])):
            where = _line(tree, ["affiliations", i, "aliases", j])
            if alias in names:
                raise InputError(path, f"{alias!r} is both an alias and a canonical name", where)
            if owner.setdefault(alias, entry["name"]) != entry["name"]:
                raise InputError(path, f"alias {alias!r} given to two affiliations", where)
            merged[alias] = entry["name"]


def _resolve_chains(merged: dict[str, Any]) -> None:
    """After a user file demotes a canonical name to an alias, point its aliases at the new name."""
    for alias in list(merged):
        target, hops = merged[alias], 0
        while target in merged and hops < len(merged):
            target, hops = merged[target], hops + 1
        merged[alias] = target


def _merge_terms(merged: dict[str, Any], entries: list[Any], path: str, tree: Any) -> None:
    seen: dict[str, str] = {}
    for i, term in enumerate(entries):
        if seen.setdefault(term.lower(), term) != term:
            message = f"term {term!r} conflicts with {seen[term.lower()]!r}"
            raise InputError(path, message, _line(tree, ["terms", i]))
        merged[term.lower()] = term


_MERGERS = {
    "venues": _merge_venues,
    "affiliations": _merge_affiliations,
    "terms": _merge_terms,
}
