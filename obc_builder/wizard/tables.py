"""Tables from a spreadsheet: the entries of a repeating group pasted as rows (copied from Excel or Google
Sheets, which paste tab-separated) or read from a CSV file, each row checked and shown back.

A row becomes one entry: its cells, in the order of the entry's questions (or in any order under a header row
naming them), read as the officer would type each answer. A cell of a list answer holds its entries separated
by semicolons. Rows the model refuses are not added: each is listed with its one-sentence reason, and offered
again, as typed, for the next paste.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path as FilePath
from typing import Any

from .prompts import Terminal, normalize
from .questions import SCALAR_KINDS, Kind, Question

PASTE = "paste"
PASTE_LABEL = "Paste rows from a spreadsheet (or read a CSV file)"
LIST_SEPARATOR = ";"
YES = {"yes", "y", "true", "x", "✓"}
NO = {"no", "n", "false"}


def _flat(question: Question) -> bool:
    """An answer one cell holds: a single value, or a list of them separated by semicolons."""
    return question.kind in SCALAR_KINDS or (
        question.kind is Kind.list and question.item is not None and question.item.kind in SCALAR_KINDS)


def shape(question: Question) -> tuple[tuple[Question, ...], Question | None] | None:
    """The questions of an entry that a row's cells answer, and the table an entry may hold (a baseline's values
    by grade), whose rows are then the entry's rows; ``None`` when the group cannot be pasted as rows."""
    if question.kind is Kind.list:
        item = question.item
        ok = item is not None and item.kind in SCALAR_KINDS and item.kind is not Kind.multiline
        return ((item,), None) if ok and item is not None else None
    if question.kind is not Kind.items:
        return None
    flat = tuple(q for q in question.fields if _flat(q))
    nested = [q for q in question.fields if not _flat(q)]
    if not nested:
        return flat, None
    if len(nested) == 1 and nested[0].kind is Kind.items and all(_flat(q) for q in nested[0].fields):
        return flat, nested[0]
    return None


def columns(question: Question) -> tuple[Question, ...] | None:
    """The questions a row's cells answer, in order (an entry's, then those of the table it holds)."""
    found = shape(question)
    if found is None:
        return None
    flat, nested = found
    return flat + (nested.fields if nested else ())


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\(optional\)", "", text.lower())).strip()


def split_rows(text: str) -> list[list[str]]:
    """The rows of pasted text: tab-separated when any line holds a tab (a spreadsheet's copy), else CSV."""
    lines = text.strip("\n")
    if not lines.strip():
        return []
    dialect = "excel-tab" if "\t" in lines else "excel"
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(lines), dialect)
            if any(cell.strip() for cell in row)]


def _cell(question: Question, text: str) -> tuple[Any, str | None]:
    """One cell as the model reads that answer, or the reason it cannot be read."""
    if question.kind is Kind.list:
        assert question.item is not None
        values = [_cell(question.item, part) for part in text.split(LIST_SEPARATOR) if part.strip()]
        problem = next((problem for _, problem in values if problem), None)
        return ([value for value, _ in values] or None), problem
    if question.kind in (Kind.choice, Kind.choices):
        wanted = [part for part in (text.split(LIST_SEPARATOR) if question.kind is Kind.choices else [text])
                  if part.strip()]
        found = []
        for part in wanted:
            match = next((value for label, value in question.choices
                          if _key(part) in (_key(label), _key(str(value)))), None)
            if match is None:
                labels = ", ".join(label for label, _ in question.choices)
                return None, f"{question.title}: “{part.strip()}” is not one of the choices ({labels})"
            found.append(match)
        return (found or None) if question.kind is Kind.choices else (found[0] if found else None), None
    if question.kind is Kind.yesno:
        word = text.strip().lower()
        if not word:
            return None, None
        if word in YES or word in NO:
            return word in YES, None
        return None, f"{question.title}: write yes or no, not “{text.strip()}”"
    if question.kind is not Kind.multiline:
        text = " ".join(text.split("\n"))  # a line break in a one-line answer's cell reads as a space, as typed
    return normalize(question.kind, text), None


@dataclass
class Rows:
    """What one paste gave: each entry read (the number of its first row, the entry, its rows as typed), and each
    entry refused (the number of its first row, the reason, its rows as typed)."""

    entries: list[tuple[int, Any, list[list[str]]]] = field(default_factory=list)
    refused: list[tuple[int, str, list[list[str]]]] = field(default_factory=list)


