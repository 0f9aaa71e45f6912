"""Character ranges already taken by a fact, so later extractors do not read them again
(the digits of NCT04631406 are not a number, the 6 of 6分钟步行距离 is not a duration)."""

from __future__ import annotations

import bisect

MAX_SPAN = 400  # no claimed span is longer than this: URLs and reference entries are the longest


class Claims:
    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def overlaps(self, start: int, end: int) -> bool:
        j = bisect.bisect_left(self._starts, end) - 1
        while j >= 0 and self._starts[j] > start - MAX_SPAN:
            if self._ends[j] > start:
                return True
            j -= 1
        return False

    def straddles(self, start: int, end: int) -> bool:
        """A claimed span crosses an edge of [start, end) (overlaps it without lying inside it)."""
        j = bisect.bisect_left(self._starts, end) - 1
        while j >= 0 and self._starts[j] > start - MAX_SPAN:
            s, e = self._starts[j], self._ends[j]
            if e > start and not (start <= s and e <= end):
                return True
            j -= 1
        return False
