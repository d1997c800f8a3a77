"""The value types every family's inputs share: text, money, percentages, counts and dates, and the formats a
help text describes (ZIP code, phone, tax id, county, month), each read from the forms people type and stored
in one canonical form, with one sentence when it cannot be read."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue

from ..limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_COUNT,
    MAX_LINE_TEXT,
    MAX_MONEY,
    MAX_MULTILINE_TEXT,
    MONEY_PLACES,
    PERCENT_PLACES,
)
from ..messages import quoted

# XML 1.0 forbids these; Word and LibreOffice refuse a file that holds one.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Half of a UTF-16 pair on its own (JSON's "\ud800") is no character at all: no file can be written with it.
_SURROGATES = re.compile("[\ud800-\udfff]")


def _check_text(value: str) -> str:
    match = _FORBIDDEN_CHARS.search(value)
    if match:
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X}, which a Word document cannot hold; "
            "remove it"
        )
    match = _SURROGATES.search(value)
    if match:
        raise ValueError(f"contains U+{ord(match.group()):04X}, half of a character pair without its other half; "
                         "remove it")
    return value


def refuse_bool(value: Any) -> Any:
    """JSON's true and false are not 1 and 0: ``"students": true`` is a mistake, not one student."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


# An amount as typed: a sign, one dollar sign, then digits (commas only between groups of three) and cents.
_MONEY_TEXT = r"-?\s*\$?\s*-?(?:(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)"
_MONEY = re.compile(_MONEY_TEXT)
_DIGITS_AND_COMMAS = re.compile(r"-?\s*\$?\s*-?[0-9,]*[0-9][0-9,]*(?:\.[0-9]*)?")
_MONEY_FORMS = "(write it like 1250 or $1,250.50)"


def money_text(text: str) -> Decimal:
    """``1250``, ``1,250``, ``$1,250.50`` or `` $ 1,250 `` as a Decimal; a ValueError says what is wrong."""
    cleaned = text.strip()
    if cleaned.count("$") > 1:
        raise ValueError(f"{quoted(text)} is not an amount of money: it has more than one dollar sign {_MONEY_FORMS}")
    if _MONEY.fullmatch(cleaned) and cleaned.count("-") <= 1:
        return Decimal(re.sub(r"[\s$,]", "", cleaned))
    if "," in cleaned and _DIGITS_AND_COMMAS.fullmatch(cleaned):
        raise ValueError(f"{quoted(text)} is not an amount of money: commas go between groups of three digits "
                         f"{_MONEY_FORMS}")
    raise ValueError(f"{quoted(text)} is not an amount of money {_MONEY_FORMS}")


def _parse_money(value: Any) -> Any:
    value = refuse_bool(value)
    if isinstance(value, str):
        value = money_text(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal) and value.is_zero():
        value = value.copy_abs()  # "-0" is no amount a contract can owe; it prints as $0
    return value


def _parse_percent(value: Any) -> Any:
    value = refuse_bool(value)
    if isinstance(value, str):
        cleaned = value.strip().rstrip("%").strip()
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"{quoted(value)} is not a percentage (write it like 80 or 80%)") from None
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _places(places: int) -> Any:
    words = {1: "one decimal place", 2: "two decimal places"}

    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("must be a finite number")
        if value.as_tuple().exponent < -places:  # type: ignore[operator]
            raise ValueError(f"has more than {words.get(places, f'{places} decimal places')}")
        return value

    return AfterValidator(check)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def month_number(text: str) -> int | None:
    """1–12 for a month's name or its abbreviation of three letters or more, any case, with or without a
    period ("Sep", "Sept.", "september"); else ``None``."""
    word = text.strip().lower().removesuffix(".")
    if len(word) < 3 or not word.isalpha():
        return None
    return next((i + 1 for i, name in enumerate(MONTHS) if name.lower().startswith(word)), None)


_US_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# As the contract prints a date (September 8, 2025), or abbreviated: Sept. 8, 2025 or Sep 8 2025.
_NAMED_DATE = re.compile(r"([A-Za-z]+\.?)\s*([0-9]{1,2})\s*(?:,\s*|\s+)([0-9]{4})")


def iso_date_text(text: str) -> str | None:
    """``9/8/2025`` (month/day/year, as US districts write dates), ``2025-9-8`` or ``September 8, 2025`` (also
    ``Sept. 8, 2025``, ``Sep 8 2025``) as ``2025-09-08``; ``None`` for text in none of these forms. The text is
    not checked for a real day: ``2/30/2025`` gives ``2025-02-30``."""
    text = text.strip()
    if match := _US_DATE.fullmatch(text):
        month, day, year = match.groups()
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif (match := _NAMED_DATE.fullmatch(text)) and (number := month_number(match.group(1))):
        month, day, year = str(number), match.group(2), match.group(3)
    else:
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}"


_DATE_FORMS = ("written like 2025-09-08 (year-month-day), 9/8/2025 (month/day/year) or September 8, 2025 "
               "(also Sept. 8, 2025 or Sep 8 2025)")
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(number: int) -> str:
    return f"{number}{'th' if 10 <= number % 100 <= 20 else _ORDINAL.get(number % 10, 'th')}"


