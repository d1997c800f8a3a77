"""The answers file: every answer goes through the validation ``generate`` uses, and is saved at once.

The file holds exactly what ``obc-builder generate`` reads (the contract model dumped as JSON, unfilled
inputs left out), written atomically after every accepted answer, so a Ctrl-C or a closed terminal never
loses more than the question on screen. Invariant: :attr:`Answers.data` always validates.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError, InvalidInput, ObcError
from ..families import get_family
from ..loading import contract_from_data
from ..messages import plain_problem, sentence
from ..outputs import write_atomic
from ..policy import Policy
from ..rules.engine import Finding, evaluate_rules
from .questions import SCALAR_KINDS, Question, humanize, parse_path, question_at, questions_of
from .questions import Path as AnswerPath
from .wrapping import columns, wrap


class WizardStopped(ObcError):
    """The officer stopped the wizard (Ctrl-C, or the terminal closed); every answer given is saved."""

    exit_code = 130

    def __init__(self, answers: Path) -> None:
        self.answers = answers
        super().__init__(resume_hint(answers, "Stopped. "))


def resume_hint(answers: Path, before: str = "", width: int | None = None) -> str:
    """Where the answers are and the command that continues them: one line when it fits the terminal, else
    each sentence on its own lines, a path too long to follow the words on a line of its own."""
    saved = f"{before}Your answers are saved in {answers}."
    command = f"Continue with: obc-builder wizard --resume {answers}"
    width = width or columns() - 1
    if len(saved) + 1 + len(command) <= width:
        return f"{saved} {command}"
    return "\n".join([*wrap(saved, width), *wrap(command, width)])


def _located_errors(error: InvalidInput) -> list[tuple[AnswerPath, dict[str, Any]]]:
    cause = error.__cause__
    if isinstance(cause, ValidationError):
        return [(tuple(item["loc"]), dict(item)) for item in cause.errors()]
    return [(parse_path(p.location or ""), {"type": "value_error", "msg": p.problem}) for p in error.problems]


def value_at(data: Any, path: AnswerPath) -> Any:
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def with_value(data: dict[str, Any], path: AnswerPath, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path`` (``None`` removes the answer)."""
    root = copy.deepcopy(data)
    node: Any = root
    for part, following in zip(path[:-1], path[1:], strict=True):
        if isinstance(part, int):
            node = node[part]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = [] if isinstance(following, int) else {}
            node = node[part]
    last = path[-1]
    if isinstance(last, int):
        if value is None:
            del node[last]
        elif last == len(node):
            node.append(value)
        else:
            node[last] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return root


def title_in(questions: tuple[Question, ...], path: AnswerPath) -> str:
    question = question_at(questions, path)
    names = [part for part in path if isinstance(part, str)]
    return question.title if question else humanize(names[-1] if names else "the answer")


def _droppable(questions: tuple[Question, ...], data: Any, loc: AnswerPath) -> bool:
    """Whether the error at ``loc`` is about one answer (not a whole group) that is present in ``data``."""
    if not loc or loc[0] == "family" or value_at(data, loc) is None:
        return False
    question = question_at(questions, loc)
    return question is None or isinstance(loc[-1], int) or question.kind in SCALAR_KINDS


