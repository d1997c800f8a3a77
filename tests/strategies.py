"""Hypothesis strategies for contract inputs, derived from the input models themselves.

An input is a bundled sample with a few of its parts changed (a leaf replaced by an arbitrary value of the
leaf's kind, a field left out, a list cut, repeated or regrown), or, less often, an input built from nothing
where every field may be missing. The kinds and their bounds are read from the pydantic fields (types,
``ge``/``le``, ``max_length``, enum choices), so a limit added to a model narrows what is generated here
without an edit; whatever still breaks a cross-field check is refused by the model and filtered by the test.
Text never contains braces (the tests type Jinja syntax only through :data:`MARKER`) nor ``[insert``.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from obc_builder.families import get_family
from obc_builder.models import types as base_types
from obc_builder.models.types import MONTHS

from .conftest import SAMPLES, sample_data

MARKER = "{{ 7*7 }} {% 0 %} {# 1 #}"
"""Template syntax a user may type; it must print as typed, never be evaluated. No letters: a clause may print a
value in capitals (the SES title prints the county with ``upper``)."""

# Sensible bounds, well inside any limit a model may set, so few generated inputs are refused.
TEXT_MAX = 200
MONEY_MAX = Decimal(10_000_000)
INT_MAX = 100_000
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2090, 12, 31)
NEAR_MIN, NEAR_MAX = date(2023, 1, 1), date(2027, 12, 31)
SCHOOL_YEAR_MIN, SCHOOL_YEAR_MAX = 2015, 2089
SCRATCH_LIST_MAX = 2  # entries of a list built from nothing (an AGR school nests three lists deep)

# Characters a Word document cannot hold are refused by the model (obc_builder.models.base), as are lone
# surrogates; generating them would only raise the rejection rate. Tab, newlines, DEL and C1 controls stay.
_REFUSED = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))
_ALPHABET = st.characters(exclude_categories=["Cs"], exclude_characters=_REFUSED + "{}")

SNIPPETS = (
    "# not a heading", "## two", "- not a bullet", "* star", "+ plus", "1. not a list", "2) neither",
    "> not a quote", "| a | b |", "|", "---", "___", "***", "=====", "`code`", "``` fence", "*em*", "__strong__",
    "~~strike~~", "[link](http://x)", "![img](y)", "<b>bold</b>", "<script>alert(1)</script>", "&amp;", "&#169;",
    "&copy", "A & B", "\\", "\\\\", "\\*", "]]>", "<![CDATA[x]]>", "</w:t></w:r><w:r><w:t>", "<w:p/>", '"quoted"',
    "'single'", "“curly” ‘quotes’", "%", "%s", "$1,000", "50%", "\t", "\n", "\r\n", "\r", "\n\n", "  ", "\u00a0",
    "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff", "\ue000", "\ue001", "\ue0000\ue001", "\x7f", "\x85", "\x9f",
    "é", "ß", "İ", "ﬁ", "Ω", "中文", "עברית", "العربية", "😀", "👩‍👩‍👧", "e\u0301", "𝔘",
)
"""Pieces that mean something to Markdown, XML, Jinja's neighbours, Word or Unicode."""


def _usable_text(text: str) -> bool:
    return bool(text.strip()) and "[insert" not in text


@cache
def texts(max_len: int = TEXT_MAX, min_len: int = 1) -> st.SearchStrategy[str]:
    """Free text as a user might type or paste it (never ``{``, ``}`` or ``[insert``)."""
    piece = st.one_of(st.sampled_from(SNIPPETS), st.text(_ALPHABET, min_size=1, max_size=12))
    candidates = st.one_of(
        st.text(_ALPHABET, min_size=1, max_size=min(max_len, 40)),
        st.lists(piece, min_size=1, max_size=5).map("".join),
        st.just(MARKER),
        st.tuples(st.text(_ALPHABET, max_size=10), st.text(_ALPHABET, max_size=10)).map(
            lambda parts: parts[0] + MARKER + parts[1]),
        st.text(_ALPHABET, min_size=max(min_len, max_len - 5), max_size=max_len),
    )
    return candidates.filter(lambda s: _usable_text(s) and min_len <= len(s.strip()) <= max_len)


