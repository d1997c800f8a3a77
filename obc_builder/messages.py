"""Pydantic errors in plain words: one wording for the wizard's sentences and the files' error lines."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_SUBJECTLESS = ("has ", "is ", "contains ", "must ", "should ", "cannot ", "can ", "needs ")


def entries(number: int) -> str:
    """``1 entry``, ``3 entries``: how many entries a list holds, as the wizard and the review say it."""
    return f"{number} entr{'y' if number == 1 else 'ies'}"


def sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def quoted(value: Any, limit: int = 40) -> str:
    """A value a user typed, shown inside a message: quoted, on one line, at most ``limit`` characters."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    shown = repr(text[:limit])
    return f"{shown[:-1]}…{shown[-1]}"


def location_part(part: int | str) -> str:
    """One step of a field path: a plain key as it is, any other key quoted (a key can hold anything)."""
    text = str(part)
    if re.fullmatch(r"[\w.$-]{1,60}", text):
        return text
    return quoted(text, 60)


def _number(value: Any) -> str:
    """10000000 as 10,000,000 (limits are easier to read with separators); pydantic's Decimal('5') as 5."""
    if isinstance(value, str) and value.startswith("Decimal('") and value.endswith("')"):
        value = Decimal(value[9:-2])
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and abs(Decimal(value)) >= 1_000:
        return f"{value:,}"
    return str(value)


def _length(error: dict[str, Any]) -> str:
    value = error.get("input")
    return f" (this one has {len(value):,})" if isinstance(value, (str, list)) else ""


def predicate(error: dict[str, Any]) -> str:
    """What is wrong, without a subject: 'must be a whole number, like 12'."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    message = str(error.get("msg", "is not valid"))
    known = {
        "greater_than": f"must be more than {_number(ctx.get('gt'))}",
        "greater_than_equal": f"must be {_number(ctx.get('ge'))} or more",
        "less_than": f"must be less than {_number(ctx.get('lt'))}",
        "less_than_equal": f"must be {_number(ctx.get('le'))} or less",
        "string_too_short": "cannot be empty",
        "string_too_long": f"can be at most {_number(ctx.get('max_length'))} characters long{_length(error)}",
        "too_long": f"can hold at most {_number(ctx.get('max_length'))} entries{_length(error)}",
        "string_type": "must be text, in quotes",
        "string_unicode": "contains a \\ud800-style escape that is half of a character pair; remove it",
        "list_type": "must be a list of entries, in [ ]",
        "model_type": "must be a group of fields, in { }",
        "model_attributes_type": "must be a group of fields, in { }",
        "dict_type": "must be a group of fields, in { }",
        "bool_type": "must be yes or no (true or false)",
        "int_parsing_size": "must be a whole number of sensible size, like 12",
        "enum": f"must be one of {ctx.get('expected')}",
        "literal_error": f"must be one of {ctx.get('expected')}",
        "decimal_max_places": "has too many digits after the decimal point",
        "decimal_max_digits": "has too many digits after the decimal point",
        "bool_parsing": "must be yes or no",
        "too_short": f"needs at least {ctx.get('min_length')} entries",
        "extra_forbidden": "is not a known field (check the spelling against `obc-builder schema`)",
        "missing": "is required",
    }
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):  # a text's length
        kind = f"string_{kind}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number, like 12"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"):
        return "must be a number, like 12.5"
    if kind.startswith(("date_", "datetime_")):
        return "must be a date, written like 2025-09-08 (year-month-day) or 9/8/2025 (month/day/year)"
    if kind in known:
        return known[kind]
    return message[:1].lower() + message[1:]


def plain_problem(error: dict[str, Any], title: str) -> str:
    """One sentence a non-programmer can act on, for one pydantic error about the input titled ``title``."""
    kind = str(error.get("type", ""))
    text = predicate(error)
    if kind == "extra_forbidden":
        return f"{title} is not a question of this contract."
    if kind == "value_error" and not text.startswith(_SUBJECTLESS):
        return sentence(text)
    if text.startswith(_SUBJECTLESS) or kind != "value_error" and kind in _PREDICATE_KINDS:
        return sentence(f"{title} {text}")
    return sentence(f"{title}: {text}")


_PREDICATE_KINDS = {
    "int_parsing", "int_type", "int_from_float", "decimal_parsing", "decimal_type", "float_parsing", "float_type",
    "finite_number", "greater_than", "greater_than_equal", "less_than", "less_than_equal", "string_too_short",
    "string_too_long", "enum", "literal_error", "decimal_max_places", "decimal_max_digits", "bool_parsing",
    "too_short", "too_long", "string_type", "string_unicode", "list_type", "model_type", "model_attributes_type",
    "dict_type",
    "bool_type", "int_parsing_size", "date_parsing", "date_from_datetime_parsing", "date_type", "datetime_parsing",
}
