"""Wisconsin Achievement Gap Reduction (AGR) contract: the inputs of the DPI contract form under s. 118.44, Wis. Stats.

A school board contracts with the Department of Public Instruction for five school years on behalf of one or
more schools. For each school and each participating grade it names the strategies it implements, and for each
grade × subject (reading, mathematics) a performance objective. Field descriptions are the form's guidance in
our words; they are also the wizard's help text. Recommended values live in :data:`POLICY`; the statutory
limits the rules check (18:1 / 30:2) live in :mod:`obc_builder.rules.agr`. The participating grades (5K–3) are
the only grades the model accepts: a grade the statute excludes is never offered, so never refused later.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..limits import LATEST_DATE, MAX_TERM_YEARS
from ..locations import source_document
from ..messages import quoted
from ..policy import entry
from .base import Departures, InputModel, departures, departures_checked, inp
from .derived import once
from .types import Count, LongText, Money, PositiveCount, Text, refuse_bool

_S = source_document("004")
POLICY = (
    entry("agr.withdrawal_notice_days", "60", "at_least", "days",
          "Written notice before withdrawing from or transferring the contract during the school year",
          f"{_S}, Contract Termination/Contract Transfer"),
    entry("agr.end_notice_days_after_june_30", "0", "at_most", "days after June 30",
          "Deadline for notice to end participation after a school year",
          f"{_S}, Contract Termination/Contract Transfer"),
    entry("agr.data_retention_years", "5", "at_most", "years",
          "Years student data may be kept after the AGR program ends", f"{_S}, Data Confidentiality"),
)
TERM_YEARS = 5
"""s. 118.44(3): a 5-year contract (the model derives the report years from it; a rule flags another length)."""



class Grade(str, Enum):
    """The participating grades: "grade 5-year-old kindergarten and grades 1 to 3" (s. 118.44(1)(d))."""

    k5 = "5K"
    first = "1"
    second = "2"
    third = "3"




class Strategy(str, Enum):
    class_size_18_1 = "class_size_18_1"
    class_size_30_2 = "class_size_30_2"
    instructional_coaching = "instructional_coaching"
    one_to_one_tutoring = "one_to_one_tutoring"




class Subject(str, Enum):
    reading = "reading"
    mathematics = "mathematics"


_NOT_PARTICIPATING = {"4K": " (four-year-old kindergarten)", "K4": " (four-year-old kindergarten)"}


def _grade(value: Any) -> Any:
    """Accept 1 as well as "1", and "5k" / "K" for five-year-old kindergarten; refuse any other grade by name."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = value.strip().upper()
    text = "5K" if text in ("K", "K5") else text
    if text not in {grade.value for grade in Grade}:
        raise ValueError(
            f"{quoted(value)}{_NOT_PARTICIPATING.get(text, '')} cannot be a participating grade: the program covers "
            "five-year-old kindergarten and grades 1 to 3 only (s. 118.44(1)(d), Wis. Stats.); write 5K, 1, 2 or 3")
    return text


_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$")


