"""Tables from a spreadsheet: the entries of a repeating group pasted as rows (or read from a CSV file), each row
checked against the model, shown back, and, when refused, offered again as typed.

The wizard is driven as in tests/test_wizard.py; a paste arrives as a terminal's bracketed paste.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from obc_builder.families import get_family
from obc_builder.wizard.answers import value_at
from obc_builder.wizard.questions import Kind, Question, positions, question_at, questions_of
from obc_builder.wizard.tables import PASTE_LABEL, as_rows, columns, read_rows

from .conftest import SAMPLES, sample_data
from .test_wizard import HDT, choose, drive, pasted, saved, without, write_answers

SES = questions_of(get_family("ses").model)
SCHOOLS = question_at(HDT, ("population", "schools"))
TIMETABLE = question_at(HDT, ("rate_card", "base_timetable"))
DOCUMENTS = question_at(SES, ("general", "agreement_documents", 0))


def answered_before(questions: tuple[Question, ...], data: dict[str, Any], stop: tuple[Any, ...]) -> dict[str, Any]:
    """Only the answers of ``data`` that the wizard asks before ``stop``: resumed, it stops there first."""
    kept: dict[str, Any] = {"family": data["family"]}
    for path, answered in positions(questions, data):
        if path == stop:
            break
        if not answered:
            continue
        node: Any = kept
        for part, following in zip(path[:-1], path[1:], strict=True):
            if isinstance(part, int):
                node.extend({} for _ in range(part + 1 - len(node)))
                node = node[part]
            else:
                node = node.setdefault(part, [] if isinstance(following, int) else {})
        if isinstance(path[-1], int):
            node.append(value_at(data, path))
        else:
            node[path[-1]] = value_at(data, path)
    return kept


def test_rows_copied_from_a_spreadsheet_are_read_by_column_and_a_header_may_reorder_them() -> None:
    assert SCHOOLS is not None and TIMETABLE is not None
    rows = read_rows(SCHOOLS, "Students at this school\tSchool\n120\tOak Elementary\n1,045\tPine Middle\n")
    assert [entry for _, entry, _ in rows.entries] == [
        {"name": "Oak Elementary", "students": "120"}, {"name": "Pine Middle", "students": "1045"}]
    rows = read_rows(TIMETABLE, 'September,"$1,200.00",8\nOctober,,\n')  # no tab: a CSV file's lines
    assert [entry for _, entry, _ in rows.entries] == [
        {"month": "September", "amount": "$1,200.00", "sessions": "8"}, {"month": "October"}]
    assert not rows.refused


def test_a_row_that_cannot_be_read_is_refused_with_its_row_number_and_reason() -> None:
    assert SCHOOLS is not None
    rows = read_rows(SCHOOLS, "Oak Elementary\t120\nPine\t3\textra\n")
    assert [number for number, _, _ in rows.entries] == [1]
    assert rows.refused == [(2, "3 cells, but the columns are 2", [["Pine", "3", "extra"]])]


def test_choices_are_read_by_their_label_and_a_list_cell_by_semicolons() -> None:
    outcomes = question_at(HDT, ("outcomes",))
    assert outcomes is not None and columns(outcomes) is None  # an outcome holds tables of its own
    grades = question_at(HDT, ("outcomes", "grades"))
    assert grades is not None and grades.kind is Kind.list
    meetings = question_at(HDT, ("improvement", "meetings"))
    assert meetings is not None and columns(meetings) is not None
    fields = [q.name for q in columns(meetings) or ()]
    row = {"name": "Quarterly review", "stakeholders": "Principal; Provider success manager"}
    rows = read_rows(meetings, "\t".join(row.get(name, "") for name in fields))
    entry = rows.entries[0][1]
    assert entry["stakeholders"] == ["Principal", "Provider success manager"]


def test_schools_pasted_in_the_wizard_are_added_and_a_refused_row_is_offered_again(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "population.schools", "population.number_of_students")
    answers = write_answers(tmp_path, answered_before(HDT, data, ("population", "schools")))
    _, terminal = drive([
        # no entries yet: the rows box comes first
        ("Participating school sites: one row each",
         pasted("School\tStudents at this school\nOak Elementary\t120\nPine Middle\tmany\n")),
        ("Participating school sites: what next?", choose(5)),  # paste again: the refused row is offered
        ("Participating school sites: one row each", pasted("Pine Middle\t80")),
        # every row added and none refused: the list is complete, without the menu
    ], resume=answers, out=tmp_path)
    assert saved(answers)["population"]["schools"] == [
        {"name": "Oak Elementary", "students": 120}, {"name": "Pine Middle", "students": 80}]
    assert "  ✓ Row 1: Oak Elementary · 120" in terminal.transcript
    refused = next(line for line in terminal.transcript if line.startswith("  ✗ Row 2:"))
    assert "Students at this school" in refused
    assert any(label == PASTE_LABEL for _, labels in terminal.offered for label in labels)


def test_a_list_of_single_answers_is_pasted_one_per_line_or_read_from_a_csv_file(tmp_path: Path) -> None:
    assert DOCUMENTS is not None and DOCUMENTS.kind is Kind.list
    rows = read_rows(DOCUMENTS, 'Contract\n\n"Student Enrollment Form, signed"\n')
    assert [entry for _, entry, _ in rows.entries] == ["Contract", "Student Enrollment Form, signed"]
    data = answered_before(SES, sample_data("ses_campus"), ("general", "agreement_documents", 0))
    answers = write_answers(tmp_path, data, "ses-contract.json")
    listing = tmp_path / "documents.csv"
    listing.write_text("Contract\nInsurance Provisions\n", encoding="utf-8")
    drive([
        ("Documents forming the entire agreement: one per line", pasted(str(listing))),
    ], resume=answers, out=tmp_path)
    assert saved(answers)["general"]["agreement_documents"] == ["Contract", "Insurance Provisions"]


def _leaves_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _leaves_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_leaves_as_text(item) for item in value]
    return " ".join(str(value).split("\n"))  # as a one-line answer reads a line break in its cell


def _tables(questions: tuple[Question, ...], data: Any) -> Iterator[tuple[Question, list[Any]]]:
    for question in questions:
        value = data.get(question.name) if isinstance(data, dict) else None
        if columns(question) is not None and value:
            yield question, value
        elif question.kind is Kind.group:
            yield from _tables(question.fields, value)
        elif question.kind is Kind.items:
            for entry in value or []:
                yield from _tables(question.fields, entry)


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_every_table_of_every_sample_reads_back_from_its_rows(sample: Path) -> None:
    data = json.loads(sample.read_text(encoding="utf-8"))
    questions = questions_of(get_family(data["family"]).model)
    tables = list(_tables(questions, data))
    assert tables
    for question, entries in tables:
        rows = read_rows(question, as_rows(question, entries))
        assert not rows.refused
        assert _leaves_as_text([entry for _, entry, _ in rows.entries]) == _leaves_as_text(entries), question.title


def test_a_baseline_and_its_values_by_grade_are_one_table_whose_blank_cells_continue_the_entry() -> None:
    baselines = question_at(HDT, ("population", "baselines"))
    assert baselines is not None
    assert [q.title for q in columns(baselines) or ()] == [
        "Payment outcome it supports", "Baseline metric", "Grade", "Baseline %"]
    rows = read_rows(baselines, "Reading growth\t% at benchmark\tK\t40\n\t\t1\t45\n"
                                "Reading growth\t% at benchmark\t2\t50\nMath\t% proficient\tK\tforty\n")
    assert [entry for _, entry, _ in rows.entries] == [{
        "outcome": "Reading growth", "metric": "% at benchmark",
        "values": [{"grade": "K", "percent": "40"}, {"grade": "1", "percent": "45"}, {"grade": "2", "percent": "50"}]},
        {"outcome": "Math", "metric": "% proficient", "values": [{"grade": "K", "percent": "forty"}]}]
    assert [number for number, _, _ in rows.entries] == [1, 4]
    assert rows.refused == []  # "forty" is for the model to refuse, with its reason, when the entry is added
