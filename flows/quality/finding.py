"""One check of `stemwire validate`: what it looked at and what it found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems
