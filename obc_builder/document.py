"""The contract document model both renderers read: sections of blocks, each knowing its clause."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

RunKind = Literal["text", "value", "missing"]
Change = Literal["ins", "del"]


@dataclass(frozen=True)
class Run:
    """A stretch of text: clause wording (``text``), an input value, or an unfilled input."""

    text: str
    kind: RunKind = "text"
    path: str | None = None
    bold: bool = False
    change: Change | None = None
    """In a redline: words the new draft inserts (``ins``) or deletes (``del``); ``None`` in a contract."""


Inline = tuple[Run, ...]
Cell = tuple[Inline, ...]
"""A table cell: one inline per line."""


def plain(inline: Inline) -> str:
    return "".join(run.text for run in inline)


@dataclass(frozen=True)
class Heading:
    level: int
    content: Inline
    clause: str


@dataclass(frozen=True)
class Paragraph:
    content: Inline
    clause: str
    style: Literal["body", "bullet", "item"] = "body"
    level: int = 0
    label: str = ""
    """An item's own number as the clause types it (``a.``, ``iv.``, ``(2)``), the start of ``content``. Word numbers
    the item itself (``render/numbering.py``) and prints only :meth:`after_label`; Markdown prints the label."""

    def after_label(self) -> Inline:
        """The content without its label and the spaces after it (the label's runs are never an input's value)."""
        if not self.label:
            return self.content
        text = plain(self.content)
        cut = len(text) - len(text[len(self.label):].lstrip())
        rest: list[Run] = []
        for run in self.content:
            if cut <= 0:
                rest.append(run)
            elif len(run.text) > cut:
                rest.append(Run(run.text[cut:], run.kind, run.path, run.bold, run.change))
            cut -= len(run.text)
        return tuple(rest)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    clause: str
    kind: Literal["grid", "key", "signature"] = "grid"
    title: Inline | None = None

    @property
    def has_header(self) -> bool:
        return self.kind == "grid"

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class PageBreak:
    clause: str


Block = Heading | Paragraph | Table | PageBreak


@dataclass(frozen=True)
class ClauseInfo:
    id: str
    title: str
    section: str
    source: str
    fields: tuple[str, ...] = ()
    path: Path | None = None
    """The clause file it was rendered from (the generation manifest records its SHA-256)."""


@dataclass
class Document:
    family: str
    title: str
    district: str
    provider: str
    blocks: list[Block] = field(default_factory=list)
    clauses: list[ClauseInfo] = field(default_factory=list)
    draft: bool = False
    date: date | None = None
    """The contract's date (``date:`` in ``_family.yaml``: its effective or contract date), if filled in."""
    title_block: bool = True
    """Whether Word opens with the generated title block; ``title_block: false`` in ``_family.yaml`` for a family
    whose source opens with its own caption (SES), so page 1 does not state the title twice."""

    _values: tuple[int, list[tuple[int, Run]]] | None = field(default=None, init=False, repr=False, compare=False)

    def runs(self) -> list[Run]:
        """Every run of the document, in reading order."""
        return [run for block in self.blocks for run in runs_of(block)]

    def values(self) -> list[tuple[int, Run]]:
        """Every value run (printed from a field, or an unfilled input) with its block's index, in reading order.

        Read once per document: blocks are only ever added, so the list is read again only when there are more."""
        if self._values is None or self._values[0] != len(self.blocks):
            found = [(index, run) for index, block in enumerate(self.blocks) for run in runs_of(block)
                     if run.kind != "text" or run.path]
            self._values = (len(self.blocks), found)
        return self._values[1]

    def missing(self) -> list[Run]:
        return [run for _, run in self.values() if run.kind == "missing"]

    def clause(self, clause_id: str) -> ClauseInfo:
        return next(info for info in self.clauses if info.id == clause_id)

    def value_run(self, path: str) -> tuple[int, Run] | None:
        """The first printed value of a field (or of a part of it; else of a field containing it), with its block."""
        printed = [(index, run) for index, run in self.values() if run.path]
        inside = [(i, r) for i, r in printed if r.path == path or (r.path or "").startswith(path + ".")]
        around = [(i, r) for i, r in printed if path.startswith((r.path or "") + ".")]
        candidates = inside or around
        return candidates[0] if candidates else None

    def clause_for(self, path: str) -> ClauseInfo | None:
        """Where a field path shows: the clause that prints its value, else the clause whose ``fields`` name it."""
        if found := self.value_run(path):
            return self.clause(self.blocks[found[0]].clause)
        return next((info for info in self.clauses if any(related(path, f) for f in info.fields)), None)


DRAFT_NOTICE = "DRAFT: inputs highlighted in yellow are not yet filled in. Not for signature."


_NOT_TEXT = {0xE000: None, 0xE001: None}  # templating.TOKEN_OPEN and TOKEN_CLOSE


def notice_for(document: Document, error_messages: Sequence[str]) -> str:
    """The draft banner of ``document``: its unfilled inputs (each counted once) and the rule errors' messages."""
    unfilled = {(run.path, run.text) for run in document.missing()}
    # A message may quote an input; the private-use characters values travel as during a render are no text.
    return draft_notice(len(unfilled), [text.translate(_NOT_TEXT) for text in error_messages])


def draft_notice(unfilled: int, errors: Sequence[str]) -> str:
    """The banner of a draft: why it is a draft (unfilled inputs, rule errors, or both), errors spelled out."""
    reasons = []
    if unfilled:
        verb = "inputs are" if unfilled > 1 else "input is"
        reasons.append(f"{unfilled} {verb} not yet filled in (highlighted in yellow)")
    if errors:
        listed = "; ".join(f"({n}) {text.rstrip('.')}" for n, text in enumerate(errors, 1))
        reasons.append(f"the rules found {len(errors)} error{'s' if len(errors) > 1 else ''}: {listed}")
    if not reasons:
        return "DRAFT: Not for signature."
    if unfilled and not errors:
        return DRAFT_NOTICE
    return f"DRAFT: {' and '.join(reasons)}. Not for signature."


def related(a: str, b: str) -> bool:
    """Whether two field paths are the same field or one contains the other."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def change_of(runs: Sequence[Run]) -> Change | None:
    """A whole line, paragraph or row inserted or deleted in a redline: every one of its runs is (``None`` when its
    runs are unchanged or mixed, or when it has none)."""
    changes = {run.change for run in runs}
    return next(iter(changes)) if runs and len(changes) == 1 else None


def runs_of(block: Block) -> list[Run]:
    """The runs of one block, in reading order (a table's title, then its cells row by row)."""
    if isinstance(block, (Heading, Paragraph)):
        return list(block.content)
    if isinstance(block, Table):
        found = list(block.title or ())
        for row in block.rows:
            for cell in row:
                for line in cell:
                    found.extend(line)
        return found
    return []
