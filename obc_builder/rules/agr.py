"""Rules for Wisconsin AGR contracts: the statute's requirements (errors) and the form's terms (warnings).

Every rule skips an input that is still unfilled (``None``): a draft is incomplete, not wrong, and the
unfilled inputs are reported as such. The statutory facts are the constants below, not policy: a district
policy file cannot relax them. Grades outside 5K–3 never get here: the model refuses them.

A finding speaks the contract's words ("First Grade Reading Performance Objective(s)", "regular classroom
teacher"), not field names, and one cause gives one finding: an objective relying on two strategies its grade
lacks is one finding naming both, a grade missing both objectives is one finding naming both subjects, and
each finding names every field its cause involves (``also``: e.g. the grade's strategies as well as the
objective's).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..library import family_meta
from ..models.agr import POLICY, TERM_YEARS, AgrContract, GradePlan, School
from ..policy import Policy
from .engine import Problem, policy_problem, rule

MAX_PUPILS_PER_TEACHER = 18
"""s. 118.44(4)(a)1.: class size reduced to 18 pupils per regular classroom teacher ..."""
MAX_PUPILS_SHARED = 30
"""... or 30 pupils in a class taught by two regular classroom teachers."""
TEACHERS_SHARED = 2

_STAT = "s. 118.44{}, Wis. Stats."
CLASS_18 = "class_size_18_1"
CLASS_30 = "class_size_30_2"
COACHING = "instructional_coaching"
TUTORING = "one_to_one_tutoring"


def _policy_source(key: str) -> str:
    return next(item.source for item in POLICY if item.key == key)


def _school(school: School, index: int) -> str:
    return school.name or f"school {index + 1}"


def _grade(plan: GradePlan) -> str:
    """What the contract calls the grade ("First Grade"), or a placeholder while it is unfilled."""
    return _label("grade", plan.grade) if plan.grade else "a grade not yet chosen"


def _where(school: str, plan: GradePlan) -> str:
    return f"{school}, {_grade(plan)}"


def _objective(plan: GradePlan, subject: str | None) -> str:
    """An objective as the contract's table heads it: "First Grade Reading Performance Objective(s)"."""
    return f"the {_grade(plan)} {_label('subject', subject) if subject else 'unnamed'} Performance Objective(s)"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plans(contract: AgrContract) -> Iterator[tuple[str, str, GradePlan]]:
    """Each grade plan with its field path and the school's name (as the contract prints it)."""
    for s, school in enumerate(contract.schools):
        for g, plan in enumerate(school.grades):
            yield f"schools.{s}.grades.{g}", _school(school, s), plan


@rule("AGR-STAT-001", family="agr", severity="error", source=_STAT.format("(1)(d)"),
      title="Each participating grade is listed once per school")
