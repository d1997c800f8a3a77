"""What an officer or a lawyer reads speaks plain words: no seed numbers, rule ids or field paths.

Read here: the wizard's transcript (every question's help, recommendations, findings and the review screen),
the review file and the Word comments, for every sample, for every sample made to break rules (and held to a
stricter district policy, so every recommendation's finding shows), and for every family's empty contract.

What counts:

* a seed number: "Seed 0…" anywhere;
* a rule id (``HDT-POL-005``, ``AGR-STAT-003``, ``HDT-HAND-1.1``): nowhere in the wizard or a Word comment; in
  the review file only as the closing reference of a finding or a check, "(Source: …; rule HDT-POL-005)";
* a field path: two or more lower-case names joined by dots whose first name is a top-level input of a family
  (``rate_card.base_cap``, ``payments.payment_days``, ``years.stated_length``) or ``computed``; so "e.g." and a
  statute's "s. 118.44" are words, not paths.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input

from obc_builder.families import FAMILY_NAMES, all_policy_entries, get_family
from obc_builder.generate import render_outputs
from obc_builder.limits import policy_range
from obc_builder.loading import contract_from_data
from obc_builder.locations import SOURCE_DOCUMENTS, describe_path, plain_source
from obc_builder.policy import Policy
from obc_builder.rules.engine import evaluate_rules
from obc_builder.wizard import Terminal, WizardStopped, run_wizard
from obc_builder.wizard.prompts import UNSET
from obc_builder.wizard.questions import Kind, Question, offered, positions, questions_of, relevant

from .conftest import SAMPLES
from .test_wizard import HDT, Patient, choose, drive, saved, script_for, small_contract, write_answers

SEED = re.compile(r"\bSeed \d")
RULE_ID = re.compile(r"\b[A-Z]{3}-[A-Z]+-[0-9A-Z]")
REFERENCE = re.compile(r"; (?:rule|check) [A-Z]{3}-[A-Z]+-[0-9A-Z.]+\)\*$")
TOP_FIELDS = {"computed"} | {name for family in FAMILY_NAMES for name in get_family(family).model.model_fields}
PATH = re.compile(r"\b([a-z_]+)(?:\.(?:[a-z_]+|\d+))+\b")


def field_paths(text: str) -> list[str]:
    return [match.group() for match in PATH.finditer(text) if match.group(1) in TOP_FIELDS]


def problems(text: str, *, reference_allowed: bool = False) -> list[str]:
    """Each line of ``text`` that shows a seed number, a rule id or a field path, with what it shows."""
    found = []
    for line in text.splitlines():
        words = REFERENCE.sub(")*", line) if reference_allowed else line
        shown = SEED.findall(words) + RULE_ID.findall(words) + field_paths(words)
        if shown:
            found.append(f"{shown}: {line}")
    return found


def broken(name: str) -> dict[str, Any]:
    """A sample made to break rules of its family (statute and arithmetic errors)."""
    data = json.loads((SAMPLES[0].parent / f"{name}.json").read_text(encoding="utf-8"))
    if data["family"] == "hdt":
        data["rate_card"]["base_cap"] = "99000000"
        data["payments"]["payment_days"] = 45
    elif data["family"] == "agr":
        grade = data["schools"][0]["grades"][0]
        grade["pupils_per_teacher"] = 25
        grade["objectives"][0]["strategies"] = [*grade["strategies"], "instructional_coaching"]
        data["years"]["stated_length"] = 4
    elif data["family"] == "ses":
        data["incentives"]["cap_per_student"] = "75"
        data["incentives"]["earned_by"] = ["achievement", "enrollment"]
    return data


def strict_policy() -> Policy:
    """A district policy no sample meets: every recommendation's finding shows."""
    overrides: dict[str, Any] = {}
    for entry in all_policy_entries():
        allowed = policy_range(entry.unit)
        if entry.direction == "at_least":
            overrides[entry.key] = str(allowed.high)
        elif entry.direction == "at_most":
            overrides[entry.key] = str(allowed.low)
        else:
            overrides[entry.key] = str(entry.value % 12 + 1)
    return Policy().with_overrides(overrides, "strict-policy.yaml")


