"""``python -m obc_builder``: the same command as ``obc-builder``."""

from .cli import run

if __name__ == "__main__":  # batch workers import this module again; they must not run the command
    run()
