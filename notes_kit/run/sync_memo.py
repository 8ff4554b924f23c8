"""What `sync` found up to date, so a run over an unchanged collection parses nothing.

A twin is up to date when it equals the conversion of its page; that is a function
of the page's bytes, the twin's path (its schema line) and the tool, so the cache
(its stamp covers the tool) remembers, per page, the digests of the page and of the
twin that matched. Next time both digests still match: nothing to parse or convert.
The memo is one sealed cache value per set of pages (cache.ResultCache.value), so a
damaged one is a miss and the pages are converted as before.
"""

from __future__ import annotations

from typing import Any

from notes_kit.lint.config import Config


class SyncMemo:
    def __init__(self, pages: list[str]) -> None:
        from notes_kit.run.cache import ResultCache

        self.cache = ResultCache.open(Config())
        self.key = "\0".join(pages)
        self.known: dict[str, Any] = {}  # page -> (page digest, twin digest) up to date
        self.seen: dict[str, tuple[str, str | None]] = {}
        self.changed = False
        if self.cache is not None:
            stored = self.cache.value("sync", self.key)
            if type(stored) is dict:
                self.known = stored

    def read(self, page: str, twin: str) -> tuple[bytes | None, bytes | None, bool]:
        """(page bytes, twin bytes, whether they are a pair found up to date before);
        None for a file that cannot be read here (the caller reports it as it always did)."""
        from notes_kit.core.checked import digest_of
        from notes_kit.run.cache import read_regular

        data, current = read_regular(page), read_regular(twin)
        if data is not None and self.cache is not None:
            self.seen[page] = (digest_of(data), None if current is None else digest_of(current))
        pair = self.seen.get(page)
        return data, current, pair is not None and pair[1] is not None and \
            self.known.get(page) == pair

    def fresh(self, page: str, written: str | None = None) -> None:
        """The twin equals the conversion of the page (as read, or as just `written`)."""
        from notes_kit.core.checked import digest_of

        pair = self.seen.get(page)
        if pair is None:
            return
        if written is not None:
            pair = (pair[0], digest_of(written.encode("utf-8")))
        if pair[1] is not None and self.known.get(page) != pair:
            self.known[page], self.changed = pair, True

    def save(self) -> None:
        if self.cache is not None and self.changed:
            self.cache.put_value("sync", self.key, self.known)
