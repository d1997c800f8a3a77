"""HDT rules: Standards of Excellence, the template's recommendations, outcomes, grades and subjects.

Money rules are in :mod:`.hdt_money`, date rules in :mod:`.hdt_dates`; both register here on import.
Every rule skips what is still unfilled: a draft gets findings only for what has been answered.

Standards of Excellence citations name only what the Center for OBC's published text was seen to say:
Standard 1 (Target Student Population) and its indicators 1.1–1.4, and the names of the five domains. A
check on another part of the contract cites the template section it enforces (see ``checklist.py`` for what
only a person can confirm).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models.hdt import POLICY, HdtContract
from ..models.hdt_figures import grade_key
from ..policy import Policy
from ..templating import format_percent
from . import hdt_checklist, hdt_dates, hdt_money  # noqa: F401 - they register their rules and checks
from .engine import Problem, listing, policy_problem, rule

_SOE = "Center for OBC Standards of Excellence (High-Dosage Tutoring), Standard 1 (Target Student Population)"
_T = "Center for OBC HDT template"


def hdt_rule(id: str, severity: str, source: str, title: str, policy_key: str | None = None):  # type: ignore[no-untyped-def]
    return rule(id, family="hdt", severity=severity, source=source, title=title, policy_key=policy_key)



# Standards of Excellence, Domain 1 (Clearly Defined Population), Standard 1: Target Student Population


@hdt_rule("HDT-SOE-1.1", "error", f"{_SOE}, indicator 1.1 (Target Population)", "Target population is defined")
def target_population(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    criteria = c.population.selection_criteria
    if criteria and not any(re.search(r"\d", text) for text in criteria):
        yield Problem("population.selection_criteria",
                      f"none of the {len(criteria)} selection criteria has a number, so eligibility is not measurable.",
                      "add at least one quantitative criterion, e.g. 'a score of Level 1 to 2.2 on the 2023 Spring "
                      "Math F.A.S.T.'")


def _served(c: HdtContract) -> dict[str, str]:
    return {grade_key(g): g for g in c.population.grades_served}


@hdt_rule("HDT-SOE-1.2", "error", f"{_SOE}, indicator 1.2 (Historical Performance Data)",
          "Each payment outcome has baseline data for the grades it covers")
def baselines_per_outcome(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    baselines = c.population.baselines
    served = _served(c)
    for index, outcome in enumerate(c.outcomes):
        if not outcome.name:
            continue
        linked = [b for b in baselines if b.outcome == outcome.name]
        if not linked:
            yield Problem(f"outcomes.{index}.name",
                          f"payment outcome '{outcome.name}' has no historical baseline data for the targeted group.",
                          "add a baseline whose 'payment outcome it supports' names it, with a figure per grade")
            continue
        wanted = {grade_key(g): g for g in outcome.grades} or served
        covered = {grade_key(v.grade) for b in linked for v in b.values if v.grade}
        lacking = [name for key, name in wanted.items() if key not in covered]
        if lacking:
            what = "a grade it covers" if len(lacking) == 1 else "grades it covers"
            yield Problem(f"outcomes.{index}.name",
                          f"payment outcome '{outcome.name}' has no baseline for {listing(lacking)}, {what}.",
                          "add the historical figure for every grade the outcome is paid for")


_ASSESSMENT_WORDS = re.compile(r"assessment|test|score|level|percentile|scale|F\.?A\.?S\.?T|MAP|i-?Ready|Star|DIBELS"
                               r"|Istation|Acadience|STAAR|benchmark", re.IGNORECASE)


@hdt_rule("HDT-SOE-1.3", "warning", f"{_SOE}, indicator 1.3 (Student Identification Criteria)",
          "Identification names assessment, metric, threshold")
def identification_criteria(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    criteria = c.population.selection_criteria
    if criteria and not any(re.search(r"\d", t) and _ASSESSMENT_WORDS.search(t) for t in criteria):
        yield Problem("population.selection_criteria",
                      "no selection criterion names an assessment together with a metric and a threshold.",
                      "state it like 'a previous score of Level 1 to 2.2 on the 2023 Spring Math F.A.S.T.'")


@hdt_rule("HDT-SOE-1.4", "error", f"{_SOE}, indicator 1.4 (Population Size Estimate)",
          "Population size matches the school sites")
def population_size(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    total = c.figures().school_student_total
    number = c.population.number_of_students
    if number is not None and total is not None and number != total:
        yield Problem("population.number_of_students",
                      f"the Program serves {number:,} students but the school sites add up to {total:,}.",
                      "make the number of students equal to the sum of the per-school counts",
                      also=("population.schools",))


@hdt_rule("HDT-POP-001", "error", f"{_T}, Section D.2 (Grade Level of Students, Historical Baseline Data)",
          "Baselines and outcomes name only grades served")
def grades_served(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    served = _served(c)
    if not served:
        return
    stray: dict[str, str] = {}
    paths: list[str] = []
    for i, b in enumerate(c.population.baselines):
        for j, v in enumerate(b.values):
            if v.grade and grade_key(v.grade) not in served:
                stray.setdefault(grade_key(v.grade), f"{v.grade} (baseline '{b.metric or b.outcome}')")
                paths.append(f"population.baselines.{i}.values.{j}.grade")
    for i, o in enumerate(c.outcomes):
        for g in o.grades:
            if grade_key(g) not in served:
                stray.setdefault(grade_key(g), f"{g} (payment outcome '{o.name}')")
                paths.append(f"outcomes.{i}.grades")
    if stray:
        yield Problem("population.grades_served",
                      f"the grades served are {listing(list(served.values()))}, but the contract also names "
                      f"{listing(list(stray.values()))}.",
                      "add the grade to the grades served, or correct the baseline or outcome",
                      also=tuple(dict.fromkeys(paths)))


@hdt_rule("HDT-POP-002", "error", f"{_T}, Sections A, C–E (subject area)", "Each subject has its payment outcomes")
def subjects(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    listed = {s.strip().lower(): s for s in c.population.subjects}
    if not listed:
        return
    named = [(i, o) for i, o in enumerate(c.outcomes) if o.subject]
    stray = [f"'{o.subject}' (payment outcome {i + 1})" for i, o in named
             if (o.subject or "").strip().lower() not in listed]
    if stray:
        yield Problem(f"outcomes.{named[0][0]}.subject",
                      f"the contract covers {listing(list(listed.values()))}, but names {listing(stray)}.",
                      "name one of the contract's subjects, or add the subject")
    if len(listed) < 2 or not c.outcomes:
        return
    unnamed = [str(i + 1) for i, o in enumerate(c.outcomes) if not o.subject]
    if unnamed:
        several = len(unnamed) > 1
        yield Problem("outcomes", f"the contract covers {len(listed)} subjects, but payment outcome"
                                  f"{'s' if several else ''} {listing(unnamed)} "
                                  f"name{'' if several else 's'} no subject.",
                      "give every payment outcome its subject")
        return
    paid = {o.subject.strip().lower() for _, o in named if o.subject}
    unpaid = [name for key, name in listed.items() if key not in paid]
    if unpaid:
        yield Problem("population.subjects",
                      f"no payment outcome measures {listing(unpaid)}, a subject of the contract.",
                      "add a payment outcome for it, or remove the subject")


# Domain 2 of the Standards of Excellence is Clearly Defined Outcomes and Metrics; its indicators could not be
# confirmed from the published text, so these rules cite the template sections they enforce.


@hdt_rule("HDT-OUT-001", "error", f"{_T}, Sections E and F.5", "Every payment outcome is fully defined")
def outcomes_defined(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    for index, o in enumerate(c.outcomes):
        lacking = [what for what, value in (("a metric", o.metric), ("an assessment window", o.window_start),
                                            ("a payment timetable", o.timetable)) if not value]
        if lacking and (o.name or o.metric):
            yield Problem(f"outcomes.{index}", f"payment outcome {index + 1} lacks {listing(lacking)}.",
                          "give every payment outcome a metric, an assessment window and a payment timetable")


def _same(text: str | None) -> str:
    return re.sub(r"\W+", " ", text or "").strip().lower()


@hdt_rule("HDT-OUT-002", "error", f"{_T}, Section G", "Process outcomes are not tied to payment")
def process_not_paid(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    paid = {_same(text) for o in c.outcomes for text in (o.name, o.metric) if text}
    paid |= {_same(t.metric) for o in c.outcomes for t in o.tiers if t.metric}
    for index, p in enumerate(c.process_outcomes):
        if any(text and _same(text) in paid for text in (p.name, p.metric)):
            yield Problem(f"process_outcomes.{index}",
                          f"process outcome '{p.name}' repeats a payment outcome's name or metric, but process "
                          "outcomes carry no payment.",
                          "remove it from the process outcomes or give it a different, unpaid measure")


@hdt_rule("HDT-OUT-003", "error", f"{_T}, Sections E and F.3", "Payment outcomes have different names")
def duplicate_outcomes(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, o in enumerate(c.outcomes):
        if not o.name:
            continue
        first = seen.setdefault(_same(o.name), index)
        if first != index:
            yield Problem(f"outcomes.{index}.name",
                          f"payment outcomes {first + 1} and {index + 1} are both named '{o.name}', so a baseline, a "
                          "payment or an invoice line could mean either.", "give each payment outcome its own name")


_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven "
                                            "twelve".split())}


def _count_before(word: str, text: str) -> int | None:
    """The number in front of ``word`` in ``text`` ("at least 45 sessions", "three 30-minute sessions")."""
    match = re.search(rf"\b(\d+|{'|'.join(_NUMBER_WORDS)})\b(?:[\s-]+[\w-]+)?\s+{word}", text, re.IGNORECASE)
    if not match:
        return None
    token = match.group(1).lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


@hdt_rule("HDT-SVC-001", "error", f"{_T}, Sections D.1, F.4 and I.2 (minimum service requirements)",
          "Minimum service fits the timetable and the dosage")
def minimum_service(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    text = c.accountability.minimum_service_requirements
    needed = _count_before("sessions", text) if text else None
    if needed is None:
        return
    scheduled = c.figures().base_sessions_total
    if scheduled is not None and c.rate_card.base_basis != "per_hour" and needed > scheduled:
        yield Problem("accountability.minimum_service_requirements",
                      f"the minimum service requires {needed} sessions, but the base payment timetable schedules "
                      f"only {scheduled}.", "lower the minimum service or schedule more sessions",
                      also=("rate_card.base_timetable",))
        return
    dosage, weeks = c.program.dosage, c.program.weeks
    per_week = _count_before("sessions", dosage) if dosage and re.search(r"per week|a week|weekly", dosage) else None
    if per_week and weeks and needed > per_week * weeks:
        yield Problem("accountability.minimum_service_requirements",
                      f"the minimum service requires {needed} sessions, but {per_week} sessions a week for "
                      f"{weeks} weeks (Section D) give at most {per_week * weeks}.",
                      "lower the minimum service, or correct the dosage or the program length",
                      also=("program.dosage", "program.weeks"))


# The template's recommendations: warnings when the contract is less protective


def _policy_rule(id: str, key: str, path: str, what: str) -> None:
    def check(c: HdtContract, policy: Policy) -> Iterator[Problem]:
        value = c
        for part in path.split("."):
            value = getattr(value, part)
        yield from policy_problem(policy, key, value, path, what)

    check.__name__ = key.replace(".", "_")
    title = next(entry.title for entry in POLICY if entry.key == key)
    hdt_rule(id, "warning", "policy table", title, policy_key=key)(check)


for _id, _key, _path, _what in (
    ("HDT-POL-002", "hdt.student_attendance_pct", "accountability.student_attendance_pct", "the student attendance"),
    ("HDT-POL-003", "hdt.tutor_consistency_pct", "accountability.tutor_consistency_pct", "the tutor consistency"),
    ("HDT-POL-004", "hdt.pl_attendance_pct", "accountability.pl_attendance_pct", "professional-learning attendance"),
    ("HDT-POL-005", "hdt.payment_days", "payments.payment_days", "the time to pay an invoice"),
    ("HDT-POL-006", "hdt.implementation_review_days", "accountability.implementation_review_days",
     "the time to convene an implementation review"),
    ("HDT-POL-007", "hdt.corrective_plan_business_days", "accountability.corrective_plan_business_days",
     "the time for the District's corrective plan"),
    ("HDT-POL-008", "hdt.tutor_consistency_plan_business_days", "accountability.tutor_consistency_plan_business_days",
     "the time for the Provider's tutor-consistency plan"),
    ("HDT-POL-009", "hdt.roster_window_weeks", "accountability.roster_window_weeks", "the roster window"),
    ("HDT-POL-010", "hdt.success_manager_replacement_days", "accountability.success_manager_replacement_days",
     "the time to replace a success manager"),
    ("HDT-POL-011", "hdt.makeup_session_days", "accountability.makeup_session_days", "the time for make-up sessions"),
    ("HDT-POL-012", "hdt.early_termination_cure_days", "termination.early_termination_cure_days",
     "the early-termination cure period"),
    ("HDT-POL-013", "hdt.termination_notice_days", "provisions.termination_notice_days",
     "the written notice before termination"),
):
    _policy_rule(_id, _key, _path, _what[0].upper() + _what[1:])


@hdt_rule("HDT-POL-001", "warning", "policy table", "Contingent share of total contract value",
          policy_key="hdt.contingent_share_pct")
def contingent_share(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    share = c.figures().contingent_share_pct
    entry = policy["hdt.contingent_share_pct"]
    if share is not None and not entry.satisfied_by(share):
        yield Problem("computed.contingent_share_pct",
                      f"the contingent share of the total contract value is {format_percent(share)}; "
                      f"the recommendation is {entry.describe()}.",
                      "move money from the base payment to the outcome payment caps, or keep it and explain why")


