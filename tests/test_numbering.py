"""Numbering a lawyer can cite: every label unique within its parent and without gaps; Word numbers the items itself
(``word/numbering.xml``) and shows the numbers the Markdown prints."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Document, Heading, Paragraph, plain
from obc_builder.loading import load_contract
from obc_builder.markup import is_label, parse_blocks
from obc_builder.render.docx import render_docx
from obc_builder.render.markdown import INDENT, render_markdown
from obc_builder.render.numbering import Level, item_runs, number_text, readings, resolve

from .conftest import ROOT
from .word_numbering import W, word_numbers

SAMPLES = sorted((ROOT / "samples").glob("*.json"))
_HEADING_LABEL = re.compile(r"^(?:section\s+)?([A-Za-z]{1,5}|\d{1,3})[.:]\s", re.IGNORECASE)


@dataclass
class Node:
    """A heading or item of the contract's outline, with the labelled headings and items under it."""

    name: str
    label: str = ""
    children: list[Node] = field(default_factory=list)


def heading_label(text: str) -> str:
    """A heading's own number (``SECTION A:`` is ``A.``, ``2. PROGRAM SIZE`` is ``2.``), or ``""``."""
    match = _HEADING_LABEL.match(text)
    return f"{match.group(1)}." if match and is_label(f"{match.group(1)}.") else ""


def outline(document: Document) -> Node:
    """The contract as a tree: a heading holds what follows it up to the next heading of its level or above; an item
    belongs to the item of a lower level before it in its list, else to the heading it stands under."""
    root = Node("the contract")
    headings: list[tuple[int, Node]] = []
    list_of = {index: number for number, run in enumerate(item_runs(document.blocks)) for index in run}
    items: list[tuple[int, Node]] = []
    current_list = -1
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            text = plain(block.content)
            while headings and headings[-1][0] >= block.level:
                headings.pop()
            node = Node(text[:60], heading_label(text))
            (headings[-1][1] if headings else root).children.append(node)
            headings.append((block.level, node))
            items = []
        elif isinstance(block, Paragraph) and block.style == "item" and block.label:
            if list_of[index] != current_list:
                items, current_list = [], list_of[index]
            while items and items[-1][0] >= block.level:
                items.pop()
            node = Node(plain(block.content)[:60], block.label)
            parent = items[-1][1] if items else headings[-1][1] if headings else root
            parent.children.append(node)
            items.append((block.level, node))
    return root


def citation_problems(node: Node, path: str = "") -> list[str]:
    """Where labels under one parent repeat or leave a gap: per number format, they must run 1, 2, 3... (a, b, c...)."""
    problems = []
    labelled = [child for child in node.children if child.label]
    read = resolve([child.label for child in labelled])
    by_format: dict[str, list[int]] = {}
    for reading in read:
        if reading is not None:
            by_format.setdefault(reading[0].fmt, []).append(reading[1])
    for fmt, values in by_format.items():
        if values != list(range(1, len(values) + 1)):
            shown = ", ".join(number_text(fmt, v) for v in values)
            problems.append(f"{path or node.name}: {fmt} labels run {shown}")
    for child in node.children:
        problems += citation_problems(child, f"{path} > {child.name}" if path else child.name)
    return problems


def _document(sample: Path) -> Document:
    return assemble(load_contract(sample))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_labels_are_unique_within_their_parent_and_run_without_gaps(sample: Path) -> None:
    assert citation_problems(outline(_document(sample))) == []


def _clause(text: str, clause: str = "x") -> Document:
    document = Document("hdt", "T", "D", "P")
    document.blocks.extend(parse_blocks(text, [], clause))
    return document


def test_the_known_defects_are_caught() -> None:
    """The three spots where the sources number wrongly, as the clause files had them before they were renumbered."""
    ses_2e = "## E. PAY PROVIDER\n### I. ACTUAL SERVICE\nx\n### II. PRE-MEETING FEE\nx\n### I. AGGREGATE FEE\nx\n" \
             "### II. SATISFACTORY SERVICES\nx\n"
    assert citation_problems(outline(_clause(ses_2e)).children[0]) == [
        "E. PAY PROVIDER: upperRoman labels run I, II, I, II"]
    ses_5 = "# 5. TERMINATION\nx\n" + "".join(f">1 {c}. x\n" for c in "ABCDEF") + \
        "".join(f"## {c}. GENERAL\nx\n" for c in "BCDEFGHIJ")
    assert citation_problems(outline(_clause(ses_5)).children[0]) == [
        "5. TERMINATION: upperLetter labels run A, B, C, D, E, F, B, C, D, E, F, G, H, I, J"]
    hdt_i2c = ">1 a. x\n>1 b. x\n>1 c. plan\n>3 1. a\n>3 2. b\n>3 3. c\n>3 4. d\n>2 ii. fail\n>3 1. x\n>2 iii. ci\n>1 d. data\n>2 i. x\n"
    assert citation_problems(outline(_clause("## 2. PROVIDER RESPONSIBILITIES\n" + hdt_i2c)).children[0]) == [
        "c. plan: lowerRoman labels run ii, iii"]


def test_the_renumbered_spots_are_cited_as_the_contract_prints_them() -> None:
    ses = outline(_document(ROOT / "samples" / "ses_campus.json"))
    section_2 = next(n for n in ses.children if n.name.startswith("2. "))
    pay = next(n for n in section_2.children if n.name.startswith("E. "))
    assert [c.label for c in pay.children] == ["I.", "II.", "III.", "IV."]
    section_5 = next(n for n in ses.children if n.name.startswith("5. "))
    assert [c.label for c in section_5.children] == [f"{c}." for c in "ABCDEFGHIJKLMNO"]
    hdt = outline(_document(ROOT / "samples" / "hdt_fast_math.json"))
    section_i = next(n for n in hdt.children if n.name.startswith("SECTION I"))
    provider = next(n for n in section_i.children if n.name.startswith("2. "))
    plan_item = next(c for c in provider.children if c.label == "c.")
    assert [c.label for c in plan_item.children] == ["1.", "2.", "3.", "4.", "i.", "ii."]


