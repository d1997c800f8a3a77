"""``obc-builder clauses list|show``: the command wiring (the listing itself is :mod:`.catalog`).

No ``from __future__ import annotations`` here: typer reads the commands' annotations, which name the types passed in
to :func:`clauses_app`, so they must be evaluated where the commands are defined.
"""

from collections.abc import Callable
from typing import Annotated, Any

import typer


def clauses_app(command: type, reported: Callable[[Any], Any], examples: Callable[..., str], family_type: Any,
                family_metavar: str, clauses_option: Any, load_folder: Callable[[Any], Any]) -> typer.Typer:
    """The ``clauses`` command group, built from the shared wiring of :mod:`.cli` (passed in, so that this module
    never imports the command line it is part of, which may be running as ``__main__``)."""
    app = typer.Typer(
        name="clauses",
        help="List the clause library, or show one clause: its source, the law it enforces, when it is included.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )

    @app.command("list", cls=command, epilog=examples("obc-builder clauses list --family ses",
                                                      "obc-builder clauses list --clauses district/"))
    @reported
    def list_clauses(
        family: Annotated[family_type | None, typer.Option("--family", metavar=family_metavar,  # type: ignore[valid-type]
                                                           help="Only this family's clauses.")] = None,
        clauses: clauses_option = None,
    ) -> None:
        """List every clause: id, title, the document and section it transcribes, and the law it enforces."""
        from .catalog import list_lines

        for line in list_lines(family.value if family else None, load_folder(clauses)):
            typer.echo(line)

    @app.command("show", cls=command, epilog=examples("obc-builder clauses show l01_governing_law",
                                                      "obc-builder clauses show hdt/k03_term"))
    @reported
    def show_clause(
        clause_id: Annotated[str, typer.Argument(metavar="ID", show_default=False,
                                                 help="A clause id (ID or FAMILY/ID), as `clauses list` prints it.")],
        clauses: clauses_option = None,
    ) -> None:
        """Show one clause: source, law, when it is included, the corrections it makes, and its wording."""
        from .catalog import show_lines

        for line in show_lines(clause_id, load_folder(clauses)):
            typer.echo(line)

    return app
