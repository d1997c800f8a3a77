"""Building blocks shared by every family's input model.

A contract input is a pydantic model whose leaf fields are declared with :func:`inp`. Every input may be
left unfilled (``None``) so that drafts and half-finished wizard answers load; whether a contract is
complete is a separate question answered by :func:`missing_inputs`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.fields import FieldInfo

from ..limits import (
    MAX_ITEMS,
    MAX_TERM_YEARS,
)
from ..messages import quoted
from .derived import once
from .types import Text


def term_too_long(first: date | None, last: date | None, what: str) -> str | None:
    """Why the span from ``first`` to ``last`` (``what``: "the contract date (term.contract_date) to ...")
    is longer than any contract runs, or ``None`` when it is not (or a date is unfilled)."""
    if first is None or last is None:
        return None
    try:
        limit = first.replace(year=first.year + MAX_TERM_YEARS)
    except ValueError:  # February 29
        limit = first.replace(year=first.year + MAX_TERM_YEARS, day=28)
    if last <= limit:
        return None
    return (f"{what} spans {first.isoformat()} to {last.isoformat()}, more than {MAX_TERM_YEARS} years; "
            f"no contract runs that long, so check the years")


def term_span(*names: str, what: str) -> Any:
    """A model validator: the model's dates ``names`` (those filled in) lie at most the longest term apart."""

    def check(self: BaseModel) -> BaseModel:
        days = [day for day in (getattr(self, name) for name in names) if day is not None]
        problem = term_too_long(min(days), max(days), what) if len(days) > 1 else None
        if problem:
            raise ValueError(problem)
        return self

    return model_validator(mode="after")(check)