CASES = [pytest.param(json.loads(path.read_text(encoding="utf-8")), Policy(), id=path.stem) for path in SAMPLES]
CASES += [pytest.param(broken(path.stem), strict_policy(), id=f"{path.stem}-broken") for path in SAMPLES]
CASES += [pytest.param({"family": family}, Policy(), id=f"{family}-empty") for family in FAMILY_NAMES]


def comments_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        if "word/comments.xml" not in archive.namelist():
            return ""
        xml = archive.read("word/comments.xml").decode("utf-8")
    return "\n".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", comment))
                     for comment in re.findall(r"<w:comment .*?</w:comment>", xml))


def test_the_checks_catch_what_they_are_meant_to() -> None:
    assert problems("Why: Seed 002, Q&A C-3")
    assert problems("Why: Center for OBC HDT template (HDT-POL-001)")
    assert problems("Where: rate_card.base_cap") and problems("see outcomes.0.price_per_outcome")
    assert not problems("Use e.g. 30 days, as s. 118.44(4)(a)1., Wis. Stats. and F.S. say; Section F.3.")
    line = "- **warning** · Section F · Payments › Days to pay: … *(Source: Center for OBC HDT template; rule HDT-POL-005)*"
    assert not problems(line, reference_allowed=True) and problems(line)


def test_seed_numbers_become_document_names_in_one_place() -> None:
    assert plain_source("Seed 002, Q&A C-3") == "Florida DOE SES contract guidance, question C-3"
    assert plain_source("Seed 000 (Center for OBC HDT template), Section F.3: Rate Card") == (
        "Center for OBC HDT template, Section F.3: Rate Card")
    assert plain_source("Seed 004 (Wisconsin DPI AGR contract), Data Confidentiality") == (
        "Wisconsin DPI AGR contract form, Data Confidentiality")
    sources = Path(__file__).resolve().parent.parent / "sources"
    if sources.is_dir():
        for seed in SOURCE_DOCUMENTS:
            assert list(sources.glob(f"{seed}_*.txt")), seed


def test_every_rule_and_recommendation_names_its_source_document() -> None:
    from obc_builder.rules.engine import checklist_for, rules_for

    texts = [r.source for r in rules_for()] + [c.source for c in checklist_for()]
    texts += [e.source for e in all_policy_entries()]
    assert [text for text in texts if SEED.search(text) or "Q&A" in text] == []


def test_a_field_is_named_by_its_place_in_the_contract() -> None:
    hdt = get_family("hdt").model
    assert describe_path(hdt, "rate_card.base_cap") == "Section F · Rate card › Total base payment cap"
    assert describe_path(hdt, "outcomes.1.price_per_outcome") == (
        "Section E · Payment outcomes › entry 2 › Price per outcome")
    assert describe_path(hdt, "computed.contingent_share_pct") == (
        "Contingent share of total contract value (computed from the inputs)")


def every_question(questions: tuple[Question, ...]) -> Iterator[Question]:
    for question in questions:
        yield question
        yield from every_question(question.fields)
        if question.item is not None:
            yield question.item


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_every_question_title_and_help_is_plain(family: str) -> None:
    texts = [f"{q.heading}\n{q.title}\n{q.help}" for q in every_question(questions_of(get_family(family).model))]
    assert [line for text in texts for line in problems(text)] == []


@pytest.mark.parametrize(("data", "policy"), CASES)
def test_the_review_file_and_word_comments_are_plain(data: dict[str, Any], policy: Policy) -> None:
    contract = contract_from_data(copy.deepcopy(data), "test")
    files, findings = render_outputs(contract, source="test", name="c", draft=True, policy=policy)
    review = files["c.review.md"].decode("utf-8")
    assert problems(review, reference_allowed=True) == []
    comments = comments_text(files["c.docx"])
    assert problems(comments) == []
    if findings:
        assert comments and "## Findings" in review


