"""Starting from an earlier contract (``obc-builder wizard --from FILE``): last year's, a colleague's, a sample.

The officer names the new school year; every date moves by as many years, and so does every answer that is a
school year ("2025-26"). Then each section is shown with its answers, the ones that usually change in a renewal
(dates, parties, counts, money) first, and answers that still mention an earlier year are pointed out; the
officer keeps the section as it is, or picks the answers to change and only those are asked, each pre-filled.
An answer derived from others (the number of students from the school sites) follows them when they change.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from ..messages import entries as entries_words
from .prompts import shown_answer
from .questions import Kind, Path, Question, is_answered, relevant
from .recommended import follow_derived
from .tables import as_rows, columns, read_rows

if TYPE_CHECKING:
    from .flow import Wizard

SCHOOL_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*[-–/]\s*(\d{2}|(?:19|20)\d{2})\s*$")
EMBEDDED_YEAR = re.compile(r"\b((?:19|20)\d{2})(?:([-–/])(\d{2}(?:\d{2})?))?\b")
KEEP, CHANGE = "keep", "change"
RENEWED_KINDS = frozenset({Kind.date, Kind.money, Kind.integer, Kind.number, Kind.percent})
PARTY_WORDS = ("district", "provider", "representative", "board", "superintendent", "chair", "signator")
SHOWN_ENTRIES = 8


def entries_count(number: int) -> str:
    return entries_words(number) if number else "no entries"


def school_year_text(start: int, like: str = "2025-26") -> str:
    """The school year starting in ``start``, written as ``like`` writes one ("2025-2026" or "2025-26")."""
    match = SCHOOL_YEAR.match(like)
    long = bool(match and len(match.group(2)) == 4)
    return f"{start}-{start + 1}" if long else f"{start}-{(start + 1) % 100:02d}"


def parse_school_year(text: str) -> int | None:
    """The first calendar year of a school year written "2025-26" or "2025-2026" (``None`` if it is not one)."""
    match = SCHOOL_YEAR.match(text)
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    following = int(end) if len(end) == 4 else start // 100 * 100 + int(end) + (100 if int(end) < start % 100 else 0)
    return start if following == start + 1 else None


def _leaves(questions: tuple[Question, ...], data: Any, prefix: Path = ()) -> list[tuple[Path, Question, Any]]:
    """Every single answer given, with its question: in groups, in entries, and in lists of single answers."""
    found: list[tuple[Path, Question, Any]] = []
    values = data if isinstance(data, dict) else {}
    for question in questions:
        path, value = prefix + (question.name,), values.get(question.name)
        if question.kind is Kind.group:
            found += _leaves(question.fields, value, path)
        elif question.kind is Kind.items:
            for index, entry in enumerate(value if isinstance(value, list) else []):
                found += _leaves(question.fields, entry, path + (index,))
        elif question.kind is Kind.list and question.item is not None:
            found += [(path + (index,), question.item, item)
                      for index, item in enumerate(value if isinstance(value, list) else [])]
        elif is_answered(value):
            found.append((path, question, value))
    return found


def school_year_of(questions: tuple[Question, ...], data: Any) -> int | None:
    """The school year an answers file is for: an answer that is a school year, else that of its first date
    (July and later start one)."""
    leaves = _leaves(questions, data)
    for _, question, value in leaves:
        if question.kind is Kind.text and isinstance(value, str) and (start := parse_school_year(value)):
            return start
    dates = sorted(date.fromisoformat(value) for _, question, value in leaves if question.kind is Kind.date)
    return (dates[0].year if dates[0].month >= 7 else dates[0].year - 1) if dates else None


def _moved(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 in a year without one
        return day.replace(year=day.year + years, day=28)


def _years_moved(text: str, window: range, years: int) -> str:
    """``text`` with each year in ``window`` (the earlier contract's) moved ``years`` years, a school year written
    in it ("the 2024-25 school year") as one."""
    def moved(match: re.Match[str]) -> str:
        first, dash, second = match.group(1), match.group(2), match.group(3)
        if int(first) not in window:
            return match.group()
        if second and parse_school_year(f"{first}-{second}"):
            return f"{int(first) + years}{dash}{str(int(second) + years).zfill(len(second))[-len(second):]}"
        return str(int(first) + years) + (f"{dash}{second}" if second else "")

    return EMBEDDED_YEAR.sub(moved, text)


def shift(questions: tuple[Question, ...], data: dict[str, Any], years: int,
          start: int) -> tuple[dict[str, Any], dict[Path, str]]:
    """``data`` for a school year ``years`` years on from the one starting in ``start``: every date moved, every
    school-year answer with it, and in text answers every year of the earlier contract's (the two years before
    it, its own two), as "April 2025" in a timeline or "the 2024 spring F.A.S.T." in a baseline; and for each
    answer changed, what it was (the text ones are pointed out to be checked)."""
    import copy

    moved = copy.deepcopy(data)
    was: dict[Path, str] = {}
    window = range(start - 2, start + 2)
    for path, question, value in _leaves(questions, data):
        new: Any = None
        if question.kind is Kind.date:
            new = _moved(date.fromisoformat(value), years).isoformat()
        elif question.kind is Kind.text and isinstance(value, str) and (first := parse_school_year(value)):
            new = school_year_text(first + years, value)
        elif question.kind in (Kind.text, Kind.multiline) and isinstance(value, str):
            new = _years_moved(value, window, years)
        if new is not None and new != value:
            node: Any = moved
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = new
            was[path] = str(value)
    return moved, was


def usually_changes(question: Question) -> bool:
    """Dates, counts and money; the parties and their representatives."""
    words = f"{question.name} {question.title}".lower()
    return question.kind in RENEWED_KINDS or any(word in words for word in PARTY_WORDS)


class Renewal:
    """The renewal walk over a wizard whose answers were copied from an earlier contract."""

    def __init__(self, wizard: Wizard) -> None:
        self.wizard = wizard
        self.answers = wizard.answers
        self.terminal = wizard.terminal
        self.was: dict[Path, str] = {}  # text answers whose years were moved, and what they were

    def run(self, source: str) -> None:
        self.terminal.say(f"Starting from {source}: each section is shown with its answers; keep it as it is, or "
                          "pick the answers to change.", "hint")
        self.new_school_year()
        for index, step in enumerate(self.wizard.steps):
            if relevant(step, self.answers.data, self.answers.data):
                self.section(index, step)

    def new_school_year(self) -> None:
        questions, data = self.answers.questions, self.answers.data
        start = school_year_of(questions, data)
        if start is None:
            return
        like = next((value for _, q, value in _leaves(questions, data)
                     if q.kind is Kind.text and isinstance(value, str) and parse_school_year(value)), "2025-26")
        self.terminal.say()
        self.terminal.say(f"The earlier contract is for the {school_year_text(start, like)} school year.", "hint")

        def check(text: str) -> str | None:
            return None if parse_school_year(text) else "Write a school year like 2026-27 or 2026-2027."

        answer = self.terminal.text("School year of the new contract", default=school_year_text(start + 1, like),
                                    validate=check)
        years = (parse_school_year(answer) or start) - start
        if not years:
            return
        moved, was = shift(questions, data, years, start)
        problem = self.answers.set_all(moved)
        if problem:
            self.terminal.say(f"✗ The dates could not all be moved: {problem} They are left as they were.", "error")
            return
        leaves = {path: question for path, question, _ in _leaves(questions, data)}
        dates = sum(leaves[path].kind is Kind.date for path in was)
        self.was = {path: text for path, text in was.items() if leaves[path].kind is not Kind.date
                    and not parse_school_year(text)}
        span = f"{years} year{'s' if abs(years) != 1 else ''} {'forward' if years > 0 else 'back'}"
        self.terminal.say(f"  {dates} date{'s' if dates != 1 else ''} moved {span}"
                          + (f", and the years in {len(self.was)} other answers (each is marked below: check it)"
                             if self.was else "") + ".", "hint")

    def lines(self, question: Question, value: Any, depth: int = 1, path: Path = ()) -> list[tuple[str, str]]:
        """(style, line) for the answers of a section: those that usually change first, then the rest."""
        from .lists import summary

        indent = "  " * depth
        fields = [q for q in question.fields if relevant(q, value, self.answers.data)]
        fields.sort(key=lambda q: not usually_changes(q))
        shown: list[tuple[str, str]] = []
        values = value if isinstance(value, dict) else {}
        for field in fields:
            answer = values.get(field.name)
            if field.kind is Kind.group:
                shown.append(("", f"{indent}{field.title}:"))
                shown += self.lines(field, answer, depth + 1, path + (field.name,))
                continue
            if field.kind in (Kind.items, Kind.list):
                entries = answer if isinstance(answer, list) else []
                shown.append(("", f"{indent}{field.title}: {entries_count(len(entries))}"))
                for entry in entries[:SHOWN_ENTRIES]:
                    shown.append(("", f"{indent}  · {summary(field, entry)}"))
                if len(entries) > SHOWN_ENTRIES:
                    shown.append(("hint", f"{indent}  … and {len(entries) - SHOWN_ENTRIES} more"))
            else:
                text = shown_answer(field, answer)
                shown.append(("", f"{indent}{field.title}: {' '.join(text.split())}"))
            if any(moved[:len(path) + 1] == path + (field.name,) for moved in self.was):
                shown.append(("warning", f"{indent}  ⚠ years moved to the new school year: check it"))
        return shown

    def section(self, index: int, step: Question) -> None:
        path: Path = (step.name,)
        self.terminal.say()
        self.terminal.say(self.wizard.step_title(index), "heading")
        shown = step if step.kind is Kind.group else Question(
            name="", title="", heading="", help="", kind=Kind.group, fields=(step,))  # a list step: its entries
        answers = self.answers.value(path) if step.kind is Kind.group else self.answers.data
        for style, line in self.lines(shown, answers, path=path if step.kind is Kind.group else ()):
            self.terminal.say(line, style)
        choice = self.terminal.select("Keep this section as it is?", [
            ("Yes, keep it", KEEP), ("No, change some of its answers", CHANGE)], default=KEEP)
        if choice == KEEP:
            return
        before = self.answers.contract
        if step.kind is not Kind.group:
            self.change(path, step)
        else:
            fields = [q for q in step.fields if relevant(q, self.answers.value(path), self.answers.data)]
            picked = self.terminal.checkbox("Which answers do you want to change?",
                                            [(q.title, q.name) for q in fields], checked=[])
            for field in fields:
                if field.name in picked:
                    self.change(path + (field.name,), field)
        for line in follow_derived(self.answers, before):
            self.terminal.say(f"  {line}", "hint")
        self.wizard.checkpoint()

    def change(self, path: Path, question: Question) -> None:
        """Ask one answer again, pre-filled; a table or list as its rows, to edit all at once."""
        if question.kind in (Kind.items, Kind.list) and columns(question) is not None:
            self.rows(path, question)
        else:
            self.wizard.change(path, question)

    def rows(self, path: Path, question: Question) -> None:
        """The rows box pre-filled with a table's rows: what the officer leaves in it replaces the table."""
        typed = as_rows(question, self.answers.value(path) or [])
        while True:
            if question.kind is Kind.items:
                self.terminal.say(f"  Columns: {' | '.join(q.title for q in columns(question) or ())}", "hint")
            self.terminal.say(f"  Edit the rows: one {'line' if question.kind is Kind.list else 'row'} per entry, "
                              "as they will stand (emptied, the entries stay as they were).", "hint")
            typed = self.terminal.text(f"{question.title}: rows", default=typed,
                                       instruction="(Esc then Enter when done)", multiline=True)
            if not typed.strip():
                return
            rows = read_rows(question, typed)
            problems = [f"Row {number}: {reason}" for number, reason, _ in rows.refused]
            if not problems:
                problem = self.answers.set(path, [entry for _, entry, _ in rows.entries])
                problems = [problem] if problem else []
            if not problems:
                self.terminal.say(f"  {entries_count(len(self.answers.value(path) or []))}.", "hint")
                return
            for problem in problems:
                self.terminal.say(f"✗ {problem}", "error")
