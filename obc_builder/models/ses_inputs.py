"""The input groups of the Florida SES contract (Appendix I), one group per part of the contract.

:mod:`obc_builder.models.ses` assembles them into :class:`~obc_builder.models.ses.SesContract`; the coded
values and value types live in :mod:`obc_builder.models.ses_choices`.
"""

from __future__ import annotations

from pydantic import model_validator

from .base import InputModel, group, inp, term_span
from .ses_choices import (
    REPORT_INTERVAL_MONTHS,
    DayOfMonth,
    IncentiveBasis,
    Location,
    ReportFrequency,
    SchoolYear,
    ServiceType,
    SessionLength,
)
from .types import CityStateZip, County, Date, Money, Percent, Phone, PositiveCount, TaxId, Text, ZipCode


class Address(InputModel):
    """A postal address."""

    street: Text | None = inp("Street address", "Street, number and suite.", example="415 Palm Avenue, Suite 200",
                              together=("address", ("city", "state", "zip_code")))
    city: Text | None = inp("City", "City or town.", example="Tallahassee")
    state: Text | None = inp("State", "State (two letters are enough).", example="FL")
    zip_code: ZipCode | None = inp("ZIP code", "Five digits, or ZIP+4 (32301-1234).", example="32301")


class ProviderNotice(InputModel):
    """Where the Provider wants notices sent, only if different from its address (signature page)."""

    name: Text | None = inp("Name", "Who receives notices for the Provider.", required=False)
    title: Text | None = inp("Title", "That person's title.", required=False)
    phone: Phone | None = inp("Phone number", "That person's phone number: 10 digits, like (850) 555-0142.",
                              required=False, example="(407) 555-0190")
    street: Text | None = inp("Address", "Street address for notices.", required=False)
    city_state_zip: CityStateZip | None = inp("City / State / Zip Code", "City, state and ZIP code for notices, "
                                              "ending with the ZIP code.",
                                              required=False, example="Orlando, FL 32801")


class Parties(InputModel):
    """The School Board and the state-approved provider, as the first page and signature page name them."""

    county: County | None = inp(
        "County", "The county whose School Board contracts, without the word 'County': the contract reads "
        "'The School Board of <county> County'.", example="Sunshine")
    district_address: Text | None = inp(
        "School Board address", "The School Board's mailing address on one line (signature page).",
        example="1200 Education Way, Sunshine City, FL 32301")
    provider_name: Text | None = inp(
        "Provider", "The provider's full legal name, exactly as on its state-approved application.",
        example="Bright Futures Learning Centers, Inc.")
    provider_address: Address = group(Address, "Provider's contact address")
    provider_phone: Phone | None = inp("Provider phone number", "The provider's main phone number: 10 digits, "
                                       "like (850) 555-0142.", example="(850) 555-0142")
    provider_tax_id: TaxId | None = inp(
        "Provider tax identification number", "The provider's federal employer identification number (EIN): "
        "9 digits, like 59-3412876.",
        example="59-3412876")
    provider_notice: ProviderNotice = group(ProviderNotice, "Provider's notice contact (only if different)",
                                            optional=True)


class Signatories(InputModel):
    """Who signs the signature page."""

    board_chair: Text | None = inp("Board Chairperson", "The chair of the School Board, who signs for the District.")
    superintendent: Text | None = inp("Superintendent", "The Superintendent, who also signs for the District.")
    provider_representative: Text | None = inp(
        "Provider authorized representative",
        "The person with full legal power to sign for and bind the provider.", example="Denise Carter",
        together=("name, title", ("provider_representative_title",)))
    provider_representative_title: Text | None = inp(
        "Provider representative's title", "That person's title.", example="President")


class Term(InputModel):
    """The contract's date, term and school year (first page, Section 1 and Section 5.A)."""

    school_year: SchoolYear | None = inp("School year", "The school year the services are for.", example="2025-2026")
    contract_date: Date | None = inp(
        "Contract date", "The day the contract is made and entered into; it takes effect once both parties have "
        "signed. Florida recommends contracts that run July 1 to June 30.")
    term_end: Date | None = inp("Term ends", "The last day the contract remains in force (usually June 30).",
                                derive="school_year_end")
    documents_due: Date | None = inp(
        "Required documents due", "The due date for the Provider's required documents (insurance certificate, "
        "accident/incident procedures) and the executed contract; missing it allows termination.")

    _span = term_span("contract_date", "term_end", what="the term (contract_date to term_end)")


