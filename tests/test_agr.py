"""Wisconsin AGR contracts: samples, rules, the MAP condition, derived dates and fidelity to the DPI form (seed 004)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Document, Heading, Paragraph, Table, plain
from obc_builder.library import as_corrected, load_library
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.models.agr import AgrContract
from obc_builder.models.base import missing_inputs
from obc_builder.rules.engine import Severity, evaluate_rules

from .conftest import SOURCES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_NAMES = ["agr_single_school.json", "agr_multi_school.json", "agr_partial_no_map.json"]


def sample_data(name: str = "agr_single_school.json") -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def plain_text(document: Document) -> str:
    """Every block's text, table cells line by line, joined with single spaces."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            lines.append(plain(block.content))
        elif isinstance(block, Table):
            if block.title:
                lines.append(plain(block.title))
            lines.extend(plain(line) for row in block.rows for cell in row for line in cell)
    return " ".join(" ".join(lines).split())


def findings_for(data: dict[str, Any]) -> list[Any]:
    return evaluate_rules(contract_from_data(data, "test"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_loads_complete_and_without_findings(name: str) -> None:
    contract = load_contract(SAMPLES / name)
    assert isinstance(contract, AgrContract)
    assert missing_inputs(contract) == []
    assert [f.line() for f in evaluate_rules(contract)] == []


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_assembles_with_every_input_filled_and_no_template_code(name: str) -> None:
    document = assemble(load_contract(SAMPLES / name))
    assert document.missing() == []
    for run in document.runs():
        assert "[insert" not in run.text
        assert "{{" not in run.text and "{%" not in run.text


def test_single_school_sample_covers_all_four_grades_and_both_subjects() -> None:
    contract = load_contract(SAMPLES / "agr_single_school.json")
    assert isinstance(contract, AgrContract)
    (school,) = contract.schools
    assert [plan.grade for plan in school.grades] == ["5K", "1", "2", "3"]
    text = plain_text(assemble(contract))
    for grade in ("Kindergarten", "First Grade", "Second Grade", "Third Grade"):
        for subject in ("Reading", "Mathematics"):
            assert f"{grade} {subject} Performance Objective(s)" in text


def test_multi_school_sample_mixes_strategies_and_map_use() -> None:
    contract = load_contract(SAMPLES / "agr_multi_school.json")
    assert isinstance(contract, AgrContract)
    assert len(contract.schools) >= 3
    assert {school.uses_nwea_map for school in contract.schools} == {True, False}
    used = {strategy for school in contract.schools for plan in school.grades for strategy in plan.strategies}
    assert used == {"class_size_18_1", "class_size_30_2", "instructional_coaching", "one_to_one_tutoring"}


def at(*path: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets the value at ``path`` (keys and list indexes) in the input data."""

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def unchanged(data: dict[str, Any]) -> None:
    return None


def drop_mathematics_objective(data: dict[str, Any]) -> None:
    objectives = data["schools"][0]["grades"][0]["objectives"]
    objectives[:] = [o for o in objectives if o["subject"] != "mathematics"]


def enrolled(*grades: str, drop: int | None = None) -> Callable[[dict[str, Any]], None]:
    """The first school has ``grades`` (grades_enrolled); ``drop`` removes one of its participating grades."""

    def mutate(data: dict[str, Any]) -> None:
        data["schools"][0]["grades_enrolled"] = list(grades)
        if drop is not None:
            del data["schools"][0]["grades"][drop]

    return mutate


G = ("schools", 0, "grades")
RULE_CASES = [
    # rule id, a mutation that triggers it, one that passes, words the message must contain
    ("AGR-STAT-001", at(*G, 3, "grade", value="2"), at(*G, 3, "grade", value="3"), "lists Second Grade twice"),
    ("AGR-STAT-002", drop_mathematics_objective, unchanged, "Kindergarten has no Mathematics Performance Objective"),
    ("AGR-STAT-003", at(*G, 0, "objectives", 0, "summative_assessments", value=[]), unchanged,
     "the Kindergarten Reading Performance Objective(s) name no summative assessment"),
    ("AGR-STAT-004", at(*G, 0, "strategies", value=[]), unchanged,
     "implements no achievement gap reduction strategy"),
    ("AGR-STAT-005", at(*G, 0, "pupils_per_teacher", value=19), at(*G, 0, "pupils_per_teacher", value=18),
     "19 pupils per regular classroom teacher"),
    ("AGR-STAT-006", at(*G, 3, "coach_licensed", value=False), at(*G, 3, "coach_licensed", value=True),
     "not a licensed teacher"),
    ("AGR-STAT-007", at(*G, 1, "tutoring_during_school_hours", value=False),
     at(*G, 1, "tutoring_during_school_hours", value=True), "outside regular school hours"),
    ("AGR-STAT-008", at(*G, 1, "tutoring_program_wwc_effective", value=False),
     at(*G, 1, "tutoring_program_wwc_effective", value=True),
     "Reading Recovery has not been found to be effective by the What Works Clearinghouse"),
    ("AGR-STAT-009", at("years", "stated_length", value=4), at("years", "stated_length", value=5),
     "4 school years"),
    ("AGR-STAT-010", enrolled("5K", "1", "2", "3", drop=3), enrolled("5K", "1", "2", drop=3),
     "Lincoln Elementary School has Third Grade but does not list it among its participating grades"),
    ("AGR-POL-001", at("notices", "withdrawal_days", value=59), at("notices", "withdrawal_days", value=60),
     "59 days"),
    ("AGR-POL-002", at("notices", "end_participation_days_after_june_30", value=15),
     at("notices", "end_participation_days_after_june_30", value=-30), "15 days after June 30"),
    ("AGR-POL-003", at("data", "retention_years", value=6), at("data", "retention_years", value=5), "6 years"),
]


@pytest.mark.parametrize(("rule_id", "trigger", "passing", "message"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_rule_triggers_and_passes(rule_id: str, trigger: Callable[..., None], passing: Callable[..., None],
                                  message: str) -> None:
    triggered = sample_data()
    trigger(triggered)
    hits = [f for f in findings_for(triggered) if f.rule == rule_id]
    assert hits, f"{rule_id} did not trigger"
    expected = Severity.error if "-STAT-" in rule_id else Severity.warning
    assert all(f.severity is expected for f in hits)
    assert any(message in f.message for f in hits), [f.message for f in hits]
    passed = sample_data()
    passing(passed)
    assert [f.line() for f in findings_for(passed) if f.rule == rule_id] == []


def test_every_agr_rule_has_a_test_row() -> None:
    from obc_builder.rules.engine import rules_for

    assert {r.id for r in rules_for("agr")} == {case[0] for case in RULE_CASES}


def test_shared_classes_need_two_teachers_and_at_most_thirty_pupils() -> None:
    data = sample_data()
    at(*G, 2, "pupils_per_shared_class", value=31)(data)
    at(*G, 2, "teachers_per_shared_class", value=1)(data)
    messages = [f.message for f in findings_for(data) if f.rule == "AGR-STAT-005"]
    assert any("31 pupils in a Class Size Reduction (30:2) class; the limit is 30" in m for m in messages)
    assert any("1 regular classroom teacher(s) in a Class Size Reduction (30:2) class; 2 are required" in m
               for m in messages)


# One cause, one finding, in the contract's words


def test_an_objective_relying_on_two_strategies_its_grade_lacks_is_one_finding_naming_both() -> None:
    data = sample_data()
    at(*G, 0, "objectives", 0, "strategies", value=["one_to_one_tutoring", "instructional_coaching"])(data)
    (finding,) = [f for f in findings_for(data) if f.rule == "AGR-STAT-003"]
    assert finding.paths == ("schools.0.grades.0.objectives.0.strategies", "schools.0.grades.0.strategies")
    assert ("Lincoln Elementary School: the Kindergarten Reading Performance Objective(s) rely on One-to-One "
            "Tutoring and Instructional Coaching, which Kindergarten does not implement") in finding.message


def test_a_grade_without_objectives_or_assessments_gets_one_finding_per_cause() -> None:
    data = sample_data()
    data["schools"][0]["grades"][1]["objectives"] = []
    at(*G, 0, "objectives", 0, "formative_assessments", value=[])(data)
    at(*G, 0, "objectives", 0, "summative_assessments", value=[])(data)
    for grade in (2, 3):
        data["schools"][0]["grades"][grade]["grade"] = "5K"
    findings = findings_for(data)
    (subjects,) = [f for f in findings if f.rule == "AGR-STAT-002"]
    assert "First Grade has no Reading and no Mathematics Performance Objective(s)" in subjects.message
    (assessments,) = [f for f in findings if f.rule == "AGR-STAT-003"]
    assert "name no formative and no summative assessment" in assessments.message
    assert assessments.paths == ("schools.0.grades.0.objectives.0.formative_assessments",
                                 "schools.0.grades.0.objectives.0.summative_assessments")
    (listed,) = [f for f in findings if f.rule == "AGR-STAT-001"]
    assert "lists Kindergarten 3 times" in listed.message
    assert listed.paths == ("schools.0.grades.2.grade", "schools.0.grades.0.grade", "schools.0.grades.3.grade")


def test_findings_speak_the_contract_words_not_field_names() -> None:
    data = sample_data()
    plan = data["schools"][0]["grades"][1]
    plan.update(tutors_licensed=False, tutoring_during_school_hours=False, tutoring_program_wwc_effective=False,
                pupils_per_teacher=25, strategies=["class_size_18_1", "one_to_one_tutoring"])
    plan["objectives"][0].update(formative_assessments=[], strategies=["class_size_30_2"])
    data["schools"][0]["grades_enrolled"] = ["5K", "1", "2", "3"]
    del data["schools"][0]["grades"][3]
    findings = [f for f in findings_for(data) if "-STAT-" in f.rule]
    assert len(findings) == 7
    for finding in findings:
        words = finding.message + " " + finding.fix
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), words  # no field names
        assert not re.search(r"\bgrade [0-9](?!-)|\b5K\b", words), words  # grades as the contract names them
        assert "First Grade" in words or "Third Grade" in words
    named = {path for finding in findings for path in finding.paths}
    assert {"schools.0.grades.1.tutoring_program", "schools.0.grades.1.strategies",
            "schools.0.grades_enrolled"} <= named  # each finding names every field its cause involves


# Grades: only the participating grades are offered, and a school states those it takes part with


@pytest.mark.parametrize(("typed", "shown"), [("4K", "'4K' (four-year-old kindergarten)"), ("4", "'4'"), (5, "'5'"),
                                              ("6", "'6'")])
def test_a_grade_outside_5k_to_3_is_refused_by_the_model(typed: Any, shown: str) -> None:
    from obc_builder.errors import InvalidInput

    data = sample_data()
    data["schools"][0]["grades"][3]["grade"] = typed
    with pytest.raises(InvalidInput) as refused:
        contract_from_data(data, "x")
    assert str(refused.value) == (
        f"x: schools.0.grades.3.grade: {shown} cannot be a participating grade: the program covers five-year-old "
        "kindergarten and grades 1 to 3 only (s. 118.44(1)(d), Wis. Stats.); write 5K, 1, 2 or 3")


def test_only_the_participating_grades_are_offered() -> None:
    from obc_builder.library import family_meta
    from obc_builder.models.agr import Grade
    from obc_builder.schemas import input_schema

    assert [grade.value for grade in Grade] == ["5K", "1", "2", "3"]
    assert list(family_meta("agr")["labels"]["grade"]) == ["5K", "1", "2", "3"]
    assert '"4K"' not in json.dumps(input_schema("agr"))
    data = sample_data()
    data["schools"][0]["grades"][0]["grade"] = "k"
    contract = contract_from_data(data, "x")
    assert isinstance(contract, AgrContract) and contract.schools[0].grades[0].grade == "5K"


def test_a_school_with_only_some_grades_states_them_and_its_classrooms() -> None:
    contract = load_contract(SAMPLES / "agr_partial_no_map.json")
    assert evaluate_rules(contract) == []
    text = plain_text(assemble(contract))
    assert ("Participating grades Garfield Early Learning Center: Kindergarten (3 classrooms), First Grade "
            "(2 classrooms)") in text
    assert "Second Grade" not in text and "Third Grade" not in text
    data = sample_data("agr_partial_no_map.json")
    data["schools"][0]["grades_enrolled"].append("2")
    (finding,) = findings_for(data)
    assert finding.rule == "AGR-STAT-010" and finding.paths == ("schools.0.grades", "schools.0.grades_enrolled")
    assert "has Second Grade but does not list it among its participating grades" in finding.message


def test_an_empty_draft_has_no_findings_and_assembles() -> None:
    contract = AgrContract()
    assert evaluate_rules(contract) == []
    document = assemble(contract, draft=True)
    assert any(run.path == "years.first_school_year" for run in document.missing())


def test_an_unfilled_strategy_fact_prints_as_insert_in_a_draft() -> None:
    data = sample_data()
    del data["schools"][0]["grades"][1]["tutoring_program"]
    del data["schools"][0]["grades"][0]["pupils_per_teacher"]
    document = assemble(contract_from_data(data, "test"), draft=True)
    missing = {run.path for run in document.missing()}
    assert {"schools.0.grades.1.tutoring_program", "schools.0.grades.0.pupils_per_teacher"} <= missing


def test_tutoring_obligation_appears_only_when_a_grade_uses_tutoring() -> None:
    data = sample_data()
    with_tutoring = plain_text(assemble(contract_from_data(data, "test")))
    assert TUTORING_WORDING in with_tutoring and "One-to-One Tutoring" in with_tutoring
    data["schools"][0]["grades"][1]["strategies"] = ["class_size_18_1"]
    for objective in data["schools"][0]["grades"][1]["objectives"]:
        objective["strategies"] = ["class_size_18_1"]
    without = assemble(contract_from_data(data, "test"))
    assert "b06_one_to_one_tutoring" not in [c.id for c in without.clauses]
    text = plain_text(without)
    assert "One-to-One Tutoring" not in text and "data-informed, one-to-one tutoring" not in text
    assert "What Works Clearinghouse" not in text


def test_without_map_no_clause_refers_to_the_map_data_set_or_agreement() -> None:
    data = sample_data("agr_multi_school.json")
    for school in data["schools"]:
        school["uses_nwea_map"] = False
    del data["data"]
    contract = contract_from_data(data, "test")
    assert [m.path for m in missing_inputs(contract)] == []  # the retention term is asked only with MAP
    document = assemble(contract)
    clauses = " ".join(plain(b.content) for b in document.blocks if isinstance(b, (Heading, Paragraph)))
    for words in ("data set", "Data Set", "NWEA", "these assessments", "this agreement", "redisclosure",
                  "By signing below"):
        assert words not in clauses, words  # the objectives' own text may name the NWEA MAP Growth test
    text = plain_text(document)
    assert FIDELITY[-1] in text and NO_MAP_WORDING[0] in text
    data["data"] = {"retention_years": 9}
    assert [f for f in findings_for(data) if f.rule == "AGR-POL-003"] == []  # a term the contract does not state


def test_with_map_the_retention_term_is_needed() -> None:
    data = sample_data()
    del data["data"]
    document = assemble(contract_from_data(data, "test"))
    assert [run.path for run in document.missing()] == ["data.retention_years"]


def test_map_agreement_appears_only_when_a_school_uses_map() -> None:
    data = sample_data("agr_multi_school.json")
    with_map = assemble(contract_from_data(data, "test"))
    assert "e01_nwea_map" in [c.id for c in with_map.clauses]
    for school in data["schools"]:
        school["uses_nwea_map"] = False
    without = assemble(contract_from_data(data, "test"))
    assert "e01_nwea_map" not in [c.id for c in without.clauses]
    text = plain_text(without)
    assert "NWEA Assessment Data (MAP)" not in text
    assert "the school board hereby grants permission to NWEA" not in text


def test_dates_derive_from_the_first_school_year() -> None:
    data = sample_data()
    data["years"]["first_school_year"] = "2027-2028"
    data["notices"]["end_participation_days_after_june_30"] = 15
    contract = contract_from_data(data, "test")
    assert isinstance(contract, AgrContract)
    figures = contract.figures()
    assert figures.school_years == ["2027-28", "2028-29", "2029-30", "2030-31", "2031-32"]
    assert [(str(r.intended_by), str(r.implemented_by)) for r in figures.reports][0] == ("2027-11-01", "2028-06-01")
    text = plain_text(assemble(contract))
    assert "2031-32 November 1, 2031 June 1, 2032" in text
    assert "administered beginning on July 1, 2027. (“Data Set”)." in text
    assert "This agreement shall be in effect from July 1, 2027, until the earlier of: i) June 30, 2032;" in text
    assert "no later than July 15 of its intent to end its participation after that school year" in text


@pytest.mark.parametrize(("typed", "stored"), [("2025-26", "2025-26"), ("2025–2026", "2025-26"), (2025, "2025-26"), ("2025", "2025-26")])
def test_school_year_is_read_in_common_spellings(typed: Any, stored: str) -> None:
    data = sample_data()
    data["years"]["first_school_year"] = typed
    contract = contract_from_data(data, "test")
    assert isinstance(contract, AgrContract)
    assert contract.years.first_school_year == stored


def test_a_school_year_whose_years_do_not_follow_is_refused() -> None:
    from obc_builder.errors import InvalidInput

    data = sample_data()
    data["years"]["first_school_year"] = "2025-27"
    with pytest.raises(InvalidInput, match="years.first_school_year"):
        contract_from_data(data, "test")


FIDELITY = [
    "The school board must implement one or more of the following strategies in each participating school during "
    "each year included in this contract.",
    "The school board will report which strategies have been implemented in each classroom in each grade, "
    "five-year-old kindergarten through third grade, twice each school year.",
    "The school board will report, prior to November 1, the strategies it intends to implement and, prior to June 1, "
    "the strategies that were implemented in each school year covered by this contract. Wis. Stat. §118.44(4)(b)",
    "Class Size Reduction and Professional Development around Small Group Instruction",
    "The school board will ensure that teachers in reduced class size classrooms will receive professional development "
    "around small group instruction in class sizes of 18:1 or 30:2 or fewer students. Wis. Stat. §118.44(4)(a)1.",
    "The school board will ensure teachers in classrooms that have selected the instructional coaching strategy will "
    "receive data-driven instructional coaching provided by a licensed teacher(s) who possess appropriate content "
    "knowledge, including appropriate licenses, to assist classroom teachers in improving instruction in math or "
    "reading and possess expertise in reducing the achievement gap. Wis. Stat. §118.44(4)(a)2.",
    "Formative assessments provide feedback and information during the instructional process that can be used to "
    "guide improvements in the teaching and learning experience.",
    "Summative assessments provide feedback and information that sums up the teaching and learning process.",
    "Kindergarten Mathematics Performance Objective(s)",
    "By November 1, the school board must report the strategy/strategies the school board intends to implement in "
    "each participating grade, kindergarten through grade 3. Wis. Stat. §118.44(4)(b)1.",
    "By June 1, the school board must report the strategy/strategies the school board implemented in each "
    "participating grade, kindergarten through grade 3. Wis. Stat. §118.44(4)(b)2.",
    "The department agrees to provide written notice to the school board of its intent to terminate the contract at "
    "the end of that school year if a determination has been made that the board has violated the terms of the "
    "contract.",
    "The school board agrees to develop and monitor academic performance objectives. Initial performance objectives "
    "will be developed and entered into this contract.",
    "Performance objectives in subsequent years covered in this contract will be maintained and updated by the school "
    "board.",
    "The school board stipulates that staff members in this school that will be teaching in participating grades "
    "covered by the AGR program or that will be responsible for implementing the AGR program have been fully informed "
    "about the program requirements, have had the opportunity to participate in the development of the achievement "
    "gap reduction performance objectives related to this contract.",
    "The school board agrees to use the aid provided for this program to satisfy the terms of the contract and agrees "
    "to provide budget, financial, and program reports requested by the department.",
    "The cost of maintaining the terms of the contract including strategies for reducing class size to 18:1 or 30:2, "
    "instructional coaching, and one-to-one tutoring requirements may require allocation of additional local and/or "
    "federal funds.",
    "If the school fails to implement the requirements under Wis. Stat. §118.44(4)(a) in a participating grade for "
    "which the department has made payment, the school board of the district shall, upon the request of the "
    "department, reimburse the department the amount paid for the participating grade on the school's behalf for the "
    "school year in which the requirements were not implemented.",
    "The department will not renew an AGR contract for a school that fails to meet these terms.",
    "The school board agrees to allow DPI-authorized evaluators of the AGR program access to any school or schools in "
    "the district that have been identified as appropriate comparison sites for the purpose of gathering program and "
    "achievement data.",
    "For purposes of the AGR evaluation, research staff may visit and observe classrooms; interview students, school "
    "staff members, and community members; and review records and documentation maintained by participating schools "
    "that demonstrate student achievement or compliance with the program requirements.",
    "The school board agrees to collect, maintain, and report data and information requested by the department, "
    "including student demographic and family income data and academic achievement information to document pupil "
    "achievement and the attainment of performance objectives, to provide information necessary for the calculation "
    "of aid, and for the purposes of the required program evaluation.",
    "The school board agrees to implement any pupil assessments required as part of the AGR program evaluation.",
    "The department will monitor school board compliance with the terms of the contract by collecting annual reports.",
    "DPI shall require any agent, including a subcontractor, to whom it provides the district’s data, to agree to the "
    "same conditions and restrictions as set form herein.",
    "DPI agrees that any student-level or other individually identifiable data collected for the purposes of the "
    "program will be maintained in accordance with the confidentiality provisions in state and federal law.",
]

TUTORING_WORDING = (
    "The school board will ensure pupils in one or more classes in one or more participating grades who are struggling "
    "with reading or mathematics or both subjects will receive data-informed, one-to-one tutoring provided during "
    "regular school hours by a licensed teacher using an instructional program found to be effective by the What Works "
    "Clearinghouse of the Institute of Education Sciences. Wis. Stat. §118.44(4)(a)3.")
MAP_WORDING = [
    "NWEA Assessment Data (MAP)",
    "The school board agrees that if the school utilizes NWEA MAP testing, the data from NWEA MAP tests must be shared "
    "with DPI-authorized AGR program evaluators for the evaluation of the AGR program.",
    "These data can most efficiently be transferred directly from NWEA to DPI in compliance with the Family "
    "Educational Rights and Privacy Act (FERPA), 20 U.S.C. Section 1232g, and its implementing regulations at 34 CFR "
    "Part 99.",
    "This evaluation will include comparisons of student growth in mathematics and reading in AGR and non-AGR schools "
    "within districts.",
    "In compliance with the Family Educational Rights and Privacy Act (FERPA), 20 U.S.C. Section 1232g, the school "
    "board agrees to grant DPI permission to utilize personally identifiable educational records that NWEA will "
    "provide pursuant to the exception in 20 U.S.C. Section 1232g(b)(1)(F).",
    "DPI shall use all appropriate administrative, physical, and technical safeguards to prevent the use or disclosure "
    "of the district’s data set except as provided for by this agreement.",
    "Student data shall be kept in a secure electronic format until no longer needed for purposes of the evaluation or "
    "for a period not to exceed five years after the termination of the AGR program, whichever occurs first, at which "
    "time DPI and its contracted program evaluator will permanently delete personally identifiable student "
    "information from the data set.",
    "By signing below, we acknowledge that we have the necessary authority to enter into this agreement and that our "
    "school(s) will record this redisclosure and include it in their annual notification to parents.",
]
NO_MAP_WORDING = FIDELITY[-1:]

GUIDANCE = [
    "Describe the baseline performance",
    "Describe the formative and summative assessments",
    "Describe how the implemented strategies",
    "Provide a description of the specific, measurable, and achievable performance objectives",
]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_contract_keeps_the_seed_wording_and_drops_its_guidance(name: str) -> None:
    contract = load_contract(SAMPLES / name)
    assert isinstance(contract, AgrContract)
    figures = contract.figures()
    text = plain_text(assemble(contract))
    expected = FIDELITY + (MAP_WORDING if figures.uses_nwea_map else []) + (
        [TUTORING_WORDING] if figures.uses_tutoring else [])
    # as the seed prints them, but for the errors the clauses correct and record (errata:)
    expected = [as_corrected(sentence, load_library("agr")) for sentence in expected]
    assert [sentence for sentence in expected if sentence not in text] == []
    seed = (SOURCES / "004_wisconsin_dpi_agr_contract.txt").read_text(encoding="utf-8").replace("|", " ")
    seed = " ".join(seed.split())
    assert [s for s in FIDELITY + MAP_WORDING + [TUTORING_WORDING] if s not in seed] == []
    assert [line for line in GUIDANCE if line in text] == []


# What the statute and the aid rule add, word for word from sources/004b_…


STATUTE_WORDING = [
    "“Achievement gap” means the difference between the academic performance of low-income pupils in a particular "
    "school in a particular grade in a particular subject area and the academic performance of all pupils enrolled in "
    "public schools statewide in that same grade level and in that same subject area.",
    "“Class size” means the number of pupils assigned to a regular classroom teacher on the 3rd Friday of September.",
    "“Low-income pupil” means a pupil who satisfies the income eligibility criteria under 42 USC 1758 (b) (1).",
    "“Participating grade” means grade 5-year-old kindergarten and grades 1 to 3 in a school subject to a contract "
    "under this section.",
    "“Participating school” means a school that has entered into a contract under this section.",
    "No achievement gap reduction contract entered into under this section may include a waiver of any requirement of "
    "or rule promulgated under the authority of this section.",
]
AID_WORDING = (
    "The amount generated by each low-income pupil shall be multiplied by the sum of low-income pupils within a school "
    "district enrolled in a grade eligible for funding in each eligible school of a school district to determine the "
    "amount of aid to be paid to the school district.")


def test_statute_and_aid_wording_is_quoted_from_the_law() -> None:
    law = " ".join((SOURCES / "004b_wis_stat_118_44_and_pi_24_03.txt").read_text(encoding="utf-8").split())
    assert [s for s in STATUTE_WORDING + [AID_WORDING] if s not in law] == []
    for name in SAMPLE_NAMES:
        text = plain_text(assemble(load_contract(SAMPLES / name)))
        assert [s for s in STATUTE_WORDING if s not in text] == []
        assert "Wis. Stat. §118.44(3)" in text and "Wis. Stat. §118.44(1)(d)" in text


def test_the_aid_is_stated_only_when_given_and_computed_per_school() -> None:
    data = sample_data("agr_partial_no_map.json")
    text = plain_text(assemble(contract_from_data(data, "test")))
    assert AID_WORDING in text
    assert ("Amount of aid, 2026-27 school year School Low-income pupils enrolled in a grade eligible for funding "
            "Amount generated by each low-income pupil Amount of aid Garfield Early Learning Center 64 $2,000 $128,000 "
            "Amount of aid to be paid to the school district $128,000") in text
    del data["schools"][0]["low_income_pupils"]
    document = assemble(contract_from_data(data, "test"), draft=True)
    assert [run.path for run in document.missing()] == ["schools.0.low_income_pupils"]
    del data["aid"]
    assert "amount of aid" not in plain_text(assemble(contract_from_data(data, "test"))).lower()
