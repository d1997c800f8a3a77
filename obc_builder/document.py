"""The contract document model both renderers read: sections of blocks, each knowing its clause."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RunKind = Literal["text", "value", "missing"]


@dataclass(frozen=True)
class Run:
    """A stretch of text: clause wording (``text``), an input value, or an unfilled input."""

    text: str
    kind: RunKind = "text"
    path: str | None = None
    bold: bool = False


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


@dataclass
class Document:
    family: str
    title: str
    district: str
    provider: str
    blocks: list[Block] = field(default_factory=list)
    clauses: list[ClauseInfo] = field(default_factory=list)
    draft: bool = False

    def runs(self) -> list[Run]:
        """Every run of the document, in reading order."""
        found: list[Run] = []
        for block in self.blocks:
            if isinstance(block, (Heading, Paragraph)):
                found.extend(block.content)
            elif isinstance(block, Table):
                if block.title:
                    found.extend(block.title)
                for row in block.rows:
                    for cell in row:
                        for line in cell:
                            found.extend(line)
        return found

    def missing(self) -> list[Run]:
        return [run for run in self.runs() if run.kind == "missing"]
