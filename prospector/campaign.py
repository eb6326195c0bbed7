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

import contextlib
import difflib
import functools
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from scrapy.settings import Settings

from prospector.arguments import (
    check_encoding,
    check_numbers,
    check_path,
    config_values,
    draft_options,
    parse_day,
    resolve_workers,
)
from prospector.config import ConfigError, RunOptions, build_settings
from prospector.errors import Interrupted, ProspectorError, RowsRejected, StageFailed, UsageError
from prospector.fetching import ClusterRunner, LocalRunner
from prospector.outreach.drafting import DraftOptions, DraftSummary, PitchPlan
from prospector.outreach.record import RecordSummary
from prospector.outreach.render import Sender
from prospector.stages import BY_NAME, FETCHING, Stage, goes_on
from prospector.store import Store, StoreError
from prospector.store.base import write_failure
from prospector.summaries import (
    ArchiveSummary,
    CheckSummary,
    CrawlSummary,
    ExportSummary,
    ForgetSummary,
    MatchSummary,
    RunSummary,
    StoreStatus,
    VerifySummary,
    WorkerSummary,
)
from prospector.verdict import PITCHABLE

DEFAULT_DB = "outputs/prospector.sqlite"
DEFAULT_VERIFY_WITHIN_HOURS = 24.0


