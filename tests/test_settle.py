"""obc-builder settle: statements computed by hand for two HDT samples and one SES sample, the template's rules, bad
results refused row by row, and student data protected."""

from __future__ import annotations

import csv
import io
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.errors import InvalidResults
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.settle import settle

from .conftest import ROOT, compare_golden, sample_data

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data" / "settle"

# Hand computations (the golden statements under tests/golden/settle_*.md record the rest of each statement).
#
# hdt_fast_math (monthly base: Sep 126, Oct 116, Nov 45, Dec 45, Jan 126, Feb 96, Mar 126 = 680; outcomes MOY 540,
# EOY growth 690, EOY proficiency 410; attendance threshold 80 %; roster window 4 weeks from September 9, 2024, so to
# October 7; standard substitution date December 20, 2024; tutor consistency 80 %):
#   S001 whole roster, achieves all three: 680 + 540 + 690 + 410                                = 2,320
#   S002 whole roster, MOY only: 680 + 540                                                      = 1,220
#   S003 added September 23 (in the window, I.1.f.i): base from September, paid with October;
#        EOY growth: 680 + 690                                                                  = 1,370
#   S004 removed September 20 (in the window): not on the final roster (I.1.f.i, I.1.f.ii)      =     0
#   S005 replaced on November 8 by S006, before December 20 (I.1.b.iv): base Sep–Nov
#        126 + 116 + 45; its outcomes do not count                                              =   287
#   S006 the substitute: base from the month after, Dec–Mar 45 + 126 + 96 + 126 = 393;
#        MOY and EOY growth: 393 + 540 + 690                                                    = 1,623
#   S007 attendance 60 % < 80 % (I.1.b.ii): every outcome paid as achieved: 680 + 1,640        = 2,320
#   S008 score missing for the two blank EOY outcomes (I.1.f.v), MOY achieved: 680 + 1,640    = 2,320
#   S009 tutor consistency 70 % in October and 60 % in November (I.2.a.iii): MOY and EOY growth
#        earned (1,230) but withheld: 680 due, 1,230 withheld
#   S010 minimum service not met (I.2): MOY not paid: 680                                      =   680
#   Total due 12,820 (base 5,440); withheld 1,230. No cap binds with ten students.
#
# hdt_per_session ($10 a session up to each month's amount and $600 a student; MAP growth 400; regression −100):
#   P01 60 sessions: 600 + 400 = 1,000 · P02 51 sessions (85 %): 510, regression −100 = 410 ·
#   P03 29 of 60 sessions (48.3 % < 80 %, I.1.b.ii): 290 + 400 = 690 · P04 score missing (I.1.f.v): 600 + 400 = 1,000 ·
#   P05 added January 10, 2022, after the window (I.1.f.iii): 35 sessions Jan–May = 350, + 400 = 750 ·
#   P06 consistency 70 % and 75 % in October and November: 600 due, 400 withheld. Total due 4,450, withheld 400.
#
# ses_campus ($45 an hour, under the state-approved $52; allocation $1,474.50; 6 hours a week):
#   T01 51 hours = 2,295, the lesser of that and the allocation (2.E.III): Oct 270 + Nov 540 + Dec 405 + Jan 259.50
#   = 1,474.50 · T02 22.5 hours = 1,012.50 · T03 no active Student Learning Plan: 0 ·
#   T04 20 hours in October 15–31, which touches 3 weeks (at most 18 hours): 810, + 3 hours in November 135 = 945;
#   incentives $60 over the $50 limit (3.P.I, no money) · T05 nothing attended: 0. Total 3,432.
HAND = {
    "hdt_fast_math": ({"S001": "2320", "S002": "1220", "S003": "1370", "S004": "0", "S005": "287", "S006": "1623",
                       "S007": "2320", "S008": "2320", "S009": "680", "S010": "680"}, "12820", "1230"),
    "hdt_per_session": ({"P01": "1000", "P02": "410", "P03": "690", "P04": "1000", "P05": "750", "P06": "600"},
                        "4450", "400"),
    "ses_campus": ({"T01": "1474.50", "T02": "1012.50", "T03": "0", "T04": "945", "T05": "0"}, "3432", "0"),
}


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("name", sorted(HAND))
def test_a_sample_settles_to_the_hand_computed_statement(name: str, update_goldens: bool) -> None:
    settlement, files = settle(load_contract(ROOT / "samples" / f"{name}.json"), DATA / f"{name}.csv", source=name)
    expected, total, withheld = HAND[name]
    rows = _csv_rows(files["settlement.csv"])
    assert {row["student_id"]: Decimal(row["total"]) for row in rows} == {k: Decimal(v) for k, v in expected.items()}
    assert settlement.total == Decimal(total) and settlement.withheld == Decimal(withheld)
    assert not settlement.problems
    compare_golden(f"settle_{name}.md", files["settlement.md"].decode("utf-8"), update_goldens)
    compare_golden(f"settle_{name}.csv", files["settlement.csv"].decode("utf-8"), update_goldens)


