"""The commands after signature: ``settle`` (what the District owes, from the contract's rate card and the students'
results) and ``forecast`` (what it would pay at other rates of achievement). Registered on the app by
:mod:`obc_builder.cli`, which passes in how a command reports errors and reads an input. Annotations are evaluated
where they are written (see :mod:`obc_builder.cli`)."""

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_options import Command, ForceOption, OutOption, examples


class Audience(str, Enum):
    district = "district"
    provider = "provider"


def add_settle_commands(app: typer.Typer, reported: Callable[[Any], Any], load: Callable[[Path], Any]) -> None:
    """Add ``settle`` and ``forecast`` to ``app``."""

    @app.command(cls=Command, epilog=examples(
        "obc-builder settle --template samples/hdt_fast_math.json --out results/",
        "obc-builder settle samples/hdt_fast_math.json results.csv --out settlement/",
        "obc-builder settle contract.json results.xlsx --out for-provider/ --for provider"))
    @reported
    def settle(
        contract: Annotated[Path, typer.Argument(metavar="CONTRACT", show_default=False,
                                                 help="The signed contract's input file (JSON), HDT or SES.")],
        results: Annotated[Path | None, typer.Argument(metavar="RESULTS", show_default=False,
                                                       help="The students' results (.csv or .xlsx).")] = None,
        out: OutOption = Path("out"),
        template: Annotated[bool, typer.Option("--template", help="Write the contract's empty results file "
                                               "(CONTRACT-results.csv) instead of settling.")] = False,
        draft: Annotated[bool, typer.Option("--draft", help="Settle even when the results have problems; the "
                                            "statement lists them.")] = False,
        allow_pii: Annotated[bool, typer.Option("--allow-pii", help="Accept (and ignore) columns that look like "
                                                "names, birth dates or addresses.")] = False,
        audience: Annotated[Audience, typer.Option("--for", metavar="[district|provider]", help="Who the statement "
                                                   "is for; the provider's names no student.")] = Audience.district,
        force: ForceOption = False,
    ) -> None:
        """Settle a signed contract: what the District owes, from its rate card and the students' results
        (settlement.md, .docx and .csv, readable by you alone). See docs/settlement.md for the results columns."""
        from .errors import UsageError
        from .settle import settle_files, write_template

        if template:
            typer.echo(str(write_template(contract, out, force=force)))
            return
        if results is None:
            raise UsageError("settle needs a RESULTS file (or --template to write an empty one)")
        settlement, written = settle_files(contract, results, out, draft=draft, allow_pii=allow_pii,
                                           audience=audience.value, force=force)
        for path in written:
            typer.echo(str(path))
        if settlement.problems:
            typer.echo(f"{results}: settled as a draft despite {len(settlement.problems)} problem(s): see the "
                       "statement", err=True)


    @app.command(cls=Command, epilog=examples("obc-builder forecast samples/hdt_fast_math.json --rates 0.3,0.5"))
    @reported
    def forecast(
        contract: Annotated[Path, typer.Argument(metavar="CONTRACT", show_default=False,
                                                 help="An HDT contract's input file (JSON).")],
        rates: Annotated[str, typer.Option("--rates", metavar="RATES", help="Shares of students achieving each "
                                           "outcome, comma-separated (0.3 or 30%).")] = "0.2,0.4,0.6,0.8",
    ) -> None:
        """Print what the District pays if a share of students achieve each outcome (the review file's forecast)."""
        from .forecast import forecast_text, parse_rates

        typer.echo(forecast_text(load(contract)[0], parse_rates(rates), str(contract)))
