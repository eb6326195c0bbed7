"""Text from other people's pages, made safe to keep and to show: control characters and the
bidirectional overrides that make a title read backwards in a spreadsheet, an email or a
browser (U+202E …) taken out, whitespace collapsed, length capped."""

from __future__ import annotations

import re
from typing import Any

ANCHOR_MAX = 300  # characters kept of an anchor text
TITLE_MAX = 300  # of a page title, an author, a contact's name …
NAME_MAX = 120

_UNSAFE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """`text` without control characters (tab, newline and CR stay) or bidi overrides."""
    return _UNSAFE.sub("", text)


def clip(text: str, limit: int) -> str:
    """`text` on one line, safe, at most `limit` characters (cut at a word, marked with …)."""
    text = " ".join(safe(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def safe_values(value: Any) -> Any:
    """Every string inside `value` (dicts, lists, tuples) made safe."""
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, dict):
        return {k: safe_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(safe_values(v) for v in value)
    return value
