"""The Florida SES family: samples, assembly, one row per rule, optional clauses and fidelity to Appendix I."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Document, Heading, Paragraph, Table, plain
from obc_builder.errors import InvalidInput
from obc_builder.generate import render_outputs
from obc_builder.library import as_corrected, as_in_source, family_meta, load_library
from obc_builder.loading import contract_from_data, load_contract
from obc_builder.models.base import missing_inputs
from obc_builder.models.ses import SesContract
from obc_builder.models.types import Money
from obc_builder.policy import Policy
from obc_builder.rules import ses as ses_rules
from obc_builder.rules.engine import Finding, Severity, evaluate_rules, rules_for

from .conftest import ROOT, SOURCES, sample_data

SAMPLES = ["ses_campus", "ses_online"]
SEED = SOURCES / "002_fdoe_ses_provider_contracts.txt"


def _contract(data: dict[str, Any]) -> SesContract:
    contract = contract_from_data(data, "case.json")
    assert isinstance(contract, SesContract)
    return contract


def _document(data: dict[str, Any], draft: bool = False) -> Document:
    return assemble(_contract(data), draft=draft)


def _block_texts(document: Document) -> list[str]:
    """The plain text of each heading and paragraph, and of each line of each table cell."""
    texts: list[str] = []
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            texts.append(plain(block.content))
        elif isinstance(block, Table):
            texts += [plain(line) for row in block.rows for cell in row for line in cell]
    return texts


def _findings(data: dict[str, Any]) -> list[Finding]:
    return evaluate_rules(_contract(data), Policy())


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_loads_with_every_input_filled(sample: str) -> None:
    contract = load_contract(ROOT / "samples" / f"{sample}.json")
    assert isinstance(contract, SesContract)
    assert missing_inputs(contract) == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_assembles_with_no_placeholder_or_template_code_left(sample: str) -> None:
    document = assemble(load_contract(ROOT / "samples" / f"{sample}.json"))
    assert document.missing() == []
    for run in document.runs():
        assert "[insert" not in run.text
        assert "{{" not in run.text and "{%" not in run.text and "}}" not in run.text
    assert document.district.startswith("The School Board of ")


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_passes_every_error_rule(sample: str) -> None:
    findings = _findings(sample_data(sample))
    assert [f.line() for f in findings if f.severity is Severity.error] == []


def test_campus_sample_meets_every_recommendation_and_online_sample_is_signed_late() -> None:
    assert _findings(sample_data("ses_campus")) == []
    online = _findings(sample_data("ses_online"))
    assert [(f.rule, f.path) for f in online] == [("SES-POL-009", "term.contract_date")]


def test_figures_are_derived_from_fees_schedule_and_dates() -> None:
    figures = _contract(sample_data("ses_campus")).figures()
    assert figures.service_months == 5  # October to February
    assert figures.max_sessions_per_student == 40
    assert figures.per_student_maximum == Decimal("1350.00")
    assert figures.session_fee_hourly == Decimal("45.00")
    assert figures.scheduled_weekly_minutes == 90
    assert figures.remaining_pct == Decimal(20)


Edit = Callable[[dict[str, Any], pytest.MonkeyPatch], None]


def _set(**values: Any) -> Edit:
    """Set ``group__field=value`` inputs of the sample."""

    def edit(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
        for key, value in values.items():
            group, name = key.split("__")
            data[group][name] = value

    return edit


def _drop_clause(clause_id: str) -> Edit:
    """A clause library without ``clause_id`` (as if a district had deleted the file)."""

    def edit(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
        library = tuple(c for c in load_library("ses") if c.id != clause_id)
        monkeypatch.setattr(ses_rules, "load_library", lambda family: library)

    return edit


def _unchanged(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    return None


# rule id, an edit of the campus sample that triggers it, one that just passes it, words the message must name
CASES: list[tuple[str, Edit, Edit, tuple[str, ...]]] = [
    ("SES-STAT-001", _set(service__start_by="2025-10-16"), _set(service__start_by="2025-10-15"),
     ("October 16, 2025", "October 15, 2025")),
    ("SES-STAT-002", _set(service__start_by="2025-10-14"), _set(service__start_by="2025-10-15"),
     ("October 14, 2025", "October 15, 2025")),
    ("SES-STAT-003", _set(term__contract_date="2025-10-01", service__start_by="2025-10-15"),
     _set(term__contract_date="2025-10-01", service__start_by="2025-10-21"),
     ("October 1, 2025", "14 days", "October 21, 2025")),
    ("SES-STAT-004", _set(incentives__cap_per_student="50.01"), _set(incentives__cap_per_student="50"),
     ("$50.01", "$50")),
    ("SES-STAT-005", _set(incentives__earned_by=["achievement", "enrollment"]),
     _set(incentives__earned_by=["attendance"]),
     ("must be earned by achievement or enrollment with the PROVIDER", "never for enrollment with the PROVIDER")),
    ("SES-STAT-006", _drop_clause("d03_prohibition_of_disclosure"), _unchanged,
     ("identity", "Section 3.C, PROHIBITION OF DISCLOSURE")),
    ("SES-PAY-001", _set(fees__hourly_compensation="52.01"), _set(fees__hourly_compensation="52"),
     ("$52.01", "$52")),
    ("SES-PAY-002", _set(fees__per_pupil_allocation="1349.99"), _set(fees__per_pupil_allocation="1350"),
     ("$1,350", "$1,349.99", "40 sessions", "per-pupil allocation", "lesser")),
    ("SES-PAY-003", _set(fees__per_session_fee="39.01"), _set(fees__per_session_fee="39"),
     ("$39.01", "$52.01", "$52")),
    ("SES-POL-001", _set(slp__goals_min=2), _set(slp__goals_min=3), ("2 goals", "at least 3 goals")),
    ("SES-POL-002", _set(slp__goals_max=6), _set(slp__goals_max=5), ("6 goals", "at most 5 goals")),
    ("SES-POL-003", _set(service__weekly_hour_limit=7), _set(service__weekly_hour_limit=6),
     ("7 hours", "at most 6 hours")),
    ("SES-POL-004", _set(compliance__withhold_cure_days=15), _set(compliance__withhold_cure_days=14),
     ("15 calendar days", "at most 14 calendar days")),
    ("SES-POL-005", _set(compliance__termination_notice_days=19), _set(compliance__termination_notice_days=21),
     ("19 calendar days", "at least 20 calendar days")),
    ("SES-POL-006", _set(compliance__records_years=4), _set(compliance__records_years=5),
     ("4 years", "at least 5 years")),
    ("SES-POL-007", _set(progress__to_board="every_six_weeks"), _set(progress__to_board="weekly"),
     ("every six weeks", "1.4 months", "every 1 month")),
    ("SES-POL-008", _set(facilities__students_per_classroom=11), _set(facilities__students_per_classroom=10),
     ("11 students", "at most 10 students")),
    ("SES-POL-009", _set(term__term_end="2026-05-31"), _set(term__term_end="2026-06-30"),
     ("May 31, 2026", "July 1, 2025 to June 30, 2026")),
    ("SES-POL-010", _set(service__reassignment_pct=75), _set(service__reassignment_pct=80), ("75%", "at least 80%")),
]


SEVERITY = {"SES-PAY-002": Severity.info}
"""Rules that are neither a statute nor the money (errors) nor a recommendation (warnings)."""


def test_every_ses_rule_has_a_case() -> None:
    assert sorted(rule_id for rule_id, *_ in CASES) == [r.id for r in rules_for("ses")]


@pytest.mark.parametrize(("rule_id", "trigger", "passing", "names"), CASES, ids=[c[0] for c in CASES])
def test_rule_triggers_on_its_case_and_passes_next_to_it(
    rule_id: str, trigger: Edit, passing: Edit, names: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_data("ses_campus")
    passing(data, monkeypatch)
    assert rule_id not in [f.rule for f in _findings(data)]

    data = sample_data("ses_campus")
    trigger(data, monkeypatch)
    found = [f for f in _findings(data) if f.rule == rule_id]
    assert found, f"{rule_id} did not fire"
    finding = found[0]
    expected = SEVERITY.get(rule_id, Severity.warning if "-POL-" in rule_id else Severity.error)
    assert finding.severity is expected
    assert finding.message.endswith(".") and finding.fix and finding.source and finding.path
    for words in names:
        assert words in finding.message, f"{rule_id}: {words!r} not in {finding.message!r}"


def test_fees_above_the_allocation_are_what_the_lesser_of_clause_is_for() -> None:
    data = sample_data("ses_campus")
    data["fees"]["per_pupil_allocation"] = "1000"  # 40 sessions at $33.75 = $1,350
    findings = _findings(data)
    assert [(f.rule, f.severity) for f in findings] == [("SES-PAY-002", Severity.info)]
    files, _ = render_outputs(_contract(data), source="case.json", name="case")  # a final contract: not refused
    text = files["case.md"].decode("utf-8")
    assert "shall be the lesser of: (1) the costs of the services provided; or (2) $1,000, which is the district’s " \
           "per-pupil Title I allocation." in text


def _clause_texts(document: Document, clause_id: str) -> list[str]:
    """The plain text of each heading and paragraph one clause adds to the contract."""
    return [plain(b.content) for b in document.blocks
            if isinstance(b, (Heading, Paragraph)) and b.clause == clause_id]


def test_a_provider_without_incentives_gets_a_contract_that_limits_them_to_zero() -> None:
    data = sample_data("ses_campus")
    data["incentives"] = {"cap_per_student": "0"}
    contract = _contract(data)
    assert missing_inputs(contract) == [] and _findings(data) == []
    document = assemble(contract)
    assert document.missing() == []
    assert _clause_texts(document, "d16_incentives") == [
        "P. INCENTIVES",
        "PROVIDER must limit student incentives as follows:",
        "I. Must not exceed a total of zero dollars ($0.00) per student for all incentives;",
        "II. Incentives must be earned by achievement or attendance;",
        "III. PROVIDER may not use the availability of achievement or attendance incentives in its marketing efforts "
        "prior to student sign-up. Only students signed-up with a PROVIDER may be informed of achievement or "
        "attendance incentives.",
        "PROVIDER shall not provide parent incentives.",
    ]


def test_what_earns_incentives_prints_the_chosen_bases_or_the_sample_contracts_words() -> None:
    data = sample_data("ses_campus")
    data["incentives"]["earned_by"] = ["attendance"]
    assert "II. Incentives must be earned by attendance;" in _block_texts(_document(data))
    data["incentives"]["earned_by"] = []
    assert "II. Incentives must be earned by achievement or attendance;" in _block_texts(_document(data))
    draft = _block_texts(_document({"family": "ses"}, draft=True))
    assert "I. Must not exceed a total of [insert Incentive limit per student] per student for all incentives;" in draft


def _money_paths(model: Any, prefix: str = "") -> list[str]:
    """The path of every money input of a model (``fees.per_session_fee``, ...)."""
    paths = []
    for name, info in model.model_fields.items():
        inner = next((a for a in getattr(info.annotation, "__args__", ()) if hasattr(a, "model_fields")), None)
        if hasattr(info.annotation, "model_fields") or inner is not None:
            paths += _money_paths(inner or info.annotation, f"{prefix}{name}.")
        elif info.annotation == (Money | None):
            paths.append(f"{prefix}{name}")
    return paths


def test_a_zero_amount_prints_as_money_wherever_the_contract_prints_one() -> None:
    data = sample_data("ses_campus")
    paths = _money_paths(SesContract)
    assert len(paths) >= 10
    for path in paths:
        group, name = path.split(".")
        data[group][name] = "0"
    document = _document(data, draft=True)
    printed = [run for run in document.runs() if run.path in paths]
    # the state-approved rate is never printed; the incentive limit prints in words and figures, as one value
    assert {run.path for run in printed} == set(paths) - {"fees.state_approved_hourly_rate"}
    assert [run.text for run in printed if run.text not in ("$0", "zero dollars ($0.00)")] == []
    assert "I. Must not exceed a total of zero dollars ($0.00) per student for all incentives;" in _block_texts(document)


def test_a_negative_zero_prints_as_zero_dollars() -> None:  # fixed in shared code by 4441ce4
    data = sample_data("ses_campus")
    data["fees"]["per_session_fee"] = "-0"
    printed = [run.text for run in _document(data).runs() if run.path == "fees.per_session_fee"]
    assert printed == ["$0"]


def test_one_finding_per_cause_naming_its_field_in_the_contracts_words(monkeypatch: pytest.MonkeyPatch) -> None:
    data = sample_data("ses_campus")
    _drop_clause("d09_student_learning_plan")(data, monkeypatch)  # carries four of NCLB's components
    [finding] = _findings(data)
    assert (finding.rule, finding.path) == ("SES-STAT-006", "d09_student_learning_plan")
    assert finding.message.startswith("the contract lacks Section 3.I, STUDENT LEARNING PLAN (SLP), which carries the "
                                      "student's specific achievement goals, how the student's progress will be "
                                      "measured, a timetable for improving achievement and consistency with the IEP")
    assert set(ses_rules.NCLB_CLAUSES) == {i for _, ids in ses_rules.NCLB_COMPONENTS for i in ids}
    monkeypatch.undo()

    data = sample_data("ses_campus")  # signed late and a start before October 15: one cause, the start-by date
    data["term"]["contract_date"], data["service"]["start_by"] = "2025-10-01", "2025-10-10"
    [finding] = [f for f in _findings(data) if f.severity is Severity.error]
    assert (finding.rule, finding.path) == ("SES-STAT-003", "service.start_by")
    assert "October 21, 2025" in finding.fix

    data = sample_data("ses_online")
    data["schedule"]["session_minutes"] = 45  # $40 for at least 45 minutes: one cause, three inputs
    [finding] = [f for f in _findings(data) if f.rule == "SES-PAY-003"]
    assert finding.paths == ("fees.per_session_fee", "schedule.session_minutes", "schedule.session_length",
                             "fees.state_approved_hourly_rate")

    for rule_id, trigger, _, _ in CASES:  # messages speak the contract's words, not the input file's
        data = sample_data("ses_campus")
        trigger(data, monkeypatch)
        findings = _findings(data)
        assert len({(f.rule, f.path) for f in findings}) == len(findings), rule_id
        for found in findings:
            assert not re.search(r"\b[a-z]+\.[a-z_]+\b", found.message.replace("F.S.", "")), (rule_id, found.message)
        monkeypatch.undo()


def test_progress_reports_are_checked_for_every_recipient() -> None:
    data = sample_data("ses_campus")
    data["progress"].update(to_parents="every_nine_weeks", to_school="every_six_weeks", to_board="every_two_weeks")
    paths = [f.path for f in _findings(data) if f.rule == "SES-POL-007"]
    assert paths == ["progress.to_parents", "progress.to_school"]
    texts = _block_texts(_document(data))
    assert texts[texts.index("To parents") + 1] == "Other: every nine weeks"
    assert texts[texts.index("To the Board") + 1] == "Other: every two weeks"


def test_a_district_policy_changes_the_sample_values() -> None:
    data = sample_data("ses_campus")
    data["compliance"]["records_years"] = 4
    relaxed = Policy().with_overrides({"ses.records_years": 3}, "district.yaml")
    assert [f.rule for f in evaluate_rules(_contract(data), relaxed)] == []


def test_rules_skip_what_a_draft_has_not_filled_in() -> None:
    assert evaluate_rules(contract_from_data({"family": "ses"}, "empty.json"), Policy()) == []


def test_an_empty_draft_assembles_with_placeholders() -> None:
    document = _document({"family": "ses"}, draft=True)
    missing = {run.path for run in document.missing()}
    assert {"parties.county", "term.contract_date", "fees.per_session_fee", "service.start_by"} <= missing
    texts = _block_texts(document)
    assert "PROVIDER shall limit tutoring to [insert Tutoring limit (hours per week)] hours per week." in texts


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"compliance": {"withhold_cure_days": 20, "termination_notice_days": 20}}, "must be shorter"),
        ({"slp": {"goals_min": 5, "goals_max": 3}}, "more than the most"),
        ({"term": {"contract_date": "2025-07-01", "term_end": "2025-07-01"}}, "term.term_end"),
        ({"service": {"start_by": "2025-10-15", "last_service_day": "2025-10-14"}},
         "the last day of service (service.last_service_day), October 14, 2025, must be on or after the date "
         "services start by (service.start_by), October 15, 2025"),
        ({"term": {"term_end": "2026-02-26"}, "service": {"last_service_day": "2026-02-27"}},
         "the end of the contract term (term.term_end), February 26, 2026, must be on or after the last day of "
         "service (service.last_service_day), February 27, 2026"),
        ({"service": {"weekly_hour_limit": 1}, "schedule": {"sessions_per_week": 2, "session_minutes": 45}},
         "the schedule, 2 sessions a week (schedule.sessions_per_week) of 45 minutes (schedule.session_minutes), is "
         "90 minutes a week, more than the tutoring limit of 1 hour per week (service.weekly_hour_limit)"),
        ({"schedule": {"sessions_per_week": 1, "sessions_per_month": 6}}, "are more than a month of 1 session a week"),
        ({"term": {"school_year": "2025-2027"}}, "not a school year"),
        ({"invoicing": {"due_day": 31}}, "due_day"),
    ],
    ids=["cure-inside-notice", "goals-ordered", "term-after-signing", "service-after-start", "term-after-service",
         "schedule-within-limit",
         "sessions-per-month", "school-year", "due-day"],
)
def test_inconsistent_inputs_are_refused_where_the_file_is_loaded(data: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        contract_from_data({"family": "ses", **data}, "bad.json")
    assert words in str(caught.value)


def test_a_session_length_is_printed_exact_or_as_a_minimum() -> None:
    campus = _block_texts(_document(sample_data("ses_campus")))
    assert campus[campus.index("Time/Day of Sessions:") + 1:][:2] == [
        "Tuesday and Thursday, 3:15 p.m. – 4:00 p.m.", "45 minutes per session"]
    online = _block_texts(_document(sample_data("ses_online")))
    assert online[online.index("Time/Day of Sessions:") + 1:][:2] == [
        "Monday and Wednesday from 6:00 p.m., or another time agreed with the parent", "At least 60 minutes per session"]
    draft = _block_texts(_document({"family": "ses"}, draft=True))
    assert "[insert Session length is] [insert Session length (minutes)] minutes per session" in draft


def test_a_minimum_session_length_is_checked_as_the_least_a_session_lasts() -> None:
    data = sample_data("ses_online")  # 2 sessions a week of at least 60 minutes, a limit of 6 hours
    data["schedule"].update(sessions_per_week=6, sessions_per_month=24)
    data["fees"]["per_pupil_allocation"] = "4000"
    assert [f.rule for f in _findings(data) if f.severity is not Severity.warning] == []  # 6 hours: within it
    data["schedule"]["sessions_per_week"] = 7
    with pytest.raises(InvalidInput) as caught:
        _contract(data)
    assert "7 sessions a week (schedule.sessions_per_week) of at least 60 minutes (schedule.session_minutes), is " \
           "at least 420 minutes a week, more than the tutoring limit of 6 hours per week" in str(caught.value)
    data = sample_data("ses_online")
    data["schedule"]["session_minutes"] = 45  # $40 for at least 45 minutes: up to $53.33 an hour
    [finding] = [f for f in _findings(data) if f.rule == "SES-PAY-003"]
    assert "for a session of at least 45 minutes is up to $53.33 per hour" in finding.message


def test_the_contract_states_one_end_of_services_and_derives_the_last_invoice_day_from_it() -> None:
    data = sample_data("ses_campus")
    texts = _block_texts(_document(data))
    invoices = next(t for t in texts if "the last day that PROVIDER may provide SES will be" in t)
    assert "the last day that PROVIDER may provide SES will be February 27, 2026." in invoices
    assert "Invoices are due the 10th of the month following services rendered." in invoices
    assert invoices.endswith("The last day to submit an invoice will be March 10, 2026.")
    assert "PROVIDER must continue to provide Supplemental Educational Services to eligible students who are " \
           "receiving such services until February 27, 2026, or until exhaustion" in "\n".join(texts)

    data["service"]["last_service_day"] = "2025-12-19"
    data["invoicing"]["due_day"] = 5
    assert _contract(data).figures().last_invoice_date == date(2026, 1, 5)  # the month after December
    texts = _block_texts(_document(data))
    assert any(t.endswith("The last day to submit an invoice will be January 5, 2026.") for t in texts)


@pytest.mark.parametrize("old", [{"service": {"last_day_of_school": "2026-05-28"}},
                                 {"invoicing": {"last_invoice_date": "2026-03-13"}}], ids=["last-day-of-school",
                                                                                          "last-invoice-date"])
def test_a_second_end_of_services_is_no_longer_an_input(old: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        contract_from_data({"family": "ses", **old}, "old.json")


def test_a_draft_without_the_last_day_of_service_asks_for_it_where_the_last_invoice_day_prints() -> None:
    data = sample_data("ses_campus")
    del data["service"]["last_service_day"]
    texts = _block_texts(_document(data, draft=True))
    assert any(t.endswith("The last day to submit an invoice will be [insert Last day of service].") for t in texts)


def test_checkbox_lists_print_the_chosen_options_only() -> None:
    campus = _block_texts(_document(sample_data("ses_campus")))
    online = _block_texts(_document(sample_data("ses_online")))
    assert "• Small Group" in campus and "• School campus" in campus and "• Online" not in campus
    assert "• Online" in online and "• One-on-One" in online
    assert "• Student’s home (on-line or computer-based)" in online and "• School campus" not in online
    schedule = [(who, texts[texts.index(who) + 1]) for texts in (campus, online)
                for who in ("To parents", "To the school", "To the Board")]
    assert schedule == [("To parents", "Monthly"), ("To the school", "Monthly"), ("To the Board", "Monthly"),
                        ("To parents", "Weekly"), ("To the school", "Monthly"), ("To the Board", "Monthly")]


ON_SITE = {
    "d14_control_of_students": "The PROVIDER must escort all students to the proper caregiver or approved means of "
                               "transportation at the end of service.",
    "d11_student_records": "A student signature will only be accepted in the event that the PROVIDER has received "
                           "written notice from the parent that the student is to walk home.",
}
"""Wording about students on site (escorting, signing out), with a sentence of each clause that carries it."""


def _letters(document: Document) -> list[str]:
    """The letters of the lettered sections of Section 3 (A. MEETINGS ... X. REQUIRED DOCUMENTS, Y. ...)."""
    headings = [plain(b.content) for b in document.blocks if isinstance(b, Heading) and b.level <= 2]
    section = headings[headings.index("3. PROVIDER OBLIGATIONS") + 1:headings.index("4. RIGHT TO WITHHOLD")]
    return [heading.split(".")[0] for heading in section]


def test_escorting_and_signing_out_students_are_only_in_a_contract_with_sessions_on_site() -> None:
    campus = "\n".join(_block_texts(_document(sample_data("ses_campus"))))
    online_data = sample_data("ses_online")
    online = _document(online_data)
    assert online_data["schedule"]["locations"] == ["home_online"]
    assert [s for s in ON_SITE.values() if s not in campus] == []
    assert [s for s in ON_SITE.values() if s in "\n".join(_block_texts(online))] == []
    assert "d14_control_of_students" not in [c.id for c in online.clauses]
    texts = _block_texts(online)
    assert texts[texts.index("I. ATTENDANCE ROSTERS") + 1].startswith(
        "The MONTHLY Attendance Roster should include the name of each student, name of PROVIDER, the employee who "
        "rendered the service, and the start time and end time of such service. The student’s tutor should sign the "
        "bottom of each attendance record")
    for place in ("home_with_tutor", "provider_facility", "public_site"):  # a student somewhere in person
        data = sample_data("ses_online")
        data["schedule"]["locations"] = ["home_online", place]
        assert [s for s in ON_SITE.values() if s not in "\n".join(_block_texts(_document(data)))] == []
    draft = "\n".join(_block_texts(_document({"family": "ses"}, draft=True)))  # no location chosen yet: kept
    assert [s for s in ON_SITE.values() if s not in draft] == []


def test_the_sections_after_control_of_students_move_up_a_letter_when_it_is_left_out() -> None:
    campus = _document(sample_data("ses_campus"))
    assert _letters(campus) == [*"ABCDEFGHIJKLMNOPQRSTUVWX"]  # Appendix I's Section 3, A. MEETINGS to X.
    assert {"N. CONTROL OF STUDENTS", "O. MONTHLY INVOICES", "X. REQUIRED DOCUMENTS"} <= set(_block_texts(campus))
    online = _document(sample_data("ses_online"))
    assert _letters(online) == [*"ABCDEFGHIJKLMNOPQRSTUVW"]
    assert {"M. TUTORING SERVICES", "N. MONTHLY INVOICES", "W. REQUIRED DOCUMENTS"} <= set(_block_texts(online))


def test_optional_provisions_are_no_longer_an_input() -> None:
    # The transportation, accident/incident, child abuse and supervision clauses were written for the project, not
    # copied from a source: they are gone, and a file that still switches one on is refused, not silently ignored.
    # Appendix I's own words on accidents and child abuse stay in Section 3.G.VII (TUTOR TRAINING) and 3.X.
    for switch in ("transportation", "accident_incident_procedure", "child_abuse_reporting", "student_supervision"):
        with pytest.raises(InvalidInput, match="provisions"):
            contract_from_data({"family": "ses", "provisions": {switch: True}}, "old.json")
    ids = [c.id for c in load_library("ses")]
    assert not {"d25_transportation", "d26_accident_incident_report", "d27_child_abuse_reporting",
                "d28_supervision_of_students"} & set(ids)
    assert ids[ids.index("d24_required_documents") + 1] == "e01_right_to_withhold"


def _resolves(path: str) -> bool:
    """Whether a dotted path (``parties.provider_address.street``) names a field of the SES model."""
    model: Any = SesContract
    for part in path.split("."):
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            return False
        model = fields[part].annotation
        model = next((a for a in getattr(model, "__args__", ()) if hasattr(a, "model_fields")), model)
    return True


def test_every_field_a_clause_names_exists_in_the_model() -> None:
    roots = "|".join(name for name in SesContract.model_fields if name != "family")
    for clause in load_library("ses"):
        found = re.findall(rf"\b(?:{roots})(?:\.[a-z_]+)+", clause.body + (clause.when or ""))
        used = {path.removesuffix(".value") for path in found}  # .value reads the input through its wrapper
        used |= set(clause.fields)
        assert [p for p in sorted(used) if not _resolves(p)] == [], clause.id


def test_values_are_data_never_template_code() -> None:
    data = sample_data("ses_campus")
    data["parties"]["provider_name"] = "{{ 7*7 }} | # Tutors"
    texts = _block_texts(_document(data))
    assert "Name of State-Approved SES Provider: {{ 7*7 }} | # Tutors" in texts


# Sentences copied from Appendix I (line breaks joined), from every section of the sample contract. Those with a
# filled blank use the campus sample's value, which equals the sample contract's own (six hours, 14 days, ...).
FIXED_SENTENCES = [
    "TITLE I SUPPLEMENTAL EDUCATIONAL SERVICES CONTRACT",
    "Supplemental Educational Services Provider (hereinafter referred to as the “PROVIDER”) for the purpose of "
    "providing Supplemental Educational Services (SES) to eligible students.",
    "WHEREAS, PROVIDER is specially trained, experienced and competent to perform the SES required by DISTRICT, and "
    "such services are needed on a limited basis; and",
    "WHEREAS, No Child Left Behind Act, 20 U.S.C. Section 6316(e) outlines the requirements for Supplemental "
    "Educational Services; and",
    "Parent/Guardian – For the purpose of this contract, a parent is the natural or adoptive parent, legal guardian, "
    "or surrogate parent as indicated by the judicial system.",
    "NOW, THEREFORE, IN CONSIDERATION OF THE MUTUAL PROMISES CONTAINED HEREIN, it is agreed between the parties as "
    "follows:",
    "This contract shall become effective upon full execution of the contract by both parties and shall remain in "
    "force until",
    "It is the PARENT’S sole responsibility to complete the Student Enrollment Form.",
    "Once a parent selects a PROVIDER for their child(ren) and after the contract with the DISTRTICT is signed, the "
    "DISTRICT must notify the PROVIDER within 20 school days after the close of each enrollment period of the "
    "student’s name, school, and address and telephone of record, and allow the PROVIDER to initiate contact with "
    "the student’s parents for the provision of SES.",
    "(including pervious year’s Florida Comprehensive Assessment Test (FCAT) scores, Dynamic Indicators of Basic "
    "Early Literacy Skills (DIBELS), results of formative benchmark assessments, etc.)",
    "PROVIDER may not charge DISTRICT for students who do not attend tutoring session as scheduled.",
    "DISTRICT will not pay more than the per pupil allocation amount as determined and published be the Florida "
    "Department of Education.",
    "If the provider improves its services to the district’s satisfaction within that 30-day period, there shall be "
    "no interruption in payment.",
    "Agree to make available to PROVIDER (in a timely fashion) clearly written information of all DISTRICT policies "
    "related to SES and the features and proper use of all DISTRICT SES software.",
    "will notify PROVIDER of the meeting times and dates no later than 10 business days prior to the meeting.",
    "A waiver of subrogation should be included on the General Liability policy as well as the Worker’s "
    "Compensation policy.",
    "B. Worker Compensation Insurance (If a provider is entreating board premises for services, a waiver of "
    "subrogation must be provided.)",
    "PROVIDER must not disclose to the public the identity of any student eligible for, or receiving Supplemental "
    "Educational Services without the written permission of the parent/guardian of such student.",
    "PROVIDER must not defame the DISTRICT in any way or at any time, including but not limited to recruiting, "
    "advertising, presentations, publications, and parent conferences.",
    "DISTRICT must notify PROVIDER of either approval or disapproval of marketing materials no later than ten days "
    "from receipt by DISTRICT.",
    "PROVIDER employees already listed in the Vendor Clearance Database and existing DISTRICT employees will not "
    "need to be re-fingerprinted as they are already in the background clearance database.",
    "PROVIDER agrees to provide annual training to all its employees regarding mandated reporting of child abuse "
    "and missing children.",
    "PROVIDER agrees to keep the DISTRICT’S SES software up to date within two weeks of services rendered.",
    "PROVIDER shall submit no more than five (5) but at least three (3) goals on each student’s SLP.",
    "One average size classroom may be used to tutor no more than 10 students at any one time.",
    "A student signature will only be accepted in the event that the PROVIDER has received written notice from the "
    "parent that the student is to walk home.",
    "If requested by the DISTRICT or a parent, the PROVIDER shall give these reports in the following languages: "
    "English, Spanish, Creole, and Portuguese.",
    "PROVIDER must be able to provide services to eligible students no later than October 15, 2025, contingent upon "
    "receipt of the DISTRICT approved student enrollment list being provided at least 20 days prior to the start "
    "date.",
    "PROVIDER will be given an additional fifteen (15) calendar days to begin services with the remaining 20% of "
    "students.",
    "PROVIDER shall limit tutoring to six (6) hours per week.",
    "Such services shall include all of the accommodations stated in the student’s IEP, LEP Plan, and 504 Plan if "
    "applicable.",
    "Tutoring that extends beyond six (6) hours per week will not be paid by DISTRICT.",
    "I. Must not exceed a total of fifty dollars ($50.00) per student for all incentives;",
    "PROVIDER shall not provide parent incentives.",
    "During the term of this agreement, and for five years thereafter, the provider shall maintain detailed records "
    "of all the services rendered pursuant to this contract,",
    "All materials used by PROVIDER are subject to federal law regarding copyrights and patents.",
    "II. Accident/Incident reporting procedures as described in the Accident/Incident Report Section of this "
    "contract.",
    "If deficiency is not corrected within fourteen (14) calendar days, the DISTRICT will give written notice to "
    "terminate this contract.",
    "The fourteen (14) day notice of intent to withhold will be counted as part of the twenty (20) calendar day "
    "written notice.",
    "B. This Contract may be terminated if PROVIDER is unable to meet the agreed-upon goals and timetables as "
    "established in the student’s SLP.",
    "No funds made available shall be used in any way for lobbying or fundraising activities.",
    "This contract in no way gives exclusivity to the PROVIDER for services rendered under the SES program.",
    "The determination of DISTRICT shall be made by the Superintendent’s designee, and shall be made in writing.",
    "This Contract may be modified or amended only by a written document signed by authorized representatives of "
    "PROVIDER and DISTRICT.",
    "All correspondence to PROVIDER will be provided to the address as noted on the PROVIDER’S state approved "
    "application unless DISTRICT is otherwise notified in writing.",
    "If any provision of this Contract is held in whole or in part to be unenforceable by DISTRICT for any reason, "
    "the remainder of that provision and of the entire Agreement shall be severable and remain in effect.",
    "These documents supersede any prior or understanding or agreement with respect to the services contemplated.",
    "Each party signing this contract on behalf of either party individually warrants that he or she has full legal "
    "power to execute the contract on behalf of the party for whom he or she is signing and to bind and obligate "
    "such party with respect to all provisions contained in the contract.",
]


def _seed_text() -> str:
    """Appendix I of the seed as one line: page numbers and bullet marks dropped, broken lines rejoined."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("THE SCHOOL BOARD OF ____"))
    kept = [line.strip() for line in lines[start:] if not re.fullmatch(r"\d{2}|•", line.strip())]
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "-", " ".join(kept))  # a word broken at a hyphen
    return re.sub(r"\s+,", ",", text)  # a comma the extraction moved to the next line