class Service(InputModel):
    """When tutoring starts and ends and how much a student may receive (Sections 3.L, 3.M.IV, 3.O, 3.R)."""

    start_by: Date | None = inp(
        "Services start by", "The date by which the Provider must be able to serve students: October 15 of the "
        "school year, or 20 days after signing when the contract is signed less than 20 days before October 15.",
        derive="statutory_start")
    last_service_day: Date | None = inp(
        "Last day of service", "The last day the Provider may tutor (Section 3.O), and the day until which it must "
        "continue tutoring the students it serves (Section 3.R, where the sample contract says 'last day of "
        "school'): the contract states one end of services. The District may extend it for make-up sessions.")
    weekly_hour_limit: PositiveCount | None = inp(
        "Tutoring limit (hours per week)", "The most tutoring a student may receive in a week; tutoring beyond "
        "it is not paid.", policy="ses.weekly_tutoring_hours")
    reassignment_pct: Percent | None = inp(
        "Students started before reassignment (%)", "If the Provider starts tutoring fewer than this share of "
        "its assigned students, the District reassigns those not started.", policy="ses.reassignment_start_pct")


class Schedule(InputModel):
    """The tutoring schedule (Section 3.M.V)."""

    sessions_per_week: PositiveCount | None = inp("Sessions per week", "Tutoring sessions per student per week.",
                                                  example=2)
    sessions_per_month: PositiveCount | None = inp("Sessions per month", "Tutoring sessions per student per month.",
                                                   example=8)
    session_minutes: PositiveCount | None = inp(
        "Session length (minutes)", "Minutes of actual tutoring in one session, or the fewest when sessions vary in "
        "length ('at least one hour' is 60). Printed with the time/day of sessions; used to check the weekly limit "
        "and the per-session fee against the hourly rate.", example=60)
    session_length: SessionLength | None = inp(
        "Session length is", "Whether every session lasts exactly the session length, or at least that long "
        "(sessions of variable length): the contract then says 'at least'.")
    service_types: list[ServiceType] = inp(
        "Type of service", "Every type of service the Provider offers: online, one-on-one, small group, large "
        "group.", many=True)
    max_students_per_tutor: PositiveCount | None = inp("Maximum students per tutor",
                                                       "The most students one tutor teaches at once.", example=5)
    session_times: Text | None = inp("Time/day of sessions", "The days and times sessions are held.",
                                     example="Tuesday and Thursday, 3:15 p.m. – 4:00 p.m.")
    locations: list[Location] = inp(
        "Location of sessions", "Every kind of place where sessions are held.", many=True)


class Fees(InputModel):
    """What the District pays (Sections 2.E and 3.O)."""

    per_session_fee: Money | None = inp(
        "Fee per session per student", "The set fee per tutoring session per student; for the session length it "
        "may not work out above the state-approved hourly rate.", example="45")
    hourly_compensation: Money | None = inp(
        "Hourly compensation", "The Provider's compensation per hour of tutoring. Printed as the amount alone, as "
        "Section 3.O words it: 'compensation in the amount of ___ - not to exceed the per hour rate'.", example="45")
    state_approved_hourly_rate: Money | None = inp(
        "State-approved hourly rate", "The per hour rate in the Provider's state-approved application; "
        "compensation may not exceed it. Not printed: used to check the fees.", example="55")
    per_pupil_allocation: Money | None = inp(
        "Per-pupil Title I allocation", "The most the District pays for one student in the school year, as "
        "published by the Florida Department of Education: the aggregate fee is the lesser of the costs of the "
        "services provided and this allocation, even when the schedule would allow more.", example="1474.50")
    payment_days: PositiveCount | None = inp("Days to pay", "Calendar days after receipt of an invoice within which "
                                             "the District pays.", example=30)


