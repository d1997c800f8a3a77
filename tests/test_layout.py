"""The Word file reads like a document a law firm sent: signature pages, keeps, spacing, header, properties."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from obc_builder.assemble import assemble
from obc_builder.loading import contract_from_data
from obc_builder.render.docx import render_docx
from obc_builder.rules.engine import evaluate_rules

from .conftest import sample_data

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SAMPLES = {"hdt": "hdt_fast_math", "ses": "ses_campus", "agr": "agr_multi_school"}
TITLES = {"hdt": "High-Dosage Tutoring Outcomes Based Contract",
          "ses": "Title I Supplemental Educational Services Contract", "agr": "Achievement Gap Reduction Contract"}
# Words each family's signature block is introduced by, and words only its signature block prints.
INTRODUCED_BY = {"hdt": "NOW, THEREFORE", "ses": "Each party signing this contract", "agr": "By signing below"}
SIGNATURE_WORDS = {"hdt": "Signature of District Representative", "ses": "Board Chairperson: Name",
                   "agr": "School Board Clerk"}


def _docx(name: str) -> bytes:
    contract = contract_from_data(sample_data(name), f"{name}.json")
    return render_docx(assemble(contract), evaluate_rules(contract))


def _part(docx: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read(name))


def _body(docx: bytes) -> etree._Element:
    return _part(docx, "word/document.xml").find("w:body", NS)


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _is_signature(table: etree._Element) -> bool:
    return table.find("w:tblPr/w:tblBorders/w:insideV[@w:val='nil']", NS) is not None


def _keeps(paragraph: etree._Element) -> bool:
    return paragraph.find("w:pPr/w:keepNext", NS) is not None


@pytest.mark.parametrize("family", SAMPLES)
def test_no_page_break_is_forced_before_a_signature_block(family: str) -> None:
    body = _body(_docx(SAMPLES[family]))
    tables = [t for t in body.findall("w:tbl", NS) if _is_signature(t)]
    assert len(tables) == 1
    before = tables[0].getprevious()
    assert before.tag == f"{{{W}}}p" and _text(before).strip(), "no empty paragraph before the signatures"
    assert before.find(".//w:br[@w:type='page']", NS) is None
    assert body.find(".//w:pageBreakBefore", NS) is None


@pytest.mark.parametrize("family", SAMPLES)
def test_the_words_that_introduce_a_signature_block_keep_with_it(family: str) -> None:
    body = _body(_docx(SAMPLES[family]))
    table = next(t for t in body.findall("w:tbl", NS) if _is_signature(t))
    before = table.getprevious()
    assert INTRODUCED_BY[family] in _text(before) and _keeps(before)
    assert before.find("w:pPr/w:keepLines", NS) is not None
    if family == "ses":  # the signature page's caption and authority sentence, all back to its page break
        held = []
        node = before
        while node is not None and node.find(".//w:br[@w:type='page']", NS) is None:
            held.append(node)
            node = node.getprevious()
        assert len(held) == 4 and all(_keeps(p) for p in held)
        assert "THE SCHOOL BOARD OF SUNSHINE COUNTY" in _text(held[-1])
    rows = table.findall("w:tr", NS)
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    for row in rows[:-1]:  # the rows keep together; the last keeps with nothing after the block
        assert all(_keeps(p) for p in row.iter(f"{{{W}}}p"))
    assert not any(_keeps(p) for p in rows[-1].iter(f"{{{W}}}p"))


@pytest.mark.parametrize("family", SAMPLES)
def test_the_sentence_before_a_table_keeps_with_it_and_no_empty_paragraph_spaces_a_table(family: str) -> None:
    body = _body(_docx(SAMPLES[family]))
    tables = body.findall("w:tbl", NS)
    for table in tables:
        before = table.getprevious()
        if before is not None and before.tag == f"{{{W}}}p" and _text(before).strip():
            style = before.find("w:pPr/w:pStyle", NS)
            by_style = style is not None and style.get(f"{{{W}}}val") == "Subtitle"  # the title block's style keeps
            assert _keeps(before) or by_style, _text(before)
        after = table.getnext()
        if after.tag == f"{{{W}}}p" and not _text(after).strip():
            # only between two tables (Word would join them) or at the end of the body
            following = after.getnext()
            assert following.tag in (f"{{{W}}}tbl", f"{{{W}}}sectPr"), etree.tostring(after)
        elif after.tag == f"{{{W}}}p":
            style = after.find("w:pPr/w:pStyle", NS)
            assert style is not None and style.get(f"{{{W}}}val") in ("AfterTable", "Heading1", "Heading2",
                                                                      "Heading3", "ClauseItem1", "ListBullet")


def test_headings_keep_with_next_in_the_styles_and_the_after_table_style_gives_the_space() -> None:
    styles = _part(_docx("hdt_fast_math"), "word/styles.xml")
    for name in ("Heading1", "Heading2", "Heading3"):
        style = styles.find(f"w:style[@w:styleId='{name}']", NS)
        assert style.find("w:pPr/w:keepNext", NS) is not None and style.find("w:pPr/w:keepLines", NS) is not None
    for name in ("Title", "Subtitle"):
        assert styles.find(f"w:style[@w:styleId='{name}']/w:pPr/w:keepNext", NS) is not None
    after = styles.find("w:style[@w:styleId='AfterTable']", NS)
    assert int(after.find("w:pPr/w:spacing", NS).get(f"{{{W}}}before")) > 0


@pytest.mark.parametrize("family", SAMPLES)
def test_every_page_header_names_the_contract_and_the_page_numbers_have_the_footers_size(family: str) -> None:
    docx = _docx(SAMPLES[family])
    header = _text(_part(docx, "word/header1.xml"))
    assert header.startswith(TITLES[family])
    footer = _part(docx, "word/footer1.xml")
    fields = footer.findall(".//w:fldSimple", NS)
    assert [f.get(f"{{{W}}}instr") for f in fields] == ["PAGE", "NUMPAGES"]
    for field in fields:
        assert field.find("w:r/w:rPr/w:sz", NS).get(f"{{{W}}}val") == "18"


def test_same_shaped_tables_of_a_clause_have_the_same_columns_for_every_school() -> None:
    body = _body(_docx("agr_multi_school"))
    grids = [tuple(int(c.get(f"{{{W}}}w")) for c in t.findall("w:tblGrid/w:gridCol", NS))
             for t in body.findall("w:tbl", NS) if _text(t).startswith("Performance Objectives: ")]
    assert len(grids) == 3 and len(set(grids)) == 1
    assert sum(grids[0]) == 9360 and grids[0][1] == max(grids[0])  # the growth column holds the most text


def _core(docx: bytes) -> dict[str, str]:
    core = _part(docx, "docProps/core.xml")
    return {etree.QName(child).localname: child.text or "" for child in core}


@pytest.mark.parametrize(("family", "date"), [("hdt", "2024-07-01"), ("ses", "2025-06-17"), ("agr", "2026-07-01")])
def test_the_author_is_the_district_and_the_dates_are_the_contracts(family: str, date: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    docx = _docx(SAMPLES[family])
    core = _core(docx)
    assert "obc-builder" not in core["creator"] + core["lastModifiedBy"]
    assert core["creator"] == core["lastModifiedBy"] and core["creator"]
    assert core["created"] == core["modified"] == f"{date}T00:00:00Z"
    assert b"1980-01-01" not in zipfile.ZipFile(io.BytesIO(docx)).read("docProps/core.xml")


def test_source_date_epoch_sets_the_dates_and_an_unfilled_date_sets_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = _docx("hdt_fast_math"), _docx("hdt_fast_math")
    assert first == second and _core(first)["created"] == "2023-11-14T22:13:20Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    data = sample_data("hdt_fast_math")
    del data["dates"]["effective_date"]
    document = assemble(contract_from_data(data, "x.json"), draft=True)
    assert document.date is None
    core = _core(render_docx(document))
    assert "created" not in core and "modified" not in core


def test_a_warning_on_a_value_printed_in_two_clauses_is_anchored_once_and_mentioned_at_the_other() -> None:
    contract = contract_from_data(sample_data("hdt_k3_reading"), "x.json")
    findings = [f for f in evaluate_rules(contract) if f.rule == "HDT-POL-001"]
    assert findings and findings[0].path == "computed.contingent_share_pct"
    docx = render_docx(assemble(contract), findings)
    comments = _part(docx, "word/comments.xml").findall("w:comment", NS)
    texts = [_text(c) for c in comments]
    assert len(comments) == 2
    assert "Fix:" in texts[0]
    assert "See the comment on this in “Background” (Section C)." in texts[1]
    assert {c.get(f"{{{W}}}date") for c in comments} == {"2025-08-01T00:00:00Z"}
    body = etree.tostring(_body(docx), encoding="unicode")
    # the comment is where the share is first printed (Section C), the mention where the payment terms print it
    assert body.index('w:commentRangeStart w:id="0"') < body.index("SECTION D") < body.index(
        'w:commentRangeStart w:id="1"')


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_each_signature_page_holds_the_contract_name_and_the_words_that_introduce_it(tmp_path: Path) -> None:
    soffice = _soffice()
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler-utils must be installed to check the pages")
        pytest.skip("LibreOffice or pdftotext is not installed here (CI installs them)")
    for family, name in SAMPLES.items():
        (tmp_path / f"{family}.docx").write_bytes(_docx(name))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{family}.docx") for family in SAMPLES)],
        capture_output=True, text=True, timeout=300,
    )
    for family in SAMPLES:
        pdf = tmp_path / f"{family}.pdf"
        assert pdf.exists(), result.stderr
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = [re.sub(r"\s+", " ", page) for page in text.split("\f")]
        signature = [page for page in pages if SIGNATURE_WORDS[family] in page]
        assert len(signature) == 1, family
        page = signature[0]
        assert TITLES[family] in page and INTRODUCED_BY[family] in page, (family, page[:400])
        assert page.index(INTRODUCED_BY[family]) < page.index(SIGNATURE_WORDS[family])


@pytest.mark.parametrize("family", SAMPLES)
def test_page_one_states_the_title_once(family: str) -> None:
    body = _body(_docx(SAMPLES[family]))
    opening = [_text(p).upper() for p in body.findall("w:p", NS)[:6]]
    title = TITLES[family].upper()
    assert sum(title in text for text in opening) == 1, opening
    styled = [p for p in body.findall("w:p", NS)[:3] if p.find("w:pPr/w:pStyle[@w:val='Title']", NS) is not None]
    assert len(styled) == (0 if family == "ses" else 1)  # SES opens with Appendix I's own caption