def _one_line_store_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """A store that cannot be written (a full disk, a read-only folder) is one line, StageFailed:
    every write is a transaction, so what was stored before is kept."""
    @functools.wraps(method)
    def stage(self: Campaign, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if not write_failure(exc):
                raise
            raise StageFailed(f"{self.db}: cannot write the store ({exc}). What was stored is kept: free some "
                              "space and run the same command again.") from None
    return stage


# --- the campaign ---------------------------------------------------------------------------

DEFAULT_LEASE_S = 15.0
PROBLEM_LINES_SHOWN = 20
OUTREACH_LOCK_WAIT_S = 30.0
# prospector.toml keys a Campaign uses as its methods' defaults (the others are its options).
DRAFT_SETTINGS = {"template", "followup_template", "max_links_per_email", "include_likely_dead", "include_unmatched",
                  "do_not_contact", "recontact_after", "followup_after", "verify_within"}
METHOD_DEFAULTS = {"prospects_file", "sitemap", "pages_file", "sender_name", "sender_email", "sender_site",
                   "out_dir", "encoding", "wayback", *DRAFT_SETTINGS}
RUN_WAYBACK_MINUTES = 10.0  # how long `run` asks the archive, unless told (wayback_minutes)
CAMPAIGN_OPTIONS = {f.name for f in fields(RunOptions)} - {"db", "progress", "extra", "log_file", "verbose"}


class Campaign:
    """One store and the options of every stage. Options are those of the command line:
    nameserver, dns_timeout, dns_retries, timeout, retries, allow_private_networks,
    allow_network, user_agent, ca_bundle, max_pages, max_depth, recheck_after, soft404,
    wayback_endpoint, wayback_rate; `workers` ("auto": one per core) for the check,
    `min_confidence` and `semantic` for the match, `settings` for Scrapy settings
    ({"DOWNLOAD_DELAY": 0.5}), `progress` for bars on stderr, `log_file` (default:
    prospector.log beside the store, or None with verbose=True for Scrapy's log on stderr),
    `notes` for the one-line notes (default: printed to stderr),
    `redis` (redis://HOST:PORT/DB) to crawl and check on the workers serving it, `lease` for
    how long (seconds) a silent worker keeps its sites and requests before others take them."""

    def __init__(self, db: str | Path | None = None, *, workers: int | str | None = None,
                 min_confidence: float | None = None, semantic: bool | None = None,
                 settings: Mapping[str, Any] | Iterable[str] | None = None, progress: bool = False,
                 verbose: bool = False, log_file: str | None = None, notes: Callable[[str], None] | None = None,
                 redis: str | None = None, lease: float = DEFAULT_LEASE_S, config: str | Path | None = "auto",
                 **options: Any):
        unknown = sorted(set(options) - CAMPAIGN_OPTIONS)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(CAMPAIGN_OPTIONS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UsageError(f"Campaign: unknown option '{unknown[0]}'{hint}")
        found = config_values(config)  # prospector.toml: defaults for what is not given here
        options = {**{k: v for k, v in found.items() if k in CAMPAIGN_OPTIONS},
                   **{k: v for k, v in options.items() if v is not None}}
        if isinstance(options.get("allow_network"), list):
            options["allow_network"] = tuple(options["allow_network"])
        workers = workers if workers is not None else found.get("workers", "auto")
        min_confidence = min_confidence if min_confidence is not None else found.get("min_confidence")
        semantic = semantic if semantic is not None else found.get("semantic")
        self.defaults = {k: v for k, v in found.items() if k in METHOD_DEFAULTS}  # prospects, sitemap, sender …
        check_numbers({**options, "min_confidence": min_confidence, "lease": lease})
        self.db = str(db or found.get("db") or DEFAULT_DB)
        self.workers = resolve_workers(workers)
        self.redis = redis  # crawl and check on the workers serving this Redis (cluster/)
        self.lease = lease
        self.min_confidence = min_confidence
        self.semantic = semantic
        self.progress = progress
        extra = tuple(f"{key}={value}" for key, value in settings.items()) if isinstance(settings, Mapping) \
            else tuple(settings or ())  # "KEY=VALUE", as --set gives them
        self.options = RunOptions(db=self.db, progress=progress, verbose=verbose, log_file=log_file,
                                  extra=extra, **{k: v for k, v in options.items() if v is not None})
        self.note = notes or (lambda line: print(line, file=sys.stderr))

    # --- stages -----------------------------------------------------------------------------

    @_one_line_store_errors
    def crawl(self, prospects: str | Path | None = None) -> CrawlSummary:
        """Crawl each prospect site; store its pages' outbound links with their context.
        `prospects`: the list (default: prospector.toml's [crawl] prospects)."""
        prospects = self._given("prospects", prospects, "prospects_file", "[crawl] prospects")
        settings = self._settings()
        self._read_prospects(prospects)
        mark = self._problem_mark()
        with self._lock("crawl"):
            stats = self._fetch(settings, [(BY_NAME["crawl"], {"prospects": str(prospects)})])[0]
        with self._store() as store:
            problems, counts = tuple(store.problems_since(mark)), store.counts()
            self._note_older_contexts(store)
        self._note_problems(problems)
        return CrawlSummary(str(stats.get("finish_reason")), stats.get("prospector/pages_fetched", 0), counts,
                            stats.get("prospector/app_links", 0), stats.get("prospector/bad_rows", 0),
                            stats.get("prospector/unreachable_prospects", 0), problems, self.db,
                            stats.get("prospector/links_gone", 0))

    @_one_line_store_errors
    def check(self) -> CheckSummary:
        """Check every unique outbound URL not checked within `recheck_after` days."""
        self._store(must_exist=True).close()
        settings = self._settings()
        with self._lock("check"):
            stats = self._fetch(settings, [(BY_NAME["check"], {})])[0]
        with self._store() as store:
            counts = store.counts()
        return CheckSummary(str(stats.get("finish_reason")), stats.get("item_scraped_count", 0), counts,
                            self.workers, self.db)

    @_one_line_store_errors
    def match(self, sitemap: str | None = None, pages: str | Path | None = None,
              refresh: bool = False) -> MatchSummary:
        """Read your site (a sitemap, your site's URL or a CSV of pages; neither: prospector.toml's
        [match] sitemap or pages, else the pages already stored) and suggest one of its pages for
        each dead link."""
        if sitemap is None and pages is None:
            sitemap, pages = self.defaults.get("sitemap"), self.defaults.get("pages_file")
        check_path("sitemap", sitemap, optional=True)
        check_path("pages", pages, optional=True)
        settings = self._settings()
        self._semantic_usable()
        with self._store() as store:
            mark = store.last_problem_id()
            if not (sitemap or pages) and not store.own_pages():
                raise UsageError("no pages of your site stored yet: give --sitemap URL|FILE or --pages FILE.csv")
        stats: dict[str, Any] = {}
        with self._lock("match"):
            if sitemap or pages:
                kwargs = {"sitemap": sitemap or "", "pages": str(pages or ""), "refresh": refresh}
                stats = self._fetch(settings, [(BY_NAME["match"], kwargs)])[0]
                if not _finished(stats):
                    raise Interrupted(f"Match stopped while reading your pages: "
                                      f"{stats.get('prospector/own_pages_fetched', 0)} read this run are kept; "
                                      "run the same command again to resume.")
            with self._store() as store:
                problems = tuple(store.problems_since(mark))
                ranked = self._rank(store)
        self._note_problems(problems)
        return replace(ranked, own_pages_listed=stats.get("prospector/own_pages_listed"),
                       own_pages_fetched=stats.get("prospector/own_pages_fetched", 0),
                       sitemap_errors=stats.get("prospector/sitemap_errors", 0), problems=problems)

    @_one_line_store_errors
    def draft(self, sender: Sender | None = None, out_dir: str | Path | None = None, encoding: str | None = None,
              **settings: Any) -> DraftSummary:
        """One draft per contact (never two to one address), from the templates, as the
        outreach history allows; the dead links to pitch are checked again first when their
        check is older than `verify_within` hours. With `out_dir`, the export there is
        written again at once (the CLI always does), so emails.csv is never older than the
        drafts. Keyword options: template, followup_template, max_links_per_email,
        include_likely_dead, include_unmatched, do_not_contact, recontact_after (days),
        followup_after (days), verify_within (hours), today (a date)."""
        sender = sender or self._sender()
        settings = {**self._draft_defaults(), **settings}
        encoding = encoding or self.defaults.get("encoding", "utf-8-sig")
        verify_within = settings.pop("verify_within", DEFAULT_VERIFY_WITHIN_HOURS)
        options = draft_options(sender, **settings)
        assert sender is not None  # draft_options refuses drafts without a sender
        self._store(must_exist=True).close()
        if out_dir is not None:
            check_encoding(encoding)
            self._refuse_unrecorded(out_dir)  # the sheet about to be replaced: before new drafts
        with self._lock("outreach"):  # a `record` meanwhile would be drafted over
            verified, plan = self._verify_pitches(options, verify_within)
            with self._store() as store:
                drafted = self._draft(store, sender, options, verified, plan)
        self._note_problems(drafted.problems)
        if out_dir is None:
            return drafted
        return replace(drafted, exported=tuple(self.export(out_dir, encoding).paths.values()))

    @_one_line_store_errors
    def archive(self, minutes: float | None = None) -> ArchiveSummary:
        """Ask the Internet Archive what each dead editorial link's page was (its last good
        capture's title, description and text), the links whose match is least certain first,
        politely (`wayback_rate` requests a minute); the next match uses what it said.
        `minutes`: ask about no new link after this long (default: the campaign's
        wayback_minutes, else no limit); a later run asks the rest."""
        self._store(must_exist=True).close()
        settings = self._settings()
        with self._lock("archive"):
            return self._archive(settings, minutes)

    def _archive_and_rematch(self, settings: Settings, matched: MatchSummary) -> tuple[ArchiveSummary, MatchSummary]:
        """`run`'s archive step: ask for at most wayback_minutes (RUN_WAYBACK_MINUTES unless
        given), then rank again when the archive said what some dead pages were."""
        archived = self._archive(settings, RUN_WAYBACK_MINUTES if self.options.wayback_minutes is None else None)
        if not goes_on({"finish_reason": archived.finish_reason}):
            raise Interrupted("Stopped while asking the Internet Archive; run the same command again to resume.")
        if archived.this_run.get("captured"):
            with self._store() as store:
                matched = self._rank(store, again=True)  # with what the archive said
        return archived, matched

    def _archive(self, settings: Settings, minutes: float | None) -> ArchiveSummary:
        if minutes is not None:
            check_numbers({"wayback_minutes": minutes})
            settings = settings.copy()
            settings.set("PROSPECTOR_WAYBACK_MINUTES", minutes, priority="cmdline")
        from prospector.match.certainty import ask_order

        with self._store() as store:
            urls = ask_order(store.archive_candidates())
        stats = self._fetch(settings, [(BY_NAME["archive"], {"urls": urls})])[0]
        with self._store() as store:
            outcomes, remaining = store.archive_outcomes(), len(store.urls_to_archive())
        this_run = {k: stats.get(f"prospector/archived/{k}", 0) for k in ("captured", "none", "error")}
        rate = settings.getfloat("PROSPECTOR_WAYBACK_RATE")
        # a dead URL costs a CDX query, and a capture read when there is one: as this run found
        asked = sum(this_run.values())
        per_url = stats.get("downloader/request_count", 0) / asked if asked else 2.0
        return ArchiveSummary(str(stats.get("finish_reason")), stats.get("prospector/urls_to_archive", 0), this_run,
                              outcomes, stats.get("prospector/archive_429", 0),
                              str(stats.get("prospector/archive_stopped", "")),
                              settings.get("PROSPECTOR_WAYBACK_ENDPOINT"), rate, remaining,
                              remaining * per_url * 60 / rate,
                              settings.getfloat("PROSPECTOR_WAYBACK_MINUTES"))

    @_one_line_store_errors
    def verify(self, verify_within: float = DEFAULT_VERIFY_WITHIN_HOURS) -> VerifySummary:
        """Check again the dead links of the stored drafts (emails.csv) whose check is older
        than `verify_within` hours: for a file exported yesterday and sent today."""
        with self._store(must_exist=True) as store:
            drafts = store.drafts()
        urls = list(dict.fromkeys(url for d in drafts for url in d["dead_urls"].split()))
        checked = self._recheck(urls, verify_within)
        with self._store() as store:
            verdicts = store.verdicts_of(urls)
        revived = tuple((url, verdicts.get(url, ""), tuple(d["contact_key"] for d in drafts
                                                           if url in d["dead_urls"].split()))
                        for url in urls if verdicts.get(url) not in PITCHABLE)
        return VerifySummary(len(urls), len(checked), revived, verify_within)

    @_one_line_store_errors
    def record(self, path: str | Path, on: date | str | None = None, redate: bool = False) -> RecordSummary:
        """Store the statuses written into an edited emails.csv, dated `on` (a date or
        YYYY-MM-DD, not in the future; today if not given), or the choices written into
        opportunities.csv's use column, or both from prospector.xlsx. Recording a file again
        changes nothing; with `redate`, what it recorded before moves to `on` (a wrong date
        corrected)."""
        from prospector.inputs import InputFileError
        from prospector.outreach.record import RecordRefused, record_file

        day = parse_day(on)
        with self._store(must_exist=True) as store, self._lock("outreach"):
            try:
                return record_file(store, path, day or date.today(), redate=redate)
            except InputFileError as exc:
                raise UsageError(str(exc)) from None
            except RecordRefused as exc:
                more = exc.count - len(exc.problems)
                lines = tuple(str(p) for p in exc.problems) + ((f"… and {more} more",) if more else ())
                for line in lines:
                    self.note(f"  {line}")
                raise RowsRejected(str(exc), lines) from None

    @_one_line_store_errors
    def export(self, out_dir: str | Path | None = None, encoding: str | None = None, xlsx: bool = False
               ) -> ExportSummary:
        """Write the CSV files (utf-8-sig: with the BOM Excel needs) and report.html; with `xlsx`
        also prospector.xlsx, every sheet with typed cells (kept current from then on).
        Defaults: prospector.toml's [output] out and encoding, else outputs/ and utf-8-sig."""
        out_dir = out_dir or self.defaults.get("out_dir", "outputs")
        encoding = encoding or self.defaults.get("encoding", "utf-8-sig")
        from prospector.export import ExportFailed, UnrecordedStatuses, export_all

        check_encoding(encoding)
        with self._store(must_exist=True) as store:
            counts = store.counts()
            try:
                return ExportSummary(export_all(store, out_dir, encoding, counts, xlsx), counts)
            except (ExportFailed, UnrecordedStatuses) as exc:
                raise StageFailed(str(exc)) from None

    @_one_line_store_errors
    def run(self, prospects: str | Path | None = None, sitemap: str | None = None, pages: str | Path | None = None,
            sender: Sender | None = None, out_dir: str | Path | None = None, encoding: str | None = None,
            wayback: bool | None = None, xlsx: bool = False, **draft_settings: Any) -> RunSummary:
        """Every stage in STAGES order: crawl, check, match, archive, draft, export. With
        `wayback` (the default) the Internet Archive is asked what the dead pages were, the
        least certain matches first, for at most `wayback_minutes` (10), and they are matched
        again with what it said; a later run asks about the rest. `draft_settings` are `draft`'s
        keyword options. What is not given comes from prospector.toml, as for the CLI."""
        prospects = self._given("prospects", prospects, "prospects_file", "[crawl] prospects")
        if sitemap is None and pages is None:
            sitemap, pages = self.defaults.get("sitemap"), self.defaults.get("pages_file")
        sender = sender or self._sender()
        draft_settings = {**self._draft_defaults(), **draft_settings}
        out_dir = out_dir or self.defaults.get("out_dir", "outputs")
        encoding = encoding or self.defaults.get("encoding", "utf-8-sig")
        check_path("sitemap", sitemap, optional=True)
        check_path("pages", pages, optional=True)
        if not (sitemap or pages):
            raise UsageError("give your site as --sitemap URL|FILE or --pages FILE.csv")
        self._semantic_usable()
        check_encoding(encoding)
        verify_within = draft_settings.pop("verify_within", DEFAULT_VERIFY_WITHIN_HOURS)
        options = draft_options(sender, **draft_settings)
        assert sender is not None  # draft_options refuses drafts without a sender
        wayback = self.defaults.get("wayback", True) if wayback is None else wayback
        settings = self._settings()
        self._read_prospects(prospects)
        self._refuse_unrecorded(out_dir)  # now, not after an hour of crawling
        mark = self._problem_mark()
        kwargs = {"crawl": {"prospects": str(prospects)}, "check": {},
                  "match": {"sitemap": sitemap or "", "pages": str(pages or "")}}
        archived: ArchiveSummary | None = None
        with self._lock(*(stage.name for stage in FETCHING), *(["archive"] if wayback else []), "outreach"):
            results = self._fetch(settings, [(stage, kwargs[stage.name]) for stage in FETCHING])
            stopped = next((stage.name for stage, stats in zip(FETCHING, results, strict=False)
                            if not goes_on(stats)), "")
            if stopped:
                raise Interrupted(f"Stopped during {stopped}; run the same command again to resume.")
            with self._store() as store:
                self._note_older_contexts(store)
                matched = self._rank(store)
            if wayback:
                archived, matched = self._archive_and_rematch(settings, matched)
            verified, plan = self._verify_pitches(options, verify_within, locked=True)
            with self._store() as store:
                drafted = self._draft(store, sender, options, verified, plan)
                problems = tuple(store.problems_since(mark))
            self._note_problems([*drafted.problems, *problems])
            exported = self.export(out_dir, encoding, xlsx)
        input_problems = sum(stats.get(key, 0) for stats in results for key in (
            "prospector/bad_rows", "prospector/unreachable_prospects", "prospector/sitemap_errors"))
        return RunSummary(exported.counts, sum(stats.get("prospector/app_links", 0) for stats in results),
                          input_problems + len(drafted.problems), matched, drafted, exported, problems, self.db,
                          archived)

    @_one_line_store_errors
    def forget(self, *prospects: str) -> ForgetSummary:
        """Remove prospects (by URL as listed, or by domain: all of that domain's) with their
        pages, links and the checks no other prospect needs; their outreach history stays, so
        they are never pitched again by mistake."""
        from prospector.urls import InvalidUrl, host_of, normalise, registered_domain

        if not prospects or not all(isinstance(p, str) and p.strip() for p in prospects):
            raise UsageError("forget: name the prospects (their URL, or their domain)")
        with self._store(must_exist=True) as store, self._lock("crawl", "check"):
            known = store.prospects()
            chosen: dict[int, str] = {}
            for given in prospects:
                text = given.strip()
                try:
                    url = normalise(text if "://" in text else f"https://{text}")
                except InvalidUrl:
                    url = ""
                domain = registered_domain(host_of(url)) if url else text.lower()
                found = [p for p in known if p.url == url or ("://" not in text and p.domain == domain)]
                if not found:
                    raise UsageError(f"forget: no prospect {given!r} in {self.db} (prospector status lists them)")
                chosen.update({p.id: p.url for p in found if p.id is not None})
            totals: Counter[str] = Counter()
            for prospect_id in chosen:
                totals.update(store.forget_prospect(prospect_id))
        return ForgetSummary(tuple(chosen.values()), totals["pages"], totals["links"], totals["checks"], self.db)

    # --- reading ----------------------------------------------------------------------------

    def opportunities(self) -> pd.DataFrame:
        """Every dead editorial link on a prospect page, best first (opportunities.csv)."""
        from prospector.export import contacts_for, opportunities_frame, read_opportunities

        with self._store(must_exist=True) as store:
            found = read_opportunities(store)
            return _for_python(opportunities_frame(found, contacts_for(store, found)))

    def dead_links(self) -> pd.DataFrame:
        """Each dead or likely-dead URL once, with how many pages and sites link to it."""
        from prospector.export import dead_links_frame

        with self._store(must_exist=True) as store:
            return _for_python(dead_links_frame(store))

    def emails(self) -> pd.DataFrame:
        """The drafts, one per contact (emails.csv)."""
        from prospector.export import emails_frame

        with self._store(must_exist=True) as store:
            return _for_python(emails_frame(store))

    def prospects(self) -> pd.DataFrame:
        """Per prospect: pages crawled, links, dead links and the contact chosen."""
        from prospector.export import contacts_for, prospects_frame, read_opportunities

        with self._store(must_exist=True) as store:
            return _for_python(prospects_frame(store, contacts_for(store, read_opportunities(store))))

    def status(self) -> StoreStatus:
        """What the store holds, stage by stage."""
        with self._store(must_exist=True) as store:
            return StoreStatus.of(store, self.db)

    def problems(self, limit: int = 20) -> pd.DataFrame:
        """The most recent problems recorded (stage, source, message, at), newest first: what
        the one-line notes said, kept in the store."""
        with self._store(must_exist=True) as store:
            return pd.DataFrame(store.recent_problems(limit), columns=["at", "stage", "source", "message"])

    # --- helpers ----------------------------------------------------------------------------

    def _store(self, must_exist: bool = False) -> Store:
        """The store; with `must_exist`, a missing file is an error rather than a new, empty
        store (a mistyped db must not export header-only CSVs over good ones)."""
        if must_exist and not Path(self.db).exists():
            demo = Path(self.db).parent / "demo.sqlite"
            hint = f"; the demo's is {demo}: --db {demo}" if demo.exists() else ""
            raise UsageError(f"{self.db}: no store yet; run 'prospector crawl' first (or check --db){hint}")
        try:
            return Store(self.db)
        except StoreError as exc:
            raise UsageError(str(exc)) from None

    def _given(self, name: str, value: Any, default_key: str, where: str) -> Any:
        """An argument, or its prospector.toml default; UsageError when there is neither."""
        value = value if value is not None else self.defaults.get(default_key)
        if value is None:
            raise UsageError(f"{name}: give it, or set {where} in prospector.toml")
        check_path(name, value)
        return value

    def _sender(self) -> Sender | None:
        name, email = self.defaults.get("sender_name"), self.defaults.get("sender_email")
        return Sender(name or "", email or "", self.defaults.get("sender_site", "")) if name or email else None

    def _draft_defaults(self) -> dict[str, Any]:
        return {k: v for k, v in self.defaults.items() if k in DRAFT_SETTINGS}

    def _note_problems(self, problems: Iterable[tuple[str, str] | str]) -> None:
        """The problems of this run, one line each (the first PROBLEM_LINES_SHOWN), as notes:
        on stderr for the CLI, in a notebook's output."""
        lines = [p if isinstance(p, str) else f"{p[0]}: {p[1]}" for p in problems]
        for line in lines[:PROBLEM_LINES_SHOWN]:
            self.note(f"  {line}")
        if len(lines) > PROBLEM_LINES_SHOWN:
            self.note(f"  … and {len(lines) - PROBLEM_LINES_SHOWN} more (all in the log file)")

    def _problem_mark(self) -> int:
        with self._store() as store:
            return store.last_problem_id()

    @contextlib.contextmanager
    def _lock(self, *stages: str) -> Iterator[None]:
        """One process per stage on a store; who holds it is said in one line. Drafting and
        recording (the outreach lock) are short: one waits for the other a little."""
        from prospector.store import StoreBusy

        with self._store() as store:
            try:
                with store.stage_lock(*stages, wait=OUTREACH_LOCK_WAIT_S if "outreach" in stages else 0.0):
                    yield
            except StoreBusy as exc:
                raise UsageError(str(exc)) from None

    def _note_older_contexts(self, store: Store) -> None:
        """Pages whose links' contexts an older version wrote are kept until a re-crawl is
        asked for (--recrawl-after): say so, rather than match on them silently."""
        older = store.pages_read_by_older_versions()
        if older and self.options.recrawl_after is None:
            self.note(f"Note: {older} stored page{'s were' if older > 1 else ' was'} read by an older prospector, "
                      "which kept only each link's own sentence as its context; a crawl with --recrawl-after DAYS (any "
                      "number) reads them again.")

    def _refuse_unrecorded(self, out_dir: str | Path) -> None:
        """Statuses typed into the emails sheet an export would replace must be recorded first."""
        from prospector.export import UnrecordedStatuses, refuse_unrecorded

        with self._store() as store:
            try:
                refuse_unrecorded(store, Path(out_dir))
            except UnrecordedStatuses as exc:
                raise StageFailed(str(exc)) from None

    def _read_prospects(self, prospects: str | Path) -> None:
        """Fail early on an unreadable prospect list; note a file that is not UTF-8."""
        from prospector.inputs import InputFileError, read_prospects, text_encoding

        try:
            read_prospects(prospects)
        except InputFileError as exc:
            raise UsageError(str(exc)) from None
        encoding = text_encoding(prospects)
        if encoding != "utf-8":
            self.note(f"Note: {prospects} is not UTF-8; read it as {encoding}.")

    def _settings(self) -> Settings:
        """The Scrapy settings of this campaign's options: a bad option is an error before
        anything runs."""
        try:
            return build_settings(self.options)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None

    def _fetch(self, settings: Settings, stages: list[tuple[Stage, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Run the stages' spiders in child processes, in order, the check over `workers` of
        them; each one's stats. Stops after a stage that did not finish; a store that could
        not be written (a full disk) is StageFailed."""
        from prospector.crawl.pipelines import STORE_FAILED

        results = self._fetch_stages(settings, stages)
        failed = next((stats for stats in results if STORE_FAILED in str(stats.get("finish_reason"))), None)
        if failed is not None:
            raise StageFailed(f"{self.db}: {failed.get('prospector/store_failed', 'cannot write the store')}; "
                              f"{failed.get('prospector/items_not_stored', 0)} results were not stored. What was "
                              "stored is kept: free some space and run the same command again to resume.")
        return results

    @property
    def _runner(self) -> LocalRunner | ClusterRunner:
        """How the fetching stages run: on this machine, or with a cluster when `redis` is set."""
        return ClusterRunner(self.redis, self.lease, self.note) if self.redis else LocalRunner(self.workers)

    def _fetch_stages(self, settings: Settings, stages: list[tuple[Stage, dict[str, Any]]]) -> list[dict[str, Any]]:
        return self._runner.fetch(settings, stages)

    def _cluster(self) -> ClusterRunner:
        if not self.redis:
            raise UsageError("give the cluster's Redis as --redis redis://HOST:PORT/DB")
        return ClusterRunner(self.redis, self.lease, self.note)

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
        cluster = self._cluster()
        worker_id, stats = cluster.work(self._settings())
        return WorkerSummary(worker_id, stats["pages"], stats["urls"])

    def _semantic_usable(self) -> None:
        from prospector.match.semantic import INSTALL_HINT, available

        if self.semantic and not available():
            raise UsageError(INSTALL_HINT)

    def _rank(self, store: Store, again: bool = False) -> MatchSummary:
        """Rank the stored own pages for every stored dead link, with a bar while pages are
        encoded. Semantic when the model is installed (unless semantic=False). `again`: a
        second ranking in the same run (its notes were given)."""
        from prospector.match.confidence import CUTOFFS
        from prospector.match.semantic import INSTALL_HINT, EmbeddingsUnavailable, available, load_encoder
        from prospector.match.suggest import match_dead_links
        from prospector.progress import CountProgress

        encoder = None
        if self.semantic is None and not available():
            if not again:
                self.note(f"Note: matching on words only; {INSTALL_HINT}.")
        elif self.semantic is not False:
            try:
                encoder = load_encoder()
            except EmbeddingsUnavailable as exc:
                raise UsageError(str(exc)) from None
        model = "hybrid" if encoder else "lexical"
        threshold = CUTOFFS[model] if self.min_confidence is None else self.min_confidence
        with CountProgress("Encoding your pages", self.progress) as bar:
            try:
                ranked = match_dead_links(store, threshold, encoder, bar)
            except KeyboardInterrupt:
                raise Interrupted(f"Match stopped while encoding your pages: {bar.done} passages encoded this run "
                                  "are kept; run the same command again to resume.") from None
        return MatchSummary(ranked.ranker, threshold, ranked.own_pages, ranked.dead_links, ranked.matched,
                            ranked.no_match, ranked.passages_encoded, ranked.index_seconds, ranked.rank_seconds)

    def _draft(self, store: Store, sender: Sender, options: DraftOptions, verified: tuple[int, int] = (0, 0),
               plan: PitchPlan | None = None) -> DraftSummary:
        from prospector.outreach.drafting import draft_all, sender_warnings
        from prospector.outreach.render import TemplateProblem

        try:
            drafted = draft_all(store, sender, options, verified, plan)
        except TemplateProblem as exc:
            raise UsageError(str(exc)) from None
        for line in sender_warnings(sender, store.drafts()):
            self.note(f"Note: {line}")
        return drafted

    def _verify_pitches(self, options: DraftOptions, verify_within: float, locked: bool = False
                        ) -> tuple[tuple[int, int], PitchPlan | None]:
        """Check again the dead links the drafts would name: ((how many, of which no longer
        dead), the plan when nothing was checked again and it still holds)."""
        from prospector.outreach.drafting import plan_pitches

        with self._store() as store:
            plan = plan_pitches(store, options)
        checked = self._recheck(sorted(plan.dead_urls()), verify_within, locked)
        if not checked:
            return (0, 0), plan
        with self._store() as store:
            return (len(checked), len(checked) - len(store.urls_with_verdict(checked, options.verdicts))), None

    def _recheck(self, urls: list[str], within_hours: float, locked: bool = False) -> list[str]:
        """Those of `urls` checked more than `within_hours` ago, checked again (the normal
        check, every worker); the list of them. `locked`: the caller holds the check stage."""
        cutoff = (datetime.now(UTC) - timedelta(hours=within_hours)).isoformat(timespec="seconds")
        with self._store() as store:
            stale = store.checked_before(urls, cutoff)
        if stale:
            settings = self._settings()
            with contextlib.nullcontext() if locked else self._lock("check"):
                stats = self._fetch(settings, [(BY_NAME["check"], {"urls": stale})])[0]
            if not _finished(stats):
                raise Interrupted("Stopped while checking the links to pitch again; what was checked is kept: "
                                  "run the same command again to resume.")
        return stale


def _finished(stats: dict[str, Any]) -> bool:
    """Whether a spider ran to its end (not stopped by Ctrl-C, SIGTERM or a closing middleware)."""
    return stats.get("finish_reason") in ("finished", None)


def _for_python(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the CSV holds it, as pandas users expect it: missing values NA (the CSV's
    empty cells), dates as datetimes."""
    from prospector.export import DATE_COLUMNS

    typed = frame.copy()
    for column in typed.columns:
        if column in DATE_COLUMNS:
            typed[column] = pd.to_datetime(typed[column].replace("", None), errors="coerce")
        elif typed[column].dtype == object or pd.api.types.is_string_dtype(typed[column]):
            typed[column] = typed[column].replace("", pd.NA)
    return typed


__all__ = ["Campaign", "CheckSummary", "CrawlSummary", "ExportSummary", "Interrupted", "MatchSummary",
           "ProspectorError", "RunSummary", "StageFailed", "StoreStatus", "UsageError"]
