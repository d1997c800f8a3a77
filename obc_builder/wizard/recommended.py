"""Answers the wizard proposes: recommended values and answers derived from earlier ones, all in one step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..policy import Policy
from .answers import Answers, value_at
from .prompts import Terminal, normalize, shown_answer
from .questions import SCALAR_KINDS, Kind, Path, Question, parse_path, relevant

ALL, ONE_BY_ONE = "all", "one by one"


def recommended_answer(field: Question, policy: Policy) -> Any:
    """A field's recommended value as the officer would give it: typed, or for a choice, the choice whose number
    (``inp(choice_values=...)``) is the recommended one ("monthly" for at most one month between reports);
    ``None`` when it has none."""
    if not field.policy or field.policy not in policy:
        return None
    value = policy[field.policy].value
    if field.kind is Kind.choice:
        return next((stored for stored, number in field.choice_values if Decimal(number) == value), None)
    if field.kind in (Kind.choices, Kind.yesno):
        return None
    return normalize(field.kind, f"{value.normalize():f}")


def proposals(answers: Answers, policy: Policy, path: Path, question: Question) -> list[tuple[Question, Any, str]]:
    """The unanswered inputs of the group at ``path`` for which the wizard has an answer to propose now: a
    recommended value, or one derived from the answers before this group; each with the answer and why."""
    found = []
    for field in question.fields:
        if (field.kind not in SCALAR_KINDS or answers.value(path + (field.name,)) is not None
                or not relevant(field, answers.value(path), answers.value(()))):
            continue
        value, why = recommended_answer(field, policy), ""
        if value is not None:
            why = f"recommended: {policy[str(field.policy)].describe()}"
        elif field.derive and (value := derived_answer(answers.contract, field.derive)) is not None:
            why = "from your earlier answers"
        if value is not None and answers.check(path + (field.name,), value) is None:
            found.append((field, value, why))
    return found


def offer_recommended(terminal: Terminal, answers: Answers, policy: Policy, path: Path, question: Question,
                      announce: Callable[[], None]) -> set[str]:
    """With two or more unanswered inputs in the group ``question`` at ``path`` that have a recommended value or
    one derived from earlier answers, list them and offer to take them all; the names of those filled in (none
    when the officer prefers to answer one by one)."""
    offered = proposals(answers, policy, path, question)
    if len(offered) < 2:
        return set()
    announce()
    terminal.say()
    derived = any(not field.policy or field.policy not in policy for field, _, _ in offered)
    kind = "a recommended value or follow from your earlier answers" if derived else "a recommended value"
    terminal.say(f"  {len(offered)} of these answers have {kind}:", "hint")
    for field, value, why in offered:
        if derived or field.kind is Kind.choice:
            terminal.say(f"    • {field.title}: {shown_answer(field, value)} ({why})", "hint")
        else:
            terminal.say(f"    • {field.title}: {policy[str(field.policy)].describe()}", "hint")
    message = f"Use these {len(offered)} answers?" if derived else f"Use the {len(offered)} recommended values?"
    choice = terminal.select(message, [
        ("Yes, use them all (you can change any of them at the review)", ALL),
        ("No, answer them one by one", ONE_BY_ONE)], default=ALL)
    if choice != ALL:
        return set()
    accepted = set()
    for field, value, _ in offered:
        if answers.set(path + (field.name,), value) is None:
            accepted.add(field.name)
    return accepted


def derived_answer(contract: Any, name: str) -> Any:
    """What pre-fills an input declared ``derive=name``, as the officer would type it (``None`` when the answers
    it needs are not in yet): the model's ``derivations()`` value or computed figure of that name, or the
    answer at the dotted path ``name`` (``parties.county``)."""
    if "." in name:
        value = value_at(contract.model_dump(mode="json", exclude_none=True), parse_path(name))
        return value if not isinstance(value, dict | list) else None
    derivations = getattr(contract, "derivations", None)
    value = derivations().get(name) if callable(derivations) else None
    if value is None:
        figures = getattr(contract, "figures", None)
        value = getattr(figures(), name, None) if callable(figures) else None
    if isinstance(value, date):
        return value.isoformat()
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