@pytest.mark.parametrize(("name", "cited"), [
    ("hdt_fast_math", ["Section I.1.b.ii", "Section I.1.b.iv", "Section I.1.f.i", "Sections I.1.f.i and I.1.f.ii",
                       "Section I.1.f.v", "Section I.2.a.iii", "Section I.2"]),
    ("hdt_per_session", ["Section F.3", "Section I.1.b.ii", "Section I.1.f.iii", "Section I.1.f.v",
                         "Section I.2.a.iii"]),
    ("ses_campus", ["Section 2.E.III", "Section 3.O", "Section 3.P.I"]),
], ids=["hdt_fast_math", "hdt_per_session", "ses_campus"])
def test_each_rule_applied_names_the_contract_section_that_requires_it(name: str, cited: list[str]) -> None:
    settlement, _ = settle(load_contract(ROOT / "samples" / f"{name}.json"), DATA / f"{name}.csv", source=name)
    assert {rule.citation for rule in settlement.rules.values()} == set(cited)
    assert all(rule.students >= 1 for rule in settlement.rules.values())


def test_an_online_ses_contract_cites_its_sections_by_their_own_letters(tmp_path: Path) -> None:
    results = tmp_path / "r.csv"
    results.write_text("student_id,slp_active,hours_oct\nA1,no,3\n", encoding="utf-8")
    settlement, _ = settle(load_contract(ROOT / "samples" / "ses_online.json"), results, source="ses_online")
    assert [rule.citation for rule in settlement.rules.values()] == ["Section 3.N"]  # no on-site section before it


def _contract(name: str, **changes: Any) -> Any:
    data = sample_data(name)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return contract_from_data(data, name)


def _results(tmp_path: Path, header: str, *rows: str, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


MATH = "student_id,school,grade,F.A.S.T. MOY Growth"


def test_an_outcome_cap_is_shared_pro_rata_to_the_cent(tmp_path: Path) -> None:
    contract = _contract("hdt_fast_math", outcomes__0__payment_cap="1000")
    rows = [f"S{i},School A,Grade 7,yes" for i in range(3)]
    settlement, files = settle(contract, _results(tmp_path, MATH, *rows), source="c")
    paid = [row["F.A.S.T. MOY Growth"] for row in _csv_rows(files["settlement.csv"])]
    assert paid == ["333.34", "333.33", "333.33"]  # 3 × $540 = $1,620 over the $1,000 cap; one cent left over
    cap = next(c for c in settlement.caps if c.name.endswith("MOY Growth"))
    assert (cap.before, cap.paid, cap.reached, cap.citation) == (Decimal(1620), Decimal(1000), True, "Section F.3")


def test_the_budget_cuts_the_last_payments_first(tmp_path: Path) -> None:
    contract = _contract("hdt_fast_math", payments__maximum_budget="2000")
    settlement, files = settle(contract, _results(tmp_path, MATH, "S1,School A,Grade 7,yes",
                                                  "S2,School A,Grade 7,yes"), source="c")
    row = _csv_rows(files["settlement.csv"])[0]
    # In date order: base September to February 2 × 554 = 1,108; the MOY payment on March 15 earns 1,080 but only 892
    # remain (446 each); the March base payment on March 31 finds the budget spent.
    assert settlement.total == Decimal(2000)
    assert row["Base payment, February 2025"] == "96.00" and row["F.A.S.T. MOY Growth"] == "446.00"
    assert row["Base payment, March 2025"] == "0.00"
    assert next(c for c in settlement.caps if c.name == "Maximum budget").reached


def test_a_substitution_after_the_standard_date_counts_both_students_outcomes_and_one_base(tmp_path: Path) -> None:
    path = _results(tmp_path, MATH + ",added,removed,substituted_for",
                    "OLD,School A,Grade 7,yes,,2025-01-15,", "NEW,School A,Grade 7,yes,2025-01-15,,OLD")
    settlement, files = settle(load_contract(ROOT / "samples" / "hdt_fast_math.json"), path, source="c")
    rows = {row["student_id"]: row for row in _csv_rows(files["settlement.csv"])}
    assert rows["OLD"]["F.A.S.T. MOY Growth"] == rows["NEW"]["F.A.S.T. MOY Growth"] == "540.00"
    base = [Decimal(rows["OLD"][m]) + Decimal(rows["NEW"][m]) for m in rows["OLD"] if m.startswith("Base payment")]
    assert sum(base) == Decimal(680)  # one base payment for the place: OLD to January, NEW from February
    assert settlement.rules["substitution"].citation == "Sections I.1.b.iii and I.1.f.iv"


BAD = (
    "student_id,school,grade,sessions_sep,added,F.A.S.T. MOY Growth,Reading Growth",
    "A1,School A,Grade 7,9,,yes,",
    "A1,School A,Grade 7,9,,no,",
    "A2,School Z,Grade 7,12,,no,",
    "A3,School B,Grade 3,3,2023-01-05,no,",
)


def test_bad_results_are_refused_one_line_per_problem_with_its_row(tmp_path: Path) -> None:
    path = _results(tmp_path, *BAD)
    out = tmp_path / "out"
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json"), str(path), "--out", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any("row 1: column 'Reading Growth' is not a column of this contract's results" in line for line in lines)
    assert any("row 3: student_id A1 appears again (first on row 2)" in line for line in lines)
    assert any("row 4: school: 'School Z' is not one the contract serves" in line for line in lines)
    assert any("row 4: sessions_sep: 12 is more than the 9 scheduled" in line for line in lines)
    assert any("row 5: grade: 'Grade 3' is not one the contract serves" in line for line in lines)
    assert any("row 5: added: 2023-01-05 is outside the term of services" in line for line in lines)
    assert all(line.startswith(str(path)) for line in lines[:-1]) and len(lines) == 7
    assert not out.exists()


def test_a_draft_settles_bad_results_anyway_and_lists_the_problems(tmp_path: Path) -> None:
    path = _results(tmp_path, *BAD)
    out = tmp_path / "out"
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json"), str(path), "--out", str(out),
                                 "--draft"])
    assert result.exit_code == 0, result.output
    statement = (out / "settlement.md").read_text(encoding="utf-8")
    assert "Problems in the results (settled anyway, as a draft)" in statement and "appears again" in statement
    assert "DRAFT" in statement


