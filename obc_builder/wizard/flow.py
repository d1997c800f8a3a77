"""The section-by-section walk: every question of the model, in contract order, each answer checked at once.

After every answer the rules run on the partial contract; a warning or error the answer brought about is
shown at once, and the officer keeps it (with the District's reason, if any, saved under ``departures``) or
changes the answer just typed or another field the finding names. Inside an entry of a repeating group (a
school, a payment outcome) the rules wait until the entry is complete, so a half-typed entry raises no alarm;
and a finding about a repeating group (a total over its entries: the months that add up to the base payment)
waits until the officer is done with the list, so it never stops the officer between two entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..locations import describe_path, plain_source
from ..policy import Policy
from ..rules.engine import Finding, Severity
from . import together
from .answers import Answers
from .lists import ListMenus
from .prompts import Terminal, ask_value, help_lines, normalize, shown_answer
from .questions import (
    SCALAR_KINDS,
    Kind,
    Path,
    Question,
    asked_fields,
    is_answered,
    offered,
    parse_path,
    positions,
    question_at,
    relevant,
    waiting_on,
)
from .recommended import announce_filled, derived_answer, proposal, recommended_answer

KEEP = "keep"
REASON = "The District's reason for keeping it (optional)"


def _blank(value: Any) -> bool:
    """Nothing answered: no value, or a group (and its groups) without one."""
    if isinstance(value, dict):
        return all(_blank(item) for item in value.values())
    return not is_answered(value)


def finding_key(finding: Finding) -> tuple[str, str]:
    return finding.rule, finding.path


Change = tuple[str, Callable[[], Any]]
"""A "Change …" option after a finding: its label, and what asking again does."""


class Wizard(ListMenus):
    """Asks the questions of one contract and records each answer in its :class:`Answers`."""

    def __init__(self, answers: Answers, terminal: Terminal, policy: Policy) -> None:
        self.answers = answers
        self.terminal = terminal
        self.policy = policy
        self.steps = answers.questions
        self.cursor: Path | None = None  # while set, questions before it are skipped (resuming)
        self.depth = 0  # > 0 while inside an entry of a repeating group: rules wait for the entry to end
        self.open_lists: list[Path] = []  # repeating groups whose menu is open: findings about them wait
        self.known = {finding_key(f) for f in answers.findings(policy)}  # findings the officer has seen
        self._headings: list[tuple[str, str]] = []  # (style, line) to print before the next question
        self.unpasted: dict[Path, str] = {}  # rows a paste refused, offered again as typed

    def step_title(self, index: int) -> str:
        return f"{self.steps[index].heading} · {index + 1} of {len(self.steps)}"

    def walk(self, start: Path | None = None) -> None:
        """Every step in order; with ``start``, from that question on (resuming an interrupted run)."""
        self.cursor = start
        waiting: set[str] = set()  # steps whose answers a skipped question chooses among (see ask_deferred)
        for index in range(len(self.steps)):
            waiting |= waiting_on(self.steps[index], self.answers.data)
            self.walk_step(index)
            if self.steps[index].name in waiting:
                self.ask_deferred(index)

    def ask_deferred(self, index: int) -> None:
        """Questions of earlier steps whose choices are this step's answers, still unanswered, asked now that
        there is something to choose (a baseline's payment outcome, once the payment outcomes are entered)."""
        if self.cursor is not None:
            return
        source = self.steps[index].name
        for path, answered in list(positions(self.steps[:index], self.answers.data)):
            question = question_at(self.steps, path)
            choices_from = question.choices_from or "" if question else ""
            if answered or question is None or "." not in choices_from or choices_from.split(".")[0] != source:
                continue
            self._headings = [("", ""), ("heading", describe_path(type(self.answers.contract), path[:-1]))]
            self._ask(path, question)
        self._headings = []

    def walk_step(self, index: int) -> None:
        step = self.steps[index]
        path: Path = (step.name,)
        if not self._inside(path):
            return
        self._headings = [("", ""), ("heading", self.step_title(index))]
        if step.kind is Kind.group and step.help:
            self._headings.append(("hint", step.help))
        self._ask(path, step)
        self._headings = []

    def change(self, path: Path, question: Question) -> None:
        """Ask the question at ``path`` again, pre-filled (a group's questions, a list's menu)."""
        self._change(path, question)

    def checkpoint(self) -> None:
        """Show each finding the answers so far brought about that the officer has not seen yet."""
        self._checkpoint()

    def ask_again(self, path: Path) -> None:
        """Ask the question at ``path`` once more (an answer dropped from a resumed file)."""
        question = question_at(self.steps, path)
        if question is not None and (question.kind in SCALAR_KINDS or isinstance(path[-1], int)):
            self._change(path, question)

    def _inside(self, path: Path) -> bool:
        return self.cursor is None or self.cursor[:len(path)] == path

    def _reached(self, path: Path) -> bool:
        if self.cursor is None:
            return True
        if self.cursor == path:
            self.cursor = None
            return True
        return False

    def _announce(self) -> None:
        for style, line in self._headings:
            self.terminal.say(line, style)
        self._headings = []

    def _ask(self, path: Path, question: Question) -> None:
        if question.kind is Kind.group:
            if self._inside(path):
                untouched = _blank(self.answers.value(path))
                if self.cursor is not None and untouched:
                    self.cursor = None  # resuming at the group's first question: the group starts afresh
                if question.optional_group and untouched and self.cursor is None and not self._wanted(question):
                    return
                for field in asked_fields(question.fields):
                    if relevant(field, self.answers.value(path), self.answers.value(())):
                        self.fill_or_ask(path + (field.name,), field)
        elif question.kind in (Kind.items, Kind.list):
            self._repeating(path, question)
        elif self._reached(path):
            self._answer(path, question)
            self._checkpoint(self._option(path, question))

    def _wanted(self, question: Question) -> bool:
        """Whether the officer fills in a group usually left empty (a notice contact, only if different)."""
        self._announce()
        self.terminal.say()
        if question.help:
            self.terminal.say(f"  {question.help}", "help")
        fill: bool = self.terminal.select(f"{question.title}: fill it in?", [
            ("No, leave it empty", False), ("Yes, fill it in", True)], default=False)
        return fill

    def fill_or_ask(self, path: Path, question: Question) -> None:
        """Fill in an unanswered input that has a recommended value or follows from earlier answers (with the
        inputs typed on one line with it: all or none), saying so in one line; the review lists it to confirm or
        change. Ask any other."""
        if question.kind in SCALAR_KINDS and self.cursor in (None, path):
            parts = self._parts(path, question)
            found = [item for where, part in parts if (item := proposal(self.answers, self.policy, where, part))]
            if len(found) == len(parts) and all(self.answers.set(where, value) is None
                                                for (where, _), (value, _) in zip(parts, found, strict=True)):
                self.cursor = None
                self._announce()
                value, why = found[0]
                shown = question
                if question.together:  # "Name (name, title): James Chen, Chief Executive Officer"
                    value = together.join(question.together[0], [self.answers.value(where) for where, _ in parts])
                    shown = replace(question, title=f"{question.title} ({question.together[0]})", kind=Kind.text)
                announce_filled(self.terminal, shown, value, why)
                self._checkpoint()
                return
        self._ask(path, question)

    def _parts(self, path: Path, question: Question) -> list[tuple[Path, Question]]:
        """The input at ``path`` and the siblings typed on one line with it (``inp(together=...)``)."""
        if not question.together:
            return [(path, question)]
        group = question_at(self.steps, path[:-1])
        siblings = [field for name in question.together[1] if group and (field := group.field(name))]
        return [(path, question), *((path[:-1] + (field.name,), field) for field in siblings)]

    def _answer(self, path: Path, question: Question) -> None:
        if question.together:
            self._answer_together(path, question)
            return
        question = offered(question, path, self.answers.data)  # e.g. only the strategies this grade uses
        self._announce()
        self.terminal.say()
        for style, line in help_lines(question, self.policy):
            self.terminal.say(f"  {line}", style)
        current = self.answers.value(path)
        if current is None and question.derive:
            current = derived_answer(self.answers.contract, question.derive)
        if current is None and question.kind is Kind.choice:
            current = recommended_answer(question, self.policy)  # e.g. monthly reports, pre-selected
        while True:
            value = ask_value(self.terminal, question, current, self.policy,
                              lambda candidate: self.answers.check(path, candidate))
            problem = self.answers.set(path, value)
            if problem is None:
                return
            self.terminal.say(f"✗ {problem}", "error")

    def _answer_together(self, path: Path, question: Question) -> None:
        """Ask an input and the siblings typed with it as one line (a name and title, an address, a span of dates),
        split it, and record and show back each part; a part the model refuses is said as for the input alone."""
        assert question.together is not None
        form = question.together[0]
        paths = [where for where, _ in self._parts(path, question)]
        parts = [part for _, part in self._parts(path, question)]
        self._announce()
        self.terminal.say()
        self.terminal.say(f"  {' '.join(part.help for part in parts if part.help)}", "help")
        if all(part.example is not None for part in parts):
            self.terminal.say(f"  Example: {together.join(form, [part.example for part in parts])}", "hint")

        def read(text: str) -> list[Any]:
            return [normalize(part.kind, value or "") for part, value in
                    zip(parts, together.split(form, text, len(parts)), strict=True)]

        def check(text: str) -> str | None:
            try:
                values = read(text)
            except ValueError as refused:
                return str(refused)
            return next((problem for where, value in zip(paths, values, strict=True)
                         if (problem := self.answers.check(where, value))), None)

        current = [shown_answer(part, value) if is_answered(value := self.answers.value(where)) else None
                   for part, where in zip(parts, paths, strict=True)]
        line = self.terminal.text(together.message(form, [part.title for part in parts]),
                                  default=together.join(form, current), instruction=together.INSTRUCTIONS[form],
                                  validate=check)
        values = read(line)
        for where, value in zip(paths, values, strict=True):
            self.answers.set(where, value)
        if any(value is not None for value in values):
            self.terminal.say("  ✓ " + " · ".join(f"{part.title}: {shown_answer(part, self.answers.value(where))}"
                                                   for part, where in zip(parts, paths, strict=True)), "ok")

    def _checkpoint(self, typed: Change | None = None) -> None:
        """Show each warning or error the last answer brought about; the officer keeps it (and may say why) or
        changes ``typed`` (the answer just given) or another field the finding names.

        A finding that involves a repeating group whose menu is open waits until the officer is done with it.
        """
        if self.depth:
            return
        while True:
            findings = self.answers.findings(self.policy)
            fresh = [f for f in findings if finding_key(f) not in self.known and f.severity is not Severity.info
                     and not self._waits(f)]
            if not fresh:
                break
            finding = fresh[0]
            self.show_finding(finding)
            options = self._changes(finding, typed)
            choice = self.terminal.select("Keep it, or change it?", [
                ("Keep it and go on", KEEP), *((label, index) for index, (label, _) in enumerate(options))],
                default=KEEP)
            if choice == KEEP:
                self.known.add(finding_key(finding))
                self._reason(finding)
                continue
            self.depth += 1
            try:
                options[choice][1]()
            finally:
                self.depth -= 1
        self.known = {finding_key(f) for f in findings if not self._waits(f) or finding_key(f) in self.known}

    def _waits(self, finding: Finding) -> bool:
        """Whether the finding involves a repeating group whose menu is open (the group, an entry, a field in
        an entry): a total over the entries is judged when the list is finished, not after each entry."""
        return any(parse_path(path)[:len(group)] == group for path in finding.paths for group in self.open_lists)

    def _reason(self, finding: Finding) -> None:
        """Ask why the District keeps a departure from a rule (one line, optional), saved under ``departures``."""
        current = self.answers.departure(finding.path)
        answer = self.terminal.text(
            REASON, default=current or "", instruction="(one line; Enter alone for none)",
            validate=lambda text: self.answers.check_departure(finding.path, normalize(Kind.text, text)))
        reason = normalize(Kind.text, answer)
        if reason != current:
            problem = self.answers.set_departure(finding.path, reason)
            if problem:
                self.terminal.say(f"✗ {problem}", "error")

    def _option(self, path: Path, question: Question) -> Change:
        """The "Change …" option asking the question at ``path`` again, by its plain title."""
        title = question.title
        if isinstance(path[-1], int):
            title = f"{title} · entry {path[-1] + 1}"
        return f"Change “{title}”", lambda: self._change(path, question)

    def _changes(self, finding: Finding, typed: Change | None) -> list[Change]:
        """The answer just given first, then every other field the finding names that the wizard asks."""
        options = [typed] if typed else []
        for location in finding.paths:
            target = self._target(location)
            if target is not None:
                option = self._option(*target)
                if all(label != option[0] for label, _ in options):
                    options.append(option)
        return options or [("Change my answer", lambda: None)]

    def _target(self, location: str) -> tuple[Path, Question] | None:
        """The question at a finding's field, when the wizard asks it given the answers so far."""
        path = parse_path(location)
        question = question_at(self.steps, path)
        if question is None:
            return None
        if isinstance(path[-1], int) and self.answers.value(path) is None:
            return None
        for end in range(1, len(path) + 1):
            asked = question_at(self.steps, path[:end])
            if isinstance(path[end - 1], str) and asked is not None and not relevant(
                    asked, self.answers.value(path[:end - 1]), self.answers.value(())):
                return None
        return path, question

    def _change(self, path: Path, question: Question) -> None:
        if isinstance(path[-1], int):
            if question.kind is Kind.items:
                self._walk_entry(path, question)
            else:
                self._list_entry(path[:-1], path[-1], question)
        elif question.kind in (Kind.items, Kind.list):
            self._menu(path, question)
        else:
            self._ask(path, question)

    def where(self, location: str) -> str:
        """A finding's location in words; a computed figure (``computed.…``) by the figure's own title."""
        path = parse_path(location)
        if len(path) == 2 and path[0] == "computed":
            figures = getattr(self.answers.contract, "figures", None)
            info = type(figures()).model_fields.get(str(path[1])) if callable(figures) else None
            if info is not None and info.title:
                return f"{info.title} (computed from your answers)"
        return describe_path(type(self.answers.contract), path)

    def show_finding(self, finding: Finding) -> None:
        mark, style = ("✗ Error", "error") if finding.severity is Severity.error else ("⚠ Warning", "warning")
        if finding.severity is Severity.info:
            mark, style = "ℹ Note", "hint"
        message = finding.message[:1].upper() + finding.message[1:]
        self.terminal.say(f"  {mark}: {message}", style)
        self.terminal.say(f"    Where: {self.where(finding.path)}", "hint")
        fix = finding.fix[:1].upper() + finding.fix[1:]
        self.terminal.say(f"    Fix: {fix.rstrip('.')}.", "hint")
        self.terminal.say(f"    Why: {plain_source(finding.source)}", "hint")
