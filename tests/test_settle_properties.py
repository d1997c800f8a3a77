"""Properties of every settlement: no cap or budget is ever exceeded, more achievement never pays less, and a
results file where every student achieves everything settles to exactly the caps the contract states."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obc_builder.loading import contract_from_data, load_contract
from obc_builder.settle import compute
from obc_builder.settle.hdt_layout import layout

from .conftest import ROOT, sample_data

SCHOOLS = ["School A", "School B"]
OUTCOMES = ["F.A.S.T. MOY Growth", "F.A.S.T. EOY Growth", "F.A.S.T. EOY Proficiency"]
MONTHS = ["sep", "oct", "nov", "dec", "jan", "feb", "mar"]
SCHEDULED = [9, 8, 4, 4, 9, 6, 9]


def _contract(base_cap: int, caps: list[int], budget: int, most: int | None) -> Any:
    """The fast-math sample with caps small enough for a few students to reach them."""
    data = sample_data("hdt_fast_math")
    data["rate_card"]["base_cap"] = str(base_cap)
    data["rate_card"]["contingent_max_per_student"] = None if most is None else str(most)
    for outcome, cap in zip(data["outcomes"], caps, strict=True):
        outcome["payment_cap"] = str(cap)
    data["payments"]["maximum_budget"] = str(budget)
    return contract_from_data(data, "property")


student = st.fixed_dictionaries({
    "school": st.sampled_from(SCHOOLS),
    "grade": st.sampled_from(["Grade 7", "Grade 8"]),
    "attendance": st.one_of(st.none(), st.integers(0, 100)),
    "sessions": st.lists(st.integers(0, 4), min_size=7, max_size=7),
    "outcomes": st.lists(st.sampled_from(["yes", "no", "missing", ""]), min_size=3, max_size=3),
    "served": st.sampled_from(["", "no"]),
    "consistency": st.lists(st.sampled_from(["", "60", "90"]), min_size=7, max_size=7),
})
contracts = st.tuples(st.integers(0, 20_000), st.lists(st.integers(0, 6_000), min_size=3, max_size=3),
                      st.integers(0, 40_000), st.one_of(st.none(), st.integers(0, 2_000)))


def _write(path: Path, students: list[dict[str, Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student_id", "school", "grade", "attendance_rate", "minimum_service_met",
                     *(f"sessions_{m}" for m in MONTHS), *(f"consistency_{m}" for m in MONTHS), *OUTCOMES])
    for number, s in enumerate(students):
        writer.writerow([f"S{number}", s["school"], s["grade"], "" if s["attendance"] is None else s["attendance"],
                         s["served"], *s["sessions"], *s["consistency"], *s["outcomes"]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _totals(settlement: Any) -> dict[str, Decimal]:
    by_kind: dict[str, Decimal] = {}
    for item, total in zip(settlement.items, settlement.item_totals(), strict=True):
        key = item.label if item.kind == "outcome" else item.kind
        by_kind[key] = by_kind.get(key, Decimal(0)) + total
    return by_kind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=contracts, students=st.lists(student, min_size=1, max_size=12))
def test_no_settlement_exceeds_a_cap_or_the_budget(tmp_path: Path, terms: Any, students: list[dict[str, Any]]) -> None:
    base_cap, caps, budget, most = terms
    contract = _contract(base_cap, caps, budget, most)
    settlement = compute(contract, _write(tmp_path / "r.csv", students), source="p")
    totals = _totals(settlement)
    assert totals["base"] <= base_cap
    for name, cap in zip(OUTCOMES, caps, strict=True):
        assert totals[name] <= cap
    assert settlement.total + settlement.withheld <= budget
    assert all(amount >= 0 for s in settlement.students for amount in s.amounts)
    if most is not None:
        outcome_columns = [i for i, item in enumerate(settlement.items) if item.kind == "outcome"]
        assert all(sum(s.amounts[i] for i in outcome_columns) + s.withheld <= most for s in settlement.students)
    for cap in settlement.caps:
        assert cap.paid <= cap.limit


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=contracts.map(lambda terms: (*terms[:3], None)), students=st.lists(student, min_size=1, max_size=10),
       data=st.data())
def test_more_achievement_never_pays_less(tmp_path: Path, terms: Any, students: list[dict[str, Any]],
                                          data: st.DataObject) -> None:
    # Without a most contingent payment per student (with one, see the test after this one).
    contract = _contract(*terms)
    before = compute(contract, _write(tmp_path / "before.csv", students), source="p")
    who = data.draw(st.integers(0, len(students) - 1))
    which = data.draw(st.integers(0, 2))
    students[who]["outcomes"][which] = "yes"
    after = compute(contract, _write(tmp_path / "after.csv", students), source="p")
    assert after.total + after.withheld >= before.total + before.withheld


def test_with_a_most_per_student_one_more_achiever_of_a_capped_outcome_can_lower_the_total(tmp_path: Path) -> None:
    # Why "more achievement never pays less" holds only without a most contingent payment per student (found by
    # hypothesis): outcome 2's cap ($3) is shared among its achievers. Student 1 is already paid the most ($5)
    # through outcome 3; when student 1 also achieves outcome 2, a share of outcome 2 moves to student 1 (whose
    # outcome 3 payment shrinks by as much, the most still binding) from student 7, who has no outcome 3 to make
    # up for it. The District pays 8 cents less: each payment is what docs/settlement.md's caps say, in their order.
    blank = [""] * 7

    def one(outcomes: list[str], served: str = "") -> dict[str, Any]:
        return {"school": "School A", "grade": "Grade 7", "attendance": None, "sessions": [0] * 7,
                "outcomes": outcomes, "served": served, "consistency": blank}

    students = [one(["yes", "missing", "yes"], "no"), *(one(["yes"] * 3) for _ in range(5)),
                one(["yes", "yes", "missing"], "no")]
    contract = _contract(0, [0, 3, 34], 42, 5)
    before = compute(contract, _write(tmp_path / "before.csv", students), source="p")
    students[0]["outcomes"][1] = "yes"
    after = compute(contract, _write(tmp_path / "after.csv", students), source="p")
    assert (before.total, after.total) == (Decimal("30.50"), Decimal("30.42"))


def test_every_student_achieving_everything_settles_to_exactly_the_caps_the_contract_states(tmp_path: Path) -> None:
    for name in ("hdt_fast_math", "hdt_two_subjects", "hdt_tiered_growth", "hdt_k3_reading"):
        contract = load_contract(ROOT / "samples" / f"{name}.json")
        header = layout(contract).header()
        rows = []
        schools = [s for school in contract.population.schools for s in [school.name] * school.students]
        grades = contract.population.grades_served
        outcomes = [str(len(o.tiers)) if o.tiers else "yes" for o in contract.outcomes]
        for number, school in enumerate(schools):
            row = dict.fromkeys(header, "")
            row.update({"student_id": f"S{number}", "school": school, "grade": grades[number % len(grades)]})
            row.update(zip([o.name for o in contract.outcomes], outcomes, strict=True))
            rows.append(row)
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, header)
            writer.writeheader()
            writer.writerows(rows)
        settlement = compute(contract, path, source=name)
        figures = contract.figures()
        totals = _totals(settlement)
        assert totals["base"] == contract.rate_card.base_cap, name
        for outcome in contract.outcomes:
            assert totals[outcome.name] == outcome.payment_cap, (name, outcome.name)
        assert settlement.total == min(figures.contract_total, contract.payments.maximum_budget), name


_text = st.text(st.sampled_from(list('ab ,"\n\r;$-.') + ["é", "\t"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(students=st.lists(st.tuples(_text, _text, _text, st.lists(_text, max_size=3),
                                   st.lists(st.decimals("-999", "999", places=2), min_size=2, max_size=2),
                                   st.decimals("0", "99", places=2)), max_size=6))
def test_the_students_csv_is_what_csv_writer_writes(students: list[Any]) -> None:
    """The statement's CSV lines are joined by hand (for speed); any id, school, grade and reason, commas, quotes
    and line breaks included, comes out exactly as the csv module writes it."""
    from obc_builder.settle.money import Item, Settlement, Student
    from obc_builder.settle.statement import students_csv

    items = [Item("Base, September", "base", "Base", None), Item('Outcome "A"', "outcome", "Outcome", None)]
    settlement = Settlement("hdt", "T", "D", "P", items, [
        Student(id_, school, grade, amounts, notes, withheld)
        for id_, school, grade, notes, amounts, withheld in students])
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(["student_id", "school", "grade", "Base, September", 'Outcome "A"', "total", "withheld",
                     "reasons"])
    for s in settlement.students:
        writer.writerow([s.id, s.school, s.grade, *map(str, s.amounts), str(s.total), str(s.withheld),
                         "; ".join(s.notes)])
    assert students_csv(settlement) == expected.getvalue().encode("utf-8")
