"""Build ``templates/contract.docx``, the docxtpl master every Word contract is rendered from.

Run it after changing the house look (``python templates/build_master.py``); the result is committed, with
``contract.patched.json``, its templated parts as docxtpl patches them (``obc_builder/render/master.py``).
The master holds only layout: styles, the title block, the header with the parties, the "Page X of Y"
footer and the slot ``{{p body }}`` where the contract body goes. Contract wording lives in ``clauses/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: F401 - keeps the table styles importable
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches, Pt, RGBColor

SERIF = "Times New Roman"
INK = RGBColor(0x1F, 0x2A, 0x44)


def _field(instruction: str, shown: str, half_points: int) -> str:
    """A simple field whose result run has the footer's size (Word keeps the run's properties on update)."""
    return (f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:rPr><w:sz w:val="{half_points}"/>'
            f'<w:szCs w:val="{half_points}"/></w:rPr><w:t>{shown}</w:t></w:r></w:fldSimple>')


def name_font(style, font: str) -> None:  # type: ignore[no-untyped-def]
    """Name a style's font outright: theme font attributes would otherwise win over it."""
    style.font.name = font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for side in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{side}", font)


def _serif(style) -> None:  # type: ignore[no-untyped-def]
    name_font(style, SERIF)


def build(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))

    styles = document.styles
    normal = styles["Normal"]
    _serif(normal)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.widow_control = True

    # The body paragraph right after a table: the table's bottom edge gets the space an empty paragraph used to
    # give (a table is followed directly by what comes next; no spacer paragraphs).
    after_table = styles.add_style("After Table", WD_STYLE_TYPE.PARAGRAPH)
    after_table.base_style = normal
    after_table.paragraph_format.space_before = Pt(10)

    for name, size, before in (("Heading 1", 14, 18), ("Heading 2", 12, 12), ("Heading 3", 11, 10)):
        style = styles[name]
        _serif(style)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = INK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        # A heading never ends a page: it keeps with the paragraph after it, and its own lines together.
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.keep_together = True

    title = styles["Title"]
    _serif(title)
    title.font.size = Pt(22)
    title.font.color.rgb = INK
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = styles["Subtitle"]
    _serif(subtitle)
    subtitle.font.italic = False
    subtitle.font.size = Pt(13)
    subtitle.font.color.rgb = INK
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for style in (title, subtitle):  # the title block stays with the contract's first words
        style.paragraph_format.keep_with_next = True

    for level in range(1, 5):
        item = styles.add_style(f"Clause Item {level}", WD_STYLE_TYPE.PARAGRAPH)
        item.base_style = normal
        item.paragraph_format.left_indent = Inches(0.35 * level + 0.1)
        item.paragraph_format.first_line_indent = Inches(-0.35)
        item.paragraph_format.space_after = Pt(4)
        item.paragraph_format.tab_stops.add_tab_stop(Inches(0.35 * level + 0.1))

    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(10)
    cell.paragraph_format.space_after = Pt(2)
    cell.paragraph_format.line_spacing = 1.0

    notice = styles.add_style("Draft Notice", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    notice.font.bold = True
    notice.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    notice.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        _serif(styles[name])

    for name in ("Header", "Footer"):
        _serif(styles[name])
        styles[name].font.size = Pt(9)

    # Every page names the contract (its title) and the parties, the signature page too.
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title_run = header.add_run("{% if draft %}DRAFT · {% endif %}{{ title }}")
    title_run.font.italic = True
    title_run.add_break()
    header.add_run("{{ district }} · {{ provider }}")
    for run in header.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = INK

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    footer._p.append(parse_xml(_field("PAGE", "1", 18)))
    footer.add_run(" of ")
    footer._p.append(parse_xml(_field("NUMPAGES", "1", 18)))
    for run in footer.runs:
        run.font.size = Pt(9)

    document.add_paragraph("{%p if title_block %}")
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ district }} · {{ provider }}", style="Subtitle")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if draft %}")
    document.add_paragraph("{{ draft_notice }}", style="Draft Notice")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{{p body }}")
    # Each contract's properties are written afresh (render/docx.py); the master's own name no author.
    core = document.core_properties
    core.title = core.subject = core.keywords = core.comments = core.author = core.last_modified_by = ""
    document.save(str(path))


if __name__ == "__main__":
    from obc_builder.render.patched import store_patched

    master = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("contract.docx")
    build(master)
    store_patched(master)
