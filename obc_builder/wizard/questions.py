"""The wizard's questions, derived from a family's input model: nothing here names a field.

Each field declared with :func:`~obc_builder.models.base.inp` becomes a :class:`Question`: its title, its
description (the help text), the policy entry holding its recommended value, its green example, and a
:class:`Kind` read from its type. A group of inputs becomes a question whose ``fields`` are asked in turn;
a list of sub-models becomes a repeating group. The top-level fields of the contract model are the steps.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..models.base import ANSWERED, field_extra, plain_title
from ..models.types import Money, Percent

Path = tuple[str | int, ...]
"""Where an answer lives in the answers file: field names, with list indexes as integers."""


class Kind(StrEnum):
    text = "text"
    multiline = "multiline"
    date = "date"
    money = "money"
    percent = "percent"
    integer = "integer"
    number = "number"
    choice = "choice"
    yesno = "yesno"
    choices = "choices"  # several of an enum's values
    list = "list"  # a repeating group of single values (e.g. selection criteria)
    items = "items"  # a repeating group of sub-models (e.g. school sites)
    group = "group"  # a group of inputs asked one after the other


SCALAR_KINDS = frozenset({Kind.text, Kind.multiline, Kind.date, Kind.money, Kind.percent, Kind.integer, Kind.number,
                          Kind.choice, Kind.yesno, Kind.choices})


@dataclass(frozen=True)
class Question:
    """One input of the model, as the wizard asks it."""

    name: str
    title: str  # the plain title, without a section prefix
    heading: str  # the full title ("Section F · Rate card"), shown as a step's heading
    help: str
    kind: Kind
    required: bool = False
    policy: str | None = None  # key of the policy entry whose value is the recommended default
    example: Any = None
    min_items: int = 0
    choices: tuple[tuple[str, Any], ...] = ()  # (label, stored value) for choice and choices
    item: Question | None = None  # Kind.list: the question asked for one entry
    fields: tuple[Question, ...] = ()  # Kind.group and Kind.items: the questions of the group or of one entry
    ask_if: tuple[str, tuple[Any, ...]] | None = None  # (sibling, values): asked only when the sibling holds one
    choices_from: str | None = None  # the answer whose values are the only choices offered (see offered())
    derive: str | None = None  # what pre-fills the answer (see inp(derive=...))
    choice_values: tuple[tuple[Any, str], ...] = ()  # (stored choice, the number it stands for): inp(choice_values=)
    optional_group: bool = False  # a group asked only when the officer wants to fill it in (group(optional=True))
    together: tuple[str, tuple[str, ...]] | None = None  # (form, siblings) typed on one line with it: inp(together=)

    def field(self, name: str) -> Question | None:
        return next((q for q in self.fields if q.name == name), None)


def humanize(name: str) -> str:
    """``district_boilerplate`` → "District boilerplate"."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        members = [arg for arg in get_args(tp) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return tp


def _core(tp: Any) -> Any:
    """The plain type under ``Optional`` and ``Annotated`` wrappers."""
    tp = _strip_optional(tp)
    while get_origin(tp) is Annotated:
        tp = _strip_optional(get_args(tp)[0])
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _enum_label(member: Enum) -> str:
    """What the contract calls a value (``labels`` in a family's ``_family.yaml``, keyed ``Strategy`` →
    ``strategy``), so the officer picks the words the contract will print; else the value in plain words."""
    from ..families import FAMILY_NAMES
    from ..library import family_meta

    key = re.sub(r"(?<!^)(?=[A-Z])", "_", type(member).__name__).lower()
    for family in FAMILY_NAMES:
        table = (family_meta(family).get("labels") or {}).get(key) or {}
        if isinstance(table.get(str(member.value)), str):
            return str(table[str(member.value)])
    return humanize(str(member.value))


def _choices_of(core: Any) -> tuple[tuple[str, Any], ...]:
    if isinstance(core, type) and issubclass(core, Enum):
        return tuple((_enum_label(member), member.value) for member in core)
    if get_origin(core) is Literal:
        return tuple((humanize(str(value)), value) for value in get_args(core))
    return ()


def _scalar_kind(tp: Any, multiline: bool) -> Kind:
    inner = _strip_optional(tp)
    if inner == Money:
        return Kind.money
    if inner == Percent:
        return Kind.percent
    core = _core(inner)
    if core is bool:
        return Kind.yesno
    if _choices_of(core):
        return Kind.choice
    if core is int:
        return Kind.integer
    if core in (Decimal, float):
        return Kind.number
    if core is date:
        return Kind.date
    return Kind.multiline if multiline else Kind.text


