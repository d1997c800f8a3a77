"""The one Jinja environment, and how input values travel through clause templates as data.

Every ``{{ expression }}`` in a clause is passed to :func:`_finalize`, which stores the value in the current
render's value table and writes a private-use token in its place. The block parser later turns tokens back
into value runs, so a value can never be read as clause markup, Markdown, XML or Jinja: it is data, escaped
by each renderer for its own format.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from types import SimpleNamespace
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from .models.base import field_extra, plain_title

TOKEN_OPEN = "\ue000"
TOKEN_CLOSE = "\ue001"
TOKEN_RE = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
_SENTINELS = re.compile(f"[{TOKEN_OPEN}{TOKEN_CLOSE}]")


@dataclass(frozen=True)
class Val:
    """An input value on its way through a template, with the field path it came from."""

    value: Any
    path: str

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, Val) else other)

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: object) -> bool:
        return bool(self.value < (other.value if isinstance(other, Val) else other))

    def __gt__(self, other: object) -> bool:
        return bool(self.value > (other.value if isinstance(other, Val) else other))


@dataclass(frozen=True)
class Missing:
    """An input that has not been filled in. Falsy; prints as ``[insert …]`` in a draft."""

    path: str
    title: str

    def __bool__(self) -> bool:
        return False

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(())

    def __len__(self) -> int:
        return 0

    def __str__(self) -> str:
        return f"[insert {self.title}]"


@dataclass(frozen=True)
class Slot:
    """What a token stands for: a value (with its path) or an unfilled input."""

    text: str
    path: str | None
    missing: bool = False


_slots: ContextVar[list[Slot] | None] = ContextVar("obc_slots", default=None)


def _finalize(value: Any) -> str:
    slots = _slots.get()
    if slots is None:
        raise RuntimeError("clause rendered outside render_text()")
    if isinstance(value, Missing):
        slot = Slot(str(value), value.path, missing=True)
    elif isinstance(value, Val):
        slot = Slot(_SENTINELS.sub("", _plain(value.value)), value.path)
    else:
        slot = Slot(_SENTINELS.sub("", _plain(value)), None)
    slots.append(slot)
    return f"{TOKEN_OPEN}{len(slots) - 1}{TOKEN_CLOSE}"


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return str(value)


def render_text(template: Any, context: dict[str, Any]) -> tuple[str, list[Slot]]:
    """Render a compiled clause template; return the marked-up text and the slots its tokens refer to."""
    slots: list[Slot] = []
    reset = _slots.set(slots)
    try:
        return template.render(context), slots
    finally:
        _slots.reset(reset)


def _lift(function):  # type: ignore[no-untyped-def]
    """Make a formatting function a filter that keeps unfilled inputs and value paths."""

    def apply(value: Any, *args: Any) -> Any:
        if isinstance(value, Missing):
            return value
        if isinstance(value, Val):
            return Val(function(value.value, *args), value.path)
        return function(value, *args)

    apply.__name__ = function.__name__
    return apply


def format_money(value: Any) -> str:
    amount = Decimal(value)
    if amount.is_zero():
        amount = amount.copy_abs()
    if amount == amount.to_integral_value():
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def format_percent(value: Any) -> str:
    number = Decimal(value).normalize()
    return f"{number:f}%"


def format_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def format_month_year(value: date) -> str:
    return f"{value:%B} {value.year}"


def format_number(value: Any) -> str:
    return f"{int(value):,}"


def join_and(values: Any) -> str:
    items = [_plain(v.value if isinstance(v, Val) else v) for v in values]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty").split()


def number_words(value: Any) -> str:
    number = int(value)
    return _WORDS[number] if 0 <= number < len(_WORDS) else str(number)


def format_range(start: Any, end: Any) -> Any:
    """``January 3 – January 9, 2025``: a span of two dates (the year once when both share it)."""
    if isinstance(start, Missing):
        return start
    if isinstance(end, Missing) or not end:
        return start
    first, last = start.value, end.value
    if first.year == last.year:
        text = f"{first:%B} {first.day} – {format_date(last)}"
    else:
        text = f"{format_date(first)} – {format_date(last)}"
    return Val(text, start.path)


@pass_context
def label(context: Any, value: Any, kind: str) -> Any:
    """What the contract calls a coded value (``_family.yaml`` → ``labels``): ``{{ s | label("strategy") }}``."""
    if isinstance(value, Missing):
        return value
    raw = value.value if isinstance(value, Val) else value
    raw = raw.value if isinstance(raw, Enum) else raw
    text = context.get("labels", {}).get(kind, {}).get(str(raw), str(raw))
    return Val(text, value.path) if isinstance(value, Val) else text


@cache
def environment() -> ImmutableSandboxedEnvironment:
    """The sandboxed environment every clause is compiled in (built here and nowhere else)."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )
    env.filters.update(
        money=_lift(format_money),
        percent=_lift(format_percent),
        date=_lift(format_date),
        month_year=_lift(format_month_year),
        number=_lift(format_number),
        words=_lift(number_words),
        join_and=join_and,
        span=format_range,
        label=label,
    )
    return env


def to_context(model: BaseModel, prefix: str = "") -> SimpleNamespace:
    """The model as template variables: every leaf a :class:`Val`, every unfilled input a :class:`Missing`."""
    fields = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value == [] and field_extra(info).get("x-min-items", 0):
            value = None  # a required repeating group with no entry is unfilled, like any other input
        fields[name] = _convert(value, f"{prefix}{name}", plain_title(info, name))
    return SimpleNamespace(**fields)


def _convert(value: Any, path: str, title: str) -> Any:
    if value is None:
        return Missing(path, title)
    if isinstance(value, BaseModel):
        return to_context(value, f"{path}.")
    if isinstance(value, list):
        return [_convert(item, f"{path}.{index}", title) for index, item in enumerate(value)]
    return Val(value, path)
