"""The rows the store's queries return, named: one small frozen dataclass per shape (the
problems are named tuples, so that a summary's JSON keeps them as [source, message])."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import NamedTuple, TypeVar

Row = TypeVar("Row")


def named(cls: type[Row], rows: Iterable[sqlite3.Row]) -> list[Row]:
    """`rows` as `cls`, each field read from the column of its name (other columns ignored)."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    return [cls(**{name: row[name] for name in names}) for row in rows]


class Problem(NamedTuple):
    source: str  # a URL or "file:row"
    message: str


class RecentProblem(NamedTuple):
    at: str
    stage: str
    source: str
    message: str


@dataclass(frozen=True)
class Draft:
    """An email drafted for a contact: its first email or its follow-up."""

    contact_key: str
    kind: str  # first, followup
    to_email: str
    to_name: str
    contact_url: str
    subject: str
    body: str
    followup_subject: str
    followup_body: str
    prospect: str
    domains: str  # space-separated, as every *_urls
    page_urls: str
    dead_urls: str
    suggested_urls: str
    last_contacted: str
    drafted_at: str


@dataclass(frozen=True)
class Sent:
    """An email the user recorded (sent, skip, replied, won, lost), as the history holds it."""

    contact_key: str
    to_email: str
    to_name: str
    contact_url: str
    prospect: str
    domains: str
    kind: str
    status: str  # outreach.history.OutreachStatus
    on_date: str  # YYYY-MM-DD
    subject: str
    body: str
    edited: int
    followup_subject: str
    followup_body: str
    dead_urls: str


@dataclass(frozen=True)
class ArchivedPage:
    """What the Internet Archive had for a dead URL."""

    url: str
    outcome: str  # captured, none, error
    archived_url: str
    archived_at: str
    title: str
    description: str
    text: str
    detail: str


@dataclass(frozen=True)
class ProspectStats:
    id: int
    prospect: str
    name: str
    notes: str
    extra: str  # the list's own columns, JSON
    pages_crawled: int
    outbound_links: int
    dead: int
    likely_dead: int
    errors: int
    authority: float | None  # 0-100, from a ranked list (authority.py); None: none given
    authority_source: str
    resource_score: float | None  # its most resource-like page's (resource_score.py)


@dataclass(frozen=True)
class ClaimedLink:
    """A link a backlink export says a prospect page carries (backlink_import.py)."""

    prospect_url: str  # the prospect the page belongs to
    page_url: str
    url: str  # the target
    anchor: str
    claimed_context: str
    rel: str
    claimed_status: int | None  # the target's HTTP code as the tool last saw it
    source: str  # file:row
