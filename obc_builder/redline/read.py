"""One side of a comparison as a document model: an input file (JSON) assembled as ``generate`` would, or a contract
obc-builder generated in Markdown read back into blocks.

An input that cannot be a final contract (unfilled inputs, rule errors) is read as a draft, as ``generate --draft``
would write it. Markdown keeps no clause ids; its blocks are grouped by the sections its ``##`` headings open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..document import Block, Cell, Document, Heading, Inline, Paragraph, Run, Table
from ..errors import InputError
from ..render.markdown import INDENT
from ..render.numbering import readings


@dataclass(frozen=True)
class Side:
    """What one side of a comparison says: its document and the draft banner it shows (if it is a draft)."""

    path: Path
    document: Document
    notice: str
    by_clause: bool
    """Whether the blocks know their clause ids (an input file) or only their sections (Markdown)."""


def read_side(path: Path) -> Side:
    """An input file (``.json``) or a generated Markdown contract (``.md``), by its name, else by its first
    character (``{`` opens an input)."""
    from ..loading import read_input

    _, raw = read_input(path)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() == ".json" or (path.suffix.lower() != ".md" and text.lstrip().startswith("{")):
        return _from_input(path)
    return _from_markdown(path, text)


def _from_input(path: Path) -> Side:
    from ..assemble import assemble
    from ..document import notice_for
    from ..generate import unfilled_inputs
    from ..loading import load_contract
    from ..rules.engine import Severity, evaluate_rules

    contract = load_contract(path)
    errors = [f.message for f in evaluate_rules(contract) if f.severity is Severity.error]
    document = assemble(contract)
    if errors or unfilled_inputs(contract, document):
        document = assemble(contract, draft=True)
    return Side(path, document, notice_for(document, errors), by_clause=True)


_STRONG = re.compile(r"^\*\*(.*)\*\*$", re.S)


def _from_markdown(path: Path, text: str) -> Side:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    lines = text.splitlines()
    reader = _Reader(lines)
    index = 0
    while index < len(tokens):
        index = reader.take(tokens, index)
    if not reader.title:
        raise InputError(str(path), None, "is not a contract obc-builder wrote in Markdown: it has no # title line")
    district, _, provider = reader.parties.partition(" · ")
    document = Document(family="", title=reader.title, district=district, provider=provider,
                        blocks=reader.blocks, draft=bool(reader.notice))
    return Side(path, document, reader.notice, by_clause=False)


class _Reader:
    """Walks markdown-it's tokens of a contract and collects its blocks."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.title = ""
        self.parties = ""
        self.notice = ""
        self.blocks: list[Block] = []
        self.section = ""
        self.bullets = 0  # how deep the bullet list being read is nested

    def take(self, tokens: list[Any], index: int) -> int:
        """Read the block starting at ``tokens[index]``; the index after it."""
        token = tokens[index]
        if token.type == "heading_open":
            content = _inline(tokens[index + 1])
            level = int(token.tag[1]) - 1
            if level == 0:
                self.title = _text(content)
            else:
                if level == 1:
                    self.section = _text(content)
                self.blocks.append(Heading(level, content, self.section))
            return index + 3
        if token.type == "blockquote_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "blockquote_close")
            inline = next((t for t in tokens[index:end] if t.type == "inline"), None)
            if inline is not None and not self.blocks:
                self.notice = _text(_inline(inline))
            return end + 1
        if token.type in ("bullet_list_open", "ordered_list_open"):
            self.bullets += 1
            return index + 1
        if token.type in ("bullet_list_close", "ordered_list_close"):
            self.bullets -= 1
            return index + 1
        if token.type == "paragraph_open":
            return self._paragraph(tokens, index)
        if token.type == "table_open":
            return self._table(tokens, index, None)
        return index + 1

    def _paragraph(self, tokens: list[Any], index: int) -> int:
        content = _inline(tokens[index + 1])
        after = index + 3
        if self.bullets:
            self.blocks.append(Paragraph(content, self.section, "bullet", self.bullets))
            return after
        if not self.title:
            return after
        if not self.parties and not self.blocks:
            self.parties = _text(content)
            return after
        strong = _STRONG.match(tokens[index + 1].content)
        if strong and after < len(tokens) and tokens[after].type == "table_open":
            return self._table(tokens, after, tuple(Run(r.text, r.kind) for r in content))
        source = self.lines[tokens[index].map[0]] if tokens[index].map else ""
        indent = len(source) - len(source.lstrip(INDENT[0]))
        if indent:
            level = max(indent // len(INDENT), 1)
            first = _text(content).split(" ", 1)[0]
            label = first if readings(first) else ""
            self.blocks.append(Paragraph(content, self.section, "item", level, label))
        else:
            self.blocks.append(Paragraph(content, self.section))
        return after

    def _table(self, tokens: list[Any], index: int, title: Inline | None) -> int:
        rows: list[tuple[Cell, ...]] = []
        row: list[Cell] = []
        header_cells = 0
        header_text = ""
        in_head = False
        index += 1
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_close":
                if not in_head or header_text.strip():
                    rows.append(tuple(row))
                row = []
            elif token.type == "inline":
                cell = _cell(_inline(token))
                if in_head:
                    header_cells += 1
                    header_text += _text(_inline(token))
                row.append(cell)
            index += 1
        header = bool(header_text.strip())
        text = " ".join(_text(line) for row_ in rows for cell in row_ for line in cell)
        kind: Literal["grid", "key", "signature"] = "grid" if header else "signature" if "____" in text else "key"
        self.blocks.append(Table(tuple(rows), self.section, kind, title))
        return index + 1


def _text(content: Inline) -> str:
    return "".join(run.text for run in content)


def _inline(token: Any) -> Inline:
    """A paragraph's, heading's or cell's runs: bold where ``**``; an ``[insert …]`` in bold is an unfilled input."""
    runs: list[Run] = []
    bold = False
    for child in token.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type in ("text", "code_inline"):
            missing = bold and child.content.startswith("[insert ")
            runs.append(Run(child.content, "missing" if missing else "text", bold=bold and not missing))
        elif child.type in ("softbreak", "hardbreak") or (child.type == "html_inline" and child.content == "<br>"):
            runs.append(Run("\n", bold=bold))
    return _joined(runs)


def _joined(runs: list[Run]) -> Inline:
    """Neighbouring runs of the same kind as one (markdown-it splits text at every escaped character)."""
    out: list[Run] = []
    for run in runs:
        if out and (out[-1].kind, out[-1].bold) == (run.kind, run.bold) and run.kind != "missing":
            out[-1] = Run(out[-1].text + run.text, run.kind, bold=run.bold)
        else:
            out.append(run)
    return tuple(out)


def _cell(content: Inline) -> Cell:
    """A table cell's lines (``<br>`` separates them)."""
    lines: list[list[Run]] = [[]]
    for run in content:
        parts = run.text.split("\n")
        for number, part in enumerate(parts):
            if number:
                lines.append([])
            if part:
                lines[-1].append(Run(part, run.kind, bold=run.bold))
    return tuple(tuple(line) for line in lines) if any(lines) else ()

