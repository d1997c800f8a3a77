"""Students' results files: the columns a contract's results have, reading them (CSV or .xlsx), and checking
every row against the contract.

Each family says which columns its results have (a :class:`Layout`, built from the contract: one column per
payment outcome, per billing month, per payment reduction); this module reads a file into typed rows and
reports every problem as one line naming the file, the row (as a spreadsheet numbers it: the header is row 1)
and the column. Student data is protected: a results file carries student ids, never names, so a column that
looks like a name, a birth date or an address is refused unless the caller allows it (and even then it is
ignored, never copied into a statement).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError

Kind = Literal["id", "choice", "date", "ref", "number", "percent", "flag", "level", "money"]

MISSING_SCORE = -1
"""An outcome's value when the student's score is not available (``missing`` in the file)."""

_YES = {"yes", "y", "true", "1", "x", "achieved"}
_NO = {"no", "n", "false", "0", "not achieved"}
# A person's name (not a school's), a birth date, an address, a phone number or an e-mail address.
_PII = re.compile(r"^names?$|(^|_)(first|last|middle|full|given|family|sur|student|parent|guardian|legal|preferred|"
                  r"nick)_?names?($|_)|birth|dob|address|street|city|zip|postal|phone|e_?mail|ssn|social_security")


def normal(header: str) -> str:
    """A column name as matched: lower case, runs of spaces and punctuation as one underscore."""
    return re.sub(r"[^a-z0-9%]+", "_", header.strip().lower()).strip("_")


@dataclass(frozen=True)
class Column:
    """One column of a results file: its header, what it holds and what it may hold."""

    key: str
    header: str
    kind: Kind
    meaning: str
    required: bool = False
    choices: tuple[str, ...] = ()
    """For ``choice``: the values the contract allows (matched through ``match``); for ``level``: tier names."""
    match: Callable[[str], str] = str.lower
    limit: Decimal | None = None
    """For ``number``: the most a row may hold (the sessions scheduled that month)."""
    window: tuple[date | None, date | None] = (None, None)
    """For ``date``: the term the date must fall in."""


@dataclass
class Layout:
    """The columns of one contract's results, in the order the template writes them."""

    columns: list[Column]

    def __post_init__(self) -> None:
        self.at = {column.key: index for index, column in enumerate(self.columns)}

    def header(self) -> list[str]:
        return [column.header for column in self.columns]


Value = Any


@dataclass
class Row:
    """One student's results: ``values`` in the layout's column order (``None`` for a blank or absent cell)."""

    number: int
    values: list[Value]


@dataclass
class Results:
    source: str
    layout: Layout
    rows: list[Row]
    problems: list[str] = field(default_factory=list)
    pii: list[str] = field(default_factory=list)
    """Columns that look like personal data: refused even in a draft (unless allowed)."""
    ignored: list[str] = field(default_factory=list)
    """Columns read but not used: personal data allowed with ``--allow-pii``, never copied anywhere."""

    def value(self, row: Row, key: str) -> Value:
        return row.values[self.layout.at[key]]


def template_csv(layout: Layout) -> bytes:
    """An empty results file: the header row alone."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(layout.header())
    return buffer.getvalue().encode("utf-8")


def read_results(path: Path, layout: Layout, *, allow_pii: bool = False) -> Results:
    """Read and check a results file; problems are collected, not raised (a draft settles anyway)."""
    source = str(path)
    table: Iterator[list[Any]] = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header = next(table, None)
    if header is None:
        raise InputError(source, None, "is empty: it needs a header row (write one with settle --template)")
    results = Results(source, layout, [])
    positions = _header(results, [str(cell or "") for cell in header], allow_pii)
    # The same few values fill most cells (yes, no, a school's name, a month's sessions): each column parses a
    # value once and remembers it, its problem too, which keeps 100,000 rows within seconds.
    seen: list[dict[Any, tuple[Value, str | None]]] = [{} for _ in layout.columns]
    ids: dict[str, int] = {}
    key = layout.at["student_id"]
    required = {index for index, column in enumerate(layout.columns) if column.required}
    for number, cells in enumerate(table, start=2):
        if not any(cells):  # a blank line between students
            continue
        # One cell more than there are columns, always None: what a family reads for a column it may lack.
        values: list[Value] = [None] * (len(layout.columns) + 1)
        width = len(cells)
        for index, position in positions:
            cell = cells[position] if position < width else None
            if cell is None or cell == "":
                if index in required:
                    results.problems.append(f"{source}: row {number}: {layout.columns[index].header}: is empty "
                                            f"({layout.columns[index].meaning})")
                continue
            known = seen[index].get(cell)
            if known is None:
                known = _parse(layout.columns[index], cell)
                if index != key:
                    seen[index][cell] = known
            values[index], problem = known
            if problem:
                results.problems.append(f"{source}: row {number}: {layout.columns[index].header}: {problem}")
        student = values[key]
        if student is not None:
            if student in ids:
                results.problems.append(f"{source}: row {number}: student_id {student} appears again (first on row "
                                        f"{ids[student]}); one row per student")
            else:
                ids[student] = number
        results.rows.append(Row(number, values))
    _references(results, ids)
    return results


def _header(results: Results, header: Sequence[str], allow_pii: bool) -> list[tuple[int, int]]:
    """(layout index, file position) of each column the file has; unknown, doubled and missing columns reported."""
    by_name = {normal(column.header): index for index, column in enumerate(results.layout.columns)}
    by_name.update({normal(column.key): index for index, column in enumerate(results.layout.columns)})
    seen: dict[int, str] = {}
    positions = []
    where = f"{results.source}: row 1"
    for position, name in enumerate(header):
        key = normal(name)
        index = by_name.get(key)
        if index is None:
            if _PII.search(key):
                if allow_pii:
                    results.ignored.append(name)
                    continue
                results.pii.append(f"{where}: column {name!r} looks like personal data (a name, birth date or "
                                        "address); results carry student ids only (FERPA). Remove the column, or "
                                        "give --allow-pii to have it ignored")
            elif key:
                known = [c.header for c in results.layout.columns if c.kind in ("level", "flag")]
                results.problems.append(f"{where}: column {name!r} is not a column of this contract's results "
                                        f"(its outcome and reduction columns: {'; '.join(known) or 'none'})")
            continue
        if index in seen:
            results.problems.append(f"{where}: column {name!r} is the same column as {seen[index]!r}")
            continue
        seen[index] = name
        positions.append((index, position))
    for index, column in enumerate(results.layout.columns):
        if column.required and index not in seen:
            results.problems.append(f"{where}: the column {column.header!r} is missing ({column.meaning})")
    return positions


class _Kept(ValueError):
    """A problem with a value a draft settlement still uses (a date outside the term; sessions over the
    schedule, counted at the schedule)."""

    def __init__(self, message: str, value: Value) -> None:
        super().__init__(message)
        self.value = value


def _parse(column: Column, cell: Any) -> tuple[Value, str | None]:
    """A cell's value and its problem (``None``: none)."""
    try:
        return _value(column, cell, _text(cell)), None
    except ValueError as error:
        return (error.value if isinstance(error, _Kept) else None), str(error)