def question_for(name: str, info: FieldInfo) -> Question:
    extra = field_extra(info)
    common: dict[str, Any] = {
        "name": name,
        "title": plain_title(info, name) if info.title else humanize(name),
        "heading": info.title or humanize(name),
        "help": (info.description or "").strip(),
        "required": bool(extra.get("x-required", False)),
        "policy": extra.get("x-policy"),
        "example": info.examples[0] if info.examples else None,
        "min_items": int(extra.get("x-min-items", 0)),
        "ask_if": (extra["x-ask-if"]["field"], tuple(extra["x-ask-if"]["in"])) if "x-ask-if" in extra else None,
        "choices_from": extra.get("x-choices-from"),
        "derive": extra.get("x-derive"),
        "choice_values": tuple((extra.get("x-choice-values") or {}).items()),
        "optional_group": bool(extra.get("x-optional-group")),
        "together": (extra["x-together"]["form"], tuple(extra["x-together"]["fields"])) if "x-together" in extra
        else None,
    }
    inner = _strip_optional(info.annotation)
    if get_origin(_core(inner)) is list:
        (item_type,) = get_args(_core(inner)) or (str,)
        item_core = _core(item_type)
        if _is_model(item_core):
            return Question(kind=Kind.items, fields=questions_of(item_core), **common)
        if _choices_of(item_core):
            return Question(kind=Kind.choices, choices=_choices_of(item_core), **common)
        kind = _scalar_kind(item_type, bool(extra.get("x-multiline")))
        item = Question(name=name, title=common["title"], heading=common["heading"], help=common["help"], kind=kind,
                        required=True, example=common["example"], choices=_choices_of(item_core))
        return Question(kind=Kind.list, item=item, **common)
    core = _core(inner)
    if _is_model(core):
        if not common["help"] and core.__doc__:
            common["help"] = core.__doc__.strip().splitlines()[0]
        return Question(kind=Kind.group, fields=questions_of(core), **common)
    kind = _scalar_kind(inner, bool(extra.get("x-multiline")))
    return Question(kind=kind, choices=_choices_of(core), **common)


def _is_constant(info: FieldInfo) -> bool:
    """A field fixed by its type (the ``family`` tag): nothing to ask."""
    core = _core(info.annotation)
    return get_origin(core) is Literal and len(get_args(core)) == 1


@cache
def questions_of(model: type[BaseModel]) -> tuple[Question, ...]:
    """The questions of a model's fields, in declaration order (contract order); not the fields the wizard
    fills in itself (``departures``: the reasons given when a warning is kept)."""
    return tuple(question_for(name, info) for name, info in model.model_fields.items()
                 if not _is_constant(info) and field_extra(info).get("x-asked", True))


def asked_fields(fields: Sequence[Question]) -> tuple[Question, ...]:
    """The questions a group's walk asks: not those typed on one line with a sibling (``inp(together=...)``)."""
    joined = {name for field in fields if field.together for name in field.together[1]}
    return tuple(field for field in fields if field.name not in joined)


def parse_path(text: str) -> Path:
    """``outcomes.0.name`` → ``("outcomes", 0, "name")``."""
    return tuple(int(part) if part.isdigit() else part for part in text.split(".") if part)


def question_at(steps: Sequence[Question], path: Path) -> Question | None:
    """The question answered at ``path`` (for an entry of a repeating group, the group's question)."""
    current: Question | None = None
    options: Sequence[Question] = steps
    for part in path:
        if isinstance(part, int):
            if current is None or current.kind not in (Kind.items, Kind.list):
                return None
            continue
        current = next((q for q in options if q.name == part), None)
        if current is None:
            return None
        options = current.fields
    return current


def is_answered(value: Any) -> bool:
    return value not in (None, "", [])


def relevant(question: Question, siblings: Any, root: Any = None) -> bool:
    """Whether the answers so far make ``question`` worth asking (see ``inp(ask_if=...)``): ``siblings`` are
    the answers of its group or entry, ``root`` the whole contract's (for a dotted ``ask_if`` path). A question
    whose choices come from a dotted path (``choices_from="outcomes.*.name"``) is asked once that path holds an
    answer: a baseline's payment outcome, once payment outcomes exist (see ``Wizard.ask_deferred``)."""
    if question.choices_from and "." in question.choices_from and not _choice_values(question, (), root):
        return False
    if question.ask_if is None:
        return True
    field, values = question.ask_if
    for value in _answers_at(root if "." in field else siblings, field.split(".")):
        if ANSWERED in values and is_answered(value):
            return True
        if any(item in values for item in value) if isinstance(value, list) and value else value in values:
            return True
    return False