class Invoicing(InputModel):
    """Monthly invoices (Section 3.O)."""

    due_day: DayOfMonth | None = inp(
        "Invoice due day", "Day of the month following services on which invoices are due (1–28). The last day to "
        "submit an invoice is this day of the month after the last day of service.", example=10)
    address: Text | None = inp("Invoice address", "Where the SES Program Specialist receives invoices.",
                               derive="parties.district_address",
                               example="1200 Education Way, Room 214, Sunshine City, FL 32301")


class Administration(InputModel):
    """Meetings, marketing, clearance and the District's SES software (Sections 3.A, 3.F, 3.G.V, 3.H)."""

    meeting_notice_business_days: PositiveCount | None = inp(
        "Meeting notice (business days)", "How many business days ahead the District announces an Annual "
        "Provider Meeting or Technical Assistance Meeting.", example=10)
    marketing_approver: Text | None = inp(
        "Marketing approver", "Who reviews and approves the Provider's marketing materials before distribution.",
        example="Maria Lopez", together=("name, title", ("marketing_approver_title",)))
    marketing_approver_title: Text | None = inp("Marketing approver's title", "That person's job title.",
                                                example="Title I SES Coordinator")
    clearance_verifier: Text | None = inp(
        "Clearance verifier", "Who verifies the background clearance of District employees the Provider hires.",
        example="Kevin Osei", together=("name, title", ("clearance_verifier_title",)))
    clearance_verifier_title: Text | None = inp("Clearance verifier's title", "That person's job title.",
                                                example="Coordinator, Professional Standards")
    software_support_rate: Money | None = inp(
        "SES software support rate ($/hour)", "What the Provider pays per hour for support calls to the SES "
        "software company beyond two hours per contract year.", example="75")


class Insurance(InputModel):
    """The insurance limits the Provider carries (Section 3.B)."""

    general_liability: Money | None = inp("Commercial general liability limit", "Including sexual abuse and "
                                          "molestation coverage.", example="1000000")
    workers_compensation: Money | None = inp("Workers' compensation limit", "Workers' compensation insurance.",
                                             example="500000")
    auto_liability: Money | None = inp("Auto liability limit", "Applies when the Provider transports students.",
                                       example="1000000")
    errors_omissions: Money | None = inp("Errors and omissions limit", "Kept 24 months after the contract ends.",
                                         example="1000000")


class Facilities(InputModel):
    """Use of District facilities (Section 3.J)."""

    notice_days: PositiveCount | None = inp(
        "Rental request (days before use)", "How many days before using a facility the Provider submits the Rental "
        "of Facilities Agreement and deposit.", example=10)
    rental_deposit: Money | None = inp("Rental deposit", "The fully refundable rental deposit.", example="250")
    students_per_classroom: PositiveCount | None = inp(
        "Students per classroom", "The most students tutored at one time in one average size classroom.",
        policy="ses.students_per_classroom")


class Slp(InputModel):
    """Goals on each Student Learning Plan (Section 3.I)."""

    goals_min: PositiveCount | None = inp("Fewest SLP goals", "The fewest goals on each student's SLP.",
                                          policy="ses.slp_goals_min")
    goals_max: PositiveCount | None = inp("Most SLP goals", "The most goals on each student's SLP.",
                                          policy="ses.slp_goals_max")

    @model_validator(mode="after")
    def _ordered(self) -> Slp:
        if self.goals_min is not None and self.goals_max is not None and self.goals_min > self.goals_max:
            raise ValueError(f"the fewest goals on each SLP (slp.goals_min), {self.goals_min}, is more than the most "
                             f"(slp.goals_max), {self.goals_max}")
        return self


class Progress(InputModel):
    """How progress is measured and reported (Section 3.K.II)."""

    methods: list[Text] = inp(
        "Progress measures", "Each method by which the student's progress toward the SLP goals is measured.",
        many=True, example="Pre- and post-assessment with the Provider's state-approved diagnostic test")
    to_parents: ReportFrequency | None = inp("Reports to parents", "How often progress reports go to parents.",
                                             policy="ses.progress_report_interval_months",
                                             choice_values=REPORT_INTERVAL_MONTHS)
    to_school: ReportFrequency | None = inp("Reports to the school", "How often progress reports go to the "
                                            "student's school.", policy="ses.progress_report_interval_months",
                                            choice_values=REPORT_INTERVAL_MONTHS)
    to_board: ReportFrequency | None = inp("Reports to the Board", "How often progress reports go to the Board.",
                                           policy="ses.progress_report_interval_months",
                                           choice_values=REPORT_INTERVAL_MONTHS)
    board_employee: Text | None = inp(
        "Board employee", "The Board employee progress is reported to: unless another is named, the District's SES "
        "contact who approves the marketing (the guidance has the Title I or SES coordinator manage the contract).",
        derive="administration.marketing_approver")


