"""The coded values and value types of the Florida SES contract: school years, days of the month, and the
choices Appendix I offers as checkboxes (types of service, locations, report frequencies, incentive bases)
and whether a session length is exact or a minimum.

:mod:`obc_builder.models.ses_inputs` uses them in the input groups.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from ..limits import EARLIEST_DATE, LATEST_DATE
from ..messages import quoted
from .types import refuse_bool


def _check_school_year(value: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{4})", value)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValueError(f"{quoted(value)} is not a school year (write two consecutive years, like 2025-2026)")
    if not EARLIEST_DATE.year <= int(match.group(1)) < LATEST_DATE.year:
        raise ValueError(f"{quoted(value)} is outside the years a contract can cover ({EARLIEST_DATE.year} to "
                         f"{LATEST_DATE.year}); check the year")
    return value


SchoolYear = Annotated[str, AfterValidator(_check_school_year)]
"""A school year written as two consecutive years: ``2025-2026``."""

DayOfMonth = Annotated[int, Field(ge=1, le=28), BeforeValidator(refuse_bool)]
"""A day every month has (1–28)."""


def school_year_start(school_year: str) -> int:
    """The calendar year a school year starts in (2025 for ``2025-2026``)."""
    return int(school_year[:4])


class ServiceType(str, Enum):
    """Type of Service (Section 3.M.V); the contract prints each chosen type."""

    online = "online"
    one_on_one = "one_on_one"
    small_group = "small_group"
    large_group = "large_group"


class Location(str, Enum):
    """Location of Sessions (Section 3.M.V); the contract prints each chosen location."""

    school_campus = "school_campus"
    provider_facility = "provider_facility"
    faith_based_center = "faith_based_center"
    community_based_center = "community_based_center"
    home_online = "home_online"
    child_care_center = "child_care_center"
    public_site = "public_site"
    home_with_tutor = "home_with_tutor"


class SessionLength(str, Enum):
    """Whether sessions last exactly the session length or at least that long (sessions of variable length)."""

    exactly = "exactly"
    at_least = "at_least"


class ReportFrequency(str, Enum):
    """How often progress reports go to a recipient (Section 3.K.II): Weekly, Monthly, or another interval."""

    weekly = "weekly"
    every_two_weeks = "every_two_weeks"
    monthly = "monthly"
    every_six_weeks = "every_six_weeks"
    every_nine_weeks = "every_nine_weeks"


REPORT_INTERVAL_MONTHS = {
    ReportFrequency.weekly.value: Decimal("0.2"),
    ReportFrequency.every_two_weeks.value: Decimal("0.5"),
    ReportFrequency.monthly.value: Decimal("1"),
    ReportFrequency.every_six_weeks.value: Decimal("1.4"),
    ReportFrequency.every_nine_weeks.value: Decimal("2.1"),
}
"""About how many months lie between two reports at each frequency (weeks × 12 / 52, one decimal)."""


class IncentiveBasis(str, Enum):
    """What a student incentive rewards (Section 3.P). The statute allows achievement and attendance only."""

    achievement = "achievement"
    attendance = "attendance"
    enrollment = "enrollment"
    referral = "referral"
