"""High-dosage tutoring (HDT) outcomes-based contract: the inputs of the Center for OBC template, A–K.

Field descriptions are the template's blue guidance in our words; they are also the wizard's help text.
Recommended values live in :data:`POLICY`; the fields point at them by key.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from ..locations import source_document
from ..policy import entry
from .base import Departures, InputModel, departures, departures_checked, group, inp, term_span
from .derived import once
from .hdt_figures import HdtFigures, grade_key
from .hdt_payments import PaymentOutcome, Payments, RateCard
from .hdt_provisions import GeneralProvisions
from .types import Count, Date, LongText, Percent, PositiveCount, Text, split_name_title

_T = "Center for OBC HDT template"
POLICY = (
    entry("hdt.contingent_share_pct", "40", "at_least", "%", "Contingent share of total contract value",
          f"{_T}, Sections C and F.2; Standards of Excellence domain Contingent Outcomes Payments"),
    entry("hdt.student_attendance_pct", "80", "at_least", "%", "Student attendance the District ensures",
          f"{_T}, Sections D.2 and I.1.b"),
    entry("hdt.tutor_consistency_pct", "80", "at_least", "%", "Tutor consistency the Provider keeps",
          f"{_T}, Section I.2.a"),
    entry("hdt.pl_attendance_pct", "90", "at_least", "%", "Professional-learning attendance the District ensures",
          f"{_T}, Section I.1.c"),
    entry("hdt.payment_days", "30", "at_most", "days", "Days to pay an approved invoice",
          f"{_T}, Sections F.1, F.4 and F.5"),
    entry("hdt.implementation_review_days", "15", "at_most", "days", "Days to convene an implementation review",
          f"{_T}, Section I.1.a.iii"),
    entry("hdt.corrective_plan_business_days", "10", "at_most", "business days",
          "Business days to submit a corrective action plan", f"{_T}, Section I.1.d.ii"),
    entry("hdt.tutor_consistency_plan_business_days", "10", "at_most", "business days",
          "Business days to submit a tutor-consistency plan", f"{_T}, Section I.2.a.iv"),
    entry("hdt.roster_window_weeks", "4", "at_most", "weeks", "Weeks to finalize the student roster",
          f"{_T}, Section I.1.f.i"),
    entry("hdt.success_manager_replacement_days", "15", "at_most", "business days",
          "Business days to replace a success manager",
          f"{_T}, Section I.2.c.ii.1 (I.2.c.i.1 in the contract, renumbered)"),
    entry("hdt.makeup_session_days", "30", "at_most", "days", "Days to hold make-up professional learning",
          f"{_T}, Section I.2.c.ii.3 (I.2.c.i.3 in the contract, renumbered)"),
    entry("hdt.early_termination_cure_days", "30", "at_most", "days",
          "Days the Provider has to remedy before early termination", f"{_T}, Section K"),
    entry("hdt.termination_notice_days", "20", "at_least", "calendar days",
          "Written notice before termination (a contract paid from federal funds)",
          f"{source_document('002')}, Appendix I, Section 5 (TERMINATION), the wording of Section M's termination"),
)


class Parties(InputModel):
    district_name: Text | None = inp(
        "District", "The school district's full legal name, as it should appear on the contract.",
        example="Sunshine County Public Schools")
    district_representative: Text | None = inp(
        "District representative", "The person who signs for the District (printed under the signature line).")
    provider_name: Text | None = inp(
        "Provider", "The tutoring provider's full legal name.", example="Bright Path Tutoring, Inc.")
    provider_representative: Text | None = inp(
        "Provider representative", "The person who signs for the Provider (printed under the signature line).")


class Dates(InputModel):
    effective_date: Date | None = inp(
        "Effective date", "The date the Agreement takes effect (usually the date it is signed).")
    service_start: Date | None = inp(
        "Service start date", "The first day tutoring services are provided.")
    service_end: Date | None = inp(
        "Service end date", "The day by which services are to be completed.")
    contract_end: Date | None = inp(
        "Contract end date",
        "The last day of the Agreement. Outcomes are assessed, validated and paid after tutoring ends, so this is "
        "usually one to three months after the service end date (e.g. June 30 for services that end in May).")

    _span = term_span("effective_date", "service_start", "service_end", "contract_end", what="the contract")


class SchoolSite(InputModel):
    name: Text | None = inp("School", "The name of a participating school site.", example="School A")
    students: PositiveCount | None = inp(
        "Students at this school", "Estimated number of participating students at this school site.", example=220)


class BaselineValue(InputModel):
    grade: Text | None = inp("Grade", "The grade level the figure is for.", example="Grade 7")
    percent: Percent | None = inp(
        "Baseline %", "The share of this grade's targeted students who met the metric historically.", example=42)


class BaselineMetric(InputModel):
    outcome: Text | None = inp(
        "Payment outcome it supports",
        "The payment outcome (Section E) this baseline supports, by its name; leave it empty for a baseline that "
        "describes the population but is tied to no payment. The wizard asks it once payment outcomes are "
        "entered, as a choice among their names.", required=False, example="F.A.S.T. EOY Growth",
        choices_from="outcomes.*.name")
    metric: Text | None = inp(
        "Baseline metric",
        "A metric the historical baseline is measured on; use the same wording as the payment outcome it supports.",
        example="% of students achieving a Level 3 or higher on Spring Administration of F.A.S.T (PM3)")
    values: list[BaselineValue] = inp(
        "Baseline by grade", "The historical figure for each grade served.", many=True)


class TimelineStep(InputModel):
    timeframe: Text | None = inp("Timeframe", "When the activity happens (a month is enough).", example="July 2024")
    activity: Text | None = inp("Activity", "What happens then.", example="Initial kickoff meeting")


class Population(InputModel):
    subjects: list[Text] = inp(
        "Subjects", "Each subject the tutoring targets, as it should read in the contract (e.g. mathematics, reading).",
        many=True, example="mathematics")
    district_assessment: Text | None = inp(
        "District assessment", "The assessment whose historical data show the need for tutoring.",
        example="Florida Assessment of Student Thinking (F.A.S.T.)")
    population_statement: Text | None = inp(
        "Student population",
        "Who is tutored, in one phrase: grade levels, student characteristics, assessment thresholds and the "
        "assessment timeframe.",
        example="rising 7th and 8th grade students who scored Level 1 to 2.2 on the 2023 Spring Math F.A.S.T.")
    program_focus: Text | None = inp(
        "Program focus", "The brief focus of the program, including subject area and grade levels.",
        example="7th and 8th grade mathematics")
    grades_served: list[Text] = inp(
        "Grades served", "Each grade served, one per entry (Kindergarten, Grade 1, …); baselines and outcomes name "
        "grades from this list.", many=True, example="Grade 7")
    grade_levels: Text | None = inp(
        "Grade levels", "The grade levels of the participating students, as the contract should describe them; "
        "unless written otherwise, the grades served in words (Kindergarten through Grade 3).",
        example="Rising 7th & 8th Grade Math students", derive="grade_levels")
    characteristics: Text | None = inp(
        "Student characteristics", "Characteristics of the students (e.g. English Language Learners).",
        example="English Language Learners")
    schools: list[SchoolSite] = inp(
        "Participating school sites", "Each school site and its estimated number of participating students.",
        many=True)
    course_enrollment: Text | None = inp(
        "Course enrollment", "The courses the participating students are enrolled in.",
        example="Enrolled in M/J Grade 7 Mathematics or M/J Grade 8 Pre Algebra")
    selection_criteria: list[Text] = inp(
        "Selection criteria",
        "Each criterion that makes a student eligible; include at least one with an assessment, a metric and a "
        "threshold.", many=True, example="A previous score of Level 1 to 2.2 on the 2023 Spring Math F.A.S.T.")
    baselines: list[BaselineMetric] = inp(
        "Historical baseline data",
        "For each payment outcome's metric, the historical result of the targeted group, per grade.", many=True)
    number_of_students: PositiveCount | None = inp(
        "Number of students", "How many students the Program will serve (the sum of the school sites' counts).",
        example=1250, derive="school_student_total")
    data_sources: Text | None = inp(
        "Baseline and eligibility data sources",
        "The assessment and data sources the District uses to set baselines and eligibility.",
        example="2023 Spring F.A.S.T. results and the District's attendance records")
    timeline: list[TimelineStep] = inp(
        "Initial implementation timeline", "The high-level steps of the roll-out, in order.", many=True)


class Delivery(str, Enum):
    virtual = "virtual"
    in_person = "in_person"
    hybrid = "hybrid"


class Program(InputModel):
    delivery: Delivery | None = inp(
        "Delivery",
        "virtual (on the Provider's online platform), in_person (tutors at the school sites) or hybrid (both). "
        "Platform obligations appear only for virtual and hybrid delivery; on-site obligations (background "
        "screening, supervision) only for in-person and hybrid.")
    weeks: PositiveCount | None = inp(
        "Program length (weeks)", "About how many weeks tutoring runs, excluding testing windows and holidays.",
        example=28)
    months: Text | None = inp(
        "Program months", "The months the program runs, as 'Month – Month'.", example="September – March")
    dosage: Text | None = inp(
        "Dosage", "The dosage the Provider's research recommends (sessions per week, minutes per session, group size).",
        example="three 30-minute sessions per week in groups of no more than three students")


class ProcessOutcome(InputModel):
    name: Text | None = inp("Process outcome", "An indicator used to learn and improve, never tied to payment.",
                            example="Student session attendance")
    metric: Text | None = inp("Metric", "How it is measured.",
                              example="Student maintains an average session attendance rate of 80%")
    timeframe: Text | None = inp("Data collection timeframe", "How often and when the data are collected.",
                                 example="Weekly, Beginning 9/13/24; Ending 3/28/25")


class DataElement(InputModel):
    element: Text | None = inp("Data element", "A piece of data shared for payment or process measures.",
                               example="F.A.S.T. (PM2)")
    purpose: Text | None = inp("Purpose", "Payment metric or process measure.", example="Payment Metric")
    timeline: Text | None = inp("Timeline/frequency", "When or how often it is shared.", example="February 2, 2025")
    responsible: Text | None = inp("Responsible for data collection, sharing, & analysis",
                                   "Who collects and shares it.",
                                   example="Provider")


class Accountability(InputModel):
    implementation_review_days: Count | None = inp(
        "Implementation review (days)",
        "Days within which both parties convene a special implementation review when tracking data show "
        "consistent challenges across schools.", policy="hdt.implementation_review_days")
    student_attendance_pct: Percent | None = inp(
        "Student attendance %", "The attendance average the District ensures for participating students.",
        policy="hdt.student_attendance_pct")
    substitution_date: Date | None = inp(
        "Student substitution date", "The date by which non-attending students are normally substituted.")
    pl_attendance_pct: Percent | None = inp(
        "Professional-learning attendance %",
        "The share of participating team members who attend all professional learning sessions.",
        policy="hdt.pl_attendance_pct")
    corrective_plan_business_days: Count | None = inp(
        "District corrective plan (business days)",
        "Business days within which the District submits a corrective action plan.",
        policy="hdt.corrective_plan_business_days")
    roster_window_weeks: PositiveCount | None = inp(
        "Roster window (weeks)", "Weeks from the program start the District has to finalize the roster.",
        policy="hdt.roster_window_weeks")
    minimum_service_requirements: LongText | None = inp(
        "Minimum service requirements",
        "The scope the Provider must deliver to a student to earn an outcome payment: number of days and hours.",
        example="at least 45 sessions of 30 minutes over at least 20 weeks", multiline=True)
    tutor_consistency_pct: Percent | None = inp(
        "Tutor consistency %", "The share of sessions in which a student keeps the same tutor.",
        policy="hdt.tutor_consistency_pct")
    tutor_consistency_plan_business_days: Count | None = inp(
        "Tutor-consistency plan (business days)",
        "Business days within which the Provider submits a plan to restore tutor consistency.",
        policy="hdt.tutor_consistency_plan_business_days")
    success_manager_replacement_days: Count | None = inp(
        "Success manager replacement (business days)",
        "Business days within which the Provider replaces a success manager who is not fulfilling the role.",
        policy="hdt.success_manager_replacement_days")
    makeup_session_days: Count | None = inp(
        "Make-up sessions (days)", "Days within which missed professional learning sessions are made up.",
        policy="hdt.makeup_session_days")


class Meeting(InputModel):
    name: Text | None = inp("Meeting", "The name of a continuous-improvement meeting.",
                            example="District Data Review Meeting")
    purpose: list[Text] = inp("Purpose", "What the meeting is for.", many=True)
    stakeholders: list[Text] = inp("Stakeholders", "Who attends.", many=True)
    timing: Text | None = inp("Timing of touchpoints", "How often and how long.", example="Monthly, 1 hour")
    decision_making: list[Text] = inp("Decision-making", "What the meeting decides.", many=True)


class Stakeholder(InputModel):
    stakeholder: Text | None = inp("Stakeholder", "A person or team in continuous-improvement meetings.",
                                   example="District Data Team")
    responsibilities: Text | None = inp("Responsibilities", "What they are responsible for.",
                                        example="Lead data integration and analysis; support identifying data stories")


class Improvement(InputModel):
    meeting_frequency_weeks: PositiveCount | None = inp(
        "Meeting cadence (weeks)",
        "How often, in weeks, the District and the Provider hold continuous-improvement meetings: the contract "
        "says they meet no more often than once every this many weeks (2: at most once every two weeks).",
        example=2)
    meetings: list[Meeting] = inp("Continuous improvement structure", "Each meeting type and how it runs.",
                                  many=True)
    stakeholders: list[Stakeholder] = inp("Continuous improvement stakeholders",
                                          "Each stakeholder and their responsibilities.", many=True)


class Termination(InputModel):
    early_termination_cure_days: Count | None = inp(
        "Early-termination cure (days)",
        "Days after notice within which the Provider may remedy an unsuccessful Program before early termination.",
        policy="hdt.early_termination_cure_days")


class HdtContract(InputModel):
    """An outcomes-based high-dosage tutoring contract (Center for OBC template, Sections A–K)."""

    family: Literal["hdt"] = "hdt"
    parties: Parties = group(Parties, "Section A · Parties")
    dates: Dates = group(Dates, "Section A · Dates")
    district_boilerplate: LongText | None = inp(
        "Section A · District background", "The District's own background paragraph (its standard boilerplate).",
        multiline=True)
    population: Population = group(Population, "Sections C–D · Student population")
    program: Program = group(Program, "Section D · Program length and dosage")
    outcomes: list[PaymentOutcome] = inp(
        "Section E · Payment outcomes",
        "The student outcomes tied to payment, each with its rate (one price, or tiers) and payment timetable.",
        many=True)
    rate_card: RateCard = group(RateCard, "Section F · Rate card")
    payments: Payments = group(Payments, "Section F · Payments")
    process_outcomes: list[ProcessOutcome] = inp(
        "Section G · Process outcomes", "Indicators used for continuous improvement, not tied to payment.", many=True)
    data_elements: list[DataElement] = inp("Section H · Data elements",
                                           "Each data element, its purpose and who shares it.",
                                           many=True)
    accountability: Accountability = group(Accountability, "Section I · Mutual accountability")
    improvement: Improvement = group(Improvement, "Section J · Continuous improvement")
    termination: Termination = group(Termination, "Section K · Termination")
    provisions: GeneralProvisions = group(GeneralProvisions, "Section L · General provisions")
    departures: Departures | None = departures()

    _departures = departures_checked()

    @once
    def figures(self) -> HdtFigures:
        """The derived figures (totals, contingent share); clauses see them as ``computed``."""
        return HdtFigures.of(self)

    def derivations(self) -> dict[str, Any]:
        """What the wizard proposes for an answer declared ``derive=``: the grade levels in words, from the grades
        served ("Kindergarten through Grade 3"); the Provider's notice contact, its representative who signs
        ("James Chen, Chief Executive Officer": name, then title)."""
        try:
            person: tuple[str | None, str | None] = split_name_title(self.parties.provider_representative or "")
        except ValueError:
            person = (None, None)
        return {"grade_levels": grade_words(self.population.grades_served), "provider_notice_name": person[0],
                "provider_notice_title": person[1]}


def grade_words(grades: list[str]) -> str | None:
    """Grades as a contract names them: "Kindergarten through Grade 3" for three or more in a row, else "Grade 7
    and Grade 8"; ``None`` for none."""
    if not grades:
        return None
    numbers = [0 if key == "K" else int(key) if key.isdigit() else None for key in map(grade_key, grades)]
    if len(grades) >= 3 and numbers[0] is not None and numbers == list(range(numbers[0], numbers[0] + len(grades))):
        return f"{grades[0]} through {grades[-1]}"
    return grades[0] if len(grades) == 1 else f"{', '.join(grades[:-1])} and {grades[-1]}"