def _real_date(typed: str, iso: str) -> date:
    """The day ``iso`` (``YYYY-MM-DD``, read from ``typed``) names, or a ValueError saying why there is none."""
    year, month, day = (int(part) for part in iso.split("-"))
    if year < 1:
        raise ValueError(f"is {iso}, outside the years a contract can cover ({EARLIEST_DATE.isoformat()} to "
                         f"{LATEST_DATE.isoformat()}); check the year")
    if not 1 <= month <= 12:
        raise ValueError(f"{quoted(typed)} is not a date: there is no month {month} (months are 1 to 12; "
                         "9/8/2025 is September 8)")
    if day < 1:
        raise ValueError(f"{quoted(typed)} is not a date: there is no day 0 of a month")
    last = calendar.monthrange(year, month)[1]
    if day > last:
        leap = " (it is not a leap year)" if month == 2 and day == 29 else ""
        raise ValueError(f"{quoted(typed)} is not a date: {MONTHS[month - 1]} {year} has no {_ordinal(day)} "
                         f"day{leap}")
    return date(year, month, day)


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        iso = iso_date_text(value)
        if iso is None:
            raise ValueError(f"must be a date, {_DATE_FORMS}")
        return _real_date(value, iso)
    if isinstance(value, (bool, int, float, Decimal)):  # pydantic would read a number as seconds since 1970
        raise ValueError(f"must be a date, {_DATE_FORMS}, not a number")
    if not isinstance(value, date):
        raise ValueError(f"must be a date, {_DATE_FORMS}")
    return value


def _date_in_range(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"is {value.isoformat()}, outside the years a contract can cover "
                         f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}); check the year")
    return value


@dataclass(frozen=True)
class _TextPattern:
    """The JSON Schema of a non-text type (a number, a date) typed as text in any of several forms: its text
    branch carries ``pattern``, matching every form the type reads, instead of a ``format`` that matches one."""

    pattern: str

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        for branch in [schema, *schema.get("anyOf", [])]:
            if branch.get("type") == "string":
                branch.pop("format", None)
                branch["pattern"] = self.pattern
        return schema


Text = Annotated[str, Field(min_length=1, max_length=MAX_LINE_TEXT), AfterValidator(_check_text)]
"""Free text typed by a user: stripped, not empty, no characters a Word document cannot hold, one line's length."""

LongText = Annotated[str, Field(min_length=1, max_length=MAX_MULTILINE_TEXT), AfterValidator(_check_text)]
"""Free text of several paragraphs; declare its field with ``inp(..., multiline=True)``."""

Money = Annotated[Decimal, Field(ge=0, le=MAX_MONEY), BeforeValidator(_parse_money), _places(MONEY_PLACES),
                  _TextPattern(rf"^\s*{_MONEY_TEXT}\s*$")]
"""An exact amount in US dollars (never a float), at most :data:`~obc_builder.limits.MAX_MONEY`."""

Percent = Annotated[Decimal, Field(ge=0, le=100), BeforeValidator(_parse_percent), _places(PERCENT_PLACES)]
"""A percentage from 0 to 100 (80 means 80 %)."""

# Constraints come first in each type, so that they reach the JSON Schema as minimum/maximum/maxLength.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT), BeforeValidator(refuse_bool)]
PositiveCount = Annotated[int, Field(gt=0, le=MAX_COUNT), BeforeValidator(refuse_bool)]
_DATE_PATTERN = (r"^\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"
                 r"|[A-Za-z]{3,9}\.?\s*[0-9]{1,2}\s*(,\s*|\s+)[0-9]{4})\s*$")
Date = Annotated[date, BeforeValidator(_parse_date), AfterValidator(_date_in_range), _TextPattern(_DATE_PATTERN)]
"""A date: 2025-09-08, 9/8/2025 (month/day/year) or September 8, 2025, between 1990 and 2100."""


# Formats a help text describes, as types every family shares. Each reads its input forms before the text
# constraints apply (so the refusal is its own sentence), stores one canonical form, and shows editors a JSON
# Schema pattern that matches every form it accepts (but County: "not ending in County" needs a lookahead, which
# pydantic's pattern engine lacks). Empty text is left to "cannot be empty".
def _one_line(pattern: str) -> Any:
    return Field(min_length=1, max_length=MAX_LINE_TEXT, pattern=pattern)


