"""No input breaks it: absurd numbers and dates, pathological files, standard input and hostile policy files.

Each refusal is one line, ``<source>: <where>: <problem>``, exit code 1, nothing written, no traceback.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from obc_builder import limits
from obc_builder.cli import app
from obc_builder.errors import InputError, InvalidInput
from obc_builder.families import FAMILY_NAMES, all_policy_entries, get_family
from obc_builder.loading import contract_from_data, load_contract, parse_json
from obc_builder.policy import load_policy

from .conftest import ROOT, sample_data

runner = CliRunner()
SAMPLE = ROOT / "samples" / "hdt_fast_math.json"


def hdt(**groups: Any) -> str:
    return json.dumps({"family": "hdt", **groups})


def refused_line(path: Path, expected: str, *, stdin: bytes | None = None) -> None:
    """``validate`` and ``generate`` both refuse the input with exactly ``expected`` (one line) and write nothing."""
    shown = "-" if stdin is not None else str(path)
    for command in (["validate", shown], ["generate", shown, "--out", str(path.parent / "out")]):
        result = runner.invoke(app, command, input=stdin)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.splitlines() == [expected], result.stderr
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert not (path.parent / "out").exists()


# ---------------------------------------------------------------- 2. absurd numbers, 7. one line per problem

NUMBERS = [
    ("nan", '{"family": "hdt", "rate_card": {"base_cap": NaN}}',
     "rate_card.base_cap: NaN is not a number a contract can use; write a number, like 12.5"),
    ("infinity", '{"family": "hdt", "rate_card": {"base_cap": Infinity}}',
     "rate_card.base_cap: Infinity is not a number a contract can use; write a number, like 12.5"),
    ("minus-infinity", '{"family": "hdt", "population": {"number_of_students": -Infinity}}',
     "population.number_of_students: -Infinity is not a number a contract can use; write a number, like 12.5"),
    ("1e400", '{"family": "hdt", "rate_card": {"base_cap": 1e400}}',
     "rate_card.base_cap: '1e400' is too large a number; a number can have at most 30 digits"),
    ("billions", hdt(rate_card={"base_cap": 10**11}), "rate_card.base_cap: must be 10,000,000,000 or less"),
    ("billions-as-text", hdt(rate_card={"base_cap": "$100,000,000,000"}),
     "rate_card.base_cap: must be 10,000,000,000 or less"),
    ("tenth-of-a-millionth", '{"family": "hdt", "rate_card": {"base_cap": 0.0000001}}',
     "rate_card.base_cap: has more than two decimal places"),
    ("percent-precision", hdt(accountability={"student_attendance_pct": "80.125"}),
     "accountability.student_attendance_pct: has more than two decimal places"),
    ("thousands-of-digits", '{"family": "hdt", "population": {"number_of_students": ' + "9" * 5000 + "}}",
     "population.number_of_students: is a number of 5,000 digits; a number can have at most 30 digits"),
    ("ten-million-plus", hdt(population={"number_of_students": 10_000_001}),
     "population.number_of_students: must be 10,000,000 or less"),
    ("true-is-not-one", hdt(population={"number_of_students": True}),
     "population.number_of_students: must be a number, not true"),
    ("false-is-not-zero-money", hdt(rate_card={"base_cap": False}), "rate_card.base_cap: must be a number, not false"),
    ("true-day-of-month", json.dumps({"family": "ses", "invoicing": {"due_day": True}}),
     "invoicing.due_day: must be a number, not true"),
    ("fractional-count", '{"family": "hdt", "program": {"weeks": 12.5}}',
     "program.weeks: must be a whole number, like 12"),
]

# ---------------------------------------------------------------- 3. absurd dates

DATES = [
    ("year-one", hdt(dates={"effective_date": "0001-01-01"}),
     "dates.effective_date: is 0001-01-01, outside the years a contract can cover (1990-01-01 to 2100-12-31); "
     "check the year"),
    ("year-9999", hdt(outcomes=[{"window_end": "12/31/9999"}]),
     "outcomes.0.window_end: is 9999-12-31, outside the years a contract can cover (1990-01-01 to 2100-12-31); "
     "check the year"),
    ("before-1990", hdt(accountability={"substitution_date": "1989-12-31"}),
     "accountability.substitution_date: is 1989-12-31, outside the years a contract can cover (1990-01-01 to "
     "2100-12-31); check the year"),
    ("a-number-is-no-date", hdt(dates={"service_start": 1756684800}),
     "dates.service_start: must be a date, written like 2025-09-08 (year-month-day), 9/8/2025 (month/day/year) or "
     "September 8, 2025 (also Sept. 8, 2025 or Sep 8 2025), not a number"),
    ("hdt-century", hdt(dates={"effective_date": "1995-07-01", "service_end": "2095-06-30"}),
     "dates: the contract spans 1995-07-01 to 2095-06-30, more than 10 years; no contract runs that long, so check "
     "the years"),
    ("ses-term", json.dumps({"family": "ses", "term": {"contract_date": "2025-06-01", "term_end": "2045-06-30"}}),
     "term: the term (contract_date to term_end) spans 2025-06-01 to 2045-06-30, more than 10 years; no contract "
     "runs that long, so check the years"),
    ("ses-school-year", json.dumps({"family": "ses", "term": {"school_year": "1066-1067"}}),
     "term.school_year: '1066-1067' is outside the years a contract can cover (1990 to 2100); check the year"),
    ("agr-length", json.dumps({"family": "agr", "years": {"first_school_year": "2025-26", "stated_length": 100}}),
     "years: the term of 100 school years (stated_length) is longer than 10 years; no contract runs that long"),
    ("agr-past-2100", json.dumps({"family": "agr", "years": {"first_school_year": "2099-00"}}),
     "years: a term from 2099-00 would run past 2100; check the first school year"),
]

# ---------------------------------------------------------------- 4. pathological files

FILES = [
    ("deep-arrays", '{"family": "hdt", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "line 1 column 55: arrays and objects are nested more than 32 deep; a contract needs far fewer levels"),
    ("deep-objects", '{"a":' * 40 + "1" + "}" * 40,
     "line 1 column 161: arrays and objects are nested more than 32 deep; a contract needs far fewer levels"),
    ("duplicate-top", '{"family": "hdt", "family": "ses"}',
     "family: appears twice in the same object; keep one (a JSON reader would silently drop the other)"),
    ("duplicate-deep", '{"family": "hdt", "outcomes": [{"name": "a"}, {"name": "b", "name": "c"}]}',
     "outcomes.1.name: appears twice in the same object; keep one (a JSON reader would silently drop the other)"),
    ("megabyte-string", hdt(parties={"district_name": "x" * 2_000_000}),
     "parties.district_name: can be at most 1,000 characters long (this one has 2,000,000)"),
    ("long-paragraph", hdt(district_boilerplate="y" * 20_001),
     "district_boilerplate: can be at most 20,000 characters long (this one has 20,001)"),
    ("too-many-schools", hdt(population={"schools": [{}] * 1001}),
     "population.schools: can hold at most 1,000 entries (this one has 1,001)"),
    ("array", "[1, 2]", 'must hold a JSON object { … } with a "family" field, not an array'),
    ("string", '"hdt"', 'must hold a JSON object { … } with a "family" field, not a string'),
    ("null", "null", 'must hold a JSON object { … } with a "family" field, not null'),
    ("lone-surrogate", '{"family": "hdt", "parties": {"district_name": "a\\ud800b"}}',
     "parties.district_name: contains a \\ud800-style escape that is half of a character pair; remove it"),
    ("newline-in-key", '{"family": "hdt", "a\\nb": 1}',
     "'a\\nb': is not a known field (check the spelling against `obc-builder schema`)"),
    ("huge-key", json.dumps({"family": "hdt", "k" * 100_000: 1}),
     "'" + "k" * 60 + "…': is not a known field (check the spelling against `obc-builder schema`)"),
    ("non-string-schema", '{"$schema": 5, "family": "hdt"}',
     "$schema: must be text: the address of the file's JSON Schema, which editors read and obc-builder ignores"),
]


@pytest.mark.parametrize(("content", "expected"), [case[1:] for case in NUMBERS + DATES + FILES],
                         ids=[case[0] for case in NUMBERS + DATES + FILES])
def test_a_hostile_input_is_one_line_exit_1_and_writes_nothing(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    refused_line(path, f"{path}: {expected}")


def test_invalid_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"family": "hdt", "x": "\xff\xfe"}')
    refused_line(path, f"{path}: is not UTF-8 text")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: the size is what counts, not the content
    refused_line(path, f"{path}: is 5 MB; a JSON file can be at most 5 MB")
    path.write_bytes(b" " * (6 * 1024 * 1024))
    refused_line(path, f"{path}: is 6 MB; a JSON file can be at most 5 MB")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_a_device_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it would block: it must be refused from its stat alone
    refused_line(fifo, f"{fifo}: is not a regular file (a pipe, socket or device); give a JSON file, or - to read "
                       "standard input")
    with pytest.raises(InputError, match="is not a regular file"):
        load_contract("/dev/zero")


def test_the_deepest_nesting_allowed_still_parses() -> None:
    deep = '{"family": "hdt", "x": ' + "[" * (limits.MAX_DEPTH - 1) + "]" * (limits.MAX_DEPTH - 1) + "}"
    assert parse_json(deep.encode(), "x")["family"] == "hdt"
    tricky = '{"family": "hdt", "note": "' + "[" * 1000 + '"}'  # brackets inside a string are not nesting
    assert parse_json(tricky.encode(), "x")["note"] == "[" * 1000


def test_a_hostile_file_is_refused_quickly(tmp_path: Path) -> None:
    cases = ["[" * (limits.MAX_FILE_BYTES - 1), '{"family": "hdt", "x": "' + "a" * (limits.MAX_FILE_BYTES - 100) + '"}',
             "[" + "1," * (limits.MAX_FILE_BYTES // 2 - 2) + "1]"]
    for content in cases:
        started = time.perf_counter()
        with pytest.raises((InputError, InvalidInput)):
            contract_from_data(parse_json(content.encode(), "x"), "x")
        assert time.perf_counter() - started < 5


# ---------------------------------------------------------------- 5. standard input and "$schema"

def test_standard_input_is_read_and_named_stdin(tmp_path: Path) -> None:
    good = SAMPLE.read_bytes()
    result = runner.invoke(app, ["validate", "-"], input=good)
    assert result.exit_code == 0, result.output
    bad = hdt(rate_card={"base_cap": "lots"}).encode()
    refused_line(tmp_path / "unused", "<stdin>: rate_card.base_cap: 'lots' is not an amount of money (write it like "
                                      "1250 or $1,250.50)", stdin=bad)


def test_standard_input_has_the_same_size_limit(tmp_path: Path) -> None:
    refused_line(tmp_path / "unused", "<stdin>: is more than 5 MB; a JSON input can be at most 5 MB",
                 stdin=b" " * (limits.MAX_FILE_BYTES + 10))


def test_a_schema_key_is_ignored(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    data["$schema"] = "https://example.org/anything.json"
    path = tmp_path / "with-schema.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with_key = load_contract(path)
    data.pop("$schema")
    assert with_key == contract_from_data(data, "x")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


# ---------------------------------------------------------------- 1. one place for limits

def test_the_limits_show_in_every_family_schema() -> None:
    for family in FAMILY_NAMES:
        text = json.dumps(get_family(family).model.model_json_schema())
        assert f'"maxLength": {limits.MAX_LINE_TEXT}' in text and f'"maxItems": {limits.MAX_ITEMS}' in text
        assert f'"maximum": {limits.MAX_COUNT}' in text
    hdt_schema = json.dumps(get_family("hdt").model.model_json_schema())
    assert f'"maxLength": {limits.MAX_MULTILINE_TEXT}' in hdt_schema and '"maximum": 10000000000.0' in hdt_schema


def _fields(model: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every field of ``model`` and its groups, with its path (``0`` for the first entry of a list)."""
    from pydantic import BaseModel

    found = []
    for name, info in model.model_fields.items():
        found.append(((*path, name), info))
        annotation = info.annotation
        candidates = (annotation,) if getattr(annotation, "__origin__", None) is list else (
            annotation, *getattr(annotation, "__args__", ()))
        for arg in candidates:
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _fields(arg, (*path, name))
            elif getattr(arg, "__origin__", None) is list:
                inner = arg.__args__[0]
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    found += _fields(inner, (*path, name, 0))
    return found