def test_the_fixed_sentences_are_copied_from_appendix_i() -> None:
    seed = _seed_text()
    assert len(FIXED_SENTENCES) >= 25
    missing = [s for s in FIXED_SENTENCES if re.sub(r"\b2025\b", "20__", s.replace(", 2025,", ", 20__,")) not in seed]
    assert missing == []


def test_every_fixed_sentence_is_in_the_campus_contract() -> None:
    """As Appendix I prints them, but for the errors the clauses correct and record (``errata:``)."""
    text = "\n".join(_block_texts(_document(sample_data("ses_campus"))))
    corrected = [as_corrected(s, load_library("ses")) for s in FIXED_SENTENCES]
    assert [s for s in corrected if s not in text] == []
    assert "DISTRTICT" not in text and "pervious" not in text and "published be" not in text


# Lines of the sample contract that are form layout, not wording: checkbox options (the contract prints the
# chosen ones), the "check" instructions, and the two-column labels of the optional notice contact.
FORM_LINES = {
    "Check and complete all that apply.", "Online", "One-on-One", "Small Group", "Large Group",
    "Check all that apply.", "School campus", "Provider facility", "Faith-based center", "Community-based center",
    "Student’s home (on-line or computer-", "based)", "Child Care Center", "Public site such as public library",
    "Student’s home with tutor present", "To parents Weekly", "To the school Weekly", "To the Board Monthly",
    "Monthly", "Other ___________", "Name / Title Address", "Date / Phone number City / State / Zip Code",
    "Authorized name, contact number and address for sending notice and information if", "different from above:",
}
_BLANK = (r"_{2,}\s*(?:\((?:name|title|address|date|day|last day of school|name, title, address)\))?"
          r"|\$\s*_+|20__-20__|20__|2008-\s?2009")


