"""HDT rules: Standards of Excellence, the template's recommendations, money and dates.

Every rule skips what is still unfilled: a draft gets findings only for what has been answered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from ..models.hdt import POLICY, HdtContract, MilestoneKind
from ..policy import Policy
from ..templating import format_date, format_money, format_percent
from .engine import Problem, policy_problem, rule

_SOE = "Center for OBC Standards of Excellence (HDT)"
_ARITH = "arithmetic of the rate card"
_DATES = "consistency of the contract dates"


def hdt_rule(id: str, severity: str, source: str, title: str, policy_key: str | None = None):  # type: ignore[no-untyped-def]
    return rule(id, family="hdt", severity=severity, source=source, title=title, policy_key=policy_key)


# Standards of Excellence, domain 1: a clearly defined population


@hdt_rule("HDT-SOE-1.1", "error", f"{_SOE}, indicator 1.1", "Target population is defined")
def target_population(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    criteria = c.population.selection_criteria
    if criteria and not any(re.search(r"\d", text) for text in criteria):
        yield Problem("population.selection_criteria",
                      f"none of the {len(criteria)} selection criteria has a number, so eligibility is not measurable.",
                      "add at least one quantitative criterion, e.g. 'a score of Level 1 to 2.2 on the 2023 Spring "
                      "Math F.A.S.T.'")


@hdt_rule("HDT-SOE-1.2", "error", f"{_SOE}, indicator 1.2", "Each payment outcome has baseline data per grade")
def baselines_per_outcome(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    baselines = c.population.baselines
    grades = {v.grade for b in baselines for v in b.values if v.grade}
    for index, outcome in enumerate(c.outcomes):
        if not outcome.name:
            continue
        linked = [b for b in baselines if b.outcome == outcome.name]
        if not linked:
            yield Problem(f"outcomes.{index}.name",
                          f"payment outcome '{outcome.name}' has no historical baseline data for the targeted group.",
                          "add a baseline under population.baselines whose 'outcome' names it, with a figure per grade")
            continue
        covered = {v.grade for b in linked for v in b.values if v.grade}
        lacking = sorted(grades - covered)
        if lacking:
            yield Problem(f"outcomes.{index}.name",
                          f"payment outcome '{outcome.name}' has no baseline for {', '.join(lacking)}, a grade served.",
                          "add the historical figure for every grade served")


_ASSESSMENT_WORDS = re.compile(r"assessment|test|score|level|percentile|scale|F\.?A\.?S\.?T|MAP|i-?Ready|Star|DIBELS",
                               re.IGNORECASE)


@hdt_rule("HDT-SOE-1.3", "warning", f"{_SOE}, indicator 1.3", "Identification names assessment, metric, threshold")
def identification_criteria(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    criteria = c.population.selection_criteria
    if criteria and not any(re.search(r"\d", t) and _ASSESSMENT_WORDS.search(t) for t in criteria):
        yield Problem("population.selection_criteria",
                      "no selection criterion names an assessment together with a metric and a threshold.",
                      "state it like 'a previous score of Level 1 to 2.2 on the 2023 Spring Math F.A.S.T.'")


@hdt_rule("HDT-SOE-1.4", "error", f"{_SOE}, indicator 1.4", "Population size matches the school sites")
def population_size(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    total = c.figures().school_student_total
    number = c.population.number_of_students
    if number is not None and total is not None and number != total:
        yield Problem("population.number_of_students",
                      f"the Program serves {number:,} students but the school sites add up to {total:,}.",
                      "make the number of students equal to the sum of the per-school counts")


# Standards of Excellence, domain 2: clearly defined outcomes and metrics


@hdt_rule("HDT-SOE-2.1", "error", f"{_SOE}, domain 2", "Every payment outcome is fully defined")
def outcomes_defined(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    for index, o in enumerate(c.outcomes):
        lacking = [what for what, value in (("a metric", o.metric), ("an assessment window", o.window_start),
                                            ("a payment timetable", o.timetable)) if not value]
        if lacking and (o.name or o.metric):
            yield Problem(f"outcomes.{index}", f"payment outcome {index + 1} lacks {' and '.join(lacking)}.",
                          "give every payment outcome a metric, an assessment window and a payment timetable")


@hdt_rule("HDT-SOE-2.2", "error", f"{_SOE}, domain 2", "Process outcomes are not tied to payment")
def process_not_paid(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    paid = {text.strip().lower() for o in c.outcomes for text in (o.name, o.metric) if text}
    for index, p in enumerate(c.process_outcomes):
        if any(text and text.strip().lower() in paid for text in (p.name, p.metric)):
            yield Problem(f"process_outcomes.{index}",
                          f"process outcome '{p.name}' is also a payment outcome, but process outcomes carry "
                          "no payment.",
                          "remove it from the process outcomes or give it a different, unpaid measure")


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


# Money: the rate card must add up


@hdt_rule("HDT-PAY-001", "error", _ARITH, "Stated totals match the rate card")
def stated_totals(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    figures = c.figures()
    for path, stated, computed, what in (
        ("rate_card.stated_per_student_total", c.rate_card.stated_per_student_total, figures.per_student_total,
         "base payment plus the prices per outcome"),
        ("rate_card.stated_contract_total", c.rate_card.stated_contract_total, figures.contract_total,
         "the base cap plus the outcome payment caps"),
    ):
        if stated is not None and computed is not None and stated != computed:
            yield Problem(path, f"you stated {format_money(stated)}, but {what} come to {format_money(computed)}.",
                          f"correct the rate card or the stated figure (the contract prints {format_money(computed)})")


@hdt_rule("HDT-PAY-002", "error", _ARITH, "No outcome cap above price × students")
def outcome_caps(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    students = c.population.number_of_students
    for index, o in enumerate(c.outcomes):
        if students and o.price_per_outcome is not None and o.payment_cap is not None:
            most = o.price_per_outcome * students
            if o.payment_cap > most:
                yield Problem(f"outcomes.{index}.payment_cap",
                              f"the cap for '{o.name}' is {format_money(o.payment_cap)}, more than "
                              f"{format_money(o.price_per_outcome)} × {students:,} students = {format_money(most)}.",
                              f"lower the cap to at most {format_money(most)}")


@hdt_rule("HDT-PAY-003", "error", _ARITH, "Base cap at most base price × students")
def base_cap(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    students, price, cap = c.population.number_of_students, c.rate_card.base_price_per_student, c.rate_card.base_cap
    if students and price is not None and cap is not None and cap > price * students:
        yield Problem("rate_card.base_cap",
                      f"the base cap is {format_money(cap)}, more than {format_money(price)} × {students:,} students "
                      f"= {format_money(price * students)}.",
                      f"lower the base cap to at most {format_money(price * students)}")


@hdt_rule("HDT-PAY-004", "error", _ARITH, "Contract total within the maximum budget")
def within_budget(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    total, budget = c.figures().contract_total, c.payments.maximum_budget
    if total is not None and budget is not None and total > budget:
        yield Problem("payments.maximum_budget",
                      f"the contract total of {format_money(total)} exceeds the maximum budget of "
                      f"{format_money(budget)}.",
                      "lower the caps or raise the maximum budget")


@hdt_rule("HDT-PAY-005", "error", _ARITH, "Base timetable sums to the base payment per student")
def base_timetable(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    total, price = c.figures().base_timetable_total, c.rate_card.base_price_per_student
    if total is not None and price is not None and total != price:
        yield Problem("rate_card.base_timetable",
                      f"the monthly base payments add up to {format_money(total)} per student, not the base payment "
                      f"of {format_money(price)}.",
                      "make the months add up to the base payment per student")


@hdt_rule("HDT-PAY-006", "error", _ARITH, "Stated contingent share matches the computed one")
def stated_share(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    stated, share = c.rate_card.stated_contingent_share_pct, c.figures().contingent_share_pct
    if stated is not None and share is not None and abs(stated - share) > Decimal("0.5"):
        yield Problem("rate_card.stated_contingent_share_pct",
                      f"you stated a contingent share of {format_percent(stated)}, but the rate card gives "
                      f"{format_percent(share)}.",
                      "change the caps, or correct the stated share")


# Dates


@hdt_rule("HDT-DATE-001", "error", _DATES, "Effective date ≤ service start < service end")
def term_order(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    d = c.dates
    if d.effective_date and d.service_start and d.effective_date > d.service_start:
        yield Problem("dates.service_start",
                      f"services start on {format_date(d.service_start)}, before the effective date "
                      f"{format_date(d.effective_date)}.", "start services on or after the effective date")
    if d.service_start and d.service_end and d.service_start >= d.service_end:
        yield Problem("dates.service_end",
                      f"services end on {format_date(d.service_end)}, not after they start on "
                      f"{format_date(d.service_start)}.", "end services after they start")


def _outside(day: date, start: date | None, end: date | None) -> bool:
    return (start is not None and day < start) or (end is not None and day > end)


@hdt_rule("HDT-DATE-002", "error", _DATES, "Assessment windows inside the service period")
def windows_inside(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end = c.dates.service_start, c.dates.service_end
    for index, o in enumerate(c.outcomes):
        if o.window_start and o.window_end and o.window_start > o.window_end:
            yield Problem(f"outcomes.{index}.window_end",
                          f"the assessment window of '{o.name}' closes ({format_date(o.window_end)}) before it opens "
                          f"({format_date(o.window_start)}).", "swap or correct the window dates")
        for day in (o.window_start, o.window_end):
            if day and _outside(day, start, end):
                yield Problem(f"outcomes.{index}.window_start",
                              f"the assessment window of '{o.name}' ({format_date(day)}) falls outside the service "
                              f"period.", "move the window inside the service start and end dates")
                break


@hdt_rule("HDT-DATE-003", "error", _DATES, "Payment milestones in the term, in order, data validated before payment")
def milestones_in_order(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end = c.dates.effective_date, c.dates.service_end
    for index, o in enumerate(c.outcomes):
        previous: date | None = None
        validated = False
        for step, m in enumerate(o.timetable):
            path = f"outcomes.{index}.timetable.{step}.date"
            if m.date is None:
                continue
            if _outside(m.date, start, end):
                yield Problem(path, f"milestone '{m.milestone}' ({format_date(m.date)}) falls outside the contract "
                                    "term.", "move it between the effective date and the service end date")
            if previous and m.date < previous:
                yield Problem(path, f"milestone '{m.milestone}' ({format_date(m.date)}) comes before the milestone "
                                    f"above it ({format_date(previous)}).", "list the milestones in date order")
            if m.kind == MilestoneKind.data_validation.value:
                validated = True
            if m.kind == MilestoneKind.payment.value and not validated:
                yield Problem(path, f"payment for '{o.name}' is scheduled before any data validation milestone.",
                              "add a data-validation milestone before the payment")
            if m.kind == MilestoneKind.payment.value and o.window_end and m.date < o.window_end:
                yield Problem(path, f"payment for '{o.name}' ({format_date(m.date)}) comes before its assessment "
                                    f"window closes ({format_date(o.window_end)}).", "pay after the assessment window")
            previous = m.end_date or m.date


@hdt_rule("HDT-DATE-004", "error", _DATES, "Program weeks fit the service dates")
def weeks_fit(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end, weeks = c.dates.service_start, c.dates.service_end, c.program.weeks
    if start and end and weeks and end > start:
        available = math.ceil(((end - start).days + 1) / 7)
        if weeks > available:
            yield Problem("program.weeks",
                          f"the program runs {weeks} weeks, but the service dates span only {available} weeks.",
                          f"use at most {available} weeks or widen the service dates")
