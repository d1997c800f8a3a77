"""Answers the wizard fills in instead of asking: recommended values, and answers that follow from earlier ones.

The walk fills each in at its turn and says so in one line; the review lists every such answer, for the officer to
confirm by generating or to change ("Change an answer the wizard proposed").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..policy import Policy
from .answers import Answers, value_at
from .prompts import Terminal, normalize, shown_answer
from .questions import SCALAR_KINDS, Kind, Path, Question, parse_path, question_at, relevant


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


def _proposed(answers: Answers, policy: Policy, field: Question) -> tuple[Any, str, bool]:
    """What the wizard would fill in for ``field`` given the answers so far, why, and whether it is a recommended
    value (else it follows from other answers); ``(None, "", False)`` when nothing."""
    value = recommended_answer(field, policy)
    if value is not None:
        return value, f"recommended: {policy[str(field.policy)].describe()}", True
    if field.derive and (value := derived_answer(answers.contract, field.derive)) is not None:
        source = question_at(answers.questions, parse_path(field.derive)) if "." in field.derive else None
        return value, f"as {source.title}" if source else "follows from your other answers", False
    return None, "", False


def proposal(answers: Answers, policy: Policy, path: Path, field: Question) -> tuple[Any, str] | None:
    """What the wizard fills in for the unanswered input ``field`` at ``path``, and why: its recommended value,
    or the answer that follows from the earlier ones (June 30 of the school year; the School Board's address);
    ``None`` when it has neither, or the model would refuse it. An optional input is given its recommended value
    only when it is asked on a condition (a termination notice for a contract paid from federal funds): needed
    then; otherwise, left empty, it says something (a stated figure to compare with)."""
    if field.kind not in SCALAR_KINDS or answers.value(path) is not None:
        return None
    value, why, recommended = _proposed(answers, policy, field)
    if value is None or (recommended and not _takes_recommended(field)) or answers.check(path, value) is not None:
        return None
    return value, why


def _takes_recommended(field: Question) -> bool:
    """Whether the wizard gives ``field`` its recommended value: a required input, or one asked on a condition."""
    return field.required or field.ask_if is not None


def filled_in(answers: Answers, policy: Policy) -> list[tuple[Path, Question, str]]:
    """The answers that hold what the wizard would fill in (the recommended value, or the answer that follows
    from the others), each with why: the review lists them for the officer to confirm or change."""
    found: list[tuple[Path, Question, str]] = []

    def walk(questions: tuple[Question, ...], prefix: Path) -> None:
        for question in questions:
            path = prefix + (question.name,)
            if question.kind is Kind.group:
                walk(question.fields, path)
                continue
            current = answers.value(path)
            if question.kind not in SCALAR_KINDS or current is None or not relevant(
                    question, answers.value(prefix), answers.value(())):
                continue
            value, why, recommended = _proposed(answers, policy, question)
            if value is not None and _same(current, value) and (_takes_recommended(question) or not recommended):
                found.append((path, question, why))

    walk(answers.questions, ())
    return found


def announce_filled(terminal: Terminal, field: Question, value: Any, why: str) -> None:
    """The line the walk prints for an answer it filled in instead of asking."""
    terminal.say(f"  ✓ {field.title}: {shown_answer(field, value)} ({why}; you can change it at the review)", "ok")


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
