"""Inputs + clause library → the contract document model."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel

from .document import ClauseInfo, Document
from .library import Clause, family_meta, index_of, load_library
from .markup import inline, parse_blocks
from .templating import environment, render_text, to_context


def clause_context(contract: BaseModel, draft: bool = False,
                   clauses: tuple[Clause, ...] | None = None) -> dict[str, Any]:
    """The variables every clause of the contract's family sees (``clauses``: the library in use, for ``ref()``)."""
    namespace = to_context(contract)
    context = dict(vars(namespace))
    figures = getattr(contract, "figures", None)
    context["computed"] = to_context(figures(), "computed.") if callable(figures) else None
    context["draft"] = draft
    context["labels"] = family_meta(str(getattr(contract, "family"))).get("labels", {})  # noqa: B009
    family = str(getattr(contract, "family"))  # noqa: B009 - each family model declares it
    context["clause_index"] = index_of(clauses or load_library(family))  # for ref()
    return context


def assemble(contract: BaseModel, draft: bool = False, clauses: tuple[Clause, ...] | None = None) -> Document:
    """Choose the family's clauses that apply, render each with the inputs, and collect their blocks.

    ``clauses``: the library to use, when a district's own clauses are in it (see :mod:`.district`); by default
    the family's standard clauses."""
    from .district import applies, render_clause

    family = str(getattr(contract, "family"))  # noqa: B009 - each family model declares it
    clauses = clauses or load_library(family)
    context = clause_context(contract, draft, clauses)
    meta = family_meta(family)
    document = Document(
        family=family,
        title=str(meta["title"]),
        district=_party_name(meta["district"], context),
        provider=_party_name(meta["provider"], context),
        draft=draft,
        date=_contract_date(meta.get("date"), context),
        title_block=bool(meta.get("title_block", True)),
    )
    for clause in clauses:
        if not applies(clause, context):
            continue
        text, slots = render_clause(clause, context)
        document.blocks.extend(parse_blocks(text, slots, clause.id))
        document.clauses.append(ClauseInfo(clause.id, clause.title, clause.section, clause.source, clause.fields,
                                           clause.path))
    return document


def _party_name(template: str, context: dict[str, Any]) -> str:
    """A party's name for the header and properties: ``_family.yaml``'s template, values filled in as text."""
    from .library import compile_inline

    text, slots = render_text(compile_inline(template), context)
    return "".join(run.text for run in inline(text, slots))


def _contract_date(expression: Any, context: dict[str, Any]) -> date | None:
    """The contract's date: ``_family.yaml``'s ``date:`` expression (``dates.effective_date``), if filled in."""
    if not expression:
        return None
    value = _expression(str(expression))(**context)
    value = getattr(value, "value", value)  # a Val carries the input's value; an unfilled input is Missing
    return value if isinstance(value, date) else None


@cache
def _expression(source: str) -> Any:
    """A Jinja expression from family metadata, compiled once in the one (sandboxed) environment."""
    return environment().compile_expression(source)
