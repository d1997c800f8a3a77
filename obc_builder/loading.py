"""Reading contract inputs from JSON files into the family's model, with errors a user can act on.

Before the model sees a file, the file itself is checked: a regular file (or standard input) of at most
:data:`~obc_builder.limits.MAX_FILE_BYTES`, UTF-8, nested at most :data:`~obc_builder.limits.MAX_DEPTH` deep,
no key twice in one object, and every number finite and of sensible length. Each refusal is one line naming
the file and where in it.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import InputError, InvalidInput
from .families import FAMILY_NAMES, get_family
from .inputfiles import decode_text, read_file, read_stream
from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS
from .messages import location_part, predicate, quoted

STDIN = "-"
"""The path that means standard input (``obc-builder validate -``)."""

STDIN_SOURCE = "<stdin>"

SCHEMA_KEY = "$schema"
"""A top-level key editors use to find a file's JSON Schema; obc-builder ignores it."""


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(location_part(part) for part in loc) or "(top level)"


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
    """Validate already-parsed data as a contract of the family it names (a top-level ``$schema`` ignored)."""
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(data), "a number")
        raise InputError(source, None, f"must hold a JSON object {{ … }} with a \"family\" field, not {kind}")
    if SCHEMA_KEY in data:
        if not isinstance(data[SCHEMA_KEY], str):
            raise InputError(source, SCHEMA_KEY, "must be text: the address of the file's JSON Schema, which "
                                                 "editors read and obc-builder ignores")
        data = {key: value for key, value in data.items() if key != SCHEMA_KEY}
    family = data.get("family")
    if family not in FAMILY_NAMES:
        known = ", ".join(f'"{name}"' for name in FAMILY_NAMES)
        written = json.dumps(family, default=str)
        shown = "is missing" if family is None else f"is {written if len(written) <= 60 else written[:60] + '…'}"
        raise InputError(source, "family", f"{shown}; it must be one of {known}")
    try:
        return get_family(family).model.model_validate(data)
    except ValidationError as error:
        raise errors_from(source, error) from error


def load_contract(path: str | Path) -> BaseModel:
    """Read and validate one input file; ``-`` reads standard input."""
    return load_input(path)[0]


def load_input(path: str | Path) -> tuple[BaseModel, str]:
    """Read and validate one input file (``-``: standard input), with the SHA-256 of its bytes (the generation
    manifest records it)."""
    import hashlib

    source, raw = read_input(path)
    return contract_from_data(parse_json(raw, source), source), hashlib.sha256(raw).hexdigest()


def read_input(path: str | Path) -> tuple[str, bytes]:
    """The name to report and the bytes of an input file (``-``: standard input), within the size limit."""
    if str(path) == STDIN:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        if stream is None:
            raise InputError(STDIN_SOURCE, None, "there is no standard input to read")
        return STDIN_SOURCE, read_stream(stream, STDIN_SOURCE, kind="JSON input", limit=MAX_FILE_BYTES)
    source = str(path)
    return source, read_file(path, source, kind="JSON file", limit=MAX_FILE_BYTES, instead=", or - to read "
                             "standard input")


def parse_json(raw: bytes, source: str) -> Any:
    """The JSON value of an input's bytes, refused with one line when it is not a sound contract file."""
    text = decode_text(raw, source)
    if not text.strip():
        raise InputError(source, None, "is empty; it should hold a contract's JSON (see `obc-builder schema`)")
    _check_depth(text, source)
    found: list[Any] = []  # what the hooks refused: only then is the parsed value walked to say where

    def bad(value: Any) -> Any:
        found.append(value)
        return value

    def whole(text: str) -> Any:  # an int of up to MAX_NUMBER_DIGITS digits, and its sign
        return int(text) if len(text) <= MAX_NUMBER_DIGITS else bad(_number(text))

    def number(text: str) -> Any:
        value = _number(text)
        return bad(value) if isinstance(value, _BadNumber) else value

    def pairs(items: list[tuple[str, Any]]) -> Any:
        value = _object(items)
        return bad(value) if isinstance(value, _Object) else value

    try:
        data = json.loads(text, parse_int=whole, parse_float=number,
                          parse_constant=lambda text: bad(_BadNumber.constant(text)), object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise InputError(source, f"line {error.lineno} column {error.colno}", f"invalid JSON: {error.msg}") from error
    except (ValueError, RecursionError) as error:  # not expected after the checks above; still one line
        raise InputError(source, None, f"cannot be read as JSON ({type(error).__name__})") from error
    if found:
        _check_values(data, (), source)
    return data


# A string, or a run of brackets: the scan skips strings and counts how deep brackets open.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]+|[\]}]+')


def _check_depth(text: str, source: str) -> None:
    """Refuse arrays and objects nested deeper than the limit before the parser recurses into them."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        if token[0] in "[{":
            depth += len(token)
            if depth > MAX_DEPTH:
                position = match.start() + len(token) - (depth - MAX_DEPTH)
                line = text.count("\n", 0, position) + 1
                column = position - (text.rfind("\n", 0, position) + 1) + 1
                raise InputError(source, f"line {line} column {column}",
                                 f"arrays and objects are nested more than {MAX_DEPTH} deep; a contract needs "
                                 "far fewer levels")
        else:
            depth = max(0, depth - len(token))


class _BadNumber:
    """A number the file holds that no contract can use; reported with its field path once parsing is done."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem

    @classmethod
    def constant(cls, text: str) -> _BadNumber:
        return cls(text, f"{text} is not a number a contract can use; write a number, like 12.5")


def _number(text: str) -> Any:
    digits = sum(ch.isdigit() for ch in text.partition("e")[0].partition("E")[0])
    if digits > MAX_NUMBER_DIGITS:
        return _BadNumber(text, f"is a number of {digits:,} digits; a number can have at most "
                                f"{MAX_NUMBER_DIGITS} digits")
    try:
        number = Decimal(text)
    except InvalidOperation:  # the JSON scanner only hands over well-formed numbers
        return _BadNumber(text, f"{quoted(text)} is not a number")
    if number and not -MAX_NUMBER_DIGITS <= number.adjusted() <= MAX_NUMBER_DIGITS:
        return _BadNumber(text, f"{quoted(text)} is too {'large' if number.adjusted() > 0 else 'small'} "
                                f"a number; a number can have at most {MAX_NUMBER_DIGITS} digits")
    if "." not in text and "e" not in text.lower():
        return int(text)
    return number


class _Object(dict):  # type: ignore[type-arg]
    """A JSON object that repeated a key: the first repeat is reported with its path."""

    repeated: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            marked = _Object(pairs)
            marked.repeated = key
            return marked
        result[key] = value
    return result


def _check_values(data: Any, path: tuple[int | str, ...], source: str) -> None:
    """Report a repeated key or an unusable number, naming where (the depth is already bounded)."""
    if isinstance(data, _Object):
        raise InputError(source, _location(path + (data.repeated,)),
                         "appears twice in the same object; keep one (a JSON reader would silently drop the "
                         "other)")
    if isinstance(data, _BadNumber):
        raise InputError(source, _location(path), data.problem)
    if isinstance(data, dict):
        for key, value in data.items():
            _check_values(value, path + (key,), source)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_values(value, path + (index,), source)
