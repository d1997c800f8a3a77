"""The wizard, driven through questionary with prompt_toolkit pipe input, and once in a real terminal.

Every prompt is fed by :class:`Scripted`: it checks that the wizard asks the question the script expects
next and sends that answer's keys into the pipe, so a test that goes out of step fails on the question
where it happened instead of hanging. Warnings raised along the way are kept (with no reason given) unless a
test says otherwise.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import pexpect
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput
from questionary.prompts.common import InquirerControl

from obc_builder.families import get_family
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.messages import plain_problem
from obc_builder.models.base import InputModel, inp
from obc_builder.models.types import Count, Date, Money, Percent, Text
from obc_builder.policy import Policy
from obc_builder.wizard import Terminal, WizardResult, WizardStopped, run_wizard, together
from obc_builder.wizard.flow import REASON
from obc_builder.wizard.prompts import UNSET, ask_value, message_for, normalize
from obc_builder.wizard.questions import (
    SCALAR_KINDS,
    Kind,
    Question,
    asked_fields,
    is_answered,
    offered,
    questions_of,
    relevant,
    resume_point,
)
from obc_builder.wizard.recommended import derived_answer, recommended_answer
from obc_builder.wizard.tables import as_rows, rows_first, rows_prompt

from .conftest import ROOT, SAMPLES, sample_data

ENTER = "\r"
CLEAR = "\x15"  # Ctrl-U: clear the line (a recommended default is pre-filled)
CTRL_C = "\x03"
DOWN = "\x1b[B"
FINISH_MULTILINE = "\x1b\r"  # Esc then Enter
KEEP_IT = "Keep it, or change it?"
REVIEW = "What would you like to do?"
HDT = questions_of(get_family("hdt").model)


def choose(number: int) -> str:
    """The keys that pick the ``number``-th choice (from 1) of a select prompt: its shortcut, then Enter."""
    return InquirerControl.SHORTCUT_KEYS[number - 1] + ENTER


def section(name: str) -> str:
    """The keys that pick a step of the HDT contract in the review's "Edit a section" list."""
    return choose(next(index for index, step in enumerate(HDT) if step.name == name) + 1)


def typed(text: str, multiline: bool = False) -> str:
    return CLEAR + text + (FINISH_MULTILINE if multiline else ENTER)


Script = list[tuple[str, Any]]  # (question, keys); keys may depend on the choices (see tick)


class Scripted(Terminal):
    """A terminal whose officer follows a script of (question, keys)."""

    def __init__(self, pipe: PipeInput, script: Script, findings: str | None = choose(1)) -> None:
        super().__init__(input=pipe, output=DummyOutput())
        self.pipe = pipe
        self.script = list(script)
        self.findings = findings  # the keys for "Keep it, or change it?" (1: keep it); None: only as scripted
        self.asked: list[str] = []
        self.offered: list[tuple[str, list[str]]] = []  # each select's message and its choices' labels

    def _feed(self, message: str, choices: Any = ()) -> str:
        self.asked.append(message)
        for prompt, keys in ((KEEP_IT, self.findings), (REASON, ENTER)):  # a reason: Enter keeps the one given
            if message == prompt and keys is not None and (not self.script or self.script[0][0] != prompt):
                self.pipe.send_text(keys)
                return keys
        if not self.script:
            self.pipe.close()  # nothing left to type: the input ends, as when a terminal closes
            return ""
        expected, keys = self.script.pop(0)
        assert message.startswith(expected), f"the wizard asked {message!r}; the script expected {expected!r}"
        if callable(keys):  # keys that depend on the choices offered (see tick)
            keys = keys([label for label, _ in choices])
        self.pipe.send_text(keys)
        return keys

    def text(self, message: str, **options: Any) -> str:
        self._feed(message)
        return super().text(message, **options)

    def select(self, message: str, choices: Any, default: Any = UNSET) -> Any:
        self.offered.append((message, [label for label, _ in choices]))
        keys = self._feed(message, choices)
        shortcut = keys[:1]
        if shortcut in InquirerControl.SHORTCUT_KEYS:
            assert InquirerControl.SHORTCUT_KEYS.index(shortcut) < len(choices), f"{message!r} has no choice {keys!r}"
        return super().select(message, choices, default)

    def checkbox(self, message: str, choices: Any, checked: Any) -> list[Any]:
        self._feed(message, choices)
        return super().checkbox(message, choices, checked)


def pick(start: str) -> Callable[[list[str]], str]:
    """The keys that choose, in a select, the choice whose label starts with ``start``."""
    return lambda labels: choose(next(i for i, label in enumerate(labels) if label.startswith(start)) + 1)


QUIT = pick("Save and quit")  # the review's "Save and quit (continue later with --resume)"


def tick(*starts: str) -> Callable[[list[str]], str]:
    """The keys that tick, in a checkbox, each choice whose label starts with one of ``starts``, then Enter."""
    return lambda labels: "".join((" " if label.startswith(starts) else "") + DOWN for label in labels) + ENTER


