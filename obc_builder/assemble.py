"""Inputs + clause library → the contract document model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .document import ClauseInfo, Document
from .library import family_meta, load_library
from .markup import parse_blocks
from .templating import Missing, render_text, to_context


def clause_context(contract: BaseModel, draft: bool = False) -> dict[str, Any]:
    """The variables every clause of the contract's family sees."""
    namespace = to_context(contract)
    context = dict(vars(namespace))
    figures = getattr(contract, "figures", None)
    context["computed"] = to_context(figures(), "computed.") if callable(figures) else None
    context["draft"] = draft
    return context


def assemble(contract: BaseModel, draft: bool = False) -> Document:
    """Choose the family's clauses that apply, render each with the inputs, and collect their blocks."""
    family = str(getattr(contract, "family"))
    context = clause_context(contract, draft)
    parties = getattr(contract, "parties", None)
    document = Document(
        family=family,
        title=str(family_meta(family)["title"]),
        district=_party(parties, "district_name"),
        provider=_party(parties, "provider_name"),
        draft=draft,
    )
    for clause in load_library(family):
        if not clause.applies(context):
            continue
        text, slots = render_text(clause.template, context)
        document.blocks.extend(parse_blocks(text, slots, clause.id))
        document.clauses.append(ClauseInfo(clause.id, clause.title, clause.section, clause.source, clause.fields))
    return document


def _party(parties: Any, name: str) -> str:
    value = getattr(parties, name, None) if parties is not None else None
    return str(value) if value is not None else str(Missing(name, name.replace("_name", "").title()))
