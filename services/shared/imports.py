"""What every file import reports: the problems found, by line and column, and the rows kept.

An import is all or nothing: `ValidationReport.ok` only when no line has a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.core.messages import N_

# csv.Error while reading a line: a field over csv.field_size_limit() (128 KiB), a line break
# outside quotes; the import is refused with this problem at the line, never with a crash
UNREADABLE_LINE = N_("This line cannot be read as CSV (a field longer than 131,072 characters "
                     "or a misplaced quote or line break).")


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
