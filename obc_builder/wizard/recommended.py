"""Answers the wizard proposes: recommended values, all in one step, and figures derived from earlier answers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..policy import Policy
from .answers import Answers
from .prompts import Terminal, normalize
from .questions import SCALAR_KINDS, Path, Question, relevant

ALL, ONE_BY_ONE = "all", "one by one"


def offer_recommended(terminal: Terminal, answers: Answers, policy: Policy, path: Path, question: Question,
                      announce: Callable[[], None]) -> set[str]:
    """With two or more unanswered inputs in the group ``question`` at ``path`` that have a recommended value,
    list them and offer to take them all; the names of those filled in (none when the officer prefers to
    answer one by one)."""
    offered = [field for field in question.fields
               if field.kind in SCALAR_KINDS and field.policy and field.policy in policy
               and answers.value(path + (field.name,)) is None
               and relevant(field, answers.value(path), answers.value(()))]
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
        value = normalize(field.kind, f"{policy[str(field.policy)].value.normalize():f}")
        if answers.set(path + (field.name,), value) is None:
            accepted.add(field.name)
    return accepted


def derived_answer(contract: Any, name: str) -> Any:
    """The computed figure ``name`` of the answers so far, as the officer would type it (``None`` when the
    answers it needs are not in yet): the wizard's pre-filled answer for an input declared ``derive=name``."""
    figures = getattr(contract, "figures", None)
    value = getattr(figures(), name, None) if callable(figures) else None
    return f"{value:f}" if isinstance(value, Decimal) else value
