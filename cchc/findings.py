"""Errors and warnings that name the sheet, the Excel row and the column."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    message: str
    sheet: str | None = None
    row: int | None = None  # the row number as Excel shows it (1-based)
    column: str | None = None  # the column's header text, or its letter when there is no header
    # what the row is about, as the row states it ("UBND xã Ia Tul, tháng 03/2019"): a clerk finds a row by its
    # unit and month faster than by its number
    context: str | None = None

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def place(self) -> str:
        """Where the finding is, for a person: sheet “Biểu 06”, dòng 12 (UBND xã Ia Tul, tháng 03/2019), cột “…”."""
        place = []
        if self.sheet:
            place.append(f"sheet “{self.sheet}”")
        if self.row:
            place.append(f"dòng {self.row}" + (f" ({self.context})" if self.context else ""))
        if self.column:
            place.append(f"cột “{self.column}”")
        return ", ".join(place)

    def located(self) -> str:
        """The message with its place, for a terminal or a log."""
        place = self.place()
        return (place + ": " if place else "") + self.message


@dataclass
class Findings:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def error(self, message: str, sheet=None, row=None, column=None) -> None:
        self.errors.append(Finding(message, sheet, row, column))

    def warn(self, message: str, sheet=None, row=None, column=None) -> None:
        self.warnings.append(Finding(message, sheet, row, column))

    def extend(self, other: "Findings") -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "errors": [f.as_dict() for f in self.errors],
            "warnings": [f.as_dict() for f in self.warnings],
        }


class WorkbookRefused(Exception):
    """Raised when a file cannot be read at all; carries the findings that say why."""

    def __init__(self, findings: Findings):
        super().__init__("; ".join(f.located() for f in findings.errors))
        self.findings = findings
