"""HDT money rules: the rate card, its tiers, the base payment basis and reductions must add up.

Registered by :mod:`.hdt`, which imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..models.hdt import HdtContract
from ..models.hdt_payments import BaseBasis
from ..policy import Policy
from ..templating import format_money, format_percent
from .engine import Problem, rule

_ARITH = "arithmetic of the rate card"


def money_rule(id: str, title: str, severity: str = "error", source: str = _ARITH):  # type: ignore[no-untyped-def]
    return rule(id, family="hdt", severity=severity, source=source, title=title)


def _name(index: int, name: str | None) -> str:
    return f"payment outcome {index + 1} ('{name}')" if name else f"payment outcome {index + 1}"


@money_rule("HDT-PAY-001", "Stated totals match the rate card")
def stated_totals(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    figures = c.figures()
    for path, stated, computed, what in (
        ("rate_card.stated_per_student_total", c.rate_card.stated_per_student_total, figures.per_student_total,
         "the base payment plus the most contingent payment per student"),
        ("rate_card.stated_contract_total", c.rate_card.stated_contract_total, figures.contract_total,
         "the base cap plus the outcome payment caps"),
    ):
        if stated is not None and computed is not None and stated != computed:
            yield Problem(path, f"you stated {format_money(stated)}, but {what} come to {format_money(computed)}.",
                          f"correct the rate card or the stated figure (the contract prints {format_money(computed)})")


@money_rule("HDT-PAY-002", "No outcome cap above its top price × students")
def outcome_caps(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    students = c.population.number_of_students
    for index, o in enumerate(c.outcomes):
        price = o.most_per_student
        if students and price is not None and o.payment_cap is not None and o.payment_cap > price * students:
            most = price * students
            what = "its highest tier's price" if o.tiered else "its price"
            yield Problem(f"outcomes.{index}.payment_cap",
                          f"the cap for {_name(index, o.name)} is {format_money(o.payment_cap)}, more than {what} "
                          f"{format_money(price)} × {students:,} students = {format_money(most)}.",
                          f"lower the cap to at most {format_money(most)}",
                          also=(f"outcomes.{index}.tiers" if o.tiered else f"outcomes.{index}.price_per_outcome",
                                "population.number_of_students"))


@money_rule("HDT-PAY-003", "Base cap at most base price × students")
def base_cap(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    students, price, cap = c.population.number_of_students, c.rate_card.base_price_per_student, c.rate_card.base_cap
    if students and price is not None and cap is not None and cap > price * students:
        yield Problem("rate_card.base_cap",
                      f"the base cap is {format_money(cap)}, more than {format_money(price)} × {students:,} students "
                      f"= {format_money(price * students)}.",
                      f"lower the base cap to at most {format_money(price * students)}",
                      also=("rate_card.base_price_per_student", "population.number_of_students"))


@money_rule("HDT-PAY-004", "Contract total within the maximum budget")
def within_budget(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    total, budget = c.figures().contract_total, c.payments.maximum_budget
    if total is not None and budget is not None and total > budget:
        yield Problem("payments.maximum_budget",
                      f"the contract total of {format_money(total)} exceeds the maximum budget of "
                      f"{format_money(budget)}.",
                      "lower the caps or raise the maximum budget",
                      also=("rate_card.base_cap", "outcomes"))


def _per_unit(c: HdtContract) -> bool:
    return c.rate_card.base_basis in (BaseBasis.per_session.value, BaseBasis.per_hour.value)


@money_rule("HDT-PAY-005", "Base timetable agrees with the base payment")
def base_timetable(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    card = c.rate_card
    figures = c.figures()
    if not _per_unit(c):
        total, price = figures.base_timetable_total, card.base_price_per_student
        if total is not None and price is not None and total != price:
            yield Problem("rate_card.base_timetable",
                          f"the monthly base payments add up to {format_money(total)} per student, not the base "
                          f"payment of {format_money(price)}.",
                          "make the months add up to the base payment per student",
                          also=("rate_card.base_price_per_student",))
        return
    unit = card.base_unit_price
    if unit is None or card.base_basis != BaseBasis.per_session.value:
        return
    wrong = [f"{m.month} ({format_money(m.amount)} for {m.sessions} sessions)" for m in card.base_timetable
             if m.amount is not None and m.sessions is not None and m.amount != unit * m.sessions]
    if wrong:
        yield Problem("rate_card.base_timetable",
                      f"at {format_money(unit)} per session, the base payment of a month is its sessions × "
                      f"{format_money(unit)}, which {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not.",
                      "make each month's base payment its sessions times the price per session",
                      also=("rate_card.base_unit_price",))
    value, price = figures.base_units_value, card.base_price_per_student
    if value is not None and price is not None and value < price:
        yield Problem("rate_card.base_price_per_student",
                      f"the timetable schedules sessions worth {format_money(value)} per student, so the base "
                      f"payment of {format_money(price)} per student can never be reached.",
                      "lower the base payment per student or schedule more sessions",
                      also=("rate_card.base_unit_price", "rate_card.base_timetable"))


@money_rule("HDT-PAY-006", "Stated contingent share matches the computed one")
def stated_share(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    stated, share = c.rate_card.stated_contingent_share_pct, c.figures().contingent_share_pct
    if stated is not None and share is not None and abs(stated - share) > Decimal("0.5"):
        yield Problem("rate_card.stated_contingent_share_pct",
                      f"you stated a contingent share of {format_percent(stated)}, but the rate card gives "
                      f"{format_percent(share)}.",
                      "change the caps, or correct the stated share")


@money_rule("HDT-PAY-007", "Each payment outcome has one price or a ladder of tiers")
def price_or_tiers(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    for index, o in enumerate(c.outcomes):
        if o.tiered and o.price_per_outcome is not None:
            yield Problem(f"outcomes.{index}.price_per_outcome",
                          f"{_name(index, o.name)} has both a price per outcome and tiers; a tiered outcome is paid "
                          "the price of the highest tier reached.",
                          "remove the price per outcome, or remove the tiers")
        if len(o.tiers) == 1:
            yield Problem(f"outcomes.{index}.tiers",
                          f"{_name(index, o.name)} has a single tier, which is just a price per outcome.",
                          "add the other levels, or give the outcome a price per outcome instead of tiers")
        prices = [t.price for t in o.tiers]
        if None not in prices and any(b <= a for a, b in zip(prices, prices[1:], strict=False)):  # type: ignore[operator]
            listed = ", ".join(f"{t.level} {format_money(t.price)}" for t in o.tiers)
            yield Problem(f"outcomes.{index}.tiers",
                          f"the tiers of {_name(index, o.name)} do not rise in price ({listed}); a higher level must "
                          "pay more than the one below it.",
                          "list the tiers lowest first, each paying more than the one before")


@money_rule("HDT-PAY-008", "The per-student contingent maximum limits something")
def contingent_maximum(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    stated, total = c.rate_card.contingent_max_per_student, c.figures().outcome_price_total
    if stated is not None and total is not None and stated > total:
        yield Problem("rate_card.contingent_max_per_student",
                      f"the most contingent payment per student is {format_money(stated)}, but the outcomes can pay "
                      f"at most {format_money(total)} per student together, so it never applies.",
                      f"lower it to at most {format_money(total)}, or leave it blank")


@money_rule("HDT-PAY-009", "Payment reductions are within what a student earns")
def reductions(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    figures = c.figures()
    reduction, earned = figures.reduction_per_student, figures.per_student_total
    if reduction is not None and earned is not None and reduction > earned:
        yield Problem("rate_card.reductions",
                      f"the payment reductions add up to {format_money(reduction)} per student, more than the "
                      f"{format_money(earned)} a student can earn.",
                      "lower the reductions so that a payment can never fall below zero")


@money_rule("HDT-PAY-010", "A base paid per session or hour names its price")
def unit_price(c: HdtContract, policy: Policy) -> Iterator[Problem]:
    card = c.rate_card
    if card.base_unit_price is not None and card.base_basis is not None and not _per_unit(c):
        yield Problem("rate_card.base_unit_price",
                      f"a price per session or hour ({format_money(card.base_unit_price)}) is given, but the base "
                      "payment is a monthly amount per student.",
                      "choose per_session or per_hour as how the base payment is earned, or remove the price")
