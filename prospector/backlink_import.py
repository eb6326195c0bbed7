"""A backlink export into the store (`prospector import`): each referring page becomes a page to
fetch, at depth 0, of the prospect its site is — one prospect per registered domain, or per
author space on a shared platform (medium.com/@name, name.substack.com …) — and each target an
outbound link the export claims the page carries, with the anchor, context, rel and HTTP code
the tool gave (`claimed_links`). The crawl then reads the pages: the links it finds are the
ones pitched, with the context it reads; a claimed link a page no longer carries is counted
as gone and never pitched. Whether a target is dead, the check decides.

Rows are stored in batches, each atomically: a file of any length costs one batch of memory,
and an import stopped half-way is completed by importing the file again (nothing is doubled).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from prospector.authority import DomainAuthority, keep_best
from prospector.backlinks import Backlink, read_backlinks
from prospector.items import Prospect
from prospector.store import Store
from prospector.store.rows import ClaimedLink
from prospector.urls import registered_domain

# Where the author's space, not the whole domain, is the prospect: by subdomain, or by the
# first path segment (/@name).
SUBDOMAIN_PLATFORMS = frozenset({"substack.com", "blogspot.com", "wordpress.com", "tumblr.com", "wixsite.com",
                                 "weebly.com", "ghost.io", "hashnode.dev", "typepad.com", "livejournal.com"})
PATH_PLATFORMS = frozenset({"medium.com", "dev.to", "hackernoon.com"})
IMPORT_DEPTH = 0  # the referring pages and the prospect's start page, nothing they link
BATCH = 2000


def prospect_of(page_url: str) -> Prospect:
    """The prospect a referring page would start: its start page is its host's root, or the
    author space's (a prospect of the same domain or space already met is used instead)."""
    parts = urlsplit(page_url)
    host = (parts.hostname or "").lower()
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    domain = registered_domain(host)
    first = next((segment for segment in parts.path.split("/") if segment), "")
    if domain in PATH_PLATFORMS and first:
        return Prospect(url=f"{origin}/{first}/", domain=domain, path_prefix=f"/{first}/", max_depth=IMPORT_DEPTH)
    if domain in SUBDOMAIN_PLATFORMS and host != domain:
        return Prospect(url=f"{origin}/", domain=host, max_depth=IMPORT_DEPTH)
    return Prospect(url=f"{origin}/", domain=domain, max_depth=IMPORT_DEPTH)


@dataclass(frozen=True)
class ImportResult:
    path: str
    format: str
    rows_read: int
    bad_rows: int
    links: int  # claimed links stored
    pages: int  # referring pages new to the store (on a first import: the distinct pages)
    prospects: int  # distinct prospects they belong to
    new_prospects: int  # of them, not in the store before
    skipped_tables: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # "file:row: why", the first 20 and a count
    left_out: int = 0  # rows whose target the caller did not want (another site's, a live page …)


@dataclass
class _Batch:
    prospects: dict[str, Prospect] = field(default_factory=dict)  # by URL
    pages: dict[str, str] = field(default_factory=dict)  # page -> its prospect's URL
    links: list[ClaimedLink] = field(default_factory=list)
    authority: dict[str, DomainAuthority] = field(default_factory=dict)  # the tool's, best per domain

    def keep_authority(self, domain: str, row: Backlink) -> None:
        if row.authority is not None:
            keep_best(self.authority, DomainAuthority(domain, round(row.authority, 1), row.authority_source))


def import_backlinks(store: Store, path: str | Path, wanted: Callable[[str], bool] | None = None) -> ImportResult:
    """Read an export (backlinks.read_backlinks) into the store. A prospect already stored
    (listed by the user, or imported before) keeps its own bounds. `wanted(target)`: only the
    rows whose (normalised) target it accepts are imported; the others are counted."""
    read, rows = read_backlinks(path)
    left_out = 0
    stored = store.prospects()
    known = {p.url for p in stored}
    spaces = {(p.domain, p.path_prefix): p.url for p in stored}  # one prospect per domain or author space
    prospects: set[str] = set()
    pages = 0
    links = 0
    batch = _Batch()
    for row in rows:
        page, target = row.referring_url, row.target_url
        if wanted is not None and not wanted(target):
            left_out += 1
            continue
        prospect = prospect_of(page)
        prospect_url = spaces.setdefault((prospect.domain, prospect.path_prefix), prospect.url)
        if prospect_url not in prospects:
            prospects.add(prospect_url)
            if prospect_url not in known:
                batch.prospects[prospect_url] = Prospect(**{**prospect.__dict__, "source": row.source})
        batch.pages.setdefault(page, prospect_url)  # the store keeps each page once
        if target:
            batch.links.append(ClaimedLink(prospect_url, page, target, row.anchor, row.context, row.rel,
                                           row.claimed_status, row.source))
            links += 1
        batch.keep_authority(prospect.domain, row)
        if len(batch.links) + len(batch.pages) >= BATCH:
            pages += _save(store, batch)
            batch = _Batch()
    pages += _save(store, batch)
    return ImportResult(str(path), read.format, read.rows_read, read.unread.count, links, pages, len(prospects),
                        len(prospects - known), tuple(read.skipped_tables), tuple(read.unread.lines()), left_out)


def _save(store: Store, batch: _Batch) -> int:
    """Store one batch; how many of its pages were new."""
    return store.save_import(batch.prospects.values(), batch.links, [(prospect, page) for page, prospect
                                                                      in batch.pages.items()], batch.authority.values())
