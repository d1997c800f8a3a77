"""Figures derived from an HDT contract's rate card and population: never typed in, always computed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .base import InputModel, figure
from .hdt_payments import BaseBasis, MilestoneKind

if TYPE_CHECKING:
    from .hdt import HdtContract

_ORDINAL = re.compile(r"^(?:grade\s*)?(\d{1,2})(?:st|nd|rd|th)?(?:\s*grade)?$")


def grade_key(text: str) -> str:
    """One spelling per grade, so that "Grade 7", "7th grade" and "7" match; "K" and "Kindergarten" too."""
    words = re.sub(r"[\s.]+", " ", text.strip().lower())
    if words in ("k", "kg", "kindergarten", "grade k"):
        return "K"
    match = _ORDINAL.match(words)
    return match.group(1) if match else words


class HdtFigures(InputModel):
    """Figures derived from the rate card: never typed in, always computed."""

    students: int | None = figure("Students served")
    base_per_student: Decimal | None = figure("Base payment per student", "$")
    base_total: Decimal | None = figure("Total base payments (cap)", "$")
    base_cap_most: Decimal | None = figure("Base payment per student × students (the most the base cap may be)", "$")
    outcome_price_total: Decimal | None = figure("Outcome prices per student (sum; a tiered outcome's top tier)", "$")
    contingent_per_student: Decimal | None = figure("Most contingent payment per student", "$")
    per_student_total: Decimal | None = figure("Per-student total at full achievement (base + outcomes)", "$")
    contingent_cap_total: Decimal | None = figure("Total contingent outcome payments (sum of caps)", "$")
    contract_total: Decimal | None = figure("Total contract value (base cap + outcome caps)", "$")
    contingent_share_pct: Decimal | None = figure("Contingent share of total contract value", "%")
    cost_per_student: Decimal | None = figure("Cost per student at full achievement", "$")
    school_student_total: int | None = figure("Students across school sites (sum)")
    base_timetable_total: Decimal | None = figure("Base payment timetable per student (sum)", "$")
    base_sessions_total: int | None = figure("Sessions in the base payment timetable (sum)")
    base_month_max: Decimal | None = figure("Largest monthly base payment per student", "$")
    base_units_value: Decimal | None = figure("Scheduled sessions (or hours) × price per session (or hour)", "$")
    reduction_per_student: Decimal | None = figure("Payment reductions per student (sum)", "$")
    final_payment: date | None = figure("Last scheduled contingent payment")

    @classmethod
    def of(cls, contract: HdtContract) -> HdtFigures:
        card = contract.rate_card
        outcomes = contract.outcomes
        outcome_price_total = _sum([o.most_per_student for o in outcomes]) if outcomes else None
        contingent = outcome_price_total
        if contingent is not None and card.contingent_max_per_student is not None:
            contingent = min(contingent, card.contingent_max_per_student)
        contingent_cap_total = _sum([o.payment_cap for o in outcomes]) if outcomes else None
        contract_total = _add(card.base_cap, contingent_cap_total)
        share = None
        if contract_total and contingent_cap_total is not None:
            share = (contingent_cap_total * 100 / contract_total).quantize(Decimal("0.1"))
        students = contract.population.number_of_students
        cost = None
        if contract_total is not None and students:
            cost = (contract_total / students).quantize(Decimal("0.01"))
        counts = [s.students for s in contract.population.schools]
        months = card.base_timetable
        amounts = [m.amount for m in months]
        sessions = [m.sessions for m in months]
        sessions_total = sum(s for s in sessions if s is not None) if months and None not in sessions else None
        units_value = None
        if card.base_basis in (BaseBasis.per_session.value, BaseBasis.per_hour.value) and card.base_unit_price \
                is not None and sessions_total is not None:
            units_value = card.base_unit_price * sessions_total
        payments = [m.date for o in outcomes for m in o.timetable
                    if m.kind == MilestoneKind.payment.value and m.date is not None]
        reductions = card.reductions
        return cls(
            students=students,
            base_per_student=card.base_price_per_student,
            base_total=card.base_cap,
            base_cap_most=_times(card.base_price_per_student, students),
            outcome_price_total=outcome_price_total,
            contingent_per_student=contingent,
            per_student_total=_add(card.base_price_per_student, contingent),
            contingent_cap_total=contingent_cap_total,
            contract_total=contract_total,
            contingent_share_pct=share,
            cost_per_student=cost,
            school_student_total=sum(c for c in counts if c is not None) if counts and None not in counts else None,
            base_timetable_total=_sum(amounts) if months else None,
            base_sessions_total=sessions_total,
            base_month_max=max(a for a in amounts if a is not None) if months and None not in amounts else None,
            base_units_value=units_value,
            reduction_per_student=_sum([r.amount for r in reductions]) if reductions else None,
            final_payment=max(payments) if payments else None,
        )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _times(price: Decimal | None, count: int | None) -> Decimal | None:
    return None if price is None or count is None else price * count


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b
