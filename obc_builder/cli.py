"""The ``obc-builder`` command. Only this module prints and chooses exit codes.

Heavy libraries (pydantic models, Jinja, python-docx) are imported inside the commands that need them,
so ``obc-builder --help`` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    name="obc-builder",
    help="Write K-12 tutoring contracts (outcomes-based HDT, Florida SES, Wisconsin AGR) in Word and Markdown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}

OutOption = Annotated[Path, typer.Option("--out", "-o", help="Folder to write the contract files into.")]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="A district policy file (YAML) overriding recommended values.")
]


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")] = False,
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


def _formats(value: str) -> tuple[str, ...]:
    from .errors import UsageError
    from .generate import FORMATS

    chosen = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format: {', '.join(unknown) or 'nothing'} is not a format; choose from docx, md")
    return chosen


@app.command()
def generate(
    inputs: Annotated[list[Path], typer.Argument(help="Contract input files (JSON).", show_default=False)],
    out: OutOption = Path("out"),
    format: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: docx, md.")] = "docx,md",
    draft: Annotated[bool, typer.Option("--draft", help="Generate even with unfilled inputs or errors; "
                                        "unfilled inputs show as [insert …], highlighted.")] = False,
    no_comments: Annotated[bool, typer.Option("--no-comments", help="No review comments in the .docx "
                                              "(a clean copy for signature).")] = False,
    policy: PolicyOption = None,
) -> None:
    """Generate contracts from JSON input files: <name>.docx, <name>.md and <name>.review.md."""
    try:
        from .generate import generate_files
        from .loading import load_contract
        formats = _formats(format)
        rules_policy = load_policy_file(policy)
        failed = 0
        for path in inputs:
            try:
                contract = load_contract(path)
                result = generate_files(contract, out, source=str(path), name=path.stem, formats=formats,
                                        draft=draft, comments=not no_comments, policy=rules_policy)
            except Exception as error:
                from .errors import ObcError, UsageError

                if isinstance(error, UsageError) or not isinstance(error, ObcError):
                    raise
                typer.echo(str(error), err=True)
                failed += 1
                continue
            warnings = sum(1 for f in result.findings if f.severity.value == "warning")
            note = f" ({warnings} warning{'s' * (warnings != 1)}: see the review file)" if warnings else ""
            for output in result.outputs:
                typer.echo(str(output))
            if note:
                typer.echo(f"{path}:{note}", err=True)
        if failed:
            raise typer.Exit(1)
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001 - the CLI is where every error becomes a message
        fail(error)


@app.command()
def schema(
    family: Annotated[str, typer.Argument(help="Contract family: hdt, ses or agr.")],
) -> None:
    """Print the JSON Schema of a family's input file."""
    try:
        import json

        from .errors import UsageError
        from .families import FAMILY_NAMES, get_family

        if family not in FAMILY_NAMES:
            raise UsageError(f"unknown family {family!r}; choose from {', '.join(FAMILY_NAMES)}")
        model = get_family(family).model
        typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001
        fail(error)


