"""The document model as Markdown (CommonMark with GitHub tables)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Block, Cell, Change, Document, Heading, Inline, Paragraph, Run, Table, change_of

# Every ASCII character that can start or end Markdown syntax inside a line; a backslash makes it literal.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])")


_PLAIN = re.compile(r"[\\`*_\[\]<>|~&]")


def escape(text: str) -> str:
    """Escape text so that Markdown shows it exactly as typed."""
    if not _PLAIN.search(text):
        return text
    return _SPECIAL.sub(r"\\\1", text)


def _protect_start(line: str) -> str:
    """Keep a line that begins like a list item, quote or rule from becoming one."""
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(2)
    escaped = marker[:-1] + "\\" + marker[-1]
    return line[: match.start(2)] + escaped + line[match.end(2):]


def render_inline(content: Inline, *, in_table: bool = False, block_start: bool = False,
                  one_line: bool = False) -> str:
    """Runs as Markdown; ``block_start`` when the text opens a paragraph or list item.

    A line break in the text is ``<br>`` where the Markdown must stay on one line (a table cell, a heading), else
    a hard break; a line after a hard break is protected like a block's start, so a value cannot open a heading,
    list or quote in the middle of a paragraph.
    """
    one_line = one_line or in_table
    parts: list[tuple[str, Change | None]] = []
    for run in content:
        # Every underscore is escaped, signature lines too: next to other punctuation (``<br>``, ``/``) a run of
        # bare underscores opens or closes emphasis, and the line vanishes from the rendered text.
        text = escape(run.text)
        text = text.replace("\r\n", "\n").replace("\n", "<br>" if one_line else "\\\n")
        if run.kind == "missing":
            text = f"**{text}**"
        elif run.bold:
            text = _wrap(text, "**", "**")
        if parts and run.change and parts[-1][1] == run.change:  # one change marked once, whatever its runs
            parts[-1] = (parts[-1][0] + text, run.change)
        else:
            parts.append((text, run.change))
    marked = (_wrap(text, *_CHANGE_MARKS[change]) if change else text for text, change in parts)
    lines = "".join(marked).split("\n")
    return "\n".join(_protect_start(line) if index or block_start else line for index, line in enumerate(lines))


_CHANGE_MARKS = {"del": ("~~", "~~"), "ins": ("<ins>", "</ins>")}
"""A redline's deleted words are struck through, its inserted words underlined (GitHub shows ``<ins>`` so)."""
_BREAKS = re.compile(r"(\\\n|<br>)")


def _wrap(text: str, opening: str, closing: str) -> str:
    """Markers around each line's words: emphasis cannot open before or close after a space, or span a line break,
    so spaces and breaks stay outside."""
    out = []
    for piece in _BREAKS.split(text):
        inner = piece.strip(" ")
        if not inner or _BREAKS.fullmatch(piece):
            out.append(piece)
            continue
        start = piece.index(inner)
        out.append(f"{piece[:start]}{opening}{inner}{closing}{piece[start + len(inner):]}")
    return "".join(out)


@lru_cache(maxsize=8192)  # the review's fixed lines (clause titles, sources, rule texts) repeat in every contract
def inline_text(text: str, *, in_table: bool = False, block_start: bool = False) -> str:
    """Plain text (not a document run) as Markdown that shows it as typed, e.g. a line of the review file."""
    return render_inline((Run(text),), in_table=in_table, block_start=block_start)


def _cell(cell: Cell) -> str:
    return "<br>".join(render_inline(line, in_table=True) for line in cell) or " "


def _table(table: Table) -> list[str]:
    lines: list[str] = []
    if table.title:
        lines += [f"**{render_inline(table.title, one_line=True)}**", ""]
    width = table.columns
    rows = [list(row) + [()] * (width - len(row)) for row in table.rows]
    if table.has_header and rows:
        header, body = rows[0], rows[1:]
        lines.append("| " + " | ".join(_cell(c) for c in header) + " |")
    else:
        body = rows
        lines.append("|" + " |" * width)
    lines.append("|" + "---|" * width)
    for row in body:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


INDENT = "\u2003\u2003"
"""One level of a labelled item's indent: two em spaces. Markdown has no lettered lists, and a line that opens
with an em space is a paragraph whatever follows, so an item is a paragraph: indent, its label, its text."""


def _item(item: Paragraph) -> str:
    """A labelled item (``>2 i. ...``) as Word numbers it: its label (the same number) and text, indented per level."""
    text = render_inline(item.after_label())
    label = escape(item.label)
    if item.label and (change := change_of(item.content)):
        label = _wrap(label, *_CHANGE_MARKS[change])
    return f"{INDENT * item.level}{label} {text}" if item.label else f"{INDENT * item.level}{text}"


def render_markdown(document: Document, draft_notice: str | None = None) -> str:
    """The whole contract as Markdown text (ends with one newline)."""
    parties = inline_text(f"{document.district} · {document.provider}", block_start=True)
    out: list[str] = [f"# {escape(document.title)}", "", parties, ""]
    if document.draft and draft_notice:
        out += [f"> **{escape(draft_notice)}**", ""]
    open_levels: list[int] = []  # the levels of the list items the next item can nest in, outermost first
    for block in document.blocks:
        is_item = isinstance(block, Paragraph) and block.style == "bullet"
        if out[-1] != "" and not is_item:
            out.append("")
        if not is_item:
            open_levels = []
            out += _block(block)
            continue
        assert isinstance(block, Paragraph)
        # Markdown nests one list at a time: an item at level 3 directly under one at level 1 goes one list
        # deeper, not two (skipping a level indents items inconsistently and misplaces them).
        while open_levels and open_levels[-1] >= block.level:
            open_levels.pop()
        open_levels.append(block.level)
        out.append(f"{'  ' * (len(open_levels) - 1)}- {render_inline(block.content, block_start=True)}")
    text = "\n".join(out)
    if "\n\n\n" in text:
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"


@lru_cache(maxsize=4096)  # a block's Markdown depends on the block alone: clause wording repeats in every contract
def _block(block: Block) -> tuple[str, ...]:
    """The lines of a block that is not a bullet item (whose indent depends on the items before it)."""
    if isinstance(block, Heading):
        return f"{'#' * (block.level + 1)} {render_inline(block.content, one_line=True)}", ""
    if isinstance(block, Paragraph) and block.style == "item":
        return _item(block), ""
    if isinstance(block, Paragraph):
        return render_inline(block.content, block_start=True), ""
    if isinstance(block, Table):
        return *_table(block), ""
    return ()
