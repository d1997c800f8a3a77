"""What real outcomes-based tutoring deals need from the HDT family: tiers, a per-student maximum, a base paid
per session, reductions, several subjects, outcomes for some grades, a term longer than the services, and
drafts and refusals that say why."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Table, plain
from obc_builder.errors import BlockedByFindings, IncompleteInput
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data
from obc_builder.models.hdt import HdtContract
from obc_builder.models.hdt_figures import grade_key
from obc_builder.policy import Policy
from obc_builder.rules.engine import Finding, evaluate_rules

from .conftest import sample_data

TIERS = [{"level": "Tier 1", "metric": "gains 0.5 to 0.9 grade levels", "price": "250"},
         {"level": "Tier 2", "metric": "gains 1.0 to 1.4 grade levels", "price": "500"},
         {"level": "Tier 3", "metric": "gains 1.5 grade levels or more", "price": "750"}]


def _contract(data: dict[str, Any]) -> HdtContract:
    contract = contract_from_data(data, "case.json")
    assert isinstance(contract, HdtContract)
    return contract


def _findings(data: dict[str, Any], rule: str) -> list[Finding]:
    return [f for f in evaluate_rules(_contract(data), Policy()) if f.rule == rule]


def _rate_card_rows(data: dict[str, Any]) -> list[str]:
    document = assemble(_contract(data))
    table = next(b for b in document.blocks if isinstance(b, Table) and plain(b.title or []) == "Rate Card")
    return [" | ".join(" / ".join(plain(line) for line in cell) for cell in row) for row in table.rows]


def _tiered(data: dict[str, Any]) -> dict[str, Any]:
    outcome = data["outcomes"][1]
    del outcome["price_per_outcome"]
    outcome["tiers"] = TIERS
    return data


def test_a_tiered_outcome_pays_its_highest_tier_not_the_sum() -> None:
    data = _tiered(sample_data("hdt_fast_math"))
    figures = _contract(data).figures()
    assert figures.outcome_price_total == Decimal(540 + 750 + 410)  # the top tier, not 250 + 500 + 750
    assert figures.per_student_total == Decimal(680 + 540 + 750 + 410)
    rows = _rate_card_rows(data)
    assert any(row.startswith("Payment Outcome 2: F.A.S.T. EOY Growth | ") and "Tier 1: $250 / Tier 2: $500 / "
               "Tier 3: $750" in row for row in rows), rows


def test_a_tiered_outcome_cap_is_checked_against_its_top_tier() -> None:
    data = _tiered(sample_data("hdt_fast_math"))
    data["outcomes"][1]["payment_cap"] = str(750 * 1250 + 1)
    [finding] = _findings(data, "HDT-PAY-002")
    assert "highest tier's price $750 × 1,250 students = $937,500" in finding.message


@pytest.mark.parametrize(("tiers", "words"), [
    (TIERS[:1], "a single tier"),
    ([TIERS[1], TIERS[0]], "do not rise in price"),
])
def test_tiers_must_form_a_ladder(tiers: list[dict[str, str]], words: str) -> None:
    data = _tiered(sample_data("hdt_fast_math"))
    data["outcomes"][1]["tiers"] = tiers
    assert any(words in f.message for f in _findings(data, "HDT-PAY-007"))


def test_a_price_and_tiers_together_are_refused() -> None:
    data = _tiered(sample_data("hdt_fast_math"))
    data["outcomes"][1]["price_per_outcome"] = "690"
    assert any("both a price per outcome and tiers" in f.message for f in _findings(data, "HDT-PAY-007"))


def test_a_per_student_contingent_maximum_limits_the_per_student_total_and_prints_in_the_rate_card() -> None:
    data = sample_data("hdt_fast_math")
    data["rate_card"]["contingent_max_per_student"] = "750"
    figures = _contract(data).figures()
    assert figures.contingent_per_student == Decimal(750)
    assert figures.per_student_total == Decimal(680 + 750)
    assert "Contingent Outcomes Payments Per Student (maximum) |  | $750 | " in _rate_card_rows(data)
    data["rate_card"]["contingent_max_per_student"] = "1641"  # more than 540 + 690 + 410
    assert _findings(data, "HDT-PAY-008")


def _per_session(data: dict[str, Any], unit: str = "14") -> dict[str, Any]:
    card = data["rate_card"]
    card["base_basis"] = "per_session"
    card["base_unit_price"] = unit
    for month in card["base_timetable"]:
        month["amount"] = str(Decimal(unit) * month["sessions"])
    card["base_price_per_student"] = str(sum(Decimal(m["amount"]) for m in card["base_timetable"]))
    card["base_cap"] = str(Decimal(card["base_price_per_student"]) * 1250)
    card.pop("stated_per_student_total", None)
    card.pop("stated_contract_total", None)
    card.pop("stated_contingent_share_pct", None)
    return data


def test_a_base_paid_per_session_prints_its_price_and_checks_each_month() -> None:
    data = _per_session(sample_data("hdt_fast_math"))
    assert not _findings(data, "HDT-PAY-005")
    assert any(row.startswith("Base Payment | Paid on services rendered: $14 per session | ")
               for row in _rate_card_rows(data))
    data["rate_card"]["base_timetable"][0]["amount"] = "130"
    [finding] = _findings(data, "HDT-PAY-005")
    assert "Sep ($130 for 9 sessions)" in finding.message


def test_a_per_session_base_that_the_sessions_cannot_reach_is_an_error() -> None:
    data = _per_session(sample_data("hdt_fast_math"))
    data["rate_card"]["base_price_per_student"] = "1000"
    assert any("can never be reached" in f.message for f in _findings(data, "HDT-PAY-005"))


def test_a_payment_reduction_is_a_labelled_line_of_the_rate_card() -> None:
    data = sample_data("hdt_fast_math")
    data["rate_card"]["reductions"] = [{"name": "Regression", "metric": "spring score below fall score",
                                        "amount": "100"}]
    assert "Payment Reduction 1: Regression | spring score below fall score | −$100 | " in _rate_card_rows(data)
    assert _contract(data).figures().reduction_per_student == Decimal(100)
    assert not _findings(data, "HDT-PAY-009")


def _two_subjects(data: dict[str, Any]) -> dict[str, Any]:
    data["population"]["subjects"] = ["mathematics", "reading"]
    for outcome in data["outcomes"]:
        outcome["subject"] = "mathematics"
    return data


def test_every_subject_needs_its_outcomes_and_every_outcome_its_subject() -> None:
    data = _two_subjects(sample_data("hdt_fast_math"))
    [finding] = _findings(data, "HDT-POP-002")
    assert finding.message == "no payment outcome measures reading, a subject of the contract."
    data["outcomes"][2]["subject"] = "reading"
    assert not _findings(data, "HDT-POP-002")
    del data["outcomes"][0]["subject"]
    [finding] = _findings(data, "HDT-POP-002")
    assert "payment outcome 1 names no subject" in finding.message


def test_the_contract_names_its_subjects_and_each_outcome_its_subject() -> None:
    data = _two_subjects(sample_data("hdt_fast_math"))
    data["outcomes"][2]["subject"] = "reading"
    document = assemble(_contract(data))
    text = "\n".join(plain(b.content) for b in document.blocks if hasattr(b, "content"))
    assert "improve student outcomes in mathematics and reading." in text
    assert any(row.startswith("Payment Outcome 3: F.A.S.T. EOY Proficiency (reading) | ")
               for row in _rate_card_rows(data))


def test_an_outcome_for_some_grades_needs_baselines_for_those_grades_only() -> None:
    data = sample_data("hdt_k3_reading")
    outcome = data["outcomes"][0]
    outcome["grades"] = ["Kindergarten", "Grade 1"]
    for baseline in data["population"]["baselines"]:
        if baseline["outcome"] == outcome["name"]:
            baseline["values"] = [v for v in baseline["values"] if v["grade"] in ("Kindergarten", "Grade 1")]
    assert not _findings(data, "HDT-SOE-1.2")
    outcome["grades"] = ["K", "1st grade", "Grade 2"]
    [finding] = _findings(data, "HDT-SOE-1.2")
    assert finding.message.endswith("has no baseline for Grade 2, a grade it covers.")


def test_grades_are_matched_however_they_are_spelled() -> None:
    assert grade_key("Kindergarten") == grade_key("K") == "K"
    assert grade_key("Grade 7") == grade_key("7th grade") == grade_key("7") == "7"
    assert grade_key("Grade 7") != grade_key("Grade 8")


def test_a_baseline_for_a_grade_not_served_is_a_contradiction() -> None:
    data = sample_data("hdt_fast_math")
    data["population"]["baselines"][0]["values"][0]["grade"] = "Grade 6"
    [finding] = _findings(data, "HDT-POP-001")
    assert "Grade 6" in finding.message and finding.path == "population.grades_served"


def test_payments_after_services_end_are_fine_within_the_contract_term() -> None:
    data = sample_data("hdt_k3_reading")
    data["dates"]["service_end"] = "2026-05-29"
    data["program"]["months"] = "September – May"
    outcome = data["outcomes"][-1]
    outcome["timetable"][-1]["date"] = "2026-06-26"
    assert not _findings(data, "HDT-DATE-003")
    data["dates"]["contract_end"] = "2026-06-15"
    findings = _findings(data, "HDT-DATE-003")
    assert len(findings) == 1 and "outside the contract term" in findings[0].message


def test_milestones_outside_the_term_are_one_finding_per_outcome_naming_them_all() -> None:
    data = sample_data("hdt_fast_math")
    data["dates"]["contract_end"] = data["dates"]["service_end"] = "2025-03-31"
    findings = _findings(data, "HDT-DATE-003")
    outside = [f for f in findings if "outside the contract term" in f.message]
    assert len(outside) == len({f.path.split(".timetable")[0] for f in outside})
    assert any("milestones outside the contract term" in f.message for f in outside)


def test_the_contract_term_cannot_end_before_services() -> None:
    data = sample_data("hdt_fast_math")
    data["dates"]["contract_end"] = "2025-05-01"
    assert any(f.path == "dates.contract_end" for f in _findings(data, "HDT-DATE-001"))


def test_program_months_outside_the_service_period_are_named() -> None:
    data = sample_data("hdt_fast_math")
    data["program"]["months"] = "August – March"
    [finding] = _findings(data, "HDT-DATE-004")
    assert "name August" in finding.message


def test_a_minimum_service_the_dosage_cannot_deliver_is_an_error() -> None:
    data = sample_data("hdt_fast_math")
    data["rate_card"]["base_timetable"][0]["sessions"] = 60
    data["accountability"]["minimum_service_requirements"] = "at least 90 sessions of 30 minutes"
    [finding] = _findings(data, "HDT-SVC-001")
    assert "3 sessions a week for 28 weeks" in finding.message


def test_a_draft_made_because_of_rule_errors_says_so_and_prints_them() -> None:
    data = sample_data("hdt_fast_math")
    data["payments"]["maximum_budget"] = "1000"
    files, _ = render_outputs(_contract(data), source="case.json", name="case", formats=("md",), draft=True)
    markdown = files["case.md"].decode()
    assert "> **DRAFT: the rules found 1 error: (1) the contract total of $1,700,000 exceeds the maximum budget " \
           "of $1,000. Not for signature.**" in markdown
    assert "not yet filled in" not in markdown


def test_a_refused_final_contract_lists_unfilled_inputs_and_rule_errors_together() -> None:
    data = sample_data("hdt_fast_math")
    data["payments"]["maximum_budget"] = "1000"
    del data["parties"]["provider_name"]
    with pytest.raises(IncompleteInput) as refusal:
        render_outputs(_contract(data), source="case.json", name="case", formats=("md",))
    assert refusal.value.missing == ["parties.provider_name: Provider is not filled in"]
    assert len(refusal.value.errors) == 1 and "[HDT-PAY-004" in refusal.value.errors[0]
    del data["parties"]
    data["parties"] = sample_data("hdt_fast_math")["parties"]
    with pytest.raises(BlockedByFindings):
        render_outputs(_contract(data), source="case.json", name="case", formats=("md",))


def test_the_review_lists_what_to_confirm_by_hand_and_the_tier_line_only_for_tiers() -> None:
    plain_files, _ = render_outputs(_contract(sample_data("hdt_fast_math")), source="a", name="a", formats=())
    review = plain_files["a.review.md"].decode()
    assert "## Confirm by hand" in review and "- [ ] " in review and "HDT-HAND-1.1" in review
    assert "HDT-HAND-TIER" not in review
    tiered_files, _ = render_outputs(_contract(_tiered(sample_data("hdt_fast_math"))), source="a", name="a",
                                     formats=(), draft=True)
    assert "HDT-HAND-TIER" in tiered_files["a.review.md"].decode()


def test_rules_lists_the_checks_by_hand_after_the_rules() -> None:
    from typer.testing import CliRunner

    from obc_builder.cli import app

    lines = CliRunner().invoke(app, ["rules", "--family", "hdt"]).output.splitlines()
    kinds = [line.split()[1] + (" " + line.split()[2] if line.split()[1] == "by" else "") for line in lines]
    assert "by hand" in kinds and kinds.index("by hand") > max(i for i, k in enumerate(kinds) if k == "error")
    assert not any("indicator 2." in line for line in lines)  # no indicator numbers the published text lacks


def test_one_cause_is_one_finding_that_names_every_field_it_concerns() -> None:
    data = sample_data("hdt_fast_math")
    data["population"]["number_of_students"] = 1200
    data["rate_card"]["base_cap"] = "900000"
    findings = evaluate_rules(_contract(data), Policy())
    [size] = [f for f in findings if f.rule == "HDT-SOE-1.4"]
    assert size.paths == ("population.number_of_students", "population.schools")
    [cap] = [f for f in findings if f.rule == "HDT-PAY-003"]
    assert cap.paths == ("rate_card.base_cap", "rate_card.base_price_per_student", "population.number_of_students")
    assert cap.as_dict()["also"] == ["rate_card.base_price_per_student", "population.number_of_students"]
    assert cap.line().startswith("rate_card.base_cap (also rate_card.base_price_per_student, "
                                 "population.number_of_students): ")


def test_the_banner_drops_the_characters_values_travel_as() -> None:
    from obc_builder import document, templating

    assert set(document._NOT_TEXT) == {ord(templating.TOKEN_OPEN), ord(templating.TOKEN_CLOSE)}


def test_validate_and_preflight_report_an_input_only_a_clause_needs(tmp_path: Any) -> None:
    from obc_builder.batch import Options, process
    from obc_builder.validation import validate_file

    data = sample_data("hdt_per_session")  # federal funds: the rider prints the termination notice days
    del data["provisions"]["termination_notice_days"]
    path = tmp_path / "federal.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = validate_file(path)
    assert [m.path for m in report.missing] == ["provisions.termination_notice_days"]
    item = process(str(path), "federal", Options(out=tmp_path / "out"), write=False)
    assert item.status == "failed" and "provisions.termination_notice_days" in (item.reason or "")


def test_provisions_without_public_wording_are_a_checklist_line_where_they_apply() -> None:
    from obc_builder.rules.engine import checklist_for

    def ids(name: str) -> set[str]:
        return {check.id for check in checklist_for("hdt", _contract(sample_data(name)))}

    assert "HDT-HAND-FED" in ids("hdt_per_session") and "HDT-HAND-FED" not in ids("hdt_fast_math")
    assert "HDT-HAND-PR" in ids("hdt_fast_math") and "HDT-HAND-PR" not in ids("hdt_in_person")
