"""Where a payment rule sits in the contract, numbered as the contract numbers it ("Section I.1.b.ii").

A settlement names the clause that requires each rule it applies. The number is read from the contract itself
(assembled from the same inputs), never typed here: which items a contract prints depends on its inputs (an
in-person HDT contract has no platform items, an SES contract for online tutoring letters its sections one
earlier), so only the assembled document knows what a lawyer would cite. A rule is found by a few words of
the clause it applies, which every version of that clause prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Heading, Paragraph, plain

_HEADING_NUMBER = re.compile(r"^(?:SECTION\s+)?([A-Z0-9]{1,4})[.:]\s", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """A payment rule: the clause that holds it and words of the item that states it."""

    clause: str
    words: str


def cite(document: Document, rule: Rule) -> str:
    """``Section I.1.b.ii``: the numbers of the headings and items above the words, joined as the contract's
    cross-references join them; ``Section <section>`` when the words are not in this contract."""
    section = next((info.section for info in document.clauses if info.id == rule.clause), "")
    headings: dict[int, str] = {}
    items: dict[int, str] = {}
    for block in document.blocks:
        if block.clause != rule.clause:
            continue
        if isinstance(block, Heading):
            match = _HEADING_NUMBER.match(plain(block.content))
            headings = {k: v for k, v in headings.items() if k < block.level}
            if match:
                headings[block.level] = match.group(1)
            items = {}
        elif isinstance(block, Paragraph):
            if block.style == "item" and block.label:
                items = {k: v for k, v in items.items() if k < block.level}
                items[block.level] = block.label.strip("().")
            if rule.words in plain(block.content):
                return "Section " + ".".join(_parts(section, headings, items, block))
    return f"Section {section}" if section else "the contract"


def _parts(section: str, headings: dict[int, str], items: dict[int, str], block: Paragraph) -> list[str]:
    parts = [section] if section else []
    parts += [number for _, number in sorted(headings.items()) if number != section]
    if block.style == "item":
        parts += [label for level, label in sorted(items.items()) if level <= block.level]
    return parts
