"""The payment forecast: what the District pays at realistic shares of students achieving, where the caps bind,
in the review file of every HDT contract (with its chart) and from ``obc-builder forecast``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.forecast import binds_from, forecast, level, review_lines
from obc_builder.forecast_chart import forecast_chart
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data, load_contract

from .conftest import ROOT, sample_data

runner = CliRunner()


def test_forty_percent_achieving_fast_math_pays_by_hand() -> None:
    # 1,250 students, base 680 each = 850,000 (the base cap). At 40 %: 500 achievers per outcome:
    # MOY 500 × 540 = 270,000, over its 204,000 cap; EOY growth 500 × 690 = 345,000; proficiency 500 × 410 = 205,000.
    contract = load_contract(ROOT / "samples" / "hdt_fast_math.json")
    forty = level(contract, Decimal("0.4"))
    assert forty.base == Decimal(850_000)
    assert forty.contingent == Decimal(204_000 + 345_000 + 205_000)
    assert forty.binding == ("cap of F.A.S.T. MOY Growth",)
    assert forty.share == Decimal("47.0")


def test_the_review_file_shows_the_share_actually_contingent_and_where_caps_bind() -> None:
    contract = load_contract(ROOT / "samples" / "hdt_per_session.json")
    text = "\n".join(review_lines(contract, "x.forecast.png"))
    # Per session at the 80 % attendance threshold: 48 of 60 sessions × $10 = $480 a student, not $600.
    assert "| 20% | $480,000 | $80,000 | $560,000 | 14.3% | none |" in text
    assert "contingent share at full achievement is 40%" in text
    assert "![What the District pays, by share of students achieving each outcome](x.forecast.png)" in text


def test_a_cap_binds_from_the_first_whole_percentage_that_pays_more_than_it() -> None:
    contract = load_contract(ROOT / "samples" / "hdt_k3_reading.json")
    found = dict(binds_from(contract))
    # Winter growth: 160 × 300 × r > 24,000 from r = 51 % (82 students × 300 = 24,600); at 50 %: 80 × 300 = 24,000.
    assert found["cap of Winter benchmark growth"] == Decimal(51)
    assert found["base cap"] is None


def test_an_outcome_for_some_grades_counts_only_their_students() -> None:
    contract = load_contract(ROOT / "samples" / "hdt_in_person.json")
    # Phonemic awareness: Kindergarten and Grade 1 of four grades, so 250 of 500 students; at 20 %: 50 × 500.
    # Vocabulary: all 500: 100 × 500; fluency: Grades 1–3, 375 students: 75 × 500.
    assert level(contract, Decimal("0.2")).contingent == Decimal((50 + 100 + 75) * 500)


def test_the_per_student_maximum_and_the_budget_bind_when_they_are_lower() -> None:
    data = sample_data("hdt_fast_math")
    data["rate_card"]["contingent_max_per_student"] = "820"
    data["payments"]["maximum_budget"] = "1000000"
    contract = contract_from_data(data, "c")
    ten = level(contract, Decimal("0.1"))  # 125 achievers × 820 (not 1,640) = 102,500 + base 850,000
    assert ten.contingent == Decimal(102_500) and "per-student maximum" in ten.binding
    thirty = level(contract, Decimal("0.3"))
    assert thirty.total == Decimal(1_000_000) and "maximum budget" in thirty.binding


def test_an_unfinished_rate_card_is_not_forecast() -> None:
    data = sample_data("hdt_fast_math")
    del data["outcomes"][0]["payment_cap"]
    contract = contract_from_data(data, "c")
    assert forecast(contract) is None and forecast_chart(contract) is None
    assert "Not computable yet" in "\n".join(review_lines(contract))


def test_generate_writes_the_chart_beside_the_review_file_and_links_it() -> None:
    files, _ = render_outputs(load_contract(ROOT / "samples" / "hdt_fast_math.json"), source="s", name="c")
    chart = files["c.forecast.png"]
    assert chart.startswith(b"\x89PNG\r\n\x1a\n")
    assert "](c.forecast.png)" in files["c.review.md"].decode("utf-8")
    again, _ = render_outputs(load_contract(ROOT / "samples" / "hdt_fast_math.json"), source="s", name="c")
    assert again["c.forecast.png"] == chart  # identical inputs, identical bytes: a rerun leaves the file unchanged


@pytest.mark.parametrize("sample", ["ses_online", "agr_single_school"])
def test_other_families_have_no_forecast(sample: str) -> None:
    files, _ = render_outputs(load_contract(ROOT / "samples" / f"{sample}.json"), source="s", name="c")
    assert "c.forecast.png" not in files and "Payment forecast" not in files["c.review.md"].decode("utf-8")


def test_the_forecast_command_prints_other_rates(tmp_path: Path) -> None:
    result = runner.invoke(app, ["forecast", str(ROOT / "samples" / "hdt_fast_math.json"), "--rates", "0.3,50%"])
    assert result.exit_code == 0, result.output
    assert "| 30% | $850,000 | $615,000 | $1,465,000 | 42% | none |" in result.output
    assert "The cap of F.A.S.T. MOY Growth binds from 31% of students achieving." in result.output


@pytest.mark.parametrize(("rates", "message"), [("1.5", "between 0 and 1"), ("abc", "is not a share"), (",", "at least one")])
def test_the_forecast_command_refuses_rates_that_are_not_shares(rates: str, message: str) -> None:
    result = runner.invoke(app, ["forecast", str(ROOT / "samples" / "hdt_fast_math.json"), "--rates", rates])
    assert result.exit_code == 2 and message in result.stderr


def test_the_forecast_command_refuses_an_ses_contract() -> None:
    result = runner.invoke(app, ["forecast", str(ROOT / "samples" / "ses_online.json")])
    assert result.exit_code == 1 and "HDT contracts" in result.stderr


@settings(max_examples=60, deadline=None)
@given(caps=st.lists(st.sampled_from(["0.1", "0.3", "0.5", "1", "2"]), min_size=3, max_size=3),
       budget=st.sampled_from(["0.4", "0.6", "0.8", "1", "1.5"]))
def test_the_share_at_which_each_cap_binds_is_the_first_of_every_whole_percentage(caps: list[str], budget: str) -> None:
    # binds_from halves 0-100 % for each cap; it must find what scanning every whole percentage finds.
    data = sample_data("hdt_fast_math")
    for outcome, factor in zip(data["outcomes"], caps, strict=True):
        outcome["payment_cap"] = str(Decimal(outcome["payment_cap"]) * Decimal(factor))
    data["payments"]["maximum_budget"] = str(Decimal(data["payments"]["maximum_budget"]) * Decimal(budget))
    contract = contract_from_data(data, "case.json")
    first: dict[str, Decimal] = {}
    for percent in range(101):
        for name in level(contract, Decimal(percent) / 100).binding:
            first.setdefault(name, Decimal(percent))
    assert dict(binds_from(contract)) == {name: first.get(name) for name, _ in binds_from(contract)}
    assert set(first) <= {name for name, _ in binds_from(contract)}
