"""Pydantic errors in plain words: one wording for the wizard's sentences and the files' error lines."""

from __future__ import annotations

from typing import Any

_SUBJECTLESS = ("has ", "is ", "contains ", "must ", "should ", "cannot ", "can ", "needs ")


def sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def predicate(error: dict[str, Any]) -> str:
    """What is wrong, without a subject: 'must be a whole number, like 12'."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    message = str(error.get("msg", "is not valid"))
    known = {
        "greater_than": f"must be more than {ctx.get('gt')}",
        "greater_than_equal": f"must be {ctx.get('ge')} or more",
        "less_than": f"must be less than {ctx.get('lt')}",
        "less_than_equal": f"must be {ctx.get('le')} or less",
        "string_too_short": "cannot be empty",
        "string_too_long": f"can be at most {ctx.get('max_length')} characters long",
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
    "too_short", "date_parsing", "date_from_datetime_parsing", "date_type", "datetime_parsing",
}
