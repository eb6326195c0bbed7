"""JSON for scrapy-redis (SCHEDULER_SERIALIZER): requests cross Redis as JSON, never pickle,
so a shared Redis is not a way to run code on the workers. Bytes (headers, bodies) are tagged;
tuples come back as lists."""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES = "$bytes"


def _default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} cannot cross Redis as JSON")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _BYTES in obj:
        return base64.b64decode(obj[_BYTES])
    return obj


def _bytes_keys(value: Any) -> Any:
    """JSON keys are strings: header names (bytes) are tagged inside a list of pairs."""
    if isinstance(value, dict) and any(isinstance(k, bytes) for k in value):
        return {"$pairs": [[k, _bytes_keys(v)] for k, v in value.items()]}
    if isinstance(value, dict):
        return {k: _bytes_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_bytes_keys(v) for v in value]
    return value


def _pairs(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$pairs"}:
        return {k: _pairs(v) for k, v in value["$pairs"]}
    if isinstance(value, dict):
        return {k: _pairs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pairs(v) for v in value]
    return value


def dumps(obj: Any) -> str:
    return json.dumps(_bytes_keys(obj), default=_default, separators=(",", ":"), ensure_ascii=False)


def loads(data: str | bytes) -> Any:
    return _pairs(json.loads(data, object_hook=_hook))
