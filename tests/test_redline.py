"""obc-builder compare: a redline in Markdown and a .docx whose changes are Word tracked changes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.document import Block, ClauseInfo, Document, Heading, Paragraph, Run, change_of, plain
from obc_builder.redline import compare_files
from obc_builder.redline.diff import redline, words
from obc_builder.redline.read import read_side
from obc_builder.render.docx import render_docx
from obc_builder.render.markdown import render_markdown

from .conftest import ROOT, docx_dump, sample_data
from .validators import markdownlint_errors, ooxml_errors

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
runner = CliRunner()


def _second_draft(data: dict[str, Any]) -> dict[str, Any]:
    """What a negotiation changes: a value in several clauses, a party's name, a rate card row dropped (a table row
    and a whole timetable gone), the general provisions left out (whole clauses gone), a notice period."""
    data["payments"]["payment_days"] = 45
    data["parties"]["provider_name"] = "Bright Path Learning, Inc."
    data["outcomes"] = data["outcomes"][:2]
    data["provisions"]["include"] = False
    data["termination"]["early_termination_cure_days"] = 15
    return data


@pytest.fixture
def drafts(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "v1.json", tmp_path / "v2.json"
    old.write_text(json.dumps(sample_data("hdt_fast_math")), encoding="utf-8")
    new.write_text(json.dumps(_second_draft(sample_data("hdt_fast_math"))), encoding="utf-8")
    return old, new


def _markdown(tmp_path: Path, source: Path) -> Path:
    """The contract ``generate`` writes for an input, in Markdown (a draft where it cannot be final)."""
    side = read_side(source)
    result = runner.invoke(app, ["generate", str(source), "--out", str(tmp_path / "md"), "--format", "md",
                                 *(["--draft"] if side.document.draft else [])])
    assert result.exit_code == 0, result.output
    return tmp_path / "md" / f"{source.stem}.md"


def accept_all(docx: bytes) -> bytes:
    """What Word's Accept All Changes leaves: deletions (runs, paragraphs, rows) gone, insertions plain text."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    ns = {"w": W}
    for element in root.xpath("//w:tr[w:trPr/w:del] | //w:p[w:pPr/w:rPr/w:del] | //w:del", namespaces=ns):
        if element.getparent() is not None:
            element.getparent().remove(element)
    for table in root.xpath("//w:tbl[not(w:tr)]", namespaces=ns):
        table.getparent().remove(table)
    for mark in root.xpath("//w:rPr/w:ins | //w:trPr/w:ins", namespaces=ns):
        mark.getparent().remove(mark)
    for inserted in root.xpath("//w:ins", namespaces=ns):
        parent = inserted.getparent()
        at = parent.index(inserted)
        for offset, child in enumerate(list(inserted)):
            parent.insert(at + offset, child)
        parent.remove(inserted)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _new_docx(new: Path) -> bytes:
    """The new draft's own Word file, as generate writes it."""
    side = read_side(new)
    return render_docx(side.document, (), side.notice)


@pytest.mark.parametrize("kinds", [("json", "json"), ("md", "md"), ("json", "md"), ("md", "json"), ("new", "old")],
                         ids=["inputs", "markdown", "input-then-markdown", "markdown-then-input", "backwards"])
def test_accepting_every_tracked_change_gives_exactly_the_new_draft(drafts: tuple[Path, Path], tmp_path: Path,
                                                                    kinds: tuple[str, str]) -> None:
    """Backwards, the second draft's removals are insertions: clauses, a rate card row and a timetable added."""
    if kinds == ("new", "old"):
        drafts, kinds = (drafts[1], drafts[0]), ("json", "json")
    old, new = (_markdown(tmp_path, path) if kind == "md" else path for path, kind in zip(drafts, kinds, strict=True))
    compared = compare_files(old, new)
    docx = compared.files[f"{new.stem}.redline.docx"]
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    assert docx_dump(accept_all(docx)) == docx_dump(_new_docx(new))
    assert docx_dump(accept_all(docx)) != docx_dump(_new_docx(old))


def test_changes_are_tracked_by_obc_builder_with_a_date_each_with_its_own_id(drafts: tuple[Path, Path]) -> None:
    compared = compare_files(*drafts)
    xml = zipfile.ZipFile(io.BytesIO(compared.files["v2.redline.docx"])).read("word/document.xml").decode()
    marks = re.findall(r'<w:(ins|del) w:id="(\d+)" w:author="([^"]+)" w:date="([^"]+)"', xml)
    assert {kind for kind, *_ in marks} == {"ins", "del"}
    assert {author for _, _, author, _ in marks} == {"obc-builder"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date) for *_, date in marks)
    ids = [number for _, number, _, _ in marks]
    assert len(ids) == len(set(ids))
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml))
    assert "Tutoring" in deleted and "GOVERNING LAW" in deleted  # a word, and a whole clause
    assert re.search(r'<w:del [^>]*><w:r><w:delText xml:space="preserve">30</w:delText>', xml)
    assert re.search(r'<w:ins [^>]*><w:r><w:t xml:space="preserve">45</w:t>', xml)


def test_the_summary_lists_each_changed_added_and_removed_clause_by_its_section(drafts: tuple[Path, Path]) -> None:
    compared = compare_files(*drafts)
    markdown = compared.files["v2.redline.md"].decode()
    assert "| Section F | Base payment | changed |" in markdown
    assert "| Section L | Governing law | removed |" in markdown
    assert "| Section D | " not in markdown  # an unchanged clause is not listed
    assert compared.summary().startswith("16 clauses with changes (9 changed, 0 added, 7 removed)")
    assert "within ~~30~~<ins>45</ins> days" in markdown
    assert "Bright Path ~~Tutoring~~<ins>Learning</ins>, Inc." in markdown


