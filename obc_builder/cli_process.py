"""How an ``obc-builder`` process runs a command and ends: SIGTERM is handled like Ctrl-C, so every command stops
cleanly (exit 130); the cycle collector waits until start-up is over; the process ends without tearing the
interpreter down."""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
from collections.abc import Callable

_exit_code = [0]


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _leave_without_teardown() -> None:
    """The last exit handler: end the process without tearing the interpreter down.

    Tearing it down frees every module and object one by one and collects the garbage of all the pydantic, Jinja
    (and, for HDT, matplotlib) objects a command made: 60-80 ms of a 400 ms ``generate``, for memory the operating
    system frees at once. The other exit handlers (registered after this one, e.g. multiprocessing's in a batch)
    have run and every output is closed by then; only the standard streams are left to flush."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``obc-builder --help | head -1``)
            pass
    os._exit(_exit_code[0])


def startup_over() -> None:
    """Turn the cycle collector back on, for a command that goes on after its first contract (a batch, the wizard,
    a ``generate`` of several inputs), leaving out every object made so far (``gc.freeze``): modules, classes,
    compiled clauses and caches, which live as long as the process."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def start_quickly() -> None:
    """Settings for a process that runs one command (``benchmarks/phases.py`` measures with them too).

    The cycle collector is off until :func:`startup_over`: importing pydantic's models, Jinja and (HDT) matplotlib
    makes hundreds of thousands of objects that live as long as the process, and collecting them again and again
    freed a few thousand objects for 15 ms of an SES ``generate`` and 60-110 ms of an HDT one.

    numpy, which matplotlib imports for an HDT contract's forecast chart, starts OpenBLAS's pool of threads as it
    loads (60-130 ms on a 2-core machine); the chart multiplies 3 x 3 matrices at most, so one thread is asked for. A
    user's OPENBLAS_NUM_THREADS wins, and a batch's workers inherit this one."""
    gc.disable()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run_command(app: Callable[[], object]) -> None:
    """Run the command line ``app`` (which ends in ``sys.exit``), keeping its exit code for the quick exit."""
    signal.signal(signal.SIGTERM, _terminated)
    start_quickly()
    atexit.register(_leave_without_teardown)  # the first registered, so it runs last
    try:
        try:
            app()
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            sys.exit(130)
    except SystemExit as done:  # how every command ends: typer calls sys.exit
        code = done.code
        _exit_code[0] = code if isinstance(code, int) else 0 if code is None else 1  # a text is printed: exit 1
        raise
    except BaseException:  # its traceback is printed before the exit handlers run
        _exit_code[0] = 1
        raise
