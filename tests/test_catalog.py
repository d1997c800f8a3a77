"""Traceable clauses: every clause names its source and well-formed citations; ``clauses list`` and ``clauses show``."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.families import FAMILY_NAMES
from obc_builder.library import Clause, load_library
from obc_builder.locations import SOURCE_DOCUMENTS

from .conftest import ROOT

runner = CliRunner()
CLAUSES = [clause for family in FAMILY_NAMES for clause in load_library(family)]

CITATION = re.compile(
    r"^(?:"
    r"s\. \d+\.\d+(?:\([0-9a-z]+\))*(?:\d+\.)?, (?:F\.S\.|Wis\. Stats\.)"  # s. 1008.331(2)(d), F.S.; s. 118.44(4)(a)1.
    r"|(?:FERPA, )?\d+ U\.S\.C\. (?:§ )?\d+[a-z]?(?:\([0-9A-Za-z]+\))*(?: \([^()]+\))?"  # 20 U.S.C. 1232g(b)(1)(F)
    r"|\d+ CFR (?:Part \d+(?:, Appendix [IVX]+(?: \([A-Z]\))?)?|\d+\.\d+(?:\([0-9a-z]+\))*)"  # 2 CFR 200.322
    r"|Wis\. Admin\. Code PI \d+\.\d+(?:\(\w+\))*"  # Wis. Admin. Code PI 24.03(1)
    r")$")


@pytest.mark.parametrize("clause", CLAUSES, ids=[f"{c.family}/{c.id}" for c in CLAUSES])
def test_every_clause_names_its_source_document_and_section(clause: Clause) -> None:
    seed = re.match(r"^Seed (\d{3}[a-z]?)\b(?: \([^()]*\))?,? (.+)$", clause.source)
    files = re.findall(r"sources/(\S+?\.txt)", clause.source)
    assert seed or files, f"{clause.path}: source names no source document"
    if seed:
        assert seed.group(1) in SOURCE_DOCUMENTS, f"{clause.path}: unknown seed {seed.group(1)}"
        assert re.search(r"[A-Za-z]", seed.group(2)), f"{clause.path}: source names no section"
    for name in files:
        assert (ROOT / "sources" / name).is_file(), f"{clause.path}: sources/{name} does not exist"


@pytest.mark.parametrize("clause", [c for c in CLAUSES if c.citations],
                         ids=[f"{c.family}/{c.id}" for c in CLAUSES if c.citations])
def test_citations_are_well_formed(clause: Clause) -> None:
    for citation in clause.citations:
        assert CITATION.match(citation), f"{clause.path}: citation {citation!r} is not in a recognised form"


@pytest.mark.parametrize("citation", ["s. 1008.331(1), F.S.", "s. 118.44(4)(b), Wis. Stats.",
                                      "FERPA, 20 U.S.C. § 1232g", "20 U.S.C. 1232g (FERPA)", "2 CFR 200.322",
                                      "s. 118.44(4)(a)1., Wis. Stats.", "Wis. Admin. Code PI 24.03(1)"])
def test_the_citation_forms_accepted(citation: str) -> None:
    assert CITATION.match(citation)


@pytest.mark.parametrize("citation", ["1008.331 F.S.", "s. 1008.331(1)", "FERPA", "20 USC 1232g", "see the law"])
def test_malformed_citations_are_refused(citation: str) -> None:
    assert not CITATION.match(citation)


def test_the_statutes_the_family_sources_rely_on_are_cited() -> None:
    cited = {c for clause in CLAUSES for c in clause.citations}
    assert "s. 1008.331(1), F.S." in cited  # SES incentives
    assert "s. 118.44(4)(b)1., Wis. Stats." in cited or "s. 118.44(4)(b), Wis. Stats." in cited  # AGR reports
    assert any("1232g" in c for c in cited)  # FERPA


def test_clauses_list_prints_every_clause_with_its_source_in_80_columns() -> None:
    done = runner.invoke(app, ["clauses", "list", "--family", "ses"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for clause in load_library("ses"):
        assert any(line.startswith(f"{clause.id}  ") for line in lines)
    assert "Seed" not in done.stdout  # documents by name, not the project's seed numbers
    assert "Florida DOE SES contract guidance, Appendix I, Section 4 (RIGHT TO WITHHOLD)" in " ".join(
        " ".join(lines).split())
    assert "law:      s. 1008.331(1), F.S." in done.stdout


def test_clauses_list_without_a_family_lists_every_family() -> None:
    done = runner.invoke(app, ["clauses", "list"])
    assert done.exit_code == 0
    assert [line.split(":")[0] for line in done.stdout.splitlines() if line.endswith(" clauses")] == \
        list(FAMILY_NAMES)


def test_clauses_show_prints_source_law_condition_in_plain_words_and_the_wording() -> None:
    done = runner.invoke(app, ["clauses", "show", "m03_termination"])
    assert done.exit_code == 0, done.output
    text = " ".join(done.stdout.split())
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    assert "law: 2 CFR Part 200, Appendix II (B)" in text
    assert "Section F · Payments › Funding source; Section F · Payments › Maximum budget" in text
    assert "## TERMINATION" in done.stdout


def test_clauses_show_lists_the_corrections_a_clause_makes() -> None:
    done = runner.invoke(app, ["clauses", "show", "hdt/i02_district_responsibilities"])
    text = " ".join(done.stdout.split())
    assert "corrects: “as outlined in the Success Implementation Plan” → “as outlined in the Implementation" in text


def test_clauses_show_an_unknown_id_is_a_usage_error() -> None:
    done = runner.invoke(app, ["clauses", "show", "z99_nothing"])
    assert done.exit_code == 2
    assert done.stderr.strip() == "z99_nothing: no clause has this id; `obc-builder clauses list` lists them"


def test_clauses_show_marks_a_district_clause() -> None:
    done = runner.invoke(app, ["clauses", "show", "k03_term", "--clauses", str(ROOT / "samples" / "district_clauses")])
    assert done.exit_code == 0, done.output
    assert "the District's own clause" in done.stdout
    assert "Volusia" in done.stdout