def _typed(value: Any) -> str | None:
    """The text to check, or ``None`` for a value the text constraints refuse anyway (a number, empty text)."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _parse_month(value: Any) -> Any:
    text = _typed(value)
    if text is not None and month_number(text) is None:
        raise ValueError(f"{quoted(value)} is not a month: write it like Sep or September")
    return text if text is not None else value


ZIP = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?")
"""A ZIP code: five digits, or ZIP+4 with or without its hyphen (the two groups)."""


def _parse_zip(value: Any) -> Any:
    text = _typed(value)
    if text is None:
        return value
    if not (match := ZIP.fullmatch(text)):
        raise ValueError(f"{quoted(value)} is not a ZIP code: write five digits, like 32301, or ZIP+4, like "
                         "32301-1234")
    return "-".join(part for part in match.groups() if part)


def _parse_city_state_zip(value: Any) -> Any:
    text = _typed(value)
    if text is None:
        return value
    words = text.rsplit(None, 1)
    if len(words) < 2 or not ZIP.fullmatch(words[1]):
        raise ValueError(f"{quoted(value)} does not end with a ZIP code: write the city, state and ZIP code, like "
                         "Orlando, FL 32801")
    return f"{words[0]} {_parse_zip(words[1])}"


_PHONE = re.compile(r"(?:\+?1[\s.-]?)?(?:\(([0-9]{3})\)\s?|([0-9]{3})[\s.-]?)([0-9]{3})[\s.-]?([0-9]{4})")


def _parse_phone(value: Any) -> Any:
    text = _typed(value)
    if text is None:
        return value
    if not (match := _PHONE.fullmatch(text)):
        raise ValueError(f"{quoted(value)} is not a phone number: write the 10 digits of a US number, like "
                         "(850) 555-0142 or 850-555-0142")
    area, area_plain, exchange, line = match.groups()
    return f"({area or area_plain}) {exchange}-{line}"


_EIN = re.compile(r"([0-9]{2})-?([0-9]{7})")


def _parse_tax_id(value: Any) -> Any:
    text = _typed(value)
    if text is None:
        return value
    if not (match := _EIN.fullmatch(text)):
        raise ValueError(f"{quoted(value)} is not an employer identification number (EIN): write its 9 digits, "
                         "like 59-3412876")
    return "-".join(match.groups())


def _parse_county(value: Any) -> Any:
    text = _typed(value)
    if text is not None and (match := re.fullmatch(r"(.*?)\s*\bcounty", text, re.IGNORECASE | re.DOTALL)):
        name = match.group(1).strip()
        raise ValueError(f"{quoted(value)}: the contract adds the word 'County' itself, so leave out the word "
                         f"'County': write {name or 'the name alone'}")
    return value


_ZIP_PATTERN = r"[0-9]{5}(-?[0-9]{4})?\s*$"
_PHONE_PATTERN = r"^\s*(\+?1[\s.-]?)?(\([0-9]{3}\)\s?|[0-9]{3}[\s.-]?)[0-9]{3}[\s.-]?[0-9]{4}\s*$"

Month = Annotated[str, _one_line(r"^\s*[A-Za-z]{3,9}\.?\s*$"), BeforeValidator(_parse_month),
                  AfterValidator(_check_text)]
"""A month's name or its abbreviation (Sep, Sept., September), any case; kept as typed."""

ZipCode = Annotated[str, _one_line(r"^\s*" + _ZIP_PATTERN), BeforeValidator(_parse_zip)]
"""A US ZIP code: five digits (32301) or ZIP+4 (32301-1234, also typed 323011234)."""

CityStateZip = Annotated[str, _one_line(r"\s" + _ZIP_PATTERN), BeforeValidator(_parse_city_state_zip),
                         AfterValidator(_check_text)]
"""City, state and ZIP code on one line, ending with the ZIP code: Orlando, FL 32801."""

Phone = Annotated[str, _one_line(_PHONE_PATTERN), BeforeValidator(_parse_phone)]
"""A US phone number of 10 digits, optionally after +1: (850) 555-0142, 850-555-0142, 850.555.0142 or 8505550142,
stored as (850) 555-0142."""

TaxId = Annotated[str, _one_line(r"^\s*[0-9]{2}-?[0-9]{7}\s*$"), BeforeValidator(_parse_tax_id)]
"""A federal employer identification number (EIN): 9 digits, typed 593412876 or 59-3412876, stored as 59-3412876."""

County = Annotated[str, Field(min_length=1, max_length=MAX_LINE_TEXT), BeforeValidator(_parse_county),
                   AfterValidator(_check_text)]
"""A county's name without the word "County", which the contract adds: Sunshine, for Sunshine County."""


# What may follow a name after a comma and still be the name ("John Smith, Jr., Principal").
_NAME_SUFFIX = re.compile(r"(jr|sr|i{2,3}|iv|v|ph\.?\s?d|ed\.?\s?d|esq|m\.?\s?d|j\.?\s?d|cpa)\.?", re.IGNORECASE)


def split_name_title(line: str) -> tuple[str, str]:
    """A person written "name, title" on one line, the way a signature block reads ("Dr. Maria Alvarez,
    Superintendent"; "John Smith, Jr., Principal"), as its name and title; ``ValueError`` with one sentence when
    the line holds no title."""
    parts = [part.strip() for part in " ".join(line.split()).split(",")]
    name, rest = parts[0], parts[1:]
    while rest and _NAME_SUFFIX.fullmatch(rest[0]):
        name, rest = f"{name}, {rest[0]}", rest[1:]
    title = ", ".join(rest).strip(" ,")
    if not name or not title:
        raise ValueError(f"{quoted(line)} needs a name and a title: write the name, a comma, then the title, like "
                         "“Denise Carter, President”")
    return name, title
