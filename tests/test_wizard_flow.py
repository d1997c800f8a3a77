"""The wizard's walk around findings: totals over a list wait for the list, "Change …" offers the answer just
typed, the District's reason for keeping a warning, and what is printed fits an 80-column terminal.

Driven like tests/test_wizard.py: :class:`~tests.test_wizard.Scripted` types each answer into the prompts.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pexpect
import pytest

from obc_builder.errors import InvalidInput
from obc_builder.families import FAMILY_NAMES, get_family
from obc_builder.loading import contract_from_data
from obc_builder.wizard import WizardResult, WizardStopped
from obc_builder.wizard.answers import resume_hint
from obc_builder.wizard.flow import REASON
from obc_builder.wizard.questions import questions_of
from obc_builder.wizard.wrapping import wrap

from .conftest import ROOT, sample_data
from .test_wizard import (
    CLEAR,
    CTRL_C,
    ENTER,
    FINISH_MULTILINE,
    KEEP_IT,
    QUIT,
    REVIEW,
    _env,
    choose,
    drive,
    pasted,
    saved,
    section,
    steps_for,
    typed,
    without,
    write_answers,
)

SES = questions_of(get_family("ses").model)
EDIT_SECTION = "Which section do you want to edit?"


def ses_section(name: str) -> str:
    return choose(next(index for index, step in enumerate(SES) if step.name == name) + 1)


def offered(terminal: Any, message: str, occurrence: int = 0) -> list[str]:
    """The labels of the ``occurrence``-th select with ``message``."""
    return [labels for asked, labels in terminal.offered if asked == message][occurrence]


# 1. A total over a list is checked when the list is done


RATE_CARD_BEFORE_TIMETABLE = [
    ("Base payment per student", ENTER),  # $680
    ("Total base payment cap", ENTER),
    ("How the base payment is earned", ENTER),  # per student
    ("Most contingent payment per student", ENTER),
    ("Payment reductions (optional): what next?", choose(2)),
    ("Per-student total you expect", ENTER),
    ("Contract total you expect", ENTER),
    ("Contingent share you expect", ENTER),
]


def month(name: str, amount: str, sessions: str) -> list[tuple[str, str]]:
    return [("Base payment timetable: what next?", choose(1)),
            ("Month", typed(name)), ("Base payment", typed(amount)), ("Approximate number of sessions", typed(sessions))]


def test_a_new_timetable_is_not_checked_between_its_months_but_when_it_is_done(tmp_path: Path) -> None:
    # The months add up to the base payment of $680 only with the last one; an officer who types month after
    # month must never meet "Keep it, or change it?" where the next month's prompt should be (findings=None:
    # an unscripted one fails the test on the question where it appears).
    resume = write_answers(tmp_path, without(sample_data("hdt_fast_math"), "rate_card.base_timetable"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("rate_card")),
        *RATE_CARD_BEFORE_TIMETABLE,
        ("Base payment timetable: one row each", CLEAR + FINISH_MULTILINE),  # left empty: month by month
        *month("Sep", "300", "20"),
        *month("Oct", "200", "20"),
        *month("Nov", "100", "9"),  # $600: still $80 short when the list is done
        ("Base payment timetable: what next?", choose(4)),  # done
        (KEEP_IT, choose(2)),  # change the timetable: its menu again
        ("Base payment timetable: what next?", choose(2)),
        ("Which entry do you want to edit?", choose(3)),
        ("Month", ENTER), ("Base payment", typed("180")), ("Approximate number of sessions", ENTER),
        ("Base payment timetable: what next?", choose(4)),  # done: now $680
        (REVIEW, QUIT),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert saved(resume)["rate_card"]["base_timetable"] == [
        {"month": "Sep", "amount": "300", "sessions": 20}, {"month": "Oct", "amount": "200", "sessions": 20},
        {"month": "Nov", "amount": "180", "sessions": 9}]
    assert terminal.asked.count(KEEP_IT) == 1
    shown = terminal.transcript.index(
        "  ✗ Error: The monthly base payments add up to $600 per student, not the base payment of $680.")
    assert terminal.transcript[shown - 1] == "? Base payment timetable: what next? Done with this list"
    assert offered(terminal, KEEP_IT) == [
        "Keep it and go on", "Change “Base payment timetable”", "Change “Base payment per student”"]


def test_a_pasted_timetable_is_checked_once_all_its_rows_are_in(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, without(sample_data("hdt_fast_math"), "rate_card.base_timetable"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("rate_card")),
        *RATE_CARD_BEFORE_TIMETABLE,
        ("Base payment timetable: one row each", pasted("Month\tBase payment\tSessions\nSep\t300\t20\n"
                                                         "Oct\t200\t20\nNov\t100\t9")),
        (KEEP_IT, choose(1)),
        (REASON, ENTER),
        (REVIEW, QUIT),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert [entry["month"] for entry in saved(resume)["rate_card"]["base_timetable"]] == ["Sep", "Oct", "Nov"]
    assert terminal.asked.count(KEEP_IT) == 1
    shown = terminal.transcript.index(
        "  ✗ Error: The monthly base payments add up to $600 per student, not the base payment of $680.")
    assert terminal.transcript[shown - 1] == "  3 entries added."


def test_a_finding_about_a_list_kept_at_its_end_is_not_asked_again_while_it_is_edited(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, without(sample_data("hdt_fast_math"), "rate_card.base_timetable"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("rate_card")),
        *RATE_CARD_BEFORE_TIMETABLE,
        ("Base payment timetable: one row each", CLEAR + FINISH_MULTILINE),
        *month("Sep", "300", "49"),
        ("Base payment timetable: what next?", choose(4)),
        (KEEP_IT, choose(1)),
        (REASON, typed("The rest is paid from the summer budget")),
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("rate_card")),
        *RATE_CARD_BEFORE_TIMETABLE,
        *month("Oct", "200", "8"),  # still not $680, and already kept: nothing asked
        ("Base payment timetable: what next?", choose(4)),
        (REVIEW, QUIT),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert terminal.asked.count(KEEP_IT) == 1
    assert saved(resume)["departures"] == {"rate_card.base_timetable": "The rest is paid from the summer budget"}


# 2. "Change …" offers the answer just typed first, then the other fields the finding names


def test_after_a_state_rate_is_typed_the_change_option_is_that_rate_then_the_compensation(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("ses_campus"), "ses_campus.json")
    result, terminal = drive([
        ("Documents forming the entire agreement: what next?", ENTER),  # resumed at the last list: done
        (REVIEW, choose(3)),
        (EDIT_SECTION, ses_section("fees")),
        ("Fee per session per student", ENTER),
        ("Hourly compensation", ENTER),  # $45
        ("State-approved hourly rate", typed("40")),
        (KEEP_IT, choose(2)),
        ("State-approved hourly rate", typed("52")),
        ("Per-pupil Title I allocation", ENTER),
        ("Days to pay", ENTER),
        (REVIEW, QUIT),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert offered(terminal, KEEP_IT) == [
        "Keep it and go on", "Change “State-approved hourly rate”", "Change “Hourly compensation”"]
    assert saved(resume)["fees"]["state_approved_hourly_rate"] == "52"
    assert terminal.asked.count("Hourly compensation") == 1


def test_after_a_school_year_is_typed_the_change_option_is_the_school_year_not_the_term(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("ses_campus"), "ses_campus.json")
    result, terminal = drive([
        ("Documents forming the entire agreement: what next?", ENTER),
        (REVIEW, choose(3)),
        (EDIT_SECTION, ses_section("term")),
        ("School year", typed("2026-2027")),  # services start by October 15, 2025: before the school year's
        (KEEP_IT, choose(2)),
        ("School year", typed("2025-2026")),
        ("Contract date", ENTER),
        ("Term ends", ENTER),
        ("Required documents due", ENTER),
        (REVIEW, QUIT),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    first = offered(terminal, KEEP_IT)
    assert first == ["Keep it and go on", "Change “School year”", "Change “Services start by”"]
    assert saved(resume)["term"]["school_year"] == "2025-2026"
    assert terminal.asked.count("School year") == 2 and terminal.asked.count("Contract date") == 1


# 3. What the wizard prints fits 80 columns, broken at spaces only


def test_wrapping_breaks_at_spaces_only_and_keeps_rule_ids_counters_and_commands_whole() -> None:
    why = "    Why: Center for OBC HDT template, Section F; arithmetic of the rate card (HDT-PAY-005)"
    lines = wrap(why, 79)
    assert all(len(line) <= 79 for line in lines) and lines[-1].endswith("(HDT-PAY-005)")
    assert lines[1].startswith("      ")  # a hanging indent under the indented first line
    heading = "Sections 3.A, 3.F, 3.G, 3.H · Meetings, marketing, clearance, software · 6 of 16 and more"
    assert any("· 6 of 16" in line or line.lstrip().startswith("6 of 16") for line in wrap(heading, 79))
    long = Path("/tmp/" + "a-very-long-folder-name/" * 4 + "hdt-contract.json")
    hint = resume_hint(long, "Stopped. ", width=79).split("\n")
    assert hint == ["Stopped. Your answers are saved in", f"  {long}.",
                    "Continue with: obc-builder wizard --resume", f"  {long}"]
    assert resume_hint(Path("out/hdt-contract.json"), width=120) == (
        "Your answers are saved in out/hdt-contract.json. Continue with: obc-builder wizard --resume "
        "out/hdt-contract.json")  # one line when it fits


_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
_REDRAW = re.compile(r"\x1b\[\d*[ABCDJ]")  # a prompt redrawn in place: not lines as printed


def printed_lines(raw: str) -> list[str]:
    """The lines printed to the terminal (messages, not prompts redrawn in place), without escape sequences: what
    follows a prompt's end (bracketed paste turned off) is printed text."""
    lines = [line.split("\x1b[?2004l")[-1] for line in raw.split("\n")]
    return [_ESCAPE.sub("", line).rstrip("\r") for line in lines if not _REDRAW.search(line)]


