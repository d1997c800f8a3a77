"""The deviation memo that opens a review file, clauses and why they are in it, places, and ``--review-docx``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from obc_builder.assemble import assemble
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data
from obc_builder.places import block_places, place_of_clause, place_of_field
from obc_builder.selection import condition_fields, value_words

from .conftest import docx_dump, sample_data
from .validators import ooxml_errors


def review_of(name: str, **changes: object) -> str:
    data = {**sample_data(name), **changes}
    contract = contract_from_data(data, f"{name}.json")
    files, _ = render_outputs(contract, source=name, name=name, formats=("md",))
    return files[f"{name}.review.md"].decode()


def memo_of(review: str) -> str:
    return review.split("## Findings")[0]


def test_the_review_opens_with_the_memo_then_findings_checklist_and_financial_summary() -> None:
    review = review_of("hdt_fast_math")
    order = ["## What differs from the standard", "### Inputs that depart from a recommendation",
             "### The District's own clauses", "### Optional clauses switched on or off",
             "### Corrections to the source's wording", "## Findings", "## Confirm by hand",
             "## Financial summary", "## Clauses in this contract"]
    positions = [review.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_a_departure_from_a_recommendation_carries_the_districts_reason() -> None:
    plain = memo_of(review_of("hdt_k3_reading"))
    assert "the recommendation is at least 40%. The inputs give no reason." in plain
    reason = "Our board caps contingent pay at a share it can defend."
    given = memo_of(review_of("hdt_k3_reading", departures={"computed.contingent_share_pct": reason}))
    assert f"the recommendation is at least 40%. District's reason: {reason}" in given
    assert "Section C · Contingent share of total contract value" in given


def test_a_contract_meeting_every_recommendation_says_so() -> None:
    assert "None: every input the rules compare with a recommendation meets it." in memo_of(review_of("hdt_fast_math"))


def test_optional_clauses_name_the_input_that_switched_them_in_plain_words() -> None:
    memo = memo_of(review_of("hdt_fast_math"))
    assert "“Governing law”: included: Section L · General provisions › Add the general provisions: yes" in memo
    assert "“Domestic preferences for procurements (federal funds)”, “Affirmative procurement of EPA-designated " \
           "items (federal funds)”: left out: Section F · Payments › Funding source is" in memo  # one reason, one line
    assert "provisions.include" not in memo and "payments.funding_source" not in memo


def test_switching_an_input_switches_the_clause_and_the_memo_says_which() -> None:
    data = sample_data("hdt_fast_math")
    data["provisions"] = {**data["provisions"], "include": False}
    memo = memo_of(review_of("hdt_fast_math", provisions=data["provisions"]))
    assert ("“Governing law”, “Independent contractor status”, “Indemnification”, “Insurance”, “Notices”, "
            "“Severability clause”, “Entire contract/agreement”: left out: Section L · General provisions › "
            "Add the general provisions: no") in memo


def test_corrections_to_the_source_are_listed_where_the_contract_prints_them() -> None:
    memo = memo_of(review_of("hdt_fast_math"))
    assert ("**Section I.1.c.i** · “District responsibilities”: the source's “as outlined in the Success "
            "Implementation Plan” reads “as outlined in the Implementation Success Plan”") in memo


def test_every_family_lists_its_corrections() -> None:
    assert "the source's “as set form herein” reads “as set forth herein” (typo: “form” for “forth”)" in memo_of(
        review_of("agr_single_school"))


def test_the_clause_list_gives_source_law_and_why_for_each_clause_in_the_contract() -> None:
    review = review_of("ses_online")
    table = review.split("## Clauses in this contract")[1]
    assert "| Section 3.P | Incentives | Florida DOE SES contract guidance, Appendix I, Section 3.P" in table or \
        "| Incentives |" in table
    row = next(line for line in table.splitlines() if "| Incentives |" in line)
    assert "s. 1008.331(1), F.S." in row
    assert "Seed" not in table


@pytest.mark.parametrize(("expression", "fields"), [
    ("provisions.include", ("provisions.include",)),
    ('payments.funding_source == "federal" and (not payments.maximum_budget or payments.maximum_budget > 10000)',
     ("payments.funding_source", "payments.maximum_budget")),
    ("not computed.remote_only", ("computed.remote_only",)),
], ids=["one", "two and repeated", "computed"])
def test_condition_fields_reads_each_input_once(expression: str, fields: tuple[str, ...]) -> None:
    assert condition_fields(expression) == fields


def test_value_words() -> None:
    from decimal import Decimal

    from obc_builder.models.types import Money
    from obc_builder.templating import Missing, Val

    assert value_words(Val(True, "x")) == "yes"
    assert value_words(Val(Decimal("160000"), "x"), Money) == "$160,000"
    assert value_words(Missing("x", "X")) == "not filled in"
    assert value_words(Val("state_or_local", "x")) == "state or local"


def test_places_follow_the_contracts_own_numbering() -> None:
    document = assemble(contract_from_data(sample_data("hdt_fast_math"), "x"))
    places = block_places(document)
    assert place_of_field(document, "accountability.pl_attendance_pct", places) == "Section I.1.c.i"
    assert place_of_clause(document, "f04_rate_card", places) == "Section F.3"
    assert place_of_clause(document, "d01_length", places) == "Section D"  # it opens Section D with its heading
    assert place_of_clause(document, "h02_school_official", places) == "Section H.2"
    ses = assemble(contract_from_data(sample_data("ses_online"), "x"))
    assert place_of_clause(ses, "d05_equal_opportunity") == "Section 3.E"
    agr = assemble(contract_from_data(sample_data("agr_single_school"), "x"))
    assert place_of_clause(agr, "d08_reporting") == "Contract Terms › Reporting"


def test_review_docx_is_valid_word_in_the_contracts_styles(tmp_path: Path) -> None:
    contract = contract_from_data(sample_data("hdt_k3_reading"), "hdt_k3_reading.json")
    files, _ = render_outputs(contract, source="x", name="x", formats=("md",), review_docx=True)
    data = files["x.review.docx"]
    path = tmp_path / "x.review.docx"
    path.write_bytes(data)
    assert ooxml_errors([path]) == {path: []}
    dump = docx_dump(data)
    assert "Heading 1: What differs from the standard" in dump
    assert "Heading 2: Inputs that depart from a recommendation" in dump
    assert "Heading 1: Financial summary (computed from the inputs)" in dump
    assert "Students served | 200" in dump or "Students served |" in dump
    assert "☐ The population statement" in dump  # the checklist's boxes
    assert "# " not in dump and "**" not in dump  # Markdown read, not copied
    import zipfile

    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "<dc:title>Review: High-Dosage Tutoring Outcomes Based Contract</dc:title>" in core
    # the payment forecast's chart is a picture where the review links it, not its link's text
    word = zipfile.ZipFile(io.BytesIO(data))
    assert word.read("word/media/forecast.png") == files["x.forecast.png"]
    body = word.read("word/document.xml").decode()
    assert body.index("Payment forecast (before signing)") < body.index('r:embed="rIdForecastChart"')
    assert "obc-builder: the payment forecast chart" not in body
    assert render_outputs(contract, source="x", name="x", formats=("md",), review_docx=True)[0] == files


def test_review_docx_is_written_by_generate(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from obc_builder.cli import app

    from .conftest import ROOT

    done = CliRunner().invoke(app, ["generate", str(ROOT / "samples" / "ses_online.json"), "--out", str(tmp_path),
                                    "--review-docx", "--format", "md"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "ses_online.review.docx").stat().st_size > 0
