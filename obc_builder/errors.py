"""The one exception hierarchy. Library code raises these; only the CLI prints and picks exit codes."""

from __future__ import annotations


class ObcError(Exception):
    """Base of every error obc-builder reports to a user."""

    exit_code = 1


class InputError(ObcError):
    """An input (a JSON file, a policy file, an answer) that cannot be used.

    ``source`` names the file, ``location`` the field path (``None`` when the whole file is at fault).
    """

    def __init__(self, source: str, location: str | None, problem: str, hint: str | None = None) -> None:
        self.source = source
        self.location = location
        self.problem = problem
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.source}: {self.location}: " if self.location else f"{self.source}: "
        return where + self.problem


class InvalidInput(ObcError):
    """Several problems found in one input; each is an :class:`InputError`."""

    def __init__(self, source: str, problems: list[InputError]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(problem.line() for problem in problems))


class IncompleteInput(ObcError):
    """A final contract was asked for, but required inputs are unfilled."""

    def __init__(self, source: str, missing: list[str], errors: list[str] | None = None) -> None:
        self.source = source
        self.missing = missing
        self.errors = errors or []
        lines = [f"{source}: {item}" for item in [*missing, *self.errors]]
        super().__init__("\n".join(lines))


class BlockedByFindings(ObcError):
    """A final contract was asked for, but the rules found errors."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        super().__init__("\n".join(f"{source}: {line}" for line in lines))


class OutputError(ObcError):
    """An output file cannot be written (a folder that is not writable, a file where a folder should be)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: cannot be written ({reason})")


class OutputExists(OutputError):
    """An output file exists with other content, and replacing it was not asked for (``--force``)."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "it exists with other content; use --force to replace it")


class DistrictClauseError(ObcError):
    """A district's own clause file (``--clauses DIR``) cannot be used: each line names the file and the problem."""


class UsageError(ObcError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class TemplateError(ObcError):
    """A clause or template of the library itself is broken: a bug in obc-builder, not in the input."""

    exit_code = 3


class InvalidResults(ObcError):
    """A students' results file with problems (one line each, naming the file and the row); nothing is settled."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines) + "\nnothing was written; fix the results, or settle anyway with --draft")