def test_in_an_80_column_terminal_what_is_printed_is_broken_at_spaces_only(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))  # pytest's folder: a path longer than a line
    child = pexpect.spawn(sys.executable, ["-m", "obc_builder.cli", "wizard", "--resume", str(resume),
                                           "--out", str(tmp_path / "out")],
                          cwd=str(ROOT), env={**_env(), "COLUMNS": "80"}, dimensions=(40, 80), encoding="utf-8",
                          timeout=20)
    log = io.StringIO()
    child.logfile_read = log
    try:
        child.expect(REVIEW)
        child.send(choose(3))
        child.expect("Which section do you want to edit?")
        child.send(section("termination"))
        child.expect("Early-termination cure")
        child.send(CLEAR + "90" + ENTER)  # recommended: at most 30 days
        child.expect(KEEP_IT)
        child.send(choose(1))
        child.expect("reason")
        child.send(CLEAR + "The Board's standard notice period" + ENTER)
        child.expect(REVIEW)
        child.send(CTRL_C)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    lines = printed_lines(log.getvalue())
    too_long = [line for line in lines if len(line) > 80 and len(line.split()) > 1]  # a long path: alone
    assert not too_long
    text = " ".join(" ".join(lines).split())  # broken at spaces only: joining the lines gives the sentences back
    assert "Warning: The early-termination cure period is 90 days; the recommendation is at most 30 days." in text
    assert "Fix: Use at most 30 days, or keep it and explain the departure to the reviewer." in text
    assert f"Stopped. Your answers are saved in {resume}. Continue with: obc-builder wizard --resume {resume}" in text
    assert "Continue with: obc-builder wizard --resume" in lines and f"  {resume}" in lines  # the path on its own
    assert saved(resume)["departures"] == {
        "termination.early_termination_cure_days": "The Board's standard notice period"}


