"""The document model as a Word file, rendered from the docxtpl master in ``templates/contract.docx``.

The master is read, patched by docxtpl and compiled once per process (``render/master.py``); each document
then costs only the body's WordprocessingML (written directly from the document model, every value
escaped) and the zip. Findings become Word comments anchored at the value or clause they concern.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..document import (
    DRAFT_NOTICE,
    Block,
    Cell,
    Document,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Run,
    Table,
    change_of,
    plain,
    runs_of,
)
from .comments import Anchors, comment_end, comment_start, comments_xml
from .master import Master, load_master
from .numbering import Plan, first_ids, numbering_xml, plan
from .properties import core_xml, custom_xml
from .tracked import Revisions
from .widths import column_widths as _widths
from .xmltext import xml_escape
from .zipwriter import Entry, build_zip

if TYPE_CHECKING:
    from ..rules.engine import Finding

_HEADER_FILL = "DCE3EE"
_KEY_FILL = "F2F4F8"


def contract_stamp(document: Document) -> str | None:
    """The date the properties and comments carry: ``SOURCE_DATE_EPOCH`` when set, else the contract's date.

    Both are fixed by the inputs (or the build), never the clock, so the file stays byte-reproducible; a contract
    whose date is not filled in carries no date at all rather than a made-up one.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{document.date.isoformat()}T00:00:00Z" if document.date else None


@lru_cache(maxsize=8192)  # a run's XML depends on the run alone: clause wording repeats in every contract
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


def _inline(content: Inline, anchors: Anchors, extra: str = "") -> str:
    out = []
    for run in content:
        numbers = anchors.at_run.get(id(run))
        text = anchors.revisions.wrap(run.change, _run(run, extra)) if anchors.revisions else _run(run, extra)
        out.append(comment_start(numbers) + text + comment_end(numbers) if numbers else text)
    return "".join(out)


def _paragraph(style: str | None, body: str, props: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f"<w:pPr>{pstyle}{props}</w:pPr>" if pstyle or props else ""
    return f"<w:p>{ppr}{body}</w:p>"


def _numbering(document: Document, master: Master, tracked: bool = False) -> Plan:
    """Which items Word numbers (ids after the master's own bullet and number lists); see ``numbering.py``.

    A redline's deleted items are left out (they show their old labels, struck through), so the numbers are those
    of the new draft."""
    first = first_ids(master.parts["word/numbering.xml"])
    if not tracked:
        return plan(document, *first)
    kept = [index for index, block in enumerate(document.blocks) if change_of(runs_of(block)) != "del"]
    if len(kept) == len(document.blocks):
        return plan(document, *first)
    numbered = plan(replace(document, blocks=[document.blocks[i] for i in kept]), *first)
    # a copy: plans are shared between documents whose items are the same, and never changed once made
    return replace(numbered, items={kept[index]: value for index, value in numbered.items.items()})


def _item_content(item: Paragraph, numbered: bool) -> Inline:
    """An item's text; a label Word does not number (one that fits no scheme) is typed, a tab after it."""
    if numbered or not item.label:
        return item.after_label()
    return (Run(item.label + "\t", change=change_of(item.content)), *item.after_label())


def _cell(cell: Cell, width: int, anchors: Anchors, *, span: int = 1, fill: str | None = None,
          bold: bool = False, keep: bool = False, around: tuple[str, str] = ("", "")) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    extra = "<w:b/>" if bold else ""
    keep_props = "<w:keepNext/><w:keepLines/>" if keep else ""
    lines = cell or ((),)
    texts = [_inline(line, anchors, extra) for line in lines]
    texts[0] = around[0] + texts[0] + around[1]  # a comment on the whole table (its clause) opens its first cell
    paragraphs = "".join(_paragraph("TableText", text, keep_props + _mark(line, anchors))
                         for line, text in zip(lines, texts, strict=True))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _table(table: Table, anchors: Anchors, widths: list[int], around: tuple[str, str] = ("", "")) -> str:
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
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/>{_revised(table.title, anchors)}</w:trPr>'
                    + _cell((table.title,), sum(widths), anchors, span=columns, fill=_HEADER_FILL, bold=True,
                            keep=True, around=around) + "</w:tr>")
        around = ("", "")
    for index, row in enumerate(table.rows):
        header = table.has_header and index == 0
        # Signature rows never split and stay together (each row keeps with the next; the last with nothing).
        hold = header or (signature and index < len(table.rows) - 1)
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + _revised(
            [run for cell in row for line in cell for run in line], anchors)
        cells = []
        for column in range(columns):
            cell = row[column] if column < len(row) else ()
            key = table.kind == "key" and column == 0
            fill = _HEADER_FILL if header else _KEY_FILL if key else None
            cells.append(_cell(cell, widths[column], anchors, fill=fill, bold=header or key, keep=hold,
                               around=around if column == 0 else ("", "")))
        around = ("", "")
        rows.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    return f"<w:tbl>{head}{''.join(rows)}</w:tbl>"


