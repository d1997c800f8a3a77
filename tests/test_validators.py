"""Every generated file passes a real validator: Word files the Open XML SDK's, Markdown markdownlint, and the
Markdown renders (markdown-it-py) with every text of the document model still there.

All outputs are generated once into a temporary folder; each external tool then runs once for all of them.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from obc_builder.assemble import assemble
from obc_builder.document import Document, Heading, Paragraph, Table, notice_for, plain
from obc_builder.families import FAMILY_NAMES
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.locations import describe_path, plain_source
from obc_builder.models.base import missing_inputs
from obc_builder.render.markdown import render_markdown
from obc_builder.review import figure_rows
from obc_builder.rules.engine import Finding, Severity

from .conftest import SAMPLES, sample_data
from .validators import markdown_plain_text, markdown_text_lost, markdownlint_errors, ooxml_errors


@dataclass
class Case:
    name: str
    contract: BaseModel
    document: Document
    findings: list[Finding]
    files: dict[str, Path]


# Values that look like Markdown, HTML or XML, span lines, or hold signature-like underscores.
HOSTILE_LINES = "# not a heading\n- not a bullet\n1. not a list\n> not a quote & <b>not bold</b>"
HOSTILE_INLINE = "*stars* _under_ `code` [link](http://x) | pipe ____ &amp; ]]></w:t> \\back"

CASES = ([f"{p.stem}-final" for p in SAMPLES] + [f"{p.stem}-draft" for p in SAMPLES]
         + [f"empty_{family}-draft" for family in FAMILY_NAMES] + ["hostile_hdt-final", "hostile_agr-draft"])


def _contract(case: str) -> BaseModel:
    stem = case.rsplit("-", 1)[0]
    if stem.startswith("empty_"):
        return contract_from_data({"family": stem.removeprefix("empty_")}, f"{stem}.json")
    if stem == "hostile_hdt":
        data = sample_data("hdt_fast_math")
        data["parties"]["district_name"] = HOSTILE_LINES
        data["population"]["selection_criteria"][0] = HOSTILE_INLINE
        return contract_from_data(data, f"{stem}.json")
    if stem == "hostile_agr":
        data = sample_data("agr_multi_school")
        data["schools"][0]["name"] = HOSTILE_LINES
        data["schools"][1]["name"] = HOSTILE_INLINE
        del data["schools"][2]["name"]  # a draft: an unfilled value inside table titles and headings
        return contract_from_data(data, f"{stem}.json")
    return load_contract(next(p for p in SAMPLES if p.stem == stem))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Every sample final and draft, a draft of each family's nearly empty input and the hostile cases, written once."""
    folder = tmp_path_factory.mktemp("validators")
    cases = {}
    for case in CASES:
        contract = _contract(case)
        draft = case.endswith("-draft")
        files, findings = render_outputs(contract, source=f"{case}.json", name=case, draft=draft)
        paths = {}
        for name, data in files.items():
            (folder / name).write_bytes(data)
            paths[name.removeprefix(case + ".")] = folder / name
        cases[case] = Case(case, contract, assemble(contract, draft=draft), findings, paths)
    return cases


