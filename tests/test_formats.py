"""Formats a help text describes are enforced by the model: a JSON file gets the same check as a typed answer.

Each refusal is one sentence saying what is wrong; each accepted form is stored in one canonical form.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from obc_builder.errors import InvalidInput
from obc_builder.families import get_family
from obc_builder.loading import contract_from_data
from obc_builder.models.types import MONTHS, iso_date_text, month_number
from obc_builder.schemas import input_schema
from obc_builder.wizard.prompts import INSTRUCTIONS
from obc_builder.wizard.questions import Kind


def refusal(family: str, group: str, field: str, typed: Any) -> str:
    """The one-line refusal of ``typed`` in ``group.field``, without the source and the field's path."""
    with pytest.raises(InvalidInput) as caught:
        contract_from_data({"family": family, group: {field: typed}}, "x")
    line = str(caught.value)
    assert "\n" not in line
    prefix = f"x: {group}.{field}: "
    assert line.startswith(prefix), line
    return line.removeprefix(prefix)


def stored(family: str, group: str, field: str, typed: Any) -> Any:
    contract = contract_from_data({"family": family, group: {field: typed}}, "x")
    return getattr(getattr(contract, group), field)


# ---------------------------------------------------------------- 1. money

@pytest.mark.parametrize(("typed", "amount"), [
    ("1250", "1250"), ("1,250", "1250"), ("$1,250.50", "1250.50"), ("1250.5", "1250.5"), (" $ 1,250 ", "1250"),
    ("$1,234,567.89", "1234567.89"), ("0.10", "0.10"), ("$0", "0"), ("12.", "12"),
])
def test_money_reads_what_people_type(typed: str, amount: str) -> None:
    assert stored("hdt", "rate_card", "base_cap", typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["$1,2,3", "12,50", "1,25,000", "1,250,5", "1,2345", ",125", "$12,50.00"])
def test_money_refuses_misplaced_thousands_separators(typed: str) -> None:
    assert refusal("hdt", "rate_card", "base_cap", typed) == (
        f"{typed!r} is not an amount of money: commas go between groups of three digits (write it like 1250 or "
        "$1,250.50)")


@pytest.mark.parametrize("typed", ["$$5", "$5$", "$1,250 $"])
def test_money_refuses_more_than_one_dollar_sign(typed: str) -> None:
    assert refusal("ses", "fees", "per_session_fee", typed) == (
        f"{typed!r} is not an amount of money: it has more than one dollar sign (write it like 1250 or $1,250.50)")


@pytest.mark.parametrize("typed", ["lots", "NaN", "Infinity", "1e3", "1 250", "12.5.0", "$", ".", "USD 5", "5$",
                                   "--5", "١٢٣"])
def test_money_refuses_other_junk(typed: str) -> None:
    assert refusal("agr", "aid", "per_low_income_pupil", typed) == (
        f"{typed!r} is not an amount of money (write it like 1250 or $1,250.50)")


def test_a_negative_amount_is_read_and_then_refused_for_its_sign() -> None:
    assert refusal("hdt", "rate_card", "base_cap", "-$5") == "must be 0 or more"


# ---------------------------------------------------------------- 2. ZIP code, phone, EIN, county

def _ses_input(path: str, typed: Any) -> dict[str, Any]:
    """An SES input holding only ``typed`` at ``path`` (dotted from the contract's top)."""
    steps = path.split(".")
    data: dict[str, Any] = {"family": "ses"}
    node = data
    for step in steps[:-1]:
        node = node.setdefault(step, {})
    node[steps[-1]] = typed
    return data


def ses_value(path: str, typed: Any) -> Any:
    """``typed`` read into the SES field at ``path`` (dotted from the contract's top)."""
    value: Any = contract_from_data(_ses_input(path, typed), "x")
    for step in path.split("."):
        value = getattr(value, step)
    return value


def ses_refusal(path: str, typed: Any) -> str:
    with pytest.raises(InvalidInput) as caught:
        contract_from_data(_ses_input(path, typed), "x")
    line = str(caught.value)
    assert line.startswith(f"x: {path}: "), line
    return line.removeprefix(f"x: {path}: ")


ZIP = "parties.provider_address.zip_code"
PHONES = ("parties.provider_phone", "parties.provider_notice.phone")
TAX_ID = "parties.provider_tax_id"
COUNTIES = ("parties.county", "general.venue_county")


@pytest.mark.parametrize(("typed", "kept"), [("32301", "32301"), ("32301-1234", "32301-1234"),
                                             ("323011234", "32301-1234"), (" 32301 ", "32301")])
def test_a_zip_code_is_five_digits_or_zip_plus_4(typed: str, kept: str) -> None:
    assert ses_value(ZIP, typed) == kept


@pytest.mark.parametrize("typed", ["3230", "323011", "32301-12", "ABCDE", "32301 1234", "Tallahassee"])
def test_a_zip_code_of_another_shape_is_refused(typed: str) -> None:
    assert ses_refusal(ZIP, typed) == (
        f"{typed!r} is not a ZIP code: write five digits, like 32301, or ZIP+4, like 32301-1234")


