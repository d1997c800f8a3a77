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
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from .prompts import Terminal, normalize
from .questions import SCALAR_KINDS, Kind, Question

PASTE = "paste"
PASTE_LABEL = "Paste rows from a spreadsheet (or read a CSV file)"
ROWS_PROMPT = "Rows"
LIST_SEPARATOR = ";"
YES = {"yes", "y", "true", "x", "✓"}
NO = {"no", "n", "false"}


def columns(question: Question) -> tuple[Question, ...] | None:
    """The questions a row's cells answer, in order; ``None`` when the group cannot be pasted as rows (an entry
    holding a table of its own, like a baseline's values by grade: paste those inside the entry)."""
    if question.kind is Kind.list:
        item = question.item
        return (item,) if item is not None and item.kind in SCALAR_KINDS and item.kind is not Kind.multiline else None
    if question.kind is not Kind.items:
        return None
    cells = tuple(q for q in question.fields if q.kind in SCALAR_KINDS or (
        q.kind is Kind.list and q.item is not None and q.item.kind in SCALAR_KINDS))
    return cells if len(cells) == len(question.fields) else None


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
    return normalize(question.kind, text), None


@dataclass
class Rows:
    """What one paste gave: each row read (its number, the entry, its cells as typed), and each row refused with
    its reason."""

    entries: list[tuple[int, Any, list[str]]] = field(default_factory=list)
    refused: list[tuple[int, str, list[str]]] = field(default_factory=list)


def read_rows(question: Question, text: str) -> Rows:
    """The entries of pasted ``text``: for a list of single answers, one per line; for a table, one per row (a
    header row naming the columns is optional, and puts them in any order)."""
    cells = columns(question)
    assert cells is not None
    result = Rows()
    if question.kind is Kind.list:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for number, line in enumerate(lines, 1):
            line = line[1:-1] if len(line) > 1 and line[0] == line[-1] == '"' else line
            value, problem = _cell(cells[0], line)
            if problem:
                result.refused.append((number, problem, [line]))
            else:
                result.entries.append((number, value, [line]))
        return result
    rows = split_rows(text)
    order = list(range(len(cells)))
    names = [_key(cell) for cell in rows[0]] if rows else []
    keys = [(_key(q.title), _key(q.name)) for q in cells]
    def names_column(name: str, key: tuple[str, str]) -> bool:
        return name in key or (len(name) >= 4 and key[0].startswith(name))

    if any(names) and all(any(names_column(name, key) for key in keys) for name in names if name):
        order = [next((i for i, key in enumerate(keys) if names_column(name, key)), -1) for name in names]
        rows = rows[1:]
    for number, row in enumerate(rows, 1):
        if len(row) > len(cells):
            result.refused.append((number, f"{len(row)} cells, but the columns are {len(cells)}", row))
            continue
        entry: dict[str, Any] = {}
        problems = []
        for position, text_cell in enumerate(row):
            target = cells[order[position]] if position < len(order) and order[position] >= 0 else None
            if target is None:
                continue
            value, problem = _cell(target, text_cell)
            if problem:
                problems.append(problem)
            elif value is not None:
                entry[target.name] = value
        if problems:
            result.refused.append((number, "; ".join(problems), row))
        else:
            result.entries.append((number, entry, row))
    return result


def rows_text(rows: list[list[str]]) -> str:
    """Rows as tab-separated lines: what is offered again for the rows that were refused."""
    return "\n".join("\t".join(row) for row in rows)


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


def paste(terminal: Terminal, question: Question, add: Callable[[Any], str | None],
          describe: Callable[[Any], str], typed: str = "") -> str:
    """Ask for rows, add each entry that ``add`` accepts, and show every row back; returns the refused rows'
    text (to offer again), empty when every row was added."""
    cells = columns(question)
    assert cells is not None
    names = " | ".join(q.title for q in cells)
    if question.kind is Kind.list:
        terminal.say("  One entry per line.", "hint")
    else:
        terminal.say(f"  Columns, in this order: {names}", "hint")
        terminal.say("  Copy the rows in Excel or Google Sheets and paste them here; a header row naming the columns "
                     "may come first, in any order. Separate the entries of a list in one cell with “;”.", "hint")
    terminal.say("  Or type the path of a .csv file.", "hint")
    answer = terminal.text(ROWS_PROMPT, default=typed, instruction="(Esc then Enter when done)", multiline=True)
    text, problem = read_source(answer)
    if problem:
        terminal.say(f"✗ {problem}", "error")
        return answer
    rows = read_rows(question, text)
    refused = list(rows.refused)
    added = 0
    for number, entry, row in rows.entries:
        problem = add(entry)
        if problem:
            refused.append((number, problem, row))
        else:
            added += 1
            terminal.say(f"  ✓ Row {number}: {describe(entry)}")
    for number, problem, _ in sorted(refused):
        terminal.say(f"  ✗ Row {number}: {problem}", "error")
    plural = "entry" if added == 1 else "entries"
    terminal.say(f"  {added} {plural} added" + (f"; {len(refused)} row(s) not added: correct them and paste them "
                                                  "again (they are offered as you typed them)." if refused else "."),
                 "hint")
    return rows_text([row for _, _, row in sorted(refused)])