def _with_value(family: str, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"family": family}
    node: Any = data
    for step, after in zip(path, path[1:], strict=False):
        child: Any = [] if isinstance(after, int) else {}
        if isinstance(step, int):
            node.append(child)
        else:
            node[step] = child
        node = child
    node[path[-1]] = value
    return data


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_multiline_fields_and_only_they_take_long_text(family: str) -> None:
    texts = [(path, info) for path, info in _fields(get_family(family).model)
             if str(info.annotation).startswith("typing.Optional[typing.Annotated[str")]
    assert texts
    for path, info in texts:
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        try:
            contract_from_data(_with_value(family, path, "z" * (limits.MAX_LINE_TEXT + 1)), "x")
            accepted = True
        except InvalidInput:
            accepted = False
        assert accepted == bool(extra.get("x-multiline")), path


# ---------------------------------------------------------------- 6. policy files

POLICIES = [
    ("share-500", "hdt.contingent_share_pct: 500\n", "hdt.contingent_share_pct: is 500; it must be a percentage from "
     "0% to 100%"),
    ("negative-days", "hdt.payment_days: -5\n", "hdt.payment_days: is -5; it must be a whole number of days from 0 to "
     "365"),
    ("fraction-of-a-day", "hdt.payment_days: 12.5\n", "hdt.payment_days: is 12.5; it must be a whole number of days "
     "from 0 to 365"),
    ("weeks", "hdt.roster_window_weeks: 60\n", "hdt.roster_window_weeks: is 60; it must be a whole number of weeks "
     "from 0 to 52"),
    ("yes", "hdt.payment_days: yes\n", "hdt.payment_days: is yes/no (true/false), not a number; it must be a whole "
     "number of days from 0 to 365"),
    ("null", "hdt.payment_days:\n", "hdt.payment_days: is empty, not a number; it must be a whole number of days from "
     "0 to 365"),
    ("list", "hdt.payment_days: [30]\n", "hdt.payment_days: is a list, not a number; it must be a whole number of "
     "days from 0 to 365"),
    ("mapping", "hdt.payment_days: {a: 1}\n", "hdt.payment_days: is a group of keys, not a number; it must be a "
     "whole number of days from 0 to 365"),
    ("nan", "hdt.payment_days: .nan\n", "hdt.payment_days: 'nan' is not a number; it must be a whole number of days "
     "from 0 to 365"),
    ("month-13", "ses.term_start_month: 13\n", "ses.term_start_month: is 13; it must be a whole number of months "
     "(1 is January) from 1 to 12"),
    ("python-tag", "hdt.payment_days: !!python/object/apply:os.system ['echo hi']\n",
     "line 1 column 19: the tag '!!python/object/apply:os.system' is not allowed in a policy file; write plain "
     "values"),
    ("billion-laughs", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
     + "".join(f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)),
     "line 1 column 4: anchors and aliases (& and *) are not allowed in a policy file; write each value out"),
    ("repeated-key", "hdt.payment_days: 10\nhdt.payment_days: 20\n",
     "line 2 column 1: the key 'hdt.payment_days' appears twice; keep one"),
    ("huge-number", "hdt.payment_days: " + "9" * 5000 + "\n",
     "line 1 column 19: holds a value of 5,000 characters; a policy key or value is at most 200"),
    ("deep", "[" * 5000, "line 1 column 33: values are nested more than 32 deep; a policy file is key: value lines"),
    ("not-a-mapping", "- 1\n- 2\n", "must be a mapping of policy keys to values (lines of key: value)"),
    ("broken-yaml", "a: b: c\n", "line 1 column 5: is not valid YAML: mapping values are not allowed here"),
]


