"""One row per HDT rule: an edit of the sample that triggers it, and the sample itself passing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from obc_builder.loading import contract_from_data
from obc_builder.policy import Policy
from obc_builder.rules.engine import evaluate_rules, rules_for

from .conftest import sample_data

Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for e in edits:
            e(data)
    return edit


CASES: list[tuple[str, Edit]] = [
    ("HDT-SOE-1.1", _set("population.selection_criteria", ["Teacher recommendation", "Parent consent"])),
    ("HDT-SOE-1.2", _set("population.baselines.0.outcome", "Something else")),
    ("HDT-SOE-1.3", _set("population.selection_criteria", ["At least 3 absences in the fall"])),
    ("HDT-SOE-1.4", _set("population.number_of_students", 1200)),
    ("HDT-OUT-001", _set("outcomes.0.timetable", [])),
    ("HDT-OUT-002", _set("process_outcomes.0.name", "F.A.S.T. MOY Growth")),
    ("HDT-OUT-003", _set("outcomes.2.name", "F.A.S.T. EOY growth")),
    ("HDT-POP-001", _set("population.grades_served", ["Grade 7"])),
    ("HDT-POP-002", _set("outcomes.0.subject", "science")),
    ("HDT-SVC-001", _set("accountability.minimum_service_requirements", "at least 400 sessions of 30 minutes")),
    ("HDT-PAY-007", _set("outcomes.0.tiers", [{"level": "Tier 1", "metric": "one level", "price": "100"}])),
    ("HDT-PAY-008", _set("rate_card.contingent_max_per_student", "5000")),
    ("HDT-PAY-009", _set("rate_card.reductions", [{"name": "Regression", "metric": "drops", "amount": "9999"}])),
    ("HDT-PAY-010", _both(_set("rate_card.base_basis", "per_student"), _set("rate_card.base_unit_price", "10"))),
    ("HDT-POL-001", _both(_set("rate_card.base_cap", "850000"), _set("outcomes.1.payment_cap", "100000"),
                          _set("rate_card.stated_contingent_share_pct", None))),
    ("HDT-POL-002", _set("accountability.student_attendance_pct", 70)),
    ("HDT-POL-003", _set("accountability.tutor_consistency_pct", "75%")),
    ("HDT-POL-004", _set("accountability.pl_attendance_pct", 85)),
    ("HDT-POL-005", _set("payments.payment_days", 45)),
    ("HDT-POL-006", _set("accountability.implementation_review_days", 20)),
    ("HDT-POL-007", _set("accountability.corrective_plan_business_days", 15)),
    ("HDT-POL-008", _set("accountability.tutor_consistency_plan_business_days", 12)),
    ("HDT-POL-009", _set("accountability.roster_window_weeks", 6)),
    ("HDT-POL-010", _set("accountability.success_manager_replacement_days", 20)),
    ("HDT-POL-011", _set("accountability.makeup_session_days", 45)),
    ("HDT-POL-012", _set("termination.early_termination_cure_days", 60)),
    ("HDT-POL-013", _both(_set("payments.funding_source", "federal"), _set("provisions.termination_notice_days", 10))),
    ("HDT-PAY-001", _set("rate_card.stated_contract_total", "1600000")),
    ("HDT-PAY-002", _set("outcomes.0.payment_cap", "700000")),
    ("HDT-PAY-003", _set("rate_card.base_cap", "900000")),
    ("HDT-PAY-004", _set("payments.maximum_budget", "1500000")),
    ("HDT-PAY-005", _set("rate_card.base_timetable.0.amount", "130")),
    ("HDT-PAY-006", _set("rate_card.stated_contingent_share_pct", 40)),
    ("HDT-DATE-001", _set("dates.service_start", "2024-06-01")),
    ("HDT-DATE-002", _set("outcomes.0.window_end", "2025-07-31")),
    ("HDT-DATE-003", _set("outcomes.0.timetable.3.date", "2025-02-01")),
    ("HDT-DATE-004", _set("program.weeks", 60)),
    ("HDT-DATE-005", _set("rate_card.base_timetable.0.month", "Aug")),
    ("HDT-DATE-006", _set("accountability.substitution_date", "2024-06-01")),
]


def _ids(data: dict[str, Any]) -> list[str]:
    return [f.rule for f in evaluate_rules(contract_from_data(data, "case.json"), Policy())]


def test_every_hdt_rule_has_a_case() -> None:
    assert sorted(rule_id for rule_id, _ in CASES) == [r.id for r in rules_for("hdt")]


@pytest.mark.parametrize(("rule_id", "edit"), CASES, ids=[c[0] for c in CASES])
def test_rule_triggers_on_its_case_and_passes_on_the_sample(rule_id: str, edit: Edit) -> None:
    data = sample_data("hdt_fast_math")
    assert rule_id not in _ids(data)
    edit(data)
    findings = [f for f in evaluate_rules(contract_from_data(data, "case.json"), Policy()) if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    finding = findings[0]
    assert finding.message.endswith(".") and finding.fix and finding.source
    assert finding.path


def test_rules_skip_what_a_draft_has_not_filled_in() -> None:
    assert evaluate_rules(contract_from_data({"family": "hdt"}, "empty.json"), Policy()) == []


def test_findings_list_errors_before_warnings() -> None:
    data = sample_data("hdt_fast_math")
    _set("accountability.student_attendance_pct", 70)(data)
    _set("payments.maximum_budget", "1")(data)
    severities = [f.severity.value for f in evaluate_rules(contract_from_data(data, "x.json"), Policy())]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_a_rule_that_raises_becomes_a_finding_not_a_crash() -> None:
    from obc_builder.rules.engine import Rule, Severity

    def broken(contract: Any, policy: Policy) -> list[Any]:
        raise ZeroDivisionError("boom")

    rule = Rule("T-1", "hdt", Severity.error, "test", "broken", broken)
    findings = list(rule.evaluate(contract_from_data({"family": "hdt"}, "x"), Policy()))
    assert len(findings) == 1 and "could not be evaluated" in findings[0].message
