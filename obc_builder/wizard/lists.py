"""The add / edit / remove (and paste) menu of a repeating group, and the entries it opens.

Findings about a repeating group wait while its menu is open (see :meth:`Wizard._checkpoint`): the officer
is never stopped between two entries.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..messages import entries as entries_words
from .prompts import ask_value, help_lines
from .questions import SCALAR_KINDS, Kind, Path, Question, asked_fields, relevant
from .tables import PASTE, PASTE_LABEL, columns, paste, rows_first

if TYPE_CHECKING:
    from ..policy import Policy
    from .answers import Answers
    from .flow import Change
    from .prompts import Terminal

ADD, EDIT, REMOVE, DONE = "add", "edit", "remove", "done"


def summary(question: Question, entry: Any) -> str:
    """An entry of a repeating group in one short line (its first two answers)."""
    if isinstance(entry, dict):
        shown = [q for q in question.fields if q.kind in SCALAR_KINDS and q.kind not in (Kind.choices, Kind.yesno)
                 and entry.get(q.name) not in (None, "")]
        parts = [next((label for label, value in q.choices if value == entry[q.name]), str(entry[q.name]))
                 for q in shown]
        text = " · ".join(parts[:2]) or "(nothing filled in yet)"
    else:
        text = str(entry)
    text = " ".join(text.split())
    return text if len(text) <= 72 else text[:71] + "…"


class ListMenus:
    """The repeating-group half of :class:`~obc_builder.wizard.flow.Wizard`."""

    answers: Answers
    terminal: Terminal
    policy: Policy
    cursor: Path | None
    depth: int
    open_lists: list[Path]
    unpasted: dict[Path, str]  # rows a paste refused, offered again as typed
    _headings: list[tuple[str, str]]

    def _announce(self) -> None: ...
    def _inside(self, path: Path) -> bool:
        raise NotImplementedError
    def _ask(self, path: Path, question: Question) -> None: ...
    def fill_or_ask(self, path: Path, question: Question) -> None: ...
    def _checkpoint(self, typed: Change | None = None) -> None: ...
    def _option(self, path: Path, question: Question) -> Change:
        raise NotImplementedError

    def _repeating(self, path: Path, question: Question) -> None:
        if self.cursor is not None:
            if not self._inside(path):
                return
            if self.cursor != path and question.kind is Kind.items:
                index = self.cursor[len(path)]
                if isinstance(index, int):
                    self._entry(path, index, question)
            self.cursor = None
        self._menu(path, question)

    def _menu(self, path: Path, question: Question) -> None:
        """The add / edit / remove menu of a repeating group; findings about the group wait until it is done."""
        self.open_lists.append(path)
        try:
            self._list_menu(path, question)
        finally:
            self.open_lists.pop()
        self._checkpoint(self._option(path, question))

    def _list_menu(self, path: Path, question: Question) -> None:
        self._announce()
        self.terminal.say()
        for style, line in help_lines(question, self.policy):
            if style == "help" or question.kind is Kind.list:  # an entry's example belongs to its fields
                self.terminal.say(f"  {line}", style)
        last: str | None = None
        if rows_first(question) and not self.answers.value(path) and self._paste(path, question, True):
            return
        if question.kind is Kind.items and question.min_items and not rows_first(question) and not self.answers.value(
                path):  # a list that must have entries, still empty: its first entry, without asking what next
            self._add(path, question, 0)
        while True:
            entries = list(self.answers.value(path) or [])
            count = entries_words(len(entries)) if entries else "no entries yet"
            self.terminal.say(f"  {question.title}: {count}", "hint")
            for number, entry in enumerate(entries, 1):
                self.terminal.say(f"    {number}. {summary(question, entry)}")
            choices = [("Add an entry", ADD)]
            if entries:
                choices += [("Edit an entry", EDIT), ("Remove an entry", REMOVE)]
            choices.append(("Done with this list", DONE))
            if columns(question) is not None:
                choices.append((PASTE_LABEL, PASTE))
            default = last or (ADD if len(entries) < question.min_items else DONE)
            action = self.terminal.select(f"{question.title}: what next?", choices, default=default)
            if action == ADD:
                self._add(path, question, len(entries))
            elif action == PASTE:
                self._paste(path, question)
            elif action in (EDIT, REMOVE):
                index = self._pick(question, entries, "edit" if action == EDIT else "remove")
                if index is not None and action == EDIT:
                    self._edit(path, index, question)
                elif index is not None:
                    self._remove(path, index, question, entries[index])
            else:
                if len(entries) < question.min_items:
                    needed = "at least one entry" if question.min_items == 1 else f"{question.min_items} entries"
                    self.terminal.say(f"  A final contract needs {needed} here; the review will remind you.", "hint")
                return
            last = action if action == ADD else None  # after an edit or removal, Enter moves on

    def _paste(self, path: Path, question: Question, first: bool = False) -> bool:
        """The rows box; whether the list is complete from it: rows added (none refused, as many as needed), or,
        for an optional list opened empty, the box left empty (there are none)."""
        added, self.unpasted[path] = paste(
            self.terminal, question, lambda entry: self.answers.append(path, entry),
            lambda entry: summary(question, entry), self.unpasted.get(path, ""), first)
        entries = len(self.answers.value(path) or [])
        return not self.unpasted[path] and entries >= question.min_items and (bool(added) or first and not entries)

    def _pick(self, question: Question, entries: list[Any], verb: str) -> int | None:
        choices: list[tuple[str, int | None]] = [
            (summary(question, entry), index) for index, entry in enumerate(entries)]
        index: int | None = self.terminal.select(f"Which entry do you want to {verb}?", choices + [("Cancel", None)])
        return index

    def _add(self, path: Path, question: Question, index: int) -> None:
        if question.kind is Kind.items:
            problem = self.answers.append(path, {})
            if problem:
                self.terminal.say(f"✗ {problem}", "error")
                return
            self._entry(path, index, question)
        else:
            self._list_entry(path, index, question)

    def _edit(self, path: Path, index: int, question: Question) -> None:
        if question.kind is Kind.items:
            self._entry(path, index, question)
        else:
            self._list_entry(path, index, question)

    def _remove(self, path: Path, index: int, question: Question, entry: Any) -> None:
        problem = self.answers.remove(path, index)
        if problem:
            self.terminal.say(f"✗ {problem}", "error")
            return
        self.terminal.say(f"  Removed: {summary(question, entry)}", "hint")
        self._checkpoint(("Put the entry back", lambda: self.answers.insert(path, index, entry)))

    def _entry(self, path: Path, index: int, question: Question) -> None:
        """Fill in (or edit) one entry of a repeating group of sub-models, then run the rules on it."""
        self._walk_entry(path + (index,), question)
        self._checkpoint(self._option(path + (index,), question))

    def _walk_entry(self, item: Path, question: Question) -> None:
        heading = ("heading", f"{question.title} · entry {int(item[-1]) + 1}")
        self._headings.append(("", ""))
        self._headings.append(heading)
        self.depth += 1
        try:
            for field in asked_fields(question.fields):
                if relevant(field, self.answers.value(item), self.answers.value(())):
                    self.fill_or_ask(item + (field.name,), field)
        finally:
            self.depth -= 1
            if heading in self._headings:
                self._headings = self._headings[:self._headings.index(heading) - 1]

    def _list_entry(self, path: Path, index: int, question: Question) -> None:
        """Add (index = number of entries) or edit one entry of a repeating group of single values."""
        assert question.item is not None
        item = path + (index,)
        self._announce()
        current = self.answers.value(item)
        asked = replace(question.item, title=f"{question.title} · entry {index + 1}")
        value = ask_value(self.terminal, asked, current, self.policy,
                          lambda candidate: self.answers.check(item, candidate))
        if value is None and current is None:
            return
        problem = self.answers.set(item, value)
        if problem:
            self.terminal.say(f"✗ {problem}", "error")
            return
        if value is not None:
            self._checkpoint(self._option(item, question))

