"""``obc-builder wizard``: the questions of a family's input model, asked one section at a time.

The questions are derived from the model (:mod:`.questions`), answered through typed prompts
(:mod:`.prompts`), validated and saved after every answer exactly as ``generate`` reads them
(:mod:`.answers`), walked in contract order (:mod:`.flow`), and reviewed before generating (:mod:`.review`).
"""

from __future__ import annotations

from .answers import Answers, WizardStopped, resume_hint
from .prompts import Terminal
from .review import WizardResult
from .session import NOT_A_TERMINAL, require_terminal, run_wizard

__all__ = ["NOT_A_TERMINAL", "Answers", "Terminal", "WizardResult", "WizardStopped", "require_terminal", "resume_hint",
           "run_wizard"]
