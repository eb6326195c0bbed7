"""How much a page looks like a *resource page* — a page whose purpose is to send readers to
other sites (lists of links, tools, guides): the pages most willing to swap a dead link.

From what practitioners look for: many links to other sites, in lists, dense in the text; a
title or URL with words such as resources / links / tools / useful / recommended; a recent
date; a contact route. A logistic model over those signals (the weights below) gives a
0-1 score. It was fitted on one half of tests/data/resource_pages/labels.csv (real pages of
real sites, labelled by reading them) and measured on the other half: benchmarks/
resource_bench.py, figures in benchmarks/results.md. Pure: no network, no store.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from prospector.urls import registered_domain

RESOURCE_WORDS = re.compile(
    r"(?<![a-z])(resources?|links|tools|useful|recommended|best|lists?|directory|directories|blogroll|"
    r"round-?ups?|reading|bookmarks|curated)(?![a-z])", re.IGNORECASE)
RECENT_DAYS = 730  # a page dated within two years is maintained
RESOURCE_PAGE = 0.5  # the score from which a page counts as a resource page (the report's filter)
LISTED = ("li", "td", "dd")  # a link in one of these is "in a list"
OUTSIDE_CONTENT = ("nav", "header", "footer", "aside")  # menus, banners, footers, sidebars
OUTSIDE_ROLES = ("navigation", "banner", "contentinfo", "complementary")
VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
CONTACT_LINK = re.compile(r"contact|about|write-for-us|get-in-touch", re.IGNORECASE)

# Fitted by benchmarks/resource_bench.py on the fit half (FEATURES order); see results.md. The
# labelled pages carry no dates and documentation sites put a contact route on every kind of
# page, so `recent` and `contact` could not be fitted: they weigh 0 until labelled blog pages
# teach them.
FEATURES = ("listed_log", "listed_share", "named", "density_log", "recent", "contact")
WEIGHTS = (0.82, 0.92, 2.1, 2.36, 0.0, 0.0)
INTERCEPT = -8.36


@dataclass(frozen=True)
class ResourceSignals:
    """What a page shows of being a resource page (crawl/extract.py reads them)."""

    outbound: int = 0  # links to other sites in the page's content
    listed: int = 0  # of them, those in list items, table cells or definitions
    words: int = 0  # words of the page's text
    named: bool = False  # resource words in the title or the URL's path
    recent: bool = False  # dated within RECENT_DAYS
    contact: bool = False  # a contact route: an address, or a contact / about page


def signals_of(doc: Any, url: str, domain: str, title: str, published: str) -> ResourceSignals:
    """A parsed page's signals (`doc`: lxml's document): its links to sites other than
    `domain` outside menus, banners, footers and sidebars, those of them in lists, its words,
    its title and URL, its date, and whether it links an address or a contact / about page."""
    outbound = listed = 0
    contact = False
    ours: dict[str, bool] = {}  # host -> on `domain`: one look-up of the public suffix list each
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if href[:7].lower() == "mailto:":
            contact = True
            continue
        try:
            parts = urlsplit(href if href.startswith(("http://", "https://")) else urljoin(url, href))
            host = parts.hostname or ""
        except ValueError:  # not a URL ("http://[bad"): the crawl names it; here it is no link
            continue
        if parts.scheme not in ("http", "https"):
            continue
        if ours.setdefault(host, registered_domain(host) == domain):
            contact = contact or bool(CONTACT_LINK.search(parts.path))
            continue
        place = _place(a)
        if place == "outside":
            continue
        outbound += 1
        listed += place == "listed"
    # piece by piece: "<li>A</li><li>B</li>" is two words, whether or not blocks were separated
    words = sum(len(str(text).split()) for text in doc.xpath(VISIBLE_TEXT))
    return ResourceSignals(outbound, listed, words, named_as_resource(title, url), is_recent(published), contact)


def _place(a: Any) -> str:
    """Where a link sits: "outside" the content (a menu, banner, footer, sidebar), "listed"
    (in a list item, table cell or definition), or "" (in the text)."""
    listed = False
    for el in a.iterancestors():
        tag = el.tag
        if tag in OUTSIDE_CONTENT or el.get("role") in OUTSIDE_ROLES:
            return "outside"
        listed = listed or tag in LISTED
    return "listed" if listed else ""


def explained(s: ResourceSignals) -> str:
    """Why the score is what it is, in a few words (suggested_prospects.csv's `why`)."""
    parts = [f"{s.outbound} links to other sites, {s.listed} of them in lists",
             f"{100 * s.outbound / max(s.words, 1):.1f} per 100 words"]
    parts += [said for said, shown in (("resource words in its title or address", s.named),
                                       ("dated within two years", s.recent), ("a contact route", s.contact)) if shown]
    return "; ".join(parts)


def named_as_resource(title: str, url: str) -> bool:
    path = unquote(urlsplit(url).path).replace("-", " ").replace("_", " ")
    return bool(RESOURCE_WORDS.search(title) or RESOURCE_WORDS.search(path))


def is_recent(published: str, today: date | None = None) -> bool:
    """Whether an ISO date (as pages give it: 2024-05-01, 2024-05-01T10:00:00Z …) is recent."""
    try:
        day = datetime.fromisoformat(published.strip()[:10]).date()
    except ValueError:
        return False
    today = today or datetime.now(UTC).date()
    return today - timedelta(days=RECENT_DAYS) <= day <= today + timedelta(days=1)


def features(s: ResourceSignals) -> tuple[float, ...]:
    """In FEATURES order: how many links to other sites sit in lists (log), what share of them
    do, resource words, links to other sites per 100 words (log), a recent date, a contact route."""
    return (math.log1p(s.listed), s.listed / s.outbound if s.outbound else 0.0, float(s.named),
            math.log1p(100 * s.outbound / max(s.words, 1)), float(s.recent), float(s.contact))


def resource_score(s: ResourceSignals) -> float:
    """0-1: how likely the page is a resource page."""
    z = INTERCEPT + sum(w * x for w, x in zip(WEIGHTS, features(s), strict=True))
    return round(1 / (1 + math.exp(-z)), 3)