class Incentives(InputModel):
    """Student incentives (Section 3.P). A provider that offers none has a limit of $0."""

    cap_per_student: Money | None = inp(
        "Incentive limit per student", "The total value of all incentives one student may receive in the year; "
        "state law allows at most $50. Enter 0 when the Provider offers no student incentives: the contract then "
        "limits them to zero dollars ($0.00).", example="50")
    earned_by: list[IncentiveBasis] = inp(
        "Incentives earned by", "What incentives reward; state law allows achievement and attendance only. Leave "
        "empty to keep the sample contract's words, 'achievement or attendance' (and when no incentives are "
        "offered).", many=True, required=False)


class Compliance(InputModel):
    """Records, withholding and termination (Sections 3.T, 4 and 5)."""

    records_years: PositiveCount | None = inp("Records kept (years after the term)", "How long after the term the "
                                              "Provider keeps its records.", policy="ses.records_years")
    withhold_cure_days: PositiveCount | None = inp(
        "Cure period after notice to withhold (days)", "Calendar days the Provider has to correct a deficiency; "
        "they count toward the termination notice.", policy="ses.withhold_cure_days")
    termination_notice_days: PositiveCount | None = inp(
        "Termination notice (days)", "Calendar days of written notice either party gives to terminate.",
        policy="ses.termination_notice_days")

    @model_validator(mode="after")
    def _cure_inside_notice(self) -> Compliance:
        cure, notice = self.withhold_cure_days, self.termination_notice_days
        if cure is not None and notice is not None and cure >= notice:
            raise ValueError(f"the {cure}-day notice of intent to withhold (compliance.withhold_cure_days) is counted "
                             f"as part of the {notice}-day written notice of termination "
                             "(compliance.termination_notice_days), so it must be shorter")
        return self


class Contacts(InputModel):
    """Who receives disputes and notices for the District (Sections F and H)."""

    disputes_name: Text | None = inp("Disputes go to", "The District officer written disputes are delivered to.",
                                     example="Dr. Lorraine Whitfield", together=("name, title", ("disputes_title",)))
    disputes_title: Text | None = inp("Disputes: title", "That officer's job title.",
                                      example="Assistant Superintendent for Federal Programs")
    disputes_address: Text | None = inp("Disputes: address", "Where disputes are delivered, on one line.",
                                        derive="parties.district_address",
                                        example="1200 Education Way, Sunshine City, FL 32301")
    notices_name: Text | None = inp("Notices go to", "The District officer all correspondence is delivered to: "
                                    "unless another is named, the District's SES contact who approves the marketing.",
                                    example="Maria Lopez", together=("name, title", ("notices_title",)),
                                    derive="administration.marketing_approver")
    notices_title: Text | None = inp("Notices: title", "That officer's job title.", example="Title I SES Coordinator",
                                     derive="administration.marketing_approver_title")
    notices_address: Text | None = inp("Notices: address", "Where correspondence is delivered, on one line.",
                                       derive="parties.district_address",
                                       example="1200 Education Way, Room 214, Sunshine City, FL 32301")


class General(InputModel):
    """Governing law and the documents that form the agreement (Sections E and J)."""

    venue_county: County | None = inp("Venue county", "The county of venue, without the word 'County'.",
                                      derive="parties.county",
                                    example="Sunshine")
    agreement_documents: list[Text] = inp(
        "Documents forming the entire agreement", "Each document that, with the contract, forms the entire "
        "agreement, in order.", many=True, example="PROVIDER state-approved application")

    @model_validator(mode="after")
    def _lettered(self) -> General:
        if len(self.agreement_documents) > 26:
            raise ValueError("the documents are lettered a. to z.: list at most 26")
        return self