# 4. The District's reason for keeping a warning


def test_a_kept_warning_with_a_reason_is_saved_and_printed_in_the_review_file_and_the_comment(
        tmp_path: Path) -> None:
    sample = sample_data("hdt_fast_math")
    sample["accountability"]["student_attendance_pct"] = 60
    reason = "Our students attend after school; 60% is what last year's program achieved"
    script = steps_for("accountability", sample)
    at = next(i for i, (message, _) in enumerate(script) if message.startswith("Student attendance %")) + 1
    script[at:at] = [(KEEP_IT, choose(1)), (REASON, typed(reason))]
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("accountability")),
        *script,
        (REVIEW, choose(1)),
    ], findings=None, resume=resume, out=tmp_path / "out")
    assert isinstance(result, WizardResult) and not result.draft
    answers = saved(resume)
    assert answers["departures"] == {"accountability.student_attendance_pct": reason}
    assert list(answers)[-1] == "departures"  # after the answers, where a reader of the file looks last
    review = (tmp_path / "out" / "hdt-contract.review.md").read_text(encoding="utf-8")
    finding = next(line for line in review.splitlines() if line.startswith("- **warning**") and "60%" in line)
    assert finding.endswith(f"District's reason: {reason}")
    with zipfile.ZipFile(tmp_path / "out" / "hdt-contract.docx") as docx:
        comments = docx.read("word/comments.xml").decode("utf-8")
    assert f"District's reason: {reason}" in comments


