"""The schema of the store, readable in one screen. Version 2 added the match tables, 3 the
drafts, 4 the match confidence and the cache of text vectors, 5 truncated pages and the stage
locks, 6 the checks' reason codes (store/migrations.py fills them in for older rows), 7 the
outreach history, follow-up drafts and the archived copies of dead pages, 8 the contact's name
and the extra columns of a prospect list, 9 the reviewer's choices (the `use` column of
opportunities.csv) and the version of the context extractor that read each page, 10 the
authority, claimed_links, site_pages and site_listings tables and the resource score (0-1,
resource_score.py) of each prospect page and of each live outbound page the check read."""

SCHEMA_VERSION = 10
# Columns added by versions 2-5, which need no data moved: ALTER TABLE adds them to older
# stores. Later versions are forward migrations in store/migrations.py.
ADDED_COLUMNS = {
    "match_outcomes": {"confidence": "REAL NOT NULL DEFAULT 0"},
    "pages": {"truncated": "INTEGER NOT NULL DEFAULT 0", "resource_score": "REAL"},
    "checks": {"resource_score": "REAL", "resource_why": "TEXT NOT NULL DEFAULT ''"},
}

# Drafts are written afresh by every draft run, so version 7 simply makes the table again.
DRAFTS = """CREATE TABLE IF NOT EXISTS drafts (
    contact_key      TEXT NOT NULL,
    kind             TEXT NOT NULL,  -- first, followup
    to_email         TEXT NOT NULL,
    to_name          TEXT NOT NULL,
    contact_url      TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    followup_subject TEXT NOT NULL,
    followup_body    TEXT NOT NULL,
    prospect         TEXT NOT NULL,
    domains          TEXT NOT NULL,  -- the prospects' registered domains, space-separated
    page_urls        TEXT NOT NULL,
    dead_urls        TEXT NOT NULL,
    suggested_urls   TEXT NOT NULL,
    last_contacted   TEXT NOT NULL,  -- YYYY-MM-DD of the last recorded email to this contact
    drafted_at       TEXT NOT NULL,
    PRIMARY KEY (contact_key, kind)
);"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prospects (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL UNIQUE,
    domain      TEXT NOT NULL,
    path_prefix TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',  -- the name given with the email ("Elena Rossi <office@…>")
    extra       TEXT NOT NULL DEFAULT '{}',  -- the list's other columns (DR, traffic …) as JSON, in order
    max_pages   INTEGER,
    max_depth   INTEGER,
    source      TEXT NOT NULL DEFAULT '',
    added_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    url          TEXT PRIMARY KEY,
    prospect_id  INTEGER NOT NULL REFERENCES prospects(id),
    depth        INTEGER NOT NULL,
    status       INTEGER,
    content_type TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    published    TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    fetched_at   TEXT NOT NULL,
    resource_score REAL,
    truncated    INTEGER NOT NULL DEFAULT 0,
    extractor    INTEGER NOT NULL DEFAULT 1  -- crawl/context.py's CONTEXT_VERSION when it was read (1: before 9)
);
CREATE INDEX IF NOT EXISTS pages_prospect ON pages(prospect_id);
CREATE TABLE IF NOT EXISTS frontier (
    url         TEXT PRIMARY KEY,
    prospect_id INTEGER NOT NULL REFERENCES prospects(id),
    depth       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS frontier_prospect ON frontier(prospect_id);
CREATE TABLE IF NOT EXISTS occurrences (
    page_url    TEXT NOT NULL REFERENCES pages(url),
    position    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    anchor_text TEXT NOT NULL DEFAULT '',
    context     TEXT NOT NULL DEFAULT '',
    rel         TEXT NOT NULL DEFAULT '',
    placement   TEXT NOT NULL,
    PRIMARY KEY (page_url, position)
);
CREATE INDEX IF NOT EXISTS occurrences_url ON occurrences(url);
CREATE TABLE IF NOT EXISTS checks (
    url            TEXT PRIMARY KEY,
    verdict        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    reason_code    TEXT NOT NULL DEFAULT '',  -- verdict.ReasonCode: what drafts and filters key on
    status         INTEGER,
    final_url      TEXT NOT NULL DEFAULT '',
    redirect_chain TEXT NOT NULL DEFAULT '[]',
    method         TEXT NOT NULL DEFAULT '',
    attempts       INTEGER NOT NULL DEFAULT 0,
    elapsed_ms     INTEGER NOT NULL DEFAULT 0,
    resource_score REAL,
    resource_why   TEXT NOT NULL DEFAULT '',
    checked_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    prospect_id INTEGER NOT NULL REFERENCES prospects(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    source_page TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (prospect_id, kind, value)
);
CREATE TABLE IF NOT EXISTS own_pages (
    url         TEXT PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    headings    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    lastmod     TEXT NOT NULL DEFAULT '',
    status      INTEGER,
    error       TEXT NOT NULL DEFAULT '',
    listed      INTEGER NOT NULL DEFAULT 1,
    fetched_at  TEXT
);
CREATE TABLE IF NOT EXISTS suggestions (
    dead_url  TEXT NOT NULL,
    rank      INTEGER NOT NULL,
    own_url   TEXT NOT NULL,
    score     REAL NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (dead_url, rank)
);
CREATE TABLE IF NOT EXISTS match_outcomes (
    dead_url   TEXT PRIMARY KEY,
    matched    INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    confidence REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS vectors (
    key    TEXT PRIMARY KEY,  -- sha1 of model id and the exact text encoded
    vector BLOB NOT NULL      -- float32, little-endian
);
""" + DRAFTS + """
CREATE TABLE IF NOT EXISTS history (
    id               INTEGER PRIMARY KEY,
    contact_key      TEXT NOT NULL,  -- the address (lowercased), or the contact page's URL
    to_email         TEXT NOT NULL,
    to_name          TEXT NOT NULL DEFAULT '',
    contact_url      TEXT NOT NULL,
    prospect         TEXT NOT NULL DEFAULT '',  -- the prospects' URLs, space-separated
    domains          TEXT NOT NULL,  -- the prospects' registered domains, space-separated
    kind             TEXT NOT NULL,  -- first, followup
    status           TEXT NOT NULL,  -- outreach.history.OutreachStatus: sent, skip, replied, won, lost
    on_date          TEXT NOT NULL,  -- YYYY-MM-DD the user recorded it for
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,  -- as the user left it in the spreadsheet
    edited           INTEGER NOT NULL DEFAULT 0,  -- the body differs from the draft
    followup_subject TEXT NOT NULL DEFAULT '',
    followup_body    TEXT NOT NULL DEFAULT '',
    dead_urls        TEXT NOT NULL,  -- space-separated
    recorded_at      TEXT NOT NULL,
    UNIQUE (contact_key, kind, status, dead_urls)  -- recording the same file twice changes nothing
);
CREATE TABLE IF NOT EXISTS choices (
    page_url  TEXT NOT NULL,  -- a prospect page
    dead_url  TEXT NOT NULL,  -- a dead link on it
    choice    TEXT NOT NULL,  -- the own page to suggest instead of the matcher's, or 'skip'
    chosen_on TEXT NOT NULL,  -- when it was recorded
    PRIMARY KEY (page_url, dead_url)
);
CREATE TABLE IF NOT EXISTS authority (
    domain    TEXT PRIMARY KEY,  -- a prospect's registered domain
    authority REAL NOT NULL,     -- 0-100, by authority.py's map of the list's rank or score
    source    TEXT NOT NULL,     -- the list: Tranco, Majestic Million, Open PageRank, Common Crawl
    rank      INTEGER,           -- the domain's rank there (empty: a score decided)
    read_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claimed_links (
    page_url        TEXT NOT NULL,  -- a prospect page, as a backlink export names it (normalised)
    url             TEXT NOT NULL,  -- the target it is said to link (normalised)
    prospect_id     INTEGER NOT NULL,
    anchor          TEXT NOT NULL DEFAULT '',
    claimed_context TEXT NOT NULL DEFAULT '',  -- the export's left context, anchor, right context
    rel             TEXT NOT NULL DEFAULT '',
    claimed_status  INTEGER,  -- the target's HTTP code as the tool saw it: a claim, never a verdict
    source          TEXT NOT NULL,  -- file:row
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (page_url, url)
);
CREATE TABLE IF NOT EXISTS site_pages (
    url         TEXT PRIMARY KEY,  -- a page the Internet Archive captured with a 200 (normalised)
    domain      TEXT NOT NULL,     -- the site asked about (prospector deadsite DOMAIN)
    captured_at TEXT NOT NULL      -- the capture listed, YYYY-MM-DD
);
CREATE INDEX IF NOT EXISTS site_pages_domain ON site_pages(domain);
CREATE TABLE IF NOT EXISTS site_listings (
    domain     TEXT PRIMARY KEY,
    resume_key TEXT NOT NULL DEFAULT '',  -- the archive's key for the next page of the listing
    complete   INTEGER NOT NULL DEFAULT 0,
    listed_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS archive (
    url          TEXT PRIMARY KEY,  -- a dead URL
    outcome      TEXT NOT NULL,     -- captured, none (no usable capture), error
    archived_url TEXT NOT NULL DEFAULT '',  -- the capture read: /web/<timestamp>/<url>
    archived_at  TEXT NOT NULL DEFAULT '',  -- the capture's date, YYYY-MM-DD
    title        TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',  -- why there is none, or the error
    asked_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS locks (
    stage TEXT PRIMARY KEY,  -- crawl, check, match: one process at a time on this store
    pid   INTEGER NOT NULL,
    host  TEXT NOT NULL,
    since TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (
    id      INTEGER PRIMARY KEY,
    stage   TEXT NOT NULL,
    source  TEXT NOT NULL,
    message TEXT NOT NULL,
    at      TEXT NOT NULL
);
"""
