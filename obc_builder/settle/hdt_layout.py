"""The results columns of an HDT contract (``settle --template`` writes them) and its base timetable as dated
months; :mod:`.hdt` settles with them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..models.hdt_figures import grade_key
from ..models.hdt_payments import BaseBasis, MilestoneKind
from ..models.types import month_number
from ..templating import format_month_year
from .money import cents
from .results import Column, Layout, normal

FIELDS = ("student_id", "school", "grade", "subject", "added", "removed", "substituted_for", "attendance_rate",
           "minimum_service_met", "score_missing", "corrective_action")


@dataclass(frozen=True)
class Month:
    label: str
    first: date
    last: date
    amount: Decimal
    scheduled: Decimal


def months(contract: Any) -> list[Month]:
    """The base timetable's months as dates: each the first such month on or after the one before, from the
    month services start."""
    start = contract.dates.service_start
    year, previous = start.year, start.month
    found = []
    for entry in contract.rate_card.base_timetable:
        number = month_number(entry.month) or previous
        if number < previous:
            year += 1
        previous = number
        last = date(year, number, calendar.monthrange(year, number)[1])
        found.append(Month(format_month_year(last), date(year, number, 1), last, cents(entry.amount),
                           Decimal(entry.sessions or 0)))
    return found


def _units(contract: Any) -> str:
    return "hours" if contract.rate_card.base_basis == BaseBasis.per_hour.value else "sessions"


def layout(contract: Any) -> Layout:
    """The columns of this contract's results file (``settle --template`` writes them)."""
    d, pop, units = contract.dates, contract.population, _units(contract)
    term = (d.service_start, d.service_end)
    columns = [
        Column("student_id", "student_id", "id", "the student's district id, never a name", required=True),
        Column("school", "school", "choice", "a school site of the contract", True,
               tuple(s.name for s in pop.schools), normal),
        Column("grade", "grade", "choice", "a grade the contract serves", True, tuple(pop.grades_served), grade_key),
    ]
    if len(pop.subjects) > 1:
        columns.append(Column("subject", "subject", "choice", "blank: every subject", False, tuple(pop.subjects),
                              normal))
    columns += [
        Column("added", "added", "date", "the day the student joined the roster; blank: from the start",
               window=term),
        Column("removed", "removed", "date", "the day the student left the roster; blank: stayed", window=term),
        Column("substituted_for", "substituted_for", "ref", "the student id this student replaced"),
        Column("attendance_rate", "attendance_rate", "percent", f"blank: computed from the {units}"),
        Column("minimum_service_met", "minimum_service_met", "flag", "no: the Provider did not deliver the "
               "minimum service requirements to this student; blank: yes"),
        Column("score_missing", "score_missing", "flag", "yes: no assessment score for the blank outcomes"),
    ]
    for month in months(contract):
        short = month.first.strftime("%b").lower()
        columns.append(Column(f"units_{short}", f"{units}_{short}", "number",
                              f"{units} attended in {month.label}", limit=month.scheduled))
    for month in months(contract):
        short = month.first.strftime("%b").lower()
        columns.append(Column(f"consistency_{short}", f"consistency_{short}", "percent",
                              f"share of {month.label}'s sessions with the student's usual tutor"))
    columns.append(Column("corrective_action", "corrective_action", "flag",
                          "yes: the Provider has shown the corrective actions for tutor consistency"))
    for index, outcome in enumerate(contract.outcomes):
        columns.append(Column(f"outcome_{index}", outcome.name, "level", "yes, no or missing; for tiers, the tier "
                              "reached (0 for none)", choices=tuple(t.level for t in outcome.tiers)))
    for index, reduction in enumerate(contract.rate_card.reductions):
        columns.append(Column(f"reduction_{index}", reduction.name, "flag", f"yes: {reduction.metric}"))
    return Layout(columns)


def month_of(when: date, spans: list[Month]) -> int:
    """The index of the month ``when`` falls in (the first or last month for a day before or after them all)."""
    return next((i for i, m in enumerate(spans) if m.first <= when <= m.last), 0 if when < spans[0].first else
                len(spans) - 1)


def payment_day(outcome: Any) -> date | None:
    """When an outcome is paid: its timetable's payment milestone, else the end of its assessment window."""
    days = [m.date for m in outcome.timetable if m.kind == MilestoneKind.payment.value and m.date]
    return days[-1] if days else (outcome.window_end or None)
