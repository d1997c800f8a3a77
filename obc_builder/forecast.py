"""Before signing: what the District pays under an HDT contract if a share of its students achieve each outcome.

The review file of every HDT contract carries the forecast (:func:`review_lines`, one call in
:mod:`obc_builder.review`), with a chart written beside it (:mod:`obc_builder.forecast_chart`); ``obc-builder forecast``
prints it for other shares. Students attend at the contract's attendance threshold, so every rostered student's
base payment is due and no outcome is paid for low attendance (Section I.1.b.ii). Money comes from the rate card
and the model's figures, capped as a settlement caps it: per student, per outcome, the base cap and the budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import InputError, UsageError
from .templating import format_money, format_percent

RATES = (Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.8"))
"""The shares of students achieving each outcome that the review file shows."""

ZERO = Decimal(0)


@dataclass(frozen=True)
class Level:
    """What the District pays at one share of students achieving each outcome."""

    rate: Decimal
    base: Decimal
    contingent: Decimal
    binding: tuple[str, ...]
    """The caps this level reaches (an outcome's cap, the per-student maximum, the base cap, the budget)."""

    @property
    def total(self) -> Decimal:
        return self.base + self.contingent

    @property
    def share(self) -> Decimal:
        return (self.contingent * 100 / self.total).quantize(Decimal("0.1")) if self.total else ZERO


def ready(contract: Any) -> bool:
    """Whether the contract's rate card, caps, students, attendance threshold and budget are all filled in."""
    card, outcomes = contract.rate_card, contract.outcomes
    needed = [card.base_price_per_student, card.base_cap, contract.payments.maximum_budget,
              contract.population.number_of_students, contract.accountability.student_attendance_pct]
    needed += [o.payment_cap for o in outcomes] + [o.most_per_student for o in outcomes]
    return bool(outcomes) and None not in needed


def _base_per_student(contract: Any) -> Decimal:
    """One student's base payment with attendance at the threshold."""
    from .models.hdt_payments import BaseBasis  # here: an SES or AGR review, which imports this module, never needs it

    card = contract.rate_card
    if card.base_basis in (BaseBasis.per_session.value, BaseBasis.per_hour.value) and card.base_unit_price:
        attendance = contract.accountability.student_attendance_pct / 100
        earned = sum((min(attendance * (m.sessions or 0) * card.base_unit_price, m.amount or ZERO)
                      for m in card.base_timetable), ZERO)
        return min(earned, card.base_price_per_student)
    total = contract.figures().base_timetable_total
    return min(total, card.base_price_per_student) if total else card.base_price_per_student


def _eligible(contract: Any, outcome: Any) -> Decimal:
    """Students an outcome is paid for: all, or the share in its grades (students spread evenly over grades)."""
    from .models.hdt_figures import grade_key  # here, as BaseBasis above

    students = Decimal(contract.population.number_of_students)
    served = {grade_key(g) for g in contract.population.grades_served}
    grades = {grade_key(g) for g in outcome.grades} & served if outcome.grades else served
    return students * len(grades) / len(served) if served else students


@dataclass(frozen=True)
class _Terms:
    """What every level needs, computed once per contract."""

    base: Decimal
    base_cap: Decimal
    scale: Decimal
    """The per-student maximum over the outcome prices added up (1 when it does not bind)."""
    outcomes: tuple[tuple[str, Decimal, Decimal, Decimal], ...]
    """(name, students it is paid for, top price, cap) per outcome."""
    budget: Decimal


def terms_of(contract: Any) -> _Terms:
    card, figures = contract.rate_card, contract.figures()
    scale = Decimal(1)
    if card.contingent_max_per_student is not None and figures.outcome_price_total and \
            card.contingent_max_per_student < figures.outcome_price_total:
        scale = card.contingent_max_per_student / figures.outcome_price_total
    outcomes = tuple((o.name, _eligible(contract, o), o.most_per_student, o.payment_cap) for o in contract.outcomes)
    return _Terms(contract.population.number_of_students * _base_per_student(contract), card.base_cap, scale,
                  outcomes, contract.payments.maximum_budget)


def level(contract: Any, rate: Decimal, terms: _Terms | None = None) -> Level:
    """What the District pays when ``rate`` of the students an outcome is paid for achieve it (the same students
    achieving every outcome: the per-student maximum then binds first)."""
    t = terms or terms_of(contract)
    binding = []
    base = t.base
    if base > t.base_cap:
        base = t.base_cap
        binding.append("base cap")
    if t.scale < 1 and rate:
        binding.append("per-student maximum")
    contingent = ZERO
    for name, eligible, price, cap in t.outcomes:
        achievers = (rate * eligible).quantize(Decimal(1), ROUND_HALF_UP)
        earned = achievers * price * t.scale
        if earned > cap:
            binding.append(f"cap of {name}")
            earned = cap
        contingent += earned
    if base + contingent > t.budget:
        binding.append("maximum budget")
        contingent = max(t.budget - base, ZERO)
        base = min(base, t.budget)
    return Level(rate, base.quantize(Decimal("0.01")), contingent.quantize(Decimal("0.01")), tuple(binding))


def forecast(contract: Any, rates: tuple[Decimal, ...] = RATES) -> list[Level] | None:
    """One :class:`Level` per rate, or ``None`` while the rate card is not filled in enough to compute it."""
    if not ready(contract):
        return None
    terms = terms_of(contract)
    return [level(contract, rate, terms) for rate in rates]


def binds_from(contract: Any) -> list[tuple[str, Decimal | None]]:
    """Each cap and the smallest whole percentage of students achieving at which it binds (``None``: never).

    What the District would pay only grows with the share of students achieving, so a cap that binds at some
    share binds at every larger one: each is found by halving 0–100 % (about seven levels a cap, not 101)."""
    terms = terms_of(contract)
    names = ["base cap", "per-student maximum", *(f"cap of {o.name}" for o in contract.outcomes), "maximum budget"]
    binding: dict[int, tuple[str, ...]] = {}

    def binds(name: str, percent: int) -> bool:
        if percent not in binding:
            binding[percent] = level(contract, Decimal(percent) / 100, terms).binding
        return name in binding[percent]

    first: dict[str, Decimal] = {}
    for name in names:
        if not binds(name, 100):
            continue
        low, high = 0, 100
        while low < high:
            middle = (low + high) // 2
            low, high = (low, middle) if binds(name, middle) else (middle + 1, high)
        first[name] = Decimal(low)
    return [(name, first.get(name)) for name in names if name != "per-student maximum" or name in first]


def parse_rates(text: str) -> tuple[Decimal, ...]:
    """``0.3,0.5`` or ``30%,50%`` → shares between 0 and 1."""
    rates = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            value = Decimal(part.removesuffix("%")) / (100 if part.endswith("%") else 1)
        except InvalidOperation:
            raise UsageError(f"--rates: {part!r} is not a share (write 0.3 or 30%)") from None
        if not ZERO <= value <= 1:
            raise UsageError(f"--rates: {part!r} is not a share between 0 and 1 (or 0% and 100%)")
        rates.append(value)
    if not rates:
        raise UsageError("--rates: give at least one share, e.g. 0.3,0.5")
    return tuple(rates)


def _pct(rate: Decimal) -> str:
    return format_percent((rate * 100).normalize())


def table_lines(levels: list[Level], cell: Callable[[str], str] = str) -> list[str]:
    """The forecast table in Markdown; ``cell`` escapes the text of a cell (names of outcomes are inputs)."""
    lines = ["| Students achieving each outcome | Base | Contingent | Total | Contingent share | Caps that bind |",
             "|---|---|---|---|---|---|"]
    for item in levels:
        lines.append(f"| {_pct(item.rate)} | {format_money(item.base)} | {format_money(item.contingent)} | "
                     f"{format_money(item.total)} | {format_percent(item.share)} | "
                     f"{cell('; '.join(item.binding) or 'none')} |")
    return lines


def _binds_lines(contract: Any) -> list[str]:
    lines = []
    for name, percent in binds_from(contract):
        when = f"binds from {format_percent(percent)} of students achieving" if percent is not None else \
            "is never exceeded, even when every student achieves every outcome"
        lines.append(f"- The {name} {when}.")
    return lines


def review_lines(contract: Any, chart: str | None = None) -> list[str]:
    """The review file's forecast section, as Markdown lines (``chart``: the chart's file name, linked); none for
    a family without outcome payments."""
    from .render.markdown import inline_text

    if getattr(contract, "family", None) != "hdt":
        return []
    lines = ["## Payment forecast (before signing)", ""]
    levels = forecast(contract)
    if levels is None:
        return lines + ["Not computable yet: the rate card, the caps, the number of students, the attendance "
                        "threshold and the maximum budget must all be filled in.", ""]
    stated = contract.figures().contingent_share_pct
    lines += [inline_text(f"What the District pays if a share of the {contract.population.number_of_students:,} "
                          "students achieves each payment outcome, with attendance at the "
                          f"{format_percent(contract.accountability.student_attendance_pct)} threshold (every "
                          "rostered student's base payment is due). A tiered outcome counts students reaching its "
                          "top tier; the same students achieve every outcome. The contract's contingent share at "
                          f"full achievement is {format_percent(stated)}."), ""]
    lines += table_lines(levels, lambda text: inline_text(text, in_table=True))
    lines += ["", "Where the caps bind:", ""] + [inline_text(line, block_start=False) for line in
                                                _binds_lines(contract)]
    if chart:
        lines += ["", f"![What the District pays, by share of students achieving each outcome]({chart})"]
    return lines + [""]


def forecast_text(contract: Any, rates: tuple[Decimal, ...], source: str) -> str:
    """The forecast as ``obc-builder forecast`` prints it."""
    if getattr(contract, "family", None) != "hdt":
        raise InputError(source, "family", "a forecast is made for HDT contracts (outcomes-based payments) only")
    levels = forecast(contract, rates)
    if levels is None:
        raise InputError(source, None, "cannot be forecast yet: the rate card, the caps, the number of students, "
                                       "the attendance threshold and the maximum budget must all be filled in")
    return "\n".join([*table_lines(levels), "", *_binds_lines(contract)])