def test_every_family_takes_departures_in_its_json_and_never_asks_for_them() -> None:
    for family in FAMILY_NAMES:
        model = get_family(family).model
        assert "departures" in model.model_fields and list(model.model_fields)[-1] == "departures"
        assert "departures" not in {q.name for q in questions_of(model)}
        schema = model.model_json_schema()["properties"]["departures"]
        assert "reason" in schema["description"]
    contract = contract_from_data({"family": "hdt", "departures": {"accountability.student_attendance_pct": "x"}},
                                  "test")
    assert contract.departures == {"accountability.student_attendance_pct": "x"}  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="departures"):
        contract_from_data({"family": "hdt", "departures": {"accountability.student_attendance_pct": ""}}, "test")


@pytest.mark.parametrize("key", ["accountability.student_attendence_pct", "population.schools.x", "departures",
                                 "dates.effective_date.0", "computed"])
def test_a_reason_kept_for_no_input_is_refused_in_one_sentence_naming_it(key: str) -> None:
    with pytest.raises(InvalidInput, match=f"departures: '{key}' names no input of the contract"):
        contract_from_data({"family": "hdt", "departures": {key: "a reason"}}, "test")
    for kept in ("population.schools.0.students", "rate_card.base_timetable", "computed.contingent_share_pct",
                 "outcomes.2.tiers.0.price"):
        contract_from_data({"family": "hdt", "departures": {kept: "a reason"}}, "test")


def test_a_stop_after_a_reason_keeps_it(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    stopped, _ = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("termination")),
        ("Early-termination cure", typed("90")),
        (KEEP_IT, choose(1)),
        (REASON, typed("Board policy")),
        (REVIEW, CTRL_C),
    ], findings=None, resume=resume, out=tmp_path)
    assert isinstance(stopped, WizardStopped)
    assert saved(resume)["departures"] == {"termination.early_termination_cure_days": "Board policy"}