class Answers:
    """The answers of one contract, bound to the file they are saved in."""

    def __init__(self, path: Path, contract: BaseModel) -> None:
        self.path = path
        self.contract = contract
        self.data: dict[str, Any] = contract.model_dump(mode="json", exclude_none=True)
        self.questions: tuple[Question, ...] = questions_of(type(contract))

    @property
    def family(self) -> str:
        return str(self.data["family"])

    @property
    def source(self) -> str:
        return str(self.path)

    @classmethod
    def start(cls, family: str, path: Path) -> Answers:
        answers = cls(path, contract_from_data({"family": family}, str(path)))
        answers.save()
        return answers

    @classmethod
    def resume(cls, path: Path) -> tuple[Answers, list[tuple[AnswerPath, str]]]:
        """Load a saved answers file.

        An answer that no longer validates (the model changed, or the file was edited by hand) is dropped, and
        returned with the reason, to be asked again; a problem with a whole group cannot be mended that way
        and is raised as it is by ``generate``.
        """
        source = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(source, None, "no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(source, None, f"cannot be read ({error})") from error
        except json.JSONDecodeError as error:
            raise InputError(source, f"line {error.lineno} column {error.colno}",
                             f"invalid JSON: {error.msg}") from error
        dropped: list[tuple[AnswerPath, str]] = []
        while True:
            try:
                return cls(path, contract_from_data(data, source)), dropped
            except InvalidInput as error:
                questions = questions_of(get_family(str(data["family"])).model)
                located = [(loc, item) for loc, item in _located_errors(error) if _droppable(questions, data, loc)]
                if not located:
                    raise
                for loc, item in sorted(located, key=lambda pair: [str(part).zfill(9) for part in pair[0]],
                                        reverse=True):
                    data = with_value(data, loc, None)
                    dropped.insert(0, (loc, plain_problem(item, title_in(questions, loc))))

    def title_at(self, path: AnswerPath) -> str:
        return title_in(self.questions, path)

    def value(self, path: AnswerPath) -> Any:
        return value_at(self.data, path)

    def _validate(self, candidate: dict[str, Any], near: AnswerPath) -> BaseModel | str:
        try:
            return contract_from_data(candidate, self.source)
        except InvalidInput as error:
            located = _located_errors(error)
            loc, item = next(((loc, item) for loc, item in located if loc[:len(near)] == near), located[0])
            return plain_problem(item, self.title_at(loc) if loc else "The contract")
        except InputError as error:
            return sentence(error.problem)

    def _commit(self, candidate: dict[str, Any], near: AnswerPath) -> str | None:
        result = self._validate(candidate, near)
        if isinstance(result, str):
            return result
        self.contract = result
        self.data = result.model_dump(mode="json", exclude_none=True)
        self.save()
        return None

    def check(self, path: AnswerPath, value: Any) -> str | None:
        """The problem with answering ``value`` at ``path`` in one sentence, or ``None`` when it is fine."""
        result = self._validate(with_value(self.data, path, value), path)
        return result if isinstance(result, str) else None

    def set(self, path: AnswerPath, value: Any) -> str | None:
        """Record an answer (``None`` leaves it unfilled) and save; returns the problem instead when invalid."""
        return self._commit(with_value(self.data, path, value), path)

    def set_all(self, data: dict[str, Any]) -> str | None:
        """Replace every answer at once (dates moved to a new school year) and save; or the problem."""
        return self._commit(data, ())

    def append(self, path: AnswerPath, value: Any) -> str | None:
        """Add an entry at the end of a repeating group; returns the problem instead when invalid."""
        entries = list(self.value(path) or [])
        return self._commit(with_value(self.data, path, entries + [value]), path)

    def insert(self, path: AnswerPath, index: int, value: Any) -> str | None:
        entries = list(self.value(path) or [])
        entries.insert(index, value)
        return self._commit(with_value(self.data, path, entries), path)

    def remove(self, path: AnswerPath, index: int) -> str | None:
        """Remove an entry of a repeating group; returns the problem instead when that is invalid."""
        entries = list(self.value(path) or [])
        del entries[index]
        return self._commit(with_value(self.data, path, entries), path)

    def departure(self, location: str) -> str | None:
        """The District's reason for keeping the finding at field ``location`` (``departures`` in the file)."""
        reasons = self.data.get("departures")
        reason = reasons.get(location) if isinstance(reasons, dict) else None
        return reason if isinstance(reason, str) else None

    def _with_departure(self, location: str, reason: str | None) -> dict[str, Any]:
        reasons = dict(self.data.get("departures") or {})
        if reason is None:
            reasons.pop(location, None)
        else:
            reasons[location] = reason
        return with_value(self.data, ("departures",), reasons or None)

    def check_departure(self, location: str, reason: str | None) -> str | None:
        result = self._validate(self._with_departure(location, reason), ("departures",))
        return result if isinstance(result, str) else None

    def set_departure(self, location: str, reason: str | None) -> str | None:
        """Record (or, with ``None``, remove) the reason for keeping a finding, and save."""
        return self._commit(self._with_departure(location, reason), ("departures",))

    def findings(self, policy: Policy) -> list[Finding]:
        return evaluate_rules(self.contract, policy)

    def save(self) -> None:
        text = json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"
        write_atomic(self.path, text.encode("utf-8"))
