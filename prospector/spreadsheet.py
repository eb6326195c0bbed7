"""Cells a spreadsheet would run as a formula: defused on export with a leading ', and the
' taken off again when the user's edited sheet is read back (`prospector record`)."""

from __future__ import annotations

from prospector.text import safe

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Defuse CSV/formula injection: text that a spreadsheet would evaluate gets a leading '
    (and no text keeps a bidi override that would show it reversed)."""
    if not isinstance(value, str):
        return value
    value = safe(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def undefused(value: str) -> str:
    """The text `neutralise` defused (a spreadsheet hides the ', a CSV keeps it)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS) else value
