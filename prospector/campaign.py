"""The library: a campaign over one store, with a method per stage and DataFrames to read.

    from prospector import Campaign, Sender

    campaign = Campaign("outputs/prospector.sqlite", nameserver="1.1.1.1")
    campaign.run("prospects.csv", sitemap="https://example.com/", sender=Sender("Sam", "sam@example.com"))
    campaign.opportunities().head()

Each stage resumes from the store, so a method can simply be called again after a stop. The
fetching stages run their Scrapy spiders in a child process (Scrapy's reactor cannot be
restarted in one process, and a notebook calls stages many times). Problems the caller must fix
raise `UsageError` with the one line the CLI prints.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from prospector import arguments, stat_keys
from prospector.archiving import ask_archive, ask_then_rematch
from prospector.arguments import DEFAULT_DB, DEFAULT_LEASE_S, DEFAULT_VERIFY_WITHIN_HOURS, MethodDefaults
from prospector.authority import list_source
from prospector.config import RunOptions
from prospector.errors import Interrupted, ProspectorError, RowsRejected, StageFailed, UsageError
from prospector.fetching import ClusterRunner, Stats, finished, runner_for
from prospector.finding import FindingProspects
from prospector.outreach.drafting import DraftSummary, draft_all
from prospector.outreach.record import RecordSummary
from prospector.outreach.render import Sender
from prospector.rechecking import Recheck
from prospector.stages import FETCHING, goes_on
from prospector.store import Store
from prospector.store.base import one_line_write_failures
from prospector.store_status import StoreStatus
from prospector.summaries import (
    ArchiveSummary,
    CheckSummary,
    CrawlSummary,
    ExportSummary,
    ForgetSummary,
    MatchSummary,
    RunSummary,
    VerifySummary,
    WorkerSummary,
)
from prospector.workspace import Workspace


class Campaign(FindingProspects):
    """One store and the options of every stage, those of the command line (docs/python.md):
    nameserver, dns_timeout, dns_retries, timeout, retries, allow_private_networks, allow_network,
    user_agent, ca_bundle, max_pages, max_depth, recheck_after, soft404, wayback_endpoint,
    wayback_rate; `workers` ("auto": one per core), `min_confidence`, `semantic`, `settings`
    (Scrapy's: {"DOWNLOAD_DELAY": 0.5}), `progress` (bars on stderr), `log_file` (default:
    prospector.log beside the store; None with verbose=True: Scrapy's log on stderr), `notes`
    (default: printed to stderr), `redis` (redis://HOST:PORT/DB: crawl and check on its workers)
    and `lease` (seconds a silent worker keeps its sites and requests)."""

    def __init__(self, db: str | Path | None = None, *, workers: int | str | None = None,
                 min_confidence: float | None = None, semantic: bool | None = None,
                 settings: Mapping[str, Any] | Iterable[str] | None = None, progress: bool = False,
                 verbose: bool = False, log_file: str | None = None, notes: Callable[[str], None] | None = None,
                 redis: str | None = None, lease: float = DEFAULT_LEASE_S, config: str | Path | None = "auto",
                 **options: Any):
        self.note = notes or (lambda line: print(line, file=sys.stderr))
        found = arguments.config_values(config)  # prospector.toml: defaults for what is not given here
        options = arguments.campaign_options(options, found)
        self.defaults = MethodDefaults.of(found)  # the prospect list, your site, the sender …
        self.min_confidence = min_confidence if min_confidence is not None else found.get("min_confidence")
        self.semantic = semantic if semantic is not None else found.get("semantic")
        arguments.check_numbers({**options, "min_confidence": self.min_confidence, "lease": lease})
        self.db = str(db or found.get("db") or DEFAULT_DB)
        self.workers = arguments.resolve_workers(workers if workers is not None else found.get("workers", "auto"))
        # how the crawl and the check run: here (the check over `workers` processes), or on the
        # workers serving `redis` (cluster/) when it is given
        self.runner = runner_for(self.workers, redis, lease, self.note)
        self.progress = progress
        self.options = RunOptions(db=self.db, progress=progress, verbose=verbose, log_file=log_file,
                                  extra=arguments.scrapy_settings(settings), **options)
        self.space = Workspace(self.db, self.options, self.runner, self.note)  # what the stages run against

    # --- stages -----------------------------------------------------------------------------

    @one_line_write_failures
    def crawl(self, prospects: str | Path | None = None) -> CrawlSummary:
        """Crawl each prospect site; store its pages' outbound links with their context.
        `prospects`: the list (default: prospector.toml's [crawl] prospects)."""
        prospects = self.defaults.prospect_list(prospects, self.space.has_prospects)
        settings = self.space.settings()
        self.space.read_prospects(prospects)
        mark = self.space.problem_mark()
        with self.space.lock("crawl"):
            stats = self.space.fetch_one("crawl", settings, prospects=str(prospects))
        with self.space.store() as store:
            problems, counts = tuple(store.problems_since(mark)), store.counts()
            self.space.note_older_contexts(store)
        self.space.note_problems(problems)
        return CrawlSummary.of(stats, counts, problems, self.db)

    @one_line_write_failures
    def check(self) -> CheckSummary:
        """Check every unique outbound URL not checked within `recheck_after` days."""
        self.space.store(must_exist=True).close()
        settings = self.space.settings()
        with self.space.lock("check"):
            stats = self.space.fetch_one("check", settings)
        with self.space.store() as store:
            return CheckSummary.of(stats, store.counts(), self.workers, self.db)

    @one_line_write_failures
    def match(self, sitemap: str | None = None, pages: str | Path | None = None,
              refresh: bool = False) -> MatchSummary:
        """Read your site (a sitemap, your site's URL or a CSV of pages; neither: prospector.toml's
        [match] sitemap or pages, else the pages already stored) and suggest one of its pages for
        each dead link."""
        sitemap, pages = self.defaults.own_site(sitemap, pages)
        settings = self.space.settings()
        self._require_model()
        with self.space.store() as store:
            mark = store.last_problem_id()
            if not (sitemap or pages) and not store.own_pages():
                raise UsageError("no pages of your site stored yet: give --sitemap URL|FILE or --pages FILE.csv")
        stats: Stats = {}
        with self.space.lock("match"):
            if sitemap or pages:
                kwargs = {"sitemap": sitemap or "", "pages": str(pages or ""), "refresh": refresh}
                stats = self.space.fetch_one("match", settings, **kwargs)
                if not finished(stats):
                    raise Interrupted(f"Match stopped while reading your pages: "
                                      f"{stats.get(stat_keys.OWN_PAGES_FETCHED, 0)} read this run are kept; "
                                      "run the same command again to resume.")
            with self.space.store() as store:
                problems = tuple(store.problems_since(mark))
                ranked = self._rank(store)
        self.space.note_problems(problems)
        return ranked.with_reading(stats, problems)

    @one_line_write_failures
    def draft(self, sender: Sender | None = None, out_dir: str | Path | None = None, encoding: str | None = None,
              **settings: Any) -> DraftSummary:
        """One draft per contact (never two to one address), from the templates, as the
        outreach history allows; the dead links to pitch are checked again first when their
        check is older than `verify_within` hours. With `out_dir`, the export there is
        written again at once (the CLI always does), so emails.csv is never older than the
        drafts. Keyword options: template, followup_template, max_links_per_email,
        include_likely_dead, include_unmatched, do_not_contact, recontact_after (days),
        followup_after (days), verify_within (hours), today (a date)."""
        sender, options, verify_within = self.defaults.drafting(sender, settings)
        encoding = self.defaults.encoding(encoding)
        self.space.store(must_exist=True).close()
        if out_dir is not None:
            arguments.check_encoding(encoding)
            self.space.refuse_unrecorded(out_dir)  # the sheet about to be replaced: before new drafts
        with self.space.lock("outreach"):  # a `record` meanwhile would be drafted over
            verified, plan = Recheck(self.space, verify_within).pitches(options)
            with self.space.store() as store:
                drafted = draft_all(store, sender, options, verified, plan, self.note)
        self.space.note_problems(drafted.problems)
        if out_dir is None:
            return drafted
        return replace(drafted, exported=tuple(self.export(out_dir, encoding).paths.values()))

    @one_line_write_failures
    def archive(self, minutes: float | None = None) -> ArchiveSummary:
        """Ask the Internet Archive what each dead editorial link's page was (its last good
        capture's title, description and text), the links whose match is least certain first,
        politely (`wayback_rate` requests a minute); the next match uses what it said.
        `minutes`: ask about no new link after this long (default: the campaign's
        wayback_minutes, else no limit); a later run asks the rest."""
        if minutes is not None:
            arguments.check_numbers({"wayback_minutes": minutes})
        self.space.store(must_exist=True).close()
        settings = self.space.settings()
        with self.space.lock("archive"):
            return ask_archive(self.space, settings, minutes)

    @one_line_write_failures
    def verify(self, verify_within: float = DEFAULT_VERIFY_WITHIN_HOURS) -> VerifySummary:
        """Check again the dead links of the stored drafts (emails.csv) whose check is older
        than `verify_within` hours: for a file exported yesterday and sent today."""
        with self.space.store(must_exist=True) as store:
            drafts = store.drafts()
        urls = list(dict.fromkeys(url for d in drafts for url in d.dead_urls.split()))
        checked = Recheck(self.space, verify_within).urls(urls)
        with self.space.store() as store:
            return VerifySummary.of(drafts, urls, len(checked), store.verdicts_of(urls), verify_within)

    @one_line_write_failures
    def record(self, path: str | Path, on: date | str | None = None, redate: bool = False) -> RecordSummary:
        """Store the statuses written into an edited emails.csv, dated `on` (a date or
        YYYY-MM-DD, not in the future; today if not given), or the choices written into
        opportunities.csv's use column, or both from prospector.xlsx. Recording a file again
        changes nothing; with `redate`, what it recorded before moves to `on` (a wrong date
        corrected)."""
        from prospector.outreach.record import record_file

        day = arguments.parse_day(on)
        with self.space.store(must_exist=True) as store, self.space.lock("outreach"):
            try:
                return record_file(store, path, day or date.today(), redate=redate)
            except RowsRejected as exc:  # RecordRefused: nothing recorded
                for line in exc.problems:
                    self.note(f"  {line}")
                raise

    @one_line_write_failures
    def export(self, out_dir: str | Path | None = None, encoding: str | None = None, xlsx: bool = False
               ) -> ExportSummary:
        """Write the CSV files (utf-8-sig: with the BOM Excel needs) and report.html; with `xlsx`
        also prospector.xlsx, every sheet with typed cells (kept current from then on).
        Defaults: prospector.toml's [output] out and encoding, else outputs/ and utf-8-sig."""
        from prospector.export import export_all

        out_dir, encoding = self.defaults.output(out_dir, encoding)
        arguments.check_encoding(encoding)
        with self.space.store(must_exist=True) as store:
            counts = store.counts()
            return ExportSummary(export_all(store, out_dir, encoding, counts, xlsx), counts)

    @one_line_write_failures
    def run(self, prospects: str | Path | None = None, sitemap: str | None = None, pages: str | Path | None = None,
            sender: Sender | None = None, out_dir: str | Path | None = None, encoding: str | None = None,
            wayback: bool | None = None, xlsx: bool = False, authority: str | Path | None = None,
            **draft_settings: Any) -> RunSummary:
        """Every stage in STAGES order: crawl, check, match, archive, draft, export. With
        `wayback` (the default) the Internet Archive is asked what the dead pages were, the
        least certain matches first, for at most `wayback_minutes` (10), and they are matched
        again with what it said; a later run asks about the rest. `draft_settings` are `draft`'s
        keyword options; `authority`: a ranked domain list (see `authority`), read after the crawl.
        What is not given comes from prospector.toml, as for the CLI."""
        prospects = self.defaults.prospect_list(prospects, self.space.has_prospects)
        sitemap, pages = self.defaults.own_site(sitemap, pages)
        if not (sitemap or pages):
            raise UsageError("give your site as --sitemap URL|FILE or --pages FILE.csv")
        out_dir, encoding = self.defaults.output(out_dir, encoding)
        self._require_model()
        arguments.check_encoding(encoding)
        sender, options, verify_within = self.defaults.drafting(sender, draft_settings)
        wayback = self.defaults.get("wayback", True) if wayback is None else wayback
        settings = self.space.settings()
        self.space.read_prospects(prospects)
        self.space.refuse_unrecorded(out_dir)  # now, not after an hour of crawling
        if authority is not None:  # a file in no known format: now, too
            arguments.check_path("authority", authority)
            list_source(authority)
        mark = self.space.problem_mark()
        kwargs = {"crawl": {"prospects": str(prospects)}, "check": {},
                  "match": {"sitemap": sitemap or "", "pages": str(pages or "")}}
        archived: ArchiveSummary | None = None
        with self.space.lock(*(stage.name for stage in FETCHING), *(["archive"] if wayback else []), "outreach"):
            results = self.space.fetch(settings, [(stage, kwargs[stage.name]) for stage in FETCHING])
            stopped = next((stage.name for stage, stats in zip(FETCHING, results, strict=False)
                            if not goes_on(stats)), "")
            if stopped:
                raise Interrupted(f"Stopped during {stopped}; run the same command again to resume.")
            if authority is not None:
                self.authority(authority)  # the prospects are stored: their domains are known
            with self.space.store() as store:
                self.space.note_older_contexts(store)
                matched = self._rank(store)
            if wayback:  # for at most wayback_minutes (RUN_WAYBACK_MINUTES unless given)
                minutes = arguments.RUN_WAYBACK_MINUTES if self.options.wayback_minutes is None else None
                archived, matched = ask_then_rematch(self.space, settings, minutes, matched, self._rank_again)
            verified, plan = Recheck(self.space, verify_within, locked=True).pitches(options)
            with self.space.store() as store:
                drafted = draft_all(store, sender, options, verified, plan, self.note)
                problems = tuple(store.problems_since(mark))
            self.space.note_problems([*drafted.problems, *problems])
            exported = self.export(out_dir, encoding, xlsx)
        return RunSummary.of(results, exported.counts, matched, drafted, exported, problems, self.db, archived)

    @one_line_write_failures
    def forget(self, *prospects: str) -> ForgetSummary:
        """Remove prospects (by URL as listed, or by domain: all of that domain's) with their
        pages, links and the checks no other prospect needs; their outreach history stays, so
        they are never pitched again by mistake."""
        if not prospects or not all(isinstance(p, str) and p.strip() for p in prospects):
            raise UsageError("forget: name the prospects (their URL, or their domain)")
        with self.space.store(must_exist=True) as store, self.space.lock("crawl", "check"):
            chosen: dict[int, str] = {}
            for given in prospects:
                found = store.prospects_named(given)
                if not found:
                    raise UsageError(f"forget: no prospect {given!r} in {self.db} (prospector status lists them)")
                chosen.update({p.id: p.url for p in found if p.id is not None})
            totals = store.forget_prospects(chosen)
        return ForgetSummary(tuple(chosen.values()), totals["pages"], totals["links"], totals["checks"], self.db)

    # --- the cluster ------------------------------------------------------------------------

    def leftovers(self) -> list[Any]:
        """The campaigns whose work is left in the cluster's Redis (`cluster.leftovers.Leftovers`:
        requests queued, in flight, results not stored), this store's included."""
        return self._cluster().leftovers()

    def clear(self, campaign: str) -> int:
        """Delete what a campaign left in the cluster's Redis (a campaign stopped for good, so
        that another can use the database); how many keys went."""
        return self._cluster().clear(campaign)

    def work(self) -> WorkerSummary:
        """Serve the cluster at `redis` (crawl pages, check URLs for whichever coordinator
        queues them) until stopped (Ctrl-C, SIGTERM): the downloads under way finish, what
        was still held goes back to the queue. Network options are this machine's own."""
        worker_id, stats = self._cluster().work(self.space.settings())
        return WorkerSummary(worker_id, stats["pages"], stats["urls"])

    # --- reading ----------------------------------------------------------------------------

    def opportunities(self) -> pd.DataFrame:
        """Every dead editorial link on a prospect page, best first (opportunities.csv)."""
        return self.space.sheet("opportunities")

    def dead_links(self) -> pd.DataFrame:
        """Each dead or likely-dead URL once, with how many pages and sites link to it."""
        return self.space.sheet("dead_links")

    def emails(self) -> pd.DataFrame:
        """The drafts, one per contact (emails.csv)."""
        return self.space.sheet("emails")

    def prospects(self) -> pd.DataFrame:
        """Per prospect: pages crawled, links, dead links and the contact chosen."""
        return self.space.sheet("prospects")

    def suggested_prospects(self) -> pd.DataFrame:
        """Sites your prospects link to whose page looks like a resource page (never crawled)."""
        return self.space.sheet("suggested_prospects")

    def status(self) -> StoreStatus:
        """What the store holds, stage by stage."""
        with self.space.store(must_exist=True) as store:
            return StoreStatus.of(store, self.db)

    def problems(self, limit: int = 20) -> pd.DataFrame:
        """The most recent problems recorded (stage, source, message, at), newest first: what
        the one-line notes said, kept in the store."""
        with self.space.store(must_exist=True) as store:
            return pd.DataFrame(store.recent_problems(limit), columns=["at", "stage", "source", "message"])

    # --- helpers ----------------------------------------------------------------------------

    def _require_model(self) -> None:
        from prospector.match.semantic import require_model  # numpy: only when matching

        require_model(self.semantic)

    def _cluster(self) -> ClusterRunner:
        if not isinstance(self.runner, ClusterRunner):
            raise UsageError("give the cluster's Redis as --redis redis://HOST:PORT/DB")
        return self.runner

    def _rank_again(self) -> MatchSummary:
        """A second ranking in the same run, with what the archive said (its notes were given)."""
        with self.space.store() as store:
            return self._rank(store, again=True)

    def _rank(self, store: Store, again: bool = False) -> MatchSummary:
        """Rank the stored own pages for every stored dead link (match.suggest.rank_stored).
        `again`: a second ranking in the same run (its notes were given)."""
        from prospector.match.suggest import rank_stored

        return MatchSummary.of(rank_stored(store, self.semantic, self.min_confidence, self.progress,
                                           None if again else self.note))


__all__ = ["Campaign", "CheckSummary", "CrawlSummary", "ExportSummary", "ForgetSummary", "Interrupted",
           "MatchSummary", "ProspectorError", "RowsRejected", "RunSummary", "StageFailed", "StoreStatus", "UsageError"]
