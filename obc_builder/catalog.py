"""``obc-builder clauses list`` and ``clauses show``: the clause library as a reader sees it, in 80 columns.

Each clause by its id and title, the document and section it transcribes, the law it enforces, when an optional
clause is in a contract, and the corrections it makes to its source's wording. A district's clause folder
(``--clauses DIR``) shows its clauses in place of the standard ones they replace, marked as the District's own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from .district import DistrictClauses, library_with
from .errors import UsageError
from .families import FAMILY_NAMES
from .library import Clause
from .locations import describe_path
from .memo import source_words
from .selection import condition_fields

WIDTH = 80


def _wrapped(label: str, text: str) -> list[str]:
    """``label`` then ``text``, wrapped to 80 columns with the text's lines aligned after the label."""
    indent = " " * 12
    return textwrap.wrap(text, WIDTH, initial_indent=f"  {label:<10}", subsequent_indent=indent,
                         break_on_hyphens=False) or [f"  {label}"]


def _condition(family: str, clause: Clause) -> str:
    """When an optional clause is in a contract, by the inputs its condition reads (their places, not paths)."""
    from .families import get_family

    model = get_family(family).model
    named = [describe_path(model, path) for path in condition_fields(str(clause.when))]
    return f"only when its condition (below) holds, which reads: {'; '.join(named)}"


def _families(family: str | None) -> tuple[str, ...]:
    return (family,) if family else FAMILY_NAMES


def list_lines(family: str | None = None, district: DistrictClauses | None = None) -> Iterator[str]:
    """One entry per clause: id and title, then its source and law, each wrapped to 80 columns."""
    for name in _families(family):
        yield f"{name}: {len(library_with(name, district))} clauses"
        for clause in library_with(name, district):
            mark = " (the District's own)" if clause.district else ""
            optional = " (optional)" if clause.when else ""
            yield from textwrap.wrap(f"{clause.id}  {clause.title}{mark}{optional}", WIDTH,
                                     subsequent_indent="    ")
            yield from _wrapped("source:", source_words(clause.source))
            if clause.citations:
                yield from _wrapped("law:", "; ".join(clause.citations))
        yield ""


def find_clause(clause_id: str, district: DistrictClauses | None = None) -> tuple[str, Clause]:
    """A clause by ``ID`` or ``FAMILY/ID``; an id no clause has, or one of several families, is a usage error."""
    family, _, wanted = clause_id.rpartition("/")
    if family and family not in FAMILY_NAMES:
        raise UsageError(f"{clause_id}: {family!r} is not a family ({', '.join(FAMILY_NAMES)})")
    found = [(name, clause) for name in _families(family or None) for clause in library_with(name, district)
             if clause.id == wanted]
    if not found:
        raise UsageError(f"{clause_id}: no clause has this id; `obc-builder clauses list` lists them")
    if len(found) > 1:
        options = ", ".join(f"{name}/{clause.id}" for name, clause in found)
        raise UsageError(f"{clause_id}: several families have a clause with this id; name one: {options}")
    return found[0]


def show_lines(clause_id: str, district: DistrictClauses | None = None) -> Iterator[str]:
    """Everything the library records about one clause, then its wording as the clause file holds it."""
    family, clause = find_clause(clause_id, district)
    yield f"{clause.id}: {clause.title}"
    yield from _wrapped("family:", family)
    yield from _wrapped("section:", clause.section)
    yield from _wrapped("source:", source_words(clause.source))
    yield from _wrapped("law:", "; ".join(clause.citations) or "none cited")
    yield from _wrapped("included:", _condition(family, clause) if clause.when else "in every contract")
    if clause.when:
        yield from _wrapped("condition:", str(clause.when))
    if clause.district:
        yield from _wrapped("district:", f"the District's own clause, from {clause.path}")
    for erratum in clause.errata:
        yield from _wrapped("corrects:", f"“{' '.join(erratum.original.split())}” → "
                                         f"“{' '.join(erratum.corrected.split())}” ({erratum.why})")
    yield ""
    for line in clause.body.strip("\n").splitlines():
        yield from textwrap.wrap(line, WIDTH, break_on_hyphens=False) or [""]
