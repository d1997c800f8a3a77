"""Title I Supplemental Educational Services (SES) provider contract (Florida, FDOE sample contract).

The inputs of Appendix I of the Florida Department of Education's SES contract guidance: every blank of the
sample contract, grouped as the contract is (the groups live in :mod:`obc_builder.models.ses_inputs`; this
module joins them, checks the facts that span groups and derives the figures). Field descriptions are the
guidance in our words; they are also the wizard's help text. The sample contract's own values that a
district may change (SLP goals, tutoring hours, cure and notice periods, record keeping, report frequency,
class size, reassignment) live in :data:`POLICY`; the statutory limits (October 15, 20 days, $50
incentives) live in :mod:`obc_builder.rules.ses`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import model_validator

from ..locations import source_document
from ..policy import entry
from .base import Departures, InputModel, departures, departures_checked, figure, group
from .derived import once
from .ses_choices import Location, SessionLength
from .ses_dates import school_year_end, statutory_start
from .ses_inputs import (
    Administration,
    Compliance,
    Contacts,
    Facilities,
    Fees,
    General,
    Incentives,
    Insurance,
    Invoicing,
    Parties,
    Progress,
    Schedule,
    Service,
    Signatories,
    Slp,
    Term,
)

_G = source_document("002")
_A = f"{_G}, Appendix I"
POLICY = (
    entry("ses.slp_goals_min", "3", "at_least", "goals", "Fewest goals on each Student Learning Plan",
          f"{_A}, Section 3.I; Appendix G (three to five goals)"),
    entry("ses.slp_goals_max", "5", "at_most", "goals", "Most goals on each Student Learning Plan",
          f"{_A}, Section 3.I; Appendix G (three to five goals)"),
    entry("ses.weekly_tutoring_hours", "6", "at_most", "hours", "Most tutoring hours per student per week",
          f"{_A}, Sections 3.M.IV and 3.O"),
    entry("ses.withhold_cure_days", "14", "at_most", "calendar days",
          "Days the Provider has to correct a deficiency after a notice of intent to withhold", f"{_A}, Section 4"),
    entry("ses.termination_notice_days", "20", "at_least", "calendar days", "Written notice before termination",
          f"{_A}, Section 5; Appendix E (20-day notification)"),
    entry("ses.records_years", "5", "at_least", "years", "Years the Provider keeps its records after the term",
          f"{_A}, Section 3.T; question B-6 (records kept five years)"),
    entry("ses.progress_report_interval_months", "1", "at_most", "month(s) between reports",
          "Longest interval between progress reports to parents, the school and the Board",
          f"{_A}, Sections 3.I and 3.K.II; question B-6 (the Department recommends monthly reports)"),
    entry("ses.students_per_classroom", "10", "at_most", "students",
          "Most students tutored at one time in one average size classroom", f"{_A}, Section 3.J"),
    entry("ses.reassignment_start_pct", "80", "at_least", "%",
          "Share of assigned students the Provider must have started tutoring before students are reassigned",
          f"{_A}, Section 3.L"),
    entry("ses.term_start_month", "7", "equal", "(month number)", "Month the contract year starts (July 1)",
          f"{_G}, question C-3 (contracts effective July 1 to June 30)"),
    entry("ses.term_end_month", "6", "equal", "(month number)", "Month the contract year ends (June 30)",
          f"{_G}, question C-3 (contracts effective July 1 to June 30)"),
)



class SesContract(InputModel):
    """Title I Supplemental Educational Services provider contract (Florida, FDOE Appendix I sample)."""

    family: Literal["ses"] = "ses"
    parties: Parties = group(Parties, "First page · Parties")
    signatories: Signatories = group(Signatories, "Signature page · Signatories")
    term: Term = group(Term, "Sections 1 and 5 · Term and dates")
    fees: Fees = group(Fees, "Sections 2.E and 3.O · Fees and payment")
    invoicing: Invoicing = group(Invoicing, "Section 3.O · Monthly invoices")
    administration: Administration = group(Administration, "Sections 3.A, 3.F, 3.G, 3.H · Meetings, marketing, "
                                                           "clearance, software")
    insurance: Insurance = group(Insurance, "Section 3.B · Insurance")
    slp: Slp = group(Slp, "Section 3.I · Student Learning Plan")
    facilities: Facilities = group(Facilities, "Section 3.J · Facilities")
    progress: Progress = group(Progress, "Section 3.K · Progress reporting")
    service: Service = group(Service, "Sections 3.L–3.R · Start, limits and end of tutoring")
    schedule: Schedule = group(Schedule, "Section 3.M · Schedule")
    incentives: Incentives = group(Incentives, "Section 3.P · Incentives")
    compliance: Compliance = group(Compliance, "Sections 3.T, 4, 5 · Records, withholding, termination")
    contacts: Contacts = group(Contacts, "Sections F and H · Disputes and notices")
    general: General = group(General, "Sections E and J · Venue and entire agreement")
    departures: Departures | None = departures()

    _departures = departures_checked()

    @model_validator(mode="after")
    def _consistent(self) -> SesContract:
        problems = [p for p in _date_order(self) + _schedule_fit(self) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @once
    def figures(self) -> SesFigures:
        """The derived figures; clauses see them as ``computed``."""
        return SesFigures.of(self)

    def derivations(self) -> dict[str, Any]:
        """What the wizard proposes for an answer declared ``derive=``: the term's end (the last day of the month
        the guidance's contract year ends, June 30) and the statutory start (October 15, or 20 days after a late
        signing), from the school year."""
        end_month = int(next(row.value for row in POLICY if row.key == "ses.term_end_month"))
        return {"school_year_end": school_year_end(self, end_month), "statutory_start": statutory_start(self)}


def _on(day: date) -> str:
    """A date as the contract prints it: September 1, 2025."""
    return f"{day:%B} {day.day}, {day.year}"


def last_invoice_date(c: SesContract) -> date | None:
    """The last day to submit an invoice: the invoice due day of the month after the last day of service.

    The contract states both "invoices are due the <day> of the month following services rendered" and "the last
    day to submit an invoice"; deriving the second from the first and the last day of service keeps them one date.
    """
    last, due = c.service.last_service_day, c.invoicing.due_day
    if last is None or due is None:
        return None
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    return date(year, month, due)


def remote_only(c: SesContract) -> bool | None:
    """Whether every session is online at the student's home: no student arrives anywhere to be escorted, signed
    out or supervised on site. Unknown (None) while no location is chosen, and the on-site clauses stay in."""
    places = c.schedule.locations
    return all(place == Location.home_online for place in places) if places else None


def _date_order(c: SesContract) -> list[str]:
    """Dates that must follow one another, each named as the contract does with its input in brackets."""
    term_end = "the end of the contract term (term.term_end)"
    last_day = "the last day of service (service.last_service_day)"
    pairs = (  # (earlier, what it is, later, what it is, may they be the same day)
        (c.term.contract_date, "the contract date (term.contract_date)", c.term.term_end, term_end, False),
        (c.service.start_by, "the date services start by (service.start_by)", c.service.last_service_day, last_day,
         True),
        (c.service.last_service_day, last_day, c.term.term_end, term_end, True),
    )
    problems = []
    for earlier, earlier_what, later, later_what, same_day in pairs:
        if earlier is None or later is None:
            continue
        if later < earlier or (later == earlier and not same_day):
            when = "on or after" if same_day else "after"
            problems.append(f"{later_what}, {_on(later)}, must be {when} {earlier_what}, {_on(earlier)}")
    return problems


def session_words(c: SesContract) -> str:
    """A session's length as the contract prints it: "45 minutes" or "at least 60 minutes"."""
    s = c.schedule
    return f"{'at least ' if s.session_length == SessionLength.at_least else ''}{s.session_minutes} minutes"


