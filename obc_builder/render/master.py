"""The Word master a contract is rendered from: the bundled ``templates/contract.docx`` or a district's own
(``--docx-template``), read, checked, patched by docxtpl and compiled once per process.

A district's master brings its own styles, fonts, letterhead and footer. It must contain the placeholders in
:data:`REQUIRED` (``templates/README.md`` lists them all); a style the contract body uses that it lacks is copied
from the bundled master without its font, so the body still reads in the district's own typeface.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..bundled import data_dir
from ..errors import InputError
from ..version import __version__
from .zipwriter import Entry

REQUIRED = {
    "body": "{{p body }}",
    "draft": "{%p if draft %}",
    "draft_notice": "{{ draft_notice }}",
}
"""What every master must contain: the slot for the contract's text (a paragraph of its own), and the banner that
tells a reader a draft is not for signature."""
OPTIONAL = ("title", "title_block", "district", "provider")
"""What a master may print: the contract's title, whether the family wants a title block, the parties' names."""
BODY_STYLES = ("Heading1", "Heading2", "Heading3", "ClauseItem1", "ClauseItem2", "ClauseItem3", "ClauseItem4",
               "ListBullet", "ListBullet2", "ListBullet3", "AfterTable", "TableText", "TableGrid")
"""The style ids the contract body refers to (``render/docx.py``)."""
TEXT_WIDTH = 9360
"""Twentieths of a point: 6.5 inches between 1-inch margins on Letter paper, for a master that names no page size."""

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument"
_PARTS = {  # part: (the relationship's type, the relationships part that holds it, target, content type)
    "word/comments.xml": (f"{_REL}/comments", "word/_rels/document.xml.rels", "comments.xml",
                          f"{_TYPES}.wordprocessingml.comments+xml"),
    "word/numbering.xml": (f"{_REL}/numbering", "word/_rels/document.xml.rels", "numbering.xml",
                           f"{_TYPES}.wordprocessingml.numbering+xml"),
    "docProps/core.xml": (f"{_PACKAGE_RELS}/metadata/core-properties", "_rels/.rels", "docProps/core.xml",
                          "application/vnd.openxmlformats-package.core-properties+xml"),
    "docProps/custom.xml": (f"{_REL}/custom-properties", "_rels/.rels", "docProps/custom.xml",
                            f"{_TYPES}.custom-properties+xml"),
}
_STYLES = (f"{_REL}/styles", "word/_rels/document.xml.rels", "styles.xml", f"{_TYPES}.wordprocessingml.styles+xml")
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EMPTY_NUMBERING = f"{_XML}<w:numbering {_W_NS}></w:numbering>"
_HEADERS = re.compile(r"^word/(header|footer)\d*\.xml$")
_IN_A_LINE = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*\{\{-?\s*body\b")


@dataclass(frozen=True)
class Master:
    name: str
    """The master's file name (``contract.docx`` for the bundled one)."""
    sha256: str
    """The SHA-256 of the master's file, as the generation manifest records it."""
    parts: dict[str, bytes]
    templates: dict[str, Any]
    static: dict[str, Entry]
    """Parts that are the same in every contract, deflated once."""
    text_width: int
    """The width between the page's margins, in twentieths of a point: what tables are fitted to."""


def bundled_master() -> Path:
    return data_dir("templates") / "contract.docx"


@cache
def load_master(path: str | None = None) -> Master:
    """Read, check, patch and compile a master once per process; ``None`` is the bundled one."""
    from jinja2 import Environment, meta

    from .patched import patched_parts

    file = Path(path) if path else bundled_master()
    parts = _read(file)
    source = str(file)
    parts.pop("docProps/thumbnail.jpeg", None)
    parts["_rels/.rels"] = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", parts["_rels/.rels"])
    if "word/numbering.xml" not in parts:
        parts["word/numbering.xml"] = _EMPTY_NUMBERING.encode()
    if path:
        _add_missing_styles(parts, load_master(None).parts)
    for name in _PARTS:
        _declare(parts, name)
    parts["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>obc-builder {__version__}</Application></Properties>"
    ).encode()
    env = Environment(autoescape=True)
    names = ["word/document.xml", *sorted(n for n in parts if _HEADERS.match(n))]
    patched = patched_parts(file, parts, names)  # stored beside the bundled master; docxtpl patches any other
    _check_placeholders(source, patched, {v for text in patched.values()
                                          for v in meta.find_undeclared_variables(env.parse(text))})
    templates = {name: env.from_string(text) for name, text in patched.items()}
    dynamic = {*templates, *_PARTS}
    static = {name: Entry.deflate(name, data) for name, data in parts.items() if name not in dynamic}
    return Master(file.name, hashlib.sha256(file.read_bytes()).hexdigest(), parts, templates, static,
                  _text_width(parts["word/document.xml"]))


