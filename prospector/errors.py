"""The exceptions the library raises: each says in one line what the caller must fix or know,
and the CLI maps each to its exit code."""

from __future__ import annotations


class ProspectorError(Exception):
    """A problem the caller must fix or know about, said in one line."""


class UsageError(ProspectorError):
    """A bad option, an unreadable input file, a missing or busy store (the CLI: exit 2)."""


class StageFailed(ProspectorError):
    """A stage that could not finish: a worker process died (the CLI: exit 1). What was
    stored is kept."""


class RowsRejected(UsageError):
    """An input file with rows that cannot be used, when its rows must be taken all or none
    (`record`): `problems` names each row."""

    def __init__(self, message: str, problems: tuple[str, ...]):
        super().__init__(message)
        self.problems = problems


class Interrupted(ProspectorError):
    """Stopped (Ctrl-C, SIGTERM) before the end; what was stored is kept (the CLI: exit 130)."""