@app.command()
def validate(
    input: Annotated[Path, typer.Argument(help="A contract input file (JSON).", show_default=False)],
    policy: PolicyOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Check an input against the rules: exit 0 with no error (warnings allowed), 1 with errors, 2 unreadable."""
    try:
        from .errors import InputError, InvalidInput, UsageError
        from .validation import validate_file

        if format not in ("text", "json"):
            raise UsageError(f"--format: {format!r} is not a format; choose text or json")
        table = load_policy_file(policy)
        try:
            report = validate_file(input, table)
        except (InputError, InvalidInput) as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(2) from error
        typer.echo(report.as_json() if format == "json" else report.as_text())
        raise typer.Exit(1 if report.has_errors else 0)
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001
        fail(error)


def load_policy_file(path: Path | None):  # type: ignore[no-untyped-def]
    from .policy import load_policy

    return load_policy(path)


@app.command()
def rules(
    family: Annotated[str | None, typer.Option("--family", help="Only this family's rules.")] = None,
    policy: PolicyOption = None,
) -> None:
    """List every rule (id, severity, source) and the recommended values in force."""
    try:
        from .errors import UsageError
        from .families import FAMILY_NAMES
        from .rules.engine import rules_for

        if family is not None and family not in FAMILY_NAMES:
            raise UsageError(f"unknown family {family!r}; choose from {', '.join(FAMILY_NAMES)}")
        table = load_policy_file(policy)
        for item in rules_for(family):
            line = f"{item.id:<14} {item.severity.value:<8} {item.title} [source: {item.source}]"
            if item.policy_key:
                entry = table[item.policy_key]
                line = (f"{item.id:<14} {item.severity.value:<8} {item.title}: recommended {entry.describe()} "
                        f"[source: {entry.source}]")
            typer.echo(line)
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001
        fail(error)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Input files, folders (every *.json) or globs.",
                                                show_default=False)],
    out: OutOption = Path("out"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    format: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: docx, md.")] = "docx,md",
    draft: Annotated[bool, typer.Option("--draft", help="Generate drafts even with unfilled inputs.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Write a JSON report of every input.")] = None,
    preflight: Annotated[bool, typer.Option("--preflight", help="Validate every input first; write nothing "
                                            "unless all pass.")] = False,
    no_comments: Annotated[bool, typer.Option("--no-comments", help="No review comments in the .docx.")] = False,
    policy: PolicyOption = None,
) -> None:
    """Generate many contracts; exit 0 when all succeed, 1 when any input failed, 2 on usage errors."""
    try:
        from .batch import Options, collect_inputs, report_json, run_batch, succeeded
        from .errors import ObcError, UsageError
        from .generate import write_atomic
        from .render.terminal import batch_progress, print_summary

        formats = _formats(format)
        try:
            load_policy_file(policy)
        except ObcError as error:
            raise UsageError(str(error)) from error
        paths = collect_inputs(inputs)
        options = Options(out=out, formats=formats, draft=draft, force=force, comments=not no_comments,
                          policy_path=str(policy) if policy else None)
        with batch_progress(len(paths), "checking" if preflight else "generating") as advance:
            items = run_batch(paths, options, jobs=jobs, write=not preflight, progress=advance)
        if preflight and succeeded(items):
            with batch_progress(len(paths), "generating") as advance:
                items = run_batch(paths, options, jobs=jobs, progress=advance)
        elif preflight:
            typer.echo("preflight: not every input passes; nothing was written", err=True)
        print_summary(items)
        if report is not None:
            write_atomic(report, report_json(items).encode("utf-8"))
        raise typer.Exit(0 if succeeded(items) else 1)
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001
        fail(error)


@app.command()
def wizard(
    family: Annotated[str | None, typer.Option("--family", help="Contract family: hdt, ses or agr (asked when "
                                               "not given).")] = None,
    resume: Annotated[Path | None, typer.Option("--resume", help="An answers file to continue, from its first "
                                                "unanswered question.")] = None,
    out: OutOption = Path("out"),
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="Where to save the answers as you go [default: the --resume file, else "
        "OUT/FAMILY-contract.json].")] = None,
    policy: PolicyOption = None,
) -> None:
    """Answer the contract's questions one section at a time, review, and write the contract (interactive)."""
    try:
        from .wizard import require_terminal, run_wizard

        require_terminal()
        result = run_wizard(family=family, resume=resume, out=out, answers=answers,
                            policy=load_policy_file(policy))
        for output in result.outputs:
            typer.echo(str(output))
        if not result.outputs:
            typer.echo(f"Your answers are saved in {result.answers}. "
                       f"Continue with: obc-builder wizard --resume {result.answers}")
    except typer.Exit:
        raise
    except BaseException as error:  # noqa: BLE001
        fail(error)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    run()
