"""One wizard session: choose the family, start or resume the answers file, walk, review, generate."""

from __future__ import annotations

import sys
from pathlib import Path

from ..district import DistrictClauses
from ..errors import UsageError
from ..families import FAMILY_NAMES, get_family
from ..policy import Policy
from .answers import Answers, WizardStopped
from .flow import Wizard
from .prompts import Terminal
from .questions import Path as Path_
from .questions import resume_point
from .renewal import Renewal
from .review import ReviewScreen, WizardResult

NOT_A_TERMINAL = ("obc-builder wizard needs an interactive terminal; to generate from a file, use: "
                  "obc-builder generate INPUT.json --out DIR")


def require_terminal() -> None:
    """Refuse to run without a terminal to ask in (a pipe, a cron job, CI)."""
    if not sys.stdin.isatty():
        raise UsageError(NOT_A_TERMINAL)


def default_answers_path(out: Path, family: str) -> Path:
    """``<out>/<family>-contract.json``: the contract files are then named after it (``hdt-contract.docx``)."""
    return out / f"{family}-contract.json"


def choose_family(terminal: Terminal) -> str:
    choices = [(f"{name}: {get_family(name).title.rstrip('.')}", name) for name in FAMILY_NAMES]
    family: str = terminal.select("Which kind of contract are you writing?", choices)
    return family


def _new_path(path: Path) -> Path:
    if path.exists():
        raise UsageError(f"{path} already exists; continue it with: obc-builder wizard --resume {path} "
                         "(or save to another file with --answers)")
    return path


def start_from(source: Path, family: str | None, out: Path,
               answers_path: Path | None) -> tuple[Answers, list[tuple[Path_, str]]]:
    """A new answers file holding a copy of ``source``'s answers (those that no longer validate dropped, to be
    asked again), for the renewal walk; ``source`` itself is never written."""
    answers, dropped = Answers.resume(source)
    if family is not None and family != answers.family:
        raise UsageError(f"--family {family} does not match {source}, which holds a {answers.family} contract")
    path = _new_path(answers_path or default_answers_path(out, answers.family))
    answers.path = path
    answers.save()
    return answers, dropped


def open_answers(terminal: Terminal, family: str | None, resume: Path | None, out: Path,
                 answers_path: Path | None) -> tuple[Answers, list[tuple[Path_, str]] | None]:
    """The answers to work on and, when resumed from a file, the answers dropped from it (``None`` when new)."""
    if family is not None and family not in FAMILY_NAMES:
        raise UsageError(f"--family: unknown family {family!r}; choose from {', '.join(FAMILY_NAMES)}")
    if resume is not None:
        answers, dropped = Answers.resume(resume)
        if family is not None and family != answers.family:
            raise UsageError(f"--family {family} does not match {resume}, which holds a {answers.family} contract")
        if answers_path is not None and answers_path != resume:
            answers.path = answers_path
        if dropped or answers.path != resume:
            answers.save()
        return answers, dropped
    family = family or choose_family(terminal)
    return Answers.start(family, _new_path(answers_path or default_answers_path(out, family))), None


def run_wizard(
    *,
    family: str | None = None,
    resume: Path | None = None,
    out: Path = Path("out"),
    answers: Path | None = None,
    policy: Policy | None = None,
    terminal: Terminal | None = None,
    district: DistrictClauses | None = None,
    review_docx: bool = False,
    source: Path | None = None,
) -> WizardResult:
    """Ask every question, review, and generate; with ``source`` (``--from``), start from that contract's answers
    and walk its sections for the renewal instead. Ctrl-C or a closed input raises :class:`WizardStopped`."""
    terminal = terminal or Terminal()
    policy = policy or Policy()
    if source is not None and resume is not None:
        raise UsageError("--from starts a new answers file and --resume continues one: give only one of them")
    dropped: list[tuple[Path_, str]] | None
    try:
        if source is not None:
            opened, dropped = start_from(source, family, out, answers)
        else:
            opened, dropped = open_answers(terminal, family, resume, out, answers)
    except EOFError as error:  # the input closed before there was anything to save
        raise KeyboardInterrupt from error
    try:
        wizard = Wizard(opened, terminal, policy)
        terminal.say(f"Your answers are saved after every answer in {opened.path}.", "hint")
        terminal.say("A suggested answer is highlighted: Enter keeps it, typing replaces it, an arrow key edits it. "
                     "Enter on an empty answer leaves it to fill in later.", "hint")
        terminal.say("Ctrl-C stops; --resume continues where you stopped.", "hint")
        for path, problem in dropped or ():
            terminal.say(f"✗ {problem} Please answer it again.", "error")
            wizard.ask_again(path)
        if source is not None:
            Renewal(wizard).run(str(source))
            return ReviewScreen(wizard, out, district, review_docx).run()
        start = resume_point(wizard.steps, opened.data)
        if start is not None or dropped is None:
            if dropped is not None:
                terminal.say("Continuing from the first unanswered question.", "hint")
            wizard.walk(start)
        return ReviewScreen(wizard, out, district, review_docx).run()
    except (KeyboardInterrupt, EOFError) as error:
        raise WizardStopped(opened.path) from error
