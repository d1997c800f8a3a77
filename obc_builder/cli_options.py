"""The command line's shared pieces: how help shows arguments and examples, and the options several commands
take (imported by :mod:`obc_builder.cli`, which alone prints and chooses exit codes)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from .families import FAMILY_NAMES


class _PlainArgument(TyperArgument):
    """An argument shown by its name alone (``INPUT...``), without Python type names like ``<list[Path]>``."""

    def display_type(self, ctx: Any) -> str:
        return ""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return name if name.endswith("...") or self.nargs == 1 else f"{name}..."


class Command(TyperCommand):
    """Every command's help: arguments by name, examples at the end."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument


def examples(*lines: str) -> str:
    """A command's help epilog: its examples, one per line, kept as written (``\\b`` stops re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _formats(value: str | tuple[str, ...]) -> tuple[str, ...]:
    from .errors import UsageError
    from .generate import FORMATS

    if isinstance(value, tuple):
        return value
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format: {', '.join(unknown) or 'nothing'} is not a format; choose docx, md, pdf or a "
                         "list such as docx,md")
    return chosen


def _out_folder(value: Path) -> Path:
    if str(value) == "-":
        raise typer.BadParameter("'-' would mean standard output, but contracts are files; name a folder")
    return value


OutOption = Annotated[Path, typer.Option("--out", "-o", metavar="FOLDER", callback=_out_folder,
                                         help="Folder to write the contract files into.")]
PolicyOption = Annotated[Path | None, typer.Option(
    "--policy", metavar="FILE", help="A district policy file (YAML) overriding recommended values.")]
FormatOption = Annotated[str, typer.Option(
    "--format", "-f", metavar="[docx|md|pdf|docx,md,...]",
    help="Which contract files: docx, md, pdf (through LibreOffice), or a list (docx,md,pdf). The review file "
         "and the manifest are always written.")]
TemplateOption = Annotated[Path | None, typer.Option(
    "--docx-template", metavar="FILE", help="A district's Word master (its styles, letterhead and footer) instead "
    "of the bundled one; templates/README.md lists the placeholders it contains.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace output files that exist with other content.")]
DraftOption = Annotated[bool, typer.Option("--draft", help="Generate even with unfilled inputs or errors; "
                                           "unfilled inputs show as [insert …], highlighted.")]
NoCommentsOption = Annotated[bool, typer.Option("--no-comments", help="No review comments in the .docx "
                                                "(a clean copy for signature).")]
ClausesOption = Annotated[Path | None, typer.Option(
    "--clauses", metavar="FOLDER", help="A folder of the District's own clause files (*.j2) that add clauses or "
    "replace standard ones by id; each is flagged as a deviation.")]
ReviewDocxOption = Annotated[bool, typer.Option("--review-docx", help="Also write the review file as Word "
                                                "(<name>.review.docx).")]
Family = Enum("Family", {name: name for name in FAMILY_NAMES}, type=str)  # type: ignore[misc]
"""The contract families; help shows them as ``[hdt|ses|agr]`` (one way, whatever typer's version)."""
FAMILY_METAVAR = f"[{'|'.join(FAMILY_NAMES)}]"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


F = TypeVar("F", bound=Callable[..., None])
