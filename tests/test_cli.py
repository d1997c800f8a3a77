"""The command line as a user and a script see it: outputs, messages, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app

from .conftest import ROOT, sample_data

runner = CliRunner()
SAMPLE = str(ROOT / "samples" / "hdt_fast_math.json")


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_generate_writes_docx_markdown_and_review(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", SAMPLE, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["hdt_fast_math.docx", "hdt_fast_math.forecast.png", "hdt_fast_math.manifest.json",
                     "hdt_fast_math.md", "hdt_fast_math.review.md"]
    assert str(tmp_path / "hdt_fast_math.docx") in result.stdout


def test_format_md_writes_no_docx(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", SAMPLE, "--out", str(tmp_path), "--format", "md"])
    assert result.exit_code == 0
    assert not list(tmp_path.glob("*.docx")) and list(tmp_path.glob("*.md"))


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", SAMPLE, "--out", str(tmp_path), "--format", "rtf"])
    assert result.exit_code == 2 and "rtf is not a format" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{ not json", "bad.json: line 1 column 3: invalid JSON"),
        ("  \n", "bad.json: is empty"),
        ([1, 2], "bad.json: must hold a JSON object"),
        ({"family": "xyz"}, 'bad.json: family: is "xyz"; it must be one of'),
        ({"family": "hdt", "parties": {"district_nam": "x"}}, "bad.json: parties.district_nam: is not a known field"),
        ({"family": "hdt", "rate_card": {"base_cap": "lots"}}, "bad.json: rate_card.base_cap: 'lots' is not an amount"),
        ({"family": "hdt", "outcomes": [{"price_per_outcome": -5}]},
         "bad.json: outcomes.0.price_per_outcome: must be 0 or more"),
        ({"family": "hdt", "dates": {"effective_date": "2024-02-30"}}, "bad.json: dates.effective_date:"),
        ({"family": "hdt", "parties": {"district_name": "Bad\u0007Bell"}}, "U+0007"),
    ],
    ids=["invalid-json", "empty", "not-object", "unknown-family", "unknown-field", "bad-money", "negative", "bad-date",
         "control-char"],
)
def test_bad_input_gets_one_line_naming_file_and_field_and_writes_nothing(
    tmp_path: Path, content: Any, expected: str
) -> None:
    bad = write(tmp_path, "bad.json", content)
    out = tmp_path / "out"
    result = runner.invoke(app, ["generate", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert expected.replace("bad.json", str(bad)) in result.stderr or expected in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.iterdir())


def test_missing_file_and_folder_are_clear(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(tmp_path / "nope.json"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "nope.json: no such file" in result.stderr
    result = runner.invoke(app, ["generate", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "is a folder" in result.stderr


def test_final_mode_refuses_unfilled_inputs_one_line_each(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    del data["payments"]["finance_office"]
    data["outcomes"][1]["metric"] = None
    path = write(tmp_path, "gap.json", data)
    result = runner.invoke(app, ["generate", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert f"{path}: payments.finance_office: Finance office is not filled in" in lines
    assert f"{path}: outcomes.1.metric: Metric is not filled in" in lines
    assert not (tmp_path / "o").exists()


def test_draft_generates_with_highlighted_placeholders(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    del data["payments"]["finance_office"]
    path = write(tmp_path, "gap.json", data)
    result = runner.invoke(app, ["generate", str(path), "--out", str(tmp_path), "--draft", "--format", "md"])
    assert result.exit_code == 0
    text = (tmp_path / "gap.md").read_text(encoding="utf-8")
    assert "**\\[insert Finance office\\]**" in text and "DRAFT" in text


def test_final_mode_refuses_error_findings_but_not_warnings(tmp_path: Path) -> None:
    data = sample_data("hdt_fast_math")
    data["accountability"]["student_attendance_pct"] = 70
    ok = write(tmp_path, "warn.json", data)
    result = runner.invoke(app, ["generate", str(ok), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0 and "1 warning" in result.stderr
    data["payments"]["maximum_budget"] = "100"
    bad = write(tmp_path, "err.json", data)
    result = runner.invoke(app, ["generate", str(bad), "--out", str(tmp_path / "b")])
    assert result.exit_code == 1 and "HDT-PAY-004" in result.stderr
    assert not (tmp_path / "b").exists()


def test_schema_prints_the_input_json_schema() -> None:
    result = runner.invoke(app, ["schema", "hdt"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["family"]["const"] == "hdt"
    assert "rate_card" in schema["properties"]
    assert runner.invoke(app, ["schema", "nope"]).exit_code == 2


def test_schema_forbids_unknown_fields_and_describes_each_input() -> None:
    from obc_builder.families import get_family

    schema = get_family("hdt").model.model_json_schema()
    assert schema["additionalProperties"] is False
    attendance = schema["$defs"]["Accountability"]["properties"]["student_attendance_pct"]
    assert attendance["title"] == "Student attendance %" and attendance["x-policy"] == "hdt.student_attendance_pct"


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", SAMPLE]).exit_code == 0
    data = sample_data("hdt_fast_math")
    data["accountability"]["student_attendance_pct"] = 70
    result = runner.invoke(app, ["validate", str(write(tmp_path, "w.json", data))])
    assert result.exit_code == 0 and "Section D" in result.stdout and "HDT-POL-002" in result.stdout
    data["payments"]["maximum_budget"] = "100"
    result = runner.invoke(app, ["validate", str(write(tmp_path, "e.json", data)), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and {f["rule"] for f in report["findings"]} >= {"HDT-PAY-004", "HDT-POL-002"}
    unreadable = runner.invoke(app, ["validate", str(write(tmp_path, "x.json", "{"))])
    assert unreadable.exit_code == 1 and "x.json: line 1 column 2: invalid JSON" in unreadable.stderr


def test_rules_lists_every_rule_with_severity_and_source() -> None:
    result = runner.invoke(app, ["rules", "--family", "hdt"])
    assert result.exit_code == 0
    assert "HDT-SOE-1.2" in result.stdout and "HDT-POL-001" in result.stdout
    assert "recommended at least 40%" in result.stdout


def test_district_policy_changes_the_outcome(tmp_path: Path) -> None:
    strict = write(tmp_path, "district.yaml", "hdt.contingent_share_pct: 60\n")
    result = runner.invoke(app, ["validate", SAMPLE, "--policy", str(strict)])
    assert "HDT-POL-001" in result.stdout and "at least 60%" in result.stdout
    relaxed = write(tmp_path, "relaxed.yaml", "hdt.student_attendance_pct: 60\n")
    data = sample_data("hdt_fast_math")
    data["accountability"]["student_attendance_pct"] = 70
    case = write(tmp_path, "c.json", data)
    assert "HDT-POL-002" in runner.invoke(app, ["validate", str(case)]).stdout
    assert "HDT-POL-002" not in runner.invoke(app, ["validate", str(case), "--policy", str(relaxed)]).stdout


def test_unknown_policy_key_is_an_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "district.yaml", "hdt.contingent_shares: 50\n")
    result = runner.invoke(app, ["validate", SAMPLE, "--policy", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: hdt.contingent_shares: is not a policy key" in result.stderr


def test_an_unwritable_output_folder_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    result = runner.invoke(app, ["generate", SAMPLE, "--out", str(blocker)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{blocker}/hdt_fast_math") and "cannot be written" in result.stderr
    assert "internal error" not in result.stderr


def test_a_file_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (ROOT / "samples" / "hdt_fast_math.json").read_bytes())
    assert runner.invoke(app, ["generate", str(path), "--out", str(tmp_path / "o"), "--format", "md"]).exit_code == 0
