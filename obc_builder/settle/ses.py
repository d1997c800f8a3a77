"""Settling a Florida SES contract: monthly invoices of the hours each student attended at the hourly compensation,
within the weekly tutoring limit, each student's year limited to the per-pupil allocation ("the lesser of"), and
the incentive limit checked. See ``docs/settlement.md``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..document import Document
from ..templating import format_date, format_money, format_month_year
from .citations import Rule, cite
from .money import ZERO, Cap, Item, Settlement, Student, cap_student, cents
from .results import Column, Layout, Results, Row

RULES = {
    "allocation": Rule("c02_pay_provider", "shall be the lesser of"),
    "rate": Rule("d15_monthly_invoices", "not to exceed the per hour rate"),
    "weekly": Rule("d15_monthly_invoices", "per week will not be paid"),
    "slp": Rule("d15_monthly_invoices", "active Student Learning Plan"),
    "incentives": Rule("d16_incentives", "Must not exceed a total of"),
}


def service_months(contract: Any) -> list[tuple[date, date]]:
    """(first, last) day of service in each month from the start-by date to the last day of service."""
    start, end = contract.service.start_by, contract.service.last_service_day
    spans = []
    day = start
    while day <= end:
        last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        spans.append((day, min(last, end)))
        day = last + timedelta(days=1)
    return spans


def _weeks(first: date, last: date) -> int:
    """Weeks (Monday to Sunday) with a day of service between ``first`` and ``last``."""
    return (last - timedelta(days=last.weekday()) - (first - timedelta(days=first.weekday()))).days // 7 + 1


def _short(day: date) -> str:
    return day.strftime("%b").lower()


def layout(contract: Any) -> Layout:
    columns = [
        Column("student_id", "student_id", "id", "the student's district id, never a name", required=True),
        Column("school", "school", "id", "the student's school"),
        Column("grade", "grade", "id", "the student's grade"),
        Column("slp_active", "slp_active", "flag", "no: the student has no active Student Learning Plan with the "
               "Provider; blank: yes"),
    ]
    for first, _ in service_months(contract):
        columns.append(Column(f"hours_{_short(first)}", f"hours_{_short(first)}", "number",
                              f"hours of tutoring the student attended in {format_month_year(first)}"))
    columns.append(Column("incentives", "incentives", "money", "the value of the incentives the student received"))
    return Layout(columns)


def _due(last: date, day: int) -> date:
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    return date(year, month, day)


def settle_ses(contract: Any, results: Results, document: Document) -> Settlement:
    """The settlement of an SES contract for one results file (already read against :func:`layout`)."""
    fees, service = contract.fees, contract.service
    spans = service_months(contract)
    due = contract.invoicing.due_day
    items = [Item(f"Tutoring, {format_month_year(first)}", "base", f"Invoice for {format_month_year(first)}",
                  _due(last, due.value if hasattr(due, "value") else int(due))) for first, last in spans]
    s = Settlement("ses", "Settlement statement", document.district, document.provider, items, [],
                   problems=list(results.problems))
    where = {key: cite(document, rule) for key, rule in RULES.items()}
    rate = min(fees.hourly_compensation, fees.state_approved_hourly_rate)
    if rate < fees.hourly_compensation:
        s.rule("rate", where["rate"], "Hourly compensation limited to the state-approved hourly rate")
    before = ZERO
    for row in results.rows:
        student = _student(results, row, s, spans, rate, where, service.weekly_hour_limit,
                           contract.incentives.cap_per_student)
        before += student.total
        if cut := cap_student(student.amounts, range(len(spans)), fees.per_pupil_allocation):
            use = s.rule("allocation", where["allocation"], "Students whose tutoring cost more than the per-pupil "
                         "allocation: paid the allocation")
            use.students += 1
            use.amount += cut
            student.notes.append(f"{where['allocation']}: the lesser of the services provided, "
                                 f"{format_money(student.total + cut)}, and the per-pupil allocation, "
                                 f"{format_money(fees.per_pupil_allocation)}")
        s.students.append(student)
    limit = fees.per_pupil_allocation * len(s.students)
    s.caps.append(Cap(f"Per-pupil allocation, {format_money(fees.per_pupil_allocation)} for each student",
                      where["allocation"], limit, before, s.total))
    return s


def _student(results: Results, row: Row, s: Settlement, spans: list[tuple[date, date]], rate: Decimal,
             where: dict[str, str], weekly: int, incentive_limit: Decimal) -> Student:
    value = results.value
    student = Student(value(row, "student_id") or f"row {row.number}", value(row, "school") or "",
                      value(row, "grade") or "", [ZERO] * len(spans))
    if value(row, "slp_active") is False:
        use = s.rule("slp", where["slp"], "Students without an active Student Learning Plan: not paid")
        use.students += 1
        student.notes.append(f"{where['slp']}: no active Student Learning Plan: not paid")
        return student
    for index, (first, last) in enumerate(spans):
        hours = value(row, f"hours_{_short(first)}") or ZERO
        most = Decimal(weekly * _weeks(first, last))
        if hours > most:
            use = s.rule("weekly", where["weekly"], "Hours beyond the weekly tutoring limit: not paid")
            use.students += 1
            use.amount += (hours - most) * rate
            student.notes.append(f"{where['weekly']}: {Decimal(hours).normalize():f} hours in "
                                 f"{format_month_year(first)}, more than {weekly} a week allows ({most} in the "
                                 f"{_weeks(first, last)} weeks from {format_date(first)} to {format_date(last)}): "
                                 "the rest is not paid")
            hours = most
        student.amounts[index] = cents(hours * rate, ROUND_HALF_UP)
    hours_paid = sum(student.amounts, ZERO) / rate if rate else ZERO
    student.notes.insert(0, f"{where['rate']}: {hours_paid.normalize():f} hours attended at {format_money(rate)} an "
                            f"hour, {format_money(student.total)}")
    incentives = value(row, "incentives")
    if incentives is not None and incentives > incentive_limit:
        use = s.rule("incentives", where["incentives"], "Students given incentives above the limit (the Provider's "
                     "breach; no payment changes)")
        use.students += 1
        student.notes.append(f"{where['incentives']}: incentives of {format_money(incentives)}, more than the limit "
                             f"of {format_money(incentive_limit)} per student")
    return student
