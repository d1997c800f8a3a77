"""The ``obc-builder`` command. Only this module prints and chooses exit codes.

Exit codes, the same for every command: 0 done, 1 an input or a rule refused it (or some inputs of a
batch), 2 the command was called wrongly, 3 an internal error (a bug: please report it), 130 interrupted
(Ctrl-C or SIGTERM).

Heavy libraries (pydantic models, Jinja, python-docx) are imported inside the commands that need them,
so ``obc-builder --help`` answers at once.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from .families import FAMILY_NAMES
from .version import __version__

EXIT_CODES = """\b
Exit codes: 0 done; 1 an input or a rule refused it (or, in a batch, any input);
2 the command was called wrongly; 3 internal error (a bug); 130 interrupted."""

app = typer.Typer(
    name="obc-builder",
    help="Write K-12 tutoring contracts (outcomes-based HDT, Florida SES, Wisconsin AGR) in Word and Markdown.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


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
        raise UsageError(f"--format: {', '.join(unknown) or 'nothing'} is not a format; choose docx, md or docx,md")
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
    "--format", "-f", metavar="[docx|md|docx,md]",
    help="Which contract files: docx, md, or both (docx,md). The review file is always written.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace output files that exist with other content.")]
DraftOption = Annotated[bool, typer.Option("--draft", help="Generate even with unfilled inputs or errors; "
                                           "unfilled inputs show as [insert …], highlighted.")]
NoCommentsOption = Annotated[bool, typer.Option("--no-comments", help="No review comments in the .docx "
                                                "(a clean copy for signature).")]
Family = Enum("Family", {name: name for name in FAMILY_NAMES}, type=str)  # type: ignore[misc]
"""The contract families; help shows them as ``[hdt|ses|agr]`` (one way, whatever typer's version)."""
FAMILY_METAVAR = f"[{'|'.join(FAMILY_NAMES)}]"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


F = TypeVar("F", bound=Callable[..., None])


def _version(value: bool) -> None:
    if value:
        typer.echo(f"obc-builder {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    _state["debug"] = debug


def fail(error: BaseException) -> NoReturn:
    """Print an error the way a user can act on it, and exit with its code."""
    from .errors import ObcError

    if _state["debug"]:
        import traceback

        traceback.print_exception(error)
    if isinstance(error, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        raise typer.Exit(130)
    if isinstance(error, ObcError):
        typer.echo(str(error), err=True)
        raise typer.Exit(error.exit_code)
    typer.echo(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", err=True)
    raise typer.Exit(3)


def reported(command: F) -> F:
    """Every error a command meets becomes a message and an exit code (see :func:`fail`)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BaseException as error:  # noqa: BLE001 - the CLI is where every error becomes a message
            fail(error)

    return wrapper  # type: ignore[return-value]


def load_policy_file(path: Path | None) -> Any:
    from .policy import load_policy

    return load_policy(path)


def _load(path: Path) -> Any:
    """A contract input from a file, or from standard input when the path is ``-``."""
    from .loading import load_contract

    return load_contract("-" if str(path) == "-" else path)


def _output_name(path: Path, contract: Any) -> str:
    """Outputs are named after the input file; from standard input, after the family (``hdt-contract``)."""
    return f"{contract.family}-contract" if str(path) == "-" else path.stem


@app.command(cls=Command, epilog=examples(
    "obc-builder generate samples/hdt_fast_math.json --out out/",
    "cat my.json | obc-builder generate - --out out/ --format md --draft"))
@reported
def generate(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT...", show_default=False,
                                                 help="Contract input files (JSON); - reads one from standard input.")],
    out: OutOption = Path("out"),
    format: FormatOption = "docx,md",
    draft: DraftOption = False,
    no_comments: NoCommentsOption = False,
    force: ForceOption = False,
    policy: PolicyOption = None,
) -> None:
    """Generate contracts from JSON input files: <name>.docx, <name>.md and <name>.review.md.

    An output file that already holds exactly the same contract is left as it is; one with other content
    is replaced only with --force.
    """
    from .errors import ObcError
    from .generate import generate_files

    formats = _formats(format)
    rules_policy = load_policy_file(policy)
    failed = 0
    for path in inputs:
        try:
            contract = _load(path)
            result = generate_files(contract, out, source="<stdin>" if str(path) == "-" else str(path),
                                    name=_output_name(path, contract), formats=formats, draft=draft,
                                    comments=not no_comments, policy=rules_policy, force=force)
        except ObcError as error:
            if error.exit_code != 1:  # a usage error or a broken clause library stops the run with its own code
                raise
            typer.echo(str(error), err=True)
            failed += 1
            continue
        for output in result.outputs:
            typer.echo(f"{output} (unchanged)" if output in result.unchanged else str(output))
        warnings = sum(1 for f in result.findings if f.severity.value == "warning")
        if warnings:
            typer.echo(f"{path}: {warnings} warning{'s' * (warnings != 1)}: see the review file", err=True)
    if failed:
        raise typer.Exit(1)


@app.command(cls=Command, epilog=examples("obc-builder schema hdt > hdt.schema.json"))
@reported
def schema(
    family: Annotated[Family, typer.Argument(metavar="FAMILY", show_default=False,
                                             help=f"Contract family: {', '.join(FAMILY_NAMES)}.")],
) -> None:
    """Print the JSON Schema of a family's input file (for editors: put "$schema" in your input file)."""
    from .schemas import schema_json

    typer.echo(schema_json(family.value), nl=False)


@app.command(cls=Command, epilog=examples("obc-builder validate samples/ses_online.json",
                             "obc-builder validate my.json --policy district.yaml --format json"))
@reported
def validate(
    input: Annotated[Path, typer.Argument(metavar="INPUT", show_default=False,
                                          help="A contract input file (JSON); - reads it from standard input.")],
    policy: PolicyOption = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", metavar="[text|json]",
                                                       help="How to print the findings.")] = TextFormat.text,
) -> None:
    """Check an input against the rules: exit 0 with no error (warnings allowed), 1 when it is refused."""
    from .validation import validate_file

    table = load_policy_file(policy)
    report = validate_file("-" if str(input) == "-" else input, table)
    typer.echo(report.as_json() if format is TextFormat.json else report.as_text())
    raise typer.Exit(1 if report.has_errors else 0)


@app.command(cls=Command, epilog=examples("obc-builder rules --family ses",
                             "obc-builder rules --policy district.yaml"))
@reported
def rules(
    family: Annotated[Family | None, typer.Option("--family", metavar=FAMILY_METAVAR,
                                                  help="Only this family's rules.")] = None,
    policy: PolicyOption = None,
) -> None:
    """List every rule (id, severity, source) and the recommended values in force, then what a reviewer
    confirms by hand (the checklist of the review file)."""
    from .rules.engine import checklist_for, rules_for

    table = load_policy_file(policy)
    for item in rules_for(family.value if family else None):
        line = f"{item.id:<14} {item.severity.value:<8} {item.title} [source: {item.source}]"
        if item.policy_key:
            entry = table[item.policy_key]
            line = (f"{item.id:<14} {item.severity.value:<8} {item.title}: recommended {entry.describe()} "
                    f"[source: {entry.source}]")
        typer.echo(line)
    for check in checklist_for(family.value if family else None):
        typer.echo(f"{check.id:<14} {'by hand':<8} {check.text} [source: {check.source}]")


@app.command(cls=Command, epilog=examples("obc-builder batch inputs/ --out out/ --jobs 2 --report report.json",
                             "obc-builder batch 'contracts/**/*.json' --out out/ --preflight"))
@reported
def batch(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", show_default=False,
                                                help="Input files, folders (every *.json in them) or globs.")],
    out: OutOption = Path("out"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes.")] = 1,
    format: FormatOption = "docx,md",
    draft: DraftOption = False,
    force: ForceOption = False,
    report: Annotated[Path | None, typer.Option("--report", metavar="FILE",
                                                help="Write a JSON report of every input.")] = None,
    preflight: Annotated[bool, typer.Option("--preflight", help="Validate every input first; write nothing "
                                            "unless all pass.")] = False,
    no_comments: NoCommentsOption = False,
    policy: PolicyOption = None,
) -> None:
    """Generate many contracts; one bad input stops none of the others.

    Outputs that already hold exactly the same contract are skipped, so re-running an interrupted batch
    finishes the rest; an output with other content is replaced only with --force.
    """
    from .batch import BatchInterrupted, Item, Options, collect_inputs, report_json, run_batch, succeeded
    from .errors import UsageError
    from .outputs import write_atomic
    from .render.terminal import batch_progress, print_summary

    if "-" in inputs:
        raise UsageError("batch reads files, not standard input; for one input from a pipe use: generate -")
    load_policy_file(policy)  # a bad policy file is refused once, before any input is read
    paths = collect_inputs(inputs)
    options = Options(out=out, formats=_formats(format), draft=draft, force=force, comments=not no_comments,
                      policy_path=str(policy) if policy else None)

    def finish(items: list[Item]) -> None:
        print_summary(items)
        if report is not None:
            write_atomic(report, report_json(items).encode("utf-8"))

    try:
        with batch_progress(len(paths), "checking" if preflight else "generating") as advance:
            items = run_batch(paths, options, jobs=jobs, write=not preflight, progress=advance)
        if preflight and succeeded(items):
            with batch_progress(len(paths), "generating") as advance:
                items = run_batch(paths, options, jobs=jobs, progress=advance)
        elif preflight:
            typer.echo("preflight: not every input passes; nothing was written", err=True)
    except BatchInterrupted as interrupted:
        finish(interrupted.items)
        typer.echo("interrupted: every file written is complete; run the same command again to finish the rest",
                   err=True)
        raise typer.Exit(130) from None
    finish(items)
    raise typer.Exit(0 if succeeded(items) else 1)


@app.command(cls=Command, epilog=examples("obc-builder wizard", "obc-builder wizard --resume out/hdt-contract.json"))
@reported
def wizard(
    family: Annotated[Family | None, typer.Option("--family", metavar=FAMILY_METAVAR,
                                                  help="Contract family (asked when not given).")
                      ] = None,
    resume: Annotated[Path | None, typer.Option("--resume", metavar="FILE", help="An answers file to continue, "
                                                "from its first unanswered question.")] = None,
    out: OutOption = Path("out"),
    answers: Annotated[Path | None, typer.Option(
        "--answers", metavar="FILE", show_default=False,
        help="Where to save the answers as you go [default: the --resume file, else OUT/FAMILY-contract.json].")
    ] = None,
    policy: PolicyOption = None,
) -> None:
    """Answer the contract's questions one section at a time, review, and write the contract (interactive)."""
    from .wizard import require_terminal, resume_hint, run_wizard

    require_terminal()
    result = run_wizard(family=family.value if family else None, resume=resume, out=out, answers=answers,
                        policy=load_policy_file(policy))
    for output in result.outputs:
        typer.echo(str(output))
    if not result.outputs:
        typer.echo(resume_hint(result.answers))


class Audience(str, Enum):
    district = "district"
    provider = "provider"


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

    typer.echo(forecast_text(_load(contract), parse_rates(rates), str(contract)))


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """Console-script entry point: SIGTERM is handled like Ctrl-C, so every command stops cleanly."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    run()