def drive(script: Script, findings: str | None = choose(1), **options: Any) -> tuple[
        WizardResult | WizardStopped, Scripted]:
    """Run the wizard on ``script``; ``findings``: the keys for an unscripted "Keep it, or change it?" (None: the
    script must name every one, as an officer who reads the screen would)."""
    with create_pipe_input() as pipe:
        terminal = Scripted(pipe, script, findings)
        try:
            result: WizardResult | WizardStopped = run_wizard(terminal=terminal, **options)
        except WizardStopped as stopped:
            result = stopped
    assert not terminal.script, f"the wizard stopped before the script's {terminal.script[0][0]!r}"
    return result, terminal


def pasted(text: str) -> str:
    """The keys of pasting ``text`` into a rows box (a terminal's bracketed paste), then finishing it."""
    return CLEAR + "\x1b[200~" + text + "\x1b[201~" + FINISH_MULTILINE


def answer_keys(question: Question, value: Any) -> str:
    if question.kind is Kind.choice:
        values = [stored for _, stored in question.choices]
        return choose(values.index(value) + 1 if value is not None else len(values) + 1)
    if question.kind is Kind.yesno:
        return choose({True: 1, False: 2, None: 3}[value])
    if question.kind is Kind.choices:
        return "".join((" " if stored in (value or []) else "") + DOWN for _, stored in question.choices) + ENTER
    text = "" if value is None else str(value)
    if question.kind is not Kind.multiline:
        text = " ".join(text.split("\n"))  # a one-line answer cannot hold a line break
    return typed(text, question.kind is Kind.multiline)


def _source_step(question: Question) -> str | None:
    """The step whose answers a question chooses among (``choices_from="outcomes.*.name"`` → "outcomes")."""
    return question.choices_from.split(".")[0] if question.choices_from and "." in question.choices_from else None


def script_for(questions: tuple[Question, ...], data: Any, prefix: tuple[Any, ...] = (), root: Any = None,
               typed: set[str] | None = None, fresh: bool = True,
               filled: set[tuple[Any, ...]] | None = None) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(path, question, keys) for typing ``data`` into a fresh wizard, question after question (those the
    answers make relevant). A question choosing among a later step's answers (a baseline's payment outcome) is
    asked right after that step, as the wizard does (``typed``: the steps typed so far). In a ``fresh`` wizard
    the inputs it fills in itself (``filled``: see :func:`filled_paths`) are not asked; the answers then hold
    :func:`with_recommended` of ``data``."""
    values = data if isinstance(data, dict) else {}
    if root is None:
        root, typed = values, set()
        if filled is None:
            filled = filled_paths(questions, values) if fresh and "family" in values else set()
    filled = filled or set()
    for question in asked_fields(questions):
        if not relevant(question, values, root):
            continue
        if typed is not None and _source_step(question) not in (None, *typed):
            continue
        path = prefix + (question.name,)
        value = values.get(question.name)
        if question.kind is Kind.group and question.optional_group and not any(
                is_answered(item) for item in (value or {}).values()):
            yield path, f"{question.title}: fill it in?", choose(1)  # left empty
        elif question.kind is Kind.group:
            if question.optional_group:
                yield path, f"{question.title}: fill it in?", choose(2)
            yield from script_for(question.fields, value, path, root, typed, fresh, filled)
        elif question.kind in (Kind.items, Kind.list) and rows_first(question):
            yield path, rows_prompt(question), pasted(as_rows(question, value)) if value else CLEAR + FINISH_MULTILINE
            if not value and question.min_items:  # a list that must have entries, left empty: its menu
                yield path, f"{question.title}: what next?", choose(2)
        elif question.kind in (Kind.items, Kind.list):
            menu = f"{question.title}: what next?"
            for index, entry in enumerate(value or []):
                if index or not (fresh and question.kind is Kind.items and question.min_items):
                    yield path, menu, choose(1)  # (a list that must have entries opens its first one at once)
                if question.kind is Kind.items:
                    yield from script_for(question.fields, entry, path + (index,), root, typed, fresh, filled)
                else:
                    assert question.item is not None
                    yield path + (index,), f"{question.title} · entry {index + 1}", answer_keys(question.item, entry)
            yield path, menu, choose(4 if value else 2)
        elif path in filled:  # filled in by the wizard, not asked
            pass
        elif question.together:  # typed on one line with its siblings: "Denise Carter, President"
            form, siblings = question.together
            parts = [question, *(field for field in questions if field.name in siblings)]
            line = together.join(form, [values.get(part.name) for part in parts])
            yield path, together.message(form, [part.title for part in parts]), CLEAR + line + ENTER
        else:
            yield path, message_for(question), answer_keys(offered(question, path, root), value)
        if not prefix and typed is not None:
            typed.add(question.name)
            yield from _deferred(questions, values, (), root, question.name)


def with_recommended(questions: tuple[Question, ...], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as a new wizard leaves it when typed: every input with a recommended value, or an answer that
    follows from the ones before it, is filled in at its turn instead of asked (see :func:`filled_paths`)."""
    return _filled(questions, data)[0]


def filled_paths(questions: tuple[Question, ...], data: dict[str, Any]) -> set[tuple[Any, ...]]:
    """Where a new wizard typing ``data`` fills in the answer itself: those inputs are never asked."""
    return _filled(questions, data)[1]


