"""What each stage says when it ends: the figures the CLI prints and a notebook shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prospector import stat_keys as key
from prospector.shown import Rows, Shown
from prospector.stages import BY_NAME
from prospector.verdict import PITCHABLE, Verdict

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from prospector.authority import AuthorityRead
    from prospector.backlink_import import ImportResult
    from prospector.match.suggest import MatchRanking
    from prospector.outreach.drafting import DraftSummary
    from prospector.store.rows import Draft

APP_LINKS_ROW = "app links (whatsapp:, viber: …), not checked"


# --- summaries: the figures the CLI prints --------------------------------------------------

Problems = tuple[tuple[str, str], ...]  # (source, message) recorded in the store this run
Stats = dict[str, Any]  # a spider's stats (stat_keys names them)
PROBLEM_LINES_SHOWN = 20


def problem_lines(problems: Iterable[tuple[str, str] | str], shown: int = PROBLEM_LINES_SHOWN) -> list[str]:
    """The problems of a run, one line each, the first `shown` and a line saying how many more."""
    lines = [p if isinstance(p, str) else f"{p[0]}: {p[1]}" for p in problems]
    more = [f"… and {len(lines) - shown} more (all in the log file)"] if len(lines) > shown else []
    return [f"  {line}" for line in [*lines[:shown], *more]]


class _FetchingSummary:
    """What a stage that ran a spider says about how it ended."""

    finish_reason: str  # "finished", or why Scrapy stopped ("shutdown" on Ctrl-C)
    stage_title = ""

    @property
    def finished(self) -> bool:
        return self.finish_reason == "finished"

    @property
    def title(self) -> str:
        return f"{self.stage_title} finished" if self.finished else \
            f"{self.stage_title} stopped ({self.finish_reason}); run again to resume"


@dataclass(frozen=True)
class CrawlSummary(_FetchingSummary, Shown):
    finish_reason: str
    pages_fetched: int  # this run
    counts: dict[str, int]
    app_links: int
    bad_rows: int
    unreachable_prospects: int
    problems: Problems
    db: str
    links_gone: int = 0  # outbound links a page fetched again no longer carries
    stage_title = BY_NAME["crawl"].title

    @classmethod
    def of(cls, stats: Stats, counts: dict[str, int], problems: Problems, db: str) -> CrawlSummary:
        return cls(str(stats.get(key.FINISH_REASON)), stats.get(key.PAGES_FETCHED, 0), counts,
                   stats.get(key.APP_LINKS, 0), stats.get(key.BAD_ROWS, 0), stats.get(key.UNREACHABLE_PROSPECTS, 0),
                   problems, db, stats.get(key.LINKS_GONE, 0))

    def rows(self) -> Rows:
        c = self.counts
        return [("prospects", c["prospects"]), ("pages fetched (this run)", self.pages_fetched),
                ("pages fetched (total)", c["pages"]), ("outbound links", c["occurrences"]),
                *([("links gone since the last crawl", self.links_gone)] if self.links_gone else []),
                ("unique outbound URLs", c["outbound_urls"]), ("contacts", c["contacts"]),
                (APP_LINKS_ROW, self.app_links), ("bad input rows", self.bad_rows),
                ("unreachable prospects", self.unreachable_prospects), ("problems (this run)", len(self.problems)),
                ("store", self.db)]


@dataclass(frozen=True)
class CheckSummary(_FetchingSummary, Shown):
    finish_reason: str
    checked: int  # URLs checked this run
    counts: dict[str, int]
    workers: int
    db: str
    stage_title = BY_NAME["check"].title

    @classmethod
    def of(cls, stats: Stats, counts: dict[str, int], workers: int, db: str) -> CheckSummary:
        return cls(str(stats.get(key.FINISH_REASON)), stats.get(key.ITEMS_SCRAPED, 0), counts, workers, db)

    def rows(self) -> Rows:
        return [("URLs checked (this run)", self.checked), *[(f"{v} (total)", self.counts[v]) for v in Verdict],
                ("workers", self.workers), ("store", self.db)]


@dataclass(frozen=True)
class MatchSummary(Shown):
    ranker: str  # "hybrid" (semantic + words) or "lexical"
    min_confidence: float
    own_pages: int  # pages of your site matched on
    dead_links: int  # editorial dead links ranked
    matched: int
    no_match: int
    passages_encoded: int  # own-page passages encoded this run (the others came from the store)
    index_seconds: float
    rank_seconds: float
    own_pages_listed: int | None = None  # by the sitemap or CSV this run (None: none was read)
    own_pages_fetched: int = 0
    sitemap_errors: int = 0
    problems: Problems = ()

    title = "Match finished"

    @classmethod
    def of(cls, ranking: MatchRanking) -> MatchSummary:
        return cls(ranking.ranker, ranking.min_confidence, ranking.own_pages, ranking.dead_links, ranking.matched,
                   ranking.no_match, ranking.passages_encoded, ranking.index_seconds, ranking.rank_seconds)

    def with_reading(self, stats: Stats, problems: Problems) -> MatchSummary:
        """This ranking, with what reading your pages this run said (`stats`: none were read)."""
        return replace(self, own_pages_listed=stats.get(key.OWN_PAGES_LISTED),
                       own_pages_fetched=stats.get(key.OWN_PAGES_FETCHED, 0),
                       sitemap_errors=stats.get(key.SITEMAP_ERRORS, 0), problems=problems)

    def ranking_rows(self) -> Rows:
        return [("matching", "semantic + words" if self.ranker == "hybrid" else "words only"),
                ("dead links (editorial)", self.dead_links), ("with a suggestion", self.matched),
                (f"nothing fits (confidence < {self.min_confidence:.2f})", self.no_match)]

    def rows(self) -> Rows:
        listed = "-" if self.own_pages_listed is None else self.own_pages_listed
        return [("own pages listed (this run)", listed), ("own pages fetched (this run)", self.own_pages_fetched),
                ("own pages to match on", self.own_pages), *self.ranking_rows(),
                ("own-page passages encoded (not cached)", self.passages_encoded),
                ("index / ranking seconds", f"{self.index_seconds:.2f} / {self.rank_seconds:.2f}"),
                ("problems (this run)", len(self.problems))]


@dataclass(frozen=True)
class ExportSummary(Shown):
    paths: dict[str, Path]  # name -> CSV file
    counts: dict[str, int]

    title = "Export finished"

    def rows(self) -> Rows:
        return [("dead", self.counts["dead"]), ("likely dead", self.counts["likely_dead"]),
                *[(path.name, str(path)) for path in self.paths.values()]]


@dataclass(frozen=True)
class RunSummary(Shown):
    counts: dict[str, int]
    app_links: int
    input_problems: int  # bad prospect rows, unreachable prospects, sitemap errors, bad do-not-contact lines
    match: MatchSummary
    draft: DraftSummary
    export: ExportSummary
    problems: Problems  # recorded in the store this run (do-not-contact lines are in draft.problems)
    db: str
    archive: ArchiveSummary | None = None  # None: not asked (wayback=False)

    title = "Run finished"

    @classmethod
    def of(cls, results: list[Stats], counts: dict[str, int], match: MatchSummary, draft: DraftSummary,
           export: ExportSummary, problems: Problems, db: str, archive: ArchiveSummary | None) -> RunSummary:
        """`results`: the stats of the fetching stages, in order."""
        input_problems = sum(stats.get(name, 0) for stats in results
                             for name in (key.BAD_ROWS, key.UNREACHABLE_PROSPECTS, key.SITEMAP_ERRORS))
        return cls(counts, sum(stats.get(key.APP_LINKS, 0) for stats in results),
                   input_problems + len(draft.problems), match, draft, export, problems, db, archive)

    def rows(self) -> Rows:
        c = self.counts
        return [("prospects", c["prospects"]), ("pages fetched", c["pages"]), ("outbound links", c["occurrences"]),
                (APP_LINKS_ROW, self.app_links), ("unique URLs checked", c["checked"]),
                *[(f"  {v.replace('_', ' ')}", c[v]) for v in Verdict], ("own pages", c["own_pages"]),
                *(self.archive.run_rows() if self.archive else [("archive", "not asked (--no-wayback)")]),
                *self.match.ranking_rows(), *self.draft.rows(),
                ("problems (this run)", len(self.problems) + len(self.draft.problems)), ("store", self.db),
                *[(path.name, str(path)) for path in self.export.paths.values()]]


@dataclass(frozen=True)
class ArchiveSummary(_FetchingSummary, Shown):
    finish_reason: str
    to_ask: int  # dead URLs the archive had not been asked about
    this_run: dict[str, int]  # outcome -> URLs, this run
    stored: dict[str, int]  # outcome -> URLs, all told
    refused: int  # 429 answers this run
    stopped: str  # why the stage stopped early, if it did
    endpoint: str
    rate: float
    remaining: int = 0  # dead URLs still to ask about (a later run asks them)
    rest_seconds: float = 0.0  # how long asking them would take at `rate`
    minutes: float = 0.0  # the time it was given (0: no limit)
    stage_title = BY_NAME["archive"].title

    @classmethod
    def of(cls, stats: Stats, settings: Settings, stored: dict[str, int], remaining: int) -> ArchiveSummary:
        """`stored`: outcome -> URLs in the store; `remaining`: the dead URLs still to ask about."""
        this_run = {outcome: stats.get(key.archived(outcome), 0) for outcome in key.ARCHIVE_OUTCOMES}
        rate = settings.getfloat("PROSPECTOR_WAYBACK_RATE")
        asked = sum(this_run.values())  # a URL costs a CDX query, and a capture read when there is one:
        per_url = stats.get(key.REQUESTS, 0) / asked if asked else 2.0  # as this run found
        return cls(str(stats.get(key.FINISH_REASON)), stats.get(key.URLS_TO_ARCHIVE, 0), this_run, stored,
                   stats.get(key.ARCHIVE_429, 0), str(stats.get(key.ARCHIVE_STOPPED, "")),
                   settings.get("PROSPECTOR_WAYBACK_ENDPOINT"), rate, remaining, remaining * per_url * 60 / rate,
                   settings.getfloat("PROSPECTOR_WAYBACK_MINUTES"))

    @property
    def asked(self) -> int:
        return sum(self.this_run.values())

    def rows(self) -> Rows:
        return [("dead links to ask about", self.to_ask),
                *[(f"{k} (this run)", n) for k, n in self.this_run.items()],
                ("still to ask (a later run continues)", self.remaining),
                *([("the rest would take", f"about {_duration(self.rest_seconds)}")] if self.remaining else []),
                ("with a capture (total)", self.stored.get("captured", 0)),
                ("never captured (total)", self.stored.get("none", 0)),
                ("429 answers", self.refused), ("archive", f"{self.endpoint}, at most {self.rate:g} requests a minute")]

    def run_rows(self) -> Rows:
        """Its lines in `run`'s summary."""
        rest = f" (about {_duration(self.rest_seconds)} more)" if self.remaining else ""
        return [("archive: dead links looked up (this run)", self.asked),
                ("archive: captures found (this run)", self.this_run.get("captured", 0)),
                ("archive: still to look up", f"{self.remaining}{rest}")]


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 90 * 60 else f"{seconds / 3600:.1f} h"


