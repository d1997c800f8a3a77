"""The ``obc-builder`` command. Only this module prints and chooses exit codes.

Exit codes, the same for every command: 0 done, 1 an input or a rule refused it (or some inputs of a
batch), 2 the command was called wrongly, 3 an internal error (a bug: please report it), 130 interrupted
(Ctrl-C or SIGTERM).

Heavy libraries (pydantic models, Jinja, python-docx) are imported inside the commands that need them,
so ``obc-builder --help`` answers at once. No ``from __future__ import annotations`` in the command modules: typer
reads every command's annotations for ``--help``, and evaluating them from text cost half of its time there.
"""

import functools
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from .cli_clauses import clauses_app
from .cli_options import (
    FAMILY_METAVAR,
    ClausesOption,
    Command,
    DraftOption,
    F,
    Family,
    ForceOption,
    FormatOption,
    NoCommentsOption,
    OutOption,
    PolicyOption,
    ReviewDocxOption,
    TemplateOption,
    TextFormat,
    _formats,
    examples,
)
from .cli_settle import add_settle_commands
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


def load_clauses_folder(path: Path | None) -> Any:
    """A district's clause folder, checked once before any input is read (None without --clauses)."""
    from .district import load_district_clauses

    return load_district_clauses(str(path)) if path is not None else None


def _load(path: Path) -> tuple[Any, str]:
    """A contract input from a file, or from standard input when the path is ``-``, and its bytes' SHA-256."""
    from .loading import load_input

    return load_input("-" if str(path) == "-" else path)


def _output_name(path: Path, contract: Any) -> str:
    """Outputs are named after the input file; from standard input, after the family (``hdt-contract``)."""
    return f"{contract.family}-contract" if str(path) == "-" else path.stem


@app.command(cls=Command, epilog=examples(
    "obc-builder generate samples/hdt_fast_math.json --out out/",
    "cat my.json | obc-builder generate - --out out/ --format md,pdf --draft"))
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
    clauses: ClausesOption = None,
    review_docx: ReviewDocxOption = False,
    docx_template: TemplateOption = None,
) -> None:
    """Generate contracts from JSON input files: <name>.docx, <name>.md, <name>.review.md and
    <name>.manifest.json (what made the contract: version, SHA-256 of the input, clauses, master and outputs).

    An output file that already holds exactly the same contract is left as it is; one with other content
    is replaced only with --force.
    """
    from .cli_process import startup_over
    from .errors import ObcError
    from .generate import generate_files, prepare_outputs

    formats = _formats(format)
    rules_policy = load_policy_file(policy)
    district = load_clauses_folder(clauses)
    template = prepare_outputs(formats, docx_template)
    failed = 0
    for number, path in enumerate(inputs):
        if number:
            startup_over()
        try:
            contract, digest = _load(path)
            result = generate_files(contract, out, source="<stdin>" if str(path) == "-" else str(path),
                                    name=_output_name(path, contract), formats=formats, draft=draft,
                                    comments=not no_comments, policy=rules_policy, force=force,
                                    district=district, review_docx=review_docx, template=template,
                                    input_sha256=digest)
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
    clauses: ClausesOption = None,
) -> None:
    """Check an input against the rules: exit 0 with no error (warnings allowed), 1 when it is refused."""
    from .validation import validate_file

    table = load_policy_file(policy)
    report = validate_file("-" if str(input) == "-" else input, table, load_clauses_folder(clauses))
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
    clauses: ClausesOption = None,
    review_docx: ReviewDocxOption = False,
    docx_template: TemplateOption = None,
) -> None:
    """Generate many contracts; one bad input stops none of the others.

    Outputs that already hold exactly the same contract are skipped, so re-running an interrupted batch
    finishes the rest; an output with other content is replaced only with --force.
    """
    from .batch import BatchInterrupted, Item, Options, collect_inputs, report_json, run_batch, succeeded
    from .cli_process import startup_over
    from .errors import UsageError
    from .generate import prepare_outputs
    from .outputs import write_atomic
    from .render.terminal import batch_progress, print_summary

    if "-" in inputs:
        raise UsageError("batch reads files, not standard input; for one input from a pipe use: generate -")
    load_policy_file(policy)  # a bad policy file (or clause folder) is refused once, before any input is read
    load_clauses_folder(clauses)
    paths = collect_inputs(inputs)
    formats = _formats(format)
    options = Options(out=out, formats=formats, draft=draft, force=force, comments=not no_comments,
                      policy_path=str(policy) if policy else None, clauses_path=str(clauses) if clauses else None,
                      review_docx=review_docx, template=prepare_outputs(formats, docx_template))

    def finish(items: list[Item]) -> None:
        print_summary(items, report)
        if report is not None:
            write_atomic(report, report_json(items).encode("utf-8"))

    startup_over()
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


@app.command(cls=Command, epilog=examples("obc-builder compare v1.json v2.json --out review/",
                                          "obc-builder compare out/v1.md out/v2.md --out review/"))
@reported
def compare(
    old: Annotated[Path, typer.Argument(metavar="OLD", show_default=False,
                                        help="The earlier draft: an input file (JSON) or a generated contract (.md).")],
    new: Annotated[Path, typer.Argument(metavar="NEW", show_default=False,
                                        help="The later draft, the same way.")],
    out: OutOption = Path("out"),
    force: ForceOption = False,
    docx_template: TemplateOption = None,
) -> None:
    """Compare two drafts clause by clause: <NEW>.redline.md (deletions struck through, insertions underlined)
    and <NEW>.redline.docx, whose changes are Word tracked changes to accept or reject one by one."""
    from .generate import prepare_outputs
    from .outputs import write_files
    from .redline import compare_files

    compared = compare_files(old, new, template=prepare_outputs(("docx",), docx_template))
    written = write_files(out, compared.files, force=force)
    for output in written.paths:
        typer.echo(f"{output} (unchanged)" if output in written.unchanged else str(output))
    typer.echo(compared.summary())


@app.command(cls=Command, epilog=examples("obc-builder wizard --resume out/hdt-contract.json",
                                          "obc-builder wizard --from samples/hdt_fast_math.json --out renewal/"))
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
    clauses: ClausesOption = None,
    review_docx: ReviewDocxOption = False,
    source: Annotated[Path | None, typer.Option("--from", metavar="FILE", help="Start from an earlier "
                                                "contract's input (last year's, a sample) for a new school year.")
                      ] = None,
) -> None:
    """Answer the contract's questions one section at a time, review, and write the contract (interactive)."""
    from .cli_process import startup_over
    from .wizard import require_terminal, resume_hint, run_wizard

    require_terminal()
    startup_over()
    result = run_wizard(family=family.value if family else None, resume=resume, out=out, answers=answers,
                        policy=load_policy_file(policy), district=load_clauses_folder(clauses),
                        review_docx=review_docx, source=source)
    for output in result.outputs:
        typer.echo(str(output))
    if not result.outputs:
        typer.echo(resume_hint(result.answers))


add_settle_commands(app, reported, _load)
app.add_typer(clauses_app(Command, reported, examples, Family, FAMILY_METAVAR, ClausesOption, load_clauses_folder))


def run() -> None:
    """Console-script entry point (see :mod:`.cli_process`: Ctrl-C and SIGTERM, the exit code, a quick exit)."""
    from .cli_process import run_command

    run_command(app)


if __name__ == "__main__":
    run()
