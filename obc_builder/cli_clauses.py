"""``obc-builder clauses list|show``: the command wiring (the listing itself is :mod:`.catalog`)."""

from __future__ import annotations

from typing import Annotated

import typer

from .cli import FAMILY_METAVAR, ClausesOption, Command, Family, examples, load_clauses_folder, reported

clauses_app = typer.Typer(
    name="clauses",
    help="List the clause library, or show one clause: its source, the law it enforces, when it is included.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@clauses_app.command("list", cls=Command, epilog=examples("obc-builder clauses list --family ses",
                                                           "obc-builder clauses list --clauses district/"))
@reported
def list_clauses(
    family: Annotated[Family | None, typer.Option("--family", metavar=FAMILY_METAVAR,
                                                  help="Only this family's clauses.")] = None,
    clauses: ClausesOption = None,
) -> None:
    """List every clause: id, title, the document and section it transcribes, and the law it enforces."""
    from .catalog import list_lines

    for line in list_lines(family.value if family else None, load_clauses_folder(clauses)):
        typer.echo(line)


@clauses_app.command("show", cls=Command, epilog=examples("obc-builder clauses show l01_governing_law",
                                                           "obc-builder clauses show hdt/k03_term"))
@reported
def show_clause(
    clause_id: Annotated[str, typer.Argument(metavar="ID", show_default=False,
                                             help="A clause id (ID or FAMILY/ID), as `clauses list` prints it.")],
    clauses: ClausesOption = None,
) -> None:
    """Show one clause: source, law, when it is included, the corrections it makes, and its wording."""
    from .catalog import show_lines

    for line in show_lines(clause_id, load_clauses_folder(clauses)):
        typer.echo(line)
