"""``obc-builder compare OLD NEW``: a second draft reviewed as changes, not re-read.

Each side is an input file or a contract obc-builder wrote in Markdown (:mod:`.read`); the two are compared clause
by clause (:mod:`.diff`) and written as ``<name>.redline.md`` (deleted words struck through, inserted ones
underlined, after a table of what changed) and ``<name>.redline.docx``, the new draft in the contract's own Word
layout whose changes are Word tracked changes by "obc-builder", for counsel to accept or reject one by one.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..render.markdown import escape, render_markdown
from ..version import __version__
from .diff import Redline, redline
from .read import Side, read_side


@dataclass(frozen=True)
class Compared:
    files: dict[str, bytes]
    redline: Redline

    def summary(self) -> str:
        return self.redline.summary()


def revision_date(new: Path) -> str:
    """The date the tracked changes carry: ``SOURCE_DATE_EPOCH`` when set, else when the new draft was last saved
    (so comparing the same two files again gives the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(new.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def compare_files(old: Path, new: Path, name: str | None = None, template: str | None = None) -> Compared:
    """The redline of ``new`` against ``old``, as file name → bytes (nothing is written here); ``template``: a
    district's Word master (``None``: the bundled one)."""
    from ..render.docx import render_docx

    before, after = read_side(old), read_side(new)
    same_family = before.document.family == after.document.family
    result = redline(before.document, after.document, before.by_clause and after.by_clause and same_family)
    name = name or new.stem
    properties = [("obc-builder version", __version__)]
    for role, side in (("old", before), ("new", after)):
        properties += [(f"obc-builder redline {role}", side.path.name),
                       (f"obc-builder redline {role} SHA-256", hashlib.sha256(side.path.read_bytes()).hexdigest())]
    word = render_docx(result.document, (), after.notice, template=template, properties=properties,
                       revised=revision_date(new))
    markdown = _markdown(result, before, after, f"{name}.redline.docx")
    return Compared({f"{name}.redline.md": markdown.encode("utf-8"), f"{name}.redline.docx": word}, result)


def _markdown(result: Redline, before: Side, after: Side, word_name: str) -> str:
    """The redline in Markdown: the new draft as ``generate`` writes it, changes marked, and ahead of its first
    section a table of the clauses that changed."""
    contract = render_markdown(result.document, after.notice)
    listed = [(segment, status) for segment, status in result.changes if status != "unchanged"]
    lines = ["## Changes", "",
             f"Changes from {escape(before.path.name)} to {escape(after.path.name)}: "
             f"{escape(result.summary())}. Deleted words are ~~struck through~~, inserted words "
             f"<ins>underlined</ins>; {escape(word_name)} holds the same changes as Word tracked changes, to accept "
             "or reject one by one.", ""]
    old_doc, new_doc = before.document, after.document
    if (old_doc.title, old_doc.district, old_doc.provider) != (new_doc.title, new_doc.district, new_doc.provider):
        lines += [f"The title or the parties changed: {escape(_heading(old_doc))} is now {escape(_heading(new_doc))}.",
                  ""]
    if listed and any(segment.section for segment, _ in result.changes):
        lines += ["| Section | Clause | Change |", "|---|---|---|"]
        lines += [f"| Section {escape(segment.section)} | {escape(segment.title)} | {status} |"
                  for segment, status in listed]
    elif listed:
        lines += ["| Section | Change |", "|---|---|"]
        lines += [f"| {escape(segment.title) or '(before the first section)'} | {status} |"
                  for segment, status in listed]
    lines.append("")
    cut = contract.find("\n## ")
    cut = cut + 1 if cut >= 0 else len(contract)
    return contract[:cut] + "\n".join(lines) + "\n" + contract[cut:]


def _heading(document: object) -> str:
    return " · ".join(str(getattr(document, part)) for part in ("title", "district", "provider"))

