"""HDT date rules: the contract term holds the milestones; the service period holds the services.

Registered by :mod:`.hdt`, which imports this module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date

from ..models.hdt import HdtContract
from ..models.hdt_payments import MilestoneKind
from ..models.types import MONTHS, month_number
from ..policy import Policy
from ..templating import format_date
from .engine import Problem, listing, rule

_DATES = "consistency of the contract dates"


def date_rule(id: str, title: str):  # type: ignore[no-untyped-def]
    return rule(id, family="hdt", severity="error", source=_DATES, title=title)


def _months_between(start: date, end: date) -> set[int]:
    months: set[int] = set()
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(months) < 12:
        months.add(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _outside(day: date, start: date | None, end: date | None) -> bool:
    return (start is not None and day < start) or (end is not None and day > end)



@date_rule("HDT-DATE-001", "Effective date ≤ service start < service end ≤ contract end")
def term_order(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    d = c.dates
    if d.effective_date and d.service_start and d.effective_date > d.service_start:
        yield Problem("dates.service_start",
                      f"services start on {format_date(d.service_start)}, before the effective date "
                      f"{format_date(d.effective_date)}.", "start services on or after the effective date",
                      also=("dates.effective_date",))
    if d.service_start and d.service_end and d.service_start >= d.service_end:
        yield Problem("dates.service_end",
                      f"services end on {format_date(d.service_end)}, not after they start on "
                      f"{format_date(d.service_start)}.", "end services after they start",
                      also=("dates.service_start",))
    if d.service_end and d.contract_end and d.contract_end < d.service_end:
        yield Problem("dates.contract_end",
                      f"the contract term ends on {format_date(d.contract_end)}, before services end on "
                      f"{format_date(d.service_end)}.", "end the contract term on or after the service end date",
                      also=("dates.service_end",))


@date_rule("HDT-DATE-002", "Assessment windows open after services start and close within the term")
def windows_inside(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end = c.dates.service_start, c.dates.contract_end
    for index, o in enumerate(c.outcomes):
        if o.window_start and o.window_end and o.window_start > o.window_end:
            yield Problem(f"outcomes.{index}.window_end",
                          f"the assessment window of '{o.name}' closes ({format_date(o.window_end)}) before it opens "
                          f"({format_date(o.window_start)}).", "swap or correct the window dates")
            continue
        days = [day for day in (o.window_start, o.window_end) if day and _outside(day, start, end)]
        if days:
            yield Problem(f"outcomes.{index}.window_start",
                          f"the assessment window of '{o.name}' ({format_date(days[0])}) falls outside the time from "
                          "the service start to the end of the contract term.",
                          "move the window between the service start date and the contract end date")


@date_rule("HDT-DATE-003", "Payment milestones in the term, in order, data validated before payment")
def milestones_in_order(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end = c.dates.effective_date, c.dates.contract_end
    for index, o in enumerate(c.outcomes):
        previous: date | None = None
        validated = False
        outside: list[tuple[str, str]] = []
        for step, m in enumerate(o.timetable):
            path = f"outcomes.{index}.timetable.{step}.date"
            if m.date is None:
                continue
            if _outside(m.date, start, end) or (m.end_date and _outside(m.end_date, start, end)):
                outside.append((path, f"'{m.milestone}' ({format_date(m.date)})"))
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
        if outside:
            what = listing([text for _, text in outside])
            yield Problem(outside[0][0],
                          f"the payment timetable of '{o.name}' has {len(outside)} milestone"
                          f"{'s' if len(outside) > 1 else ''} outside the contract term: {what}.",
                          "move them between the effective date and the contract end date, or extend the contract "
                          "term", also=tuple(path for path, _ in outside[1:]) + ("dates.contract_end",))


@date_rule("HDT-DATE-004", "Program length fits the service dates")
def weeks_fit(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end, weeks = c.dates.service_start, c.dates.service_end, c.program.weeks
    if not (start and end and end > start):
        return
    available = math.ceil(((end - start).days + 1) / 7)
    if weeks and weeks > available:
        yield Problem("program.weeks",
                      f"the program runs {weeks} weeks, but the service dates span only {available} weeks.",
                      f"use at most {available} weeks or widen the service dates",
                      also=("dates.service_start", "dates.service_end"))
    months = c.program.months
    if months:
        named = [n for n in (month_number(word) for word in re.findall(r"[A-Za-z]+\.?", months)) if n]
        served = _months_between(start, end)
        stray = [MONTHS[n - 1] for n in named if n not in served]
        if stray:
            yield Problem("program.months",
                          f"the program months ({months}) name {listing(stray)}, outside the service period "
                          f"{format_date(start)} to {format_date(end)}.",
                          "make the program months fall within the service start and end dates",
                          also=("dates.service_start", "dates.service_end"))


@date_rule("HDT-DATE-005", "Base timetable months within the service period")
def timetable_months(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    start, end = c.dates.service_start, c.dates.service_end
    if not (start and end and end > start):
        return
    served = _months_between(start, end)
    stray = [m.month for m in c.rate_card.base_timetable
             if m.month and (n := month_number(m.month)) is not None and n not in served]
    unknown = [m.month for m in c.rate_card.base_timetable if m.month and month_number(m.month) is None]
    if stray:
        yield Problem("rate_card.base_timetable",
                      f"the base payment timetable bills {listing(stray)}, outside the service period "
                      f"{format_date(start)} to {format_date(end)}.",
                      "bill only months in which services are delivered, or widen the service dates",
                      also=("dates.service_start", "dates.service_end"))
    if unknown:
        yield Problem("rate_card.base_timetable",
                      f"the base payment timetable has {listing([repr(u) for u in unknown])} where a month belongs.",
                      "name each billing month, e.g. Sep or September")


@date_rule("HDT-DATE-006", "Student substitution date within the service period")
def substitution_date(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    day, d = c.accountability.substitution_date, c.dates
    if day is None:
        return
    if d.effective_date and day < d.effective_date:
        yield Problem("accountability.substitution_date",
                      f"students are to be substituted by {format_date(day)}, before the effective date "
                      f"{format_date(d.effective_date)}.", "set the substitution date after services start")
    elif _outside(day, d.service_start, d.service_end):
        yield Problem("accountability.substitution_date",
                      f"students are to be substituted by {format_date(day)}, outside the service period.",
                      "set the substitution date between the service start and end dates")