def _filled(questions: tuple[Question, ...], data: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[Any, ...]]]:
    result = copy.deepcopy(data)
    earlier: dict[str, Any] = {"family": data["family"]}  # the answers given before the one being asked
    filled: set[tuple[Any, ...]] = set()

    def walk(fields: tuple[Question, ...], node: dict[str, Any], before: dict[str, Any], prefix: tuple[Any, ...]
             ) -> None:
        for question in asked_fields(fields):
            if not relevant(question, node, result):
                continue
            path = prefix + (question.name,)
            if question.kind is Kind.group:
                walk(question.fields, node.setdefault(question.name, {}), before.setdefault(question.name, {}), path)
                continue
            if question.kind is Kind.items and not rows_first(question):
                before[question.name] = []
                for index, entry in enumerate(node.get(question.name) or []):
                    before[question.name].append({})
                    walk(question.fields, entry, before[question.name][index], path + (index,))
                continue
            if question.kind in SCALAR_KINDS:  # with the inputs typed on one line with it: all filled in, or none
                contract = contract_from_data(copy.deepcopy(earlier), "earlier answers")
                parts = [question, *(field for field in fields if field.name in (question.together or ("", ()))[1])]
                values = [recommended_answer(part, Policy()) if part.required or part.ask_if else None
                          for part in parts]
                values = [derived_answer(contract, part.derive) if value is None and part.derive else value
                          for part, value in zip(parts, values, strict=True)]
                if all(value is not None for value in values):
                    node.update({part.name: value for part, value in zip(parts, values, strict=True)})
                    filled.add(path)
            for name in (question.name, *(question.together[1] if question.together else ())):
                if name in node:
                    before[name] = copy.deepcopy(node[name])

    walk(questions, result, earlier, ())
    return result, filled


def _deferred(questions: tuple[Question, ...], data: Any, prefix: tuple[Any, ...], root: Any,
              source: str, pasted: bool = False) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """The script of the questions that choose among step ``source``'s answers, asked once it is typed (in rows
    pasted before, only those left empty)."""
    values = data if isinstance(data, dict) else {}
    for question in questions:
        path = prefix + (question.name,)
        if (not prefix and question.name == source) or not relevant(question, values, root):
            continue
        value = values.get(question.name)
        if question.kind is Kind.group:
            yield from _deferred(question.fields, value, path, root, source, pasted)
        elif question.kind is Kind.items:
            for index, entry in enumerate(value or []):
                yield from _deferred(question.fields, entry, path + (index,), root, source,
                                     pasted or rows_first(question))
        elif _source_step(question) == source and not (pasted and is_answered(value)):
            yield path, message_for(question), answer_keys(offered(question, path, root), value)


