"""The numbers Word prints before list paragraphs, counted from ``word/numbering.xml`` the way Word counts them."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree import ElementTree

from obc_builder.render.numbering import number_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(element: Any) -> str:
    assert element is not None
    return str(element.get(f"{W}val", ""))


class WordNumbers:
    """Feed it a document's paragraphs in order; it answers the number Word shows before each (``""`` if none).

    Only a paragraph's own ``w:numPr`` counts (list styles' bullets are not numbers). Each ``w:num`` counts on its
    own, starting each level at its start override (else the level's start); a level restarts after an item of a
    level above it, and a level an item skips over counts as begun (so the next item at that level is its second). ``%1`` in a level's text is level 0's number in level 0's format, and so on."""

    def __init__(self, docx: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            numbering = ElementTree.fromstring(archive.read("word/numbering.xml"))
        self.abstracts = {a.get(f"{W}abstractNumId", ""): a for a in numbering.iter(f"{W}abstractNum")}
        self.nums = {n.get(f"{W}numId", ""): n for n in numbering.iter(f"{W}num")}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: dict[str, list[tuple[str, str]]] = {}
        """The level formats (numFmt, lvlText) of each abstract numbering a numbered paragraph uses."""

    def label(self, paragraph: Any) -> str:
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id, ilvl = _val(num_pr.find(f"{W}numId")), int(_val(num_pr.find(f"{W}ilvl")))
        num = self.nums[num_id]
        abstract_id = _val(num.find(f"{W}abstractNumId"))
        levels = {int(lvl.get(f"{W}ilvl", "")): lvl for lvl in self.abstracts[abstract_id].iter(f"{W}lvl")}
        self.used[abstract_id] = [(_val(lvl.find(f"{W}numFmt")), _val(lvl.find(f"{W}lvlText")))
                                  for _, lvl in sorted(levels.items())]
        overrides = {int(o.get(f"{W}ilvl", "")): int(_val(o.find(f"{W}startOverride")))
                     for o in num.iter(f"{W}lvlOverride") if o.find(f"{W}startOverride") is not None}
        count = self.counters.setdefault(num_id, {})

        def start(level: int) -> int:
            return overrides.get(level, int(_val(levels[level].find(f"{W}start"))))

        for above in range(ilvl):  # a level skipped over counts as begun (Word and LibreOffice both do this)
            count.setdefault(above, start(above))
        count[ilvl] = count[ilvl] + 1 if ilvl in count else start(ilvl)
        for deeper in [level for level in count if level > ilvl]:
            del count[deeper]
        text = _val(levels[ilvl].find(f"{W}lvlText"))
        for level, value in count.items():
            text = text.replace(f"%{level + 1}", number_text(_val(levels[level].find(f"{W}numFmt")), value))
        return text


def word_numbers(docx: bytes) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    """The number before each paragraph of the body that has its own ``w:numPr``, in order, and the schemes used."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml"))
    numbers = WordNumbers(docx)
    shown = [numbers.label(p) for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    return shown, numbers.used
