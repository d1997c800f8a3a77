"""Preloaded only into the fork server that starts batch workers (never imported by the main process).

The fork server and the workers forked from it ignore SIGTERM, as the fork server already ignores Ctrl-C:
when a whole process group is told to stop (a service manager, ``kill -TERM -PGID``), the main process
alone decides, lets the workers finish the contracts in hand and shuts them down. A fork server killed by
that signal would make the pool believe its workers died, lose their results and leave them running.

It then loads what every worker needs (:func:`.batch.prepare`: the commands' modules, the clause library, the
bundled Word master) once, before any worker is forked, so the workers start with it rather than each loading it;
what is loaded is frozen out of the cycle collector (``gc.freeze``), as the main process does after start-up, so a
worker's collections do not walk it (nor touch, and so copy, its memory pages).
"""

import gc
import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)

from . import generate  # noqa: E402,F401 - what a worker runs, imported once here
from .batch import prepare  # noqa: E402

prepare()
gc.freeze()
