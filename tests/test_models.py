"""Input types: money is exact, percentages are percentages, dates read as US districts write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obc_builder.errors import InvalidInput
from obc_builder.loading import contract_from_data
from obc_builder.models.base import missing_inputs


@pytest.mark.parametrize(("typed", "stored"), [("$1,250.50", Decimal("1250.50")), (540, Decimal(540)),
                                               ("0.10", Decimal("0.10")), (12.1, Decimal("12.1"))])
def test_money_is_an_exact_decimal(typed: object, stored: Decimal) -> None:
    contract = contract_from_data({"family": "hdt", "rate_card": {"base_cap": typed}}, "x")
    assert contract.rate_card.base_cap == stored  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["12.345", "-1", "lots", "NaN"])
def test_money_refuses_what_is_not_an_amount(typed: str) -> None:
    with pytest.raises(InvalidInput, match="rate_card.base_cap"):
        contract_from_data({"family": "hdt", "rate_card": {"base_cap": typed}}, "x")


@pytest.mark.parametrize(("typed", "stored"), [("80%", Decimal(80)), (80, Decimal(80)), ("85.5", Decimal("85.5"))])
def test_percent_reads_with_or_without_the_sign(typed: object, stored: Decimal) -> None:
    contract = contract_from_data({"family": "hdt", "accountability": {"student_attendance_pct": typed}}, "x")
    assert contract.accountability.student_attendance_pct == stored  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="must be 100 or less"):
        contract_from_data({"family": "hdt", "accountability": {"student_attendance_pct": 120}}, "x")


@pytest.mark.parametrize("typed", ["2025-09-08", "9/8/2025", "09/08/2025", "2025-9-8"])
def test_dates_read_iso_or_month_day_year(typed: str) -> None:
    contract = contract_from_data({"family": "hdt", "dates": {"service_start": typed}}, "x")
    assert contract.dates.service_start == date(2025, 9, 8)  # type: ignore[attr-defined]


def test_an_empty_contract_loads_as_a_draft_and_lists_every_required_input() -> None:
    missing = missing_inputs(contract_from_data({"family": "hdt"}, "x"))
    paths = [m.path for m in missing]
    assert "parties.district_name" in paths and "outcomes" in paths and "rate_card.base_cap" in paths
    assert "rate_card.stated_contingent_share_pct" not in paths  # optional inputs are never demanded
