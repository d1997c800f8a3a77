"""Clause markup: the line-oriented block language a rendered clause is written in (see docs/clauses.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .document import Block, Heading, Inline, PageBreak, Paragraph, Run, Table
from .errors import TemplateError
from .templating import TOKEN_RE, Slot

_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_BULLET = re.compile(r"^((?:  )*)- (.*)$")
_ITEM = re.compile(r"^>([1-4]) (.*)$")
_TABLE = re.compile(r"^::(table|keytable|signature)\b ?(.*)$")


@dataclass(frozen=True)
class _Text:
    """A stretch of marked-up text, parsed once: clause wording as finished runs (shared by every contract that prints
    the same words), each value as the number of its slot and whether it is bold, filled in per contract."""

    pieces: tuple[Run | tuple[int, bool], ...]
    static: bool

    def fill(self, slots: list[Slot]) -> Inline:
        if self.static:
            return self.pieces  # type: ignore[return-value]
        runs: list[Run] = []
        for piece in self.pieces:
            if isinstance(piece, Run):
                runs.append(piece)
                continue
            slot = slots[piece[0]]
            if slot.text or slot.missing:
                runs.append(Run(slot.text, "missing" if slot.missing else "value", slot.path, piece[1]))
        return tuple(runs)


def _text(text: str) -> _Text:
    """Split marked-up text into clause wording (``**bold**`` allowed) and value tokens."""
    pieces: list[Run | tuple[int, bool]] = []
    bold = False

    def wording(segment: str) -> None:
        nonlocal bold
        for index, part in enumerate(segment.split("**")):
            if index:
                bold = not bold
            if part:
                pieces.append(Run(part, bold=bold))

    position = 0
    for match in TOKEN_RE.finditer(text):
        wording(text[position:match.start()])
        pieces.append((int(match.group(1)), bold))
        position = match.end()
    wording(text[position:])
    return _Text(tuple(pieces), all(isinstance(piece, Run) for piece in pieces))


def inline(text: str, slots: list[Slot]) -> Inline:
    """Split marked-up text into runs: clause wording (``**bold**`` allowed), values and unfilled inputs."""
    return _text(text).fill(slots)


_LABEL = re.compile(r"^(\((?:\d{1,3}|[A-Za-z]{1,5})\)|(?:\d{1,3}|[A-Za-z]{1,5})[.)])\s+")
_ROMAN = re.compile(r"^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


def is_label(text: str) -> bool:
    """Whether text is an item label: ``1.``, ``a.``, ``iv.``, ``B)``, ``(2)`` (letters: one, or a roman numeral)."""
    match = _LABEL.match(text + " ")
    if not match or match.end() != len(text) + 1:
        return False
    core = text.strip("().")
    return core.isdigit() or len(core) == 1 or (core in (core.lower(), core.upper()) and
                                                  bool(_ROMAN.match(core.lower())))


def split_label(content: Inline) -> str:
    """An item's typed label (the start of its text: ``a.``, ``iv.``, ``(2)``), or ``""`` if it has none.

    The label may come from a computed value (``{{ "abc"[loop.index0] }}.``) but never from an input's value."""
    text = "".join(run.text for run in content)
    match = _LABEL.match(text)
    if not match or not is_label(match.group(1)):
        return ""
    cut = match.end()
    for run in content:
        if cut <= 0:
            break
        if run.kind == "missing" or run.path is not None:
            return ""
        cut -= len(run.text)
    return match.group(1)


_Cell = tuple[_Text, ...]


def _cell(text: str) -> _Cell:
    lines = [part.strip() for part in text.split("<br>")]
    while lines and not lines[-1]:
        lines.pop()
    return tuple(_text(line) for line in lines)


def _row(line: str) -> tuple[_Cell, ...]:
    body = line.strip()
    if not (body.startswith("|") and body.endswith("|")) or len(body) < 2:
        raise ValueError(f"a table row starts and ends with '|': {line!r}")
    return tuple(_cell(part) for part in body[1:-1].split("|"))


@dataclass(frozen=True)
class _Block:
    """A block of a rendered clause whose values are still slot numbers: ``kind`` is the block's class, ``style`` a
    paragraph's style or a table's kind, ``content`` a heading's or paragraph's text, ``rows`` a table's cells."""

    kind: type[Block]
    clause: str
    style: str = ""
    level: int = 0
    content: _Text | None = None
    rows: tuple[tuple[_Cell, ...], ...] = ()

    def fill(self, slots: list[Slot]) -> Block:
        if self.kind is Table:
            rows = tuple(tuple(tuple(line.fill(slots) for line in cell) for cell in row) for row in self.rows)
            title = self.content.fill(slots) if self.content else None
            return Table(rows, self.clause, self.style, title)  # type: ignore[arg-type]
        if self.kind is PageBreak:
            return PageBreak(self.clause)
        content = self.content.fill(slots) if self.content else ()
        if self.kind is Heading:
            return Heading(self.level, content, self.clause)
        label = split_label(content) if self.style == "item" else ""
        return Paragraph(content, self.clause, self.style, self.level, label)  # type: ignore[arg-type]

    @property
    def static(self) -> bool:
        texts = [self.content] if self.content else []
        texts += [line for row in self.rows for cell in row for line in cell]
        return all(text.static for text in texts)


def parse_blocks(text: str, slots: list[Slot], clause: str) -> list[Block]:
    """Turn a rendered clause into blocks. Values are tokens here, so they can never add structure.

    The text is parsed once per process (:func:`_plan`); the same text rendered for another contract (the same
    clause, its loops run as often, so its values at the same token numbers) only has its values filled in."""
    return [block if isinstance(block, Heading | Paragraph | Table | PageBreak) else block.fill(slots)
            for block in _plan(text, clause)]


@lru_cache(maxsize=2048)
def _plan(text: str, clause: str) -> tuple[Block | _Block, ...]:
    """The blocks of a rendered clause: finished where they hold no value (shared by every contract), else to be
    filled in. Bounded, so a batch of contracts that all differ keeps its memory flat."""
    plan = []
    for block in _parse(text, clause):
        plan.append(block.fill([]) if block.static else block)
    return tuple(plan)


def _parse(text: str, clause: str) -> Iterator[_Block]:
    lines = [line.rstrip() for line in text.splitlines()]
    index = 0
    try:
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line.strip():
                continue
            if line.startswith("|"):
                raise ValueError(f"a table row must follow a ::table line: {line!r}")
            if table := _TABLE.match(line):
                kind = {"table": "grid", "keytable": "key", "signature": "signature"}[table.group(1)]
                rows = []
                while index < len(lines) and lines[index].lstrip().startswith("|"):
                    rows.append(_row(lines[index]))
                    index += 1
                title = _text(table.group(2)) if table.group(2).strip() else None
                yield _Block(Table, clause, kind, content=title, rows=tuple(rows))
            elif line.strip() == "::pagebreak":
                yield _Block(PageBreak, clause)
            elif heading := _HEADING.match(line):
                yield _Block(Heading, clause, level=len(heading.group(1)), content=_text(heading.group(2)))
            elif bullet := _BULLET.match(line):
                level = len(bullet.group(1)) // 2 + 1
                yield _Block(Paragraph, clause, "bullet", level, _text(bullet.group(2)))
            elif item := _ITEM.match(line):
                yield _Block(Paragraph, clause, "item", int(item.group(1)), _text(item.group(2)))
            else:
                yield _Block(Paragraph, clause, "body", 0, _text(line.strip()))
    except ValueError as error:
        raise TemplateError(f"clause {clause}: {error}") from error
