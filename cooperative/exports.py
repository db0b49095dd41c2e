"""The one CSV writer for every download of the platform.

A spreadsheet program that opens a CSV runs a cell beginning with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)`` sends the reader to a site of the author's
choosing, ``+cmd|' /C calc'!A0`` starts a program in old Excel). Contributions, proposal
titles, member names and rule labels are written by users, so every text cell that could
start a formula is prefixed with a single quote, as OWASP recommends ("CSV Injection"):
the spreadsheet shows the text as typed, with the quote, and runs nothing. A tab or a
carriage return at the start is treated the same way, since spreadsheets skip them before
looking for the formula sign; the full-width forms of the four signs too (Excel accepts
them from Japanese and Chinese input methods).

Numbers the code itself computes (``int``, ``float``, ``Decimal``) are written as they
are, so a negative figure stays a number a spreadsheet can add up; only text is checked,
so "-5" typed by a user arrives as the text '-5. Everything that writes CSV goes through
`CsvWriter` or `CsvDictWriter` (tests/test_csv_exports.py fails on any other use of the
`csv` module).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEUTRALISER = "'"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: object) -> object:
    """What is written for one value: numbers as they are, text that could start a
    formula behind a quote, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool too: written True/False as before
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return NEUTRALISER + text
    return text


class CsvWriter:
    """`csv.writer` whose every row passes through `csv_cell`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """`csv.DictWriter` with the same cells: keys not among the columns are left out,
    missing ones written empty."""

    def __init__(self, out: _Writable, fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = CsvWriter(out, **options)
        self.fieldnames = list(fieldnames)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, object]) -> None:
        self._writer.writerow([row.get(name, "") for name in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)