def test_a_school_name_column_is_not_taken_for_personal_data(tmp_path: Path) -> None:
    path = _results(tmp_path, f"{MATH},school_name", "S1,School A,Grade 7,yes,School A")
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json"), str(path), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 1 and "column 'school_name' is not a column of this contract's results" in result.stderr


@pytest.mark.parametrize("column", ["first_name", "Student Name", "name", "date_of_birth", "DOB", "home_address",
                                    "Parent E-mail"])
def test_a_column_that_looks_like_personal_data_is_refused_even_in_a_draft(tmp_path: Path, column: str) -> None:
    path = _results(tmp_path, f"{MATH},{column}", "S1,School A,Grade 7,yes,Jane Roe")
    out = tmp_path / "out"
    args = ["settle", str(ROOT / "samples" / "hdt_fast_math.json"), str(path), "--out", str(out)]
    refused = runner.invoke(app, [*args, "--draft"])
    assert refused.exit_code == 1 and "looks like personal data" in refused.stderr and "--allow-pii" in refused.stderr
    assert not out.exists()
    allowed = runner.invoke(app, [*args, "--allow-pii"])
    assert allowed.exit_code == 0, allowed.output
    for written in out.iterdir():
        assert b"Jane Roe" not in written.read_bytes()


def test_settlement_files_are_readable_by_their_owner_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json"),
                                 str(DATA / "hdt_fast_math.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["settlement.csv", "settlement.docx", "settlement.md"]
    assert {stat.S_IMODE((out / name).stat().st_mode) for name in names} == {0o600}


def test_the_providers_statement_names_no_student(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json"),
                                 str(DATA / "hdt_fast_math.csv"), "--out", str(out), "--for", "provider"])
    assert result.exit_code == 0, result.output
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(files) == ["settlement-provider.csv", "settlement-provider.docx", "settlement-provider.md"]
    for data in files.values():
        assert b"S001" not in data and b"S010" not in data
    lines = _csv_rows(files["settlement-provider.csv"])
    moy = sum(Decimal(r["amount"]) for r in lines if r["payment"] == "F.A.S.T. MOY Growth")
    assert moy == Decimal(2700) and "By school and outcome" in files["settlement-provider.md"].decode()


