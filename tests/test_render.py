"""Both renderers: values are data in every format, Word structure is real, output is reproducible."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from obc_builder.assemble import assemble
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data
from obc_builder.render.docx import render_docx
from obc_builder.render.markdown import render_markdown
from obc_builder.rules.engine import evaluate_rules

from .conftest import docx_dump, sample_data

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "A & B <Schools> \"quoted\" 'single'",
    "| pipe | table |",
    "# not a heading",
    "*stars* _under_ `code` [link](http://x) ![img](y)",
    "1. not a list",
    "- not a bullet",
    "\\back\\slash",
    "&amp; &copy; &#169;",
    "<script>alert(1)</script>",
    "line one\nline two",
    "\ue000 0 \ue001",
    "]]></w:t></w:r><w:r><w:t>",
]


def md_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees (HTML tags dropped, entities decoded)."""
    import html

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered.replace("<br>", "\n").replace("<br />", "\n")))


def render_both(data: dict[str, Any]) -> tuple[str, bytes]:
    contract = contract_from_data(data, "x.json")
    document = assemble(contract)
    return render_markdown(document), render_docx(document, evaluate_rules(contract))


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_value_prints_as_typed_in_markdown_and_word(value: str) -> None:
    data = sample_data("hdt_fast_math")
    data["parties"]["district_name"] = value
    data["population"]["selection_criteria"][0] = value + " level 2"
    markdown, docx = render_both(data)
    seen = md_text(markdown)
    plain = " ".join(value.split()).replace("\ue000", "").replace("\ue001", "")
    assert plain in " ".join(seen.split())
    document = open_docx(io.BytesIO(docx))
    body = " ".join(p.text for p in document.paragraphs)
    assert plain in " ".join(body.replace("\n", " ").split())
    header = document.sections[0].header.paragraphs[0].text
    assert plain.split("\n")[0] in header.replace("\n", " ") or "\n" in value
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert (value + " level 2").replace("\ue000", "").replace("\ue001", "").split("\n")[0] in cells
    assert "49" not in (value,) and "loop" not in seen.replace("loop{", "")


def test_markdown_tables_keep_their_shape_with_pipes_in_values() -> None:
    data = sample_data("hdt_fast_math")
    data["outcomes"][0]["metric"] = "a | b | c"
    markdown, _ = render_both(data)
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    rows = [row for row in html.split("<tr>") if "a | b | c" in row]
    assert len(rows) == 2
    assert [row.count("<td") for row in rows] == [3, 4]


text_values = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district=text_values, metric=text_values, weeks=st.integers(1, 40))
def test_every_valid_input_renders_and_reopens(district: str, metric: str, weeks: int) -> None:
    data = sample_data("hdt_fast_math")
    data["parties"]["district_name"] = district
    data["outcomes"][2]["metric"] = metric
    data["program"]["weeks"] = weeks
    markdown, docx = render_both(data)
    assert " ".join(district.split()) in " ".join(md_text(markdown).split())
    document = open_docx(io.BytesIO(docx))
    assert " ".join(district.split()) in " ".join(" ".join(p.text for p in document.paragraphs).split())


def test_word_has_real_styles_repeating_header_rows_and_page_numbers() -> None:
    _, docx = render_both(sample_data("hdt_fast_math"))
    document = open_docx(io.BytesIO(docx))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Clause Item 1", "Clause Item 2", "List Bullet"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "SECTION A: PREAMBLE" and headings[-1] == "SECTION L: General Provisions"
    rate_card = next(t for t in document.tables if t.rows[0].cells[0].text == "Rate Card")
    for row in rate_card.rows[:2]:
        assert row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer and "Page " in footer
    header = document.sections[0].header.paragraphs[0].text
    assert "Sunshine County Public Schools" in header and "Bright Path Tutoring, Inc." in header


def test_word_document_properties_name_the_contract_its_parties_author_and_date() -> None:
    import datetime
    import zipfile

    from lxml import etree

    _, docx = render_both(sample_data("hdt_fast_math"))
    # Read with lxml and the standard's namespaces, not python-docx's core_properties: docxcompose (a dependency of
    # docxtpl 0.20.0 and 0.20.1) rebinds python-docx's "cp" prefix on import, and python-docx then misses
    # cp:lastModifiedBy.
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        assert b"<Application>obc-builder " in archive.read("docProps/app.xml")
    ns = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
          "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}

    def prop(name: str) -> str:
        return str(core.findtext(name, namespaces=ns))

    assert prop("dc:title") == "High-Dosage Tutoring Outcomes Based Contract"
    assert "Sunshine County Public Schools" in prop("dc:subject") and "Bright Path Tutoring" in prop("dc:subject")
    # The district wrote the contract, on the contract's effective date; the tool is the application.
    assert prop("dc:creator") == prop("cp:lastModifiedBy") == "Sunshine County Public Schools"
    stamps = {datetime.datetime.fromisoformat(prop(f"dcterms:{name}").replace("Z", "+00:00")).replace(tzinfo=None)
              for name in ("created", "modified")}
    assert stamps == {datetime.datetime(2024, 7, 1)}


def test_draft_placeholders_are_highlighted_yellow_in_word() -> None:
    data = sample_data("hdt_fast_math")
    del data["payments"]["approver"]
    document = assemble(contract_from_data(data, "x.json"), draft=True)
    word = open_docx(io.BytesIO(render_docx(document)))
    runs = [r for p in word.paragraphs for r in p.runs if "[insert Payment approver]" in r.text]
    assert runs and all(str(r.font.highlight_color) == "YELLOW (7)" for r in runs)
    assert any("DRAFT" in p.text for p in word.paragraphs)


def test_warnings_become_comments_at_the_value_they_concern() -> None:
    data = sample_data("hdt_fast_math")
    data["accountability"]["tutor_consistency_pct"] = 70
    contract = contract_from_data(data, "x.json")
    findings = evaluate_rules(contract)
    word = open_docx(io.BytesIO(render_docx(assemble(contract), findings)))
    comments = list(word.comments)
    assert len(comments) == 1
    assert comments[0].text.startswith("Warning (source: Center for OBC HDT template, Section I.2.a)\n")
    assert "HDT-POL-003" not in comments[0].text  # a lawyer reads the source, not the rule's id
    xml = word.element.body.xml
    start = xml.index('w:commentRangeStart w:id="0"')
    assert "70%" in xml[start:xml.index('w:commentRangeEnd w:id="0"')]
    clean = open_docx(io.BytesIO(render_docx(assemble(contract), ())))
    assert list(clean.comments) == []


def test_same_input_gives_byte_identical_files() -> None:
    data = sample_data("hdt_fast_math")
    first, _ = render_outputs(contract_from_data(data, "x.json"), source="x.json", name="x")
    second, _ = render_outputs(contract_from_data(data, "x.json"), source="x.json", name="x")
    assert first == second


def test_docx_dump_reads_what_the_contract_says() -> None:
    _, docx = render_both(sample_data("hdt_fast_math"))
    dump = docx_dump(docx)
    assert "Payment Outcome 1: F.A.S.T. MOY Growth | Student increases by at least 1 achievement bucket" in dump
    assert "Total |  | $2,320 | $1,700,000" in dump
