"""Typed questionary prompts: one per kind of input, all checked through the answers' validation.

:class:`Terminal` wraps the prompt_toolkit input and output (a real terminal by default; a pipe and a dummy
output in tests) and keeps a transcript of what it said, so tests can read what the officer saw.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Always
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.layout.controls import BufferControl
from prompt_toolkit.output import Output

from ..locations import plain_source
from ..models.types import iso_date_text
from ..policy import Policy
from ..templating import format_money
from .questions import Kind, Question, is_answered
from .wrapping import columns, wrap

STYLE = questionary.Style([
    ("qmark", "fg:ansicyan bold"),
    ("question", "bold"),
    ("answer", "fg:ansicyan"),
    ("instruction", "fg:ansibrightblack"),
    ("pointer", "fg:ansicyan bold"),
    ("highlighted", "fg:ansicyan bold"),
    ("heading", "bold underline"),
    ("help", ""),
    ("hint", "fg:ansibrightblack"),
    ("warning", "fg:ansiyellow bold"),
    ("error", "fg:ansired bold"),
    ("ok", "fg:ansigreen bold"),
])

TEXT_KINDS = frozenset({Kind.text, Kind.multiline, Kind.date, Kind.money, Kind.percent, Kind.integer, Kind.number})

INSTRUCTIONS = {
    Kind.money: "(amount in dollars)",
    Kind.percent: "(percent)",
    Kind.integer: "(whole number)",
    Kind.number: "(number)",
    Kind.date: "(date: 9/8/2025, 2025-09-08 or Sep 8, 2025)",
    Kind.multiline: "(Esc then Enter to finish)",
}

EMPTY = "Leave empty for now"
UNSET: Any = object()  # no default: the pointer starts on the first choice

Check = Callable[[Any], str | None]


class Terminal:
    """The officer's terminal: prints messages and asks questionary prompts."""

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.input = input
        self.output = output
        self.transcript: list[str] = []

    def _io(self) -> dict[str, Any]:
        return {key: value for key, value in (("input", self.input), ("output", self.output)) if value is not None}

    @property
    def width(self) -> int:
        """The longest line printed: one less than the terminal's columns (80 when unknown), so that the cursor
        never wraps a full line."""
        size = self.output.get_size().columns if self.output else columns()
        return max(40, size - 1)

    def lines(self, text: str) -> list[str]:
        """``text`` as printed: wrapped at spaces to :attr:`width`, continuation lines indented two more."""
        return wrap(text, self.width)

    def say(self, text: str = "", style: str = "") -> None:
        """Print a message; a long one is wrapped at the terminal's width, keeping its indent."""
        self.transcript.append(text)
        print_formatted_text(FormattedText([(f"class:{style}" if style else "", "\n".join(self.lines(text)))]),
                             style=STYLE, output=self.output)

    def fit(self, message: str, instruction: str | None) -> str:
        """A prompt's message wrapped so that ``? message (instruction)`` never runs past the terminal's width:
        the instruction goes on a line of its own when it does not fit after the message."""
        lines = wrap(f"? {message}", self.width)
        lines[0] = lines[0][2:]
        if instruction and len(lines[-1]) + len(instruction) + 2 > self.width:
            lines.append(" ")
        return "\n".join(lines)

    def text(self, message: str, *, default: str = "", instruction: str | None = None, multiline: bool = False,
             validate: Callable[[str], str | None] | None = None) -> str:
        def verdict(text: str) -> bool | str:
            problem = validate(text) if validate else None
            if problem:
                self.transcript.append(f"✗ {problem}")
                return "\n".join(wrap(problem, self.width))
            return True

        question = questionary.text(self.fit(message, instruction), default=default, instruction=instruction,
                                    multiline=multiline, validate=verdict, validate_while_typing=False,
                                    reserve_space_for_menu=0, style=STYLE, **self._io())
        _error_under_the_answer(question.application)
        if not multiline:
            question.application.pre_run_callables.append(lambda: _select_all(question.application))
        answer = question.unsafe_ask()
        self.transcript.append(f"? {message} {answer}")
        return str(answer)

    def select(self, message: str, choices: Sequence[tuple[str, Any]], default: Any = UNSET) -> Any:
        """The value of the chosen (label, value) pair; the pointer starts on the pair whose value is ``default``."""
        start = next((i for i, (_, value) in enumerate(choices) if default is not UNSET and value == default), None)
        shortcuts = len(choices) <= 36
        options = [questionary.Choice(label, value=i) for i, (label, _) in enumerate(choices)]
        instruction = "(arrow keys or number, then Enter)" if shortcuts else "(arrow keys, then Enter)"
        index = questionary.select(
            self.fit(message, instruction), choices=options, default=options[start] if start is not None else None,
            use_shortcuts=shortcuts, style=STYLE, instruction=instruction, **self._io(),
        ).unsafe_ask()
        self.transcript.append(f"? {message} {choices[index][0]}")
        return choices[index][1]

    def checkbox(self, message: str, choices: Sequence[tuple[str, Any]], checked: Sequence[Any]) -> list[Any]:
        instruction = "(Space to tick or untick, Enter when done)"
        indexes = questionary.checkbox(
            self.fit(message, instruction),
            choices=[questionary.Choice(label, value=i, checked=value in checked)
                     for i, (label, value) in enumerate(choices)],
            style=STYLE, instruction=instruction, **self._io(),
        ).unsafe_ask()
        self.transcript.append(f"? {message} {', '.join(choices[i][0] for i in indexes)}")
        return [choices[i][1] for i in indexes]


