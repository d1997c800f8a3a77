"""Answers the wizard proposes: recommended values, all in one step, and figures derived from earlier answers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..policy import Policy
from .answers import Answers, value_at
from .prompts import Terminal, normalize
from .questions import SCALAR_KINDS, Kind, Path, Question, relevant

ALL, ONE_BY_ONE = "all", "one by one"


def offer_recommended(terminal: Terminal, answers: Answers, policy: Policy, path: Path, question: Question,
                      announce: Callable[[], None]) -> set[str]:
    """With two or more unanswered inputs in the group ``question`` at ``path`` that have a recommended value,
    list them and offer to take them all; the names of those filled in (none when the officer prefers to
    answer one by one)."""
    offered = [field for field in question.fields
               if field.kind in SCALAR_KINDS and field.policy and field.policy in policy
               and answers.value(path + (field.name,)) is None
               and relevant(field, answers.value(path), answers.value(()))
               and answers.check(path + (field.name,), _recommended(field, policy)) is None]
    if len(offered) < 2:
        return set()
    announce()
    terminal.say()
    terminal.say(f"  {len(offered)} of these answers have a recommended value:", "hint")
    for field in offered:
        terminal.say(f"    • {field.title}: {policy[str(field.policy)].describe()}", "hint")
    choice = terminal.select(f"Use the {len(offered)} recommended values?", [
        ("Yes, use them all (you can change any of them at the review)", ALL),
        ("No, answer them one by one", ONE_BY_ONE)], default=ALL)
    if choice != ALL:
        return set()
    accepted = set()
    for field in offered:
        if answers.set(path + (field.name,), _recommended(field, policy)) is None:
            accepted.add(field.name)
    return accepted


def _recommended(field: Question, policy: Policy) -> str | None:
    """A field's recommended value as the officer would type it (a choice's recommendation, "at most one month
    between reports" for "monthly", is no answer of its own: it is then not offered in one step)."""
    return normalize(field.kind, f"{policy[str(field.policy)].value.normalize():f}")


def derived_answer(contract: Any, name: str) -> Any:
    """The computed figure ``name`` of the answers so far, as the officer would type it (``None`` when the
    answers it needs are not in yet): the wizard's pre-filled answer for an input declared ``derive=name``."""
    figures = getattr(contract, "figures", None)
    value = getattr(figures(), name, None) if callable(figures) else None
    return f"{value:f}" if isinstance(value, Decimal) else value


def _derived_fields(questions: tuple[Question, ...], prefix: Path = ()) -> list[tuple[Path, Question]]:
    found: list[tuple[Path, Question]] = []
    for question in questions:
        if question.kind is Kind.group:
            found += _derived_fields(question.fields, prefix + (question.name,))
        elif question.derive:
            found.append((prefix + (question.name,), question))
    return found


def _same(answer: Any, figure: Any) -> bool:
    try:
        return Decimal(str(answer)) == Decimal(str(figure))
    except ArithmeticError:
        return str(answer) == str(figure)


def follow_derived(answers: Answers, before: Any) -> list[str]:
    """After a change, update each answer that was the figure derived from others (the number of students, the
    sum of the school sites') to the figure's new value; a line for each answer updated. An answer the officer
    had set apart from its figure stays as it is."""
    previous = before.model_dump(mode="json", exclude_none=True)
    updated = []
    for path, question in _derived_fields(answers.questions):
        assert question.derive is not None
        old, was, now = value_at(previous, path), derived_answer(before, question.derive), derived_answer(
            answers.contract, question.derive)
        if old is None or was is None or now is None or not _same(old, was) or _same(now, was):
            continue
        if answers.value(path) is not None and not _same(answers.value(path), old):
            continue  # changed by hand in the same edit
        if answers.set(path, now) is None:
            updated.append(f"{question.title}: {old} → {now} (follows from your other answers)")
    return updated