def _read(file: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(file) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
    except FileNotFoundError:
        raise InputError(str(file), None, "there is no such Word master") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(str(file), None, f"is not a Word file (.docx) ({error})") from error
    for needed in ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels"):
        if needed not in parts:
            raise InputError(str(file), None, f"is not a Word file (.docx): it has no {needed}")
    return parts


def _check_placeholders(source: str, patched: dict[str, str], used: set[str]) -> None:
    """Refuse a master without a required placeholder, with one that prints a value obc-builder does not fill,
    or whose body slot sits inside a line (the body is paragraphs and tables; it needs a paragraph of its own)."""
    hint = "see templates/README.md for the placeholders a Word master contains"
    for name, placeholder in REQUIRED.items():
        if name not in used:
            raise InputError(source, None, f"the Word master has no {placeholder} placeholder; {hint}")
    unknown = sorted(used - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InputError(source, None, f"the Word master uses {{{{ {unknown[0]} }}}}, which obc-builder does not "
                                       f"fill; {hint}")
    document = patched["word/document.xml"]
    if _IN_A_LINE.search(document) or not re.search(r"\{\{-?\s*body\b", document):
        raise InputError(source, None, f"the Word master's body placeholder must be {REQUIRED['body']} in a "
                                       f"paragraph of its own in the document (not in a line or a header); {hint}")


def _declare(parts: dict[str, bytes], name: str, spec: tuple[str, str, str, str] | None = None) -> None:
    """Make sure a part obc-builder writes is listed in ``[Content_Types].xml`` and related from its owner."""
    rel_type, owner, target, content_type = spec or _PARTS[name]
    if f'PartName="/{name}"'.encode() not in parts["[Content_Types].xml"]:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
    if f'Type="{rel_type}"'.encode() not in parts[owner]:
        rel_id = "rIdObc" + re.sub(r"\W", "", Path(name).stem.title())
        parts[owner] = parts[owner].replace(
            b"</Relationships>",
            f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/></Relationships>'.encode())


def _style_ids(styles: bytes) -> set[str]:
    return set(re.findall(r'<w:style\b[^>]*\bw:styleId="([^"]+)"', styles.decode("utf-8")))


def _add_missing_styles(parts: dict[str, bytes], bundled: dict[str, bytes]) -> None:
    """Copy each body style the master lacks from the bundled master, without its font (the district's own shows)
    and without references to styles the master does not have; a bullet style brings its list definition along."""
    if "word/styles.xml" not in parts:
        parts["word/styles.xml"] = f"{_XML}<w:styles {_W_NS}></w:styles>".encode()
        _declare(parts, "word/styles.xml", _STYLES)
    have = _style_ids(parts["word/styles.xml"])
    missing = [style for style in BODY_STYLES if style not in have]
    if not missing:
        return
    source = bundled["word/styles.xml"].decode("utf-8")
    copies = []
    for style_id in missing:
        found = re.search(rf'<w:style\b[^>]*\bw:styleId="{style_id}".*?</w:style>', source, re.S)
        if found is None:
            continue
        xml = re.sub(r"<w:rFonts\b[^>]*/>", "", found.group(0))
        for reference in ("basedOn", "next", "link"):
            target = re.search(rf'<w:{reference} w:val="([^"]+)"/>', xml)
            if target and target.group(1) not in have and target.group(1) not in missing:
                xml = xml.replace(target.group(0), "")
        numbered = re.search(r'<w:numId w:val="(\d+)"/>', xml)
        if numbered:
            new_id = _copy_list(parts, bundled, numbered.group(1))
            xml = xml.replace(numbered.group(0), f'<w:numId w:val="{new_id}"/>')
        copies.append(xml)
    styles = parts["word/styles.xml"]
    parts["word/styles.xml"] = styles.replace(b"</w:styles>", "".join(copies).encode() + b"</w:styles>")


def _copy_list(parts: dict[str, bytes], bundled: dict[str, bytes], num_id: str) -> int:
    """Copy the bundled master's list ``num_id`` (its ``w:num`` and ``w:abstractNum``) into the master; its new id."""
    from .numbering import first_ids

    source = bundled["word/numbering.xml"].decode("utf-8")
    num = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>', source)
    assert num is not None, f"the bundled master has no list {num_id}"
    abstract = re.search(rf'<w:abstractNum\b[^>]*w:abstractNumId="{num.group(1)}".*?</w:abstractNum>', source, re.S)
    assert abstract is not None
    new_num, new_abstract = first_ids(parts["word/numbering.xml"])
    definition = re.sub(r'w:abstractNumId="\d+"', f'w:abstractNumId="{new_abstract}"', abstract.group(0), count=1)
    definition = re.sub(r"<w:nsid [^>]*/>", "", definition)
    text = parts["word/numbering.xml"].decode("utf-8")
    cut = text.find("<w:num ")
    cut = cut if cut >= 0 else text.rindex("</w:numbering>")
    text = text[:cut] + definition + text[cut:]
    end = text.rindex("</w:numbering>")
    text = text[:end] + f'<w:num w:numId="{new_num}"><w:abstractNumId w:val="{new_abstract}"/></w:num>' + text[end:]
    parts["word/numbering.xml"] = text.encode("utf-8")
    return new_num


def _text_width(document: bytes) -> int:
    """The width between the margins of the master's (last) section, or Letter with 1-inch margins."""
    sections = re.findall(rb"<w:sectPr\b.*?</w:sectPr>", document, re.S)
    if not sections:
        return TEXT_WIDTH
    size = re.search(rb'<w:pgSz\b[^>]*\bw:w="(\d+)"', sections[-1])
    margins = {side: re.search(rb'<w:pgMar\b[^>]*\bw:' + side + rb'="(-?\d+)"', sections[-1])
               for side in (b"left", b"right", b"gutter")}
    if size is None or margins[b"left"] is None or margins[b"right"] is None:
        return TEXT_WIDTH
    width = int(size.group(1)) - sum(int(m.group(1)) for m in margins.values() if m is not None)
    return width if width > 1440 else TEXT_WIDTH
