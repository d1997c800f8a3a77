"""--docx-template: a district's own Word master (its styles, fonts, letterhead, footer) instead of the bundled one."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.errors import InputError
from obc_builder.generate import render_outputs
from obc_builder.loading import load_contract
from obc_builder.render.master import BODY_STYLES, REQUIRED, load_master

from .conftest import ROOT, docx_dump
from .validators import ooxml_errors

LETTERHEAD = ROOT / "samples" / "letterhead" / "letterhead.docx"
SAMPLE = ROOT / "samples" / "hdt_fast_math.json"
runner = CliRunner()


def _parts(docx: bytes | Path) -> dict[str, bytes]:
    source = io.BytesIO(docx) if isinstance(docx, bytes) else docx
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _master_variant(tmp_path: Path, name: str, change: dict[str, bytes | None]) -> Path:
    """The sample letterhead with some parts replaced (``None``: removed)."""
    parts = _parts(LETTERHEAD)
    for part, data in change.items():
        if data is None:
            parts.pop(part, None)
        else:
            parts[part] = data
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


def _generate(master: Path, sample: Path = SAMPLE) -> bytes:
    files, _ = render_outputs(load_contract(sample), source=str(sample), name="c", template=str(master))
    return files["c.docx"]


def test_the_sample_letterhead_gives_the_same_contract_in_the_districts_own_look(tmp_path: Path) -> None:
    word = _generate(LETTERHEAD)
    bundled, _ = render_outputs(load_contract(SAMPLE), source=str(SAMPLE), name="c")
    def body(docx: bytes) -> str:  # the title block is the master's own wording ("between … and …")
        dump = docx_dump(docx)
        return dump[dump.index("Heading 1:"):]

    assert body(word) == body(bundled["c.docx"])  # the same words, styles and numbers
    parts = _parts(word)
    assert b'w:ascii="Arial"' in parts["word/styles.xml"] and b"Times New Roman" not in parts["word/styles.xml"]
    headers = b"".join(data for name, data in parts.items() if re.match(r"word/header\d*\.xml", name))
    assert b"SUNSHINE COUNTY PUBLIC SCHOOLS" in headers and b"Bright Path Tutoring, Inc." in headers
    assert b"Office of Procurement and Contracts" in b"".join(
        data for name, data in parts.items() if name.startswith("word/footer"))
    (tmp_path / "c.docx").write_bytes(word)
    assert ooxml_errors([tmp_path / "c.docx"]) == {tmp_path / "c.docx": []}


def test_generate_and_batch_take_the_master_and_write_the_same_files(tmp_path: Path) -> None:
    one = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path / "one"), "--docx-template",
                              str(LETTERHEAD)])
    assert one.exit_code == 0, one.output
    many = runner.invoke(app, ["batch", str(SAMPLE), str(ROOT / "samples" / "ses_online.json"), "--jobs", "2",
                               "--out", str(tmp_path / "many"), "--docx-template", str(LETTERHEAD)])
    assert many.exit_code == 0, many.output
    for name in ("hdt_fast_math.docx", "hdt_fast_math.manifest.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()
    assert b"SUNSHINE COUNTY" in b"".join(_parts(tmp_path / "many" / "ses_online.docx").values())


def _replaced(edits: dict[str, tuple[str, str]]) -> dict[str, bytes | None]:
    parts = _parts(LETTERHEAD)
    out: dict[str, bytes | None] = {}
    for part, (old, new) in edits.items():
        assert old.encode() in parts[part]
        out[part] = parts[part].replace(old.encode(), new.encode())
    return out


@pytest.mark.parametrize(("placeholder", "edits"), [
    ("{{p body }}", {"word/document.xml": ("{{p body }}", "")}),
    ("{{ draft_notice }}", {"word/document.xml": ("{{ draft_notice }}", "")}),
    ("{%p if draft %}", {"word/document.xml": ("{%p if draft %}", "{%p if title_block %}"),
                         "word/header2.xml": ("{% if draft %}DRAFT · {% endif %}", "")}),
], ids=list(REQUIRED))
def test_a_master_without_a_required_placeholder_is_refused_naming_it_and_the_file(
        tmp_path: Path, placeholder: str, edits: dict[str, tuple[str, str]]) -> None:
    master = _master_variant(tmp_path, "plain.docx", _replaced(edits))
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path / "out"), "--docx-template",
                                 str(master)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "plain.docx" in lines[0] and placeholder in lines[0] and "templates/README.md" in lines[0]
    assert not (tmp_path / "out").exists()  # refused before any contract was written


def test_a_master_that_prints_a_value_obc_builder_does_not_fill_is_refused(tmp_path: Path) -> None:
    document = _parts(LETTERHEAD)["word/document.xml"].replace(b"between {{ district }}",
                                                                b"between {{ superintendent }}")
    master = _master_variant(tmp_path, "extra.docx", {"word/document.xml": document})
    with pytest.raises(InputError, match=r"extra\.docx: the Word master uses \{\{ superintendent \}\}"):
        load_master(str(master))


def test_a_body_slot_inside_a_line_is_refused(tmp_path: Path) -> None:
    document = _parts(LETTERHEAD)["word/document.xml"].replace(b"{{p body }}", b"Text: {{ body }}")
    master = _master_variant(tmp_path, "inline.docx", {"word/document.xml": document})
    with pytest.raises(InputError, match=r"inline\.docx: .*\{\{p body \}\} in a paragraph of its own"):
        load_master(str(master))


def test_a_file_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path), "--docx-template", str(fake)])
    assert result.exit_code == 1 and "fake.docx: is not a Word file (.docx)" in result.stderr


def test_a_master_without_the_body_styles_or_any_list_still_makes_a_valid_contract(tmp_path: Path) -> None:
    """A master made in Word holds only the styles it uses, and no numbering part when it has no list."""
    parts = _parts(LETTERHEAD)
    styles = parts["word/styles.xml"].decode()
    for style in BODY_STYLES:
        styles = re.sub(rf'<w:style\b[^>]*w:styleId="{style}".*?</w:style>', "", styles, flags=re.S)
    styles = re.sub(r'<w:style\b[^>]*w:styleId="Normal".*?</w:style>', "", styles, flags=re.S)  # basedOn: nowhere
    rels = re.sub(r'<Relationship [^>]*numbering[^>]*/>', "", parts["word/_rels/document.xml.rels"].decode())
    types = re.sub(r'<Override [^>]*numbering[^>]*/>', "", parts["[Content_Types].xml"].decode())
    master = _master_variant(tmp_path, "bare.docx", {"word/styles.xml": styles.encode(), "word/numbering.xml": None,
                                                     "word/_rels/document.xml.rels": rels.encode(),
                                                     "[Content_Types].xml": types.encode()})
    word = _generate(master)
    out = _parts(word)
    defined = set(re.findall(rb'w:styleId="([^"]+)"', out["word/styles.xml"]))
    used = set(re.findall(rb'<w:(?:pStyle|tblStyle) w:val="([^"]+)"', out["word/document.xml"]))
    assert used - {b"Title", b"Subtitle"} <= defined and {s.encode() for s in BODY_STYLES} <= defined
    assert b"Times New Roman" not in out["word/styles.xml"]  # copied styles take the district's font
    numbers = set(re.findall(rb'<w:num w:numId="(\d+)"', out["word/numbering.xml"]))
    assert set(re.findall(rb'<w:numId w:val="(\d+)"', out["word/styles.xml"] + out["word/document.xml"])) <= numbers
    assert b'Target="numbering.xml"' in out["word/_rels/document.xml.rels"]
    (tmp_path / "c.docx").write_bytes(word)
    assert ooxml_errors([tmp_path / "c.docx"]) == {tmp_path / "c.docx": []}


def test_tables_fit_between_the_masters_own_margins(tmp_path: Path) -> None:
    document = _parts(LETTERHEAD)["word/document.xml"].decode()
    wide = re.sub(r'w:left="\d+"', 'w:left="2160"', re.sub(r'w:right="\d+"', 'w:right="2160"', document))
    master = _master_variant(tmp_path, "narrow.docx", {"word/document.xml": wide.encode()})
    body = _parts(_generate(master))["word/document.xml"].decode()
    widths = [int(w) for w in re.findall(r'<w:tblW w:w="(\d+)"', body)]
    assert widths and max(widths) == 12240 - 2 * 2160  # Letter, 1.5-inch margins


def test_the_committed_letterhead_is_what_its_script_builds(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(LETTERHEAD.with_name("build_letterhead.py")), str(tmp_path / "l.docx")],
                   check=True, capture_output=True)
    built, committed = _parts(tmp_path / "l.docx"), _parts(LETTERHEAD)
    assert built.keys() == committed.keys()
    assert [name for name in built if name != "docProps/core.xml" and built[name] != committed[name]] == []
