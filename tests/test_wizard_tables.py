"""Tables from a spreadsheet: the entries of a repeating group pasted as rows (or read from a CSV file), each row
checked against the model, shown back, and, when refused, offered again as typed.

The wizard is driven as in tests/test_wizard.py; a paste arrives as a terminal's bracketed paste.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from obc_builder.families import get_family
from obc_builder.wizard.answers import value_at
from obc_builder.wizard.questions import Kind, Question, positions, question_at, questions_of
from obc_builder.wizard.tables import PASTE_LABEL, columns, read_rows

from .conftest import sample_data
from .test_wizard import CLEAR, FINISH_MULTILINE, HDT, choose, drive, saved, without, write_answers

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


def pasted(text: str) -> str:
    """The keys of pasting ``text`` into the rows prompt (a terminal's bracketed paste), then finishing it."""
    return CLEAR + "\x1b[200~" + text + "\x1b[201~" + FINISH_MULTILINE


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
    assert rows.refused == [(2, "3 cells, but the columns are 2", ["Pine", "3", "extra"])]


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
        ("Participating school sites: what next?", choose(3)),  # no entries yet: add, done, paste
        ("Rows", pasted("School\tStudents at this school\nOak Elementary\t120\nPine Middle\tmany\n")),
        ("Participating school sites: what next?", choose(5)),  # paste again: the refused row is offered
        ("Rows", pasted("Pine Middle\t80")),
        ("Participating school sites: what next?", choose(4)),  # done
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
        ("Documents forming the entire agreement: what next?", choose(3)),
        ("Rows", pasted(str(listing))),
        ("Documents forming the entire agreement: what next?", choose(4)),
    ], resume=answers, out=tmp_path)
    assert saved(answers)["general"]["agreement_documents"] == ["Contract", "Insurance Provisions"]
