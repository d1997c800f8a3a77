"""``--review-docx``: the review file as Word, in the contract's own styles.

The review is written once, as Markdown (:mod:`..review`); this reads that Markdown back with markdown-it-py into
the document model (headings, paragraphs, bullet lists, tables, bold) and renders it with the contract's Word
renderer, so the memo and the contract share the master's styles, header and footer, and any section added to the
review appears in Word with no change here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..document import Block, ClauseInfo, Document, Heading, Inline, Paragraph, Run, Table

_CLAUSE = "review"


def _inline(children: list[Any]) -> Inline:
    runs: list[Run] = []
    bold = False
    for token in children:
        if token.type == "strong_open":
            bold = True
        elif token.type == "strong_close":
            bold = False
        elif token.type in ("text", "code_inline"):
            runs.append(Run(token.content, bold=bold))
        elif token.type == "softbreak":
            runs.append(Run(" ", bold=bold))
        elif token.type == "hardbreak" or (token.type == "html_inline" and token.content.lower() == "<br>"):
            runs.append(Run("\n", bold=bold))
    if runs and runs[0].text.startswith("[ ] "):
        runs[0] = replace(runs[0], text="☐ " + runs[0].text[4:])  # a checklist line: a box to tick
    return tuple(runs)


def review_blocks(markdown: str) -> list[Block]:
    """The review's Markdown as blocks; its own first heading and parties line are left to the Word title block."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    blocks: list[Block] = []
    depth = 0  # bullet list nesting
    rows: list[tuple[tuple[Inline, ...], ...]] = []
    row: list[tuple[Inline, ...]] = []
    heading = 0
    in_cell = False
    for token in tokens:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "heading_open":
            heading = int(token.tag[1:])
        elif token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append(tuple(row))
        elif token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        elif token.type == "table_close":
            blocks.append(Table(tuple(rows), _CLAUSE))
        elif token.type == "inline" and in_cell:
            row.append((_inline(token.children or []),))
        elif token.type == "inline" and heading:
            if heading > 1:
                blocks.append(Heading(min(heading - 1, 3), _inline(token.children or []), _CLAUSE))
            heading = 0
        elif token.type == "inline":
            content = _inline(token.children or [])
            style = "bullet" if depth else "body"
            blocks.append(Paragraph(content, _CLAUSE, style, depth))  # type: ignore[arg-type]
    return blocks


def render_review_docx(review: str, contract: Document) -> bytes:
    """The review (Markdown) as a Word file headed like ``contract``: title, parties and the master's styles."""
    from .docx import render_docx

    blocks = review_blocks(review)
    if blocks and isinstance(blocks[0], Paragraph) and blocks[0].style == "body":
        blocks = blocks[1:]  # the parties line: the title block names them
    document = Document(family=contract.family, title=f"Review: {contract.title}", district=contract.district,
                        provider=contract.provider, draft=False, date=contract.date, title_block=True)
    document.blocks.extend(blocks)
    document.clauses.append(ClauseInfo(_CLAUSE, "Review", "", ""))
    return render_docx(document, ())