def _schedule_fit(c: SesContract) -> list[str]:
    s = c.schedule
    problems = []
    limit = c.service.weekly_hour_limit
    if s.sessions_per_week and s.session_minutes and limit:
        minutes = s.sessions_per_week * s.session_minutes
        if minutes > limit * 60:
            least = "at least " if s.session_length == SessionLength.at_least else ""
            problems.append(f"the schedule, {s.sessions_per_week} sessions a week (schedule.sessions_per_week) of "
                            f"{session_words(c)} (schedule.session_minutes), is {least}{minutes} minutes a week, "
                            f"more than the tutoring limit of {limit} hour{'s' if limit > 1 else ''} per week "
                            "(service.weekly_hour_limit)")
    if s.sessions_per_week and s.sessions_per_month and s.sessions_per_month > s.sessions_per_week * 5:
        weekly = f"{s.sessions_per_week} session{'s' if s.sessions_per_week > 1 else ''}"
        problems.append(f"the sessions per month (schedule.sessions_per_month), {s.sessions_per_month}, are more than "
                        f"a month of {weekly} a week (schedule.sessions_per_week) can hold, {s.sessions_per_week * 5}")
    return problems


class SesFigures(InputModel):
    """Figures derived from the fees, the schedule and the dates: never typed in, always computed."""

    service_months: int | None = figure("Months of service (start-by month to last month of service)")
    max_sessions_per_student: int | None = figure("Most sessions one student can receive (per month × months)")
    per_student_maximum: Decimal | None = figure("Most one student's tutoring can cost (sessions × fee)", "$")
    session_fee_hourly: Decimal | None = figure("Fee per session as an hourly rate (the most, when sessions last at "
                                                "least their length)", "$")
    scheduled_weekly_minutes: int | None = figure("Scheduled tutoring minutes per week (the fewest, when sessions "
                                                  "last at least their length)")
    remaining_pct: Decimal | None = figure("Students the Provider still has to start after reassignment", "%")
    last_invoice_date: date | None = figure("Last day to submit an invoice (the invoice due day of the month after "
                                            "the last day of service)")
    remote_only: bool | None = figure("Every session online at the student's home (the clauses on escorting, "
                                      "signing out and supervising students on site are left out)")

    @classmethod
    def of(cls, c: SesContract) -> SesFigures:
        s, fee = c.schedule, c.fees.per_session_fee
        start, last = c.service.start_by, c.service.last_service_day
        months = (last.year - start.year) * 12 + last.month - start.month + 1 if start and last else None
        sessions = s.sessions_per_month * months if s.sessions_per_month and months and months > 0 else None
        hourly = None
        if fee is not None and s.session_minutes:
            hourly = (fee * 60 / s.session_minutes).quantize(Decimal("0.01"))
        pct = c.service.reassignment_pct
        return cls(
            service_months=months,
            max_sessions_per_student=sessions,
            per_student_maximum=fee * sessions if fee is not None and sessions is not None else None,
            session_fee_hourly=hourly,
            scheduled_weekly_minutes=s.sessions_per_week * s.session_minutes
            if s.sessions_per_week and s.session_minutes else None,
            remaining_pct=Decimal(100) - pct if pct is not None else None,
            last_invoice_date=last_invoice_date(c),
            remote_only=remote_only(c),
        )