def _value(column: Column, cell: Any, text: str) -> Value:
    if not text:
        if column.required:
            raise ValueError(f"is empty ({column.meaning})")
        return None
    if column.kind in ("id", "ref"):
        return text
    if column.kind == "flag":
        return _flag(text)
    if column.kind == "choice":
        key = column.match(text)
        for choice in column.choices:
            if column.match(choice) == key:
                return choice
        raise ValueError(f"{text!r} is not one the contract serves ({'; '.join(column.choices)})")
    if column.kind == "date":
        return _date(cell, text, column.window)
    if column.kind == "level":
        return _level(text, column.choices)
    amount = _number(text.removesuffix("%").strip() if column.kind == "percent" else text)
    if column.kind == "percent" and amount > 100:
        raise ValueError(f"{text} is more than 100%")
    if column.limit is not None and amount > column.limit:
        raise _Kept(f"{text} is more than the {column.limit.normalize():f} scheduled ({column.meaning})", column.limit)
    return amount


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _flag(text: str) -> bool:
    word = text.lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def _number(text: str) -> Decimal | int:
    """A count or an amount; a whole number as an int (the common case, and quick to add up)."""
    if text.isdigit():
        return int(text)
    try:
        amount = Decimal(text.replace(",", "").removeprefix("$"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{text!r} is not a number of zero or more")
    return amount


_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(cell: Any, text: str, window: tuple[date | None, date | None]) -> date:
    try:
        if isinstance(cell, datetime):
            day = cell.date()
        elif isinstance(cell, date):
            day = cell
        elif match := _US.match(text):
            day = date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
        else:
            day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (write 2025-09-15 or 9/15/2025)") from None
    start, end = window
    if (start and day < start) or (end and day > end):
        raise _Kept(f"{day.isoformat()} is outside the term of services ({start} to {end})", day)
    return day


def _level(text: str, tiers: tuple[str, ...]) -> int:
    """0 not achieved, 1 achieved (or the tier reached, 1 = lowest), :data:`MISSING_SCORE` for a missing score."""
    word = text.lower()
    if word in ("missing", "score missing", "n/a", "na"):
        return MISSING_SCORE
    if not tiers:
        if word in _YES:
            return 1
        if word in _NO:
            return 0
        raise ValueError(f"{text!r} is not yes, no or missing")
    if word in _NO or word == "none" or word == "":
        return 0
    number = word.removeprefix("tier").strip()
    if number.isdigit() and 1 <= int(number) <= len(tiers):
        return int(number)
    for index, name in enumerate(tiers, start=1):
        if normal(name) == normal(text):
            return index
    raise ValueError(f"{text!r} is not a tier of this outcome (write 0 for none, 1 to {len(tiers)}, or missing)")


def _references(results: Results, ids: dict[str, int]) -> None:
    if "substituted_for" not in results.layout.at:
        return
    for row in results.rows:
        old = results.value(row, "substituted_for")
        if old is not None and old not in ids:
            results.problems.append(f"{results.source}: row {row.number}: substituted_for: {old} is not a student "
                                    "id of this file (the student replaced needs a row too)")
        elif old is not None and old == results.value(row, "student_id"):
            results.problems.append(f"{results.source}: row {row.number}: substituted_for: a student cannot "
                                    "replace themselves")


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(str(path), None, f"cannot be read ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise InputError(str(path), None, "is not UTF-8 text; save it as CSV UTF-8") from error
    yield from csv.reader(io.StringIO(text))


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise InputError(str(path), None, f"is not an Excel workbook that can be read ({error})") from error
    try:
        sheet = book.worksheets[0]
        yield from (list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()
