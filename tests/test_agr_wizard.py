"""The AGR wizard asks only what a grade's strategies make relevant, and offers only the grade's strategies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from obc_builder.families import get_family
from obc_builder.loading import contract_from_data
from obc_builder.policy import Policy
from obc_builder.rules.engine import evaluate_rules
from obc_builder.wizard import Terminal, WizardResult
from obc_builder.wizard.prompts import ask_value
from obc_builder.wizard.questions import offered, question_at, questions_of, relevant

from .conftest import sample_data
from .test_wizard import DOWN, ENTER, REVIEW, choose, drive, saved, script_for

AGR = questions_of(get_family("agr").model)
STRATEGY_ONLY = {
    "class_size_18_1": ("Pupils per teacher (18:1 classes)",),
    "class_size_30_2": ("Pupils per shared class (30:2 classes)", "Regular teachers per shared class (30:2 classes)"),
    "instructional_coaching": ("Coach is a licensed teacher",),
    "one_to_one_tutoring": ("Tutors are licensed teachers", "Tutoring during regular school hours", "Tutoring program",
                            "Program found effective by the What Works Clearinghouse"),
}


def one_grade(strategies: list[str]) -> dict[str, Any]:
    """The single-school sample cut to its 5K grade, using only ``strategies`` (objectives relying on all)."""
    data = sample_data("agr_single_school")
    school = data["schools"][0]
    school["grades_enrolled"] = ["5K"]
    grade = school["grades"][0]
    school["grades"] = [grade]
    grade["strategies"] = strategies
    for objective in grade["objectives"]:
        objective["strategies"] = strategies
        objective["formative_assessments"] = objective["formative_assessments"][:1]
        objective["summative_assessments"] = objective["summative_assessments"][:1]
    if "class_size_30_2" in strategies:
        grade.update(pupils_per_shared_class=30, teachers_per_shared_class=2)
    if "instructional_coaching" in strategies:
        grade["coach_licensed"] = True
    if "one_to_one_tutoring" in strategies:
        grade.update(tutors_licensed=True, tutoring_during_school_hours=True, tutoring_program="Reading Recovery",
                     tutoring_program_wwc_effective=True)
    if "class_size_18_1" not in strategies:
        del grade["pupils_per_teacher"]
    return data


def test_a_strategy_question_is_asked_only_for_the_strategy_it_concerns() -> None:
    grade = next(q for q in AGR if q.name == "schools").field("grades")
    assert grade is not None
    for strategy, titles in STRATEGY_ONLY.items():
        for title in titles:
            question = next(q for q in grade.fields if q.title == title)
            assert relevant(question, {"strategies": [strategy]})
            assert not relevant(question, {"strategies": [s for s in STRATEGY_ONLY if s != strategy]})
            assert not relevant(question, {})


def test_a_starred_path_holds_a_value_when_any_entry_does() -> None:
    retention = next(q for q in AGR if q.name == "data").field("retention_years")
    assert retention is not None and retention.ask_if == ("schools.*.uses_nwea_map", (True,))
    assert relevant(retention, {}, {"schools": [{"uses_nwea_map": False}, {"uses_nwea_map": True}]})
    assert not relevant(retention, {}, {"schools": [{"uses_nwea_map": False}, {}]})
    assert not relevant(retention, {}, {"schools": []}) and not relevant(retention, {}, {})


def test_an_objective_is_offered_only_its_grades_strategies() -> None:
    data = sample_data("agr_single_school")
    objective = next(q for q in AGR if q.name == "schools").field("grades")
    assert objective is not None and (objective := objective.field("objectives")) is not None
    question = objective.field("strategies")
    assert question is not None and question.choices_from == "strategies" and len(question.choices) == 4
    for g, grade in enumerate(data["schools"][0]["grades"]):
        asked = offered(question, ("schools", 0, "grades", g, "objectives", 0, "strategies"), data)
        assert [value for _, value in asked.choices] == grade["strategies"]
    unanswered: dict[str, Any] = {"schools": [{"grades": [{"objectives": [{}]}]}]}
    assert offered(question, ("schools", 0, "grades", 0, "objectives", 0, "strategies"), unanswered).choices == ()


def test_a_grade_using_only_18_1_is_asked_nothing_about_the_other_strategies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: dict[str, list[Any]] = {}
    checkbox = Terminal.checkbox

    def recording(self: Terminal, message: str, choices: Any, checked: Any) -> list[Any]:
        shown.setdefault(message, []).append([label for label, _ in choices])
        return checkbox(self, message, choices, checked)

    monkeypatch.setattr(Terminal, "checkbox", recording)
    data = one_grade(["class_size_18_1"])
    steps = list(script_for(AGR, data))
    result, terminal = drive([(message, keys) for _, message, keys in steps] + [(REVIEW, choose(1))],
                             family="agr", out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft and result.outputs
    others = {title for strategy, titles in STRATEGY_ONLY.items() if strategy != "class_size_18_1"
              for title in titles}
    assert "Pupils per teacher (18:1 classes) (optional)" in terminal.asked
    assert not others & {message.removesuffix(" (optional)") for message in terminal.asked}
    relied = [line for line in terminal.transcript if line.startswith("? Strategies relied on")]
    assert relied == ["? Strategies relied on Class Size Reduction (18:1)"] * 2
    assert shown["Strategies relied on"] == [["Class Size Reduction (18:1)"]] * 2
    assert len(shown["Strategies"][0]) == 4  # the grade itself chooses among all four
    offered_choices = {offered(question, path, data).choices for path, message, _ in steps
                       if message == "Strategies relied on" and (question := question_at(AGR, path))}
    assert offered_choices == {(("Class Size Reduction (18:1)", "class_size_18_1"),)}
    answers = saved(tmp_path / "agr-contract.json")
    assert answers == contract_from_data(data, "test").model_dump(mode="json", exclude_none=True)
    assert evaluate_rules(contract_from_data(answers, "test")) == []  # nothing offered is then refused


def test_an_objective_of_a_two_strategy_grade_picks_among_those_two_and_is_not_refused(tmp_path: Path) -> None:
    data = one_grade(["class_size_30_2", "one_to_one_tutoring"])
    data["schools"][0]["grades"][0]["objectives"][1]["strategies"] = ["one_to_one_tutoring"]
    steps = [(message, keys) for _, message, keys in script_for(AGR, data)]
    assert ("Strategies relied on", DOWN + " " + DOWN + ENTER) in steps  # the second of two choices
    result, terminal = drive(steps + [(REVIEW, choose(1))], family="agr", out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft
    assert "Pupils per teacher (18:1 classes) (optional)" not in terminal.asked
    assert "Coach is a licensed teacher (optional)" not in terminal.asked
    assert "Tutoring program (optional)" in terminal.asked
    answers = saved(tmp_path / "agr-contract.json")
    objectives = answers["schools"][0]["grades"][0]["objectives"]
    assert [o["strategies"] for o in objectives] == [["class_size_30_2", "one_to_one_tutoring"],
                                                     ["one_to_one_tutoring"]]
    assert evaluate_rules(contract_from_data(answers, "test")) == []


def test_with_no_strategy_chosen_yet_the_objective_keeps_its_answer_and_says_why() -> None:
    grade = next(q for q in AGR if q.name == "schools").field("grades")
    objectives = grade.field("objectives") if grade else None
    question = objectives.field("strategies") if objectives else None
    assert question is not None
    asked = offered(question, ("schools", 0, "grades", 0, "objectives", 0, "strategies"), {})
    with create_pipe_input() as pipe:
        terminal = Terminal(pipe, DummyOutput())
        value = ask_value(terminal, asked, ["class_size_18_1"], Policy(), lambda _: None)
    assert value == ["class_size_18_1"]
    assert terminal.transcript == ["  Nothing to choose from yet: answer the strategies first. Strategies relied on "
                                   "is left as it is."]