@dataclass(frozen=True)
class VerifySummary(Shown):
    links: int  # dead links named by the stored drafts
    checked: int  # of them, checked again (their check was older than verify_within hours)
    revived: tuple[tuple[str, str, tuple[str, ...]], ...]  # (URL, verdict now, contacts whose draft names it)
    verify_within: float

    title = "Verify finished"

    @classmethod
    def of(cls, drafts: list[Draft], urls: list[str], checked: int, verdicts: dict[str, str],
           verify_within: float) -> VerifySummary:
        """`urls`: the dead links the `drafts` name; `verdicts`: theirs now."""
        revived = tuple((url, verdicts.get(url, ""), tuple(d.contact_key for d in drafts if url in d.dead_urls.split()))
                        for url in urls if verdicts.get(url) not in PITCHABLE)
        return cls(len(urls), checked, revived, verify_within)

    def rows(self) -> Rows:
        return [("dead links in the drafts", self.links),
                (f"checked again (older than {self.verify_within:g} h)", self.checked),
                ("no longer dead", len(self.revived))]


@dataclass(frozen=True)
class ForgetSummary(Shown):
    prospects: tuple[str, ...]  # their URLs
    pages: int
    links: int
    checks: int
    db: str

    title = "Forgotten"

    def rows(self) -> Rows:
        return [*[("prospect", url) for url in self.prospects], ("pages removed", self.pages),
                ("outbound links removed", self.links), ("checks removed (linked by no other prospect)", self.checks),
                ("outreach history", "kept"), ("store", self.db)]


