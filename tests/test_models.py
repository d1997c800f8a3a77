"""Input types: money is exact, percentages are percentages, dates read as US districts write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obc_builder.errors import InvalidInput
from obc_builder.loading import contract_from_data
from obc_builder.models.base import missing_inputs


@pytest.mark.parametrize(("typed", "stored"), [("$1,250.50", Decimal("1250.50")), (540, Decimal(540)),
                                               ("0.10", Decimal("0.10")), (12.1, Decimal("12.1")),
                                               ("1,250", Decimal(1250)), (" $ 1,250 ", Decimal(1250)),
                                               ("1250.5", Decimal("1250.5"))])
def test_money_is_an_exact_decimal(typed: object, stored: Decimal) -> None:
    contract = contract_from_data({"family": "hdt", "rate_card": {"base_cap": typed}}, "x")
    assert contract.rate_card.base_cap == stored  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["12.345", "-1", "lots", "NaN", "$1,2,3", "12,50", "1,25,000", "$$5"])
def test_money_refuses_what_is_not_an_amount(typed: str) -> None:
    with pytest.raises(InvalidInput, match="rate_card.base_cap"):
        contract_from_data({"family": "hdt", "rate_card": {"base_cap": typed}}, "x")


@pytest.mark.parametrize(("typed", "stored"), [("80%", Decimal(80)), (80, Decimal(80)), ("85.5", Decimal("85.5"))])
def test_percent_reads_with_or_without_the_sign(typed: object, stored: Decimal) -> None:
    contract = contract_from_data({"family": "hdt", "accountability": {"student_attendance_pct": typed}}, "x")
    assert contract.accountability.student_attendance_pct == stored  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="must be 100 or less"):
        contract_from_data({"family": "hdt", "accountability": {"student_attendance_pct": 120}}, "x")


@pytest.mark.parametrize("typed", ["2025-09-08", "9/8/2025", "09/08/2025", "2025-9-8", "September 8, 2025",
                                   "Sept. 8, 2025", "Sep 8 2025"])
def test_dates_read_iso_or_month_day_year(typed: str) -> None:
    contract = contract_from_data({"family": "hdt", "dates": {"service_start": typed}}, "x")
    assert contract.dates.service_start == date(2025, 9, 8)  # type: ignore[attr-defined]


def test_an_empty_contract_loads_as_a_draft_and_lists_every_required_input() -> None:
    missing = missing_inputs(contract_from_data({"family": "hdt"}, "x"))
    paths = [m.path for m in missing]
    assert "parties.district_name" in paths and "outcomes" in paths and "rate_card.base_cap" in paths
    assert "rate_card.stated_contingent_share_pct" not in paths  # optional inputs are never demanded


@pytest.mark.parametrize(("group", "field", "typed", "problem"), [
    ("rate_card", "base_cap", "10000000000.01", "must be 10,000,000,000 or less"),
    ("rate_card", "base_cap", True, "must be a number, not true"),
    ("accountability", "student_attendance_pct", "80.125", "has more than two decimal places"),
    ("population", "number_of_students", 10_000_001, "must be 10,000,000 or less"),
    ("population", "number_of_students", False, "must be a number, not false"),
    ("dates", "service_start", "1989-12-31", "is 1989-12-31, outside the years a contract can cover"),
    ("dates", "service_start", "2101-01-01", "is 2101-01-01, outside the years a contract can cover"),
    ("dates", "service_start", "2025-02-30", "'2025-02-30' is not a date: February 2025 has no 30th day"),
    ("rate_card", "base_cap", "$1,2,3", "'$1,2,3' is not an amount of money: commas go between groups of three "
     "digits (write it like 1250 or $1,250.50)"),
    ("parties", "district_name", "", "cannot be empty"),
], ids=["money-limit", "money-bool", "percent-places", "count-limit", "count-bool", "date-early", "date-late",
        "no-such-day", "misplaced-commas", "empty-text"])
def test_limits_live_in_the_types(group: str, field: str, typed: object, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        contract_from_data({"family": "hdt", group: {field: typed}}, "x")
    assert str(caught.value).startswith(f"x: {group}.{field}: {problem}")


@pytest.mark.parametrize(("typed", "stored"), [("10000000000", Decimal("10000000000")), ("$0.01", Decimal("0.01"))])
def test_money_at_the_limits_is_accepted(typed: str, stored: Decimal) -> None:
    contract = contract_from_data({"family": "hdt", "rate_card": {"base_cap": typed}}, "x")
    assert contract.rate_card.base_cap == stored  # type: ignore[attr-defined]


def test_dates_at_the_limits_and_a_ten_year_term_are_accepted() -> None:
    dates = {"effective_date": "1990-01-01", "service_start": "1990-01-01", "service_end": "2000-01-01"}
    contract = contract_from_data({"family": "hdt", "dates": dates}, "x")
    assert contract.dates.service_end == date(2000, 1, 1)  # type: ignore[attr-defined]
    contract_from_data({"family": "hdt", "dates": {"service_end": "2100-12-31"}}, "x")


def test_a_model_never_imports_a_rule_a_renderer_or_the_cli() -> None:
    import ast

    from .conftest import ROOT

    upward = ("rules", "render", "assemble", "generate", "cli", "wizard", "batch")
    for module in sorted((ROOT / "obc_builder" / "models").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [(node.module or "").removeprefix("obc_builder.")]
            elif isinstance(node, ast.Import):
                names = [alias.name.removeprefix("obc_builder.") for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in upward, f"{module.name} imports {name}: models come first"
