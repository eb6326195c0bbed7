"""Results as they cross Redis: a stage's item as JSON, with the lease of the request it
answers. Items are the stages' own dataclasses (prospector.items), read back field by field
against their type hints, so a result of the wrong shape is one `BadEntry`, never a traceback
in the coordinator. Nothing is pickled."""

from __future__ import annotations

import json
import math
import types
import typing
from dataclasses import MISSING, asdict, dataclass, fields, is_dataclass
from typing import Any

from prospector.cluster.wire import VERSION, BadEntry, load
from prospector.items import CheckItem, PageItem

# stage -> (the kind of result its workers send, its item class)
KINDS: dict[str, tuple[str, type[PageItem] | type[CheckItem]]] = {"prospects": ("page", PageItem),
                                                                  "links": ("check", CheckItem)}


@dataclass(frozen=True)
class Leased:
    """A worker's result: the item, and the lease of the request it answers (acknowledged in
    the same step that queues the result)."""

    lease: str
    item: PageItem | CheckItem


def encode(result: Leased) -> str:
    kind = "page" if isinstance(result.item, PageItem) else "check"
    return json.dumps({"v": VERSION, "lease": result.lease, "kind": kind, "item": asdict(result.item)},
                      separators=(",", ":"), ensure_ascii=False)


def decode(stage: str, data: str | bytes) -> Leased:
    """A result of `stage`'s list, or BadEntry."""
    message = load(data)
    if set(message) != {"v", "lease", "kind", "item"}:
        raise BadEntry(f"a result has the keys v, lease, kind and item, not {', '.join(sorted(message))}")
    kind, cls = KINDS[stage]
    if message["kind"] != kind:
        raise BadEntry(f"a {message['kind']!r} result on the {stage} list")
    if not isinstance(message["lease"], str):
        raise BadEntry("a result without its lease")
    return Leased(message["lease"], _build(cls, message["item"], "item"))


def _build(cls: Any, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise BadEntry(f"{where}: not an object")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise BadEntry(f"{where}: unknown field {unknown[0]!r}")
    missing = [name for name, f in known.items()
               if name not in value and f.default is MISSING and f.default_factory is MISSING]
    if missing:
        raise BadEntry(f"{where}: no {missing[0]!r}")
    return cls(**{name: _conform(v, hints[name], f"{where}.{name}") for name, v in value.items()})


def _conform(value: Any, hint: Any, where: str) -> Any:
    """`value` (from JSON) as the type `hint` names, or BadEntry."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _conform(value, option, where)
            except BadEntry:
                continue
        raise BadEntry(f"{where}: {type(value).__name__} is not {hint}")
    if hint is type(None) and value is None:
        return None
    if hint in (str, int, bool) and type(value) is hint:
        return value
    if hint is float and type(value) in (float, int) and math.isfinite(value):
        return float(value)
    if is_dataclass(hint):
        return _build(hint, value, where)
    if origin is list and isinstance(value, list):
        return [_conform(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is tuple and isinstance(value, list) and len(value) == len(args):
        return tuple(_conform(v, t, f"{where}[{i}]") for i, (v, t) in enumerate(zip(value, args, strict=False)))
    if origin is dict and isinstance(value, dict):
        return {_conform(k, args[0], where): _conform(v, args[1], f"{where}[{k!r}]") for k, v in value.items()}
    raise BadEntry(f"{where}: {type(value).__name__} is not {getattr(hint, '__name__', hint)}")
