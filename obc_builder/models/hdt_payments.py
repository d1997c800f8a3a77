"""HDT money: payment outcomes (additive or tiered), the rate card, the base payment and the payments terms.

A separate module from :mod:`.hdt` so that each stays readable; :mod:`.hdt` assembles the contract.
"""

from __future__ import annotations

from enum import Enum

from .base import ANSWERED, InputModel, inp
from .types import Count, Date, Money, Month, Percent, Text


class MilestoneKind(str, Enum):
    assessment = "assessment"
    data_validation = "data_validation"
    payment = "payment"
    other = "other"


class Milestone(InputModel):
    milestone: Text | None = inp("Milestone", "A step on the way to a contingent payment.",
                                 example="Assessment is administered")
    kind: MilestoneKind | None = inp(
        "Kind of milestone",
        "What the step is: the assessment, data validation, the payment itself, or another step. Data must be "
        "validated before payment.", required=False)
    responsible: Text | None = inp("Persons/party responsible", "Who carries out the step.",
                                   example="Individual school sites")
    date: Date | None = inp("Date", "When the step happens (the first day, for a span of days).")
    end_date: Date | None = inp("End date", "The last day, when the step spans several days.", required=False)


class OutcomeTier(InputModel):
    level: Text | None = inp(
        "Tier", "A short name for one level of the measure, lowest first.", example="Tier 1: half a year of growth")
    metric: Text | None = inp(
        "What the student reaches", "The result that places a student at this level (and not at a higher one).",
        example="Student gains 0.5 to 0.9 grade levels on the spring i-Ready Diagnostic")
    price: Money | None = inp(
        "Price for this tier", "The amount paid per student whose highest level reached is this one.", example="375")


class PaymentOutcome(InputModel):
    name: Text | None = inp("Payment outcome", "A short name for a student outcome that triggers payment.",
                            example="F.A.S.T. MOY Growth")
    subject: Text | None = inp(
        "Subject", "The subject this outcome measures; needed only when the contract covers several subjects.",
        required=False, example="reading", ask_if=("population.subjects.1", (ANSWERED,)))
    grades: list[Text] = inp(
        "Grades it applies to",
        "The grades this outcome is paid for, when only some of the grades served (e.g. Kindergarten and Grade 1 "
        "for a phonemic-awareness outcome); leave empty when it applies to every grade served.",
        many=True, required=False)
    metric: Text | None = inp(
        "Metric", "What a student must achieve, measured how, for the outcome to be paid.",
        example="Student increases by at least 1 achievement bucket from PM1 to PM2 on F.A.S.T.")
    window_start: Date | None = inp("Assessment window opens", "The first day of the assessment timeframe.",
                                    together=("first day to last day", ("window_end",)))
    window_end: Date | None = inp("Assessment window closes", "The last day of the assessment timeframe.")
    price_per_outcome: Money | None = inp(
        "Price per outcome",
        "The amount paid per student who achieves this outcome (leave blank for a tiered outcome: each tier has "
        "its own price).", required=False, example="540")
    tiers: list[OutcomeTier] = inp(
        "Tiers (optional)",
        "Mutually exclusive levels of one measure, lowest first: a student earns the price of the highest tier "
        "reached, never the sum of the tiers. Leave empty for an outcome paid at one price.",
        many=True, required=False, ask_if=("price_per_outcome", (None,)))
    payment_cap: Money | None = inp(
        "Outcome payment cap", "The most paid for this outcome in aggregate, across all students.",
        example="204000")
    timetable: list[Milestone] = inp(
        "Payment timetable", "The milestones from assessment to payment for this outcome, in order.", many=True)

    @property
    def tiered(self) -> bool:
        return bool(self.tiers)

    @property
    def most_per_student(self) -> Money | None:
        """The most one student can earn from this outcome: its price, or its highest tier's price."""
        if self.tiers:
            prices = [t.price for t in self.tiers]
            return None if None in prices else max(p for p in prices if p is not None)
        return self.price_per_outcome


class BaseBasis(str, Enum):
    per_student = "per_student"
    per_session = "per_session"
    per_hour = "per_hour"


