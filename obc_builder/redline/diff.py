"""Two documents → one redline document: the new draft's blocks, with the old draft's words it drops marked deleted
and the words it adds marked inserted (``Run.change``), clause by clause.

Clauses (or, for Markdown, the sections ``##`` headings open) are paired first; within a pair, blocks; within a pair
of blocks, words (``difflib`` on words and the spaces between them). A clause whose blocks are all equal comes
through untouched. A paragraph rewritten through and through reads better as the old one struck and the new one
inserted than as confetti, so below :data:`REWRITTEN` similarity the words are not interleaved. Accepting every
change gives exactly the new draft: each equal word is the new draft's, with its run (value, bold) kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Literal, TypeVar

from ..document import Block, Cell, Change, Document, Heading, Inline, PageBreak, Paragraph, Run, Table, plain

REWRITTEN = 0.4
"""Below this share of equal words a paragraph is shown deleted and inserted whole."""
_TOKEN = re.compile(r"\s+|\w+(?:[.,'’/:-]\w+)*|[^\w\s]")
T = TypeVar("T")
Status = Literal["unchanged", "changed", "added", "removed"]


@dataclass(frozen=True)
class Segment:
    """A clause (or a Markdown section): what the summary lists."""

    key: str
    title: str
    section: str
    blocks: tuple[Block, ...]


@dataclass
class Redline:
    document: Document
    changes: list[tuple[Segment, Status]] = field(default_factory=list)
    """Every clause of either draft in the redline's order, with what happened to it."""

    def count(self, status: Status) -> int:
        return sum(1 for _, s in self.changes if s == status)

    def summary(self) -> str:
        """One line: how many clauses changed, were added and were removed, and how many did not change."""
        unit = "clause" if any(segment.section for segment, _ in self.changes) else "section"
        changed = sum(self.count(s) for s in ("changed", "added", "removed"))
        parts = ", ".join(f"{self.count(s)} {s}" for s in ("changed", "added", "removed"))
        return f"{changed} {unit}{'s' * (changed != 1)} with changes ({parts}); {self.count('unchanged')} unchanged"


def segments(document: Document, by_clause: bool) -> list[Segment]:
    """The document's clauses (consecutive blocks of one clause id), or its sections (a level-1 heading and what
    follows it, up to the next one)."""
    found: list[Segment] = []
    for block in document.blocks:
        if by_clause:
            key = block.clause
            starts = not found or found[-1].key != key
        else:
            starts = not found or (isinstance(block, Heading) and block.level == 1)
            key = plain(block.content) if isinstance(block, Heading) and block.level == 1 else ""
        if starts:
            title, section = key, ""
            if by_clause and any(info.id == key for info in document.clauses):
                info = document.clause(key)
                title, section = info.title, info.section
            found.append(Segment(key, title, section, ()))
        found[-1] = replace(found[-1], blocks=(*found[-1].blocks, block))
    return found


def redline(old: Document, new: Document, by_clause: bool) -> Redline:
    """The new document with the changes from the old one marked."""
    result = Redline(replace(new, blocks=[]))
    for before, after in align(segments(old, by_clause), segments(new, by_clause), lambda s: s.key):
        if after is None and before is not None:
            result.document.blocks.extend(_whole(block, "del") for block in before.blocks)
            result.changes.append((before, "removed"))
        elif before is None and after is not None:
            result.document.blocks.extend(_whole(block, "ins") for block in after.blocks)
            result.changes.append((after, "added"))
        elif before is not None and after is not None:
            blocks = _blocks(before.blocks, after.blocks)
            result.document.blocks.extend(blocks)
            result.changes.append((after, "unchanged" if list(blocks) == list(after.blocks) else "changed"))
    return result


def align(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable],
          pairs: Callable[[T, T], bool] = lambda a, b: True) -> Iterator[tuple[T | None, T | None]]:
    """Old and new items side by side: equal ones paired, and within each changed stretch, in order, an old item
    with the next new one it ``pairs`` with; the rest old alone (deleted) or new alone (inserted)."""
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        olds, news = old[i1:i2], new[j1:j2]
        i = j = 0
        while i < len(olds) or j < len(news):
            if i < len(olds) and j < len(news) and pairs(olds[i], news[j]):
                yield olds[i], news[j]
                i, j = i + 1, j + 1
            elif i < len(olds) and not any(pairs(olds[i], n) for n in news[j:]):
                yield olds[i], None
                i += 1
            else:
                yield None, news[j]
                j += 1


def _block_key(block: Block) -> Hashable:
    if isinstance(block, Heading):
        return ("heading", block.level, plain(block.content))
    if isinstance(block, Paragraph) and block.style == "item" and block.label:
        # Word numbers an item itself: one dropped before it changes its label, not its words.
        return ("item", block.level, plain(block.after_label()))
    if isinstance(block, Paragraph):
        return ("paragraph", block.style, block.level, block.label, plain(block.content))
    if isinstance(block, Table):
        return ("table", block.kind, block.columns, plain(block.title or ()), tuple(_row_key(r) for r in block.rows))
    return ("break",)


def _cell_text(cell: Cell) -> str:
    """A cell's text, its lines joined: a line break typed in a value (JSON) and a ``<br>`` (Markdown) read alike."""
    return "\n".join(plain(line) for line in cell)


def _row_key(row: tuple[Cell, ...]) -> Hashable:
    return tuple(_cell_text(cell) for cell in row)