def appendix_fragments() -> list[str]:
    """Every stretch of Appendix I wording between two blanks, sentence by sentence (form lines left out), with the
    errors the clauses correct and record (``errata:``) corrected."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("THE SCHOOL BOARD OF ____"))
    signature = next(i for i, line in enumerate(lines) if line == "Signature Page")
    prose = [line.strip() for line in lines[start:signature] if line.strip() not in FORM_LINES]
    prose = [line for line in prose if not re.fullmatch(r"\d{2}|•", line)]
    text = re.sub(r"\s+,", ",", re.sub(r"(?<=[a-z])- (?=[a-z])", "-", " ".join(prose)))
    text = as_corrected(text, load_library("ses"))
    # the signature page is a form: each of its lines is a fragment of its own
    chunks = [text] + [line.strip() for line in lines[signature:] if line.strip() not in FORM_LINES]
    fragments = []
    for chunk in chunks:
        for piece in re.split(_BLANK, chunk):
            for sentence in re.split(r"(?<=[.;:])\s+", piece):
                sentence = sentence.strip(" ,.")
                if len(sentence) > 12 and re.search(r"[a-z]{3}", sentence):
                    fragments.append(sentence)
    return fragments


def test_all_of_appendix_i_is_in_the_campus_contract() -> None:
    fragments = appendix_fragments()
    assert len(fragments) > 300
    text = re.sub(r"\s+", " ", "\n".join(_block_texts(_document(sample_data("ses_campus")))))
    assert [f for f in fragments if f not in text] == []


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_VALUE = "\x00"


def fixed_wording(body: str) -> list[str]:
    """The wording a clause template fixes, in pieces: its text outside every ``{{ value }}`` and ``{% tag %}``, cut
    at each of them, with the block markup (``#``, ``>1``, ``-``, ``**``, ``•``, table pipes, ``<br>``) taken off.

    A ``::keytable`` row's cells after the first are the blanks of the sample's form (``# Sessions per Week:
    ______``): what fills them is input and is left out (so is the session length the Time/Day of Sessions blank
    prints, "At least 60 minutes per session"); its first cell, the form's own label, is kept."""
    pieces: list[str] = []
    table = ""
    for raw in _TAG.sub(_VALUE, body).splitlines():
        line = raw.strip().strip(_VALUE).strip()
        if line.startswith("::"):
            table = line[2:].split(" ")[0]
            continue
        if line.startswith("|"):
            cells = line.strip().strip("|").split("|")
            cells = cells[:1] if table == "keytable" else cells
        else:
            table = ""
            cells = [re.sub(r"^(?:#{1,3}|>[1-4]|-)\s+", "", line)]
        for cell in cells:
            for part in re.split(f"{_VALUE}|<br>", cell.replace("**", "")):
                part = re.sub(r"\s+", " ", part).strip().removeprefix("• ").strip(" ,.;:")
                if re.search(r"[A-Za-z]{3}", part):
                    pieces.append(part)
    return pieces


def test_every_fixed_word_of_every_clause_is_in_appendix_i() -> None:
    """The other direction of the test above: no SES clause says anything Appendix I does not (only the inputs vary).

    Every clause names Appendix I as its source, and each piece of its fixed wording appears in Appendix I as it
    stands, in order within the piece: so a clause written 'in the style of' the sample, or a word added next to
    a blank ('$45.00 per hour - not to exceed the per hour rate'), fails here. A clause is read with its
    cross-references written out and its recorded corrections (``errata:``) undone; a correction not recorded
    fails."""
    seed = _seed_text()
    clauses = load_library("ses")
    assert len(clauses) == 45
    for clause in clauses:
        assert re.match(r"Seed 002, Appendix I\b", clause.source), (clause.id, clause.source)
        pieces = fixed_wording(as_in_source(clause, clauses))
        assert pieces, clause.id
        assert not [p for p in pieces if "{" in p or "}" in p], clause.id
        assert [p for p in pieces if p not in seed] == [], clause.id
    labels = family_meta("ses")["labels"]  # the checkbox options the contract prints for a coded value
    for kind in ("service_type", "location"):
        assert [label for label in labels[kind].values() if label not in seed] == [], kind


def test_fixed_wording_catches_words_added_to_the_sample() -> None:
    seed = _seed_text()
    invented = "PROVIDER shall receive compensation in the amount of {{ fees.hourly_compensation | money }} per hour " \
               "- not to exceed the per hour rate as stated in the state-approved application."
    assert [p for p in fixed_wording(invented) if p not in seed] == [
        "per hour - not to exceed the per hour rate as stated in the state-approved application"]
    texts = _block_texts(_document(sample_data("ses_campus")))
    invoices = next(t for t in texts if "PROVIDER shall receive compensation" in t)
    assert "PROVIDER shall receive compensation in the amount of $45 - not to exceed the per hour rate as stated in " \
           "the state-approved application." in invoices


def test_the_online_contract_prints_the_provider_notice_contact() -> None:
    texts = _block_texts(_document(sample_data("ses_online")))
    assert "Authorized name, contact number and address for sending notice and information if different from " \
           "above:" in texts
    assert "Priya Raman / Director of District Partnerships" in texts
