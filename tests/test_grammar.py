"""Grammar with values: articles, plurals, list joins and money follow the value, in every family.

Counsel's standard: "an 60%", "(1 sites in total)", "a total of 0 per student" and "earned by ;" are wrong for
the value that was typed. The clause's words stay the source's for the values the source assumed (an 80%
attendance average, seven sites, fifty dollars); only the grammar follows the value. The filters that do it
(``a_an``, ``plural``, ``noun``, ``dollars``, ``join_and``) are in :mod:`obc_builder.templating`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from obc_builder.assemble import assemble
from obc_builder.document import Document, Run
from obc_builder.loading import contract_from_data
from obc_builder.markup import inline
from obc_builder.templating import Missing, Val, Values, article, environment, render_text

from .conftest import sample_data
from .test_ses import _block_texts

VALUES = [0, 1, 8, 11, 18, 80, 100, 800]


def _runs(source: str, **context: Any) -> list[Run]:
    text, slots = render_text(environment().from_string(source), context)
    return list(inline(text, slots))


def _say(source: str, value: Any) -> str:
    return "".join(run.text for run in _runs(source, x=value))


# ---------------------------------------------------------------------------------------------------------------
# The filters, over a range of values


GRAMMAR = {  # value: (| percent | a_an, | money | a_an, | words | a_an, | number | a_an, plural, noun, dollars)
    0: ("a 0%", "a $0", "a zero", "a 0", "0 sites", "days", "zero dollars ($0.00)"),
    1: ("a 1%", "a $1", "a one", "a 1", "1 site", "day", "one dollar ($1.00)"),
    8: ("an 8%", "an $8", "an eight", "an 8", "8 sites", "days", "eight dollars ($8.00)"),
    11: ("an 11%", "an $11", "an eleven", "an 11", "11 sites", "days", "eleven dollars ($11.00)"),
    18: ("an 18%", "an $18", "an eighteen", "an 18", "18 sites", "days", "eighteen dollars ($18.00)"),
    80: ("an 80%", "an $80", "an 80", "an 80", "80 sites", "days", "eighty dollars ($80.00)"),
    100: ("a 100%", "a $100", "a 100", "a 100", "100 sites", "days", "$100"),
    800: ("an 800%", "an $800", "an 800", "an 800", "800 sites", "days", "$800"),
}


@pytest.mark.parametrize("number", VALUES)
def test_the_grammar_table(number: int) -> None:
    value = Val(number, "some.path")
    said = tuple(_say(source, value) for source in (
        "{{ x | percent | a_an }}", "{{ x | money | a_an }}", "{{ x | words | a_an }}", "{{ x | number | a_an }}",
        '{{ x | plural("site", "sites") }}', '{{ x | noun("day", "days") }}', "{{ x | dollars }}"))
    assert said == GRAMMAR[number]


@pytest.mark.parametrize(("printed", "expected"), [
    ("60%", "a"), ("8.5%", "an"), ("0.8%", "a"), ("$1,250", "a"), ("$12.50", "a"), ("$8,000", "an"),
    ("11,000", "an"), ("18,250", "an"), ("180", "a"), ("1,100", "a"), ("88", "an"), ("8000", "an"),
    ("eighty-one", "an"), ("four", "a"), ("one", "a"), ("eleven", "an"), ("hour", "an"), ("unique", "a"),
    ("English Language Learner", "an"),
])
def test_the_article_is_the_one_the_value_is_read_aloud_with(printed: str, expected: str) -> None:
    assert article(printed) == expected


def test_the_article_and_the_noun_are_wording_and_the_value_stays_a_value_run_with_its_path() -> None:
    runs = _runs('{{ x | percent | a_an }} / {{ x | plural("site", "sites") }}', x=Val(Decimal("80"), "a.pct"))
    assert [(r.text, r.kind, r.path) for r in runs] == [
        ("an ", "text", None), ("80%", "value", "a.pct"), (" / ", "text", None), ("80", "value", "a.pct"),
        (" sites", "text", None)]
    [limit] = _runs("{{ x | dollars }}", x=Val(Decimal("1"), "incentives.cap_per_student"))
    assert (limit.text, limit.kind, limit.path) == ("one dollar ($1.00)", "value", "incentives.cap_per_student")


def test_a_list_counts_its_entries_and_the_count_keeps_the_lists_path() -> None:
    def sites(count: int) -> Values:
        return Values([Val(f"School {i}", f"population.schools.{i}") for i in range(count)], "population.schools",
                      "Participating school sites")

    for count, expected in [(0, "0 sites"), (1, "1 site"), (2, "2 sites"), (11, "11 sites")]:
        runs = _runs('{{ x | plural("site", "sites") }}', x=sites(count))
        assert "".join(r.text for r in runs) == expected
        assert (runs[0].kind, runs[0].path) == ("value", "population.schools")


def test_an_unfilled_value_still_prints_as_insert_with_the_grammar_around_it() -> None:
    missing = Missing("accountability.student_attendance_pct", "Student attendance %")
    for source, expected in [("{{ x | percent | a_an }}", "a [insert Student attendance %]"),
                             ('{{ x | plural("day", "days") }}', "[insert Student attendance %] days"),
                             ('{{ x | noun("day", "days") }}', "days"),
                             ("{{ x | dollars }}", "[insert Student attendance %]"),
                             ("{{ x | join_and }}", "[insert Student attendance %]")]:
        runs = _runs(source, x=missing)
        assert "".join(r.text for r in runs) == expected
        assert [r.path for r in runs if r.kind == "missing"] == ([] if "noun" in source else [missing.path])


@pytest.mark.parametrize(("items", "expected"), [
    (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B, and C"), (["A", "B", "C", "D"], "A, B, C, and D"),
])
def test_join_and_keeps_each_item_a_value_run(items: list[str], expected: str) -> None:
    values = Values([Val(item, f"l.{i}") for i, item in enumerate(items)], "l", "Subjects")
    runs = _runs("{{ x | join_and }}", x=values)
    assert "".join(r.text for r in runs) == expected
    assert [(r.text, r.path) for r in runs if r.kind == "value"] == [(item, f"l.{i}") for i, item in enumerate(items)]
    assert _say('{{ x | join_and("or") }}', values) == expected.replace(" and ", " or ")


def test_join_and_of_an_empty_list_is_an_unfilled_input_never_an_empty_string() -> None:
    runs = _runs("earned by {{ x | join_and }};", x=Values([], "incentives.earned_by", "Incentives earned by"))
    assert "".join(r.text for r in runs) == "earned by [insert Incentives earned by];"
    assert [(r.kind, r.path) for r in runs if r.kind != "text"] == [("missing", "incentives.earned_by")]


def test_dollars_writes_whole_amounts_under_100_in_words_and_others_as_money() -> None:
    for amount, expected in [("21", "twenty-one dollars ($21.00)"), ("50", "fifty dollars ($50.00)"),
                             ("99", "ninety-nine dollars ($99.00)"), ("12.50", "$12.50"), ("1250", "$1,250"),
                             ("-0", "zero dollars ($0.00)")]:
        assert _say("{{ x | dollars }}", Val(Decimal(amount), "p")) == expected


# ---------------------------------------------------------------------------------------------------------------
# Contracts built from the samples, with the inputs set to those values


def _text(data: dict[str, Any], draft: bool = False) -> str:
    document: Document = assemble(contract_from_data(data, "case.json"), draft=draft)
    return re.sub(r"[ \t]+", " ", "\n".join(_block_texts(document)))


HDT_ATTENDANCE = {0: "a 0%", 1: "a 1%", 8: "an 8%", 11: "an 11%", 18: "an 18%", 60: "a 60%", 80: "an 80%",
                  85: "an 85%", 100: "a 100%"}


@pytest.mark.parametrize("pct", sorted(HDT_ATTENDANCE))
def test_hdt_student_attendance_average_takes_the_article_of_its_percentage(pct: int) -> None:
    data = sample_data("hdt_fast_math")
    data["accountability"]["student_attendance_pct"] = pct
    text = _text(data)
    assert f"The District is responsible for maintaining {HDT_ATTENDANCE[pct]} student attendance average." in text
    assert f"falls below an attendance average of {pct}%, the District" in text  # no article there: unchanged


@pytest.mark.parametrize(("count", "phrase"), [(1, "1 site"), (2, "2 sites"), (8, "8 sites"), (11, "11 sites")])
def test_hdt_counts_its_school_sites(count: int, phrase: str) -> None:
    data = sample_data("hdt_fast_math")
    data["population"]["schools"] = [{"name": f"School {i}", "students": 10} for i in range(count)]
    data["population"]["number_of_students"] = 10 * count
    text = _text(data, draft=True)
    assert f"Number of students participating by school site ({phrase} in total):" in text


@pytest.mark.parametrize(("number", "one_or_many"), [(1, "1 {}"), (8, "8 {}s"), (11, "11 {}s"), (18, "18 {}s"),
                                                     (80, "80 {}s")])
def test_hdt_counts_of_days_weeks_students_and_business_days(number: int, one_or_many: str) -> None:
    data = sample_data("hdt_fast_math")
    data["accountability"].update(implementation_review_days=number, corrective_plan_business_days=number,
                                  tutor_consistency_plan_business_days=number, makeup_session_days=number,
                                  success_manager_replacement_days=number)
    data["payments"]["payment_days"] = number
    data["termination"]["early_termination_cure_days"] = number
    data["program"]["weeks"] = number
    data["population"]["number_of_students"] = number
    text = _text(data, draft=True)
    day, business_day = one_or_many.format("day"), one_or_many.format("business day")
    for phrase in (f"implementation review session within {day}",
                   f"corrective action plan within {business_day} outlining",
                   f"The Provider will submit a plan within {business_day} outlining",
                   f"qualified replacement within {business_day} and notify",
                   f"make-up sessions within {day} and provide",
                   f"within {day} upon",
                   f"within {day} of notice",
                   f"The program will run approximately {one_or_many.format('week')}, from",
                   f"The Program will serve {one_or_many.format('student')}."):
        assert phrase in text, phrase


@pytest.mark.parametrize(("weeks", "window", "every"), [
    (1, "a one week window", "every one week in"), (4, "a four week window", "every four weeks in"),
    (8, "an eight week window", "every eight weeks in"), (11, "an eleven week window", "every eleven weeks in"),
    (18, "an eighteen week window", "every eighteen weeks in"), (80, "an 80 week window", "every 80 weeks in"),
])
def test_hdt_roster_window_and_meeting_frequency(weeks: int, window: str, every: str) -> None:
    data = sample_data("hdt_fast_math")
    data["accountability"]["roster_window_weeks"] = weeks
    data["improvement"]["meeting_frequency_weeks"] = weeks
    text = _text(data, draft=True)
    assert f"The District will have {window} from the start of the program" in text
    assert every in text


def test_hdt_sample_keeps_the_templates_words() -> None:
    text = _text(sample_data("hdt_fast_math"))
    for phrase in ("maintaining an 80% student attendance average", "(7 sites in total)",
                   "The District will have a four week window", "The Program will serve 1,250 students."):
        assert phrase in text, phrase


def test_hdt_draft_with_the_inputs_unfilled() -> None:
    data = sample_data("hdt_fast_math")
    del data["accountability"]["student_attendance_pct"]
    del data["population"]["schools"]
    del data["population"]["subjects"]
    text = _text(data, draft=True)
    assert "maintaining a [insert Student attendance %] student attendance average" in text
    assert "([insert Participating school sites] sites in total)" in text
    assert "improve student outcomes in [insert Subjects]." in text


@pytest.mark.parametrize(("cap", "limit"), [
    ("0", "zero dollars ($0.00)"), ("1", "one dollar ($1.00)"), ("8", "eight dollars ($8.00)"),
    ("11", "eleven dollars ($11.00)"), ("18", "eighteen dollars ($18.00)"), ("50", "fifty dollars ($50.00)"),
    ("80", "eighty dollars ($80.00)"), ("12.50", "$12.50"), ("100", "$100"), ("800", "$800"),
])
def test_ses_incentive_limit_in_words_and_figures(cap: str, limit: str) -> None:
    data = sample_data("ses_campus")
    data["incentives"]["cap_per_student"] = cap
    assert f"Must not exceed a total of {limit} per student for all incentives;" in _text(data, draft=True)


@pytest.mark.parametrize(("earned_by", "phrase"), [
    ([], "achievement or attendance"), (["attendance"], "attendance"),
    (["achievement", "attendance"], "achievement or attendance"),
])
def test_ses_what_earns_incentives_is_never_an_empty_list(earned_by: list[str], phrase: str) -> None:
    data = sample_data("ses_campus")
    data["incentives"]["earned_by"] = earned_by
    text = _text(data, draft=True)
    assert f"Incentives must be earned by {phrase};" in text
    assert "earned by ;" not in text


@pytest.mark.parametrize(("number", "words"), [(1, "one (1)"), (8, "eight (8)"), (11, "eleven (11)"),
                                               (18, "eighteen (18)")])
def test_ses_days_and_hours_follow_the_number(number: int, words: str) -> None:
    data = sample_data("ses_campus")
    data["service"]["weekly_hour_limit"] = number
    data["schedule"].update(sessions_per_week=1, sessions_per_month=4)  # 45 minutes a week: within one hour
    data["compliance"]["withhold_cure_days"] = number
    data["compliance"]["termination_notice_days"] = max(number, 20)
    data["compliance"]["records_years"] = number
    data["fees"]["payment_days"] = number
    data["facilities"]["notice_days"] = number
    data["administration"]["meeting_notice_business_days"] = number
    text = _text(data, draft=True)
    s = "" if number == 1 else "s"
    for phrase in (f"PROVIDER shall limit tutoring to {words} hour{s} per week.",
                   f"Tutoring that extends beyond {words} hour{s} per week",
                   f"PROVIDER shall have {words} calendar day{s} from the day of receipt",
                   f"not corrected within {words} calendar day{s}, the DISTRICT",
                   f"and for {words.split()[0]} year{s} thereafter",
                   f"within {number} calendar day{s} of receipt of invoice",
                   f"the following at {number} day{s} prior to intended use",
                   f"no later than {number} business day{s} prior to the meeting"):
        assert phrase in text, phrase


def test_ses_goals_take_the_number_of_the_most_goals() -> None:
    data = sample_data("ses_campus")
    data["slp"].update(goals_max=1, goals_min=1)
    assert "no more than one (1) but at least one (1) goal on each student’s SLP" in _text(data, draft=True)
    data["slp"].update(goals_max=3, goals_min=1)
    assert "no more than three (3) but at least one (1) goals on each student’s SLP" in _text(data, draft=True)


def test_ses_sample_keeps_appendix_is_words() -> None:
    text = _text(sample_data("ses_campus"))
    assert "Must not exceed a total of fifty dollars ($50.00) per student for all incentives;" in text
    assert "Incentives must be earned by achievement or attendance;" in text


def _agr(classrooms: int, number: int) -> str:
    data = sample_data("agr_single_school")
    grade = data["schools"][0]["grades"][0]
    grade["classrooms"] = classrooms
    data["notices"]["withdrawal_days"] = number
    data["data"]["retention_years"] = number
    return _text(data, draft=True)


@pytest.mark.parametrize(("number", "s"), [(1, ""), (8, "s"), (11, "s"), (18, "s")])
def test_agr_classrooms_days_and_years_follow_the_number(number: int, s: str) -> None:
    text = _agr(number, number)
    words = {1: "one", 8: "eight", 11: "eleven", 18: "eighteen"}[number]
    assert f"({number} classroom{s})" in text
    assert f"provide at least {number} day{s} written notice of its intent" in text
    assert f"for a period not to exceed {words} year{s} after the termination" in text


def test_agr_class_size_ratios_count_pupils_and_teachers() -> None:
    data = sample_data("agr_single_school")
    text = _text(data)
    grades = [g for school in data["schools"] for g in school["grades"]]
    checked = 0
    for g in grades:
        if g.get("pupils_per_teacher") is not None:
            assert f"{g['pupils_per_teacher']} pupils per regular classroom teacher" in text
            checked += 1
        if g.get("pupils_per_shared_class") is not None:
            assert (f"{g['pupils_per_shared_class']} pupils with {g['teachers_per_shared_class']} regular classroom "
                    "teachers") in text
            checked += 1
    assert checked