def _header_order(cells: tuple[Question, ...], row: list[str]) -> list[int] | None:
    """The column each cell of a header row names, or ``None`` when ``row`` is not a header."""
    names = [_key(cell) for cell in row]
    keys = [(_key(q.title), _key(q.name)) for q in cells]

    def names_column(name: str, key: tuple[str, str]) -> bool:
        return name in key or (len(name) >= 4 and key[0].startswith(name))

    if not any(names) or not all(any(names_column(name, key) for key in keys) for name in names if name):
        return None
    return [next((i for i, key in enumerate(keys) if names_column(name, key)), -1) for name in names]


def read_rows(question: Question, text: str) -> Rows:
    """The entries of pasted ``text``: for a list of single answers, one per line; for a table, one per row (a
    header row naming the columns is optional, and puts them in any order). When an entry holds a table (a
    baseline's values by grade), each row holds one of its rows, and a row whose entry cells are empty or the
    same as the row above adds to the same entry."""
    found, cells = shape(question), columns(question)
    assert found is not None and cells is not None
    flat, nested = found
    result = Rows()
    if question.kind is Kind.list:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for number, line in enumerate(lines, 1):
            line = line[1:-1] if len(line) > 1 and line[0] == line[-1] == '"' else line
            value, problem = _cell(cells[0], line)
            if problem:
                result.refused.append((number, problem, [[line]]))
            else:
                result.entries.append((number, value, [[line]]))
        return result
    rows = split_rows(text)
    order = _header_order(cells, rows[0]) if rows else None
    if order is None:
        order = list(range(len(cells)))
    else:
        rows = rows[1:]
    read: list[tuple[int, dict[str, Any], list[list[str]], list[str], tuple[str, ...]]] = []
    for number, row in enumerate(rows, 1):
        if len(row) > len(cells):
            read.append((number, {}, [row], [f"{len(row)} cells, but the columns are {len(cells)}"], ()))
            continue
        entry: dict[str, Any] = {}
        inner: dict[str, Any] = {}
        problems = []
        own = []
        for position, text_cell in enumerate(row):
            index = order[position] if position < len(order) else -1
            if index < 0:
                continue
            value, problem = _cell(cells[index], text_cell)
            if index < len(flat):
                own.append(text_cell)
            if problem:
                problems.append(problem)
            elif value is not None:
                (entry if index < len(flat) else inner)[cells[index].name] = value
        if read and nested is not None and (not any(own) or tuple(own) == read[-1][4]):
            _, previous, typed, reasons, _ = read[-1]
            if inner:
                previous.setdefault(nested.name, []).append(inner)
            typed.append(row)
            reasons.extend(problems)
        else:
            if nested is not None and inner:
                entry[nested.name] = [inner]
            read.append((number, entry, [row], problems, tuple(own)))
    for number, entry, typed, reasons, _ in read:
        if reasons:
            result.refused.append((number, "; ".join(reasons), typed))
        else:
            result.entries.append((number, entry, typed))
    return result


def rows_text(rows: list[list[list[str]]]) -> str:
    """The rows of refused entries, comma-separated as :func:`as_rows` writes them: what is offered again."""
    buffer = io.StringIO()
    csv.writer(buffer, "excel", lineterminator="\n").writerows(row for typed in rows for row in typed)
    return buffer.getvalue().rstrip("\n")


