"""Connecting to Redis: one clear line when it cannot be reached, the password never shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from prospector.errors import StageFailed


class RedisUnavailable(StageFailed, RuntimeError):
    """Redis cannot be used: the message is one line, with the URL's password hidden."""


def redact(url: str) -> str:
    """`redis://:secret@host:6379/0` -> `redis://:***@host:6379/0`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def connect(url: str, **params: Any) -> Any:
    """A client for `url` (redis://, rediss://, unix://), checked with a PING."""
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise RedisUnavailable('the cluster needs the redis extra: pip install "prospector[redis]"') from None
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise RedisUnavailable(f"{redact(url)}: not a Redis URL (redis://HOST:PORT/DB or rediss://…)")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                      health_check_interval=30, **params)
        client.ping()
    except redis.AuthenticationError:
        raise RedisUnavailable(f"Redis at {redact(url)} refused the password") from None
    except (redis.ConnectionError, redis.TimeoutError, OSError, ValueError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {redact(url)}: {_why(exc, url)}") from None
    except redis.ResponseError as exc:
        raise RedisUnavailable(f"Redis at {redact(url)}: {_why(exc, url)}") from None
    return client


def _why(exc: BaseException, url: str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text