def test_a_draft_compared_with_itself_has_no_tracked_change(drafts: tuple[Path, Path]) -> None:
    old, _ = drafts
    compared = compare_files(old, old)
    xml = zipfile.ZipFile(io.BytesIO(compared.files["v1.redline.docx"])).read("word/document.xml").decode()
    assert "<w:ins " not in xml and "<w:del " not in xml
    assert docx_dump(compared.files["v1.redline.docx"]) == docx_dump(_new_docx(old))
    assert compared.summary().startswith("0 clauses with changes")


def test_the_redline_is_valid_word_and_valid_markdown(drafts: tuple[Path, Path], tmp_path: Path) -> None:
    paths = []
    for old, new in (drafts, drafts[::-1]):  # deletions, then the same as insertions
        for name, data in compare_files(old, new).files.items():
            paths.append(tmp_path / name)
            paths[-1].write_bytes(data)
    word_files = [p for p in paths if p.suffix == ".docx"]
    assert len(word_files) == 2 and ooxml_errors(word_files) == {p: [] for p in word_files}
    assert markdownlint_errors([p for p in paths if p.suffix == ".md"]) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("within 30 days of receipt", "within 45 days of receipt", "within [-30-][+45+] days of receipt"),
    ("the Provider shall pay", "the Provider shall not pay", "the Provider shall [+not +]pay"),
    ("a b c d", "w x y z", "[-a b c d-][+w x y z+]"),
], ids=["a-word-replaced", "a-word-inserted", "rewritten-whole"])
def test_words_marks_only_the_words_that_changed(old: str, new: str, expected: str) -> None:
    shown = "".join(f"[-{r.text}-]" if r.change == "del" else f"[+{r.text}+]" if r.change == "ins" else r.text
                    for r in words((Run(old),), (Run(new),)))
    assert shown == expected


def test_an_equal_word_keeps_the_new_drafts_value_run() -> None:
    old = (Run("paid within "), Run("30", "value", "payments.days"), Run(" days"))
    new = (Run("paid within "), Run("45", "value", "payments.days"), Run(" days"))
    marked = words(old, new)
    assert [(r.text, r.kind, r.change) for r in marked if r.change] == [("30", "value", "del"), ("45", "value", "ins")]


def test_compare_writes_both_files_and_names_a_missing_draft(drafts: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = drafts
    result = runner.invoke(app, ["compare", str(old), str(new), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["v2.redline.docx", "v2.redline.md"]
    assert "clauses with changes" in result.stdout
    again = runner.invoke(app, ["compare", str(old), str(new), "--out", str(tmp_path / "out")])
    assert again.exit_code == 0 and "(unchanged)" in again.stdout  # the same two files give the same bytes
    lettered = runner.invoke(app, ["compare", str(old), str(new), "--out", str(tmp_path / "paper"), "--docx-template",
                                   str(ROOT / "samples" / "letterhead" / "letterhead.docx")])
    assert lettered.exit_code == 0, lettered.output
    assert b"SUNSHINE COUNTY" in b"".join(zipfile.ZipFile(tmp_path / "paper" / "v2.redline.docx").read(name) for name
                                          in ("word/header1.xml", "word/header2.xml"))
    missing = runner.invoke(app, ["compare", str(tmp_path / "nope.json"), str(new), "--out", str(tmp_path)])
    assert missing.exit_code == 1 and "nope.json" in missing.stderr and "Traceback" not in missing.output


def test_a_markdown_file_that_is_no_contract_is_refused(tmp_path: Path, drafts: tuple[Path, Path]) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Just some notes\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(notes), str(drafts[1]), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "notes.md" in result.stderr and "# title" in result.stderr


def _items(*texts: str) -> Document:
    blocks: list[Block] = [Heading(1, (Run("SECTION A: Terms"),), "a01")]
    blocks += [Paragraph((Run(f"{label} {text}"),), "a01", "item", 1, label)
               for label, text in zip("abcdefgh", texts, strict=False) for label in [f"{label}."]]
    return Document("hdt", "Contract", "District", "Provider", blocks=blocks,
                    clauses=[ClauseInfo("a01", "Terms", "A", "Seed 000")])


def test_an_item_dropped_from_a_list_is_deleted_and_the_rest_renumbered_by_word(tmp_path: Path) -> None:
    old, new = _items("one", "two", "three", "four"), _items("one", "three", "four and more")
    result = redline(old, new, by_clause=True)
    items = [b for b in result.document.blocks if isinstance(b, Paragraph)]
    assert [plain(b.content) for b in items if change_of(b.content) == "del"] == ["b. two"]
    assert [(r.text, r.change) for r in items[-1].content if r.change] == [(" and more", "ins")]
    word = render_docx(result.document, revised="2025-01-01T00:00:00Z")
    assert docx_dump(accept_all(word)) == docx_dump(render_docx(new))  # a., b., c. as in the new draft
    xml = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode()
    deleted = re.search(r"<w:p>(?:(?!</w:p>).)*b\.</w:delText>(?:(?!</w:p>).)*</w:p>", xml)
    assert deleted and "<w:numPr>" not in deleted.group(0)  # its old label as struck text, out of Word's count
    (tmp_path / "items.docx").write_bytes(word)
    assert ooxml_errors([tmp_path / "items.docx"]) == {tmp_path / "items.docx": []}
    markdown = render_markdown(result.document)
    assert "~~b.~~ ~~two~~" in markdown
