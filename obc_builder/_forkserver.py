"""Preloaded only into the fork server that starts batch workers (never imported by the main process).

The fork server and the workers forked from it ignore SIGTERM, as the fork server already ignores Ctrl-C:
when a whole process group is told to stop (a service manager, ``kill -TERM -PGID``), the main process
alone decides, lets the workers finish the contracts in hand and shuts them down. A fork server killed by
that signal would make the pool believe its workers died, lose their results and leave them running.
"""

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
