"""The document model as a Word file, rendered from the docxtpl master in ``templates/contract.docx``.

The master is read, patched by docxtpl and compiled once per process (:func:`_master`); each document
then costs only the body's WordprocessingML (written directly from the document model, every value
escaped) and the zip. Findings become Word comments anchored at the value or clause they concern.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from ..bundled import data_dir
from ..document import DRAFT_NOTICE, Cell, Document, Heading, Inline, PageBreak, Paragraph, Run, Table
from ..version import __version__
from .zipwriter import Entry, build_zip

if TYPE_CHECKING:
    from ..rules.engine import Finding

TEXT_WIDTH = 9360  # twentieths of a point: 6.5 inches between 1-inch margins on Letter paper
FIXED_STAMP = "1980-01-01T00:00:00Z"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_HEADER_FILL = "DCE3EE"
_KEY_FILL = "F2F4F8"


@dataclass(frozen=True)
class _Master:
    parts: dict[str, bytes]
    templates: dict[str, Any]
    static: dict[str, Entry]
    """Parts that are the same in every contract, deflated once."""


def _quote(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


@cache
def _master() -> _Master:
    """Read, patch and compile the master once per process."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    path = data_dir("templates") / "contract.docx"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.pop("docProps/thumbnail.jpeg", None)
    parts["_rels/.rels"] = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", parts["_rels/.rels"])
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdObcComments" Type="{_COMMENTS_REL}" Target="comments.xml"/></Relationships>'.encode(),
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/word/comments.xml" ContentType="{_COMMENTS_TYPE}"/></Types>'.encode()
    )
    parts["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>obc-builder {__version__}</Application></Properties>"
    ).encode()
    patcher = DocxTemplate(str(path))
    env = Environment(autoescape=True)
    templates = {}
    for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        templates[name] = env.from_string(patcher.patch_xml(parts[name].decode("utf-8")))
    dynamic = {*templates, "word/comments.xml", "docProps/core.xml"}
    static = {name: Entry.deflate(name, data) for name, data in parts.items() if name not in dynamic}
    return _Master(parts, templates, static)