def typed_data(questions: tuple[Question, ...], data: Any) -> Any:
    """``data`` as typing it leaves it: line breaks in one-line answers become spaces."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for question in questions:
        value = data.get(question.name)
        if question.kind is Kind.group:
            result[question.name] = typed_data(question.fields, value)
        elif question.kind is Kind.items and value:
            result[question.name] = [typed_data(question.fields, entry) for entry in value]
        elif question.kind is Kind.list and value:
            result[question.name] = [" ".join(str(entry).split("\n")) for entry in value]
        elif isinstance(value, str) and question.kind is not Kind.multiline:
            result[question.name] = " ".join(value.split("\n"))
    return result


def small_contract() -> dict[str, Any]:
    """The sample with one or two entries per repeating group (and its sums made to agree): fewer keystrokes."""
    data = sample_data("hdt_fast_math")
    population = data["population"]
    population["schools"] = population["schools"][:2]
    students = sum(school["students"] for school in population["schools"])
    population["number_of_students"] = students
    population["selection_criteria"] = population["selection_criteria"][:1]
    population["timeline"] = population["timeline"][:2]
    data["outcomes"] = data["outcomes"][:1]
    kept = {outcome["name"] for outcome in data["outcomes"]}
    population["baselines"] = [b for b in population["baselines"] if b.get("outcome") in kept]
    for outcome in data["outcomes"]:
        outcome["payment_cap"] = str(Decimal(outcome["price_per_outcome"]) * students)
    card = data["rate_card"]
    card["base_cap"] = str(Decimal(card["base_price_per_student"]) * students)
    for key in [key for key in card if key.startswith("stated_")]:
        del card[key]
    data["process_outcomes"] = data["process_outcomes"][:1]
    data["data_elements"] = data["data_elements"][:2]
    data["improvement"]["meetings"] = data["improvement"]["meetings"][:1]
    data["improvement"]["stakeholders"] = data["improvement"]["stakeholders"][:2]
    return data


def saved(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    return contract_from_data(data, "test").model_dump(mode="json", exclude_none=True)


def without(data: dict[str, Any], *paths: str) -> dict[str, Any]:
    for path in paths:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if isinstance(node, list):
            del node[int(last)]
        else:
            del node[last]
    return data


def write_answers(tmp_path: Path, data: dict[str, Any], name: str = "hdt-contract.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


# The questions come from the model


def test_every_input_of_the_model_is_a_question_with_its_title_and_help() -> None:
    def leaves(questions: tuple[Question, ...]) -> Iterator[Question]:
        for question in questions:
            yield question
            yield from leaves(question.fields)

    asked = list(leaves(HDT))
    assert [q.name for q in HDT][:3] == ["parties", "dates", "district_boilerplate"]
    assert all(q.title and (q.help or q.kind is Kind.group) for q in asked)
    by_name = {q.name: q for q in asked}
    assert by_name["base_cap"].kind is Kind.money
    assert by_name["student_attendance_pct"].kind is Kind.percent
    assert by_name["student_attendance_pct"].policy == "hdt.student_attendance_pct"
    assert by_name["effective_date"].kind is Kind.date
    assert by_name["weeks"].kind is Kind.integer
    assert by_name["kind"].kind is Kind.choice and ("Data validation", "data_validation") in by_name["kind"].choices
    assert by_name["schools"].kind is Kind.items and by_name["selection_criteria"].kind is Kind.list
    assert by_name["district_boilerplate"].kind is Kind.multiline


class Colour(StrEnum):
    red = "red"
    light_blue = "light_blue"


class Everything(InputModel):
    """A model with one input of every kind the wizard knows."""

    name: Text | None = inp("Name", "A name.")
    notes: Text | None = inp("Notes", "Several lines.", multiline=True)
    start: Date | None = inp("Start", "A date.")
    price: Money | None = inp("Price", "An amount.")
    share: Percent | None = inp("Share", "A percentage.")
    count: Count | None = inp("Count", "A whole number.")
    ratio: Decimal | None = inp("Ratio", "A number.")
    colour: Colour | None = inp("Colour", "A choice.")
    licensed: bool | None = inp("Licensed", "Yes or no.", required=False)
    colours: list[Colour] = inp("Colours", "Several choices.", many=True)
    tags: list[Text] = inp("Tags", "Several lines of text.", many=True)


def test_a_new_field_in_a_model_becomes_a_question_of_the_right_kind() -> None:
    kinds = {q.name: q.kind for q in questions_of(Everything)}
    assert kinds == {"name": Kind.text, "notes": Kind.multiline, "start": Kind.date, "price": Kind.money,
                     "share": Kind.percent, "count": Kind.integer, "ratio": Kind.number, "colour": Kind.choice,
                     "licensed": Kind.yesno, "colours": Kind.choices, "tags": Kind.list}


EVERY_KIND = [
    ("name", typed("Ada"), "Ada"),
    ("name", ENTER, None),
    ("notes", typed("one\ntwo", multiline=True), "one\ntwo"),
    ("start", typed("9/8/2025"), "2025-09-08"),
    ("start", typed("2025-09-08"), "2025-09-08"),
    ("price", typed("$1,250.50"), "$1,250.50"),
    ("share", typed("80%"), "80%"),
    ("count", typed("1,250"), "1250"),
    ("ratio", typed("2.5"), "2.5"),
    ("colour", choose(2), "light_blue"),
    ("colour", choose(3), None),
    ("licensed", choose(1), True),
    ("licensed", choose(2), False),
    ("colours", " " + DOWN + " " + ENTER, ["red", "light_blue"]),
]


@pytest.mark.parametrize(("name", "keys", "expected"), EVERY_KIND,
                         ids=[f"{name}-{index}" for index, (name, _, _) in enumerate(EVERY_KIND)])
def test_each_kind_of_prompt_returns_the_answer_as_the_model_reads_it(name: str, keys: str, expected: Any) -> None:
    question = next(q for q in questions_of(Everything) if q.name == name)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        value = ask_value(Terminal(pipe, DummyOutput()), question, None, Policy(), lambda _: None)
    assert value == expected


@pytest.mark.parametrize(("keys", "expected"), [
    (ENTER, "80"), ("60" + ENTER, "60"), ("\x1b[D5" + ENTER, "850"), ("\x7f" + ENTER, None),
], ids=["enter-keeps", "typing-replaces", "arrow-edits", "backspace-empties"])
def test_a_suggested_answer_is_kept_with_enter_and_replaced_by_typing(keys: str, expected: str | None) -> None:
    question = next(q for q in questions_of(Everything) if q.name == "share")
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        value = ask_value(Terminal(pipe, DummyOutput()), question, "80", Policy(), lambda _: None)
    assert value == expected


def test_dates_in_us_form_and_thousands_separators_are_read() -> None:
    assert normalize(Kind.date, " 12/31/2025 ") == "2025-12-31"
    assert normalize(Kind.integer, "1,250") == "1250"
    assert normalize(Kind.text, "   ") is None


def steps_for(name: str, data: dict[str, Any], fresh: bool = False) -> list[tuple[str, str]]:
    """The script for typing one top-level step of ``data`` (e.g. the general provisions): by default into a step
    already answered (editing it), where nothing is filled in; ``fresh``, into an empty one (resuming before it),
    where the wizard fills in what it can (the answers then hold :func:`with_recommended` of ``data``)."""
    question = next(q for q in HDT if q.name == name)
    filled = filled_paths(HDT, data) if fresh else set()
    return [(message, keys) for _, message, keys in script_for((question,), {name: data[name]}, root=data,
                                                               fresh=fresh, filled=filled)]


def test_a_recommended_value_is_filled_in_and_the_officer_sees_it_and_why(tmp_path: Path) -> None:
    sample = sample_data("hdt_fast_math")
    data = without(sample_data("hdt_fast_math"), "termination.early_termination_cure_days", "provisions")
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        ("Continuous improvement stakeholders: what next?", ENTER),  # resumes at the menu after the last entry
        *steps_for("provisions", sample, fresh=True),  # the cure period is not asked: it is filled in
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult) and not result.outputs
    assert saved(resume)["termination"]["early_termination_cure_days"] == 30
    assert saved(resume)["provisions"] == with_recommended(HDT, sample)["provisions"]
    assert "Early-termination cure" not in " ".join(terminal.asked)
    assert ("  ✓ Early-termination cure (days): 30 (recommended: at most 30 days; you can change it at the "
            "review)") in terminal.transcript
    assert any(line.startswith("Proposed by the wizard: ") for line in terminal.transcript)  # the review lists them


def test_an_answer_the_wizard_filled_in_is_changed_from_the_review(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))  # its cure period is the recommended 30 days
    result, terminal = drive([
        (REVIEW, pick("Change an answer the wizard proposed")),
        ("Which answers do you want to change?", tick("Section K · Termination › Early-termination cure")),
        ("Early-termination cure", typed("20")),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert saved(resume)["termination"]["early_termination_cure_days"] == 20
    assert any(line.startswith("  Recommended: at most 30 days (Center for OBC HDT template, Section K)")
               for line in terminal.transcript)


class Patient(Terminal):
    """An officer who accepts every default, finishes each list as it is, and saves at the review."""

    def __init__(self, pipe: PipeInput) -> None:
        super().__init__(input=pipe, output=DummyOutput())
        self.pipe = pipe

    def select(self, message: str, choices: Any, default: Any = UNSET) -> Any:
        labels = [label for label, _ in choices]
        if message.endswith("what next?"):
            self.pipe.send_text(choose(labels.index("Done with this list") + 1))
        elif message == REVIEW:
            self.pipe.send_text(choose(labels.index("Save and quit (continue later with --resume)") + 1))
        else:
            self.pipe.send_text(ENTER)
        return super().select(message, choices, default)

    def text(self, message: str, **options: Any) -> str:
        self.pipe.send_text(FINISH_MULTILINE if options.get("multiline") else ENTER)
        return super().text(message, **options)

    def checkbox(self, message: str, choices: Any, checked: Any) -> list[Any]:
        self.pipe.send_text(ENTER)
        return super().checkbox(message, choices, checked)


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_every_family_resumes_from_its_sample_and_enter_keeps_every_answer(tmp_path: Path, sample: Path) -> None:
    data = json.loads(sample.read_text(encoding="utf-8"))
    resume = write_answers(tmp_path, data, sample.name)
    with create_pipe_input() as pipe:
        terminal = Patient(pipe)
        result = run_wizard(resume=resume, out=tmp_path, terminal=terminal)
    assert isinstance(result, WizardResult) and not result.outputs
    assert canonical(saved(resume)) == canonical(data)
    assert f"Review · {sample.name}" in terminal.transcript


# A whole contract, typed


def test_a_whole_hdt_contract_typed_question_by_question_generates_a_final_contract(tmp_path: Path) -> None:
    sample = small_contract()
    steps = list(script_for(HDT, sample))
    script = [(message, keys) for _, message, keys in steps]
    box = next(i for i, (path, _, _) in enumerate(steps) if path == ("population", "schools"))
    script[box:box + 1] = [("Participating school sites: one row each", CLEAR + FINISH_MULTILINE)] + [
        step for school in sample["population"]["schools"] for step in (  # left empty: one at a time, with help
            ("Participating school sites: what next?", choose(1)),
            ("School", typed(school["name"])), ("Students at this school", typed(str(school["students"]))))] + [
        ("Participating school sites: what next?", choose(4))]
    done = box + 1 + 3 * len(sample["population"]["schools"])
    script[done:done] = [  # on the way, a school is added, an entry edited, and the added one removed
        ("Participating school sites: what next?", choose(1)),
        ("School", typed("School to remove")),
        ("Students at this school", typed("1")),
        ("Participating school sites: what next?", choose(2)),
        ("Which entry do you want to edit?", choose(1)),
        ("School", typed("School A (renamed)")),
        ("Students at this school", ENTER),
        ("Participating school sites: what next?", choose(2)),
        ("Which entry do you want to edit?", choose(1)),
        ("School", typed(sample["population"]["schools"][0]["name"])),
        ("Students at this school", ENTER),
        ("Participating school sites: what next?", choose(3)),
        ("Which entry do you want to remove?", choose(len(sample["population"]["schools"]) + 1)),
    ]
    result, terminal = drive(script + [(REVIEW, choose(1))], family="hdt", out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft
    assert sorted(path.name for path in result.outputs) == [
        "hdt-contract.docx", "hdt-contract.forecast.png", "hdt-contract.manifest.json", "hdt-contract.md",
        "hdt-contract.review.md"]
    assert all(path.stat().st_size > 0 for path in result.outputs)
    answers = tmp_path / "hdt-contract.json"
    assert saved(answers) == canonical(typed_data(HDT, with_recommended(HDT, sample)))
    load_contract(answers)  # the file is one `obc-builder generate` reads
    assert "  Removed: School to remove · 1" in terminal.transcript
    rate_card = next(index for index, step in enumerate(HDT) if step.name == "rate_card")
    assert f"Section F · Rate card · {rate_card + 1} of {len(HDT)}" in terminal.transcript


def test_a_bad_answer_gets_one_sentence_and_the_question_again(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "rate_card", "payments", "process_outcomes", "data_elements",
                   "accountability", "improvement", "termination", "provisions")
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        ("End date", ENTER),  # resumes after the last answer: the last milestone's optional end date
        ("Payment timetable: what next?", choose(4)),
        ("Payment outcomes: what next?", choose(4)),
        # the baseline tied to no payment: asked once the outcomes are entered, and left empty again
        ("Payment outcome it supports", choose(len(data["outcomes"]) + 1)),
        ("Base payment per student", typed("a lot") + typed("-5") + typed("680.123") + typed("$680")),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardStopped)
    errors = [line for line in terminal.transcript if line.startswith("✗")]
    assert errors == [
        "✗ 'a lot' is not an amount of money (write it like 1250 or $1,250.50).",
        "✗ Base payment per student must be 0 or more.",
        "✗ Base payment per student has more than two decimal places.",
    ]
    assert saved(resume)["rate_card"]["base_price_per_student"] == "680"


@pytest.mark.parametrize(("error", "sentence"), [
    ({"type": "int_parsing", "msg": "Input should be a valid integer"}, "Weeks must be a whole number, like 12."),
    ({"type": "greater_than", "msg": "", "ctx": {"gt": 0}}, "Weeks must be more than 0."),
    ({"type": "date_from_datetime_parsing", "msg": ""},
     "Weeks must be a date, written like 2025-09-08 (year-month-day) or 9/8/2025 (month/day/year)."),
    ({"type": "value_error", "msg": "Value error, has more than two decimal places"},
     "Weeks has more than two decimal places."),
], ids=["integer", "greater-than", "date", "value-error"])
def test_pydantic_errors_read_as_one_plain_sentence(error: dict[str, Any], sentence: str) -> None:
    assert plain_problem(error, "Weeks") == sentence


# Repeating groups


def test_entries_of_a_repeating_group_are_added_edited_and_removed(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "population.course_enrollment", "population.selection_criteria",
                   "population.baselines", "population.number_of_students", "population.data_sources",
                   "population.timeline", "program", "outcomes", "rate_card", "payments", "process_outcomes",
                   "data_elements", "accountability", "improvement", "termination", "provisions")
    data["population"]["schools"] = data["population"]["schools"][:2]
    resume = write_answers(tmp_path, data)
    result, _ = drive([
        ("Participating school sites: what next?", choose(1)),  # add
        ("School", typed("School Z")),
        ("Students at this school", typed("99")),
        ("Participating school sites: what next?", choose(2)),  # edit …
        ("Which entry do you want to edit?", choose(2)),  # … School B
        ("School", typed("School B North")),
        ("Students at this school", ENTER),  # keeps 235
        ("Participating school sites: what next?", choose(3)),  # remove …
        ("Which entry do you want to remove?", choose(1)),  # … School A
        ("Participating school sites: what next?", choose(4)),  # done
        ("Course enrollment", typed("Grade 7 Mathematics")),
        ("Selection criteria: one per line", CLEAR + FINISH_MULTILINE),  # left empty: one at a time
        ("Selection criteria: what next?", choose(1)),
        ("Selection criteria · entry 1", typed("A score of Level 1 on the 2023 F.A.S.T.")),
        ("Selection criteria: what next?", choose(1)),
        ("Selection criteria · entry 2", typed("Attendance of at least 80%")),
        ("Selection criteria: what next?", choose(2)),
        ("Which entry do you want to edit?", choose(2)),
        ("Selection criteria · entry 2", typed("Attendance of at least 90%")),
        ("Selection criteria: what next?", choose(3)),
        ("Which entry do you want to remove?", choose(1)),
        ("Selection criteria: what next?", choose(4)),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardStopped)
    population = saved(resume)["population"]
    assert population["schools"] == [{"name": "School B North", "students": 235}, {"name": "School Z", "students": 99}]
    assert population["course_enrollment"] == "Grade 7 Mathematics"
    assert population["selection_criteria"] == ["Attendance of at least 90%"]


# Rules at the moment of the answer


def test_a_warning_is_shown_when_the_answer_causes_it_and_may_be_kept(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        ("Which section do you want to edit?", section("payments")),
        ("Days to pay", typed("45")),
        (KEEP_IT, choose(1)),
        ("Payment approver", ENTER),
        ("Finance office", ENTER),
        ("Maximum budget", ENTER),
        ("Funding source", ENTER),  # state or local: the federal program is not asked
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult) and not result.outputs
    assert saved(resume)["payments"]["payment_days"] == 45
    warning = terminal.transcript.index(
        "  ⚠ Warning: The time to pay an invoice is 45 days; the recommendation is at most 30 days.")
    assert terminal.transcript[warning + 1] == "    Where: Section F · Payments › Days to pay"


def test_changing_an_answer_that_caused_a_warning_asks_it_again(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        ("Which section do you want to edit?", section("rate_card")),
        ("Base payment per student", ENTER),
        ("Total base payment cap", typed("2000000")),
        (KEEP_IT, choose(2)),  # change it
        ("Total base payment cap", typed("850000")),
        ("How the base payment is earned", ENTER),  # per student: no price per session is asked
        ("Most contingent payment per student", ENTER),
        ("Payment reductions (optional): what next?", choose(2)),
        ("Per-student total you expect", ENTER),
        ("Contract total you expect", ENTER),
        ("Contingent share you expect", ENTER),
        ("Base payment timetable: what next?", choose(4)),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert saved(resume)["rate_card"]["base_cap"] == "850000"
    shown = next(i for i, line in enumerate(terminal.transcript) if line.startswith("  ✗ Error:"))
    assert terminal.transcript[shown + 1] == "    Where: Section F · Rate card › Total base payment cap"
    assert terminal.asked.count("Total base payment cap") == 2


def test_a_computed_figure_is_checked_when_the_entry_that_changes_it_is_complete(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        ("Which section do you want to edit?", section("outcomes")),
        ("Payment outcomes: what next?", choose(2)),
        ("Which entry do you want to edit?", choose(2)),
        ("Payment outcome", ENTER),  # no subject: the contract covers one
        ("Grades it applies to: one per line", FINISH_MULTILINE),  # left empty: every grade served
        *[(title, ENTER) for title in ("Metric", "Assessment window",
                                       "Price per outcome")],  # no tiers: a single price is given
        ("Outcome payment cap", typed("50000")),  # no warning yet: the entry is not complete
        ("Payment timetable: what next?", choose(4)),
        (KEEP_IT, choose(1)),
        ("Payment outcomes: what next?", choose(4)),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    shown = next(i for i, line in enumerate(terminal.transcript) if line.startswith("  ⚠ Warning:"))
    assert "contingent share" in terminal.transcript[shown]
    assert terminal.transcript[shown + 1] == (
        "    Where: Contingent share of total contract value (computed from your answers)")
    assert terminal.asked.index(KEEP_IT) == terminal.asked.index("Payment timetable: what next?") + 1


# Nothing is lost


def test_an_interrupted_run_is_saved_and_resumes_at_the_first_unanswered_question(tmp_path: Path) -> None:
    sample = small_contract()
    steps = list(script_for(HDT, sample))
    cut = next(i for i, (path, _, _) in enumerate(steps) if path == ("outcomes", 0, "metric")) + 1
    first = [(message, keys) for _, message, keys in steps[:cut]]
    stopped, _ = drive(first + [(steps[cut][1], CTRL_C)], family="hdt", out=tmp_path)
    assert isinstance(stopped, WizardStopped) and stopped.exit_code == 130
    answers = tmp_path / "hdt-contract.json"
    assert f"--resume {answers}" in " ".join(str(stopped).split())  # wrapped at spaces only
    partial = saved(answers)
    assert partial["outcomes"][0]["metric"] == sample["outcomes"][0]["metric"]
    assert "window_start" not in partial["outcomes"][0] and "base_cap" not in partial["rate_card"]
    assert resume_point(HDT, partial) == ("outcomes", 0, "window_start")
    partial["outcomes"][0]["window_start"] = sample["outcomes"][0]["window_start"]  # half a span: asked again
    assert resume_point(HDT, partial) == ("outcomes", 0, "window_start")

    rest = [(message, keys) for _, message, keys in steps[cut:]]
    result, terminal = drive(rest + [(REVIEW, choose(1))], resume=answers, out=tmp_path)
    assert isinstance(result, WizardResult) and len(result.outputs) == 5  # docx, md, review, its chart, manifest
    assert terminal.asked[0] == "Assessment window"
    assert saved(answers) == canonical(typed_data(HDT, with_recommended(HDT, sample)))


def test_a_closed_input_stops_the_run_with_every_answer_saved(tmp_path: Path) -> None:
    stopped, _ = drive([("District", typed("Sunshine County Public Schools"))], family="hdt", out=tmp_path)
    assert isinstance(stopped, WizardStopped)
    assert saved(tmp_path / "hdt-contract.json")["parties"] == {"district_name": "Sunshine County Public Schools"}


def test_an_existing_answers_file_is_never_overwritten_by_a_new_run(tmp_path: Path) -> None:
    write_answers(tmp_path, {"family": "hdt"})
    with pytest.raises(Exception, match="already exists; continue it with: obc-builder wizard --resume"):
        drive([], family="hdt", out=tmp_path)


def test_an_answer_that_no_longer_validates_is_dropped_and_asked_again_first(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    data["dates"]["effective_date"] = "first of July"
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        ("Effective date", typed("7/1/2024")),
        (REVIEW, QUIT),  # every later question holds an answer: straight to the review
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert ("✗ Effective date must be a date, written like 2025-09-08 (year-month-day), 9/8/2025 (month/day/year) "
            "or September 8, 2025 (also Sept. 8, 2025 or Sep 8 2025). Please answer it again.") in terminal.transcript
    assert saved(resume)["dates"]["effective_date"] == "2024-07-01"


# The review screen


def test_the_review_refuses_a_final_contract_with_unfilled_inputs_and_offers_a_draft(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "parties.district_name")
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        (REVIEW, choose(1)),
        ("Generate a draft instead?", choose(1)),
    ], resume=resume, out=tmp_path / "out")
    assert isinstance(result, WizardResult) and result.draft
    assert sorted(p.name for p in result.outputs) == ["hdt-contract.docx", "hdt-contract.forecast.png",
                                                      "hdt-contract.manifest.json", "hdt-contract.md",
                                                      "hdt-contract.review.md"]
    assert "The final contract cannot be generated yet:" in terminal.transcript
    assert "  • Section A · Parties › District" in terminal.transcript
    assert any(line.startswith("  Contingent share of total contract value") for line in terminal.transcript)


def test_an_edited_contract_is_replaced_only_when_the_officer_says_so(tmp_path: Path) -> None:
    resume, out = write_answers(tmp_path, sample_data("hdt_fast_math")), tmp_path / "out"
    first, _ = drive([(REVIEW, choose(1))], resume=resume, out=out)
    assert isinstance(first, WizardResult) and len(first.outputs) == 5
    edited = out / "hdt-contract.md"
    edited.write_text("counsel's edits", encoding="utf-8")
    result, terminal = drive([
        (REVIEW, choose(1)),
        ("Replace the existing files?", choose(2)),  # no: back to the review, the edited copy kept
        (REVIEW, choose(1)),
        ("Replace the existing files?", choose(1)),
    ], resume=resume, out=out)
    assert f"{edited} already exists with other content (an earlier contract, or an edited copy)." in terminal.transcript
    assert isinstance(result, WizardResult) and not result.draft
    assert edited.read_text(encoding="utf-8").startswith("# ")


def test_the_review_edit_path_changes_a_section_and_returns_to_the_review(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        ("Which section do you want to edit?", section("parties")),
        ("District", typed("Moonlight County Public Schools")),
        ("District representative", ENTER),
        ("Provider", ENTER),
        ("Provider representative", ENTER),
        (REVIEW, choose(1)),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft
    assert saved(resume)["parties"]["district_name"] == "Moonlight County Public Schools"
    markdown = next(p for p in result.outputs if p.name == "hdt-contract.md").read_text(encoding="utf-8")
    assert "Moonlight County Public Schools" in markdown
    assert terminal.asked.count(REVIEW) == 2


# The command


def _env() -> dict[str, str]:
    return {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}


def test_the_command_line_does_not_load_the_wizard_until_it_is_asked_for() -> None:
    code = ("import sys, obc_builder.cli; "
            "print(sorted(m for m in ('questionary', 'obc_builder.wizard') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    assert done.stdout.strip() == "[]"


def test_without_a_terminal_the_wizard_exits_with_one_line_pointing_to_generate(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "obc_builder.cli", "wizard", "--out", str(tmp_path)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "obc-builder wizard needs an interactive terminal; to generate from a file, use: "
        "obc-builder generate INPUT.json --out DIR"]


def test_in_a_real_terminal_the_wizard_resumes_checks_an_answer_and_writes_the_docx(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "termination.early_termination_cure_days", "provisions")
    resume = write_answers(tmp_path, data)
    child = pexpect.spawn(sys.executable, ["-m", "obc_builder.cli", "wizard", "--resume", str(resume),
                                           "--out", str(tmp_path / "out")],
                          cwd=str(ROOT), env=_env(), dimensions=(40, 120), encoding="utf-8", timeout=20)
    try:
        child.expect("Continuous improvement stakeholders: what next?")
        child.send(choose(4))
        child.expect("Early-termination cure \\(days\\): 30 \\(recommended")  # filled in, not asked
        child.expect("Add the general provisions")
        child.send(ENTER)  # left unanswered: none of the provisions' own questions follow
        child.expect("Governing law")
        child.send(CLEAR + "Sunshine" + ENTER)
        child.expect("not one of the fifty states")
        child.send(CLEAR + "FL" + ENTER)
        child.expect(REVIEW)
        child.send(choose(1))
        child.expect(r"hdt-contract\.docx")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    docx = tmp_path / "out" / "hdt-contract.docx"
    assert docx.read_bytes()[:2] == b"PK"
    assert saved(resume)["termination"]["early_termination_cure_days"] == 30
    assert saved(resume)["provisions"]["governing_state"] == "Florida"


def test_a_question_is_relevant_only_when_the_answer_it_depends_on_says_so() -> None:
    card = next(q for q in HDT if q.name == "rate_card")
    unit = card.field("base_unit_price")
    assert unit is not None and unit.ask_if == ("base_basis", ("per_session", "per_hour"))
    assert not relevant(unit, {"base_basis": "per_student"}) and not relevant(unit, {})
    assert relevant(unit, {"base_basis": "per_session"}) and relevant(unit, {"base_basis": "per_hour"})
    provisions = next(q for q in HDT if q.name == "provisions")
    notice = provisions.field("termination_notice_days")
    assert notice is not None
    assert relevant(notice, {}, {"payments": {"funding_source": "federal"}})
    assert not relevant(notice, {}, {"payments": {"funding_source": "state_or_local"}})
    insurance = provisions.field("insurance")
    assert insurance is not None and not relevant(insurance, {"include": False}) and relevant(insurance,
                                                                                                {"include": True})
