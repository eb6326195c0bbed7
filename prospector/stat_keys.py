"""The names of the stats the spiders write (Scrapy's stats collector) and the summaries, the
progress bars and the runners read: named once, so that a stat renamed on one side cannot
silently read as 0 on the other."""

from __future__ import annotations

# Scrapy's own
FINISH_REASON = "finish_reason"
ITEMS_SCRAPED = "item_scraped_count"
REQUESTS = "downloader/request_count"

# crawl
PAGES_BUDGET = "prospector/pages_budget"  # pages the crawl may still fetch: its progress bar's total
PAGES_FETCHED = "prospector/pages_fetched"
PAGES_STORED = "prospector/pages_stored"
OCCURRENCES_STORED = "prospector/occurrences_stored"
PAGE_PROBLEMS = "prospector/page_problems"
LINKS_GONE = "prospector/links_gone"  # outbound links a page fetched again no longer carries
APP_LINKS = "prospector/app_links"  # whatsapp:, viber: … counted, never checked
UNREACHABLE_PROSPECTS = "prospector/unreachable_prospects"
BAD_ROWS = "prospector/bad_rows"  # of the prospect list
INPUT_ERROR = "prospector/input_error"  # the prospect list could not be read at all

# check
URLS_TO_CHECK = "prospector/urls_to_check"
ADDRESS_REFUSED = "prospector/address_refused"  # a private address the options do not allow

# match: reading your own site
OWN_PAGES_LISTED = "prospector/own_pages_listed"
OWN_PAGES_TO_FETCH = "prospector/own_pages_to_fetch"
OWN_PAGES_FETCHED = "prospector/own_pages_fetched"
OWN_PAGE_ERRORS = "prospector/own_page_errors"
OWN_PAGES_OFF_SITE = "prospector/own_pages_off_site"
SITEMAPS_READ = "prospector/sitemaps_read"
SITEMAP_ERRORS = "prospector/sitemap_errors"

# archive
URLS_TO_ARCHIVE = "prospector/urls_to_archive"
ARCHIVE_429 = "prospector/archive_429"
ARCHIVE_STOPPED = "prospector/archive_stopped"  # why it stopped asking, in one line
ARCHIVE_BUDGET_SPENT = "prospector/archive_budget_spent"
ARCHIVE_OUTCOMES = ("captured", "none", "error")
SITE_PAGES_LISTED = "prospector/site_pages_listed"  # deadsite: pages of the archive's listing stored
SITE_LISTING_PAGES = "prospector/site_listing_pages"  # deadsite: pages of the listing read

# the store
REASON_STORE_FAILED = "store_failed"  # the finish reason of a spider whose items could not be stored
STORE_FAILED = "prospector/store_failed"  # why the store could not be written
ITEMS_NOT_STORED = "prospector/items_not_stored"


def verdict(name: str) -> str:
    return f"prospector/verdict/{name}"


def archived(outcome: str) -> str:
    return f"prospector/archived/{outcome}"


def dns(outcome: str) -> str:
    return f"prospector/dns/{outcome}"
