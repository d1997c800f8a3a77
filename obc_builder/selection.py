"""Why each clause is in a contract, or left out, in plain words.

A clause without ``when:`` is in every contract of its family. An optional clause's ``when:`` is a Jinja
expression over the inputs (``payments.funding_source == "federal"``); the reason names each input the condition
reads by its place in the contract, with its value ("Section F · Payments › Funding source is federal"), never by
its field path.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from jinja2 import nodes
from pydantic import BaseModel

from .library import Clause
from .locations import describe_path
from .messages import entries
from .models.types import Money, Percent
from .templating import Missing, Val, environment, format_date, format_money, format_number, format_percent


@dataclass(frozen=True)
class Selection:
    clause: Clause
    included: bool
    reason: str
    """Why, in plain words: "in every contract of this family", or the inputs its condition reads, with their values."""

    @property
    def optional(self) -> bool:
        return self.clause.when is not None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    return None


@cache
def condition_fields(expression: str) -> tuple[str, ...]:
    """The inputs a ``when:`` expression reads, as dotted paths, in order: ``payments.funding_source``, …"""
    tree = environment().parse("{{ " + expression + " }}")
    found: list[str] = []
    inner = {id(child.node) for child in tree.find_all(nodes.Getattr)}
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if id(node) in inner or (isinstance(node, nodes.Name) and node.ctx != "load"):
            continue  # a step of a longer path (payments of payments.funding_source)
        path = _dotted(node)
        if path and path not in found:
            found.append(path)
    return tuple(found)


def _lookup(contract: BaseModel, figures: Any, path: str) -> Any:
    """The value at ``path``: an input of the contract, or (``computed.…``) a derived figure."""
    first, *rest = path.split(".")
    value: Any = figures if first == "computed" else getattr(contract, first, None)
    for part in rest:
        value = getattr(value, part, None)
    return value


def _annotation(model: type[BaseModel], path: str) -> Any:
    """The type annotation of the field at ``path`` (None for a computed figure or an unknown path)."""
    current: Any = model
    annotation = None
    for part in path.split("."):
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        current = annotation
        for _ in range(4):  # under Optional and Annotated
            if get_origin(current) in (Union, types.UnionType):
                current = next((a for a in get_args(current) if a is not type(None)), None)
            elif get_origin(current) is Annotated:
                current = get_args(current)[0]
    return annotation


def _is(annotation: Any, kind: Any) -> bool:
    return annotation == kind or kind in get_args(annotation)


def value_words(value: Any, annotation: Any = None) -> str:
    """A value as the reason prints it: money, percentages, dates, yes/no, a choice, a list's count."""
    if isinstance(value, Missing) or value is None:  # Missing: from a clause context; None: from the model
        return "not filled in"
    if isinstance(value, list):
        return entries(len(value)) if value else "empty"
    raw = value.value if isinstance(value, Val) else value
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, Enum):
        raw = raw.value
    if isinstance(raw, date):
        return format_date(raw)
    if isinstance(raw, (int, Decimal)) and annotation is not None:
        if _is(annotation, Money):
            return format_money(raw)
        if _is(annotation, Percent):
            return format_percent(raw)
    if isinstance(raw, int):
        return format_number(raw)
    return str(raw).replace("_", " ")


@cache
def _named(model: type[BaseModel], path: str) -> tuple[str, Any]:
    """An input's place in words and its type annotation (the same for every contract of a family)."""
    return describe_path(model, path), _annotation(model, path)


def reason(clause: Clause, included: bool, contract: BaseModel, figures: Any) -> str:
    if clause.when is None:
        return "in every contract of this family"
    reads = []
    for path in condition_fields(clause.when):
        words, annotation = _named(type(contract), path)
        value = _lookup(contract, figures, path)
        raw = value.value if isinstance(value, Val) else value
        # a yes/no input is often titled as a statement ("Every session online…"): "…: no", not "… is no"
        reads.append(f"{words}{': ' if isinstance(raw, bool) else ' is '}{value_words(value, annotation)}")
    return f"{'included' if included else 'left out'}: {'; '.join(reads) or 'its condition'}"


def selections(clauses: tuple[Clause, ...], contract: BaseModel, used: set[str]) -> list[Selection]:
    """Every clause of the library, whether the contract has it (``used``: the ids assembled) and why."""
    compute = getattr(contract, "figures", None)
    figures = compute() if callable(compute) and any(c.when and "computed" in c.when for c in clauses) else None
    return [Selection(clause, clause.id in used, reason(clause, clause.id in used, contract, figures))
            for clause in clauses]
