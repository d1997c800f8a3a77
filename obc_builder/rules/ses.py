"""Rules of the Florida SES family: the statute and the money (errors), the sample contract's values (warnings),
what the contract already provides for (information).

Statutory facts are constants here, not policy: a district cannot relax a statute. The sample contract's own
values (SLP goals, hours, cure and notice periods, ...) come from the policy table in
:mod:`obc_builder.models.ses`, so a district's policy file can change them. Every rule skips silently while
an input it needs is unfilled (a draft).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..assemble import clause_context
from ..library import load_library
from ..locations import source_document
from ..models.ses import session_words
from ..models.ses_choices import REPORT_INTERVAL_MONTHS, school_year_start
from ..models.ses_dates import LATE_EXECUTION_DAYS, is_late_execution, october_15, statutory_start
from ..policy import Policy
from ..templating import format_date, format_money
from .engine import Problem, policy_problem, rule

FAMILY = "ses"
INCENTIVE_CAP = Decimal(50)
"""s. 1008.331(1): incentives may not exceed $50 per student per year."""
ALLOWED_INCENTIVES = ("achievement", "attendance")
"""s. 1008.331(1): incentives only for performance or attendance, never to entice a choice of provider."""
INCENTIVE_WORDS = {"achievement": "achievement", "attendance": "attendance",
                   "enrollment": "enrollment with the PROVIDER", "referral": "referral of other students"}
"""What earns an incentive, as Section 3.P (clauses/ses/d16_incentives.j2) words it."""

_GUIDANCE = source_document("002")
_START = f"s. 1008.331(2)(a), (d)–(e), F.S.; {_GUIDANCE}, questions C-4 and C-20"
_INCENTIVES = f"s. 1008.331(1), F.S.; {_GUIDANCE}, Appendix I, Section 3.P"
_NCLB = f"20 U.S.C. 6316(e)(3) (NCLB); {_GUIDANCE}, question B-1"
_RATE = (f"{_GUIDANCE}, Appendix I, Section 3.O and question B-6 (rate consistent with the state-approved "
         "application)")
_ALLOCATION = f"{_GUIDANCE}, Appendix I, Section 2.E.I (aggregate fee) and question C-10"
_SAMPLE = f"{_GUIDANCE}, Appendix I (the sample contract's value)"

NCLB_COMPONENTS = (
    ("the student's specific achievement goals", ("d09_student_learning_plan",)),
    ("how the student's progress will be measured", ("d09_student_learning_plan", "d11_student_records")),
    ("a timetable for improving achievement", ("d09_student_learning_plan",)),
    ("consistency with the IEP or section 504 plan of a student with disabilities",
     ("a04_definitions", "d09_student_learning_plan")),
    ("how the student's parents and teachers are regularly informed of progress", ("d11_student_records",)),
    ("termination when the provider cannot meet the goals and timetables", ("e02_termination",)),
    ("provisions for payment", ("c02_pay_provider", "d15_monthly_invoices")),
    ("no disclosure of a student's identity without written parental permission",
     ("d03_prohibition_of_disclosure",)),
)
"""Each component NCLB requires of the district/provider agreement, and the clauses that carry it."""
NCLB_CLAUSES = {
    "a04_definitions": "DEFINITIONS",
    "c02_pay_provider": "Section 2.E, PAY PROVIDER",
    "d03_prohibition_of_disclosure": "Section 3.C, PROHIBITION OF DISCLOSURE",
    "d09_student_learning_plan": "Section 3.I, STUDENT LEARNING PLAN (SLP)",
    "d11_student_records": "Section 3.K, STUDENT RECORDS",
    "d15_monthly_invoices": "Section 3, MONTHLY INVOICES",
    "e02_termination": "Section 5, TERMINATION",
}
"""The clauses that carry NCLB's components, named as the contract heads them."""


