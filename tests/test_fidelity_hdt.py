"""Every fixed sentence of the HDT template's Sections A–K appears, word for word, in a generated contract.

The sentences are read from the seed itself (not copied into this test): prose lines of Sections A–K, cut
around the yellow inputs (``[...]``), leaving out blue guidance, green examples and table cells. The seed's
errors that the clauses correct, and record in their front matter (``errata:``), are corrected in the seed's text
first, so a recorded correction passes and any other change still fails.
"""

from __future__ import annotations

import re

import pytest

from obc_builder.generate import render_outputs
from obc_builder.library import as_corrected, load_library, source_document
from obc_builder.loading import load_contract

from .conftest import ROOT, SOURCES, docx_dump

SEED = SOURCES / "000_center_obc_hdt_contract_template.txt"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def template_fragments() -> list[str]:
    errata = tuple(c for c in load_library("hdt") if source_document(c) == SEED)
    lines = as_corrected(SEED.read_text(encoding="utf-8"), errata).splitlines()
    start = next(i for i, line in enumerate(lines) if "SECTION A: PREAMBLE" in line)
    fragments: list[str] = []
    previous = ""
    for raw in lines[start:]:
        line = re.sub(r"^\[bookmark: [^\]]*\]", "", raw)
        if not line.strip():
            continue
        in_table = previous.startswith("\t")
        is_bullet = line.startswith("· ")
        if line.startswith("\t") or "E.g." in line or "[Link]" in line:
            previous = line if line.startswith("\t") else previous
            continue
        if is_bullet and in_table:
            continue
        if not is_bullet and in_table and not re.match(r"^(\d+\.|[A-Z])", line):
            continue
        if not is_bullet and in_table and len(line) < 60 and not line.isupper():
            continue  # a table cell continued on its own line ("School A (220)", "Ending 3/28/25")
        previous = line
        text = line[2:] if is_bullet else line
        for cell in re.split(r"\t+", text):
            for piece in re.split(r"\[[^\]]*\]", cell):
                piece = _normal(piece).strip(" .")
                if re.search(r"[A-Za-z]{2}", piece) and not set(piece) <= set("_ "):
                    fragments.append(piece)
    return fragments


def test_the_seed_yields_the_template_prose() -> None:
    fragments = template_fragments()
    assert len(fragments) > 150
    assert "NOW, THEREFORE, in consideration of the mutual covenants and conditions contained herein, the parties " \
           "agree as follows:" in fragments
    assert not any("E.g." in f or "Learn best practices" in f for f in fragments)


@pytest.mark.parametrize("sample", ["hdt_fast_math", "hdt_k3_reading"])
def test_every_fixed_sentence_of_sections_a_to_k_is_in_the_contract(sample: str) -> None:
    path = ROOT / "samples" / f"{sample}.json"
    files, _ = render_outputs(load_contract(path), source=str(path), name=sample)
    text = _normal(docx_dump(files[f"{sample}.docx"]))
    missing = [f for f in template_fragments() if f not in text]
    assert not missing, f"{len(missing)} template fragments are missing, e.g. {missing[:3]}"


def test_blue_guidance_never_reaches_a_contract(fast_math: dict) -> None:  # type: ignore[type-arg]
    path = ROOT / "samples" / "hdt_fast_math.json"
    files, _ = render_outputs(load_contract(path), source=str(path), name="x")
    text = files["x.md"].decode("utf-8") + docx_dump(files["x.docx"])
    for guidance in ("Learn best practices", "[Link]", "Insert a payment table", "should be used as a starting point",
                     "recommendation", "E.g."):
        assert guidance not in text
