"""The collection rules kept up to date page by page: NK701, NK702, NK703 and NK404 as groups.

rules/collection.py defines the rules over every page's facts at once. Their
findings fall apart into independent groups: NK701 per normalised title, NK702
per URL (with the Meta Info URLs it skips), NK404 per institution, NK703 per
page. So what is kept between runs (in the index of a file set, see index.py) is,
per group, where its members are, and the group's findings:

- titles and URLs as sorted arrays of (64-bit hash, position), position = page
  ordinal << 32 | paper or link number: 16 bytes a paper or link, no object;
- each spelling of an institution: its count, its first place, the pages using it;
- the Meta Info URLs (NK702 skips them) as sorted (hash, page) pairs;
- the pages whose twin is stale, and each page's suppressions.

A changed page's old entries are taken out and its new ones put in, and only the
groups they touch are computed again, from the facts of their member pages (read
back from the index's blobs: a few pages, not the collection). A hash only finds
candidates: each group is split by the exact title or URL, so a collision costs
time, never a wrong finding. tests/test_groups.py checks the findings against
rules.collection.collection_findings after random changes.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from notes_kit.core.findings import Finding
from notes_kit.lint.config import Config
from notes_kit.lint.rules.facts import PageFacts

FactsOf = Callable[[int], "PageFacts | None"]
Group = tuple[str, Any]  # ("K", title hash) / ("U", URL hash) / ("A", institution)
_RECENT = 32  # pages whose facts _facts keeps unpacked
_LOW = 0xFFFFFFFF


def hash64(text: str) -> int:
    """A stable 64-bit hash (CRC-32 and Adler-32): Python's own hash changes per process."""
    data = text.encode("utf-8", "surrogatepass")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


class Pairs:
    """Sorted (hash, position) pairs in two arrays: the members of every group of one kind."""

    def __init__(self, hashes: array[int] | None = None, places: array[int] | None = None
                 ) -> None:
        self.hashes = hashes if hashes is not None else array("Q")
        self.places = places if places is not None else array("Q")

    @classmethod
    def sort(cls, hashes: array[int], places: array[int]) -> Pairs:
        """Sorted by hash, then position; bucket by bucket, so no list of every pair is made."""
        buckets = [array("I") for _ in range(256)]  # 4 bytes an entry, no int objects
        for index, key in enumerate(hashes):
            buckets[key >> 56].append(index)
        done = cls()
        for number, bucket in enumerate(buckets):
            for joined in sorted(hashes[i] << 64 | places[i] for i in bucket):
                done.hashes.append(joined >> 64)
                done.places.append(joined & 0xFFFFFFFFFFFFFFFF)
            buckets[number] = array("I")
        return done

    def members(self, key: int) -> array[int]:
        lo = bisect_left(self.hashes, key)
        return self.places[lo : bisect_right(self.hashes, key, lo)]

    def count(self, key: int) -> int:
        lo = bisect_left(self.hashes, key)
        return bisect_right(self.hashes, key, lo) - lo

    def add(self, key: int, place: int) -> None:
        lo = bisect_left(self.hashes, key)
        at = bisect_left(self.places, place, lo, bisect_right(self.hashes, key, lo))
        self.hashes.insert(at, key)
        self.places.insert(at, place)

    def remove(self, key: int, place: int) -> None:
        lo = bisect_left(self.hashes, key)
        at = bisect_left(self.places, place, lo, bisect_right(self.hashes, key, lo))
        if at < len(self.places) and self.places[at] == place and self.hashes[at] == key:
            del self.hashes[at]
            del self.places[at]

    def repeated(self) -> Iterator[int]:
        """Each hash held by two members or more: only such groups can have findings."""
        hashes = self.hashes
        for index in range(1, len(hashes)):
            if hashes[index] == hashes[index - 1] and (index < 2 or
                                                       hashes[index - 2] != hashes[index]):
                yield hashes[index]

    def dump(self) -> tuple[bytes, bytes]:
        return self.hashes.tobytes(), self.places.tobytes()

    @classmethod
    def load(cls, data: Any) -> Pairs:
        hashes, places = array("Q"), array("Q")
        hashes.frombytes(data[0])
        places.frombytes(data[1])
        if len(hashes) != len(places):
            raise ValueError("pairs of unequal length")
        return cls(hashes, places)