def _school_year(value: Any) -> Any:
    """``2025-26`` (also ``2025–2026`` or ``2025``, the calendar year the school year starts in)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value}-{(value + 1) % 100:02d}"
    if not isinstance(value, str):
        return value
    match = _YEAR.match(value.strip())
    if not match:
        raise ValueError(f"{quoted(value)} is not a school year (write it like 2025-26)")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100 or (end >= 1000 and end != start + 1):
        raise ValueError(f"{quoted(value)} is not a school year: the second year must follow the first (2025-26)")
    if not 2015 <= start <= 2100:
        raise ValueError(f"{quoted(value)} is outside the years an AGR contract can cover (2015-16 onward)")
    return f"{start}-{(start + 1) % 100:02d}"


GradeLevel = Annotated[Grade, BeforeValidator(_grade)]
SchoolYear = Annotated[str, BeforeValidator(_school_year)]
DayOffset = Annotated[int, Field(ge=-180, le=90), BeforeValidator(refuse_bool)]


class Parties(InputModel):
    board_name: Text | None = inp(
        "School board", "The school board's name as it signs contracts.",
        example="Board of Education of the Maple Ridge School District")
    district_name: Text | None = inp(
        "School district", "The school district's full legal name.", example="Maple Ridge School District")


class ContractYears(InputModel):
    first_school_year: SchoolYear | None = inp(
        "First school year", "The first school year the contract covers; the contract runs five school years "
        "from it (July 1 to June 30 each year).", example="2025-26")
    stated_length: PositiveCount | None = inp(
        "Term in school years (only if not five)",
        "Leave this empty: the law sets the contract at five school years. Enter a number only if a different "
        "length was proposed; the review then points out that the law requires five years.", required=False)

    @model_validator(mode="after")
    def _span(self) -> ContractYears:
        length = self.stated_length
        if length is not None and length > MAX_TERM_YEARS:
            raise ValueError(f"the term of {length} school years (stated_length) is longer than {MAX_TERM_YEARS} "
                             "years; no contract runs that long")
        if not self.first_school_year:
            return self
        if int(self.first_school_year[:4]) + (length or TERM_YEARS) > LATEST_DATE.year:
            raise ValueError(f"a term from {self.first_school_year} would run past {LATEST_DATE.year}; check the "
                             "first school year")
        return self


class Objective(InputModel):
    subject: Subject | None = inp("Subject", "Reading or mathematics.", example="reading")
    baseline: LongText | None = inp(
        "Baseline performance", "Where the identified pupils of this grade stand now in this subject, with the "
        "assessment and the date of the figure.", multiline=True,
        example="In spring 2025, 41% of 5K pupils met the end-of-year benchmark on FastBridge earlyReading.")
    expected_growth: LongText | None = inp(
        "Expected growth", "The specific, measurable and achievable growth the identified pupils will make, and "
        "by when.", multiline=True,
        example="By spring 2026, 55% of 5K pupils will meet the end-of-year benchmark on FastBridge earlyReading.")
    formative_assessments: list[Text] = inp(
        "Formative assessments", "Assessments used during instruction to guide teaching (one per entry).",
        many=True, example="FastBridge earlyReading progress monitoring every two weeks")
    summative_assessments: list[Text] = inp(
        "Summative assessments", "Assessments that sum up the year's learning and show whether the objective "
        "was met (one per entry).", many=True, example="FastBridge earlyReading spring benchmark")
    strategies: list[Strategy] = inp(
        "Strategies relied on", "Which of this grade's strategies this objective relies on.", many=True,
        choices_from="strategies")
    how_strategies_help: LongText | None = inp(
        "How the strategies help", "How the chosen strategies (class size reduction, instructional coaching or "
        "one-to-one tutoring) will help the pupils reach this objective.", multiline=True)


_USES_18 = ("strategies", ("class_size_18_1",))
_USES_30 = ("strategies", ("class_size_30_2",))
_USES_COACHING = ("strategies", ("instructional_coaching",))
_USES_TUTORING = ("strategies", ("one_to_one_tutoring",))


class GradePlan(InputModel):
    grade: GradeLevel | None = inp(
        "Grade", "A participating grade: 5K (five-year-old kindergarten), 1, 2 or 3.", example="5K")
    classrooms: PositiveCount | None = inp(
        "Classrooms in this grade",
        "How many classrooms of this grade the school has; the contract states it. Count every one: the strategies "
        "are implemented in each class in each participating grade (s. 118.44(4)(a), Wis. Stats.).",
        required=False, example=3)
    strategies: list[Strategy] = inp(
        "Strategies", "The strategy or strategies this school implements in this grade: class size 18:1, class "
        "size 30:2 with two teachers, instructional coaching, one-to-one tutoring.", many=True)
    pupils_per_teacher: PositiveCount | None = inp(
        "Pupils per teacher (18:1 classes)",
        "For class size reduction 18:1: the most pupils assigned to one regular classroom teacher on the third "
        "Friday of September.", required=False, example=18, ask_if=_USES_18)
    pupils_per_shared_class: PositiveCount | None = inp(
        "Pupils per shared class (30:2 classes)",
        "For class size reduction 30:2: the most pupils in one class taught together by two teachers.",
        required=False, example=30, ask_if=_USES_30)
    teachers_per_shared_class: PositiveCount | None = inp(
        "Regular teachers per shared class (30:2 classes)",
        "For class size reduction 30:2: how many regular classroom teachers teach each shared class.",
        required=False, example=2, ask_if=_USES_30)
    coach_licensed: bool | None = inp(
        "Coach is a licensed teacher", "For instructional coaching: the coach is a licensed teacher with the "
        "content knowledge and licenses for math or reading coaching.", required=False, ask_if=_USES_COACHING)
    tutors_licensed: bool | None = inp(
        "Tutors are licensed teachers", "For one-to-one tutoring: every tutor is a licensed teacher.",
        required=False, ask_if=_USES_TUTORING)
    tutoring_during_school_hours: bool | None = inp(
        "Tutoring during regular school hours", "For one-to-one tutoring: tutoring happens during the regular "
        "school day, not before or after school.", required=False, ask_if=_USES_TUTORING)
    tutoring_program: Text | None = inp(
        "Tutoring program", "For one-to-one tutoring: the instructional program the tutors use.",
        required=False, example="Reading Recovery", ask_if=_USES_TUTORING)
    tutoring_program_wwc_effective: bool | None = inp(
        "Program found effective by the What Works Clearinghouse",
        "For one-to-one tutoring: the What Works Clearinghouse (Institute of Education Sciences) has found the "
        "program effective.", required=False, ask_if=_USES_TUTORING)
    objectives: list[Objective] = inp(
        "Performance objectives", "One reading and one mathematics objective for this grade.", many=True,
        min_items=2)


class School(InputModel):
    name: Text | None = inp("School", "A participating school's name.", example="Lincoln Elementary School")
    uses_nwea_map: bool | None = inp(
        "Uses NWEA MAP", "Whether this school gives NWEA MAP tests. If any school does, the contract includes "
        "the agreement that lets NWEA share the results with DPI for the program evaluation.")
    grades: list[GradePlan] = inp(
        "Participating grades", "Each participating grade (5K through 3) with its strategies and objectives. A "
        "school that has only some of these grades (e.g. only 5K and grade 1) lists only those.", many=True)
    grades_enrolled: list[GradeLevel] = inp(
        "Grades from 5K to 3 the school has",
        "Every grade from five-year-old kindergarten to grade 3 this school enrolls. Each one is a participating "
        "grade (s. 118.44(1)(d), Wis. Stats.), so the tool checks that each is listed above.",
        many=True, required=False, example="5K")
    low_income_pupils: Count | None = inp(
        "Low-income pupils in participating grades",
        "For the aid figures: the low-income pupils of this school enrolled in a grade eligible for funding "
        "(Wis. Admin. Code PI 24.03(1)).", required=False, example=120)


class Notices(InputModel):
    withdrawal_days: Count | None = inp(
        "Notice before withdrawing (days)",
        "Days of written notice the school board gives before withdrawing from or transferring the contract "
        "during a school year.", policy="agr.withdrawal_notice_days")
    end_participation_days_after_june_30: DayOffset | None = inp(
        "Notice to end participation (days after June 30)",
        "By when the school board must tell the Department that it will stop taking part after the current "
        "school year, as a number of days after June 30: 0 for June 30 (the form's date), 15 for July 15, and a "
        "negative number for a date before June 30 (-30 for May 31).",
        policy="agr.end_notice_days_after_june_30")


class DataTerms(InputModel):
    retention_years: Count | None = inp(
        "Data kept after the program ends (years)",
        "The longest DPI and its evaluator may keep student data after the AGR program ends. The contract "
        "states it with the NWEA MAP data set, so it is needed only when a school uses NWEA MAP.",
        policy="agr.data_retention_years", required=False, ask_if=("schools.*.uses_nwea_map", (True,)))


class AidTerms(InputModel):
    """The achievement gap reduction aid for one school year, if the contract is to state it (PI 24.03(1))."""

    school_year: SchoolYear | None = inp(
        "School year of the aid figures", "The school year the amount per low-income pupil is for.",
        required=False, example="2025-26")
    per_low_income_pupil: Money | None = inp(
        "Amount generated by each low-income pupil",
        "Leave empty unless the contract is to state the aid: the amount of aid generated by each low-income "
        "pupil in that school year, as the Department calculated it (Wis. Admin. Code PI 24.03(1)). The "
        "contract then multiplies it by each school's low-income pupils.", required=False, example="2000")


class Signatory(InputModel):
    name: Text | None = inp("Name", "The signer's name.", example="Dana Whitfield")
    title: Text | None = inp("Title", "The signer's title.", example="School Board President")


class Signatories(InputModel):
    board: list[Signatory] = inp(
        "School board signatories", "Who signs for the school board (e.g. the board president and the district "
        "administrator).", many=True)
    department: list[Signatory] = inp(
        "Department signatories", "Who signs for the Department of Public Instruction.", many=True)


class AgrContract(InputModel):
    """Wisconsin Achievement Gap Reduction (AGR) contract (DPI, s. 118.44, Wis. Stats.)."""

    family: Literal["agr"] = "agr"
    parties: Parties = Parties()
    years: ContractYears = ContractYears()
    schools: list[School] = inp(
        "Participating schools", "Each school the contract covers, with its grades, strategies and objectives.",
        many=True)
    notices: Notices = Notices()
    data: DataTerms = DataTerms()
    aid: AidTerms = AidTerms()
    signatories: Signatories = Signatories()
    departures: Departures | None = departures()

    _departures = departures_checked()

    @once
    def figures(self) -> AgrFigures:
        """The derived values (school years, report dates, labels); clauses see them as ``computed``."""
        return AgrFigures.of(self)


def _fig(title: str) -> Any:
    return Field(default=None, title=title)


class ReportDue(InputModel):
    """One school year's two strategy reports (s. 118.44(4)(b)1. and 2.)."""

    school_year: str = Field(title="School year")
    intended_by: date = Field(title="Intended strategies reported by")
    implemented_by: date = Field(title="Implemented strategies reported by")