def _answers_at(node: Any, parts: Sequence[str]) -> Iterator[Any]:
    """The answers at a dotted path; ``*`` stands for every entry of a list (``schools.*.uses_nwea_map``)."""
    if not parts:
        yield node
    elif parts[0] == "*":
        for entry in node if isinstance(node, list) else []:
            yield from _answers_at(entry, parts[1:])
    elif parts[0].isdigit():
        index = int(parts[0])
        yield from _answers_at(node[index] if isinstance(node, list) and index < len(node) else None, parts[1:])
    else:
        yield from _answers_at(node.get(parts[0]) if isinstance(node, dict) else None, parts[1:])


def _choice_values(question: Question, path: Path, data: Any) -> list[Any]:
    """The answers a ``choices_from`` names: at a dotted path from the top (``outcomes.*.name``), else in the
    nearest enclosing group or entry that has that field (not the question itself)."""
    assert question.choices_from is not None
    if "." in question.choices_from:
        found = _answers_at(data, question.choices_from.split("."))
        return list(dict.fromkeys(value for value in found if is_answered(value) and not isinstance(value, list)))
    chosen: Any = None
    for depth in range(len(path) - 1, -1, -1):
        node = data
        for part in path[:depth]:
            node = node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else (
                node.get(part) if isinstance(node, dict) and isinstance(part, str) else None)
        if isinstance(node, dict) and question.choices_from in node and not (
                depth == len(path) - 1 and question.choices_from == question.name):
            chosen = node[question.choices_from]
            break
    return chosen if isinstance(chosen, list) else [] if chosen is None else [chosen]


def waiting_on(step: Question, data: Any) -> set[str]:
    """The steps whose answers a question of ``step`` chooses among (``choices_from="outcomes.*.name"``), where
    that question is unanswered: skipped while the step it chooses from holds no answer (a baseline's payment
    outcome before any outcome is entered), or left empty. The wizard asks it again once that step is done."""
    def deferred(question: Question) -> Iterator[Question]:
        if question.choices_from and "." in question.choices_from:
            yield question
        for field in question.fields:
            yield from deferred(field)

    sources = {q.choices_from.split(".")[0]: q for q in deferred(step) if q.choices_from}
    found = {source for source, q in sources.items() if not _choice_values(q, (), data)}
    for path, answered in positions((step,), data):
        question = question_at((step,), path)
        if not answered and question is not None and question in sources.values():
            found.add(str(question.choices_from).split(".")[0])
    return found


def offered(question: Question, path: Path, data: Any) -> Question:
    """``question`` with only the choices its ``choices_from`` answers hold: an objective's strategies among its
    grade's; a text answer becomes a choice among the answers named (a baseline's payment outcome among the
    outcomes' names), keeping an earlier answer that is not among them. Unchanged without ``choices_from``."""
    if question.choices_from is None:
        return question
    values = _choice_values(question, path, data)
    if question.kind is Kind.text:
        current: Any = data
        for part in path:
            current = (current[part] if isinstance(current, list) and isinstance(part, int) and part < len(current)
                       else current.get(part) if isinstance(current, dict) and isinstance(part, str) else None)
        names = list(dict.fromkeys([*values, current] if is_answered(current) else values))
        return replace(question, kind=Kind.choice, choices=tuple((str(name), name) for name in names))
    return replace(question, choices=tuple(pair for pair in question.choices if pair[1] in values))


def positions(questions: Sequence[Question], data: Any, prefix: Path = (), root: Any = None) -> Iterator[
        tuple[Path, bool]]:
    """Every place the walk stops, in order, and whether it holds an answer.

    A repeating group's entries come first, then the group itself (its add / edit / remove menu), so that a
    run interrupted after an entry resumes at that menu.
    """
    values = data if isinstance(data, dict) else {}
    root = values if root is None else root
    for question in asked_fields(questions):
        if not relevant(question, values, root):
            continue
        path = prefix + (question.name,)
        value = values.get(question.name)
        if question.kind is Kind.group:
            yield from positions(question.fields, value, path, root)
        elif question.kind is Kind.items:
            for index, entry in enumerate(value if isinstance(value, list) else []):
                yield from positions(question.fields, entry, path + (index,), root)
            yield path, False
        elif question.kind is Kind.list:
            for index, entry in enumerate(value if isinstance(value, list) else []):
                yield path + (index,), is_answered(entry)
            yield path, False
        else:  # with the inputs typed on one line with it: answered when they all are
            siblings = question.together[1] if question.together else ()
            yield path, is_answered(value) and all(is_answered(values.get(name)) for name in siblings)


def resume_point(questions: Sequence[Question], data: Any) -> Path | None:
    """The first place after the last answer; ``None`` when nothing is left after it."""
    stops = list(positions(questions, data))
    last = max((index for index, (_, answered) in enumerate(stops) if answered), default=-1)
    return stops[last + 1][0] if last + 1 < len(stops) else None
