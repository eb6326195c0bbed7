"""How a summary shows itself: the CLI's table as text (`str`), and in a notebook as a small
HTML table — the same title and rows either way."""

from __future__ import annotations

from html import escape
from typing import Any

Rows = list[tuple[str, object]]


class Shown:
    """A summary with `title` and `rows()`: readable by `print()`, in IPython and in Jupyter."""

    @property
    def title(self) -> str:
        """The heading: a class attribute of each summary, or a property of the fetching ones."""
        raise NotImplementedError

    def rows(self) -> Rows:
        raise NotImplementedError

    def __str__(self) -> str:
        rows = self.rows()
        width = max((len(label) for label, _ in rows), default=0)
        return "\n".join([self.title, *(f"  {label.ljust(width)}  {value}" for label, value in rows)])

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th style='text-align:left'>{escape(label)}</th><td>{escape(str(value))}</td></tr>"
                       for label, value in self.rows())
        return f"<table><caption style='text-align:left'><b>{escape(self.title)}</b></caption>{body}</table>"
