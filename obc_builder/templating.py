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
from typing import Any, NamedTuple, TypeVar

from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from .models.base import field_facts

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


class Values(list):  # type: ignore[type-arg]
    """A repeating input's entries, knowing the list's own field path and title (an empty list can then print as
    ``[insert …]`` where a clause joins it)."""

    def __init__(self, items: list[Any], path: str, title: str) -> None:
        super().__init__(items)
        self.path = path
        self.title = title


class Words(str):
    """Clause wording a filter computed from a value: an article, a noun in the singular or plural, the commas and
    "and" between list items. It is written like any other wording of the clause, never as a value."""

    __slots__ = ()


@dataclass(frozen=True)
class Phrase:
    """A filter's output that mixes computed wording (:class:`Words`) with values: ``an`` + *80%*, *1* + ``site``,
    *A* + ``, `` + *B* + ``, and `` + *C*. Every value part stays its own value run with its field path."""

    parts: tuple[Any, ...]

    def __str__(self) -> str:
        return "".join(str(part) for part in self.parts)


class Slot(NamedTuple):
    """What a token stands for: a value (with its path) or an unfilled input (a tuple: one is made per value)."""

    text: str
    path: str | None
    missing: bool = False


_slots: ContextVar[list[Slot] | None] = ContextVar("obc_slots", default=None)


def _finalize(value: Any) -> str:
    slots = _slots.get()
    if slots is None:
        raise RuntimeError("clause rendered outside render_text()")
    if isinstance(value, Phrase):
        return "".join(_SENTINELS.sub("", part) if isinstance(part, Words) else _finalize(part)
                       for part in value.parts)
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


def join_and(values: Any, conjunction: str = "and") -> Any:
    """``A``, ``A and B``, ``A, B, and C``: each item stays a value run (with its path), the commas and the
    conjunction are wording. An unfilled list, or an empty one, prints as ``[insert …]`` (a clause that may print
    nothing tests the list first), never as an empty string."""
    if isinstance(values, Missing):
        return values
    items = list(values)
    if not items:
        if isinstance(values, Values):
            return Missing(values.path, values.title)
        return Missing("", "the list")
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return Phrase((items[0], Words(f" {conjunction} "), items[1]))
    parts: list[Any] = []
    for item in items[:-1]:
        parts += [item, Words(", ")]
    parts[-1] = Words(f", {conjunction} ")
    return Phrase((*parts, items[-1]))


def _printed(value: Any) -> str:
    """A value as it will print (after the filters before this one)."""
    return _plain(value.value if isinstance(value, Val) else value).strip()


def article(text: str) -> str:
    """``a`` or ``an`` for a value as printed, by how it is read aloud: a number by its spoken form (``an`` before
    eight, eleven, eighteen, eighty…, eight hundred…, eleven thousand…; ``a`` before one, zero, one hundred…), so
    also a percentage or an amount of money (``$80`` is "eighty dollars"); a word by its first sound."""
    spoken = text.strip().lstrip("$").strip().lower()
    digits = re.match(r"\d[\d,]*", spoken)
    if digits:
        number = digits.group(0).rstrip(",")
        lead = number.split(",")[0] if "," in number else number[:(len(number) - 1) % 3 + 1]
        return "an" if lead.startswith("8") or lead in ("11", "18") else "a"
    if spoken.startswith(("one", "once", "uni", "use", "usu", "eu", "ewe")):
        return "a"
    if spoken.startswith(("hour", "honest", "honor", "heir")):
        return "an"
    return "an" if spoken[:1] in ("a", "e", "i", "o", "u") else "a"


def a_an(value: Any) -> Any:
    """``{{ x | percent | a_an }}`` → ``an`` *80%*: the article is wording computed from the value as printed, the
    value stays a value run. An unfilled value gets ``a``: ``a [insert …]``."""
    if isinstance(value, Missing):
        return Phrase((Words("a "), value))
    return Phrase((Words(article(_printed(value)) + " "), value))


def _is_one(value: Any) -> bool:
    raw = value.value if isinstance(value, Val) else value
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return bool(raw == 1)
    return _printed(raw).lower() in ("1", "one")


def _count(value: Any) -> Any:
    """A list's number of entries as a value (with the list's path), or the value itself."""
    if isinstance(value, Values):
        return Val(len(value), value.path)
    if isinstance(value, (list, tuple)):
        return len(value)
    return value


def noun(value: Any, one: str, many: str) -> Any:
    """The noun alone, in the number the value asks for: ``{{ n | noun("day", "days") }}`` → ``day`` for 1 (or
    "one"), ``days`` for any other number and for an unfilled value. Wording, not a value."""
    value = _count(value)
    return Phrase((Words(one if not isinstance(value, Missing) and _is_one(value) else many),))


