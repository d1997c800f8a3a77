"""Errata (the source's errors the clauses correct, recorded in their front matter) and generated cross-references."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from obc_builder.assemble import assemble, clause_context
from obc_builder.document import Heading, Paragraph, plain
from obc_builder.errata import markdown
from obc_builder.errors import TemplateError
from obc_builder.families import FAMILY_NAMES
from obc_builder.library import (
    ClauseIndex,
    Erratum,
    as_corrected,
    as_in_source,
    check_errata,
    check_references,
    load_library,
    parse_clause,
    source_document,
)
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.markup import inline
from obc_builder.templating import render_text

from .conftest import ROOT, sample_data


def _clause(folder: Path, stem: str, front: str, body: str) -> Path:
    path = folder / f"{stem}.j2"
    path.write_text(f"---\nid: {stem}\ntitle: T\nsection: \"F\"\nsource: \"Seed 000, test\"\n{front}---\n{body}\n",
                    encoding="utf-8")
    return path


def _text(sample: str) -> str:
    document = assemble(load_contract(ROOT / "samples" / f"{sample}.json"))
    return "\n".join(plain(b.content) for b in document.blocks if isinstance(b, (Heading, Paragraph)))


def test_docs_errata_is_current() -> None:
    """docs/errata.md is generated from the clause files (make errata)."""
    assert (ROOT / "docs" / "errata.md").read_text(encoding="utf-8") == markdown()


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_every_erratum_names_source_words_and_contract_words(family: str) -> None:
    clauses = load_library(family)
    for clause in clauses:
        for erratum in clause.errata:
            source = source_document(clause)
            assert source is not None, clause.id
            assert " ".join(erratum.original.split()) in " ".join(source.read_text(encoding="utf-8").split())
            assert erratum.corrected in as_in_source(clause, clauses).replace(erratum.original, erratum.corrected)
            assert erratum.original in as_in_source(clause, clauses), clause.id


def test_the_errors_the_issue_names_are_corrected_and_recorded() -> None:
    recorded = {(family, clause.id, e.original) for family in FAMILY_NAMES for clause in load_library(family)
                for e in clause.errata}
    for family, clause_id, original in [
        ("ses", "c01_district_obligations", "with the DISTRTICT is signed"),
        ("ses", "c01_district_obligations", "(including pervious year’s"),
        ("ses", "c02_pay_provider", "published be the Florida"),
        ("ses", "d02_insurance", "is entreating board premises"),
        ("ses", "f09_entire_agreement", "supersede any prior or understanding or agreement"),
        ("hdt", "l04_insurance", "is entreating board premises"),
        ("hdt", "l07_entire_agreement", "supersede any prior or understanding or agreement"),
        ("agr", "f01_data_confidentiality", "as set form herein"),
        ("hdt", "i02_district_responsibilities", "Section J (Continuous Learning)"),
        ("hdt", "f02_base_payment", "Section 3 (Rate Card)"),
        ("hdt", "f03_contingent_payment", "Section 3 - Rate Card"),
        ("hdt", "i03_provider_responsibilities", "Client Success Manager"),
    ]:
        assert (family, clause_id, original) in recorded
    for family in FAMILY_NAMES:
        for clause in load_library(family):
            for typo in ("DISTRTICT", "pervious", "published be", "entreating", "set form", "prior or understanding",
                         "Success Implementation Plan", "Client Success", "client success", "Continuous Learning"):
                assert typo not in clause.body, (clause.id, typo)


@pytest.mark.parametrize("sample", ["hdt_fast_math", "hdt_k3_reading"])
def test_hdt_cross_references_name_the_sections_they_point_to(sample: str) -> None:
    text = _text(sample)
    assert text.count("Section F.3 (Rate Card) table herein") == 2
    assert text.count("Section J (Continuous Improvement)") == 2
    assert "included in Section H (Data Reporting and Security)." in text
    assert "Section 3" not in text and "Continuous Learning" not in text


@pytest.mark.parametrize("sample", ["ses_campus", "ses_online"])
def test_ses_cross_references_name_the_sections_they_point_to(sample: str) -> None:
    text = _text(sample)
    assert "as described in Section K.I. or if" in text and "as described in Section K-II for each" in text
    assert "all insurance coverage Insurance Section of this contract." in text


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_no_cross_reference_to_a_section_is_typed_by_hand(family: str) -> None:
    """'Section J (…)', 'Section F.3', 'Section K.I': a section of this contract named in a clause's wording comes
    from ref() (statutes' and other documents' sections, 'Section 504', '20 U.S.C. Section 1232g', are not ours)."""
    typed = re.compile(r"\bSection (?:[A-Z]|\d{1,2})(?:[.-][A-Z0-9]+)*\b(?! of the Rehabilitation| of the PROVIDER)")
    for clause in load_library(family):
        wording = "\n".join(line for line in clause.body.splitlines() if not line.startswith("#"))  # not headings
        body = re.sub(r"\{\{.*?\}\}|\{#.*?#\}", "", wording)
        body = re.sub(r"U\.S\.C\. Section \d+", "", body)
        assert not typed.findall(body.replace("Section 504", "")), clause.id


def _bad(tmp_path: Path, front: str) -> None:
    with pytest.raises(TemplateError):
        parse_clause(_clause(tmp_path, "x01_test", front, "Some words."))


def test_an_erratum_needs_three_non_empty_strings(tmp_path: Path) -> None:
    _bad(tmp_path, 'errata:\n  - {original: "a", corrected: "b"}\n')
    _bad(tmp_path, 'errata:\n  - {original: "a", corrected: "b", why: "c", note: "d"}\n')
    _bad(tmp_path, 'errata:\n  - {original: "a", corrected: "", why: "c"}\n')
    _bad(tmp_path, 'errata:\n  - {original: "a", corrected: 3, why: "c"}\n')
    _bad(tmp_path, 'errata:\n  - {original: "a", corrected: "a", why: "c"}\n')
    _bad(tmp_path, 'errata: {original: "a", corrected: "b", why: "c"}\n')
    clause = parse_clause(_clause(tmp_path, "x01_test", 'errata:\n  - {original: "Sum words", corrected: "Some words",'
                                  ' why: "typo"}\n', "Some words."))
    assert clause.errata == (Erratum("Sum words", "Some words", "typo"),)


def test_corrected_words_must_be_in_the_clause_and_original_words_in_its_source(tmp_path: Path) -> None:
    seed = "The Parties understand and agree"
    ok = parse_clause(_clause(tmp_path, "x01_test", f'errata:\n  - {{original: "{seed}", corrected: "The Parties '
                              f'understand and agreed", why: "test"}}\n', "The Parties understand and agreed."))
    check_errata((ok,))
    label = parse_clause(_clause(tmp_path, "x02_test", f'errata:\n  - {{original: "{seed}", corrected: "iii.", '
                                 'why: "a label"}\n', "Words."))
    check_errata((label,))
    absent = parse_clause(_clause(tmp_path, "x03_test", f'errata:\n  - {{original: "{seed}", corrected: "agreed", '
                                  'why: "test"}\n', "The Parties understand."))
    with pytest.raises(TemplateError, match="not in the clause"):
        check_errata((absent,))
    invented = parse_clause(_clause(tmp_path, "x04_test", 'errata:\n  - {original: "words no source has", '
                                    'corrected: "Words", why: "test"}\n', "Words."))
    with pytest.raises(TemplateError, match="not in 000_"):
        check_errata((invented,))


def test_an_unrecorded_change_still_fails_the_fidelity_check() -> None:
    clauses = load_library("ses")
    c01 = next(c for c in clauses if c.id == "c01_district_obligations")
    assert "DISTRTICT" in as_in_source(c01, clauses) and "pervious" in as_in_source(c01, clauses)
    unrecorded = c01.__class__(**{**c01.__dict__, "errata": c01.errata[:1]})
    assert "previous year’s" in as_in_source(unrecorded, clauses)  # the source says "pervious": a fidelity failure
    assert as_corrected("after the contract with the DISTRTICT is signed", clauses) == \
        "after the contract with the DISTRICT is signed"


def test_a_reference_to_a_clause_the_family_lacks_is_refused_at_load(tmp_path: Path) -> None:
    target = parse_clause(_clause(tmp_path, "f04_test", "", "## 3. RATE CARD\nWords."))
    citing = parse_clause(_clause(tmp_path, "f02_test", "", 'See {{ ref("f04_test") }} herein.'))
    check_references((citing, target))
    with pytest.raises(TemplateError, match="names no clause"):
        check_references((citing,))
    unnumbered = parse_clause(_clause(tmp_path, "f04_test", "", "## RATE CARD\nWords."))
    with pytest.raises(TemplateError, match="no section number"):
        check_references((citing, unnumbered))
    computed = parse_clause(_clause(tmp_path, "f03_test", "", '{% set x = "f04_test" %}See {{ ref(x) }}.'))
    with pytest.raises(TemplateError, match="one quoted clause id"):
        check_references((computed, target))


def test_a_reference_to_a_clause_not_in_the_contract_is_refused_at_render(tmp_path: Path) -> None:
    """l01_governing_law is in an HDT contract only when its general provisions are switched on."""
    citing = parse_clause(_clause(tmp_path, "f02_test", "", 'As {{ ref("l01_governing_law") }} says.'))
    index = ClauseIndex((*load_library("hdt"), citing))
    data = sample_data("hdt_fast_math")
    context = {**clause_context(contract_from_data(data, "test")), "clause_index": index}
    text, slots = render_text(citing.template, context)
    assert plain(inline(text, slots)) == "As Section L (General Provisions) says."
    assert [slot.path for slot in slots] == [None]  # wording from the clause file, no input's value
    data["provisions"]["include"] = False
    context = {**clause_context(contract_from_data(data, "test")), "clause_index": index}
    with pytest.raises(TemplateError, match="not in this contract"):
        render_text(citing.template, context)


def test_reference_words_come_from_the_heading_and_section() -> None:
    index = ClauseIndex(load_library("hdt"))
    context = clause_context(load_contract(ROOT / "samples" / "hdt_fast_math.json"))
    rate_card = index.reference("f04_rate_card", context)
    assert (str(rate_card), rate_card.label, rate_card.number, rate_card.title) == \
        ("Section F.3 (Rate Card)", "3", "F.3", "Rate Card")
    assert str(index.reference("j01_continuous_improvement", context)) == "Section J (Continuous Improvement)"
    with pytest.raises(TemplateError, match="no clause"):
        index.reference("z99_nothing", context)
    ses = ClauseIndex(load_library("ses"))
    online = clause_context(load_contract(ROOT / "samples" / "ses_online.json"))
    assert str(ses.reference("d11_student_records", online)) == "Section 3.K (Student Records)"
    assert ses.reference("d15_monthly_invoices", online).label == "N"  # its letter depends on the contract
    assert str(ses.reference("d09_student_learning_plan", online)) == "Section 3.I (Student Learning Plan (SLP))"