@pytest.mark.parametrize(("data", "policy"), CASES)
def test_the_wizard_speaks_plain_words(tmp_path: Path, data: dict[str, Any], policy: Policy) -> None:
    """Resumed at the review (every finding and unfilled input shown), and, for an empty contract, walked
    through every question it asks."""
    resume = write_answers(tmp_path, data, "contract.json")
    with create_pipe_input() as pipe:
        terminal = Patient(pipe)
        run_wizard(resume=resume, out=tmp_path, terminal=terminal, policy=policy)
    transcript = "\n".join(terminal.transcript)
    assert "Review · contract.json" in transcript
    assert problems(transcript) == []
    if evaluate_rules(contract_from_data(copy.deepcopy(data), "test"), policy):
        assert "    Why: " in transcript


# A baseline's payment outcome: asked once there are payment outcomes to choose from


def test_a_baselines_payment_outcome_is_a_choice_among_the_outcomes_entered() -> None:
    population = next(q for q in HDT if q.name == "population")
    baselines = population.field("baselines")
    question = baselines.field("outcome") if baselines else None
    assert question is not None and question.choices_from == "outcomes.*.name"
    path = ("population", "baselines", 0, "outcome")
    assert not relevant(question, {}, {"outcomes": []}) and not relevant(question, {}, {"outcomes": [{}]})
    data: dict[str, Any] = {"outcomes": [{"name": "Growth"}, {"name": "Proficiency"}], "population": {"baselines": [{}]}}
    assert relevant(question, {}, data)
    asked = offered(question, path, data)
    assert asked.kind is Kind.choice and asked.choices == (("Growth", "Growth"), ("Proficiency", "Proficiency"))
    data["population"]["baselines"][0]["outcome"] = "Renamed since"
    assert offered(question, path, data).choices[-1] == ("Renamed since", "Renamed since")  # kept, not lost


def test_the_wizard_asks_a_baselines_payment_outcome_right_after_the_outcomes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offered_choices: list[list[str]] = []
    select = Terminal.select

    def recording(self: Terminal, message: str, choices: Any, default: Any = UNSET) -> Any:
        if message.startswith("Payment outcome it supports"):
            offered_choices.append([label for label, _ in choices])
        return select(self, message, choices, default)

    monkeypatch.setattr(Terminal, "select", recording)
    sample = small_contract()
    steps = list(script_for(HDT, sample))
    first = next(i for i, (path, _, _) in enumerate(steps) if path[0] == "outcomes")
    typed_so_far = {key: value for key, value in sample.items() if key in ("family", "parties", "dates",
                                                                          "district_boilerplate", "population",
                                                                          "program")}
    typed_so_far = copy.deepcopy(typed_so_far)
    for baseline in typed_so_far["population"]["baselines"]:
        baseline.pop("outcome", None)  # skipped while there was no outcome to choose
    assert [path for path, _ in positions(HDT, typed_so_far) if "outcome" in path] == []
    resume = write_answers(tmp_path, typed_so_far)
    after = next(i for i, (path, _, _) in enumerate(steps) if path[0] == "rate_card")
    names = [outcome["name"] for outcome in sample["outcomes"]]
    outcomes = [(message, keys) for path, message, keys in steps[first:after] if path[0] == "outcomes"]
    deferred = [("Payment outcome it supports (optional)",  # each baseline typed before there was an outcome
                 choose(names.index(b["outcome"]) + 1 if b.get("outcome") else len(names) + 1))
                for b in sample["population"]["baselines"]]
    result, terminal = drive(outcomes + deferred, resume=resume, out=tmp_path)
    assert isinstance(result, WizardStopped)
    assert offered_choices == [[*names, "Leave empty for now"]] * len(sample["population"]["baselines"])
    assert [b.get("outcome") for b in saved(resume)["population"]["baselines"]] == [
        b.get("outcome") for b in sample["population"]["baselines"]]
    assert any(line.startswith("Sections C–D · Student population › Historical baseline data › entry 1")
               for line in terminal.transcript)
