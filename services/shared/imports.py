"""What every file import reports: the problems found, by line and column, and the rows kept.

An import is all or nothing: `ValidationReport.ok` only when no line has a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    row: int  # file line number (the header is line 1); 0 for the whole file
    column: str
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class ValidationReport:
    rows: list[dict[str, object]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)