def test_the_review_screen_s_key_figures_fit_the_terminal(tmp_path: Path) -> None:
    # SES figure titles are long: in two columns they would be padded past 80 columns and then wrapped.
    resume = write_answers(tmp_path, sample_data("ses_campus"), "ses_campus.json")
    result, terminal = drive([
        ("Documents forming the entire agreement: what next?", ENTER),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    shown = terminal.transcript[terminal.transcript.index("Key figures") + 1:]
    assert "  Months of service (start-by month to last month of service): 5" in shown
    assert all(len(line) <= terminal.width for text in shown for line in terminal.lines(text))


def test_an_emptied_section_s_recommended_values_are_filled_in_when_it_is_edited(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    kept = {name: data["accountability"][name] for name in ("substitution_date", "minimum_service_requirements")}
    data["accountability"] = {}
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("accountability")),
        ("Student substitution date", typed(kept["substitution_date"])),  # the nine others are filled in
        ("Minimum service requirements", typed(kept["minimum_service_requirements"], True)),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    saved_accountability = saved(resume)["accountability"]  # stored as typed: percentages as text, like "80"
    expected = {**sample_data("hdt_fast_math")["accountability"], **kept}
    assert {k: str(v) for k, v in saved_accountability.items()} == {k: str(v) for k, v in expected.items()}
    assert ("  ✓ Student attendance %: 80 (recommended: at least 80%; you can change it at the review)"
            in terminal.transcript)


def test_resuming_at_the_start_of_a_section_fills_in_its_recommended_values(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "accountability", "improvement", "termination", "provisions")
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        ("Data elements: what next?", choose(4)),  # resumes at the menu after the last entry: done
        ("Student substitution date", CTRL_C),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardStopped)
    assert saved(resume)["accountability"]["student_attendance_pct"] == "80"  # filled in before it, as typed
    assert "Student attendance" not in " ".join(terminal.asked)


def test_an_answer_the_earlier_ones_determine_is_filled_in_and_shown(tmp_path: Path) -> None:
    data = without(sample_data("hdt_fast_math"), "population.number_of_students", "population.data_sources",
                   "population.timeline", "program", "outcomes", "rate_card", "payments", "process_outcomes",
                   "data_elements", "accountability", "improvement", "termination", "provisions")
    resume = write_answers(tmp_path, data)
    result, terminal = drive([
        ("Baseline by grade: what next?", choose(4)),  # resumes at the last entry's menu: done
        ("Historical baseline data: what next?", choose(4)),
        ("Baseline and eligibility data sources", CTRL_C),  # the number of students is not asked
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardStopped)
    students = sum(school["students"] for school in sample_data("hdt_fast_math")["population"]["schools"])
    assert saved(resume)["population"]["number_of_students"] == students
    assert (f"  ✓ Number of students: {students} (follows from your other answers; you can change it at the "
            "review)") in terminal.transcript


def test_the_review_lists_an_input_a_clause_needs_only_given_other_answers(tmp_path: Path) -> None:
    # A contract paid from federal funds prints a termination notice period: unfilled, the review names it, as
    # `generate` would when refusing the final contract (the model alone cannot call it required).
    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))  # paid from state or local funds
    result, terminal = drive([
        (REVIEW, choose(3)),
        (EDIT_SECTION, section("payments")),
        *[(title, ENTER) for title in ("Days to pay", "Payment approver", "Finance office", "Maximum budget")],
        ("Funding source", choose(2)),  # federal
        ("Federal program", ENTER),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    assert "Unfilled inputs: 1" in terminal.transcript
    assert any(line.startswith("  • Section L") and "Termination notice (calendar days)" in line
               for line in terminal.transcript)


def test_a_name_and_title_on_one_line_is_split_and_a_line_without_a_title_is_refused(tmp_path: Path) -> None:
    resume = write_answers(tmp_path, sample_data("ses_campus"), "ses_campus.json")
    result, terminal = drive([
        ("Documents forming the entire agreement: what next?", ENTER),  # resumed at the last list: done
        (REVIEW, choose(3)),
        (EDIT_SECTION, ses_section("administration")),
        ("Meeting notice", ENTER),
        ("Marketing approver", typed("Ana Diaz") + CLEAR + "Ana Diaz, Jr., Director, Federal Programs" + ENTER),
        ("Clearance verifier", ENTER),  # pre-filled "Kevin Osei, Coordinator, Professional Standards": kept
        ("SES software support rate", ENTER),
        (REVIEW, QUIT),
    ], resume=resume, out=tmp_path)
    assert isinstance(result, WizardResult)
    administration = saved(resume)["administration"]
    assert (administration["marketing_approver"], administration["marketing_approver_title"]) == (
        "Ana Diaz, Jr.", "Director, Federal Programs")
    assert administration["clearance_verifier_title"] == "Coordinator, Professional Standards"
    assert ("✗ 'Ana Diaz' needs a name and a title: write the name, a comma, then the title, like “Denise Carter, "
            "President”") in terminal.transcript
    assert ("  ✓ Marketing approver: Ana Diaz, Jr. · Marketing approver's title: Director, Federal Programs"
            in terminal.transcript)


def test_an_address_and_a_span_of_dates_are_read_from_one_line() -> None:
    from obc_builder.wizard.together import ADDRESS, SPAN, join, split

    assert split(ADDRESS, "415 Palm Avenue, Suite 200, Sunshine City, FL, 32303", 4) == [
        "415 Palm Avenue, Suite 200", "Sunshine City", "FL", "32303"]
    assert split(ADDRESS, " ", 4) == [None] * 4  # left empty: every part left to fill in later
    with pytest.raises(ValueError, match="not a whole address on one line"):
        split(ADDRESS, "415 Palm Avenue Sunshine City FL 32303", 4)
    assert split(SPAN, "January 5, 2026 – January 30, 2026", 2) == ["January 5, 2026", "January 30, 2026"]
    with pytest.raises(ValueError, match="not a span of dates"):
        split(SPAN, "January 5, 2026", 2)
    assert join(ADDRESS, ["1 Main St", "Tampa", "FL", "33602"]) == "1 Main St, Tampa, FL 33602"