@pytest.mark.parametrize("path", PHONES)
@pytest.mark.parametrize("typed", ["(850) 555-0142", "850-555-0142", "850.555.0142", "8505550142", "(850)555-0142",
                                   "850 555 0142", "+1 850 555 0142", "+1 (850) 555-0142", "+18505550142",
                                   "1-850-555-0142"])
def test_a_phone_number_is_stored_formatted(path: str, typed: str) -> None:
    assert ses_value(path, typed) == "(850) 555-0142"


@pytest.mark.parametrize("path", PHONES)
@pytest.mark.parametrize("typed", ["call the office", "555-0142", "850-555-01423", "(850) 555-0142 x12",
                                   "+44 20 7946 0958", "850--555-0142"])
def test_a_phone_number_that_is_not_ten_digits_is_refused(path: str, typed: str) -> None:
    assert ses_refusal(path, typed) == (
        f"{typed!r} is not a phone number: write the 10 digits of a US number, like (850) 555-0142 or 850-555-0142")


@pytest.mark.parametrize("typed", ["59-3412876", "593412876", " 59-3412876 "])
def test_a_tax_id_is_an_ein_stored_as_two_and_seven_digits(typed: str) -> None:
    assert ses_value(TAX_ID, typed) == "59-3412876"


@pytest.mark.parametrize("typed", ["12345", "593-412876", "59-341287", "5934128760", "EIN 59-3412876"])
def test_a_tax_id_that_is_not_an_ein_is_refused(typed: str) -> None:
    assert ses_refusal(TAX_ID, typed) == (
        f"{typed!r} is not an employer identification number (EIN): write its 9 digits, like 59-3412876")


@pytest.mark.parametrize("path", COUNTIES)
def test_a_county_is_named_without_the_word_county(path: str) -> None:
    assert ses_value(path, "Miami-Dade") == "Miami-Dade"
    assert ses_value(path, "Countyline") == "Countyline"  # the word, not the letters
    assert ses_refusal(path, "Sunshine County") == (
        "'Sunshine County': the contract adds the word 'County' itself, so leave out the word 'County': write "
        "Sunshine")
    assert ses_refusal(path, "st. lucie county").endswith("leave out the word 'County': write st. lucie")


def test_the_hdt_venue_county_has_the_same_rule() -> None:
    assert refusal("hdt", "provisions", "venue_county", "Leon County").endswith(
        "leave out the word 'County': write Leon")
    assert stored("hdt", "provisions", "venue_county", "Leon") == "Leon"


def test_the_notice_city_state_and_zip_ends_with_a_zip_code() -> None:
    path = "parties.provider_notice.city_state_zip"
    assert ses_value(path, "Orlando, FL 32853") == "Orlando, FL 32853"
    assert ses_value(path, "Orlando, FL 328531234") == "Orlando, FL 32853-1234"
    assert ses_refusal(path, "Orlando, FL") == (
        "'Orlando, FL' does not end with a ZIP code: write the city, state and ZIP code, like Orlando, FL 32801")


def test_an_empty_format_answer_is_refused_as_empty() -> None:
    assert ses_refusal(ZIP, "") == "cannot be empty"
    assert ses_refusal(TAX_ID, "  ") == "cannot be empty"


def test_every_help_that_describes_a_format_has_a_format_type() -> None:
    """A help text that speaks of a ZIP code, a phone, an EIN or leaving out 'County' belongs to a checked type."""
    checked = {"ZipCode", "Phone", "TaxId", "County", "CityStateZip", "State", "Month"}
    from .test_hostile import _fields

    for family in ("hdt", "ses", "agr"):
        for path, info in _fields(get_family(family).model):
            help_text = f"{info.title} {info.description}".lower()
            if re.search(r"\bzip\b|\bphone\b|\(ein\)|word 'county'", help_text):
                annotation = str(info.annotation)
                assert any(name in annotation for name in checked) or "_parse_" in annotation \
                    or "_state_name" in annotation, (family, path, annotation)


# ---------------------------------------------------------------- 3. dates

@pytest.mark.parametrize("typed", ["2025-09-08", "9/8/2025", "09/08/2025", "2025-9-8", "September 8, 2025",
                                   "Sept. 8, 2025", "Sep 8 2025", "sep 8, 2025", "SEPTEMBER 8 2025",
                                   " Sept 8,2025 "])
def test_dates_read_as_the_contract_prints_them_too(typed: str) -> None:
    assert stored("hdt", "dates", "service_start", typed) == date(2025, 9, 8)
    assert iso_date_text(typed) == "2025-09-08"  # what the wizard saves