def _text(question: Question, value: Any) -> str:
    """An answer as one cell: a choice by its label, yes or no, a list's entries separated by semicolons."""
    if value is None:
        return ""
    if isinstance(value, list):
        inner = question.item if question.kind is Kind.list and question.item else question
        return f"{LIST_SEPARATOR} ".join(_text(replace(inner, kind=Kind.choice) if question.kind is Kind.choices
                                               else inner, item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return next((label for label, stored in question.choices if stored == value), str(value))


def as_rows(question: Question, entries: list[Any]) -> str:
    """``entries`` as the rows box reads them (comma-separated, quoted where a cell needs it): what the box
    offers to edit when a table is opened again, and the inverse of :func:`read_rows`."""
    found = shape(question)
    assert found is not None
    flat, nested = found
    if question.kind is Kind.list:
        return "\n".join(_text(flat[0], entry) for entry in entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, "excel", lineterminator="\n")  # commas: a terminal shows a tab as ^I
    for entry in entries:
        own = [_text(q, entry.get(q.name)) for q in flat]
        inner = (entry.get(nested.name) or [{}]) if nested else [{}]
        for child in inner:
            writer.writerow(own + ([_text(q, child.get(q.name)) for q in nested.fields] if nested else []))
    return buffer.getvalue().rstrip("\n")


def read_source(answer: str) -> tuple[str, str | None]:
    """The pasted text, or a file's text when the answer is one line naming a .csv, .tsv or .txt file."""
    candidate = answer.strip().strip("'\"")
    if "\n" in candidate or not re.search(r"\.(csv|tsv|txt)$", candidate, re.IGNORECASE):
        return answer, None
    path = FilePath(candidate).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig"), None
    except FileNotFoundError:
        return "", f"{candidate}: no such file"
    except (OSError, UnicodeDecodeError) as error:
        return "", f"{candidate} cannot be read ({error})"


ROWS_FIRST_COLUMNS = 6


def rows_first(question: Question) -> bool:
    """Whether an empty repeating group opens with the rows box rather than its menu: a list of single answers
    (one per line; left empty, an optional list stays empty), or a small table that must have entries. An
    optional table (usually left empty) opens with its menu, where "Done" is one key away; so does a wide table
    or one of paragraphs (an AGR objective), whose answers are better asked one by one, each with its help and
    only when the answers before make it relevant."""
    cells = columns(question)
    if cells is None:
        return False
    if question.kind is Kind.list:  # a line of the box is one entry: typed one at a time, in effect
        return True
    return (question.min_items >= 1 and len(cells) <= ROWS_FIRST_COLUMNS
            and all(cell.kind is not Kind.multiline for cell in cells))


def rows_prompt(question: Question) -> str:
    """The prompt of the rows box: one entry per line, or one row per entry."""
    return f"{question.title}: {'one per line' if question.kind is Kind.list else 'one row each'}"


def paste(terminal: Terminal, question: Question, add: Callable[[Any], str | None],
          describe: Callable[[Any], str], typed: str = "", first: bool = False) -> tuple[int, str]:
    """Ask for rows, add each entry that ``add`` accepts, and show every row back; returns how many were added and
    the refused rows' text (to offer again), empty when every row was added. ``first``: the list is empty and
    this is its first box (left empty, the entries are added one at a time)."""
    cells = columns(question)
    assert cells is not None
    if question.kind is Kind.list:
        terminal.say("  Type or paste the entries, one per line.", "hint")
    else:
        terminal.say(f"  Columns: {' | '.join(q.title for q in cells)}", "hint")
        terminal.say("  Type one row per entry, the cells separated by commas, or copy the rows in Excel or Google "
                     "Sheets and paste them here. A header row naming the columns may come first, in any order; "
                     "separate the entries of a list in one cell with “;”.", "hint")
    if not first:
        leave = ""
    elif question.min_items == 0:
        leave = " Leave it empty if there are none."
    else:
        leave = " Leave it empty to add the entries one at a time, with the help for each answer."
    terminal.say(f"  Or type the path of a .csv file.{leave}", "hint")
    answer = terminal.text(rows_prompt(question), default=typed, instruction="(Esc then Enter when done)",
                           multiline=True)
    if not answer.strip():
        return 0, ""
    text, problem = read_source(answer)
    if problem:
        terminal.say(f"✗ {problem}", "error")
        return 0, answer
    rows = read_rows(question, text)
    refused = list(rows.refused)
    added = 0
    unit = "Line" if question.kind is Kind.list else "Row"
    for number, entry, row in rows.entries:
        problem = add(entry)
        if problem:
            refused.append((number, problem, row))
        else:
            added += 1
            terminal.say(f"  ✓ {unit} {number}: {describe(entry)}")
    for number, problem, _ in sorted(refused):
        terminal.say(f"  ✗ {unit} {number}: {problem}", "error")
    plural = "entry" if added == 1 else "entries"
    left = (f"; {len(refused)} {unit.lower()}(s) not added: correct them and paste them again (they are offered "
            "as you typed them)." if refused else ".")
    terminal.say(f"  {added} {plural} added{left}", "hint")
    return added, rows_text([row for _, _, row in sorted(refused)])

