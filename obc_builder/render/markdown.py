"""The document model as Markdown (CommonMark with GitHub tables)."""

from __future__ import annotations

import re

from ..document import Cell, Document, Heading, Inline, Paragraph, Table

# Every ASCII character that can start or end Markdown syntax inside a line; a backslash makes it literal.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])")
_RULE_OF_UNDERSCORES = re.compile(r"(?:\\_){3,}")


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


def render_inline(content: Inline, *, in_table: bool = False, block_start: bool = False) -> str:
    """Runs as Markdown; ``block_start`` when the text opens a paragraph or list item."""
    parts: list[str] = []
    for run in content:
        text = escape(run.text)
        if run.kind == "text" and "\\_" in text:
            # A signature line of underscores cannot become emphasis; keep it readable in the source.
            text = _RULE_OF_UNDERSCORES.sub(lambda m: "_" * (len(m.group()) // 2), text)
        text = text.replace("\r\n", "\n").replace("\n", "<br>" if in_table else "\\\n")
        if run.kind == "missing":
            text = f"**{text}**"
        elif run.bold and text.strip():
            text = f"**{text.strip()}**" + (" " if text.endswith(" ") else "")
        parts.append(text)
    joined = "".join(parts)
    return _protect_start(joined) if block_start else joined


def _cell(cell: Cell) -> str:
    return "<br>".join(render_inline(line, in_table=True) for line in cell) or " "


def _table(table: Table) -> list[str]:
    lines: list[str] = []
    if table.title:
        lines += [f"**{render_inline(table.title)}**", ""]
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


def render_markdown(document: Document, draft_notice: str | None = None) -> str:
    """The whole contract as Markdown text (ends with one newline)."""
    parties = f"{escape(document.district)} · {escape(document.provider)}"
    out: list[str] = [f"# {escape(document.title)}", "", parties, ""]
    if document.draft and draft_notice:
        out += [f"> **{escape(draft_notice)}**", ""]
    for block in document.blocks:
        is_item = isinstance(block, Paragraph) and block.style != "body"
        if out[-1] != "" and not is_item:
            out.append("")
        if isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {render_inline(block.content)}", ""]
        elif isinstance(block, Paragraph):
            text = render_inline(block.content, block_start=True)
            if is_item:
                out.append(f"{'  ' * (block.level - 1)}- {text}")
            else:
                out += [text, ""]
        elif isinstance(block, Table):
            out += _table(block) + [""]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
