"""Applying fixes as edits: positions, overlaps, the choice between findings."""

from __future__ import annotations

import pytest

from notes_kit.core.edits import apply_edits, compatible, line_starts, offset_of
from notes_kit.core.findings import Edit, Finding, FixKind

TEXT = "* A paper [[Paper](u)]\n* B \\[[Arxiv](v)]\n"


def test_replacement_insertion_and_deletion_on_several_lines() -> None:
    edits = [Edit(1, 11, 1, 11, "\\"), Edit(2, 8, 2, 13, "arXiv"), Edit(1, 1, 2, 1, "")]
    with pytest.raises(ValueError):
        apply_edits(TEXT, edits)  # the deletion of line 1 overlaps the insertion inside it
    assert apply_edits(TEXT, edits[:2]) == "* A paper \\[[Paper](u)]\n* B \\[[arXiv](v)]\n"
    assert apply_edits(TEXT, [edits[2]]) == "* B \\[[Arxiv](v)]\n"


def test_positions_round_trip_and_clamp() -> None:
    starts = line_starts(TEXT)
    assert len(starts) == 3  # the empty line after the final newline counts
    assert [offset_of(starts, len(TEXT), line, 1) for line in (1, 2, 3)] == [0, 23, len(TEXT)]
    assert offset_of(starts, len(TEXT), 1, 999) == TEXT.index("\n")  # end of line 1
    assert offset_of(starts, len(TEXT), 99, 1) == len(TEXT)


def test_two_insertions_at_one_point_overlap_but_touching_ranges_do_not() -> None:
    with pytest.raises(ValueError):
        apply_edits("ab", [Edit(1, 2, 1, 2, "x"), Edit(1, 2, 1, 2, "y")])
    assert apply_edits("ab", [Edit(1, 1, 1, 2, "A"), Edit(1, 2, 1, 3, "B")]) == "AB"


def _finding(line: int, rule: str, *edits: Edit) -> Finding:
    return Finding("p.md", line, 1, rule, "m", fix=FixKind.SAFE, edits=edits)


def test_compatible_takes_whole_findings_in_order_and_defers_clashes() -> None:
    first = _finding(1, "NK301", Edit(1, 11, 1, 11, "\\"))
    clash = _finding(1, "NK302", Edit(1, 10, 1, 12, "x"))
    other = _finding(2, "NK302", Edit(2, 8, 2, 13, "arXiv"))
    chosen, deferred = compatible(TEXT, [other, clash, first])
    assert chosen == [first, other]
    assert deferred == [clash]
    assert compatible(TEXT, [_finding(1, "NK503")]) == ([], [_finding(1, "NK503")])
