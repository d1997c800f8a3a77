"""Word tracked changes for a redline: runs a new draft inserts (``w:ins``) or deletes (``w:del``), by obc-builder.

Counsel accepts or rejects each one in Word. A paragraph or table row all of whose words are inserted (deleted)
was inserted (deleted) as a whole, so its paragraph mark or row is marked too; accepting every change then gives
exactly the new draft.
"""

from __future__ import annotations

from itertools import count

from ..document import Change
from .xmltext import xml_escape

AUTHOR = "obc-builder"


class Revisions:
    """The tracked changes of one document: each gets the next id (after the comments'), the author and the date."""

    def __init__(self, date: str | None, first_id: int = 0) -> None:
        self._ids = count(first_id)
        self._attributes = f' w:author={_quoted(AUTHOR)}' + (f" w:date={_quoted(date)}" if date else "")

    def mark(self, change: Change | None) -> str:
        """The empty ``w:ins``/``w:del`` that marks a paragraph mark (inside its ``w:rPr``) or a row (``w:trPr``)."""
        return f'<w:{change} w:id="{next(self._ids)}"{self._attributes}/>' if change else ""

    def wrap(self, change: Change | None, run: str) -> str:
        """A run (``<w:r>…</w:r>``) as an insertion or a deletion (whose text is ``w:delText``)."""
        if change is None:
            return run
        if change == "del":
            run = run.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
        return f'<w:{change} w:id="{next(self._ids)}"{self._attributes}>{run}</w:{change}>'


def _quoted(value: str) -> str:
    """An attribute value in double quotes, escaped (``xml.sax.saxutils.quoteattr`` for text without quotes)."""
    return '"' + xml_escape(value, {'"': "&quot;"}) + '"'

