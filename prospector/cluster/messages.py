"""Results as they cross Redis: a stage's item as JSON, with the lease of the request it
answers. Items are the stages' own dataclasses (prospector.items); nothing is pickled."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from prospector.items import CheckItem, Contact, Occurrence, PageItem


@dataclass(frozen=True)
class Leased:
    """A worker's result: the item, and the lease of the request it answers (acknowledged in
    the same transaction that queues the result)."""

    lease: str
    item: PageItem | CheckItem


def encode(result: Leased) -> str:
    kind = "page" if isinstance(result.item, PageItem) else "check"
    return json.dumps({"lease": result.lease, "kind": kind, "item": asdict(result.item)},
                      separators=(",", ":"), ensure_ascii=False)


def decode(data: str | bytes) -> Leased:
    message = json.loads(data)
    fields: dict[str, Any] = message["item"]
    if message["kind"] == "page":
        item: PageItem | CheckItem = PageItem(**{
            **fields,
            "occurrences": [Occurrence(**o) for o in fields["occurrences"]],
            "contacts": [Contact(**c) for c in fields["contacts"]],
            "discovered": [(u, d) for u, d in fields["discovered"]],
            "problems": [(u, m, q) for u, m, q in fields["problems"]],
        })
    elif message["kind"] == "check":
        item = CheckItem(**{**fields, "redirect_chain": [(u, s) for u, s in fields["redirect_chain"]]})
    else:
        raise ValueError(f"unknown result kind {message['kind']!r}")
    return Leased(message["lease"], item)
