"""Cross-article conflicts: the same trial given a different phase or size by two articles. Each
article's claim stays its own in the graph (a TrialReport of that article); the run only warns, so a
curator can look, and never fails for it (articles often report a planned and an actual size)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from stemwire.flows.publish.tables import tables

CHECKED = ("phase", "enrollment")


class TrialClaims:
    """Collects (trial, attribute) -> {value: [article ids]} from table fragments as they stream by."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        names = [c.name for c in tables()["trials"]]
        self._at = {name: names.index(name) for name in ("registry_id", *CHECKED)}

    def watch(self, fragments: Iterable[dict[str, Any]], skip: set[str]) -> Iterator[dict[str, Any]]:
        """The fragments, unchanged; those of articles in `skip` (duplicates) are not counted."""
        for fragment in fragments:
            if fragment["article_id"] not in skip:
                for row in fragment["rows"].get("trials", []):
                    for attribute in CHECKED:
                        value = row[self._at[attribute]]
                        if value:
                            trial = row[self._at["registry_id"]]
                            self.values[(trial, attribute)][value].append(fragment["article_id"])
            yield fragment

    def warnings(self) -> list[str]:
        found = []
        for (trial, attribute), by_value in sorted(self.values.items()):
            if len(by_value) > 1:
                said = "; ".join(f"{v} in {', '.join(sorted(ids))}" for v, ids in sorted(by_value.items()))
                found.append(f"articles disagree on the {attribute} of {trial}: {said}")
        return found