def _table_widths(document: Document, page: int) -> dict[int, list[int]]:
    """Each table's column widths, by block index: same-shaped tables of one clause (the objectives of each school,
    say) share one set, taken from all their rows, so the same table looks the same wherever it is printed."""
    groups: dict[tuple[str, str, int, str], list[int]] = {}
    for index, block in enumerate(document.blocks):
        if isinstance(block, Table):
            head = plain(tuple(run for cell in block.rows[0] for line in cell for run in line)) if (
                block.has_header and block.rows) else ""
            groups.setdefault((block.clause, block.kind, block.columns, head), []).append(index)
    widths: dict[int, list[int]] = {}
    for indexes in groups.values():
        tables = [document.blocks[i] for i in indexes]
        pooled = Table(tuple(row for table in tables if isinstance(table, Table) for row in table.rows),
                       document.blocks[indexes[0]].clause, tables[0].kind if isinstance(tables[0], Table) else "grid")
        shared = _widths(pooled, page)
        widths.update(dict.fromkeys(indexes, shared))
    return widths


def _held(document: Document) -> set[int]:
    """The blocks that keep with the next one: a paragraph or heading directly before a table (the words that
    introduce it), and all the words that introduce a signature block, so that it never stands on a page alone.

    A signature block's introduction is the run of headings and paragraphs right before it in its own clause (the
    signature page's caption and authority sentence); a signature clause with none is introduced by the paragraph
    before it ("NOW, THEREFORE, ... the parties agree as follows:", "By signing below, ...").
    """
    blocks = document.blocks
    held: set[int] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Table) or index == 0:
            continue
        if isinstance(blocks[index - 1], Heading | Paragraph):
            held.add(index - 1)
        if block.kind != "signature":
            continue
        before = index - 1
        while before >= 0 and isinstance(blocks[before], Heading | Paragraph) and blocks[before].clause == block.clause:
            held.add(before)
            before -= 1
    return held


_BULLET_STYLES = {1: "ListBullet", 2: "ListBullet2", 3: "ListBullet3"}


def body_xml(document: Document, findings: Sequence[Finding] = ()) -> str:
    """The contract body as WordprocessingML paragraphs and tables."""
    master = load_master(None)
    return _body(document, Anchors(document, findings), master, _numbering(document, master))


def _revised(content: Sequence[Run], anchors: Anchors) -> str:
    """The mark of a redline's inserted or deleted paragraph, line or row (``""`` for any other)."""
    return anchors.revisions.mark(change_of(content)) if anchors.revisions else ""


def _mark(content: Sequence[Run], anchors: Anchors) -> str:
    """The paragraph mark of a redline's inserted or deleted paragraph (``""`` for any other)."""
    mark = _revised(content, anchors)
    return f"<w:rPr>{mark}</w:rPr>" if mark else ""


# Two tables in a row need a paragraph between them (Word would join them into one); the body cannot end on a
# table either. Neither is spacing: the one between tables is an ordinary line, the last one is a point high.
_BETWEEN_TABLES = '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>'
_BODY_END = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
             '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


def _body(document: Document, anchors: Anchors, master: Master, numbering: Plan) -> str:
    out = []
    widths = _table_widths(document, master.text_width)
    held = _held(document)
    reuse = anchors.revisions is None  # a redline's runs carry changes
    after_table = table_last = False  # the last block a reader keeps (not deleted) / the last one written
    for index, block in enumerate(document.blocks):
        numbers = anchors.at_block.get(index, [])
        start, end = (comment_start(numbers), comment_end(numbers)) if numbers else ("", "")
        keep = "<w:keepNext/><w:keepLines/>" if index in held else ""
        if isinstance(block, Table) and table_last:
            out.append(_BETWEEN_TABLES)
        if isinstance(block, PageBreak):
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif reuse and not numbers:  # a comment on the block, or a redline's changes, are this contract's alone
            context = (keep, after_table, numbering.num_pr(index) if index in numbering.items else None,
                       widths.get(index))
            xml = _written_before(block, context)
            if xml is None:
                xml = _block(block, anchors, keep, after_table, numbering, index, widths.get(index, []))
                _remember(block, context, xml)
            out.append(xml)
        else:
            out.append(_block(block, anchors, keep, after_table, numbering, index, widths.get(index, []),
                              (start, end)))
        table_last = isinstance(block, Table)
        if anchors.revisions is None or change_of(runs_of(block)) != "del":
            after_table = table_last
    if table_last:
        out.append(_BODY_END)
    return "".join(out)


