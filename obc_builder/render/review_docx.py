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
CHART = "[[obc-builder: the payment forecast chart]]"
"""What stands where the review's chart is linked, until :func:`_with_chart` puts the picture there."""
CHART_WIDTH_EMU = 5_486_400  # six inches: the text width of the master's pages


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
        elif token.type == "inline" and any(child.type == "image" for child in token.children or []):
            blocks.append(Paragraph((Run(CHART),), _CLAUSE, "body", 0))
        elif token.type == "inline":
            content = _inline(token.children or [])
            style = "bullet" if depth else "body"
            blocks.append(Paragraph(content, _CLAUSE, style, depth))  # type: ignore[arg-type]
    return blocks


def render_review_docx(review: str, contract: Document, chart: bytes | None = None) -> bytes:
    """The review (Markdown) as a Word file headed like ``contract``: title, parties and the master's styles;
    ``chart``: the payment forecast chart (PNG) the review links, embedded where the link is."""
    from .docx import render_docx

    blocks = review_blocks(review)
    if blocks and isinstance(blocks[0], Paragraph) and blocks[0].style == "body":
        blocks = blocks[1:]  # the parties line: the title block names them
    document = Document(family=contract.family, title=f"Review: {contract.title}", district=contract.district,
                        provider=contract.provider, draft=False, date=contract.date, title_block=True)
    document.blocks.extend(blocks)
    document.clauses.append(ClauseInfo(_CLAUSE, "Review", "", ""))
    word = render_docx(document, ())
    return _with_chart(word, chart) if chart is not None else word


_RELATIONSHIP = "rIdForecastChart"
_IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _picture(width: int, height: int) -> str:
    """A paragraph holding the chart as an inline picture, six inches wide."""
    cx, cy = CHART_WIDTH_EMU, CHART_WIDTH_EMU * height // width
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    alt = "What the District pays, by share of students achieving each outcome"
    return (f'<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="1" name="Payment forecast chart" descr="{alt}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">'
            f'<pic:nvPicPr><pic:cNvPr id="1" name="forecast.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{_RELATIONSHIP}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            f'</wp:inline></w:drawing></w:r></w:p>')


def _with_chart(word: bytes, chart: bytes) -> bytes:
    """``word`` with the chart's paragraph in place of :data:`CHART`: the picture part, its relationship and the
    PNG content type added; the parts kept in their order, so the bytes stay reproducible."""
    import io
    import re
    import struct
    import zipfile

    from .zipwriter import Entry, build_zip

    width, height = struct.unpack(">II", chart[16:24])  # the PNG's IHDR
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    body = parts["word/document.xml"].decode("utf-8")
    paragraph = re.compile(r"<w:p>(?:(?!</w:p>).)*" + re.escape(CHART) + r"(?:(?!</w:p>).)*</w:p>", re.S)
    if not paragraph.search(body):
        return word
    parts["word/document.xml"] = paragraph.sub(lambda _: _picture(width, height), body, count=1).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="{_RELATIONSHIP}" Type="{_IMAGE_TYPE}" Target="media/forecast.png"/>'
        "</Relationships>").encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts["word/media/forecast.png"] = chart
    return build_zip(Entry.deflate(name, content) for name, content in parts.items())