class BaseMonth(InputModel):
    month: Month | None = inp("Month", "The billing month: its name or abbreviation (Sep, Sept. or September).",
                              example="Sep")
    amount: Money | None = inp(
        "Base payment", "Base payment per student for this month (for a base paid per session or per hour, the "
        "most a student's sessions that month can earn).", example="126")
    sessions: Count | None = inp("Approximate number of sessions", "About how many sessions are held this month.",
                                 example=9)


class PaymentReduction(InputModel):
    name: Text | None = inp("Payment reduction", "A short name for a result that reduces payment.",
                            example="Regression on the spring diagnostic")
    metric: Text | None = inp(
        "When it applies", "The result, measured how, that reduces the payment for a student.",
        example="Student's spring i-Ready scale score is lower than the fall score")
    amount: Money | None = inp("Reduction per student", "The amount deducted for each student it applies to.",
                               example="100")


class RateCard(InputModel):
    base_price_per_student: Money | None = inp(
        "Base payment per student", "The most paid per student for minimum service delivery.", example="680")
    base_cap: Money | None = inp(
        "Total base payment cap", "The maximum indebtedness for all base payments (at most base price × students).",
        example="850000", derive="base_cap_most")
    base_basis: BaseBasis | None = inp(
        "How the base payment is earned",
        "per_student: a monthly amount per rostered student (the template's timetable); per_session or per_hour: "
        "a price for each session or hour of tutoring delivered to a student, up to the base payment per student.",
        required=False)
    base_unit_price: Money | None = inp(
        "Price per session or hour",
        "For a base paid per session or per hour: the price of one session (or hour) delivered to one student.",
        required=False, example="18", ask_if=("base_basis", ("per_session", "per_hour")))
    contingent_max_per_student: Money | None = inp(
        "Most contingent payment per student (optional)",
        "The most paid for one student across all payment outcomes (\"up to $750 per student\"); leave blank "
        "when it is simply every outcome's price added up.", required=False, example="750")
    reductions: list[PaymentReduction] = inp(
        "Payment reductions (optional)",
        "Results that reduce the payment for a student, e.g. a student who regresses; each is a line of the rate "
        "card. Leave empty for none.", many=True, required=False)
    stated_per_student_total: Money | None = inp(
        "Per-student total you expect (optional)",
        "Only to check your arithmetic: base payment plus the most contingent payment per student.", required=False)
    stated_contract_total: Money | None = inp(
        "Contract total you expect (optional)",
        "Only to check your arithmetic: the base cap plus every outcome payment cap.", required=False)
    stated_contingent_share_pct: Percent | None = inp(
        "Contingent share you expect (optional)",
        "Only to check your arithmetic: the contract prints the share computed from the rate card.",
        required=False, policy="hdt.contingent_share_pct")
    base_timetable: list[BaseMonth] = inp(
        "Base payment timetable", "Per month: the base payment per student and the approximate number of sessions.",
        many=True)


class FundingSource(str, Enum):
    state_or_local = "state_or_local"
    federal = "federal"


class Payments(InputModel):
    payment_days: Count | None = inp(
        "Days to pay", "Days after receipt of an invoice within which the District pays.", policy="hdt.payment_days")
    approver: Text | None = inp(
        "Payment approver", "Name and department of the person who approves contingent payment amounts.",
        example="Director, District Academic Services")
    finance_office: Text | None = inp(
        "Finance office", "The finance and/or procurement office that administers payment.",
        example="District Purchasing Services")
    maximum_budget: Money | None = inp(
        "Maximum budget", "The District's maximum budget for the whole Program.", example="1700000",
        derive="contract_total")
    funding_source: FundingSource | None = inp(
        "Funding source",
        "state_or_local, or federal (ESSER, Title I or another federal award, also when federal money pays only "
        "part of the contract): a contract paid from federal funds carries the contract provisions 2 CFR 200.327 "
        "and Appendix II to Part 200 require.", required=False)
    federal_program: Text | None = inp(
        "Federal program", "For federal funds: the program the contract is paid from.", required=False,
        example="ESSER III (American Rescue Plan Act)", ask_if=("funding_source", ("federal",)))
