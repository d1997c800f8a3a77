"""Places in a contract as the contract numbers them: "Section I.1.b", "Section 3.E", "Section F.3".

A lawyer cites a contract by its own numbers: the section letter or number of its headings, then the labels of the
items down to the place (``# SECTION I`` › ``## 1. DISTRICT RESPONSIBILITIES`` › ``>1 b.`` is Section I.1.b). Where
a contract has no number for a place (the AGR contract's terms are titled paragraphs), the place is its section
and clause title ("Contract Terms › Reporting").
"""

from __future__ import annotations

import re

from .document import Document, Heading, Paragraph, plain, runs_of

_NUMBERED = re.compile(r"^(?:SECTION\s+)?([A-Z0-9]{1,4})[.:]\s+(.+)$", re.IGNORECASE)
_SHORT = re.compile(r"^[A-Z0-9]{1,3}$")


def plain_text(block: object) -> str:
    return "".join(run.text for run in runs_of(block))  # type: ignore[arg-type]


def _label(text: str) -> str:
    """An item label as cited: ``b.`` → ``b``, ``iv.`` → ``iv``, ``(2)`` stays ``(2)``."""
    return text if text.startswith("(") else text.rstrip(".)")


class Places(list[str]):
    """The place of each block, by block index; ``indexes``: each clause's block indexes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.indexes: dict[str, list[int]] = {}
        self.texts: dict[int, str] = {}
        """A block's text on one line, read once (by :func:`place_of_words`)."""


def block_places(document: Document) -> Places:
    """The place of every block of the document, in the contract's own numbering."""
    places = Places()
    infos = {info.id: info for info in document.clauses}
    for index, block in enumerate(document.blocks):
        places.indexes.setdefault(block.clause, []).append(index)
    top: str | None = None  # the number of the last level-1 heading
    number: str | None = None  # the number the blocks under the last heading have
    items: list[str] = []
    for block in document.blocks:
        info = infos[block.clause]
        section = info.section if _SHORT.match(info.section) else None
        if section and top != section and not (isinstance(block, Heading) and block.level == 1):
            top = number = section  # a clause of another section, without a heading of its own
            items = []
        if isinstance(block, Heading):
            match = _NUMBERED.match(plain(block.content).strip())
            items = []
            if block.level == 1:
                top = number = match.group(1) if match else section
            elif block.level == 2:
                number = f"{top}.{match.group(1)}" if match and top else match.group(1) if match else top
        elif isinstance(block, Paragraph) and block.style == "item" and block.label:
            items = items[:block.level - 1] + [""] * max(0, block.level - 1 - len(items)) + [_label(block.label)]
            places.append(_cite([number or "", *items], info.section, info.title))
            continue
        elif not (isinstance(block, Paragraph) and block.style in ("item", "bullet")):
            items = []
        places.append(_cite([number or ""], info.section, info.title))
    return places


def _cite(parts: list[str], section: str, title: str) -> str:
    parts = [part for part in parts if part]
    if parts:
        return "Section " + ".".join(parts)
    return f"Section {section}" if _SHORT.match(section) else f"{section} › {title}"


def place_of_clause(document: Document, clause_id: str, places: Places | None = None) -> str | None:
    """Where a clause starts in the contract (None when the contract does not have it)."""
    places = places or block_places(document)
    indexes = places.indexes.get(clause_id, [])
    if not indexes:
        return None
    first = indexes[0]
    opening = [document.blocks[i] for i in indexes[:2]]
    if len(opening) == 2 and all(isinstance(b, Heading) for b in opening) and \
            [b.level for b in opening] == [1, 2]:  # type: ignore[union-attr]
        return places[indexes[1]]  # "# SECTION D" then "## 1. LENGTH OF PROGRAM": the clause is D.1
    return places[first]


def place_of_words(document: Document, clause_id: str, words: str, places: Places | None = None) -> str | None:
    """Where a clause prints ``words`` (an erratum's correction), else where the clause starts."""
    places = places or block_places(document)
    wanted = " ".join(words.split())
    for index in places.indexes.get(clause_id, []):
        if index not in places.texts:
            places.texts[index] = " ".join(plain_text(document.blocks[index]).split())
        if wanted in places.texts[index]:
            return places[index]
    return place_of_clause(document, clause_id, places)


def place_of_field(document: Document, path: str, places: Places | None = None) -> str | None:
    """Where the contract prints an input (or, failing that, the clause whose ``fields`` name it)."""
    places = places or block_places(document)
    found = document.value_run(path)
    if found:
        return places[found[0]]
    clause = document.clause_for(path)
    return place_of_clause(document, clause.id, places) if clause else None