def _error_under_the_answer(application: Application[Any]) -> None:
    """Keep the answer's window to its text, so a validation error shows on the next line, not at the bottom."""
    for window in application.layout.find_all_windows():
        if isinstance(window.content, BufferControl) and window.content.buffer.name == DEFAULT_BUFFER:
            window.dont_extend_height = Always()


def _select_all(application: Application[Any]) -> None:
    """Select the suggested answer, as a form does: Enter keeps it, typing replaces it, an arrow key edits it."""
    buffer = application.current_buffer
    if buffer.text:
        buffer.cursor_position = 0
        buffer.start_selection()
        if buffer.selection_state is not None:
            buffer.selection_state.enter_shift_mode()
        buffer.cursor_position = len(buffer.text)


def normalize(kind: Kind, text: str) -> str | None:
    """What the officer typed, as the model reads it; ``None`` for an empty answer (left unfilled)."""
    text = text.strip()
    if not text:
        return None
    if kind is Kind.date and (iso := iso_date_text(text)):
        return iso
    if kind is Kind.integer and re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        return text.replace(",", "")
    return text


def _plain_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def help_lines(question: Question, policy: Policy) -> list[tuple[str, str]]:
    """(style, line) pairs shown above a question: its help, the recommendation and why, an example."""
    lines = [("help", question.help)] if question.help else []
    if question.policy and question.policy in policy:
        entry = policy[question.policy]
        lines.append(("hint", f"Recommended: {entry.describe()} ({plain_source(entry.source)})."))
    if question.example is not None:
        lines.append(("hint", f"Example: {question.example}"))
    return lines


def default_text(question: Question, current: Any, policy: Policy) -> str:
    """The answer already given; else, for a required input, the recommended value (never the example)."""
    if current is not None:
        return str(current)
    if question.required and question.policy and question.policy in policy:
        return _plain_number(policy[question.policy].value)
    return ""


def shown_answer(question: Question, answer: Any) -> str:
    """An answer as the section shows it: a choice by its label, a date and an amount as the contract prints them."""
    if not is_answered(answer):
        return "(empty)"
    if isinstance(answer, list):
        return ", ".join(next((label for label, stored in question.choices if stored == item), str(item))
                         for item in answer)
    if question.kind is Kind.date:
        day = date.fromisoformat(str(answer))
        return f"{day:%B} {day.day}, {day.year}"
    if question.kind is Kind.money:
        return format_money(answer)
    if question.kind is Kind.yesno:
        return "Yes" if answer else "No"
    return next((label for label, stored in question.choices if stored == answer), str(answer))


def message_for(question: Question) -> str:
    optional = not question.required and "optional" not in question.title.lower()
    return f"{question.title} (optional)" if optional else question.title


def ask_value(terminal: Terminal, question: Question, current: Any, policy: Policy, check: Check) -> Any:
    """Ask one input until ``check`` accepts the answer; returns it as stored in the answers file."""
    kind = question.kind
    message = message_for(question)
    while True:
        if kind in TEXT_KINDS:
            answer = terminal.text(
                message, default=default_text(question, current, policy), instruction=INSTRUCTIONS.get(kind),
                multiline=kind is Kind.multiline, validate=lambda text: check(normalize(kind, text)))
            value: Any = normalize(kind, answer)
        elif kind is Kind.choice:
            value = terminal.select(message, [*question.choices, (EMPTY, None)], default=current)
        elif kind is Kind.yesno:
            value = terminal.select(message, [("Yes", True), ("No", False), (EMPTY, None)], default=current)
        elif kind is Kind.choices and not question.choices:  # choices_from an answer that holds none yet
            what = (question.choices_from or "other answers").replace("_", " ")
            terminal.say(f"  Nothing to choose from yet: answer the {what} first. {question.title} is left as "
                         "it is.", "hint")
            return current
        elif kind is Kind.choices:
            value = terminal.checkbox(message, question.choices, checked=current or [])
        else:
            raise ValueError(f"{question.name} is a {kind.value} question, not a single input")
        problem = check(value)
        if problem is None:
            return value
        terminal.say(f"✗ {problem}", "error")
