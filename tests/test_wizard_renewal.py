"""How many answers a contract takes, counted by driving the wizard; and starting from an earlier contract
(``wizard --from``): dates and school years moved, each section kept or changed, derived answers following.

Targets (issue 13): a new HDT contract in at most 80 answers and a new SES contract in at most 45, the answers the
wizard fills in itself (recommended values, answers that follow from earlier ones) taken as filled in; renewing
samples/hdt_fast_math.json for the next school year with ``--from`` in at most 20. Every prompt the officer answers
counts, Enter on a pre-filled answer included, and the review's "Generate the final contract".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from obc_builder.errors import UsageError
from obc_builder.families import get_family
from obc_builder.wizard import WizardResult
from obc_builder.wizard.questions import questions_of
from obc_builder.wizard.renewal import _years_moved, parse_school_year, school_year_of, shift

from .conftest import ROOT, sample_data
from .test_wizard import (
    ENTER,
    FINISH_MULTILINE,
    HDT,
    REVIEW,
    choose,
    drive,
    saved,
    script_for,
    with_recommended,
)

NEW_HDT_MOST = 80
NEW_SES_MOST = 45
RENEWAL_MOST = 20
KEEP_SECTION = "Keep this section as it is?"


def new_contract_answers(name: str, tmp_path: Path) -> tuple[WizardResult, int]:
    """Type sample ``name`` into a new wizard, the answers it fills in itself taken as filled in and every table
    pasted; the result and the number of answers given."""
    data = sample_data(name)
    questions = questions_of(get_family(data["family"]).model)
    expected = with_recommended(questions, data)
    script = [(message, keys) for _, message, keys in script_for(questions, expected)]
    result, terminal = drive(script + [(REVIEW, choose(1))], family=data["family"], out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft, f"{name} did not make a final contract"
    return result, len(terminal.asked)


@pytest.mark.parametrize("name", ["hdt_k3_reading", "hdt_tiered_growth", "hdt_per_session", "hdt_two_subjects",
                                  "hdt_fast_math", "hdt_in_person"])
def test_a_new_hdt_contract_takes_at_most_80_answers(tmp_path: Path, name: str) -> None:
    # hdt_fast_math and hdt_in_person also add Section L's general provisions: 80 answers each.
    _, answers = new_contract_answers(name, tmp_path)
    assert answers <= NEW_HDT_MOST


def test_a_new_ses_contract_takes_at_most_45_answers(tmp_path: Path) -> None:
    _, answers = new_contract_answers("ses_campus", tmp_path)
    assert answers <= NEW_SES_MOST


def test_the_answers_a_new_agr_contract_takes_are_counted(tmp_path: Path) -> None:
    # No target for AGR: a change that adds answers fails here.
    assert new_contract_answers("agr_single_school", tmp_path)[1] <= 103  # as counted on 2026-11-30


# Dates and school years


def test_every_date_and_school_year_moves_and_the_years_in_text_answers_with_them() -> None:
    data = sample_data("hdt_fast_math")
    moved, was = shift(HDT, data, 1, 2024)
    assert moved["dates"] == {"effective_date": "2025-07-01", "service_start": "2025-09-09",
                              "service_end": "2026-06-30", "contract_end": "2026-06-30"}
    assert moved["outcomes"][0]["timetable"][0]["date"] == "2026-01-09"
    assert "the 2025-26 school year" in moved["population"]["population_statement"]
    assert moved["population"]["timeline"][0]["timeframe"] == "July 2025"
    assert ("population", "population_statement") in was
    assert data["dates"]["effective_date"] == "2024-07-01"  # the earlier answers are not touched


def test_only_the_earlier_contracts_years_move_in_text() -> None:
    window = range(2022, 2026)
    assert _years_moved("EIA Code of Ethics as amended January 8, 2008", window, 1).endswith("2008")
    assert _years_moved("PM3 of the 2024-25 school year, and 2024–2025", window, 1) == (
        "PM3 of the 2025-26 school year, and 2025–2026")
    assert _years_moved("a 2024-09-15 deadline", window, 2) == "a 2026-09-15 deadline"


@pytest.mark.parametrize(("text", "start"), [("2025-26", 2025), ("2025-2026", 2025), ("1999-00", 1999),
                                             ("2025-27", None), ("25-26", None)])
def test_a_school_year_is_read_as_it_is_written(text: str, start: int | None) -> None:
    assert parse_school_year(text) == start


def test_the_school_year_of_an_earlier_contract_is_found_in_every_family() -> None:
    for name, start in (("hdt_fast_math", 2024), ("hdt_in_person", 2022), ("ses_campus", 2025),
                        ("agr_single_school", 2025)):
        data = sample_data(name)
        assert school_year_of(questions_of(get_family(data["family"]).model), data) == start, name


def test_february_29_moves_to_february_28() -> None:
    data = sample_data("hdt_fast_math")
    data["dates"]["effective_date"] = "2024-02-29"
    moved, _ = shift(HDT, data, 1, 2023)
    assert moved["dates"]["effective_date"] == "2025-02-28"


# The renewal walk


def renewal_script(sections: int, changes: dict[int, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    script = [("School year of the new contract", ENTER)]
    for number in range(1, sections + 1):
        script += changes.get(number, [(KEEP_SECTION, choose(1))])
    return script


def test_renewing_fast_math_for_the_next_school_year_takes_at_most_20_answers(tmp_path: Path) -> None:
    source = ROOT / "samples" / "hdt_fast_math.json"
    before = source.read_bytes()
    first_row_230 = "\x1b[A" * 6 + "\x05" + "\x7f" * 3 + "230"  # up six rows, to the end (Ctrl-E): 220 → 230
    script = renewal_script(len(HDT), {
        4: [(KEEP_SECTION, choose(2)),
            ("Which answers do you want to change?", "\x1b[B" * 7 + " " + ENTER),  # the school sites
            ("Participating school sites: rows", first_row_230 + FINISH_MULTILINE)],
    })
    result, terminal = drive(script + [(REVIEW, choose(1))], findings=None, source=source, out=tmp_path)
    assert isinstance(result, WizardResult) and not result.draft
    assert len(terminal.asked) <= RENEWAL_MOST
    answers = saved(tmp_path / "hdt-contract.json")
    assert answers["dates"]["service_start"] == "2025-09-09"
    assert answers["population"]["schools"][0] == {"name": "School A", "students": 230}
    assert answers["population"]["number_of_students"] == 1260  # followed the school sites
    assert answers["rate_card"]["base_cap"] == "856800"  # $680 × 1,260, as last year's was $680 × 1,250
    assert "  Number of students: 1250 → 1260 (follows from your other answers)" in terminal.transcript
    assert source.read_bytes() == before


def test_a_renewal_marks_the_answers_whose_years_it_moved(tmp_path: Path) -> None:
    source = ROOT / "samples" / "hdt_fast_math.json"
    _, terminal = drive(renewal_script(4, {}), source=source, out=tmp_path)
    at = terminal.transcript.index("  Baseline and eligibility data sources: 2024 Spring Math F.A.S.T. (PM3) "
                                   "results and the District's daily attendance records")
    assert terminal.transcript[at + 1] == "    ⚠ years moved to the new school year: check it"
    assert "  Effective date: July 1, 2025" in terminal.transcript


def test_a_renewal_never_writes_over_an_answers_file_and_is_not_a_resume(tmp_path: Path) -> None:
    source = ROOT / "samples" / "ses_campus.json"
    (tmp_path / "ses-contract.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists"):
        drive([], source=source, out=tmp_path)
    with pytest.raises(UsageError, match="give only one of them"):
        drive([], source=source, resume=tmp_path / "ses-contract.json", out=tmp_path)


def test_an_ses_renewal_moves_its_school_year_and_term(tmp_path: Path) -> None:
    source = ROOT / "samples" / "ses_campus.json"
    drive(renewal_script(2, {}), source=source, out=tmp_path)
    answers: dict[str, Any] = json.loads((tmp_path / "ses-contract.json").read_text(encoding="utf-8"))
    assert answers["term"]["school_year"] == "2026-2027" and answers["term"]["term_end"] == "2027-06-30"
