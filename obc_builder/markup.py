"""Clause markup: the line-oriented block language a rendered clause is written in (see docs/clauses.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .document import Block, Cell, Heading, Inline, PageBreak, Paragraph, Run, Table
from .errors import TemplateError
from .templating import TOKEN_RE, Slot

_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_BULLET = re.compile(r"^((?:  )*)- (.*)$")
_ITEM = re.compile(r"^>([1-4]) (.*)$")
_TABLE = re.compile(r"^::(table|keytable|signature)\b ?(.*)$")


def inline(text: str, slots: list[Slot]) -> Inline:
    """Split marked-up text into runs: clause wording (``**bold**`` allowed), values and unfilled inputs."""
    runs: list[Run] = []
    bold = False

    def wording(segment: str) -> None:
        nonlocal bold
        for index, part in enumerate(segment.split("**")):
            if index:
                bold = not bold
            if part:
                runs.append(Run(part, bold=bold))

    position = 0
    for match in TOKEN_RE.finditer(text):
        wording(text[position:match.start()])
        slot = slots[int(match.group(1))]
        if slot.text or slot.missing:
            runs.append(Run(slot.text, "missing" if slot.missing else "value", slot.path, bold))
        position = match.end()
    wording(text[position:])
    return tuple(runs)


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


def _cell(text: str, slots: list[Slot]) -> Cell:
    lines = [part.strip() for part in text.split("<br>")]
    while lines and not lines[-1]:
        lines.pop()
    return tuple(inline(line, slots) for line in lines)


def _row(line: str, slots: list[Slot]) -> tuple[Cell, ...]:
    body = line.strip()
    if not (body.startswith("|") and body.endswith("|")) or len(body) < 2:
        raise ValueError(f"a table row starts and ends with '|': {line!r}")
    return tuple(_cell(part, slots) for part in body[1:-1].split("|"))


def parse_blocks(text: str, slots: list[Slot], clause: str) -> Iterator[Block]:
    """Turn a rendered clause into blocks. Values are tokens here, so they can never add structure."""
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
                    rows.append(_row(lines[index], slots))
                    index += 1
                title = inline(table.group(2), slots) if table.group(2).strip() else None
                yield Table(tuple(rows), clause, kind, title)  # type: ignore[arg-type]
            elif line.strip() == "::pagebreak":
                yield PageBreak(clause)
            elif heading := _HEADING.match(line):
                yield Heading(len(heading.group(1)), inline(heading.group(2), slots), clause)
            elif bullet := _BULLET.match(line):
                level = len(bullet.group(1)) // 2 + 1
                yield Paragraph(inline(bullet.group(2), slots), clause, "bullet", level)
            elif item := _ITEM.match(line):
                content = inline(item.group(2), slots)
                yield Paragraph(content, clause, "item", int(item.group(1)), split_label(content))
            else:
                yield Paragraph(inline(line.strip(), slots), clause)
    except ValueError as error:
        raise TemplateError(f"clause {clause}: {error}") from error
