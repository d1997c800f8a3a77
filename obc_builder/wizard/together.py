"""Inputs the officer types as one line (``inp(together=...)``): a name and title ("Denise Carter, President"),
a postal address ("415 Palm Avenue, Suite 200, Sunshine City, FL 32303"), a span of dates ("January 5, 2026 to
January 30, 2026"). The line is split into the inputs it fills, each of which the model then checks as it would a
JSON file's value; the parts are shown back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..messages import quoted
from ..models.types import ZIP, split_name_title

NAME_TITLE, ADDRESS, SPAN = "name, title", "address", "first day to last day"

INSTRUCTIONS = {NAME_TITLE: "(name, a comma, then the title)", ADDRESS: "(on one line, with commas)",
                SPAN: "(first day to last day)"}
_TO = re.compile(r"\s+(?:to|through|until|[-–—])\s+|\s*[–—]\s*", re.IGNORECASE)

_STATE_ZIP = re.compile(rf"(?P<state>[A-Za-z][A-Za-z .]*?)\.?,?\s+(?P<zip>{ZIP.pattern})")


def message(form: str, titles: Sequence[str]) -> str:
    """The prompt for inputs asked together, from their titles (the instruction says how to write them): "Marketing
    approver"; "Street address, city, state and ZIP code"; "Assessment window" for "… opens" and "… closes"."""
    if form == ADDRESS:
        return f"{titles[0]}, city, state and ZIP code"
    if form == SPAN:
        words = [title.split() for title in titles]
        common = [word for word, *others in zip(*words, strict=False) if all(other == word for other in others)]
        return " ".join(words[0][:len(common)]) or titles[0]
    return titles[0]


def join(form: str, values: Sequence[Any]) -> str:
    """The answers already given, as the officer would type them on one line (the pre-filled answer)."""
    parts = [str(value) for value in values if value not in (None, "")]
    if form == ADDRESS and len(parts) == len(values) == 4:
        return f"{parts[0]}, {parts[1]}, {parts[2]} {parts[3]}"
    return (" to " if form == SPAN else ", ").join(parts)


def split(form: str, text: str, count: int) -> list[str | None]:
    """The ``count`` answers a line holds, in the order of the inputs; an empty line leaves them all empty.
    Raises ``ValueError`` with one sentence saying how to write the line."""
    line = " ".join(text.split())
    if not line:
        return [None] * count
    if form == SPAN:
        parts: list[str | None] = [part.strip() for part in _TO.split(line, maxsplit=1)]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"{quoted(line)} is not a span of dates: write the first day, “to”, then the last day, "
                             "like “January 5, 2026 to January 30, 2026”")
    else:
        parts = _address(line) if form == ADDRESS else list(split_name_title(line))
    if len(parts) != count:
        raise ValueError(f"{quoted(line)} does not hold the {count} parts this answer needs")
    return parts


def _address(line: str) -> list[str | None]:
    parts = [part.strip() for part in line.split(",")]
    if len(parts) >= 4 and ZIP.fullmatch(parts[-1]):  # "…, Sunshine City, FL, 32303"
        parts = [*parts[:-2], f"{parts[-2]} {parts[-1]}"]
    end = _STATE_ZIP.fullmatch(parts[-1]) if len(parts) >= 3 else None
    if end is None or not all(parts[:-1]):
        raise ValueError(f"{quoted(line)} is not a whole address on one line: write the street, the city, then the "
                         "state and ZIP code, separated by commas, like “415 Palm Avenue, Suite 200, Sunshine City, "
                         "FL 32303”")
    return [", ".join(parts[:-2]), parts[-2], end["state"].strip(), end["zip"]]