@dataclass(frozen=True)
class AuthoritySummary(Shown):
    path: str
    source: str  # the list's format: Tranco, Majestic Million, Open PageRank, Common Crawl
    lines: int  # data lines read
    domains: int  # the campaign's (its prospects' registered domains)
    found: int  # of them, in the list
    bad_lines: int  # lines that could not be read (the first 20 were noted)

    title = "Authority read"

    @classmethod
    def of(cls, read: AuthorityRead, domains: int) -> AuthoritySummary:
        return cls(read.path, read.source, read.lines, domains, len(read.found), read.unread.count)

    def rows(self) -> Rows:
        return [("list", f"{self.path} ({self.source})"), ("lines read", self.lines),
                ("prospect domains", self.domains), ("with an authority", self.found),
                ("lines that could not be read", self.bad_lines)]


@dataclass(frozen=True)
class ImportSummary(Shown):
    files: tuple[str, ...]  # each with its format: "links.csv (Ahrefs)"
    rows_read: int
    bad_rows: int
    links: int  # claimed links stored
    pages: int  # referring pages new to fetch
    prospects: int  # they belong to
    new_prospects: int
    prospects_total: int  # in the store now
    skipped_tables: tuple[str, ...] = ()
    left_out: int = 0  # rows whose target was not wanted (competitor mode: a page found alive)

    title = "Import finished"

    @classmethod
    def of(cls, results: list[ImportResult], total: int) -> ImportSummary:
        return cls(tuple(f"{r.path} ({r.format})" for r in results), sum(r.rows_read for r in results),
                   sum(r.bad_rows for r in results), sum(r.links for r in results), sum(r.pages for r in results),
                   sum(r.prospects for r in results), sum(r.new_prospects for r in results), total,
                   tuple(t for r in results for t in r.skipped_tables), sum(r.left_out for r in results))

    def rows(self) -> Rows:
        return [*[("file", name) for name in self.files], ("rows read", self.rows_read),
                ("rows that could not be read", self.bad_rows),
                *([("rows left out: their target is not a lost page", self.left_out)] if self.left_out else []),
                ("links claimed", self.links),
                ("referring pages new to fetch", self.pages), ("prospects", self.prospects),
                ("new prospects", self.new_prospects), ("prospects in the store", self.prospects_total),
                *[("table without links, skipped", name) for name in self.skipped_tables]]


@dataclass(frozen=True)
class WorkerSummary(Shown):
    worker_id: str
    pages: int
    urls: int
    title = "Worker stopped"

    def rows(self) -> Rows:
        return [("worker", self.worker_id), ("prospect pages read", self.pages), ("URLs checked", self.urls)]