class SchoolAid(InputModel):
    """One school's amount of aid (PI 24.03(1)), for the clause that states the aid."""

    amount: Decimal | None = Field(default=None, title="Amount of aid")


class AgrFigures(InputModel):
    """Values derived from the inputs: never typed in, always computed."""

    term_years: int | None = _fig("Term in school years")
    school_years: list[str] = Field(default_factory=list, title="School years")
    first_school_year: str | None = _fig("First school year")
    last_school_year: str | None = _fig("Last school year")
    term_start: date | None = _fig("Term starts")
    term_end: date | None = _fig("Term ends")
    reports: list[ReportDue] = Field(default_factory=list, title="Strategy report dates")
    end_participation_deadline: str | None = _fig("Deadline for notice to end participation")
    uses_nwea_map: bool | None = _fig("Uses NWEA MAP")
    uses_tutoring: bool = Field(default=False, title="Uses one-to-one tutoring")
    states_aid: bool = Field(default=False, title="States the amount of aid")
    school_aid: list[SchoolAid] = Field(default_factory=list, title="Amount of aid, by school")
    aid_total: list[Decimal] = Field(default_factory=list, title="Amount of aid to be paid to the school district",
                                     json_schema_extra={"x-unit": "$"})
    """A list so that the review shows "none" when the contract states no aid (and when it cannot be computed)."""

    @classmethod
    def of(cls, contract: AgrContract) -> AgrFigures:
        length = contract.years.stated_length or TERM_YEARS
        first = contract.years.first_school_year
        start = int(first[:4]) if first else None
        years = [f"{y}-{(y + 1) % 100:02d}" for y in range(start, start + length)] if start else []
        offset = contract.notices.end_participation_days_after_june_30
        deadline = None
        if offset is not None:
            day = date(2001, 6, 30) + timedelta(days=offset)
            deadline = f"{day:%B} {day.day}"
        flags = [school.uses_nwea_map for school in contract.schools]
        uses_map = True if any(flags) else (None if None in flags else False)
        rate = contract.aid.per_low_income_pupil
        by_school = [None if rate is None or s.low_income_pupils is None else rate * s.low_income_pupils
                     for s in contract.schools]
        known = [amount for amount in by_school if amount is not None]
        total = sum(known, Decimal(0)) if by_school and len(known) == len(by_school) else None
        return cls(
            term_years=length,
            school_years=years,
            first_school_year=years[0] if years else None,
            last_school_year=years[-1] if years else None,
            term_start=date(start, 7, 1) if start else None,
            term_end=date(start + length, 6, 30) if start else None,
            reports=[ReportDue(school_year=y, intended_by=date(int(y[:4]), 11, 1),
                               implemented_by=date(int(y[:4]) + 1, 6, 1)) for y in years],
            end_participation_deadline=deadline,
            uses_nwea_map=uses_map,
            uses_tutoring=any(Strategy.one_to_one_tutoring.value in g.strategies
                              for s in contract.schools for g in s.grades),
            states_aid=rate is not None,
            school_aid=[SchoolAid(amount=amount) for amount in by_school],
            aid_total=[] if total is None else [total],
        )