@rule("SES-STAT-001", family=FAMILY, severity="error", source=_START,
      title="Services start no later than October 15, or 20 days after a late signing")
def start_not_too_late(c: Any, policy: Policy) -> Iterator[Problem]:
    start, required = c.service.start_by, statutory_start(c)
    if start is None or required is None or start <= required:
        return
    why = (f"{LATE_EXECUTION_DAYS} days after the contract date, {format_date(c.term.contract_date)}"
           if is_late_execution(c) else "October 15 of the school year")
    yield Problem("service.start_by",
                  f"services start by {format_date(start)}; the statute requires students to be served by "
                  f"{format_date(required)} ({why}).",
                  f"set the start-by date to {format_date(required)}",
                  also=("term.contract_date",) if is_late_execution(c) else ("term.school_year",))


@rule("SES-STAT-002", family=FAMILY, severity="error", source=_START,
      title="The District may not impose a start date earlier than October 15")
def start_not_before_october_15(c: Any, policy: Policy) -> Iterator[Problem]:
    start, deadline = c.service.start_by, october_15(c)
    if start is None or deadline is None or start >= deadline or is_late_execution(c):
        return  # signed late, the start is at least 20 days after signing (SES-STAT-003): one finding, not two
    yield Problem("service.start_by",
                  f"services must start by {format_date(start)}, earlier than October 15 of the school year "
                  f"({format_date(deadline)}); a district may not impose an earlier start.",
                  f"set the start-by date to {format_date(statutory_start(c) or deadline)}", also=("term.school_year",))


@rule("SES-STAT-003", family=FAMILY, severity="error", source=_START,
      title="A contract signed late gives the provider at least 20 days to begin")
def late_signing_gives_twenty_days(c: Any, policy: Policy) -> Iterator[Problem]:
    start = c.service.start_by
    if start is None or not is_late_execution(c):
        return
    earliest = c.term.contract_date + timedelta(days=LATE_EXECUTION_DAYS)
    if start < earliest:
        yield Problem("service.start_by",
                      f"the contract is signed {format_date(c.term.contract_date)}, less than {LATE_EXECUTION_DAYS} "
                      f"days before October 15, and services must start by {format_date(start)}, "
                      f"{(start - c.term.contract_date).days} days later; the provider is afforded at least "
                      f"{LATE_EXECUTION_DAYS} days ({format_date(earliest)}).",
                      f"set the start-by date to {format_date(earliest)}", also=("term.contract_date",))


@rule("SES-STAT-004", family=FAMILY, severity="error", source=_INCENTIVES,
      title="Incentives at most $50 per student per year")
def incentive_cap(c: Any, policy: Policy) -> Iterator[Problem]:
    cap = c.incentives.cap_per_student
    if cap is not None and cap > INCENTIVE_CAP:
        yield Problem("incentives.cap_per_student",
                      f"incentives may total {format_money(cap)} per student; the statute allows at most "
                      f"{format_money(INCENTIVE_CAP)} per student per year.",
                      f"lower the limit to {format_money(INCENTIVE_CAP)} or less")


@rule("SES-STAT-005", family=FAMILY, severity="error", source=_INCENTIVES,
      title="Incentives are earned by performance or attendance only")
def incentive_basis(c: Any, policy: Policy) -> Iterator[Problem]:
    chosen = [INCENTIVE_WORDS[basis] for basis in c.incentives.earned_by]
    other = [INCENTIVE_WORDS[basis] for basis in c.incentives.earned_by if basis not in ALLOWED_INCENTIVES]
    if other:
        yield Problem("incentives.earned_by",
                      f"incentives must be earned by {_or(chosen)}; the statute allows incentives only for "
                      f"achievement or attendance, never for {_or(other)}.",
                      f"remove {' and '.join(other)} from what incentives are earned by")