def participating_grades_once(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for s, school in enumerate(contract.schools):
        listed = [(g, plan.grade) for g, plan in enumerate(school.grades) if plan.grade is not None]
        for grade in dict.fromkeys(value for _, value in listed):
            places = [g for g, value in listed if value == grade]
            if len(places) > 1:
                times = {2: "twice"}.get(len(places), f"{len(places)} times")
                yield Problem(f"schools.{s}.grades.{places[1]}.grade",
                              f"{_school(school, s)} lists {_label('grade', grade)} {times}; each participating "
                              "grade is listed once.", "merge the entries into one",
                              also=tuple(f"schools.{s}.grades.{g}.grade" for g in places))


@rule("AGR-STAT-002", family="agr", severity="error", source=_STAT.format("(4)(c)"),
      title="Every participating grade has one reading and one mathematics objective")
def objective_per_subject(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        if any(o.subject is None for o in plan.objectives):
            continue
        counts = {subject: sum(1 for o in plan.objectives if o.subject == subject)
                  for subject in ("reading", "mathematics")}
        lacking = [_label("subject", subject) for subject, count in counts.items() if count == 0]
        extra = [_label("subject", subject) for subject, count in counts.items() if count > 1]
        if lacking:
            yield Problem(f"{path}.objectives", f"{where} has no {' and no '.join(lacking)} Performance "
                          "Objective(s); each participating grade has one reading and one mathematics performance "
                          "objective.", f"add the {_and(lacking).lower()} performance objective(s) of this grade")
        if extra:
            yield Problem(f"{path}.objectives", f"{where} has more than one {_and(extra)} Performance "
                          "Objective(s); each participating grade has one per subject.",
                          "merge them into one objective per subject")


@rule("AGR-STAT-003", family="agr", severity="error", source=_STAT.format("(4)(c)"),
      title="Each objective has formative and summative assessments and the strategies it relies on")
def objective_complete(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        for o, objective in enumerate(plan.objectives):
            at = f"{path}.objectives.{o}"
            what = f"{school}: {_objective(plan, objective.subject)}"
            kinds = [(field, kind) for field, kind in (("formative_assessments", "formative"),
                                                       ("summative_assessments", "summative"))
                     if not getattr(objective, field)]
            if kinds:
                yield Problem(f"{at}.{kinds[0][0]}", f"{what} name no {' and no '.join(k for _, k in kinds)} "
                              "assessment; the contract describes both the formative and the summative "
                              "assessments used to evaluate success.",
                              f"name the {' and '.join(k for _, k in kinds)} assessment(s)",
                              also=tuple(f"{at}.{field}" for field, _ in kinds))
            if not objective.strategies:
                yield Problem(f"{at}.strategies", f"{what} rely on no AGR strategy; the contract describes how "
                              "the implemented strategies will aid in attaining the objective.",
                              "choose the strategies this objective relies on")
            absent = [x for x in objective.strategies if plan.strategies and x not in plan.strategies]
            if absent:
                yield Problem(f"{at}.strategies", f"{what} rely on {_labels(absent, ' and ')}, which "
                              f"{_grade(plan)} does not implement (it implements {_labels(plan.strategies)}).",
                              "rely only on strategies implemented in this grade, or add them to the grade",
                              also=(f"{path}.strategies",))


@rule("AGR-STAT-004", family="agr", severity="error", source=_STAT.format("(4)(a)"),
      title="Every participating grade of every school implements at least one strategy")
def strategy_in_every_grade(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        if not plan.strategies:
            yield Problem(f"{path}.strategies", f"{where} implements no achievement gap reduction strategy; each "
                          "class in each participating grade implements at least one.",
                          "choose class size reduction (18:1 or 30:2), instructional coaching or one-to-one tutoring")


@rule("AGR-STAT-005", family="agr", severity="error", source=_STAT.format("(4)(a)1."),
      title="Class size reduction: at most 18 pupils per teacher, or 30 with two regular teachers")
def class_size(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        pupils = plan.pupils_per_teacher
        if CLASS_18 in plan.strategies and pupils is not None and pupils > MAX_PUPILS_PER_TEACHER:
            yield Problem(f"{path}.pupils_per_teacher", f"{where} has {pupils} pupils per regular classroom "
                          f"teacher in Class Size Reduction (18:1); the limit is {MAX_PUPILS_PER_TEACHER}.",
                          f"reduce the class size to {MAX_PUPILS_PER_TEACHER}, or use 30:2 with two teachers")
        if CLASS_30 not in plan.strategies:
            continue
        shared, teachers = plan.pupils_per_shared_class, plan.teachers_per_shared_class
        if shared is not None and shared > MAX_PUPILS_SHARED:
            yield Problem(f"{path}.pupils_per_shared_class", f"{where} has {shared} pupils in a Class Size "
                          f"Reduction (30:2) class; the limit is {MAX_PUPILS_SHARED}.",
                          f"reduce the shared class to {MAX_PUPILS_SHARED}")
        if teachers is not None and teachers < TEACHERS_SHARED:
            yield Problem(f"{path}.teachers_per_shared_class", f"{where} has {teachers} regular classroom "
                          f"teacher(s) in a Class Size Reduction (30:2) class; {TEACHERS_SHARED} are required.",
                          f"assign {TEACHERS_SHARED} regular classroom teachers, or use 18:1 classes")


@rule("AGR-STAT-006", family="agr", severity="error", source=_STAT.format("(4)(a)2. and 3."),
      title="Coaching and tutoring are provided by licensed teachers")
def licensed_teachers(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        if COACHING in plan.strategies and plan.coach_licensed is False:
            yield Problem(f"{path}.coach_licensed", f"{where}: the instructional coach is not a licensed teacher; "
                          "under the contract, instructional coaching is provided by a licensed teacher(s).",
                          "assign a licensed teacher as coach")
        if TUTORING in plan.strategies and plan.tutors_licensed is False:
            yield Problem(f"{path}.tutors_licensed", f"{where}: the tutors are not all licensed teachers; under the "
                          "contract, one-to-one tutoring is provided by a licensed teacher.",
                          "assign licensed teachers as tutors")


@rule("AGR-STAT-007", family="agr", severity="error", source=_STAT.format("(4)(a)3."),
      title="One-to-one tutoring happens during regular school hours")
def tutoring_hours(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        if TUTORING in plan.strategies and plan.tutoring_during_school_hours is False:
            yield Problem(f"{path}.tutoring_during_school_hours", f"{where}: one-to-one tutoring is outside regular "
                          "school hours; under the contract, it is provided during regular school hours.",
                          "schedule tutoring within the regular school day")


@rule("AGR-STAT-008", family="agr", severity="error", source=_STAT.format("(4)(a)3."),
      title="One-to-one tutoring uses a program the What Works Clearinghouse found effective")
def tutoring_program(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, school, plan in _plans(contract):
        where = _where(school, plan)
        if TUTORING in plan.strategies and plan.tutoring_program_wwc_effective is False:
            program = plan.tutoring_program or "the tutoring program"
            yield Problem(f"{path}.tutoring_program_wwc_effective", f"{where}: {program} has not been found to be "
                          "effective by the What Works Clearinghouse; under the contract, the tutoring uses an "
                          "instructional program found to be effective by it.",
                          "choose a program the What Works Clearinghouse found effective",
                          also=(f"{path}.tutoring_program",))


@rule("AGR-STAT-009", family="agr", severity="error", source=_STAT.format("(3)"),
      title="The contract runs five school years")
def five_year_term(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    length = contract.years.stated_length
    if length is not None and length != TERM_YEARS:
        yield Problem("years.stated_length", f"The term is {length} school years; an AGR contract runs "
                      f"{TERM_YEARS}.", "leave the length empty (five years) or set it to 5")


@rule("AGR-STAT-010", family="agr", severity="error", source=_STAT.format("(1)(d) and (4)(a)"),
      title="Every grade from 5K to 3 that a school has is a participating grade")
def every_grade_participates(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for s, school in enumerate(contract.schools):
        listed = {plan.grade for plan in school.grades}
        left_out = [grade for grade in dict.fromkeys(school.grades_enrolled) if grade not in listed]
        if left_out:
            names = _and([_label("grade", grade) for grade in left_out])
            yield Problem(f"schools.{s}.grades", f"{_school(school, s)} has {names} but does not list "
                          f"{'it' if len(left_out) == 1 else 'them'} among its participating grades; “Participating "
                          "grade” means grade 5-year-old kindergarten and grades 1 to 3 in a school subject to a "
                          "contract, and a strategy is implemented in each class in each participating grade.",
                          f"add {names} with its strategies and objectives, or correct the grades the school has",
                          also=(f"schools.{s}.grades_enrolled",))


@rule("AGR-POL-001", family="agr", severity="warning", source=_policy_source("agr.withdrawal_notice_days"),
      title="Withdrawal notice of at least 60 days", policy_key="agr.withdrawal_notice_days")
def withdrawal_notice(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    yield from policy_problem(policy, "agr.withdrawal_notice_days", contract.notices.withdrawal_days,
                              "notices.withdrawal_days", "The notice before withdrawing or transferring")


@rule("AGR-POL-002", family="agr", severity="warning", source=_policy_source("agr.end_notice_days_after_june_30"),
      title="Notice to end participation by June 30", policy_key="agr.end_notice_days_after_june_30")
def end_participation_notice(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    yield from policy_problem(policy, "agr.end_notice_days_after_june_30",
                              contract.notices.end_participation_days_after_june_30,
                              "notices.end_participation_days_after_june_30",
                              "The deadline for notice to end participation")


@rule("AGR-POL-003", family="agr", severity="warning", source=_policy_source("agr.data_retention_years"),
      title="Student data kept at most five years after the program ends", policy_key="agr.data_retention_years")
def data_retention(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    if contract.figures().uses_nwea_map is False:
        return  # the contract states the retention term only with the NWEA MAP data set
    yield from policy_problem(policy, "agr.data_retention_years", contract.data.retention_years,
                              "data.retention_years", "The time student data are kept after the program ends")


def _labels(strategies: Sequence[str], last: str = ", ") -> str:
    names = [_label("strategy", s) for s in strategies]
    return ", ".join(names[:-1]) + last + names[-1] if len(names) > 1 else ", ".join(names)


def _label(kind: str, value: str) -> str:
    """What the contract calls a coded value (clauses/agr/_family.yaml), so findings use the contract's words."""
    return str(family_meta("agr")["labels"][kind].get(str(value), value))
