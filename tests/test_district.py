"""District clause folders (``--clauses DIR``): adding and replacing clauses, the sandbox, front-matter checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.district import library_with, load_district_clauses
from obc_builder.errors import DistrictClauseError
from obc_builder.generate import render_outputs
from obc_builder.loading import contract_from_data
from obc_builder.rules.engine import Severity

from .conftest import ROOT, sample_data

runner = CliRunner()
SAMPLE = str(ROOT / "samples" / "hdt_fast_math.json")
SAMPLE_FOLDER = ROOT / "samples" / "district_clauses"


def clause_file(folder: Path, name: str, body: str, **meta: str) -> Path:
    """A district clause file; the test's own wording (a test never ships as contract text)."""
    head = {"id": Path(name).stem, "family": "hdt", "title": "District background", "section": "C",
            "source": "a test of obc-builder", **meta}
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", *(f"{key}: {value!r}" if value else f"{key}:" for key, value in head.items() if value != "-"),
             "---", body]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def outputs(folder: Path | None, draft: bool = False) -> tuple[dict[str, bytes], list]:  # type: ignore[type-arg]
    contract = contract_from_data(sample_data("hdt_fast_math"), "hdt_fast_math.json")
    district = load_district_clauses(str(folder)) if folder else None
    return render_outputs(contract, source="x", name="x", formats=("md",), draft=draft, district=district)


def test_the_sample_folder_replaces_the_term_clause_and_is_a_deviation() -> None:
    files, findings = outputs(SAMPLE_FOLDER)
    contract = files["x.md"].decode()
    assert "The term of this Agreement shall begin on July 1, 2024" in contract
    assert "This Agreement shall remain in force until" not in contract  # the standard k03_term is gone
    deviation = [f for f in findings if f.clause == "k03_term"]
    assert [f.severity for f in deviation] == [Severity.warning]
    review = files["x.review.md"].decode()
    memo = review.split("## Findings")[0]
    assert "“Term (School District of Volusia County form)” replaces the standard clause" in memo
    assert "School District of Volusia County" in memo


def test_an_added_clause_goes_in_the_order_of_its_id(tmp_path: Path) -> None:
    clause_file(tmp_path, "c02_district_background.j2", "The {{ parties.district_name }} adds this paragraph.")
    files, findings = outputs(tmp_path)
    contract = files["x.md"].decode()
    added = contract.index("adds this paragraph.")
    assert contract.index("SECTION C: BACKGROUND") < added < contract.index("SECTION D")
    assert "Sunshine County Public Schools adds this paragraph." in contract
    assert any(f.clause == "c02_district_background" and "is added to the standard contract" in f.message
               for f in findings)
    assert "is added to the standard contract" in files["x.review.md"].decode().split("## Findings")[0]


def test_without_a_folder_there_is_no_district_clause_and_no_deviation() -> None:
    files, findings = outputs(None)
    assert not [f for f in findings if f.clause]
    assert "None: every clause is the standard text." in files["x.review.md"].decode()


def test_a_district_clause_may_refer_to_standard_clauses_and_be_referred_to(tmp_path: Path) -> None:
    clause_file(tmp_path, "c02_district_background.j2", "See {{ ref(\"f04_rate_card\") }}.")
    files, _ = outputs(tmp_path)
    assert "See Section F.3 (Rate Card)." in files["x.md"].decode()