def _pairs(a: Block, b: Block) -> bool:
    """Whether a changed block can be shown as an edit of another: same kind (and a table, same columns)."""
    if isinstance(a, Heading) and isinstance(b, Heading):
        return True
    if isinstance(a, Paragraph) and isinstance(b, Paragraph):
        return a.style == b.style
    return isinstance(a, Table) and isinstance(b, Table) and a.columns == b.columns


def _blocks(old: Sequence[Block], new: Sequence[Block]) -> list[Block]:
    out: list[Block] = []
    for before, after in align(old, new, _block_key, _pairs):
        if after is None:
            if before is not None and not isinstance(before, PageBreak):
                out.append(_whole(before, "del"))
        elif before is None:
            out.append(_whole(after, "ins"))
        elif _block_key(before) == _block_key(after):
            out.append(after)
        else:
            out.append(_edit(before, after))
    return out


def _edit(before: Block, after: Block) -> Block:
    if isinstance(before, Heading) and isinstance(after, Heading):
        return replace(after, content=words(before.content, after.content))
    if isinstance(before, Paragraph) and isinstance(after, Paragraph):
        if after.style != "item" or not after.label:
            return replace(after, content=words(before.content, after.content))
        # Word numbers the item itself: only its text is compared, and its label stays the new one.
        label = (Run(plain(after.content)[:len(plain(after.content)) - len(plain(after.after_label()))]),)
        return replace(after, content=label + words(before.after_label(), after.after_label()))
    if isinstance(before, Table) and isinstance(after, Table):
        title = words(before.title, after.title) if before.title and after.title else after.title
        rows = []
        for old_row, new_row in align(before.rows, after.rows, _row_key, lambda a, b: True):
            if new_row is None:
                rows.append(tuple(_cell(c, "del") for c in old_row or ()))
            elif old_row is None:
                rows.append(tuple(_cell(c, "ins") for c in new_row))
            else:
                rows.append(tuple(_lines(old_row[i] if i < len(old_row) else (), cell)
                                  for i, cell in enumerate(new_row)))
        return replace(after, title=title, rows=tuple(rows))
    return after


def _lines(old: Cell, new: Cell) -> Cell:
    if _cell_text(old) == _cell_text(new):
        return new
    out: list[Inline] = []
    for before, after in align(old, new, plain):
        if after is None:
            out.append(_marked(before or (), "del"))
        elif before is None:
            out.append(_marked(after, "ins"))
        else:
            out.append(words(before, after))
    return tuple(out)


def _marked(content: Inline, change: Change) -> Inline:
    return tuple(replace(run, change=change) for run in content)


def _cell(cell: Cell, change: Change) -> Cell:
    return tuple(_marked(line, change) for line in cell)


def _whole(block: Block, change: Change) -> Block:
    """A block inserted or deleted as a whole: every run of it marked."""
    if isinstance(block, Heading | Paragraph):
        return replace(block, content=_marked(block.content, change))
    if isinstance(block, Table):
        return replace(block, title=_marked(block.title, change) if block.title else None,
                       rows=tuple(tuple(_cell(c, change) for c in row) for row in block.rows))
    return block


def _tokens(content: Inline) -> list[tuple[str, Run]]:
    return [(token, run) for run in content for token in _TOKEN.findall(run.text)]


def words(old: Inline, new: Inline) -> Inline:
    """The new runs with the old words they drop (deleted) and the words they add (inserted) marked."""
    a, b = _tokens(old), _tokens(new)
    kept = SequenceMatcher(None, [t for t, _ in a if t.strip()], [t for t, _ in b if t.strip()], autojunk=False)
    if kept.ratio() < REWRITTEN:  # the share of words (spaces aside) the two have in common
        return _marked(old, "del") + _marked(new, "ins")
    matcher = SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    out: list[tuple[str, Run, Change | None]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A space alone between two changes belongs to them: "[-a b-][+c d+]", not "[-a-][+c+] [-b-][+d+]".
        island = (tag == "equal" and 0 < index < len(opcodes) - 1 and all(not t.strip() for t, _ in a[i1:i2]))
        if tag == "equal" and not island:
            out.extend((t, run, None) for t, run in b[j1:j2])
            continue
        out.extend((t, run, "del") for t, run in a[i1:i2])
        out.extend((t, run, "ins") for t, run in b[j1:j2])
    return _runs(_grouped(out))


def _grouped(tokens: list[tuple[str, Run, Change | None]]) -> list[tuple[str, Run, Change | None]]:
    """Deletions before insertions within each changed stretch (the order Word shows them in)."""
    out: list[tuple[str, Run, Change | None]] = []
    stretch: list[tuple[str, Run, Change | None]] = []
    for token in tokens:
        if token[2] is None:
            out.extend(sorted(stretch, key=lambda t: t[2] != "del"))
            stretch = []
            out.append(token)
        else:
            stretch.append(token)
    out.extend(sorted(stretch, key=lambda t: t[2] != "del"))
    return out


def _runs(tokens: list[tuple[str, Run, Change | None]]) -> Inline:
    """Neighbouring tokens of one run and one change as one run."""
    out: list[Run] = []
    last: tuple[int, Change | None] | None = None
    for text, run, change in tokens:
        if last == (id(run), change):
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(replace(run, text=text, change=change))
            last = (id(run), change)
    return tuple(out)