@dataclass(frozen=True)
class Kind:
    """What a field holds, with the bounds the model puts on it."""

    tag: str  # model, list, text, int, decimal, date, enum, bool, literal, school_year, format, opaque
    model: type[BaseModel] | None = None
    item: Kind | None = None
    choices: tuple[Any, ...] = ()
    lo: Any = None
    hi: Any = None
    min_len: int = 0
    max_len: int | None = None
    parser: str = ""  # the validator that reads text forms ("_parse_money", "_school_year", "_parse_zip", ...)


def _flat(metadata: typing.Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.extend(_flat(item.metadata))
        else:
            out.append(item)
    return out


def _bounds(meta: list[Any], step: Any) -> tuple[Any, Any, int, int | None]:
    lo = hi = None
    min_len, max_len = 0, None
    for item in meta:
        if isinstance(item, annotated_types.Ge):
            lo = item.ge
        elif isinstance(item, annotated_types.Gt):
            lo = item.gt + step
        elif isinstance(item, annotated_types.Le):
            hi = item.le
        elif isinstance(item, annotated_types.Lt):
            hi = item.lt - step
        elif isinstance(item, annotated_types.MinLen):
            min_len = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            max_len = item.max_length
    return lo, hi, min_len, max_len


def _validators(meta: list[Any]) -> list[str]:
    return [getattr(getattr(item, "func", None), "__name__", "") for item in meta if hasattr(item, "func")]


def kind_of(annotation: Any, metadata: typing.Iterable[Any] = ()) -> Kind:
    """The :class:`Kind` of a field's annotation (``metadata``: constraints carried from outside it)."""
    meta = _flat(metadata)
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *extra = typing.get_args(annotation)
        return kind_of(base, [*meta, *extra])
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return kind_of(options[0], meta) if len(options) == 1 else Kind("opaque")
    if origin is list:
        _, _, min_len, max_len = _bounds(meta, 1)
        return Kind("list", item=kind_of(typing.get_args(annotation)[0]), min_len=min_len, max_len=max_len)
    if origin is Literal:
        return Kind("literal", choices=typing.get_args(annotation))
    parsers = _validators(meta)
    parser = next((name for name in parsers if name.startswith("_parse") or "school_year" in name), "")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Kind("model", model=annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Kind("enum", choices=tuple(member.value for member in annotation))
    if annotation is bool:
        return Kind("bool")
    if annotation is int:
        lo, hi, _, _ = _bounds(meta, 1)
        return Kind("int", lo=0 if lo is None else lo, hi=INT_MAX if hi is None else min(hi, INT_MAX))
    if annotation is Decimal:
        lo, hi, _, _ = _bounds(meta, Decimal("0.01"))
        return Kind("decimal", lo=Decimal(0) if lo is None else Decimal(lo),
                    hi=MONEY_MAX if hi is None else min(Decimal(hi), MONEY_MAX), parser=parser)
    if annotation is date:
        lo, hi, _, _ = _bounds(meta, 0)
        lo = max(lo, DATE_MIN) if isinstance(lo, date) else DATE_MIN
        hi = min(hi, DATE_MAX) if isinstance(hi, date) else DATE_MAX
        return Kind("date", lo=lo, hi=hi)
    if annotation is str:
        if "school_year" in parser:
            return Kind("school_year", parser=parser)
        if parser in FORMATS:
            return Kind("format", parser=parser)
        _, _, min_len, max_len = _bounds(meta, 1)
        return Kind("text", min_len=max(min_len, 1), max_len=min(max_len or TEXT_MAX, TEXT_MAX))
    return Kind("opaque")


def field_kind(info: FieldInfo) -> Kind:
    return kind_of(info.annotation, info.metadata)


def _input_fields(model: type[BaseModel]) -> list[tuple[str, Kind]]:
    return [(name, field_kind(info)) for name, info in model.model_fields.items() if name != "family"]


def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.one_of(st.integers(lo, min(hi, lo + 40)), st.integers(lo, hi))


def _decimals(kind: Kind) -> st.SearchStrategy[Any]:
    lo, hi = kind.lo, kind.hi
    whole = _ints(int(lo.to_integral_value(rounding="ROUND_CEILING")), int(hi)).map(Decimal)
    # Money is in cents and percentages to the hundredth (obc_builder.limits): two places at most.
    fractional = st.one_of(*[st.decimals(lo, hi, places=p, allow_nan=False, allow_infinity=False) for p in (1, 2)])
    number = st.one_of(whole, fractional)
    if kind.parser == "_parse_money":  # what a JSON file may hold: 1250, "1250.50", "$1,250.50"
        return st.one_of(number, number.map(str), number.map(lambda d: f"${d:,}"))
    if kind.parser == "_parse_percent":
        return st.one_of(number, number.map(str), number.map(lambda d: f"{d}%"))
    return number


def _dates(kind: Kind) -> st.SearchStrategy[Any]:
    # Mostly within a few years of one another: a model refuses a contract that spans more than ten years.
    near = st.dates(max(kind.lo, NEAR_MIN), min(kind.hi, NEAR_MAX))
    day = st.one_of(near, near, st.dates(kind.lo, kind.hi))
    named = day.flatmap(lambda d: st.sampled_from([
        f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{MONTHS[d.month - 1][:4]}. {d.day}, {d.year}",
        f"{MONTHS[d.month - 1][:3]} {d.day} {d.year}"]))  # as the contract prints a date, or abbreviated
    return st.one_of(day, day.map(date.isoformat), day.map(lambda d: f"{d.month}/{d.day}/{d.year}"), named)


def _school_years(kind: Kind) -> st.SearchStrategy[str]:
    year = st.integers(SCHOOL_YEAR_MIN, SCHOOL_YEAR_MAX)
    if kind.parser == "_check_school_year":  # SES writes both years in full
        return year.map(lambda y: f"{y}-{y + 1}")
    return st.one_of(year.map(lambda y: f"{y}-{(y + 1) % 100:02d}"), year.map(lambda y: f"{y}–{y + 1}"))


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=count, max_size=count)


def _zip_codes() -> st.SearchStrategy[str]:
    return st.tuples(_digits(5), st.sampled_from(["", "-", None]), _digits(4)).map(
        lambda p: p[0] if p[1] is None else p[0] + p[1] + p[2])


def _phones() -> st.SearchStrategy[str]:
    forms = ["({0}) {1}-{2}", "{0}-{1}-{2}", "{0}.{1}.{2}", "{0}{1}{2}", "+1 {0} {1} {2}", "+1 ({0}) {1}-{2}",
             "1-{0}-{1}-{2}"]
    return st.tuples(st.sampled_from(forms), _digits(3), _digits(3), _digits(4)).map(
        lambda p: p[0].format(*p[1:]))


def _months() -> st.SearchStrategy[str]:
    return st.sampled_from(MONTHS).flatmap(lambda m: st.sampled_from(
        [m, m[:3], f"{m[:4]}.", m.upper(), m.lower(), f" {m[:3]} "]))


def _not_refused(parse: Any) -> Any:
    def accepted(text: str) -> bool:
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return accepted


FORMATS: dict[str, Any] = {
    "_parse_month": _months,
    "_parse_zip": _zip_codes,
    "_parse_city_state_zip": lambda: st.tuples(texts(TEXT_MAX - 12), _zip_codes()).map(" ".join),
    "_parse_phone": _phones,
    "_parse_tax_id": lambda: st.tuples(_digits(2), st.sampled_from(["", "-"]), _digits(7)).map("".join),
    "_parse_county": lambda: texts().filter(_not_refused(base_types._parse_county)),
}
"""What a field of each format type (obc_builder.models.types) holds, in the forms a user may type it."""


@cache
def values(kind: Kind) -> st.SearchStrategy[Any]:
    """An arbitrary value of ``kind`` as a JSON input would hold it (models as dicts built from nothing)."""
    if kind.tag == "model":
        assert kind.model is not None
        return scratch(kind.model)
    if kind.tag == "list":
        assert kind.item is not None
        most = min(kind.max_len or SCRATCH_LIST_MAX, SCRATCH_LIST_MAX)
        return st.lists(values(kind.item), min_size=min(kind.min_len, most), max_size=most)
    if kind.tag == "text":
        return texts(kind.max_len or TEXT_MAX, kind.min_len)
    if kind.tag == "int":
        return _ints(kind.lo, kind.hi)
    if kind.tag == "decimal":
        return _decimals(kind)
    if kind.tag == "date":
        return _dates(kind)
    if kind.tag in ("enum", "literal"):
        return st.sampled_from(kind.choices)
    if kind.tag == "bool":
        return st.booleans()
    if kind.tag == "school_year":
        return _school_years(kind)
    if kind.tag == "format":
        return FORMATS[kind.parser]()
    return st.nothing()


@cache
def scratch(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict for ``model`` where each input is left out or holds an arbitrary value."""
    optional = {name: values(kind) for name, kind in _input_fields(model) if kind.tag != "opaque"}
    return st.fixed_dictionaries({}, optional=optional)


Path = tuple[str | int, ...]


def nodes(model: type[BaseModel], data: dict[str, Any], path: Path = ()) -> list[tuple[Path, Kind]]:
    """Every place of ``data`` a mutation can change: each input field (filled or not) and each list item."""
    found: list[tuple[Path, Kind]] = []
    for name, kind in _input_fields(model):
        if kind.tag == "opaque":
            continue
        here = (*path, name)
        found.append((here, kind))
        value = data.get(name)
        if kind.tag == "model" and isinstance(value, dict):
            assert kind.model is not None
            found += nodes(kind.model, value, here)
        elif kind.tag == "list" and isinstance(value, list):
            assert kind.item is not None
            for index, item in enumerate(value):
                found.append(((*here, index), kind.item))
                if kind.item.tag == "model" and isinstance(item, dict):
                    assert kind.item.model is not None
                    found += nodes(kind.item.model, item, (*here, index))
    return found


def _parent(data: dict[str, Any], path: Path) -> Any:
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    return node


LEAVES = ("text", "int", "decimal", "date", "enum", "bool", "school_year", "format")


@st.composite
def mutated_samples(draw: st.DrawFn, family: str) -> dict[str, Any]:
    """A bundled sample of ``family`` with up to six of its parts changed.

    Half the time only leaf values change (the input stays complete, so a final contract is often rendered);
    otherwise a change may also leave a field out, drop a list entry, or cut, repeat or regrow a list.
    """
    model = get_family(family).model
    names = [path.stem for path in SAMPLES if path.stem.startswith(f"{family}_")]
    data = sample_data(draw(st.sampled_from(names)))
    leaves_only = draw(st.booleans())
    for _ in range(draw(st.integers(0, 6))):
        spots = [(path, kind) for path, kind in nodes(model, data) if not leaves_only or kind.tag in LEAVES]
        path, kind = draw(st.sampled_from(spots))
        parent: Any = _parent(data, path)
        key: Any = path[-1]
        current: Any = parent[key] if isinstance(parent, list) or key in parent else None
        ops = ["replace"] if leaves_only else ["replace", "omit"]
        if kind.tag == "list" and current:
            ops.append("reshape")
        op = draw(st.sampled_from(ops))
        if op == "omit":
            if isinstance(parent, list):
                del parent[key]
            else:
                parent.pop(key, None)
        elif op == "reshape":
            picks = draw(st.lists(st.sampled_from(range(len(current))), max_size=len(current) + 2))
            parent[key] = [copy.deepcopy(current[i]) for i in picks]
        else:
            parent[key] = draw(values(kind))
    return data


@st.composite
def inputs(draw: st.DrawFn, family: str) -> dict[str, Any]:
    """Raw input data for ``family``; not every one is accepted by the model (the tests filter).

    A composite, so that a failure report names ``inputs(family=...)`` rather than the whole strategy tree.
    """
    if draw(st.integers(0, 3)):
        return draw(mutated_samples(family))
    return {"family": family, **draw(scratch(get_family(family).model))}
