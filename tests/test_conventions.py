"""What a Python user expects of a command: version, -h, python -m, completion, stdin, choices in help,
examples, one exit-code convention and one overwrite rule, and a JSON Schema that editors can use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.families import FAMILY_NAMES
from obc_builder.version import __version__

from .conftest import ROOT, SAMPLES

runner = CliRunner()
SAMPLE = ROOT / "samples" / "hdt_fast_math.json"
COMMANDS = ["generate", "schema", "validate", "rules", "batch", "wizard"]


def test_version_and_short_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout == f"obc-builder {__version__}\n"
    assert runner.invoke(app, ["-h"]).stdout == runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "obc_builder", "--version"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and result.stdout == f"obc-builder {__version__}\n"


def test_shell_completion_script_is_offered() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0 and "complete" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_choices_and_examples_without_python_type_names(command: str) -> None:
    result = runner.invoke(app, [command, "-h"])
    assert result.exit_code == 0
    text = result.stdout
    for python_type in ("<list[", "<Path", "<path>", "<str>", "<int", "{inputs}", "{input}", "Value error"):
        assert python_type not in text, f"{command} --help shows {python_type}"
    head, _, tail = text.rstrip().rpartition("\n  Examples:\n")
    assert head and 1 <= len(tail.splitlines()) <= 2, f"{command} --help does not end with one or two examples"
    assert all("obc-builder " in line for line in tail.splitlines())


def test_fixed_choices_are_listed_in_help() -> None:
    families = "[" + "|".join(FAMILY_NAMES) + "]"
    assert families in runner.invoke(app, ["rules", "-h"]).stdout
    assert families in runner.invoke(app, ["wizard", "-h"]).stdout
    assert "[docx|md|pdf|docx,md,...]" in runner.invoke(app, ["generate", "-h"]).stdout
    assert "[docx|md|pdf|docx,md,...]" in runner.invoke(app, ["batch", "-h"]).stdout
    assert "[text|json]" in runner.invoke(app, ["validate", "-h"]).stdout


def test_main_help_states_the_exit_codes() -> None:
    text = " ".join(runner.invoke(app, ["--help"]).stdout.split())
    for code in ("0 done", "1 an input or a rule refused it", "2 the command was called wrongly",
                 "3 internal error", "130 interrupted"):
        assert code in text


def test_an_input_read_from_standard_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "-", "--out", str(tmp_path), "--format", "md"],
                           input=SAMPLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hdt-contract.forecast.png", "hdt-contract.manifest.json",
                                                          "hdt-contract.md", "hdt-contract.review.md"]
    checked = runner.invoke(app, ["validate", "-"], input=SAMPLE.read_text(encoding="utf-8"))
    assert checked.exit_code == 0 and "<stdin>" in checked.stdout
    bad = runner.invoke(app, ["validate", "-"], input='{"family": "hdt", "dates": {"service_start": "soon"}}')
    assert bad.exit_code == 1 and bad.stderr.startswith("<stdin>: dates.service_start: ")


def test_an_output_folder_named_dash_is_refused(tmp_path: Path) -> None:
    for command in (["generate", str(SAMPLE)], ["batch", str(SAMPLE)], ["wizard"]):
        result = runner.invoke(app, [*command, "--out", "-"])
        assert result.exit_code == 2 and "contracts are files; name a folder" in result.stderr


def test_batch_refuses_standard_input_with_a_pointer_to_generate(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", "-", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "generate -" in result.stderr


@pytest.mark.parametrize("command", ["generate", "batch"])
def test_one_overwrite_rule_for_generate_and_batch(command: str, tmp_path: Path) -> None:
    args = [command, str(SAMPLE), "--out", str(tmp_path)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output  # the same contract again: nothing to do, nothing replaced
    edited = tmp_path / "hdt_fast_math.docx"
    edited.write_bytes(b"counsel's edited copy")
    report = tmp_path / "report.json"
    refused = runner.invoke(app, [*args, "--report", str(report)] if command == "batch" else args)
    assert refused.exit_code == 1
    said = json.loads(report.read_text())["inputs"][0]["reason"] if command == "batch" else refused.stderr
    assert f"{edited}: cannot be written (it exists with other content; use --force to replace it)" in said
    assert edited.read_bytes() == b"counsel's edited copy"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert edited.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["generate", str(SAMPLE), "--format", "rtf"], 2),
        (["generate"], 2),
        (["validate", "nope.json"], 1),
        (["generate", "nope.json"], 1),
        (["batch", "nope.json"], 1),
        (["schema", "xyz"], 2),
        (["rules", "--family", "xyz"], 2),
        (["frobnicate"], 2),
    ],
    ids=["bad-format", "no-input", "validate-missing", "generate-missing", "batch-missing", "schema-family",
         "rules-family", "unknown-command"],
)
def test_every_command_follows_one_exit_code_convention(args: list[str], code: int, tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--out", str(tmp_path)] if args[0] in ("generate", "batch") else args)
    assert result.exit_code == code, result.output


def test_an_internal_error_exits_3_and_an_interruption_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import obc_builder.generate as generate

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(generate, "render_outputs", broken)
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 3 and "internal error: ZeroDivisionError: a bug" in result.stderr

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "render_outputs", interrupted)
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 130 and "interrupted" in result.stderr


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_schema_is_one_editors_can_use(family: str) -> None:
    schema = json.loads(runner.invoke(app, ["schema", family]).stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:obc-builder:schema:{family}"
    assert schema["title"] == f"obc-builder {family} contract input"
    assert "family" in schema["required"] and schema["properties"]["family"]["const"] == family
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_names_its_schema_and_is_valid_against_it(sample: Path) -> None:
    data = json.loads(sample.read_text(encoding="utf-8"))
    family = data["family"]
    assert data["$schema"] == f"schemas/{family}.schema.json"
    shipped = json.loads((sample.parent / data["$schema"]).read_text(encoding="utf-8"))
    assert shipped == json.loads(runner.invoke(app, ["schema", family]).stdout), "run: make schemas"
    jsonschema.Draft202012Validator(shipped).validate(data)


def test_the_schema_refuses_what_the_model_refuses() -> None:
    schema = json.loads(runner.invoke(app, ["schema", "hdt"]).stdout)
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"family": "ses"})
    assert not validator.is_valid({"family": "hdt", "parties": {"district_nam": "x"}})
    assert validator.is_valid({"$schema": "anything", "family": "hdt"})


def test_a_broken_clause_library_exits_3_not_as_a_refused_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import obc_builder.generate as generate
    from obc_builder.errors import TemplateError

    def broken(*args: object, **kwargs: object) -> None:
        raise TemplateError("clauses/hdt/a01_preamble.j2: unexpected '}'")

    monkeypatch.setattr(generate, "render_outputs", broken)
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 3 and "a01_preamble.j2" in result.stderr
