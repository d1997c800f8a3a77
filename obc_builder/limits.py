"""Every limit obc-builder puts on its inputs, in one place, each with the reason for its value.

The input models (``models/base.py``), the JSON loader (``loading.py``) and the policy loader (``policy.py``)
read these names; ``docs/limits.md`` explains them to a reader who does not read code. A limit is set far
beyond any real contract, so that only a mistake or a hostile file ever meets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MAX_MONEY = Decimal("10000000000")
"""$10 billion: more than the largest US school district spends in a year; a tutoring contract is far less."""

MONEY_PLACES = 2
"""Dollars and cents: a contract cannot pay a fraction of a cent."""

PERCENT_PLACES = 2
"""A percentage to the hundredth (85.25 %) is finer than any contract term needs."""

MAX_COUNT = 10_000_000
"""Students, sessions, days, weeks: no US district has ten million students, nor a contract as many sessions."""

MAX_NUMBER_DIGITS = 30
"""Digits of any number in an input file (and how far its decimal point may move): 30 digits hold any figure
above with room to spare, and refusing longer numbers before they are converted keeps a file of a number with
millions of digits from tying the program up."""

EARLIEST_DATE = date(1990, 1, 1)
"""No contract this tool writes was made before 1990 (the oldest template it follows is from 2001)."""

LATEST_DATE = date(2100, 12, 31)
"""No contract made now runs past 2100; a later year is a typing mistake (9999, 20225)."""

MAX_TERM_YEARS = 10
"""The longest a contract may span: AGR contracts run five school years, SES and HDT contracts one or two."""

MAX_FILE_BYTES = 5 * 1024 * 1024
"""5 MB for an input file: the largest sample is under 10 KB; refused before it is read."""

MAX_DEPTH = 32
"""Arrays and objects nested inside one another: a contract nests at most 6 deep; refused before parsing."""

MAX_LINE_TEXT = 1_000
"""Characters of a one-line answer (a name, an address, a statement of who is tutored): about 15 lines of a page."""

MAX_MULTILINE_TEXT = 20_000
"""Characters of a multi-line answer (a background paragraph, a baseline narrative): about six pages."""

MAX_ITEMS = 1_000
"""Entries in any list (schools, outcomes, milestones): a district with more than 1,000 schools does not exist."""

MAX_POLICY_BYTES = 64 * 1024
"""64 KB for a district policy file: every policy key with a comment on each fits in under 5 KB."""

MAX_POLICY_DAYS = 365
"""A policy period counted in days (including business days) is at most a year."""


@dataclass(frozen=True)
class PolicyRange:
    """What a policy value may be, given its unit: from ``low`` to ``high``, with at most ``places`` decimals."""

    low: Decimal
    high: Decimal
    places: int
    what: str

    def describe(self) -> str:
        kind = "a whole number of" if self.places == 0 else "a number of"
        if self.what in ("%", "$"):
            shown = {"%": ("a percentage", "", "%"), "$": ("an amount", "$", "")}[self.what]
            noun, before, after = shown
            return f"{noun} from {before}{self.low:,}{after} to {before}{self.high:,}{after}"
        return f"{kind} {self.what} from {self.low:,} to {self.high:,}"


def _range(low: int | str, high: int | str | Decimal, places: int, what: str) -> PolicyRange:
    return PolicyRange(Decimal(low), Decimal(high), places, what)


_UNIT_RANGES = {
    "%": _range(0, 100, PERCENT_PLACES, "%"),
    "$": _range(0, MAX_MONEY, MONEY_PLACES, "$"),
    "days": _range(0, MAX_POLICY_DAYS, 0, "days"),
    "days after": _range(-MAX_POLICY_DAYS, MAX_POLICY_DAYS, 0, "days"),
    "weeks": _range(0, 52, 0, "weeks"),
    "month": _range(0, 12, 1, "months"),
    "month number": _range(1, 12, 0, "months (1 is January)"),
    "years": _range(0, 50, 0, "years"),
    "hours": _range(0, 168, 0, "hours"),
}


def policy_range(unit: str) -> PolicyRange:
    """The range a policy value in ``unit`` allows (units as the families' ``POLICY`` rows write them).

    "%" is 0–100, "$" up to :data:`MAX_MONEY`; days (calendar or business) 0–365, or -365–365 when counted
    "days after" a date; weeks 0–52; months 0–12 (one decimal: reports every six weeks are 1.4 months apart);
    a month number 1–12; years 0–50; hours 0–168 (a week); anything else counted (goals, students) is a whole
    number up to :data:`MAX_COUNT`.
    """
    words = unit.replace("(s)", "s").strip("() ").split()
    if unit in _UNIT_RANGES:
        return _UNIT_RANGES[unit]
    if "month number" in unit:
        return _UNIT_RANGES["month number"]
    if "after" in words and "days" in words:
        return _UNIT_RANGES["days after"]
    for word in words:
        key = "month" if word.startswith("month") else word
        if key in _UNIT_RANGES:
            return _UNIT_RANGES[key]
    return _range(0, MAX_COUNT, 0, words[-1] if words else "units")
