"""Rules for Wisconsin AGR contracts: the statute's requirements (errors) and the form's terms (warnings).

Every rule skips an input that is still unfilled (``None``): a draft is incomplete, not wrong, and the
unfilled inputs are reported as such. The statutory facts are the constants below, not policy: a district
policy file cannot relax them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..library import family_meta
from ..models.agr import POLICY, TERM_YEARS, AgrContract, GradePlan, School
from ..policy import Policy
from .engine import Problem, policy_problem, rule

ELIGIBLE_GRADES = ("5K", "1", "2", "3")
"""s. 118.44(1)(d): a participating grade is five-year-old kindergarten or grade 1, 2 or 3."""
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


def _where(school: School, index: int, plan: GradePlan) -> str:
    grade = f"grade {plan.grade}" if plan.grade else "a grade not yet chosen"
    return f"{_school(school, index)}, {grade}"


def _plans(contract: AgrContract) -> Iterator[tuple[str, str, GradePlan]]:
    """Each grade plan with its field path and a readable 'school, grade' description."""
    for s, school in enumerate(contract.schools):
        for g, plan in enumerate(school.grades):
            yield f"schools.{s}.grades.{g}", _where(school, s, plan), plan


@rule("AGR-STAT-001", family="agr", severity="error", source=_STAT.format("(1)(d)"),
      title="Participating grades are 5K through grade 3, each listed once")
def participating_grades(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    allowed = ", ".join(ELIGIBLE_GRADES)
    for s, school in enumerate(contract.schools):
        seen: set[str] = set()
        for g, plan in enumerate(school.grades):
            if plan.grade is None:
                continue
            path = f"schools.{s}.grades.{g}.grade"
            if plan.grade not in ELIGIBLE_GRADES:
                yield Problem(path, f"{_school(school, s)} lists grade {plan.grade} ({_label('grade', plan.grade)}); "
                              f"only grades {allowed} can be participating grades.",
                              f"remove grade {plan.grade} from the contract")
            elif plan.grade in seen:
                yield Problem(path, f"{_school(school, s)} lists grade {plan.grade} twice; each grade is listed once.",
                              "merge the two entries into one")
            seen.add(plan.grade)


@rule("AGR-STAT-002", family="agr", severity="error", source=_STAT.format("(4)(c)"),
      title="Every participating grade has one reading and one mathematics objective")
def objective_per_subject(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        if any(o.subject is None for o in plan.objectives):
            continue
        for subject in ("reading", "mathematics"):
            count = sum(1 for o in plan.objectives if o.subject == subject)
            if count != 1:
                yield Problem(f"{path}.objectives", f"{where} has {count} {subject} performance objectives; "
                              "exactly 1 is required.",
                              f"{'add' if count == 0 else 'keep only'} one {subject} objective for this grade")


@rule("AGR-STAT-003", family="agr", severity="error", source=_STAT.format("(4)(c)"),
      title="Each objective has formative and summative assessments and the strategies it relies on")
def objective_complete(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        for o, objective in enumerate(plan.objectives):
            at = f"{path}.objectives.{o}"
            what = f"The {objective.subject or 'unnamed'} objective of {where}"
            for field, kind in (("formative_assessments", "formative"), ("summative_assessments", "summative")):
                if not getattr(objective, field):
                    yield Problem(f"{at}.{field}", f"{what} names 0 {kind} assessments; at least 1 is required.",
                                  f"name the {kind} assessment(s) used to evaluate success")
            if not objective.strategies:
                yield Problem(f"{at}.strategies", f"{what} relies on 0 strategies; at least 1 is required.",
                              "choose the strategies this objective relies on")
            for strategy in objective.strategies:
                if plan.strategies and strategy not in plan.strategies:
                    yield Problem(f"{at}.strategies", f"{what} relies on {_label('strategy', strategy)}, which the "
                                  f"grade does not implement (it implements {_labels(plan.strategies)}).",
                                  "rely only on strategies implemented in this grade, or add the strategy to it")


@rule("AGR-STAT-004", family="agr", severity="error", source=_STAT.format("(4)(a)"),
      title="Every participating grade of every school implements at least one strategy")
def strategy_in_every_grade(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        if not plan.strategies:
            yield Problem(f"{path}.strategies", f"{where} implements 0 strategies; at least 1 is required.",
                          "choose class size reduction (18:1 or 30:2), instructional coaching or one-to-one tutoring")


@rule("AGR-STAT-005", family="agr", severity="error", source=_STAT.format("(4)(a)1."),
      title="Class size reduction: at most 18 pupils per teacher, or 30 with two regular teachers")
def class_size(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        pupils = plan.pupils_per_teacher
        if CLASS_18 in plan.strategies and pupils is not None and pupils > MAX_PUPILS_PER_TEACHER:
            yield Problem(f"{path}.pupils_per_teacher", f"{where} has {pupils} pupils per teacher in 18:1 classes; "
                          f"the limit is {MAX_PUPILS_PER_TEACHER}.",
                          f"reduce the class size to {MAX_PUPILS_PER_TEACHER}, or use 30:2 with two teachers")
        if CLASS_30 not in plan.strategies:
            continue
        shared, teachers = plan.pupils_per_shared_class, plan.teachers_per_shared_class
        if shared is not None and shared > MAX_PUPILS_SHARED:
            yield Problem(f"{path}.pupils_per_shared_class", f"{where} has {shared} pupils in a shared 30:2 class; "
                          f"the limit is {MAX_PUPILS_SHARED}.", f"reduce the shared class to {MAX_PUPILS_SHARED}")
        if teachers is not None and teachers < TEACHERS_SHARED:
            yield Problem(f"{path}.teachers_per_shared_class", f"{where} has {teachers} regular teacher(s) per "
                          f"shared 30:2 class; {TEACHERS_SHARED} are required.",
                          f"assign {TEACHERS_SHARED} regular classroom teachers, or use 18:1 classes")


@rule("AGR-STAT-006", family="agr", severity="error", source=_STAT.format("(4)(a)2. and 3."),
      title="Coaching and tutoring are provided by licensed teachers")
def licensed_teachers(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        if COACHING in plan.strategies and plan.coach_licensed is False:
            yield Problem(f"{path}.coach_licensed", f"{where}: the instructional coach is not a licensed teacher; "
                          "coaching must be provided by a licensed teacher.", "assign a licensed teacher as coach")
        if TUTORING in plan.strategies and plan.tutors_licensed is False:
            yield Problem(f"{path}.tutors_licensed", f"{where}: the tutors are not all licensed teachers; one-to-one "
                          "tutoring must be provided by a licensed teacher.", "assign licensed teachers as tutors")


@rule("AGR-STAT-007", family="agr", severity="error", source=_STAT.format("(4)(a)3."),
      title="One-to-one tutoring happens during regular school hours")
def tutoring_hours(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        if TUTORING in plan.strategies and plan.tutoring_during_school_hours is False:
            yield Problem(f"{path}.tutoring_during_school_hours", f"{where}: tutoring is outside regular school "
                          "hours; it must be provided during regular school hours.",
                          "schedule tutoring within the regular school day")


@rule("AGR-STAT-008", family="agr", severity="error", source=_STAT.format("(4)(a)3."),
      title="One-to-one tutoring uses a program the What Works Clearinghouse found effective")
def tutoring_program(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    for path, where, plan in _plans(contract):
        if TUTORING in plan.strategies and plan.tutoring_program_wwc_effective is False:
            program = plan.tutoring_program or "the tutoring program"
            yield Problem(f"{path}.tutoring_program_wwc_effective", f"{where}: {program} has not been found effective "
                          "by the What Works Clearinghouse; the program must have been.",
                          "choose a program the What Works Clearinghouse found effective")


@rule("AGR-STAT-009", family="agr", severity="error", source=_STAT.format("(3)"),
      title="The contract runs five school years")
def five_year_term(contract: AgrContract, policy: Policy) -> Iterator[Problem]:
    length = contract.years.stated_length
    if length is not None and length != TERM_YEARS:
        yield Problem("years.stated_length", f"The term is {length} school years; an AGR contract runs "
                      f"{TERM_YEARS}.", "leave the length empty (five years) or set it to 5")


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
    yield from policy_problem(policy, "agr.data_retention_years", contract.data.retention_years,
                              "data.retention_years", "The time student data are kept after the program ends")


def _labels(strategies: Sequence[str]) -> str:
    return ", ".join(_label('strategy', s) for s in strategies)


def _label(kind: str, value: str) -> str:
    """What the contract calls a coded value (clauses/agr/_family.yaml), so findings use the contract's words."""
    return str(family_meta("agr")["labels"][kind].get(str(value), value))
