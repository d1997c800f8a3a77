"""Build ``samples/letterhead/letterhead.docx``: a district's own Word master, as ``--docx-template`` takes it.

    python samples/letterhead/build_letterhead.py

The fictional Sunshine County Public Schools print their contracts on their letterhead: a sans-serif house font,
the district's name and address across the top of the first page with a green rule under it, a short running
header on the pages after it, and a footer with the procurement office's address and the page number. A district
would make such a master in Word; this script makes one the same way a clerk would (a new document, the
district's styles and header, the placeholders of ``templates/README.md`` typed in), so that the sample can be
rebuilt and reviewed. The body styles it does not define (the contract's numbered items, table text) obc-builder
copies from its own master, in the district's font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "templates"))
from build_master import name_font  # noqa: E402 - the bundled master's script, beside this repository's package

FONT = "Arial"
GREEN = RGBColor(0x1B, 0x5E, 0x20)
NAME = "SUNSHINE COUNTY PUBLIC SCHOOLS"
ADDRESS = "1200 Palm Grove Avenue · Sunshine City, FL 32301 · (850) 555-0100"
OFFICE = "Office of Procurement and Contracts"


def _font(style, size: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """The house font (and a size)."""
    name_font(style, FONT)
    if size:
        style.font.size = Pt(size)


# What follows w:pBdr in a paragraph's properties: the schema fixes their order, and Word refuses another.
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc",
                  "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange")


def _rule_below(paragraph, color: str = "1B5E20", size: int = 12) -> None:  # type: ignore[no-untyped-def]
    paragraph._p.get_or_add_pPr().insert_element_before(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="{size}" w:space="4" w:color="{color}"/></w:pBdr>'),
        *_AFTER_BORDERS)


def _page_field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"))


def build(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1)
    section.top_margin, section.bottom_margin = Inches(1.1), Inches(0.9)
    section.different_first_page_header_footer = True

    styles = document.styles
    _font(styles["Normal"], 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 13), ("Heading 2", 11.5), ("Heading 3", 10.5)):
        _font(styles[name], size)
        styles[name].font.color.rgb = GREEN
        styles[name].font.bold = True
        styles[name].paragraph_format.space_before = Pt(12)
        styles[name].paragraph_format.keep_with_next = True
    for name in ("Title", "Subtitle", "List Bullet", "List Bullet 2", "List Bullet 3", "Header", "Footer"):
        _font(styles[name])
    styles["Title"].font.size = Pt(18)
    styles["Title"].font.color.rgb = GREEN
    styles["Subtitle"].font.size = Pt(11)
    styles["Subtitle"].font.italic = False

    letterhead = section.first_page_header.paragraphs[0]
    letterhead.alignment = WD_ALIGN_PARAGRAPH.LEFT
    name = letterhead.add_run(NAME)
    name.font.bold, name.font.size, name.font.color.rgb = True, Pt(16), GREEN
    office = section.first_page_header.add_paragraph()
    office.add_run(f"{OFFICE}\n{ADDRESS}").font.size = Pt(8.5)
    _rule_below(office)

    running = section.header.paragraphs[0]
    running.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    running.add_run("Sunshine County Public Schools · ").font.size = Pt(8)
    running.add_run("{% if draft %}DRAFT · {% endif %}{{ title }} with {{ provider }}").font.size = Pt(8)
    _rule_below(running, size=4)

    for footer in (section.first_page_footer, section.footer):
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(f"{OFFICE} · {ADDRESS} · Page ").font.size = Pt(8)
        _page_field(line, "PAGE")
        line.add_run(" of ").font.size = Pt(8)
        _page_field(line, "NUMPAGES")

    document.add_paragraph("{%p if title_block %}")
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("between {{ district }} and {{ provider }}", style="Subtitle")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if draft %}")
    notice = document.add_paragraph()
    notice_run = notice.add_run("{{ draft_notice }}")
    notice_run.font.bold, notice_run.font.color.rgb = True, RGBColor(0xB7, 0x1C, 0x1C)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{{p body }}")
    core = document.core_properties
    core.title = core.subject = core.keywords = core.comments = core.last_modified_by = ""
    core.author = "Sunshine County Public Schools"
    document.save(str(path))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("letterhead.docx"))