def test_an_excel_workbook_settles_as_its_csv_does(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with (DATA / "hdt_fast_math.csv").open(encoding="utf-8") as stream:
        for number, row in enumerate(csv.reader(stream)):
            sheet.append([int(cell) if number and cell.isdigit() else cell for cell in row])
    book.save(tmp_path / "results.xlsx")
    contract = load_contract(ROOT / "samples" / "hdt_fast_math.json")
    _, from_xlsx = settle(contract, tmp_path / "results.xlsx", source="c")
    _, from_csv = settle(contract, DATA / "hdt_fast_math.csv", source="c")
    assert from_xlsx["settlement.csv"] == from_csv["settlement.csv"]


@pytest.mark.parametrize("sample", ["hdt_per_session", "ses_campus"])
def test_the_template_is_the_header_the_settlement_reads(tmp_path: Path, sample: str) -> None:
    result = runner.invoke(app, ["settle", "--template", str(ROOT / "samples" / f"{sample}.json"), "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    header = (tmp_path / f"{sample}-results.csv").read_text(encoding="utf-8").splitlines()
    expected = (DATA / f"{sample}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == [expected]


def test_an_agr_contract_or_an_unfinished_one_is_not_settled(tmp_path: Path) -> None:
    path = _results(tmp_path, "student_id", "A1")
    agr = runner.invoke(app, ["settle", str(ROOT / "samples" / "agr_single_school.json"), str(path)])
    assert agr.exit_code == 1 and "settle takes an HDT or an SES contract" in agr.stderr
    data = sample_data("hdt_fast_math")
    data["rate_card"].pop("base_cap")
    (tmp_path / "c.json").write_text(__import__("json").dumps(data), encoding="utf-8")
    unfinished = runner.invoke(app, ["settle", str(tmp_path / "c.json"), str(path)])
    assert unfinished.exit_code == 1 and "settling needs the signed contract's inputs" in unfinished.stderr


def test_settle_without_results_is_a_usage_error() -> None:
    result = runner.invoke(app, ["settle", str(ROOT / "samples" / "hdt_fast_math.json")])
    assert result.exit_code == 2 and "settle needs a RESULTS file" in result.stderr


def test_statements_are_valid_word_and_clean_markdown(tmp_path: Path) -> None:
    from .validators import markdownlint_errors, ooxml_errors

    written = []
    for name, audience in [("hdt_fast_math", "district"), ("hdt_per_session", "provider"), ("ses_campus", "district")]:
        _, files = settle(load_contract(ROOT / "samples" / f"{name}.json"), DATA / f"{name}.csv", source=name,
                          audience=audience)  # type: ignore[arg-type]
        for file_name, data in files.items():
            path = tmp_path / f"{name}-{file_name}"
            path.write_bytes(data)
            written.append(path)
    invalid = {p.name: e for p, e in ooxml_errors([p for p in written if p.suffix == ".docx"]).items() if e}
    assert not invalid, invalid
    assert markdownlint_errors([p for p in written if p.suffix == ".md"]) == []


def test_a_tiered_outcome_pays_the_highest_tier_reached(tmp_path: Path) -> None:
    header = "student_id,school,grade,Algebra readiness growth (F.A.S.T. PM1 to PM3)"
    school = "Harbor View Middle School"
    path = _results(tmp_path, header, f"A,{school},8,1", f"B,{school},8,Tier 2 (two buckets of growth)",
                    f"C,{school},8,tier 3", f"D,{school},8,0", f"E,{school},8,4")
    contract = load_contract(ROOT / "samples" / "hdt_tiered_growth.json")
    with pytest.raises(InvalidResults, match=r"row 6: Algebra readiness growth .*: '4' is not a tier of this outcome"):
        settle(contract, path, source="c")
    settlement, files = settle(contract, path, source="c", draft=True)
    paid = {row["student_id"]: row["Algebra readiness growth (F.A.S.T. PM1 to PM3)"]
            for row in _csv_rows(files["settlement.csv"])}
    assert paid == {"A": "250.00", "B": "500.00", "C": "750.00", "D": "0.00", "E": "0.00"}  # never the tiers summed


def test_a_base_paid_per_hour_pays_the_hours_attended_up_to_each_months_amount(tmp_path: Path) -> None:
    contract = _contract("hdt_per_session", rate_card__base_basis="per_hour", rate_card__base_unit_price="25")
    header = "student_id,school,grade,hours_sep,hours_oct,MAP Growth projection met"
    path = _results(tmp_path, header, "H1,Caprock Middle School,Grade 6,2,4,no")
    _, files = settle(contract, path, source="c")
    row = _csv_rows(files["settlement.csv"])[0]
    # September: 2 hours × $25 = $50, under its $60; October: 4 × $25 = $100, over its $80, so $80.
    assert (row["Base payment, September 2021"], row["Base payment, October 2021"]) == ("50.00", "80.00")


def test_an_outcome_of_another_subject_or_grade_is_refused_for_the_student(tmp_path: Path) -> None:
    header = "student_id,school,grade,subject,MAP Growth Mathematics projection met,MAP Growth Reading projection met"
    path = _results(tmp_path, header, "R1,Elm Street Elementary School,Grade 4,reading,yes,yes")
    contract = load_contract(ROOT / "samples" / "hdt_two_subjects.json")
    settlement, files = settle(contract, path, source="c", draft=True)
    assert settlement.problems == [f"{path}: row 2: MAP Growth Mathematics projection met: this outcome is not paid "
                                   "for the student's grade or subject"]
    row = _csv_rows(files["settlement.csv"])[0]
    assert (row["MAP Growth Mathematics projection met"], row["MAP Growth Reading projection met"]) == ("0.00", "400.00")