def _or(items: list[str], word: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``: a choice as the contract words it."""
    return f" {word} ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _and(items: list[str]) -> str:
    return _or(items, "and")


@rule("SES-STAT-006", family=FAMILY, severity="error", source=_NCLB,
      title="The agreement contains every component NCLB requires")
def nclb_components(c: Any, policy: Policy) -> Iterator[Problem]:
    library = {clause.id: clause for clause in load_library(FAMILY)}
    context = clause_context(c)
    for clause_id, section in NCLB_CLAUSES.items():  # one finding per clause left out, naming all it carries
        if clause_id in library and library[clause_id].applies(context):
            continue
        components = [component for component, ids in NCLB_COMPONENTS if clause_id in ids]
        yield Problem(clause_id,
                      f"the contract lacks {section}, which carries {_and(components)}; NCLB requires the "
                      f"agreement to contain {'it' if len(components) == 1 else 'them'}.",
                      f"restore clause {clause_id} in clauses/ses/ (or the condition that excludes it)")


@rule("SES-PAY-001", family=FAMILY, severity="error", source=_RATE,
      title="Hourly compensation not above the state-approved rate")
def hourly_rate(c: Any, policy: Policy) -> Iterator[Problem]:
    paid, approved = c.fees.hourly_compensation, c.fees.state_approved_hourly_rate
    if paid is not None and approved is not None and paid > approved:
        yield Problem("fees.hourly_compensation",
                      f"the compensation is {format_money(paid)} per hour; it may not exceed the per hour rate "
                      f"in the state-approved application, {format_money(approved)}.",
                      f"lower the hourly compensation to {format_money(approved)} or less",
                      also=("fees.state_approved_hourly_rate",))


@rule("SES-PAY-002", family=FAMILY, severity="info", source=_ALLOCATION,
      title="Scheduled tutoring above the per-pupil allocation (the contract pays the lesser)")
def per_student_aggregate(c: Any, policy: Policy) -> Iterator[Problem]:
    figures, allocation = c.figures(), c.fees.per_pupil_allocation
    total = figures.per_student_maximum
    if total is None or allocation is None or total <= allocation:
        return
    yield Problem("fees.per_pupil_allocation",
                  f"the schedule allows {figures.max_sessions_per_student} sessions per student "
                  f"({c.schedule.sessions_per_month} a month for {figures.service_months} months) at the per-student "
                  f"fee of {format_money(c.fees.per_session_fee)}, {format_money(total)} per student, more than the "
                  f"per-pupil allocation of {format_money(allocation)}; the aggregate fee is the lesser of the costs "
                  f"of the services provided and the allocation, so the District pays at most "
                  f"{format_money(allocation)} for one student.",
                  "nothing to change: the aggregate fee caps the payment; lower the fee or the sessions per month "
                  "only if every scheduled session should be paid",
                  also=("fees.per_session_fee", "schedule.sessions_per_month", "service.start_by",
                        "service.last_service_day"))


@rule("SES-PAY-003", family=FAMILY, severity="error", source=_RATE,
      title="The fee per session, as an hourly rate, not above the state-approved rate")
def session_fee_rate(c: Any, policy: Policy) -> Iterator[Problem]:
    hourly, approved = c.figures().session_fee_hourly, c.fees.state_approved_hourly_rate
    if hourly is None or approved is None or hourly <= approved:
        return
    up_to = "up to " if c.schedule.session_length == "at_least" else ""
    yield Problem("fees.per_session_fee",
                  f"the per-student fee of {format_money(c.fees.per_session_fee)} for a session of "
                  f"{session_words(c)} is {up_to}{format_money(hourly)} per hour; it may not exceed the "
                  f"state-approved rate of {format_money(approved)} per hour.",
                  "lower the fee per session, or lengthen the sessions",
                  also=("schedule.session_minutes", "schedule.session_length", "fees.state_approved_hourly_rate"))


def _policy_rule(rule_id: str, key: str, title: str, path: str, what: str) -> None:
    """A warning that compares one input with its policy-table entry."""

    def check(c: Any, policy: Policy) -> Iterator[Problem]:
        group, name = path.split(".")
        yield from policy_problem(policy, key, getattr(getattr(c, group), name), path, what)

    rule(rule_id, family=FAMILY, severity="warning", source=_SAMPLE, title=title, policy_key=key)(check)


_policy_rule("SES-POL-001", "ses.slp_goals_min", "SLP with at least three goals", "slp.goals_min",
             "The fewest goals on each SLP")
_policy_rule("SES-POL-002", "ses.slp_goals_max", "SLP with at most five goals", "slp.goals_max",
             "The most goals on each SLP")
_policy_rule("SES-POL-003", "ses.weekly_tutoring_hours", "At most six tutoring hours per week",
             "service.weekly_hour_limit", "The weekly tutoring limit")
_policy_rule("SES-POL-004", "ses.withhold_cure_days", "Fourteen days to cure after a notice to withhold",
             "compliance.withhold_cure_days", "The cure period after a notice of intent to withhold")
_policy_rule("SES-POL-005", "ses.termination_notice_days", "Twenty days' written notice of termination",
             "compliance.termination_notice_days", "The termination notice")
_policy_rule("SES-POL-006", "ses.records_years", "Records kept five years after the term",
             "compliance.records_years", "The record-keeping period")
_policy_rule("SES-POL-008", "ses.students_per_classroom", "At most ten students per classroom",
             "facilities.students_per_classroom", "The most students per classroom")
_policy_rule("SES-POL-010", "ses.reassignment_start_pct", "Reassignment when under 80% of students have started",
             "service.reassignment_pct", "The share of students that must have started")


@rule("SES-POL-007", family=FAMILY, severity="warning", source=_SAMPLE, title="Monthly progress reports",
      policy_key="ses.progress_report_interval_months")
def monthly_progress_reports(c: Any, policy: Policy) -> Iterator[Problem]:
    entry = policy["ses.progress_report_interval_months"]
    for name, who in (("to_parents", "parents"), ("to_school", "the school"), ("to_board", "the Board")):
        frequency = getattr(c.progress, name)
        if frequency is None:
            continue
        months = REPORT_INTERVAL_MONTHS[frequency]
        if not entry.satisfied_by(months):
            yield Problem(f"progress.{name}",
                          f"progress reports to {who} are sent {frequency.replace('_', ' ')} (about {months} months "
                          f"apart); the recommendation is a report at least every {entry.value.normalize():f} "
                          "month(s).",
                          "send the reports monthly (or more often), or keep it and explain the departure")


@rule("SES-POL-009", family=FAMILY, severity="warning", source=f"{_GUIDANCE}, question C-3",
      title="Contract year July 1 – June 30", policy_key="ses.term_end_month")
def july_to_june(c: Any, policy: Policy) -> Iterator[Problem]:
    year = c.term.school_year
    if year is None:
        return
    first = school_year_start(year)
    start = date(first, int(policy.value("ses.term_start_month")), 1)
    end_month = int(policy.value("ses.term_end_month"))
    end_year = first + 1 if end_month < start.month else first
    end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    signed, term_end = c.term.contract_date, c.term.term_end
    if signed is not None and signed > start:
        yield Problem("term.contract_date",
                      f"the contract takes effect when signed, {format_date(signed)}, after {format_date(start)}; "
                      f"the recommendation is a contract year from {format_date(start)} to {format_date(end)}, "
                      "so that summer services can be offered.",
                      f"sign the contract by {format_date(start)}, or keep it and explain the departure")
    if term_end is not None and term_end != end:
        yield Problem("term.term_end",
                      f"the contract remains in force until {format_date(term_end)}; the recommendation is a "
                      f"contract year from {format_date(start)} to {format_date(end)}.",
                      f"end the term on {format_date(end)}, or keep it and explain the departure")
