"""The public ways in for input, described as data: what each accepts, how it is submitted.

A capability declares its entry points (`services.shared.capability.EntryPoint`) in its
manifest: the complaint form, the receipt holder's steps, the data editors' file imports. Each
says what its input is made of (`InputField`s of a form, the header `columns` of a file) and how
a page submits it, so one test (tests/app/test_hostile_input.py) can feed every entry point of
every capability hostile input and check that each input is either stored as it was accepted or
refused with a message the portal can translate, with nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from services.core.messages import N_, UserFacingError
from services.shared.imports import Problem, ValidationReport

FieldKind = Literal["text", "choice", "choices", "date", "datetime", "number", "flag", "files",
                    "receipt"]
EntryKind = Literal["form", "import"]
Rows = Mapping[str, Sequence[Mapping[str, Any]]]  # table name -> rows, as stored
NOTHING_IMPORTED = N_("Nothing was imported. Correct these problems and upload the file again.")


@dataclass(frozen=True)
class InputField:
    """One input of a form, by what a page's widget hands over, or one column of an imported file
    (always text, meant to read as its kind):

    text (a string as typed), choice (one value, meant from `choices`), choices (a list of them),
    date (a date or None), datetime (a column only), number (a float or None), flag (a bool),
    files (a list of uploaded bytes), receipt (the secret receipt a reporter types).
    """

    name: str
    kind: FieldKind = "text"
    choices: Collection[str] | Callable[[], Collection[str]] = ()

    def allowed(self) -> list[str]:
        values = self.choices() if callable(self.choices) else self.choices
        return sorted(values)


class Refused(UserFacingError):
    """A file import refused: the report's problems (by line and column), all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0] if problems else Problem(0, "", NOTHING_IMPORTED)
        super().__init__(first.msgid, **first.params)
        self.problems = list(problems)


def accepted_or_refused(report: ValidationReport) -> ValidationReport:
    """The report of an import that stored its rows, or `Refused` with its problems."""
    if not report.ok:
        raise Refused(report.problems)
    return report
