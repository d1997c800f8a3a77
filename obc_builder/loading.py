"""Reading contract inputs from JSON files into the family's model, with errors a user can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import InputError, InvalidInput
from .families import FAMILY_NAMES, get_family
from .messages import predicate


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def errors_from(source: str, error: ValidationError) -> InvalidInput:
    """One ``source: field.path: problem`` line per pydantic error (the family tag left out of the path)."""
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        if loc and loc[0] in FAMILY_NAMES:
            loc = loc[1:]
        problems.append(InputError(source, _location(loc), predicate(item)))  # type: ignore[arg-type]
    return InvalidInput(source, problems)


def contract_from_data(data: Any, source: str) -> BaseModel:
    """Validate already-parsed data as a contract of the family it names."""
    if not isinstance(data, dict):
        raise InputError(source, None, "must hold a JSON object with a \"family\" field")
    family = data.get("family")
    if family not in FAMILY_NAMES:
        known = ", ".join(f'"{name}"' for name in FAMILY_NAMES)
        shown = "is missing" if family is None else f"is {json.dumps(family)}"
        raise InputError(source, "family", f"{shown}; it must be one of {known}")
    try:
        return get_family(family).model.model_validate(data)
    except ValidationError as error:
        raise errors_from(source, error) from error


def load_contract(path: str | Path) -> BaseModel:
    """Read and validate one input file."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is fine
    except FileNotFoundError:
        raise InputError(source, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, None, "is a folder, not a JSON file") from None
    except UnicodeDecodeError:
        raise InputError(source, None, "is not UTF-8 text") from None
    except OSError as error:
        raise InputError(source, None, f"cannot be read ({error.strerror})") from error
    if not text.strip():
        raise InputError(source, None, "is empty; it should hold a contract's JSON (see `obc-builder schema`)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(source, f"line {error.lineno} column {error.colno}", f"invalid JSON: {error.msg}") from error
    return contract_from_data(data, source)