@pytest.mark.parametrize(("labels", "formats"), [
    (["a.", "b.", "c.", "d.", "e.", "f.", "g.", "h.", "i."], ["lowerLetter"] * 9),
    (["i.", "ii.", "iii.", "iv.", "v."], ["lowerRoman"] * 5),
    (["i."], ["lowerRoman"]),
    (["c."], ["lowerLetter"]),
    (["H.", "I.", "J."], ["upperLetter"] * 3),
    (["I.", "II."], ["upperRoman"] * 2),
    (["(1)", "(2)"], ["decimal"] * 2),
])
def test_a_label_format_is_read_from_its_neighbours(labels: list[str], formats: list[str]) -> None:
    assert [r[0].fmt if r else None for r in resolve(labels)] == formats


def test_a_lone_ambiguous_label_takes_its_levels_format_from_the_rest_of_the_list() -> None:
    assert resolve(["v."], hints=[Level("lowerLetter")]) == [(Level("lowerLetter"), 22)]
    assert readings("x.") == [(Level("lowerRoman"), 10), (Level("lowerLetter"), 24)]


# What Word shows: numbering.xml's formats and start overrides, counted the way Word counts (word_numbering.py).

def _parts(docx: bytes) -> tuple[ElementTree.Element, ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return (ElementTree.fromstring(archive.read("word/document.xml")),
                ElementTree.fromstring(archive.read("word/numbering.xml")))


def _val(element: ElementTree.Element | None) -> str:
    assert element is not None
    return element.get(f"{W}val", "")


def markdown_labels(markdown: str) -> list[str]:
    """The label of each labelled item of the Markdown (an indented paragraph that opens with one)."""
    labels = []
    for line in markdown.splitlines():
        if line.startswith(INDENT):
            first = line.lstrip(INDENT).split(" ", 1)[0].replace("\\", "")
            if is_label(first):
                labels.append(first)
    return labels


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_word_numbers_every_labelled_item_as_the_markdown_labels_it(sample: Path) -> None:
    document = _document(sample)
    docx = render_docx(document)
    shown, used = word_numbers(docx)
    labelled = [b for b in document.blocks if isinstance(b, Paragraph) and b.style == "item" and b.label]
    assert shown == [b.label for b in labelled]  # every labelled item has its w:numPr, numbered as typed
    assert shown == markdown_labels(render_markdown(document))
    schemes = list(used.values())
    assert len(schemes) == len({tuple(s) for s in schemes})  # one abstract numbering per scheme
    body, _ = _parts(docx)
    for paragraph in body.iter(f"{W}p"):  # Word prints the number: the label is no longer typed before the text
        if paragraph.find(f"{W}pPr/{W}numPr") is not None:
            text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
            assert not re.match(r"^\(?\w{1,5}[.)]\s", text), text


def test_numbering_keeps_the_masters_lists_and_indents_as_the_clause_item_styles() -> None:
    docx = render_docx(_document(ROOT / "samples" / "hdt_fast_math.json"))
    _, numbering = _parts(docx)
    with zipfile.ZipFile(ROOT / "templates" / "contract.docx") as archive:
        master = ElementTree.fromstring(archive.read("word/numbering.xml"))
        styles = ElementTree.fromstring(archive.read("word/styles.xml"))
    kept = {n.get(f"{W}numId"): _val(n.find(f"{W}abstractNumId")) for n in numbering.iter(f"{W}num")}
    for num in master.iter(f"{W}num"):  # the bullet and number styles' own lists, unchanged
        assert kept[num.get(f"{W}numId")] == _val(num.find(f"{W}abstractNumId"))
    indents = {}
    for style in styles.iter(f"{W}style"):
        if (name := style.get(f"{W}styleId", "")).startswith("ClauseItem"):
            ind = style.find(f"{W}pPr/{W}ind")
            assert ind is not None
            indents[int(name[-1]) - 1] = (ind.get(f"{W}left"), ind.get(f"{W}hanging"))
    ours = [a for a in numbering.iter(f"{W}abstractNum") if a.find(f"{W}multiLevelType") is not None
            and _val(a.find(f"{W}multiLevelType")) == "multilevel"]
    assert ours
    for abstract in ours:
        for lvl in abstract.iter(f"{W}lvl"):
            ind = lvl.find(f"{W}pPr/{W}ind")
            assert ind is not None
            assert (ind.get(f"{W}left"), ind.get(f"{W}hanging")) == indents[int(lvl.get(f"{W}ilvl", ""))]


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_markdown_items_have_no_bullet_and_one_indent_per_level(sample: Path) -> None:
    document = _document(sample)
    markdown = render_markdown(document)
    assert not re.search(r"^\s*- (?:\\?\(?\w{1,5}\\?[.)]) ", markdown, re.M)
    lines = [line for line in markdown.splitlines() if line.startswith(INDENT)]
    items = [b for b in document.blocks if isinstance(b, Paragraph) and b.style == "item"]
    assert len(lines) == len(items)
    for line, item in zip(lines, items, strict=True):
        assert line.startswith(INDENT * item.level) and not line.startswith(INDENT * item.level + INDENT[0])
