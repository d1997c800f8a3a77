"""What the wizard prints, wrapped at word boundaries to the terminal's width.

A line is broken only at spaces: never inside a word, a hyphenated rule id (``HDT-PAY-005``), a path or a
command; a progress counter ("7 of 15") and the resume command stay whole. A word longer than a line (a long
path) goes on a line of its own. Continuation lines get a hanging indent.
"""

from __future__ import annotations

import re
import shutil
import textwrap

FALLBACK_COLUMNS = 80
_GLUE = "\u2060"  # stands for a space that must not break while wrapping (restored afterwards)
_UNBREAKABLE = re.compile(r"\b\d+ of \d+\b|obc-builder wizard --resume|obc-builder generate")


def columns() -> int:
    """The terminal's width; 80 when it cannot be told."""
    return shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns or FALLBACK_COLUMNS


def wrap(text: str, width: int, indent: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` characters (but for a word longer than that, alone on its line),
    broken at spaces only; continuation lines are indented as the first line, plus ``indent`` (two spaces)."""
    lead = " " * (len(text) - len(text.lstrip(" ")))
    hanging = lead + ("  " if indent is None else indent)
    if len(text) <= width:
        return [text]
    glued = _UNBREAKABLE.sub(lambda match: match.group().replace(" ", _GLUE), text)
    lines = textwrap.wrap(glued.lstrip(" "), width, initial_indent=lead, subsequent_indent=hanging,
                          break_long_words=False, break_on_hyphens=False)
    if not lines:
        return [text]
    return [line.replace(_GLUE, " ") for line in lines]


def fill(text: str, width: int | None = None, indent: str | None = None) -> str:
    """:func:`wrap`, joined with line breaks (each line of ``text`` wrapped on its own)."""
    width = width or columns() - 1
    return "\n".join(wrapped for line in text.split("\n") for wrapped in wrap(line, width, indent))
