"""NK501 support: codespell's dictionary, read as data, checked against Markdown prose.

codespell_lib's own modules are never imported (its package import pulls in
its CLI); the dictionary file is found through the import system and parsed
here. The parsed form is cached with marshal, keyed by the file's identity.
Only the main `dictionary.txt` is used: `dictionary_rare.txt` lists real
English words that are usually typos in code (bellow, brunch, cant, bale),
which in prose notes are mostly false positives; the other lists are about
code, names or British spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from notes_kit.core.files import DATA_DIR
from notes_kit.core.store import read_cache, write_cache

_FORMAT = "3"
VOCABULARY = DATA_DIR / "vocabulary.txt"
_MEMO_LIMIT = 200_000  # distinct tokens remembered per allow list
_BUCKET_CHARS = 2048  # a bucket bigger than this is split by a longer prefix
_MAX_DEPTH = 10
_DICT: Misspellings | None = None

# Spans that are not prose, blanked before words are found. Order matters:
# a code span hides a `$` or a `<`, so it goes first.
_SKIP_BRANCHES = (
    r"(?<!`)(?P<tick>`+)(?!`).+?(?<!`)(?P=tick)(?!`)",  # code span
    r"\$\$.+?\$\$",  # display math
    r"(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)",  # inline math, not "$5 or $6"
    r"<!--.*?-->",  # HTML comment
    r"\{%.*?%\}",  # GitBook template tag
    r"<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>",  # autolink
    r"<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>",  # e-mail autolink
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>",  # HTML tag
    r"&(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);",  # entity
    r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)",  # link target
    r"\]\[[^\]]*\]",  # reference label
    r"\b(?:https?|ftp|file)://[^\s<>]*",  # bare URL
    r"\bwww\.[^\s<>]+",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
)
# The alternation as one regex is the reference (tests compare with it), but it is not
# run as one: its code-span and e-mail branches retry at every character of a long line
# (minutes for one line of backtick runs); spans.spans gives the same spans in linear time.
_SKIP_ALL = "|".join(_SKIP_BRANCHES)
# Text without an "@" (nearly all of it) is scanned without the e-mail branches.
_MIDDLE_NO_AT = re.compile("|".join(b for b in _SKIP_BRANCHES[1:-1] if "@" not in b), re.DOTALL)
_MIDDLE_ALL = "|".join(_SKIP_BRANCHES[1:-1])  # compiled (and cached by re) on the first "@"
# A comment or template opener with no closer after it scans to the end of the text, each
# one: such openers are made inert first (their `!` / `{` replaced by a character that every
# other branch treats the same), so none of them is tried.
_OPENERS = (("<!--", "-->", 1), ("{%", "%}", 0))
# Every branch needs one of these; a text with none of them has nothing to blank.
_SKIP_MARKS = ("`", "$", "<", "{%", "&", "]", "://", "www.", "@")
_TOKEN = re.compile(r"[\w'’-]+")
_NOT_NEWLINE = re.compile(r"[^\n]")
_EDGE = "'’_-"
_JOINERS = str.maketrans("", "", "'’-")


class Typo(NamedTuple):
    """A misspelled word at character offsets [start, end) of the checked text."""

    start: int
    end: int
    word: str
    candidates: tuple[str, ...]

    @property
    def fixable(self) -> bool:
        """Only a single candidate is a fix; several are a question for the author."""
        return len(self.candidates) == 1


@lru_cache(maxsize=4096)  # NK501 and NK504 mask the same prose lines
def prose_mask(text: str) -> str:
    """`text` with code spans, math, HTML, entities, URLs and link targets blanked.

    Every skipped character becomes a space (newlines stay), so offsets into the
    result are offsets into `text`: rules find words here and report them there.
    """
    if not any(mark in text for mark in _SKIP_MARKS):
        return text  # most note lines: no branch of _SKIP can match
    from notes_kit.format.markdown.spans import blank, email_patterns, spans

    probe = _inert_openers(text)
    if "@" not in text:
        if "`" not in text and probe is text:
            return _MIDDLE_NO_AT.sub(_blank_match, text)
        return blank(text, spans(probe, _MIDDLE_NO_AT))
    middle = re.compile(_MIDDLE_ALL, re.DOTALL)
    return blank(text, spans(probe, middle, email_patterns(_SKIP_BRANCHES[-1])))


def _blank_match(match: re.Match[str]) -> str:
    span = match.group()
    return _NOT_NEWLINE.sub(" ", span) if "\n" in span else " " * len(span)


def _inert_openers(text: str) -> str:
    """`text` with each comment or template opener that has no closer after it disarmed."""
    chars: list[str] | None = None
    for opener, closer, at in _OPENERS:
        if opener not in text:
            continue
        last = text.rfind(closer)
        position = max(last - len(opener) + 1, 0) if last >= 0 else 0
        while (position := text.find(opener, position)) >= 0:
            if chars is None:
                chars = list(text)
            chars[position + at] = "\0"
            position += 1
    return text if chars is None else "".join(chars)


def check_text(text: str, allow: frozenset[str] = frozenset()) -> list[Typo]:
    """Misspellings in inline Markdown prose, skipping code, math, URLs and HTML."""
    words = load_dictionary()
    allow = allow if isinstance(allow, frozenset) else frozenset(allow)
    memo = words.token_memo(allow)
    found: list[Typo] = []
    for match in _TOKEN.finditer(prose_mask(text)):
        token = match.group()
        hits = memo.get(token)
        if hits is None:  # notes repeat their words: each token is judged once
            hits = words.judge(token, allow)
        if hits:
            at = match.start()
            found.extend(Typo(at + t.start, at + t.end, t.word, t.candidates) for t in hits)
    return found


def check_lines(
    rows: list[tuple[int, str]], allow: frozenset[str] = frozenset()
) -> Iterator[tuple[int, Typo]]:
    """check_text over the (number, text) rows of a page, as (number, typo).

    The distinct tokens of the whole page are judged first, with set operations;
    only rows holding a token judged misspelled are then checked one by one.
    """
    words = load_dictionary()
    masked = [prose_mask(text) for _, text in rows]
    tokens = set(_TOKEN.findall("\n".join(masked)))
    suspects = tokens & words.flagged(allow)
    suspects.update(t for t in tokens.difference(words.token_memo(allow)) if words.judge(t, allow))
    if not suspects:
        return
    for (number, text), shown in zip(rows, masked, strict=True):
        if any(token in shown for token in suspects):
            for typo in check_text(text, allow):
                yield number, typo


def _check_token(token: str, words: Misspellings, allow: frozenset[str]) -> tuple[Typo, ...]:
    """The misspellings in one token, at offsets into the token."""
    allowed = {a.casefold() for a in allow}
    stripped = token.lstrip(_EDGE)
    start = len(token) - len(stripped)
    token = stripped.rstrip(_EDGE)
    if not token or token.casefold() in allowed or not token.translate(_JOINERS).isalpha():
        return ()
    typo = _lookup(token, start, words, allowed)
    if typo is not None:
        return (typo,)
    found: list[Typo] = []
    if "-" in token:
        offset = start
        for part in token.split("-"):
            if part and part.casefold() not in allowed:
                found.extend(t for t in [_lookup(part, offset, words, allowed)] if t)
            offset += len(part) + 1
    return tuple(found)


def _lookup(
    word: str, start: int, words: Mapping[str, tuple[str, ...]], allowed: set[str]
) -> Typo | None:
    key = word.lower().replace("’", "'")
    candidates = words.get(key)
    if candidates is None and key.endswith("'s"):
        word, key = word[:-2], key[:-2]
        candidates = words.get(key)
    if candidates is None or _is_name(word) or word.casefold() in allowed:
        return None
    return Typo(start, start + len(word), word, tuple(_match_case(word, c) for c in candidates))


def _is_name(word: str) -> bool:
    """Mixed case (vLLM, FoV, PowerInfer) is a system name; short all-caps words are acronyms."""
    if word.isupper():
        return len(word) <= 4
    return any(c.isupper() for c in word[1:])


def _match_case(word: str, candidate: str) -> str:
    """codespell's rule: Capitalized -> Capitalized, UPPER -> UPPER, else as in the dictionary."""
    if len(word) > 1 and word.isupper():
        return candidate.upper()
    if word[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


def dictionary_path() -> Path | None:
    """codespell's main dictionary, located without importing codespell_lib."""
    from importlib.util import find_spec

    spec = find_spec("codespell_lib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "data" / "dictionary.txt"
        if path.is_file():
            return path
    return None


class Misspellings(Mapping[str, tuple[str, ...]]):
    """codespell's dictionary as a read-only mapping, lower-case misspelling -> candidates.

    Stored as text buckets (`\\nwrong->fix1,fix2\\n...`) of at most ~2 kB, keyed by
    a prefix of the misspelling, and searched with str.find: unmarshalling 65,000
    keys and tuples costs ~40 ms per process, 9,000 strings under 2 ms. The prefix
    is three letters, or longer where three would make a big bucket (`depth`):
    one bucket of the 50 kB that start with "con" costs ~15 us a word to scan.
    """

    def __init__(self, buckets: dict[str, str], size: int, depth: dict[str, int]) -> None:
        self._buckets = buckets
        self._size = size
        self._depth = depth  # prefix length, for the three-letter groups split further
        self._seen: dict[str, tuple[str, ...] | None] = {}  # notes repeat their words
        self._tokens: dict[frozenset[str], dict[str, tuple[Typo, ...]]] = {}
        self._flagged: dict[frozenset[str], set[str]] = {}  # the memo's tokens with hits

    @classmethod
    def from_dict(cls, words: dict[str, tuple[str, ...]]) -> Misspellings:
        groups: dict[str, dict[str, str]] = {}
        for wrong, fixes in words.items():
            groups.setdefault(wrong[:3], {})[wrong] = f"{wrong}->{','.join(fixes)}"
        buckets: dict[str, str] = {}
        depth: dict[str, int] = {}
        for group, rows in groups.items():
            size = 3
            split = _split(rows, size)
            while size < _MAX_DEPTH and max(map(len, split.values())) > _BUCKET_CHARS:
                size += 1
                split = _split(rows, size)
            if size > 3:
                depth[group] = size
            buckets.update(split)
        return cls(buckets, len(words), depth)

    def _bucket(self, key: str) -> str | None:
        return self._buckets.get(key[: self._depth.get(key[:3], 3)])

    def __getitem__(self, key: str) -> tuple[str, ...]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return tuple(found)

    def token_memo(self, allow: frozenset[str]) -> dict[str, tuple[Typo, ...]]:
        """check_text's verdict per token, for one allow list (kept with the dictionary)."""
        memo = self._tokens.get(allow)
        if memo is None or len(memo) > _MEMO_LIMIT:
            memo = self._tokens[allow] = {}
            self._flagged[allow] = set()
        return memo

    def forget(self) -> None:
        """Drop every remembered verdict (benchmarks time cold lookups with it)."""
        self._seen.clear()
        self._tokens.clear()
        self._flagged.clear()

    def flagged(self, allow: frozenset[str]) -> set[str]:
        """The tokens of token_memo(allow) that hold a misspelling."""
        self.token_memo(allow)
        return self._flagged[allow]

    def judge(self, token: str, allow: frozenset[str]) -> tuple[Typo, ...]:
        """The misspellings in one token (offsets into it), remembered in token_memo."""
        hits: tuple[Typo, ...] = ()
        if not token.isalpha() or self._listed(token.lower()):
            hits = _check_token(token, self, allow)  # else a plain word no entry names
        self.token_memo(allow)[token] = hits
        if hits:
            self._flagged[allow].add(token)
        return hits

    def get(self, key: str, default: Any = None) -> Any:
        """Without the KeyError of Mapping.get: most words looked up are not misspellings."""
        try:
            found = self._seen[key]
        except KeyError:
            found = self._seen[key] = self._find(key)
        return default if found is None else found

    def _listed(self, key: str) -> bool:
        """Whether `key` is a misspelling the dictionary lists (most words are not)."""
        bucket = self._bucket(key)
        return bucket is not None and f"\n{key}->" in bucket

    def _find(self, key: str) -> tuple[str, ...] | None:
        bucket = self._bucket(key)
        if bucket is None or "\n" in key:
            return None
        at = bucket.find(f"\n{key}->")
        if at < 0:
            return None
        start = at + len(key) + 3
        return tuple(bucket[start : bucket.index("\n", start)].split(","))

    def __iter__(self) -> Iterator[str]:
        for bucket in self._buckets.values():
            for line in bucket.strip("\n").split("\n"):
                yield line.partition("->")[0]

    def __len__(self) -> int:
        return self._size

    def dump(self, key: str = _FORMAT) -> bytes:
        """The compact form for the disk cache; `key` names the source it was read from."""
        import marshal

        return marshal.dumps((key, self._size, self._buckets, self._depth))

    @classmethod
    def load(cls, raw: bytes, key: str = _FORMAT) -> Misspellings | None:
        """A dumped dictionary, or None when `raw` is damaged or was dumped for another key."""
        import marshal

        try:
            form, size, buckets, depth = marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            return None
        if form != key or not isinstance(size, int) or not isinstance(buckets, dict) \
                or not isinstance(depth, dict):
            return None
        return cls(buckets, size, depth)


def _split(rows: dict[str, str], size: int) -> dict[str, str]:
    """Dictionary rows (misspelling -> row text) grouped by the misspelling's first `size`
    characters, each group one bucket string."""
    groups: dict[str, list[str]] = {}
    for wrong, row in rows.items():
        groups.setdefault(wrong[:size], []).append(row)
    return {prefix: "\n" + "\n".join(found) + "\n" for prefix, found in groups.items()}


def load_dictionary() -> Misspellings:
    """The dictionary, cached per process and on disk; empty when codespell is not installed."""
    global _DICT
    if _DICT is None:
        path = dictionary_path()
        _DICT = _load_cached(path) if path else Misspellings({}, 0, {})
    return _DICT


def _load_cached(path: Path) -> Misspellings:
    import sys
    import zlib  # a short file name for the key; the key itself is stored and compared

    stat = path.stat()
    version = _codespell_version(path)
    vocabulary = VOCABULARY.read_bytes()
    key = f"{_FORMAT}-{version}-{stat.st_size}-{stat.st_mtime_ns}-{sys.version_info[:2]}-{path}" \
        f"-{zlib.crc32(vocabulary):08x}"
    label = "".join(c for c in version if c.isalnum() or c in ".-")
    name = f"codespell-{label}-{zlib.crc32(key.encode()):08x}.marshal"
    raw = read_cache(name)
    cached = Misspellings.load(raw, key) if raw is not None else None
    if cached is not None:
        return cached
    parsed = parse_dictionary(path.read_text(encoding="utf-8"))
    for word in field_words(vocabulary.decode("utf-8")):
        parsed.pop(word, None)
    words = Misspellings.from_dict(parsed)
    write_cache(name, words.dump(key), "codespell-")
    return words


def field_words(text: str) -> list[str]:
    """The shipped vocabulary file's words (comments and blank lines aside)."""
    return [line.strip().lower() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _codespell_version(path: Path) -> str:
    try:
        text = (path.parent.parent / "_version.py").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = re.search(r"""version\s*=\s*['"]([^'"]+)""", text)
    return found.group(1) if found else "unknown"


def parse_dictionary(text: str) -> dict[str, tuple[str, ...]]:
    """codespell's format: `wrong->fix1, fix2,` where a field after the last comma is a reason."""
    words: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        wrong, arrow, fixes = line.partition("->")
        if not arrow:
            continue
        if "," in fixes:
            fixes = fixes.rsplit(",", 1)[0]
        candidates = tuple(c.strip() for c in fixes.split(",") if c.strip())
        if candidates:
            words[wrong.strip().lower()] = candidates
    return words