@pytest.mark.parametrize(("content", "expected"), [case[1:] for case in POLICIES], ids=[case[0] for case in POLICIES])
def test_a_hostile_policy_file_is_one_line(tmp_path: Path, content: str, expected: str) -> None:
    policy = tmp_path / "district.yaml"
    policy.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    policy_refused(tmp_path, policy, f"{policy}: {expected}")
    assert time.perf_counter() - started < 5


def policy_refused(tmp_path: Path, policy: Path, expected: str) -> None:
    for command in (["validate", str(SAMPLE)], ["generate", str(SAMPLE), "--out", str(tmp_path / "out")]):
        result = runner.invoke(app, [*command, "--policy", str(policy)])
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == [expected]
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert not (tmp_path / "out").exists()


def test_a_policy_that_is_a_folder_missing_not_utf8_or_too_large(tmp_path: Path) -> None:
    policy_refused(tmp_path, tmp_path, f"{tmp_path}: is a folder, not a policy file")
    policy_refused(tmp_path, tmp_path / "none.yaml", f"{tmp_path / 'none.yaml'}: no such file")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"# caf\xe9\nhdt.payment_days: 30\n")
    policy_refused(tmp_path, latin, f"{latin}: is not UTF-8 text")
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * 10_000, encoding="utf-8")
    policy_refused(tmp_path, big, f"{big}: is 98 KB; a policy file can be at most 64 KB")


def test_every_policy_unit_has_a_range_holding_its_default() -> None:
    for entry in all_policy_entries():
        allowed = limits.policy_range(entry.unit)
        assert allowed.low <= entry.value <= allowed.high, entry.key
    assert limits.policy_range("days after June 30").low < 0  # "-30" means May 31
    assert limits.policy_range("goals").high == limits.MAX_COUNT


def test_good_policy_values_in_their_units_still_load(tmp_path: Path) -> None:
    policy = tmp_path / "ok.yaml"
    policy.write_text("hdt.contingent_share_pct: 50%\nagr.end_notice_days_after_june_30: -30\n"
                      "ses.progress_report_interval_months: 1.4\nhdt.payment_days: '45'\n", encoding="utf-8")
    table = load_policy(policy)
    assert str(table.value("hdt.contingent_share_pct")) == "50"
    assert str(table.value("agr.end_notice_days_after_june_30")) == "-30"
