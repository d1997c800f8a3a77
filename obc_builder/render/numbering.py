"""Word's own list numbering for labelled items (``>1 a. ...``): ``word/numbering.xml`` written per document.

A clause types each item's label (``a.``, ``iv.``, ``(2)``); the document model keeps it apart from the text
(``Paragraph.label``). Here each run of consecutive items is a *list*; the format of each of its levels is inferred
from the labels (``i.`` is a roman one unless its neighbours at that level are letters: ``h., i., j.``). A *scheme*
(the formats of the levels) becomes one ``w:abstractNum``; each list one ``w:num`` whose start overrides make it
restart and begin at its first label's number. Word then prints the numbers, so an item inserted in Word
renumbers the rest. An item whose label does not fit its list's scheme keeps its label as text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ..document import Block, Document, Paragraph

LEVELS = 4
"""Item levels ``>1`` to ``>4``; the abstract numberings define these (ilvl 0-3)."""
INDENT, STEP, HANGING = 648, 504, 504
"""The ClauseItem1-4 styles' indents (twentieths of a point): left 648 + 504 per level, hanging 504."""

_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
_ROMAN_RE = re.compile(r"^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_SHAPE = re.compile(r"^(\(?)([0-9]+|[A-Za-z]+)([.)])$")
_NEXT = {"upperRoman": "upperLetter", "upperLetter": "decimal", "decimal": "lowerLetter",
         "lowerLetter": "lowerRoman", "lowerRoman": "decimal"}


@dataclass(frozen=True)
class Level:
    """One level's numbering: its number format and what surrounds the number (``(`` ``)``, ``.``)."""

    fmt: str
    prefix: str = ""
    suffix: str = "."

    def text(self, ilvl: int) -> str:
        return f"{self.prefix}%{ilvl + 1}{self.suffix}"

    def label(self, value: int) -> str:
        return f"{self.prefix}{number_text(self.fmt, value)}{self.suffix}"


Scheme = tuple[Level | None, ...]


def roman(value: int) -> str:
    out = []
    for size, letters in _ROMAN:
        while value >= size:
            out.append(letters)
            value -= size
    return "".join(out)


def number_text(fmt: str, value: int) -> str:
    """A number as Word prints it in a format (letters past z double: aa, bb, as Word does)."""
    if fmt == "decimal":
        return str(value)
    if fmt in ("lowerRoman", "upperRoman"):
        text = roman(value)
    else:
        text = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    return text.upper() if fmt.startswith("upper") else text


def readings(label: str) -> list[tuple[Level, int]]:
    """Every way to read a label: ``b.`` is letter 2; ``i.`` roman 1 or letter 9; ``ii.`` roman 2."""
    match = _SHAPE.match(label)
    if not match or (match.group(1) and match.group(3) != ")"):
        return []
    prefix, core, suffix = match.groups()
    if core.isdigit():
        return [(Level("decimal", prefix, suffix), int(core))]
    if core not in (core.lower(), core.upper()):
        return []
    case = "lower" if core.islower() else "upper"
    found = []
    if _ROMAN_RE.match(core.lower()):
        found.append((Level(f"{case}Roman", prefix, suffix), _roman_value(core.lower())))
    if len(core) == 1:
        found.append((Level(f"{case}Letter", prefix, suffix), ord(core.lower()) - ord("a") + 1))
    return found


@cache
def _roman_value(text: str) -> int:
    return next(v for v in range(1, 4000) if roman(v) == text)


def resolve(labels: Sequence[str], hints: Sequence[Level] = ()) -> list[tuple[Level, int] | None]:
    """Read the labels of one run of siblings (one level, one parent): an ambiguous label takes the reading that
    continues its neighbours (``h., i.`` letters; ``ii., iii.`` roman), else the format its siblings or ``hints``
    (the same level elsewhere in the list) have, else its smaller value (``i.`` roman 1, ``c.`` letter 3)."""
    options = [readings(label) for label in labels]
    chosen: list[tuple[Level, int] | None] = [o[0] if len(o) == 1 else None for o in options]
    changed = True
    while changed:
        changed = False
        for index, option in enumerate(options):
            if chosen[index] is not None or len(option) < 2:
                continue
            for step in (-1, 1):
                near = index + step
                if 0 <= near < len(chosen) and (neighbour := chosen[near]) is not None:
                    fit = [o for o in option if o[0] == neighbour[0] and o[1] == neighbour[1] - step]
                    if fit:
                        chosen[index], changed = fit[0], True
                        break
    known = [c[0] for c in chosen if c is not None]
    for index, option in enumerate(options):
        if chosen[index] is None and option:
            fit = [o for o in option if o[0] in known] or [o for o in option if o[0] in hints]
            chosen[index] = fit[0] if fit else min(option, key=lambda o: o[1])
    return chosen


@dataclass
class NumberedList:
    """One list instance: its scheme and, per level, the number it starts at (its first label's)."""

    scheme: int
    starts: dict[int, int] = field(default_factory=dict)


@dataclass
class Plan:
    """Which items Word numbers and how: block index → (list index, ilvl), the schemes and the lists."""

    schemes: list[Scheme] = field(default_factory=list)
    lists: list[NumberedList] = field(default_factory=list)
    items: dict[int, tuple[int, int]] = field(default_factory=dict)
    first_num: int = 1
    first_abstract: int = 0

    def num_pr(self, block_index: int) -> str:
        """The ``w:numPr`` of an item's paragraph, or ``""`` when Word does not number it."""
        if block_index not in self.items:
            return ""
        list_index, ilvl = self.items[block_index]
        return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{self.first_num + list_index}"/></w:numPr>'


def _is_item(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.style == "item"


def item_runs(blocks: Sequence[Block]) -> list[list[int]]:
    """The lists of a document: runs of consecutive items of one clause, as block indexes."""
    runs: list[list[int]] = []
    previous: Block | None = None
    for index, block in enumerate(blocks):
        if _is_item(block):
            if previous is not None and _is_item(previous) and previous.clause == block.clause and runs:
                runs[-1].append(index)
            else:
                runs.append([index])
        previous = block
    return runs


def read_list(items: Sequence[Paragraph]) -> list[tuple[Level, int] | None]:
    """Each item's reading (format and value) within its list; ``None`` for an item with no label."""
    groups: list[list[int]] = []  # runs of labelled siblings: one level, no item of a higher level between
    open_group: dict[int, list[int]] = {}
    for index, item in enumerate(items):
        for level in [lv for lv in open_group if lv > item.level]:
            del open_group[level]
        if not item.label:
            continue
        if item.level not in open_group:
            open_group[item.level] = []
            groups.append(open_group[item.level])
        open_group[item.level].append(index)
    out: list[tuple[Level, int] | None] = [None] * len(items)
    for rounds in range(2):  # the second round gives ambiguous groups the formats their level has elsewhere
        for group in groups:
            level = items[group[0]].level
            hints = [r[0] for i, r in enumerate(out) if r is not None and items[i].level == level and i not in group]
            if rounds and all(out[i] is not None for i in group) and not hints:
                continue
            for index, reading in zip(group, resolve([items[i].label for i in group], hints), strict=True):
                out[index] = reading
    return out


def _fits(scheme: Scheme, levels: dict[int, Level]) -> bool:
    """Whether a list can use a scheme: the same format at each level both have, and the same first level (a list
    split off at a skipped level gets an abstract numbering of its own: LibreOffice counts the lists of one abstract
    numbering together where their items interleave)."""
    first = next(ilvl for ilvl, level in enumerate(scheme) if level is not None)
    return first == min(levels) and all(scheme[ilvl] in (None, level) for ilvl, level in levels.items())


def sublists(items: Sequence[Paragraph]) -> list[list[int]]:
    """Split a list where it skips a level: items at level 3 right under one at level 1 (I.2.c's 1.-4.) are a list
    of their own, with their siblings and what is under them. Word and LibreOffice count a skipped level as begun,
    so the next level-2 item of the same list would be its second (``ii.``) instead of its first."""
    groups: list[list[int]] = [[]]
    keys: dict[tuple[int, int], int] = {}
    stack: list[tuple[int, int, int]] = []  # the labelled items above the next one: level, position, group
    for position, item in enumerate(items):
        if not item.label:
            continue
        while stack and stack[-1][0] >= item.level:
            stack.pop()
        parent_level, parent, group = stack[-1] if stack else (0, -1, 0)
        if item.level > parent_level + 1:
            if (parent, item.level) not in keys:
                keys[parent, item.level] = len(groups)
                groups.append([])
            group = keys[parent, item.level]
        groups[group].append(position)
        stack.append((item.level, position, group))
    return [group for group in groups if group]


_PLANS: dict[tuple[object, ...], Plan] = {}
_MAX_PLANS = 256


def plan(document: Document, first_num: int = 1, first_abstract: int = 0) -> Plan:
    """Number every labelled item: one abstract numbering per scheme, one ``w:num`` per list.

    The plan reads only the items (where they are, their level, label and clause), so contracts whose items are the
    same share one plan, made once (kept for the most recent shapes only; a plan is never changed once made)."""
    key = (first_num, first_abstract, *((index, block.level, block.label, block.clause)
                                        for index, block in enumerate(document.blocks)
                                        if isinstance(block, Paragraph) and block.style == "item"))
    if key not in _PLANS:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        _PLANS[key] = _plan(document, first_num, first_abstract)
    return _PLANS[key]


def _plan(document: Document, first_num: int, first_abstract: int) -> Plan:
    result = Plan(first_num=first_num, first_abstract=first_abstract)
    blocks = document.blocks
    for run in item_runs(blocks):
        paragraphs = [block for block in (blocks[i] for i in run) if isinstance(block, Paragraph)]
        readings_ = read_list(paragraphs)
        for group in sublists(paragraphs):
            levels: dict[int, Level] = {}
            numbered: list[tuple[int, int, int]] = []  # block index, ilvl, value
            for position in group:
                reading = readings_[position]
                if reading is None:
                    continue
                ilvl = paragraphs[position].level - 1
                if levels.setdefault(ilvl, reading[0]) != reading[0]:
                    continue  # a second format at one level of one list: the label stays text
                numbered.append((run[position], ilvl, reading[1]))
            if numbered:
                _add_list(result, levels, numbered)
    return result


def _add_list(result: Plan, levels: dict[int, Level], numbered: list[tuple[int, int, int]]) -> None:
    """One ``w:num`` for a list, in the first scheme its levels fit (extended by the levels it adds), else a new one."""
    scheme_index = next((i for i, s in enumerate(result.schemes) if _fits(s, levels)), None)
    if scheme_index is None:
        result.schemes.append((None,) * LEVELS)
        scheme_index = len(result.schemes) - 1
    merged = list(result.schemes[scheme_index])
    for ilvl, level in levels.items():
        merged[ilvl] = level
    result.schemes[scheme_index] = tuple(merged)
    numbered_list = NumberedList(scheme_index)
    for block_index, ilvl, value in numbered:
        numbered_list.starts.setdefault(ilvl, value)
        result.items[block_index] = (len(result.lists), ilvl)
    result.lists.append(numbered_list)


def filled(scheme: Scheme) -> list[Level]:
    """A scheme's levels, those no list uses given the format that usually follows the level above."""
    out: list[Level] = []
    for level in scheme:
        if level is None:
            level = Level(_NEXT[out[-1].fmt]) if out else Level("decimal")
        out.append(level)
    return out


def _abstract(abstract_id: int, scheme: Scheme) -> str:
    levels = []
    for ilvl, level in enumerate(filled(scheme)):
        left = INDENT + STEP * ilvl
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{level.fmt}"/>'
            f'<w:lvlText w:val="{level.text(ilvl)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="{HANGING}"/></w:pPr></w:lvl>'
        )
    nsid = f"{zlib.crc32(repr(scheme).encode()) & 0xFFFFFFFF:08X}"
    return (f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')


def _num(num_id: int, abstract_id: int, starts: dict[int, int]) -> str:
    # Every level has a start override: without one, Word continues the count of another list of the scheme.
    overrides = "".join(f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{starts.get(ilvl, 1)}"/>'
                        "</w:lvlOverride>" for ilvl in range(LEVELS))
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def first_ids(master: bytes) -> tuple[int, int]:
    """The first free ``w:numId`` and ``w:abstractNumId`` of the master's numbering part (its bullet lists)."""
    nums = [int(n) for n in re.findall(rb'<w:num w:numId="(\d+)"', master)]
    abstracts = [int(n) for n in re.findall(rb'<w:abstractNum w:abstractNumId="(\d+)"', master)]
    return max(nums, default=0) + 1, max(abstracts, default=-1) + 1


def numbering_xml(master: bytes, numbering: Plan) -> bytes:
    """The master's numbering part (its definitions kept) with the document's schemes and lists added."""
    abstracts = "".join(_abstract(numbering.first_abstract + i, s) for i, s in enumerate(numbering.schemes))
    nums = "".join(_num(numbering.first_num + i, numbering.first_abstract + item.scheme, item.starts)
                   for i, item in enumerate(numbering.lists))
    # The schema puts every w:abstractNum before the first w:num.
    text = master.decode("utf-8")
    cut = text.find("<w:num ")
    if cut < 0:
        cut = text.rindex("</w:numbering>")
    text = text[:cut] + abstracts + text[cut:]
    end = text.rindex("</w:numbering>")
    return (text[:end] + nums + text[end:]).encode("utf-8")