def plural(value: Any, one: str, many: str) -> Any:
    """The count and its noun: ``{{ n | plural("site", "sites") }}`` → *1* ``site``, *0* ``sites``, *11*
    ``sites``; a list counts its entries (``{{ population.schools | plural("site", "sites") }}``). The number is a
    value run (format it first: ``| number`` or ``| words``), the noun is wording."""
    value = _count(value)
    return Phrase((value, Words(" "), *noun(value, one, many).parts))


_TENS = "zero ten twenty thirty forty fifty sixty seventy eighty ninety".split()


def dollars(value: Any) -> str:
    """A whole amount under $100 in words and figures, ``fifty dollars ($50.00)``, ``one dollar ($1.00)``,
    ``zero dollars ($0.00)``; any other amount as :func:`format_money` writes it."""
    amount = Decimal(value)
    if amount != amount.to_integral_value() or not 0 <= amount < 100:
        return format_money(amount)
    number = int(amount)
    if number < 20:
        spelled = _WORDS[number]
    else:
        spelled = _TENS[number // 10] + (f"-{_WORDS[number % 10]}" if number % 10 else "")
    return f"{spelled} {'dollar' if number == 1 else 'dollars'} (${number}.00)"


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


@pass_context
def ref(context: Any, clause_id: str) -> Any:
    """A cross-reference, ``{{ ref("j01_continuous_improvement") }}`` → ``Section J (Continuous Improvement)``: the
    words come from the clause referred to (its ``section:`` and first heading), never typed by hand;
    ``.label``, ``.number`` and ``.title`` give the parts. Refused when that clause is not in the contract."""
    from .errors import TemplateError

    index = context.get("clause_index")
    if index is None:
        raise TemplateError(f"ref({clause_id!r}) is only available while a contract is assembled")
    return index.reference(clause_id, context.get_all())


_OPTIONS: dict[str, Any] = dict(undefined=StrictUndefined, finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=False, autoescape=False)


_Env = TypeVar("_Env", bound=Environment)


def _with_filters(env: _Env) -> _Env:
    env.filters.update(
        money=_lift(format_money),
        percent=_lift(format_percent),
        date=_lift(format_date),
        month_year=_lift(format_month_year),
        number=_lift(format_number),
        words=_lift(number_words),
        join_and=join_and,
        a_an=a_an,
        plural=plural,
        noun=noun,
        dollars=_lift(dollars),
        span=format_range,
        label=label,
    )
    return env


@cache
def environment(sandboxed: bool = False) -> Environment:
    """The environment the library's own clauses are compiled in (built here and nowhere else).

    They are the project's code, reviewed like it, so they run without a sandbox's check on every attribute and
    call (a fifth of the cost of assembling a contract); ``sandboxed``: the same in Jinja's immutable sandbox, in
    which ``tests/test_library.py`` renders every sample to show the clauses need nothing it refuses. Either way a
    value is data, never template code (:func:`_finalize`). A district's files: :func:`district_environment`."""
    env = _with_filters(ImmutableSandboxedEnvironment(**_OPTIONS) if sandboxed else Environment(**_OPTIONS))
    env.globals["ref"] = ref
    return env


@cache
def district_environment() -> ImmutableSandboxedEnvironment:
    """The stricter sandbox a district's own clause files (``--clauses DIR``) are compiled in: the same filters and
    value handling, ``ref()`` as the only global, no method calls (see :mod:`.sandbox`)."""
    from .sandbox import DistrictSandbox

    env = _with_filters(DistrictSandbox(**_OPTIONS))
    env.globals.clear()
    env.globals["ref"] = ref
    return env


def to_context(model: BaseModel, prefix: str = "") -> SimpleNamespace:
    """The model as template variables: every leaf a :class:`Val`, every unfilled input a :class:`Missing`."""
    fields = {}
    for facts in field_facts(type(model)):
        value = getattr(model, facts.name)
        if value == [] and facts.min_items:
            value = None  # a required repeating group with no entry is unfilled, like any other input
        fields[facts.name] = _convert(value, f"{prefix}{facts.name}", facts.title)
    return SimpleNamespace(**fields)


def _convert(value: Any, path: str, title: str) -> Any:
    if value is None:
        return Missing(path, title)
    if isinstance(value, BaseModel):
        return to_context(value, f"{path}.")
    if isinstance(value, list):
        return Values([_convert(item, f"{path}.{index}", title) for index, item in enumerate(value)], path, title)
    return Val(value, path)