def _titles(ordinal: int, facts: PageFacts) -> Iterator[tuple[int, int]]:
    return ((hash64(key), ordinal << 32 | i) for i, key in enumerate(facts.keys) if key)


def _urls(ordinal: int, facts: PageFacts) -> Iterator[tuple[int, int]]:
    return ((hash64(url), ordinal << 32 | n) for n, url in enumerate(facts.urls))


def _metas(ordinal: int, facts: PageFacts) -> Iterator[tuple[int, int]]:
    return ((hash64(url), ordinal) for url in sorted(facts.meta_urls))


class Groups:
    """The state of one file set's collection rules, and its findings by group."""

    def __init__(self, paths: tuple[str, ...], config: Config, facts_of: FactsOf) -> None:
        self.paths = paths  # every file of the set, sorted: a page's ordinal is its index
        self.config = config
        self.facts_of = facts_of  # the facts of a page (its blob, or this run's facts)
        self.titles, self.urls, self.metas = Pairs(), Pairs(), Pairs()
        # spelling -> [count, ordinal, line, column of its first use, the pages using it]
        self.spellings: dict[str, list[Any]] = {}
        self.present = bytearray(len(paths))  # 1 for the pages that have facts
        self.stale: set[int] = set()
        self.marks: dict[int, Any] = {}  # ordinal -> Suppressions, for pages that have some
        self.found: dict[Group, tuple[Finding, ...]] = {}
        self.dirty: set[Group] = set()
        self._new: list[array[int]] | None = None  # pairs added by add(), sorted by finish()
        self._table: dict[str, str] | None = None
        self._idents: dict[str, str] = {}

    # -- a whole collection ----------------------------------------------------------------

    def add(self, ordinal: int, facts: PageFacts) -> None:
        """One page of a collection built from nothing; finish() once all are added."""
        if self._new is None:
            self._new = [array("Q") for _ in range(6)]
        for offset, entries in ((0, _titles(ordinal, facts)), (2, _urls(ordinal, facts)),
                                (4, _metas(ordinal, facts))):
            for key, place in entries:
                self._new[offset].append(key)
                self._new[offset + 1].append(place)
        self._count(ordinal, facts, 1, appending=True)
        self._page(ordinal, facts)

    def finish(self) -> None:
        """Sort what add() collected; mark every group that can have findings."""
        new, self._new = self._new or [array("Q") for _ in range(6)], None
        self.titles = Pairs.sort(new[0], new[1])
        new[0] = new[1] = array("Q")  # each kind's unsorted pairs let go once sorted
        self.urls = Pairs.sort(new[2], new[3])
        new[2] = new[3] = array("Q")
        self.metas = Pairs.sort(new[4], new[5])
        del new
        for spot in self.spellings.values():
            spot[4] = array("I", sorted(spot[4]))
        self.dirty = {("K", h) for h in self.titles.repeated()}
        self.dirty |= {("U", h) for h in self.urls.repeated()}
        self.dirty |= {("A", ident) for ident, names in self._by_ident().items()
                       if len(names) > 1}

    # -- one page at a time ----------------------------------------------------------------

    def change(self, ordinal: int, old: PageFacts | None, new: PageFacts | None) -> None:
        """One page's facts replaced (None: not, or no longer, a conference page)."""
        self.__dict__.pop("_recent", None)
        for facts, sign in ((old, -1), (new, 1)):
            if facts is None:
                continue
            for pairs, entries in ((self.titles, _titles(ordinal, facts)),
                                   (self.urls, _urls(ordinal, facts)),
                                   (self.metas, _metas(ordinal, facts))):
                for key, place in entries:
                    (pairs.add if sign > 0 else pairs.remove)(key, place)
            self.dirty.update(("K", hash64(k)) for k in facts.keys if k)
            self.dirty.update(("U", hash64(u)) for u in (*facts.urls, *facts.meta_urls))
            self.dirty.update(("A", self.ident(name)) for name, *_ in facts.affiliations)
            self._count(ordinal, facts, sign)
        self.present[ordinal] = 0
        self.stale.discard(ordinal)
        self.marks.pop(ordinal, None)
        if new is not None:
            self._page(ordinal, new)

    def _page(self, ordinal: int, facts: PageFacts) -> None:
        self.present[ordinal] = 1
        if facts.twin_stale:
            self.stale.add(ordinal)
        if facts.suppressions is not None:
            self.marks[ordinal] = facts.suppressions

    def _count(self, ordinal: int, facts: PageFacts, sign: int, appending: bool = False
               ) -> None:
        """NK404's tally: each spelling's count, the pages using it and its first place."""
        for name, count, line, column in facts.affiliations:
            spot = self.spellings.setdefault(name, [0, -1, 0, 0, array("I")])
            spot[0] += sign * count
            pages = spot[4]
            if appending:
                pages.append(ordinal)  # finish() sorts them once
            elif sign > 0:
                pages.insert(bisect_left(pages, ordinal), ordinal)
            else:
                at = bisect_left(pages, ordinal)
                if at < len(pages) and pages[at] == ordinal:
                    del pages[at]
            if sign > 0 and (spot[1] < 0 or ordinal <= spot[1]):
                spot[1:4] = [ordinal, line, column]
            elif sign < 0 and spot[1] == ordinal:
                spot[1] = -1  # looked up again when needed (see _first)
            if not pages:
                del self.spellings[name]

    # -- findings -----------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Every collection finding (sorted), the dirty groups computed again first."""
        self.__dict__.pop("_recent", None)  # facts may have changed since the last time
        idents = self._by_ident() if any(kind == "A" for kind, _ in self.dirty) else {}
        for group in self.dirty:
            kind, key = group
            found = (self._titles_of(key) if kind == "K" else self._urls_of(key)
                     if kind == "U" else self._spellings_of(idents.get(key, [])))
            if found:
                self.found[group] = tuple(found)
            else:
                self.found.pop(group, None)
        self.dirty = set()
        every = [f for group in self.found.values() for f in group]
        every.extend(self._stale_twins())
        return sorted(set(self._suppressed(every)))

    def _suppressed(self, findings: list[Finding]) -> list[Finding]:
        from notes_kit.lint.suppress import apply

        marks = {self.paths[o]: s for o, s in self.marks.items()}
        kept: list[Finding] = []
        held: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.path in marks:
                held.setdefault(finding.path, []).append(finding)
            else:
                kept.append(finding)
        for path, group in held.items():
            kept.extend(apply(group, marks[path], active=lambda _rule: False))
        return kept

    def _titles_of(self, key: int) -> list[Finding]:
        """NK701: every later occurrence of a title (exact), pointing at its first one."""
        from notes_kit.lint.rules.collection import duplicate

        if self.titles.count(key) < 2:
            return []
        first: dict[str, tuple[int, PageFacts, int]] = {}
        found = []
        for place in self.titles.members(key):
            facts, index = self._facts(place >> 32), place & _LOW
            title = facts.keys[index]
            where, page, at = first.setdefault(title, (place, facts, index))
            if where != place and self.config.enabled("NK701", facts.path):
                found.append(duplicate(facts, index, page.where(at)))
        return found

    def _urls_of(self, key: int) -> list[Finding]:
        """NK702: a link whose URL (exact) an earlier, differently titled paper uses."""
        from notes_kit.lint.rules.registry import RULES

        if self.urls.count(key) < 2:
            return []
        owners: dict[str, tuple[PageFacts, int, int]] = {}
        skipped: dict[str, bool] = {}
        raws: dict[int, dict[int, str]] = {}  # a page's URLs as written, by link
        found = []
        for place in self.urls.members(key):
            ordinal, number = place >> 32, place & _LOW
            facts = self._facts(ordinal)
            target = facts.urls[number]
            if target not in skipped:
                skipped[target] = self._in_meta(target)
            if skipped[target]:
                continue
            index, line, column = facts.links[3 * number : 3 * number + 3]
            page, where, at = owners.setdefault(target, (facts, ordinal, index))
            if (where, at) == (ordinal, index) or page.keys[at] == facts.keys[index]:
                continue
            if self.config.enabled("NK702", facts.path):
                if ordinal not in raws:
                    raws[ordinal] = dict(facts.raw_urls)
                shown = raws[ordinal].get(number, target)
                found.append(Finding(
                    facts.path, line, column, "NK702", f"{shown} is also the link of "
                    f"'{page.title(at)}' ({page.where(at)})", RULES["NK702"].severity))
        return found

    def _in_meta(self, url: str) -> bool:
        """Whether some page's Meta Info lists this URL (NK702 does not compare those)."""
        return any(url in self._facts(o).meta_urls
                   for o in dict.fromkeys(self.metas.members(hash64(url))))

    def _spellings_of(self, names: list[str]) -> list[Finding]:
        """NK404 for one institution, worded as rules.collection.affiliation_spellings."""
        from notes_kit.lint.rules.registry import RULES

        if len(names) < 2:
            return []
        spellings = {name: self._first(name) for name in names}
        canonical = self.table().get(self.ident(names[0]))
        preferred = canonical if canonical in spellings else min(
            spellings, key=lambda s: (-spellings[s][0], spellings[s][1]))
        path, line, _ = spellings[preferred][1]
        found = []
        for name, (_, here) in sorted(spellings.items()):
            if name != preferred and self.config.enabled("NK404", here[0]):
                found.append(Finding(
                    here[0], here[1], here[2], "NK404", f"'{name}' and '{preferred}' "
                    f"({path}:{line}) name the same institution: write it one way",
                    RULES["NK404"].severity, end_line=here[1], end_column=here[2] + len(name),
                    suggestions=(preferred,)))
        return found

    def _first(self, name: str) -> tuple[int, tuple[str, int, int]]:
        """(count, (path, line, column) of its first use) of one spelling."""
        spot = self.spellings[name]
        if spot[1] != spot[4][0]:  # its first page changed: find the place there
            ordinal = spot[4][0]
            for other, _, line, column in self._facts(ordinal).affiliations:
                if other == name:
                    spot[1:4] = [ordinal, line, column]
                    break
        return spot[0], (self.paths[spot[1]], spot[2], spot[3])

    def _stale_twins(self) -> list[Finding]:
        """NK703, when the rule is on for at least one page (its findings are on twins)."""
        from notes_kit.core.paths import twin_of
        from notes_kit.lint.rules.registry import RULES

        if not self.stale or not any(self.config.enabled("NK703", self.paths[o])
                                     for o, here in enumerate(self.present) if here):
            return []
        found = []
        for ordinal in sorted(self.stale):
            path = self.paths[ordinal]
            finding = Finding(twin_of(path), 1, 1, "NK703", f"out of date with {path}; run "
                              f"'notes-kit sync {path}'", RULES["NK703"].severity)
            if self.config.enabled("NK703", finding.path):
                found.append(finding)
        return found

    def _facts(self, ordinal: int) -> PageFacts:
        """A page's facts, the last few kept unpacked: one group (a URL on every link of a
        page, say) asks for the same page once per member."""
        memo: dict[int, PageFacts] = self.__dict__.setdefault("_recent", {})
        facts = memo.get(ordinal)
        if facts is None:
            facts = self.facts_of(ordinal)
            if facts is None:
                raise LookupError(f"no facts for {self.paths[ordinal]}")
            if len(memo) >= _RECENT:
                memo.pop(next(iter(memo)))
            memo[ordinal] = facts
        return facts

    # -- institutions -------------------------------------------------------------------

    def table(self) -> dict[str, str]:
        """Spelling-blind key -> canonical name (as rules.collection._alias_table)."""
        if self._table is None:
            from notes_kit.lint.rules.collection import _alias_table

            self._table = _alias_table(self.config)
        return self._table

    def ident(self, name: str) -> str:
        """The institution a spelling names (its group)."""
        ident = self._idents.get(name)
        if ident is None:
            from notes_kit.lint.rules.facts import squash

            ident = self._idents[name] = squash(self.table().get(squash(name), name))
        return ident

    def _by_ident(self) -> dict[str, list[str]]:
        idents: dict[str, list[str]] = {}
        for name in self.spellings:
            idents.setdefault(self.ident(name), []).append(name)
        return idents

    # -- kept between runs --------------------------------------------------------------

    def dump(self) -> tuple[tuple[Any, ...], list[array[int]]]:
        """The state as plain values (marshal), and its six sorted arrays: the index writes
        those as they are (no copy of what is most of the state)."""
        from notes_kit.run.cache import encode

        spellings = tuple((name, s[0], s[1], s[2], s[3], s[4].tobytes())
                          for name, s in self.spellings.items())
        marks = tuple((o, tuple(tuple(item) for item in s.items))
                      for o, s in sorted(self.marks.items()))
        found = tuple((kind, key, tuple(encode("", f) for f in group))
                      for (kind, key), group in self.found.items())
        arrays = [self.titles.hashes, self.titles.places, self.urls.hashes, self.urls.places,
                  self.metas.hashes, self.metas.places]
        return (spellings, bytes(self.present), tuple(sorted(self.stale)), marks, found), arrays

    @classmethod
    def load(cls, data: Any, arrays: list[array[int]], paths: tuple[str, ...], config: Config,
             facts_of: FactsOf) -> Groups:
        """The inverse of dump(); ValueError, TypeError, IndexError or KeyError if malformed."""
        from notes_kit.core.checked import of
        from notes_kit.lint.suppress import Suppression, Suppressions
        from notes_kit.run.cache import decode

        spellings, present, stale, marks, found = data
        if len(arrays) != 6 or any(len(a) != len(b) for a, b in zip(arrays[::2], arrays[1::2],
                                                                    strict=True)):
            raise ValueError("malformed pairs")
        groups = cls(paths, config, facts_of)
        groups.titles, groups.urls, groups.metas = (Pairs(arrays[0], arrays[1]),
                                                    Pairs(arrays[2], arrays[3]),
                                                    Pairs(arrays[4], arrays[5]))
        for name, count, ordinal, line, column, pages in spellings:
            used = array("I")
            used.frombytes(pages)
            if not used or not 0 <= used[-1] < len(paths) or of(int, count) < 1:
                raise ValueError("malformed spelling")
            groups.spellings[of(str, name)] = [count, of(int, ordinal), of(int, line),
                                               of(int, column), used]
        if len(present) != len(paths):
            raise ValueError("another set of files")
        groups.present = bytearray(present)
        groups.stale = {o for o in stale if 0 <= of(int, o) < len(paths)}
        for ordinal, items in marks:
            groups.marks[ordinal] = Suppressions(paths[ordinal], tuple(
                Suppression(of(str, r), of(int, f), of(int, t), of(int, a), of(int, b))
                for r, f, t, a, b in items))
        for kind, key, group in found:
            groups.found[(of(str, kind), key)] = tuple(decode("", item) for item in group)
        return groups