@pytest.mark.parametrize(("typed", "problem"), [
    ("2025-02-30", "'2025-02-30' is not a date: February 2025 has no 30th day"),
    ("2/30/2025", "'2/30/2025' is not a date: February 2025 has no 30th day"),
    ("2025-02-29", "'2025-02-29' is not a date: February 2025 has no 29th day (it is not a leap year)"),
    ("2100-02-29", "'2100-02-29' is not a date: February 2100 has no 29th day (it is not a leap year)"),
    ("2025-04-31", "'2025-04-31' is not a date: April 2025 has no 31st day"),
    ("June 31, 2025", "'June 31, 2025' is not a date: June 2025 has no 31st day"),
    ("Nov 32 2025", "'Nov 32 2025' is not a date: November 2025 has no 32nd day"),
    ("2025-13-01", "'2025-13-01' is not a date: there is no month 13 (months are 1 to 12; 9/8/2025 is September 8)"),
    ("13/8/2025", "'13/8/2025' is not a date: there is no month 13 (months are 1 to 12; 9/8/2025 is September 8)"),
    ("2025-01-00", "'2025-01-00' is not a date: there is no day 0 of a month"),
    ("0000-01-01", "is 0000-01-01, outside the years a contract can cover (1990-01-01 to 2100-12-31); check the "
                   "year"),
])
def test_a_day_the_month_does_not_have_is_named(typed: str, problem: str) -> None:
    assert refusal("hdt", "dates", "service_start", typed) == problem


def test_a_leap_day_is_a_date() -> None:
    assert stored("hdt", "dates", "service_start", "Feb 29, 2024") == date(2024, 2, 29)
    assert stored("hdt", "dates", "service_start", "2000-02-29") == date(2000, 2, 29)


@pytest.mark.parametrize("typed", ["first of July", "Foo 8, 2025", "8 September 2025", "2025/09/08", "9-8-2025",
                                   ["2025-09-08"]])
def test_an_unreadable_date_is_told_every_form(typed: Any) -> None:
    assert refusal("ses", "term", "contract_date", typed) == (
        "must be a date, written like 2025-09-08 (year-month-day), 9/8/2025 (month/day/year) or September 8, 2025 "
        "(also Sept. 8, 2025 or Sep 8 2025)")


def test_the_wizard_hint_names_the_written_out_form() -> None:
    hint = INSTRUCTIONS[Kind.date]
    assert "9/8/2025" in hint and "2025-09-08" in hint and "Sep 8, 2025" in hint
    assert iso_date_text("Sep 8, 2025") == "2025-09-08"


# ---------------------------------------------------------------- 4. a month accepts only a month

def month_of(typed: Any) -> dict[str, Any]:
    return {"family": "hdt", "rate_card": {"base_timetable": [{"month": typed}]}}


@pytest.mark.parametrize("typed", ["Sep", "Sept.", "Sept", "September", "sep", "SEPTEMBER", "May", "Jun.", "febr"])
def test_a_month_is_a_name_or_an_abbreviation_kept_as_typed(typed: str) -> None:
    contract = contract_from_data(month_of(typed), "x")
    assert contract.rate_card.base_timetable[0].month == typed  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["116", "Se", "Septembre", "Month 9", "9", "Sep 2025", "Spt"])
def test_anything_else_is_not_a_month(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        contract_from_data(month_of(typed), "x")
    assert str(caught.value) == f"x: rate_card.base_timetable.0.month: {typed!r} is not a month: write it like Sep or " \
                                "September"


def test_month_number_lives_in_the_models_and_the_rule_uses_it() -> None:
    from obc_builder.rules import hdt_dates

    assert hdt_dates.month_number is month_number
    assert [month_number(m) for m in ("Jan", "Sept.", "december", "Mar.")] == [1, 9, 12, 3]
    assert month_number("Ma") is None and month_number("9") is None and len(MONTHS) == 12


# ---------------------------------------------------------------- schemas: patterns for editors

@pytest.mark.parametrize(("family", "group", "field", "good", "bad"), [
    ("hdt", "RateCard", "base_cap", ["$1,250.50", " $ 1,250 ", "1250.5", 1250], ["$1,2,3", "lots"]),
    ("hdt", "Dates", "service_start", ["2025-09-08", "9/8/2025", "September 8, 2025", "Sep 8 2025"],
     ["first of July", "2025/09/08"]),
    ("hdt", "BaseMonth", "month", ["Sep", "Sept.", "September"], ["116"]),
    ("ses", "Address", "zip_code", ["32301", "32301-1234"], ["3230"]),
    ("ses", "Parties", "provider_phone", ["(850) 555-0142", "850.555.0142", "+1 850-555-0142"], ["call the office"]),
    ("ses", "Parties", "provider_tax_id", ["59-3412876", "593412876"], ["12345"]),
])
def test_the_schema_pattern_matches_what_the_model_reads(family: str, group: str, field: str, good: list[Any],
                                                         bad: list[Any]) -> None:
    schema = input_schema(family)
    definitions = schema["$defs"]
    property_schema = {**definitions[group]["properties"][field], "$defs": definitions}
    validator = jsonschema.Draft202012Validator(property_schema)
    for value in good:
        assert validator.is_valid(value), value
    for value in bad:
        assert not validator.is_valid(value), value
    assert '"format": "date"' not in json.dumps(schema)  # an editor would flag 9/8/2025, which the model reads