def _broken_docx(valid: Path, folder: Path) -> Path:
    """A copy of a valid Word file with one element the schema does not allow: the validator must see it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:p><w:notAnElement/></w:p>", 1)
            target.writestr(item, data)
    broken = folder / "broken.docx"
    broken.write_bytes(buffer.getvalue())
    return broken


def test_every_word_file_is_valid_open_xml(outputs: dict[str, Case], tmp_path: Path) -> None:
    docx = [case.files["docx"] for case in outputs.values()]
    broken = _broken_docx(docx[0], tmp_path)
    found = ooxml_errors([*docx, broken])  # one batch; the broken copy proves the validator really looks
    assert any("notAnElement" in line for line in found[broken]), found[broken]
    invalid = {path.name: errors for path, errors in found.items() if errors and path != broken}
    assert not invalid, "\n".join(f"{name}: {line}" for name, errors in invalid.items() for line in errors[:20])


def test_every_markdown_file_passes_markdownlint(outputs: dict[str, Case], tmp_path: Path) -> None:
    markdown = [case.files[kind] for case in outputs.values() for kind in ("md", "review.md")]
    sloppy = tmp_path / "sloppy.md"
    sloppy.write_text("# Title\n\n\n## Heading\ntext  \n", encoding="utf-8")
    lines = markdownlint_errors([*markdown, sloppy])  # one batch; the sloppy file proves the linter really looks
    assert any("sloppy.md" in line for line in lines), lines
    problems = [line for line in lines if "sloppy.md" not in line]
    assert not problems, "\n".join(problems[:60])


def document_texts(document: Document, findings: Sequence[Finding] = ()) -> Iterator[str]:
    """Every text of the document model: title, parties, each heading, paragraph, table title, cell line, value."""
    yield document.title
    yield f"{document.district} · {document.provider}"
    if document.draft:
        yield notice_for(document, [f.message for f in findings if f.severity is Severity.error])
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield plain(block.content)
            yield from (run.text for run in block.content if run.kind != "text")
        elif isinstance(block, Table):
            if block.title:
                yield plain(block.title)
            for row in block.rows:
                for cell in row:
                    for line in cell:
                        yield plain(line)
                        yield from (run.text for run in line if run.kind != "text")


def review_texts(case: Case) -> Iterator[str]:
    yield f"Review: {case.document.title}"
    for title, value in figure_rows(case.contract):
        yield title
        yield value
    model = type(case.contract)
    for finding in case.findings:  # fields by their place in the contract, sources by their document's name
        yield from (finding.rule, describe_path(model, finding.path), finding.message, finding.fix,
                    plain_source(finding.source))
    for missing in missing_inputs(case.contract):
        yield describe_path(model, missing.path)
        yield missing.title


@pytest.mark.parametrize("case", CASES)
def test_markdown_renders_every_text_of_the_document(outputs: dict[str, Case], case: str) -> None:
    markdown = outputs[case].files["md"].read_text(encoding="utf-8")
    lost = markdown_text_lost(markdown, document_texts(outputs[case].document, outputs[case].findings))
    assert not lost, "text missing from the rendered Markdown:\n" + "\n".join(lost)


@pytest.mark.parametrize("case", CASES)
def test_review_renders_every_figure_finding_and_unfilled_input(outputs: dict[str, Case], case: str) -> None:
    review = outputs[case].files["review.md"].read_text(encoding="utf-8")
    lost = markdown_text_lost(review, review_texts(outputs[case]))
    assert not lost, "text missing from the rendered review:\n" + "\n".join(lost)


def test_drafts_of_empty_inputs_show_placeholders(outputs: dict[str, Case]) -> None:
    for family in FAMILY_NAMES:
        case = outputs[f"empty_{family}-draft"]
        assert case.document.missing(), family
        assert "[insert " in markdown_plain_text(case.files["md"].read_text(encoding="utf-8")), family


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_signature_lines_show_as_typed(outputs: dict[str, Case], family: str) -> None:
    """Runs of underscores (signature and date lines) survive Markdown rendering in every family's signatures."""
    for case in outputs.values():
        if case.document.family != family or case.name.startswith("empty_"):
            continue
        signatures = [block for block in case.document.blocks if isinstance(block, Table) and block.kind == "signature"]
        lines = [plain(line) for table in signatures for row in table.rows for cell in row for line in cell]
        ruled = [line for line in lines if "___" in line]
        assert ruled, f"{case.name}: no signature lines found"
        seen = markdown_plain_text(case.files["md"].read_text(encoding="utf-8"))
        assert all(line.strip() in seen for line in ruled), case.name


@pytest.mark.parametrize("text", ["____", "<br>____<br>Date", "a ___ / ___ b", "__bold?__", "_x_ and *y*"])
def test_underscores_in_values_and_wording_print_as_typed(text: str) -> None:
    data = sample_data("hdt_fast_math")
    data["parties"]["district_name"] = text
    document = assemble(contract_from_data(data, "x.json"))
    assert not markdown_text_lost(render_markdown(document), [text, *(plain(b.content) for b in document.blocks
                                                                        if isinstance(b, Paragraph))])


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_markdown_lists_nest_as_the_document_does(sample: Path) -> None:
    """Bullets keep their order of levels in Markdown, one list level at a time (markdownlint MD005/MD007). Labelled
    items are paragraphs, indented per level (tests/test_numbering.py)."""
    document = assemble(load_contract(sample))
    levels = [(b.level, b.style) for b in document.blocks if isinstance(b, Paragraph) and b.style == "bullet"]
    lines = [line for line in render_markdown(document).splitlines() if line.lstrip(" ").startswith("- ")]
    assert len(lines) == len(levels)
    indents = [len(line) - len(line.lstrip(" ")) for line in lines]
    items = list(zip(levels, indents, strict=True))
    for (before, indent_before), (after, indent_after) in itertools.pairwise(items):
        assert indent_after % 2 == 0 and indent_after <= indent_before + 2
        if after == before:
            assert indent_after == indent_before
        elif after[0] > before[0]:
            assert indent_after == indent_before + 2
        elif after[0] < before[0]:
            assert indent_after <= indent_before
