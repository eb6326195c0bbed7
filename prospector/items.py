"""The data model: plain dataclasses passed between stages (and yielded as Scrapy items)."""

from __future__ import annotations

from dataclasses import dataclass, field

# What crawl/context.py makes of a link's surroundings, versioned: a page stored by an older
# version is read again by a re-crawl (--recrawl-after), whatever its age. 1: the link's own
# sentence; 2: with its neighbours (the sentence before, and after when its own says little).
CONTEXT_VERSION = 2


@dataclass(frozen=True)
class Prospect:
    """A site to crawl, as given by the user."""

    url: str
    domain: str  # registered domain: the crawl's scope
    path_prefix: str = ""
    name: str = ""
    email: str = ""
    notes: str = ""
    max_pages: int | None = None
    max_depth: int | None = None
    source: str = ""  # file:line it came from
    id: int | None = None
    contact_name: str = ""  # given with the email: "Elena Rossi <office@…>"
    extra: tuple[tuple[str, str], ...] = ()  # the list's other columns (DR, traffic …), in order


@dataclass(frozen=True)
class Occurrence:
    """One outbound link on one page, with what a marketer needs to judge it."""

    url: str
    anchor_text: str
    context: str
    rel: str  # space-separated tokens that matter: nofollow, sponsored, ugc
    placement: str  # content, nav, header, footer, sidebar, comments


@dataclass(frozen=True)
class Contact:
    kind: str  # email, contact_page, about_page, write_for_us, author_page
    value: str  # an address or a URL
    name: str = ""
    source_page: str = ""


@dataclass
class PageItem:
    """Everything learnt from one fetched (or failed) prospect page; stored in one transaction."""

    url: str
    prospect_id: int
    depth: int
    status: int | None = None
    content_type: str = ""
    title: str = ""
    author: str = ""
    published: str = ""
    error: str = ""
    occurrences: list[Occurrence] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    discovered: list[tuple[str, int]] = field(default_factory=list)  # (internal url, depth)
    truncated: bool = False  # larger than the size cap: read up to it, links kept
    resource_score: float | None = None  # 0-1, how much it looks like a resource page (resource_score.py)
    # Not stored as columns; they travel with the page (over Redis too) to whoever stores it.
    final_url: str = ""  # where the fetch ended after redirects: visited as well
    problems: list[tuple[str, str, bool]] = field(default_factory=list)  # (url, message, quiet)
    counts: dict[str, int] = field(default_factory=dict)  # stats to add (stat_keys): APP_LINKS, UNREACHABLE_PROSPECTS


@dataclass
class CheckItem:
    """The outcome of checking one unique outbound URL."""

    url: str
    verdict: str
    reason: str
    status: int | None
    final_url: str
    redirect_chain: list[tuple[str, int]]
    method: str
    attempts: int
    elapsed_ms: int
    reason_code: str = ""  # verdict.ReasonCode
    resource_score: float | None = None  # a live HTML page's, from the part of it the check read
    resource_why: str = ""  # what the score saw (resource_score.explained)


@dataclass(frozen=True)
class OwnPage:
    """A page of the user's own site: a candidate replacement for dead links."""

    url: str
    title: str = ""
    description: str = ""
    headings: str = ""  # h1-h3, one per line
    text: str = ""
    lastmod: str = ""


@dataclass(frozen=True)
class OwnPageFetch:
    """What fetching one own page gave: its content, or why there is none."""

    page: OwnPage
    status: int | None
    error: str = ""


@dataclass(frozen=True)
class ArchivedCopy:
    """What the Internet Archive had for a dead URL: its last good capture, or why none."""

    url: str
    outcome: str  # captured, none, error
    archived_url: str = ""  # where a person can see the capture
    archived_at: str = ""  # YYYY-MM-DD
    title: str = ""
    description: str = ""
    text: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SitePagesListed:
    """One page of the Internet Archive's listing of a site's pages (`prospector deadsite`)."""

    domain: str
    pages: tuple[tuple[str, str], ...]  # (URL, capture day YYYY-MM-DD)
    resume_key: str  # where the next page of the listing starts ("" when it is the last)