def _block(block: Block, anchors: Anchors, keep: str, after_table: bool, numbering: Plan, index: int,
           widths: list[int], around: tuple[str, str] = ("", "")) -> str:
    """One heading, paragraph or table; ``around``: the comments on the whole block, ``keep`` its keep properties."""
    start, end = around
    if isinstance(block, Heading):
        return _paragraph(f"Heading{block.level}", start + _inline(block.content, anchors) + end,
                          keep + _mark(block.content, anchors))
    if isinstance(block, Table):
        return _table(block, anchors, widths, around)
    assert isinstance(block, Paragraph)
    if block.style == "bullet":
        style: str | None = _BULLET_STYLES.get(block.level, "ListBullet3")
        content = block.content
    elif block.style == "item":
        style, content = f"ClauseItem{min(block.level, 4)}", _item_content(block, index in numbering.items)
        keep += numbering.num_pr(index)
    else:
        # The table's bottom edge gets its space from the style of the paragraph after it.
        style, content = "AfterTable" if after_table else None, block.content
    return _paragraph(style, start + _inline(content, anchors) + end, keep + _mark(block.content, anchors))


_WRITTEN_LIMIT = 4096
_written: dict[int, tuple[Block, tuple[object, ...], str]] = {}
"""The XML of blocks of clause wording alone, by identity: such a block is the same object in every contract that
prints it (``markup._plan``), so its XML is written once per process for each context it appears in (whether it
keeps with the next block, follows a table, its list number, its table's column widths). Each entry holds its block,
so the id is not reused while the entry lives; bounded, so a batch whose blocks all differ keeps its memory flat."""


def _written_before(block: Block, context: tuple[object, ...]) -> str | None:
    """The XML written before for the same block of wording in the same context, if any."""
    found = _written.get(id(block))
    return found[2] if found is not None and found[0] is block and found[1] == context else None


def _remember(block: Block, context: tuple[object, ...], xml: str) -> None:
    """Keep a block's XML when the block is clause wording alone: one that prints a value is made anew for each
    contract (and a comment may be anchored on its values)."""
    if isinstance(block, Table):
        runs: Iterable[Run] = chain(block.title or (), (run for row in block.rows for cell in row for line in cell
                                                       for run in line))
    else:
        runs = runs_of(block)
    if all(run.kind == "text" and run.path is None for run in runs):
        if len(_written) >= _WRITTEN_LIMIT:
            _written.clear()
        _written[id(block)] = (block, context, xml)


def render_docx(document: Document, findings: Sequence[Finding] = (), notice: str = DRAFT_NOTICE,
                departures: Mapping[str, str] | None = None, *, template: str | None = None,
                properties: Sequence[tuple[str, str]] = (), revised: str | None = None) -> bytes:
    """The Word file as bytes: identical bytes for identical inputs (fixed zip times and properties).

    ``departures``: the District's reasons for keeping findings, printed in their comments. ``template``: a Word
    master's path (``None``: the bundled one). ``properties``: custom document properties (the generation
    manifest). ``revised``: the date a redline's tracked changes carry; a document's changes (``Run.change``) are
    rendered as tracked changes only when it is given."""
    master = load_master(template)
    anchors = Anchors(document, findings, departures)
    if revised is not None:
        anchors.revisions = Revisions(revised, len(anchors.comments))
    numbering = _numbering(document, master, tracked=revised is not None)
    stamp = contract_stamp(document)
    context = {
        "title": document.title,
        "title_block": document.title_block,
        "district": document.district,
        "provider": document.provider,
        "draft": document.draft,
        "draft_notice": notice if document.draft else "",  # never a banner on a final contract, whatever the master
        "body": Markup(_body(document, anchors, master, numbering)),
    }
    fresh = {name: template.render(context).encode("utf-8") for name, template in master.templates.items()}
    fresh["word/comments.xml"] = comments_xml(anchors.comments, stamp)
    fresh["docProps/core.xml"] = core_xml(document, stamp)
    fresh["docProps/custom.xml"] = custom_xml(properties)
    fresh["word/numbering.xml"] = numbering_xml(master.parts["word/numbering.xml"], numbering)
    names = sorted({*master.static, *fresh}, key=lambda n: (n != "[Content_Types].xml", n))
    return build_zip(
        master.static[name] if name in master.static else Entry.deflate(name, fresh[name]) for name in names
    )
