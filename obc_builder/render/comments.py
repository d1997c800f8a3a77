"""Word comments: where each finding's comment is anchored, and ``word/comments.xml``.

A finding's comment goes where its value is set; every other clause that prints the same fields gets a short
comment pointing there (see :class:`Anchors`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import ClauseInfo, Document, PageBreak, Run, related
from ..locations import plain_source
from .xmltext import xml_escape

if TYPE_CHECKING:
    from ..rules.engine import Finding
    from .tracked import Revisions

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

@dataclass(frozen=True)
class Comment:
    finding: Finding
    see: str | None = None
    """For a mention: where the finding's own comment is (the comment then only points there)."""
    reason: str | None = None
    """The District's reason for keeping the finding (``departures`` in the inputs), printed after it."""


def _place(info: ClauseInfo) -> str:
    section = f"Section {info.section}" if len(info.section) <= 3 else info.section
    return f"“{info.title}” ({section})"


class Anchors:
    """Where each comment goes.

    A finding's comment is anchored where its value is set: the first place the contract prints its field within a
    clause whose ``fields:`` name it, else the first place the field is printed at all, else its clause, else the
    start. Every other clause that prints the finding's fields (its own or those in ``also``) gets a short comment,
    once per clause, pointing to that one. A finding the District keeps on purpose carries its reason
    (``departures``, by the field the finding is anchored on).
    """

    def __init__(self, document: Document, findings: Sequence[Finding],
                 departures: Mapping[str, str] | None = None) -> None:
        self.revisions: Revisions | None = None
        """A redline's tracked changes (``render_docx`` gives them their date and first id); ``None`` in a
        contract, whose runs carry no change."""
        self.at_run: dict[int, list[int]] = {}
        self.at_block: dict[int, list[int]] = {}
        self.comments: list[Comment] = []
        printed = [(document.blocks[index].clause, run) for index, run in document.values() if run.path]
        for finding in findings:
            number = self._add(Comment(finding, reason=(departures or {}).get(finding.path)))
            home: str | None
            if finding.clause:  # a finding about a clause (a district's own): on its first block
                index = next((i for i, block in enumerate(document.blocks) if block.clause == finding.clause), 0)
                self.at_block.setdefault(index, []).append(number)
                continue
            if found := self._home(document, finding.path, printed):
                home = found[0]
                self.at_run.setdefault(id(found[1]), []).append(number)
            else:
                clause = document.clause_for(finding.path)
                home = clause.id if clause else None
                index = next((i for i, block in enumerate(document.blocks)
                              if clause and block.clause == clause.id and not isinstance(block, PageBreak)), 0)
                self.at_block.setdefault(index, []).append(number)
            if home is None:
                continue
            seen = {home}
            for path in finding.paths:
                for clause_id, run in printed:
                    if clause_id not in seen and _shows(run.path, path):
                        seen.add(clause_id)
                        mention = self._add(Comment(finding, _place(document.clause(home))))
                        self.at_run.setdefault(id(run), []).append(mention)

    def _add(self, comment: Comment) -> int:
        self.comments.append(comment)
        return len(self.comments) - 1

    @staticmethod
    def _home(document: Document, path: str, printed: list[tuple[str, Run]]) -> tuple[str, Run] | None:
        naming = {info.id for info in document.clauses if any(related(path, f) for f in info.fields)}
        shown = [(clause, run) for clause, run in printed if _shows(run.path, path)]
        if chosen := next(((c, r) for c, r in shown if c in naming), None) or next(iter(shown), None):
            return chosen
        found = document.value_run(path)  # a value printed whole that contains the field
        return (document.blocks[found[0]].clause, found[1]) if found else None


def _shows(printed: str | None, path: str) -> bool:
    """Whether a value printed from field ``printed`` is the field ``path`` or a part of it."""
    return printed is not None and (printed == path or printed.startswith(path + "."))


def comment_start(numbers: list[int]) -> str:
    return "".join(f'<w:commentRangeStart w:id="{n}"/>' for n in numbers)


def comment_end(numbers: list[int]) -> str:
    return "".join(
        f'<w:commentRangeEnd w:id="{n}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
        f'<w:commentReference w:id="{n}"/></w:r>'
        for n in numbers
    )


def comments_xml(comments: Sequence[Comment], stamp: str | None) -> bytes:
    items = []
    date = f' w:date="{stamp}"' if stamp else ""
    for number, comment in enumerate(comments):
        finding = comment.finding
        kind = finding.severity.value.capitalize()  # no rule id or seed number: the words a lawyer reads
        title = f"{kind} (source: {plain_source(finding.source)})"
        text = f"{finding.message} Fix: {finding.fix}"
        if comment.reason:
            text = f"{text.rstrip('.')}. District's reason: {comment.reason}"
        if comment.see:
            title = kind
            text = f"See the comment on this in {comment.see}."
        items.append(
            f'<w:comment w:id="{number}" w:author="obc-builder" w:initials="OBC"{date}>'
            f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{xml_escape(title)}</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p></w:comment>'
        )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{_W}">'
            + "".join(items) + "</w:comments>").encode()