HOSTILE = [
    ("class", "{{ ''.__class__ }}", "''.__class__ is refused"),
    ("mro walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "reaches into Python's internals"),
    ("self", "{{ self }}", "'self' is not available"),
    ("include", "{% include '/etc/passwd' %}", "{% include %} is refused"),
    ("import", "{% import 'x' as x %}", "{% import %} is refused"),
    ("extends", "{% extends 'x' %}", "{% extends %} is refused"),
    ("cycler globals", "{{ cycler.__init__.__globals__ }}", "cycler.__init__ is refused"),
    ("lipsum globals", "{{ lipsum.__globals__['os'] }}", "lipsum.__globals__ is refused"),
    ("lipsum call", "{{ lipsum(1000000) }}", "'lipsum' is not available"),
    ("namespace", "{% set ns = namespace() %}{{ ns }}", "'namespace' is not available"),
    ("range", "{% for i in range(99999) %}x{% endfor %}", "'range' is not available"),
    ("dict", "{{ dict(a=1) }}", "'dict' is not available"),
    ("item walk", "{{ parties['__class__'] }}", "reaches into Python's internals"),
    ("macro", "{% macro m() %}x{% endmacro %}{{ m() }}", "macros are refused"),
    ("condition", "text", "when: 'lipsum' is not available"),
]


RUNTIME = [
    ("attr filter", "{{ parties | attr('_' ~ '_class__') }}", "refused by the sandbox"),
    ("method call", "{{ parties.district_name.value.upper() }}", "refused by the sandbox"),
    ("string repetition", "{{ 'x' * 1000000000 }}", "repeating text or a list with * is not available"),
    ("power", "{{ 9 ** 9 ** 9 }}", "the power operator ** is not available"),
    ("unknown name", "{{ os }}", "'os' is undefined"),
]
"""What no name gives away, refused when a contract renders."""


@pytest.mark.parametrize(("body", "expected", "when"),
                         [(body, expected, "load") for _, body, expected in HOSTILE]
                         + [(body, expected, "render") for _, body, expected in RUNTIME],
                         ids=[name for name, _, _ in HOSTILE] + [f"run time: {name}" for name, _, _ in RUNTIME])
def test_the_sandbox_refuses_reaching_beyond_the_inputs_with_sentences_naming_the_file(
        tmp_path: Path, body: str, expected: str, when: str) -> None:
    path = clause_file(tmp_path, "c02_hostile.j2", body, **({"when": "lipsum"} if body == "text" else {}))
    with pytest.raises(DistrictClauseError) as refused:
        load_district_clauses(str(tmp_path)) if when == "load" else outputs(tmp_path)
    lines = str(refused.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any(expected in line for line in lines)
    assert len(lines) == 1 or when == "load"  # at load, one sentence per construct refused


FRONT_MATTER = [
    ("unknown family", {"family": "xyz"}, "family: 'xyz' is not a contract family"),
    ("missing title", {"title": "-"}, "the front matter has no title:"),
    ("missing source", {"source": "-"}, "the front matter has no source:"),
    ("empty section", {"section": ""}, "section: must be text"),
    ("unknown key", {"colour": "red"}, "colour: is not a front-matter key"),
    ("bad id", {"id": "Has Spaces"}, "id: 'Has Spaces' must be lower-case letters"),
]


@pytest.mark.parametrize(("meta", "expected"), [(meta, expected) for _, meta, expected in FRONT_MATTER],
                         ids=[name for name, _, _ in FRONT_MATTER])
def test_front_matter_problems_are_one_sentence_each_naming_the_file(
        tmp_path: Path, meta: dict[str, str], expected: str) -> None:
    path = clause_file(tmp_path, "c02_x.j2", "Text.", **meta)
    with pytest.raises(DistrictClauseError) as refused:
        load_district_clauses(str(tmp_path))
    assert str(refused.value) == next(line for line in str(refused.value).splitlines() if expected in line)
    assert str(refused.value).startswith(f"{path}: ")


def test_a_duplicate_id_names_both_files(tmp_path: Path) -> None:
    first = clause_file(tmp_path, "a.j2", "One.", id="c02_x")
    second = clause_file(tmp_path, "b.j2", "Two.", id="c02_x")
    with pytest.raises(DistrictClauseError) as refused:
        load_district_clauses(str(tmp_path))
    assert str(refused.value) == (f"{second}: id 'c02_x' is already used by {first} for the same family; each clause "
                                  "of the folder has its own id")


def test_every_problem_of_the_folder_is_reported_at_once(tmp_path: Path) -> None:
    clause_file(tmp_path, "a.j2", "One.", family="xyz", id="c02_a")
    clause_file(tmp_path, "b.j2", "{{ self }}", id="c02_b")
    with pytest.raises(DistrictClauseError) as refused:
        load_district_clauses(str(tmp_path))
    assert len(str(refused.value).splitlines()) == 2


def test_a_folder_that_is_not_one_or_is_empty_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DistrictClauseError, match="is not one"):
        load_district_clauses(str(tmp_path / "nowhere"))
    with pytest.raises(DistrictClauseError, match="holds no clause files"):
        load_district_clauses(str(tmp_path))


def test_a_replacement_other_clauses_refer_to_must_keep_a_numbered_heading(tmp_path: Path) -> None:
    clause_file(tmp_path, "f04_rate_card.j2", "No heading here.", id="f04_rate_card", section="F")
    with pytest.raises(DistrictClauseError, match="f04_rate_card"):
        library_with("hdt", load_district_clauses(str(tmp_path)))


def test_cli_generate_validate_and_batch_take_the_folder(tmp_path: Path) -> None:
    folder = str(SAMPLE_FOLDER)
    out = tmp_path / "out"
    done = runner.invoke(app, ["generate", SAMPLE, "--out", str(out), "--format", "md", "--clauses", folder])
    assert done.exit_code == 0, done.output
    assert "1 warning" in done.stderr
    assert "Volusia" in (out / "hdt_fast_math.review.md").read_text(encoding="utf-8")
    checked = runner.invoke(app, ["validate", SAMPLE, "--clauses", folder])
    assert checked.exit_code == 0 and "DISTRICT-CLAUSE: clause k03_term" in checked.stdout
    batch = runner.invoke(app, ["batch", SAMPLE, "--out", str(tmp_path / "b"), "--format", "md", "--clauses",
                                folder])
    assert batch.exit_code == 0, batch.output
    assert "Volusia" in (tmp_path / "b" / "hdt_fast_math.review.md").read_text(encoding="utf-8")


def test_cli_refuses_a_broken_folder_before_any_input_with_exit_1(tmp_path: Path) -> None:
    path = clause_file(tmp_path / "d", "c02_x.j2", "{{ ''.__class__ }}")
    done = runner.invoke(app, ["generate", SAMPLE, "--out", str(tmp_path / "out"), "--clauses", str(tmp_path / "d")])
    assert done.exit_code == 1
    assert done.stderr.startswith(f"{path}: line 1: ''.__class__ is refused")
    assert not (tmp_path / "out").exists()


def test_the_word_comment_of_a_district_clause_is_on_that_clause() -> None:
    from docx import Document as Word

    contract = contract_from_data(sample_data("hdt_fast_math"), "hdt_fast_math.json")
    files, _ = render_outputs(contract, source="x", name="x", formats=("docx",),
                              district=load_district_clauses(str(SAMPLE_FOLDER)))
    import io

    word = Word(io.BytesIO(files["x.docx"]))
    comment = next(c for c in word.comments if "District's own clause" in c.text)
    xml = word.element.body.xml
    start = xml.index(f'w:commentRangeStart w:id="{comment.comment_id}"')
    assert xml.index("TERM</w:t>", start) - start < 2000  # the comment opens at the clause's heading
    assert "DISTRICT-CLAUSE" not in comment.text and "k03_term" in comment.text


def test_the_wizard_generates_with_the_districts_clauses_and_the_word_review(tmp_path: Path) -> None:
    from .test_wizard import REVIEW, choose, drive, write_answers

    resume = write_answers(tmp_path, sample_data("hdt_fast_math"))
    result, _ = drive([(REVIEW, choose(1))], resume=resume, out=tmp_path / "out",
                      district=load_district_clauses(str(SAMPLE_FOLDER)), review_docx=True)
    names = sorted(path.name for path in result.outputs)  # type: ignore[union-attr]
    assert "hdt-contract.review.docx" in names
    assert "Volusia" in (tmp_path / "out" / "hdt-contract.review.md").read_text(encoding="utf-8")
    assert "The term of this Agreement shall begin on" in (tmp_path / "out" / "hdt-contract.md").read_text(
        encoding="utf-8")
