"""The clauses of a rule version that a notice or a decision can cite.

Rule texts are plain text, one clause per numbered paragraph: ``1. …``, ``2) …``,
``§ 3 …`` (a title line without a number is not a clause). A paragraph's following
unnumbered lines belong to it. A text without numbered paragraphs is one clause, "1"."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERED = re.compile(r"^\s*(?:§\s*)?(\d+[a-z]?)\s*(?:[.)]|\s)\s*(\S.*)$")


@dataclass(frozen=True)
class Clause:
    id: str
    text: str

    @property
    def label(self) -> str:
        return f"{self.id}. {self.text}"


def rule_clauses(version) -> list[Clause]:
    if version is None:
        return []
    clauses: list[Clause] = []
    current: list[str] | None = None
    number = ""
    preamble: list[str] = []
    for line in (version.body or "").splitlines():
        match = NUMBERED.match(line)
        if match:
            if current is not None:
                clauses.append(Clause(number, " ".join(current)))
            number, current = match.group(1), [match.group(2).strip()]
        elif line.strip():
            if current is None:
                preamble.append(line.strip())
            else:
                current.append(line.strip())
    if current is not None:
        clauses.append(Clause(number, " ".join(current)))
    if not clauses and preamble:
        # No numbering at all: the whole text is the one clause there is.
        clauses.append(Clause("1", " ".join(preamble)))
    return clauses


def clause_by_id(version, clause_id: str) -> Clause | None:
    return next((clause for clause in rule_clauses(version) if clause.id == clause_id), None)