def _run(run: Run, extra: str = "") -> str:
    props = extra
    if run.bold:
        props += "<w:b/>"
    if run.kind == "missing":
        props += '<w:highlight w:val="yellow"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    pieces = []
    for index, line in enumerate(run.text.replace("\r\n", "\n").split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{xml_escape(part)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


class _Anchors:
    """Where each finding's comment goes: the first value run of its field, else its clause, else the start."""

    def __init__(self, document: Document, findings: Sequence[Finding]) -> None:
        self.at_run: dict[int, list[int]] = {}
        self.at_block: dict[int, list[int]] = {}
        for number, finding in enumerate(findings):
            if found := document.value_run(finding.path):
                self.at_run.setdefault(id(found[1]), []).append(number)
                continue
            clause = document.clause_for(finding.path)
            index = next((i for i, block in enumerate(document.blocks)
                          if clause and block.clause == clause.id and not isinstance(block, PageBreak)), 0)
            self.at_block.setdefault(index, []).append(number)


def _comment_start(numbers: list[int]) -> str:
    return "".join(f'<w:commentRangeStart w:id="{n}"/>' for n in numbers)


def _comment_end(numbers: list[int]) -> str:
    return "".join(
        f'<w:commentRangeEnd w:id="{n}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
        f'<w:commentReference w:id="{n}"/></w:r>'
        for n in numbers
    )


def _inline(content: Inline, anchors: _Anchors, extra: str = "") -> str:
    out = []
    for run in content:
        numbers = anchors.at_run.get(id(run))
        text = _run(run, extra)
        out.append(_comment_start(numbers) + text + _comment_end(numbers) if numbers else text)
    return "".join(out)


def _paragraph(style: str | None, body: str, props: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f"<w:pPr>{pstyle}{props}</w:pPr>" if pstyle or props else ""
    return f"<w:p>{ppr}{body}</w:p>"


_LABEL = re.compile(r"^(\S{1,6}\.)\s+")


def _item_content(content: Inline) -> Inline:
    """Put a tab after an item's label (``a.``, ``iv.``, ``3.``) so the hanging indent lines the text up."""
    if content and content[0].kind == "text" and (match := _LABEL.match(content[0].text)):
        first = content[0]
        head = Run(match.group(1) + "\t", first.kind, first.path, first.bold)
        rest = Run(first.text[match.end():], first.kind, first.path, first.bold)
        return (head, rest, *content[1:]) if rest.text else (head, *content[1:])
    return content


def _widths(table: Table) -> list[int]:
    columns = table.columns
    if table.kind in ("key", "signature") and columns == 2:
        share = [0.32, 0.68] if table.kind == "key" else [0.5, 0.5]
        return [int(TEXT_WIDTH * s) for s in share]
    weights, minimums = [], []
    for column in range(columns):
        sizes, word = [], 4
        for row in table.rows:
            if column < len(row):
                text = " ".join("".join(r.text for r in line) for line in row[column])
                sizes.append(len(text))
                word = max(word, *(len(w) for w in text.split() or [""]))
        # Wide enough for the longest word; the rest shared by how much text the column holds.
        weights.append(max(sum(sizes) / max(len(sizes), 1), 4) ** 0.75)
        minimums.append(min(word, 18) * 110 + 230)
    spare = TEXT_WIDTH - sum(minimums)
    if spare <= 0:
        return [int(TEXT_WIDTH * m / sum(minimums)) for m in minimums]
    total = sum(weights)
    return [m + int(spare * w / total) for m, w in zip(minimums, weights, strict=True)]

def _cell(cell: Cell, width: int, anchors: _Anchors, *, span: int = 1, fill: str | None = None,
          bold: bool = False, keep: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    extra = "<w:b/>" if bold else ""
    keep_props = "<w:keepNext/><w:keepLines/>" if keep else ""
    lines = cell or ((),)
    paragraphs = "".join(_paragraph("TableText", _inline(line, anchors, extra), keep_props) for line in lines)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _table(table: Table, anchors: _Anchors) -> str:
    widths = _widths(table)
    columns = len(widths)
    signature = table.kind == "signature"
    borders = (
        "<w:tblBorders>" + "".join(f'<w:{side} w:val="nil"/>' for side in
                                   ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"
        if signature else ""
    )
    style = "" if signature else '<w:tblStyle w:val="TableGrid"/>'
    head = (f"<w:tblPr>{style}<w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/>{borders}"
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>")
    rows = []
    if table.title:
        rows.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
                    + _cell((table.title,), sum(widths), anchors, span=columns, fill=_HEADER_FILL, bold=True,
                            keep=True) + "</w:tr>")
    for index, row in enumerate(table.rows):
        header = table.has_header and index == 0
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        cells = []
        for column in range(columns):
            cell = row[column] if column < len(row) else ()
            key = table.kind == "key" and column == 0
            fill = _HEADER_FILL if header else _KEY_FILL if key else None
            cells.append(_cell(cell, widths[column], anchors, fill=fill,
                               bold=header or key, keep=signature or header))
        rows.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    spacer = _paragraph(None, "", '<w:spacing w:after="0"/>')
    return f"<w:tbl>{head}{''.join(rows)}</w:tbl>{spacer}"


_BULLET_STYLES = {1: "ListBullet", 2: "ListBullet2", 3: "ListBullet3"}


def body_xml(document: Document, findings: Sequence[Finding] = ()) -> str:
    """The contract body as WordprocessingML paragraphs and tables."""
    anchors = _Anchors(document, findings)
    out = []
    for index, block in enumerate(document.blocks):
        numbers = anchors.at_block.get(index, [])
        start, end = (_comment_start(numbers), _comment_end(numbers)) if numbers else ("", "")
        if isinstance(block, Heading):
            out.append(_paragraph(f"Heading{block.level}", start + _inline(block.content, anchors) + end))
        elif isinstance(block, Paragraph):
            if block.style == "bullet":
                style: str | None = _BULLET_STYLES.get(block.level, "ListBullet3")
                content = block.content
            elif block.style == "item":
                style, content = f"ClauseItem{min(block.level, 4)}", _item_content(block.content)
            else:
                style, content = None, block.content
            out.append(_paragraph(style, start + _inline(content, anchors) + end))
        elif isinstance(block, Table):
            if block.kind == "signature":
                # Signatures always open a page of their own, kept together (a signature page).
                out.append(_paragraph(None, "", '<w:pageBreakBefore/><w:spacing w:before="0" w:after="0"/>'))
            if numbers:
                out.append(_paragraph(None, start + end))
            out.append(_table(block, anchors))
        elif isinstance(block, PageBreak):
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    return "".join(out)


def _comments_xml(findings: Sequence[Finding]) -> bytes:
    items = []
    for number, finding in enumerate(findings):
        title = f"{finding.severity.value.upper()} {finding.rule} ({finding.source})"
        text = f"{finding.message} Fix: {finding.fix}"
        items.append(
            f'<w:comment w:id="{number}" w:author="obc-builder" w:initials="OBC" w:date="{FIXED_STAMP}">'
            f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{xml_escape(title)}</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p></w:comment>'
        )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{_W}">'
            + "".join(items) + "</w:comments>").encode()


def _core_xml(document: Document) -> bytes:
    parties = f"{document.district} · {document.provider}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_quote(document.title)}</dc:title>"
        f"<dc:subject>{_quote(parties)}</dc:subject>"
        f"<dc:creator>obc-builder {__version__}</dc:creator>"
        f"<cp:keywords>{_quote(f'{document.family}; {parties}')}</cp:keywords>"
        f"<dc:description>{_quote(f'Generated by obc-builder {__version__}' + (' (draft)' if document.draft else ''))}"
        "</dc:description>"
        f"<cp:lastModifiedBy>obc-builder {__version__}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_STAMP}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_STAMP}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def render_docx(document: Document, findings: Sequence[Finding] = (), notice: str = DRAFT_NOTICE) -> bytes:
    """The Word file as bytes: identical bytes for identical inputs (fixed zip times and properties)."""
    master = _master()
    context = {
        "title": document.title,
        "district": document.district,
        "provider": document.provider,
        "draft": document.draft,
        "draft_notice": notice,
        "body": Markup(body_xml(document, findings)),
    }
    fresh = {name: template.render(context).encode("utf-8") for name, template in master.templates.items()}
    fresh["word/comments.xml"] = _comments_xml(findings)
    fresh["docProps/core.xml"] = _core_xml(document)
    names = sorted({*master.static, *fresh}, key=lambda n: (n != "[Content_Types].xml", n))
    return build_zip(
        master.static[name] if name in master.static else Entry.deflate(name, fresh[name]) for name in names
    )
