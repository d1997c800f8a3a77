"""The deviation memo that opens a review file, and the list of clauses that closes it.

What differs from the standard: every input that departs from a recommendation (with the District's reason where
the inputs give one), every clause of the District's own (``--clauses DIR``), every optional clause switched on or
off and by which input, and every correction the clauses make to their source's wording (their ``errata:``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from .library import Clause, load_library
from .locations import plain_source
from .places import place_of_clause, place_of_words
from .render.markdown import escape, inline_text
from .rules.engine import Finding, rules_for
from .selection import Selection, selections

if TYPE_CHECKING:
    from .review import Review


_FILE = re.compile(r",? \(?sources/[\w.-]+\)?")


@cache
def source_words(source: str) -> str:
    """A clause's source as a reader names it: the document's name, without the project's file of its text."""
    return _FILE.sub("", plain_source(source))


def _item(place: str | None, text: str) -> str:
    """A memo line: the place as the contract numbers it, in bold, then what is there."""
    return f"- **{escape(place)}** · {inline_text(text)}" if place else f"- {inline_text(text)}"


def _recommendation_rules(family: str) -> set[str]:
    return {r.id for r in rules_for(family) if r.policy_key or "-POL-" in r.id}


def departures(review: Review) -> list[Finding]:
    """The findings that are departures from a recommendation, or that the District keeps with a reason."""
    recommended = _recommendation_rules(review.document.family)
    reasons = review.reasons
    return [f for f in review.findings if not f.clause and (f.rule in recommended or f.path in reasons)]


def _selections(review: Review) -> list[Selection]:
    if review.selected is None:
        review.selected = selections(review.clauses, review.contract, {info.id for info in review.document.clauses})
    return review.selected


def _clause_place(review: Review, clause: Clause) -> str | None:
    return place_of_clause(review.document, clause.id, review.places)


def deviations_section(review: Review) -> list[str]:
    lines = ["## What differs from the standard", ""]
    lines += ["### Inputs that depart from a recommendation", ""]
    found = departures(review)
    for finding in found:
        reason = review.reasons.get(finding.path)
        said = f" District's reason: {reason}" if reason else " The inputs give no reason."
        lines.append(f"- {inline_text(review.where(finding))}: {inline_text(finding.message + said)}")
    if not found:
        lines.append("None: every input the rules compare with a recommendation meets it.")
    lines += ["", "### The District's own clauses", ""]
    chosen = _selections(review)
    own = [s for s in chosen if s.clause.district]
    replaced = {c.id for c in load_library(review.document.family)}
    for item in own:
        what = "replaces the standard clause" if item.clause.id in replaced else "is added to the standard contract"
        state = "" if item.included else " It is not in this contract (its condition is false)."
        lines.append(_item(_clause_place(review, item.clause),
                           f"“{item.clause.title}” {what} (file {item.clause.path.name}; source: "
                           f"{source_words(item.clause.source)}).{state}"))
    if not own:
        lines.append("None: every clause is the standard text.")
    lines += ["", "### Optional clauses switched on or off", ""]
    optional = [s for s in chosen if s.optional]
    placed = [(_clause_place(review, item.clause), item) for item in optional]
    for index, (place, item) in enumerate(placed):
        if place is None and index and placed[index - 1][0] is None and placed[index - 1][1].reason == item.reason:
            continue  # said with the clause before it: clauses left out for one reason are one line
        titles = [item.clause.title]
        if place is None:
            for later_place, later in placed[index + 1:]:
                if later_place is not None or later.reason != item.reason:
                    break
                titles.append(later.clause.title)
        named = ", ".join(f"“{title}”" for title in titles)
        lines.append(_item(place, f"{named}: {item.reason}"))
    if not optional:
        lines.append("None: every clause of this family is in every contract.")
    lines += ["", "### Corrections to the source's wording", ""]
    corrected = [(s.clause, e) for s in chosen if s.included for e in s.clause.errata]
    for clause, erratum in corrected:
        lines.append(_item(place_of_words(review.document, clause.id, erratum.corrected, review.places),
                           f"“{clause.title}”: the source's “{' '.join(erratum.original.split())}” reads "
                           f"“{' '.join(erratum.corrected.split())}” ({erratum.why})"))
    if not corrected:
        lines.append("None: the clauses of this contract print their sources' words unchanged.")
    return lines + [""]


def clauses_section(review: Review) -> list[str]:
    lines = ["## Clauses in this contract", "",
             "Each clause, the document it transcribes, the law it enforces and why it is in this contract.", "",
             "| Place | Clause | Source | Law | Why |", "|---|---|---|---|---|"]
    for item in _selections(review):
        if not item.included:
            continue
        clause = item.clause
        why = "the District's own clause" if clause.district else item.reason
        cells = [_clause_place(review, clause) or "", clause.title, source_words(clause.source),
                 "; ".join(clause.citations) or "none cited", why]
        lines.append("| " + " | ".join(inline_text(cell, in_table=True) for cell in cells) + " |")
    return lines + [""]
