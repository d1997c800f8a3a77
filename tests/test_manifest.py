"""The generation manifest: <name>.manifest.json beside each contract, and the same record in the .docx."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import unescape

from typer.testing import CliRunner

from obc_builder.cli import app
from obc_builder.version import __version__

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "hdt_fast_math.json"
LETTERHEAD = ROOT / "samples" / "letterhead" / "letterhead.docx"
runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _custom_properties(docx: Path) -> dict[str, str]:
    xml = zipfile.ZipFile(docx).read("docProps/custom.xml").decode()
    return {unescape(name, {"&quot;": '"'}): unescape(value) for name, value in
            re.findall(r'<property [^>]*name="([^"]+)"><vt:lpwstr>([^<]*)</vt:lpwstr></property>', xml)}


def test_the_manifest_records_what_made_the_contract_and_each_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "hdt_fast_math.manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == {"name": "obc-builder", "version": __version__}
    assert manifest["family"] == "hdt"
    assert manifest["options"] == {"formats": ["docx", "md"], "draft": False, "comments": True, "review_docx": False}
    assert manifest["input"] == {"file": "hdt_fast_math.json", "sha256": _sha(SAMPLE)}
    assert manifest["master"] == {"file": "contract.docx", "sha256": _sha(ROOT / "templates" / "contract.docx")}
    assert manifest["policy"] == {}  # no district policy: every recommended value is the standard's
    clauses = manifest["clauses"]
    assert [c["id"] for c in clauses][:2] == ["a01_preamble", "a02_signatures"] and len(clauses) > 20
    for clause in clauses:
        assert clause["file"] == f"clauses/hdt/{clause['id']}.j2"
        assert clause["sha256"] == _sha(ROOT / clause["file"])
    outputs = {o["file"]: o["sha256"] for o in manifest["outputs"]}
    assert sorted(outputs) == ["hdt_fast_math.docx", "hdt_fast_math.forecast.png", "hdt_fast_math.md",
                               "hdt_fast_math.review.md"]
    for name, digest in outputs.items():
        assert _sha(tmp_path / name) == digest


def test_the_docx_carries_the_record_in_its_custom_properties(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path), "--docx-template", str(LETTERHEAD)])
    assert result.exit_code == 0, result.output
    docx = tmp_path / "hdt_fast_math.docx"
    manifest = json.loads((tmp_path / "hdt_fast_math.manifest.json").read_text(encoding="utf-8"))
    properties = _custom_properties(docx)
    assert properties["obc-builder version"] == __version__
    assert properties["obc-builder family"] == "hdt"
    assert properties["obc-builder input SHA-256"] == _sha(SAMPLE)
    assert properties["obc-builder master"] == "letterhead.docx" == manifest["master"]["file"]
    assert properties["obc-builder master SHA-256"] == _sha(LETTERHEAD) == manifest["master"]["sha256"]
    assert {f"obc-builder clause {c['id']} SHA-256": c["sha256"] for c in manifest["clauses"]}.items() <= \
        properties.items()
    archive = zipfile.ZipFile(docx)
    assert '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.' \
           'custom-properties+xml"/>' in archive.read("[Content_Types].xml").decode()
    assert re.search(r'<Relationship [^>]*Type="[^"]*/custom-properties" Target="docProps/custom.xml"/>',
                     archive.read("_rels/.rels").decode())


def test_a_district_policy_is_recorded_by_the_values_it_changes(tmp_path: Path) -> None:
    policy = tmp_path / "district.yaml"
    policy.write_text("hdt.contingent_share_pct: 50\n", encoding="utf-8")
    result = runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path), "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "hdt_fast_math.manifest.json").read_text(encoding="utf-8"))
    assert manifest["policy"] == {"hdt.contingent_share_pct": "50"}
    assert _custom_properties(tmp_path / "hdt_fast_math.docx")["obc-builder policy"] == "hdt.contingent_share_pct = 50"


def test_an_input_from_standard_input_is_recorded_by_the_digest_of_what_was_piped(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes() + b"\n\n"  # other bytes, the same contract
    done = subprocess.run([sys.executable, "-m", "obc_builder", "generate", "-", "--out", str(tmp_path),
                           "--format", "md"], input=data, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "hdt-contract.manifest.json").read_text(encoding="utf-8"))
    assert manifest["input"] == {"file": "<stdin>", "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["master"] is None  # no Word file was made


def test_the_same_input_twice_gives_the_same_bytes_manifest_included(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        assert runner.invoke(app, ["generate", str(SAMPLE), "--out", str(tmp_path / folder)]).exit_code == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "hdt_fast_math.manifest.json" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
