"""The shape of a settlement, shared by every family: what is paid for whom at which payment milestone, the caps
that bound it, and the contract's rules applied; and the arithmetic of a cap, in Decimal to the cent.

A family's module (:mod:`.hdt`, :mod:`.ses`) fills a :class:`Settlement`; :mod:`.statement` writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from operator import add
from typing import Literal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
"""Every amount of a settlement is held to the cent (exponent −2), so it prints as 126.00 without formatting."""


@dataclass(frozen=True)
class Item:
    """One kind of amount: a month's base payment, an outcome's payment, a reduction; paid at a milestone."""

    label: str
    kind: Literal["base", "outcome", "reduction"]
    milestone: str
    """The payment milestone an invoice bills it in ("Base payment, September 2024", "Payment: F.A.S.T. …")."""
    when: date | None


@dataclass
class Student:
    """One student's amounts, one per :class:`Item` of the settlement (a reduction is negative)."""

    id: str
    school: str
    grade: str
    amounts: list[Decimal]
    notes: list[str] = field(default_factory=list)
    """Why the amounts are what they are, in words, each naming the contract section that requires it."""
    withheld: Decimal = ZERO
    """Contingent payments earned but withheld under the contract (payable once its condition is met)."""

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass
class RuleUse:
    """A rule of the contract the settlement applied, with how many students it touched and the money it moved."""

    citation: str
    what: str
    students: int = 0
    amount: Decimal = ZERO


@dataclass
class Cap:
    """A limit of the contract: what would have been paid without it, what it allows, and where it is stated."""

    name: str
    citation: str
    limit: Decimal
    before: Decimal
    paid: Decimal

    @property
    def reached(self) -> bool:
        """Whether the cap cut anything (a per-student cap may cut some students while the sum stays below it)."""
        return self.before > self.paid


@dataclass
class Settlement:
    family: str
    title: str
    district: str
    provider: str
    items: list[Item]
    students: list[Student]
    rules: dict[str, RuleUse] = field(default_factory=dict)
    caps: list[Cap] = field(default_factory=list)
    budget: Decimal | None = None
    problems: list[str] = field(default_factory=list)
    """Problems of the results file a draft settled anyway (a final settlement refuses them)."""

    def rule(self, key: str, citation: str, what: str) -> RuleUse:
        """The record of one rule, created the first time it applies."""
        if key not in self.rules:
            self.rules[key] = RuleUse(citation, what)
        return self.rules[key]

    def item_totals(self) -> list[Decimal]:
        """The sum of each item over the students (column by column: quick for 100,000 students)."""
        if not self.students:
            return [ZERO] * len(self.items)
        return [sum(column, ZERO) for column in zip(*(s.amounts for s in self.students), strict=True)]

    @property
    def total(self) -> Decimal:
        return sum(self.item_totals(), ZERO)

    @property
    def withheld(self) -> Decimal:
        return sum((s.withheld for s in self.students), ZERO)


def cents(amount: Decimal, rounding: str = ROUND_DOWN) -> Decimal:
    return amount.quantize(CENT, rounding=rounding)


def share(amounts: Sequence[Decimal], limit: Decimal, total: Decimal | None = None) -> list[Decimal]:
    """``amounts`` cut down pro rata so that they add up to exactly ``limit`` (to the cent), when they add up to
    more; else unchanged. Each share is rounded down to the cent and the cents left over go to the largest
    remainders (the first of equal ones), so no student is paid more than their uncapped amount. ``total``: the sum
    of ``amounts``, when already known."""
    total = sum(amounts, ZERO) if total is None else total
    if total <= limit:
        return list(amounts)
    if limit <= 0 or total <= 0:
        return [ZERO] * len(amounts)
    # Most students share a few amounts (a month's base payment, an outcome's price): each distinct amount's
    # share and remainder are worked out once.
    parts: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for amount in set(amounts):
        exact = amount * limit / total
        rounded = cents(exact)
        parts[amount] = rounded, rounded - exact
    shares = [parts[amount][0] for amount in amounts]
    remainders = [parts[amount][1] for amount in amounts]
    left = int((limit - sum(shares, ZERO)) / CENT)
    order = sorted(range(len(amounts)), key=remainders.__getitem__)
    for index in order[:left]:
        shares[index] += CENT
    return shares


def cap_columns(students: Sequence[Student], columns: Sequence[int], limit: Decimal) -> tuple[Decimal, Decimal]:
    """Apply one limit to the amounts of ``columns`` (items, in the order they are paid): paid in that order
    until the limit is reached, the item that reaches it shared pro rata among its students. Returns the total
    before and after."""
    before, left = ZERO, limit
    for column in columns:
        amounts = [s.amounts[column] for s in students]
        total = sum(amounts, ZERO)
        before += total
        if total <= left:  # within the limit: nothing to cut
            left -= total
            continue
        paid = share(amounts, max(left, ZERO), total)
        for student, amount in zip(students, paid, strict=True):
            student.amounts[column] = amount
        left -= sum(paid, ZERO)
    return before, min(before, limit)


def student_sums(students: Sequence[Student], columns: Sequence[int]) -> list[Decimal]:
    """Each student's amounts of ``columns`` added up (column by column: the additions run in C, quick for
    100,000 students)."""
    totals = [ZERO] * len(students)
    for column in columns:
        totals = list(map(add, totals, [s.amounts[column] for s in students]))
    return totals


def cap_student(amounts: list[Decimal], columns: Sequence[int], limit: Decimal) -> Decimal:
    """One student's amounts of ``columns`` (in payment order) limited to ``limit`` in all; returns the cut."""
    left, cut = limit, ZERO
    for column in columns:
        paid = min(amounts[column], max(left, ZERO))
        cut += amounts[column] - paid
        amounts[column] = paid
        left -= paid
    return cut