class InputModel(BaseModel):
    """Base of every input model: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=True,
        use_enum_values=True,
    )


ANSWERED = "(any answer)"
"""In ``inp(ask_if=(field, (ANSWERED,)))``: asked when the field holds any answer at all."""


def inp(
    title: str,
    help: str,
    *,
    policy: str | None = None,
    example: Any = None,
    required: bool = True,
    many: bool = False,
    min_items: int = 1,
    multiline: bool = False,
    ask_if: tuple[str, tuple[Any, ...]] | None = None,
    choices_from: str | None = None,
    derive: str | None = None,
    choice_values: dict[str, Any] | None = None,
    together: tuple[str, tuple[str, ...]] | None = None,
) -> Any:
    """Declare one contract input.

    ``help`` is both the schema description and the wizard's help text. ``policy`` names the entry of the
    policy table that holds the recommended value (the wizard's default); ``example`` is the template's
    green example, shown as a hint and never used as a silent default. ``required`` says whether a final
    contract needs the input; ``many`` marks a repeating group (a list) that needs ``min_items`` entries.
    ``ask_if`` = (field, values): the input matters only when that field holds one of the values (a price per
    session only for a base paid per session), so the wizard asks it only then. The field is a sibling, or a
    dotted path from the contract's top (``payments.funding_source``); ``*`` stands for every entry of a list
    (``schools.*.uses_nwea_map``), and a number for one entry (``population.subjects.1``: a second subject);
    a list answer holds a value when one of its entries is that value. ``None`` among the values: the field is
    unanswered (tiers only when no single price is given); :data:`ANSWERED`: it holds any answer.
    ``choices_from`` names the answer whose values are the only ones offered (an objective's strategies among
    its grade's): a field of an enclosing group or entry, the nearest that has it; or a dotted path from the top
    (``outcomes.*.name``), which makes a text input a choice among those answers, asked once there is one.
    ``derive`` names what pre-fills the wizard's answer, for the officer to confirm with Enter or replace: a
    computed figure of the family (the number of students from the school sites), a value the model's
    ``derivations()`` give (June 30 of the school year), or a dotted path to another answer it copies
    (``parties.county``). ``choice_values``: the number each choice stands for, in the unit of its ``policy``
    entry (``monthly`` is 1 month between reports), so the recommended choice is the one whose number it is.
    ``together`` = (form, siblings): the wizard asks this input and those sibling inputs as one line in that form
    (``"name, title"``: "Denise Carter, President"; ``"address"``: "415 Palm Avenue, Sunshine City, FL 32303"),
    splits the line and shows back each part; each input keeps its own field, help and check.
    """
    extra: dict[str, Any] = {"x-required": required}
    if policy:
        extra["x-policy"] = policy
    if multiline:
        extra["x-multiline"] = True
    if ask_if:
        extra["x-ask-if"] = {"field": ask_if[0], "in": list(ask_if[1])}
    if choices_from:
        extra["x-choices-from"] = choices_from
    if derive:
        extra["x-derive"] = derive
    if together:
        extra["x-together"] = {"form": together[0], "fields": list(together[1])}
    if choice_values:
        extra["x-choice-values"] = {str(key): str(value) for key, value in choice_values.items()}
    if many:
        extra["x-min-items"] = min_items if required else 0
        return Field(
            default_factory=list,
            max_length=MAX_ITEMS,
            title=title,
            description=help,
            json_schema_extra=extra,
            examples=[example] if example is not None else None,
        )
    return Field(
        default=None,
        title=title,
        description=help,
        json_schema_extra=extra,
        examples=[example] if example is not None else None,
    )


def group(model: type[BaseModel], title: str, ask_if: tuple[str, tuple[Any, ...]] | None = None,
          optional: bool = False) -> Any:
    """A group of inputs shown together (one wizard step); ``title`` names its contract section. ``ask_if`` as
    for :func:`inp`. ``optional``: a group usually left empty (a notice contact only if different), which the
    wizard asks to fill in only when the officer says so."""
    extra: dict[str, Any] | None = {"x-ask-if": {"field": ask_if[0], "in": list(ask_if[1])}} if ask_if else None
    if optional:
        extra = {**(extra or {}), "x-optional-group": True}
    return Field(default_factory=model, title=title, description=(model.__doc__ or "").strip() or None,
                 json_schema_extra=extra)


FieldPath = Annotated[str, Field(min_length=1, max_length=200)]
"""Where an input lives, dotted: ``accountability.student_attendance_pct``, ``outcomes.1.payment_cap``."""

Departures = dict[FieldPath, Text]


def departures() -> Any:
    """The ``departures`` field every family's contract model ends with: the District's reason for keeping a
    value a rule warns about, by the field the finding is anchored on. Never asked as a question: the wizard
    fills it in when a warning is kept; review files and Word comments print each reason with its finding."""
    return Field(
        default=None,
        title="Departures from the rules (the District's reasons)",
        description="For each finding the District keeps on purpose: the field the finding is anchored on, as a "
        "dotted path (its \"path\" in the findings, e.g. accountability.student_attendance_pct), and the "
        "District's reason in one line. The review file and the finding's Word comment print the reason after "
        "the finding. The wizard fills this in when a warning is kept.",
        examples=[{"accountability.student_attendance_pct": "Our students attend after school; 60% is what the "
                   "after-school program achieved last year."}],
        json_schema_extra={"x-asked": False},
    )


def _model_in(annotation: Any) -> type[BaseModel] | None | bool:
    """The sub-model an annotation holds (also in a list or ``Optional``), ``True`` for a list of plain values,
    ``None`` for a plain value."""
    import types
    from typing import Union, get_args, get_origin

    core = annotation
    while get_origin(core) in (Annotated, Union, types.UnionType, list):
        if get_origin(core) is list:
            inner = _model_in(get_args(core)[0])
            return inner if inner else True
        core = next((arg for arg in get_args(core) if arg is not type(None)), None)
    return core if isinstance(core, type) and issubclass(core, BaseModel) else None


def names_input(model: type[BaseModel], path: str) -> bool:
    """Whether the dotted ``path`` names an input of ``model`` (an entry of a list by its number), or a
    figure computed from the inputs (``computed.contingent_share_pct``)."""
    parts = path.split(".")
    if parts[0] == "computed":
        return len(parts) == 2 and parts[1].isidentifier()
    current: type[BaseModel] | None | bool = model
    for part in parts:
        if part.isdigit():
            if current is None:
                return False
            continue
        if not isinstance(current, type):
            return False
        info = current.model_fields.get(part)
        if info is None or part == "departures":
            return False
        current = _model_in(info.annotation)
    return True


def departures_checked() -> Any:
    """A model validator: each key of ``departures`` names an input (so a reason is never kept for nothing)."""

    def check(self: BaseModel) -> BaseModel:
        reasons = getattr(self, "departures", None) or {}
        unknown = [key for key in reasons if not names_input(type(self), key)]
        if unknown:
            raise ValueError(f"departures: {quoted(unknown[0])} names no input of the contract (write the field's "
                             "dotted path, as a finding's \"path\" gives it: accountability.student_attendance_pct)")
        return self

    return model_validator(mode="after")(check)


def figure(title: str, unit: str = "") -> Any:
    """Declare a derived figure (shown in review files): ``unit`` is "$", "%" or "" for a count."""
    return Field(default=None, title=title, json_schema_extra={"x-unit": unit})


def plain_title(info: FieldInfo, name: str) -> str:
    """A field's title without its section prefix ("Section E · Payment outcomes" → "Payment outcomes")."""
    return (info.title or name).split(" · ")[-1]


def field_extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


@dataclass(frozen=True)
class MissingInput:
    """An input a final contract needs that has not been filled in."""

    path: str
    title: str

    def __str__(self) -> str:
        return f"{self.path}: {self.title} is not filled in"


def missing_inputs(model: BaseModel, prefix: str = "") -> list[MissingInput]:
    """Every required input of ``model`` that is still unfilled, in declaration order."""
    return list(_missing(model)) if not prefix else list(_walk_missing(model, prefix))


@once
def _missing(model: BaseModel) -> tuple[MissingInput, ...]:
    return tuple(_walk_missing(model, ""))


@dataclass(frozen=True)
class FieldFacts:
    """What the walks over a model read of each of its fields, read once per model class."""

    name: str
    title: str
    """:func:`plain_title`."""
    min_items: int
    """A repeating group's ``x-min-items`` (0 when it may be empty)."""
    required: bool
    """``x-required``: a final contract needs it filled in."""


@functools.cache
def field_facts(model_type: type[BaseModel]) -> tuple[FieldFacts, ...]:
    return tuple(FieldFacts(name, plain_title(info, name), field_extra(info).get("x-min-items", 0),
                            bool(field_extra(info).get("x-required", False)))
                 for name, info in model_type.model_fields.items())


def _walk_missing(model: BaseModel, prefix: str) -> Iterator[MissingInput]:
    for facts in field_facts(type(model)):
        name, title = facts.name, facts.title
        path = f"{prefix}{name}"
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _walk_missing(value, f"{path}.")
        elif isinstance(value, list):
            needed = facts.min_items
            if len(value) < needed:
                what = "at least one entry" if needed == 1 else f"at least {needed} entries"
                yield MissingInput(path, f"{title} ({what})")
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk_missing(item, f"{path}.{index}.")
        elif value is None and facts.required:
            yield MissingInput(path, title)


def field_title(model_type: type[BaseModel], name: str) -> str:
    info = model_type.model_fields[name]
    return info.title or name
