"""The pipeline's commands: crawl, check, match, draft, export, and run for all of them."""

from __future__ import annotations

import sys
from typing import Any

import click

from prospector.cli.app import main
from prospector.cli.options import (
    APP_LINKS_ROW, EXIT_INPUT_PROBLEMS, EXIT_INTERRUPTED, EXIT_OK, UsageProblem, choose_encoder, db_option, make_drafts,
    draft_options, draft_rows, draft_settings, exit_code, match_options, match_rows, match_stored,
    network_options, open_store, run_options, prepare_crawl, print_problems, scrapy_settings, print_summary,
    stage_lock, worker_failures,
)


@main.command()
@click.option("--prospects", "prospects_file", required=True, type=click.Path(dir_okay=False),
              help="[crawl] prospects in prospector.toml. CSV with a 'url' column (optional name,email,notes,max_pages,max_depth,"
                   "path_prefix), or text with one URL per line.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Pages fetched per prospect [50].")
@click.option("--max-depth", type=click.IntRange(min=0), help="Clicks from the start URL [2].")
@network_options
def crawl(prospects_file: str, **kwargs: Any) -> None:
    """Crawl each prospect site and store its outbound links with their context.

    \b
    Example:
      prospector crawl --prospects prospects.csv --max-pages 100 --max-depth 3

    A re-run resumes: pages already stored are not fetched again.
    """
    from prospector.crawl.prospect import ProspectSpider
    from prospector.runner import run_spiders

    options = run_options(**kwargs)
    settings = scrapy_settings(options)
    mark = prepare_crawl(prospects_file, options.db)
    with stage_lock(options.db, "crawl"):
        stats = run_spiders(settings, [(ProspectSpider, {"prospects": prospects_file})])[0]
    with open_store(options.db) as store:
        problems = print_problems(store, mark)
        counts = store.counts()
    print_summary("Crawl finished" if stats.get("finish_reason") == "finished" else
             f"Crawl stopped ({stats.get('finish_reason')}); run again to resume", [
        ("prospects", counts["prospects"]),
        ("pages fetched (this run)", stats.get("prospector/pages_fetched", 0)),
        ("pages fetched (total)", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        ("unique outbound URLs", counts["outbound_urls"]),
        ("contacts", counts["contacts"]),
        (APP_LINKS_ROW, stats.get("prospector/app_links", 0)),
        ("bad input rows", stats.get("prospector/bad_rows", 0)),
        ("unreachable prospects", stats.get("prospector/unreachable_prospects", 0)),
        ("problems (this run)", problems),
        ("store", options.db),
    ])
    failed = stats.get("prospector/bad_rows", 0) or stats.get("prospector/unreachable_prospects", 0)
    sys.exit(exit_code(stats, failed))


@main.command()
@click.option("--recheck-after", type=click.FloatRange(min=0), metavar="DAYS",
              help="Check again URLs last checked more than DAYS ago [7].")
@click.option("--soft404/--no-soft404", default=None,
              help="Read the start of each page (GET) to spot soft 404s and parked domains [on]. "
                   "Off: HEAD first, GET only to confirm an error.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that check in parallel (the check is CPU-bound: up to one per core).")
@network_options
def check(recheck_after: float | None, soft404: bool | None, workers: int, **kwargs: Any) -> None:
    """Check every unique outbound URL once: DNS, then HTTP (HEAD, then GET when needed).

    \b
    Example:
      prospector check --nameserver 1.1.1.1 --timeout 10

    Verdicts: dead, likely_dead, alive, blocked, unknown (see the README).
    """
    from prospector.crawl.check import LinkCheckSpider
    from prospector.runner import run_sharded, run_spiders

    options = run_options(recheck_after=recheck_after, soft404=soft404, **kwargs)
    open_store(options.db, must_exist=True).close()
    settings = scrapy_settings(options)
    with stage_lock(options.db, "check"):
        if workers > 1:
            with worker_failures():
                stats = run_sharded(settings, LinkCheckSpider, {}, workers)
        else:
            stats = run_spiders(settings, [(LinkCheckSpider, {})])[0]
    with open_store(options.db) as store:
        counts = store.counts()
    rows: list[tuple[str, object]] = [("URLs checked (this run)", stats.get("item_scraped_count", 0))]
    rows += [(f"{v} (total)", counts[v]) for v in ("dead", "likely_dead", "alive", "blocked", "unknown")]
    rows.append(("store", options.db))
    print_summary("Check finished" if stats.get("finish_reason") == "finished" else
             f"Check stopped ({stats.get('finish_reason')}); run again to resume", rows)
    sys.exit(exit_code(stats, failed=False))


@main.command()
@click.option("--sitemap", metavar="URL|FILE",
              help="Your sitemap (index, .xml.gz), a local sitemap file, or your site's URL "
                   "(its robots.txt names the sitemaps).")
@click.option("--pages", "pages_file", type=click.Path(dir_okay=False),
              help="Instead of a sitemap: a CSV of your pages (url, optional title, description).")
@click.option("--refresh", is_flag=True, help="Fetch every own page again, even if its lastmod is unchanged.")
@match_options
@network_options
def match(sitemap: str | None, pages_file: str | None, min_confidence: float | None, refresh: bool,
          semantic: bool | None, **kwargs: Any) -> None:
    """Suggest a page of your own site to replace each dead link.

    \b
    Examples:
      prospector match --sitemap https://example.com/sitemap.xml
      prospector match --pages my-pages.csv --min-confidence 0.6
      prospector match            # re-rank with the pages already stored

    Each dead link (editorial links only: share buttons, profiles and ads are never
    matched) is compared with every page: by meaning, passage by passage, and by shared
    words. The best three pages are kept. The cut-off is a confidence, not a raw score: a
    0-1 estimate, calibrated on a labelled set of real dead links, that the first page is
    the one a person would pitch. It weighs how close the best passage is, how many of the
    link's words your site never uses, and how many the page uses, so it means the same on
    a 100-page and a 10,000-page site. Below --min-confidence the link is "nothing fits",
    with the reason. Each page is fetched once and again only when its sitemap lastmod
    changes; its passages are encoded once (cached in the store).
    """
    from prospector.match.sitemap import OwnSiteSpider
    from prospector.runner import run_spiders

    options = run_options(**kwargs)
    settings = scrapy_settings(options)
    encoder = choose_encoder(semantic)
    with open_store(options.db) as store:
        mark = store.last_problem_id()
        if not (sitemap or pages_file) and not store.own_pages():
            raise UsageProblem("no pages of your site stored yet: give --sitemap URL|FILE or --pages FILE.csv")
    stats: dict[str, Any] = {}
    with stage_lock(options.db, "match"):
        if sitemap or pages_file:
            stats = run_spiders(settings, [(OwnSiteSpider, {"sitemap": sitemap or "", "pages": pages_file or "",
                                                            "refresh": refresh})])[0]
            if stats.get("finish_reason") not in ("finished", None):
                click.echo(f"Match stopped while reading your pages: {stats.get('prospector/own_pages_fetched', 0)} "
                           "read this run are kept; run the same command again to resume.")
                sys.exit(EXIT_INTERRUPTED)
        with open_store(options.db) as store:
            problems = print_problems(store, mark)
            summary = match_stored(store, min_confidence, encoder, options.progress)
    print_summary("Match finished", [
        ("own pages listed (this run)", stats.get("prospector/own_pages_listed", "-")),
        ("own pages fetched (this run)", stats.get("prospector/own_pages_fetched", 0)),
        ("own pages to match on", summary.own_pages),
        *match_rows(summary, min_confidence),
        ("own-page passages encoded (not cached)", summary.passages_encoded),
        ("index / ranking seconds", f"{summary.index_seconds:.2f} / {summary.rank_seconds:.2f}"),
        ("problems (this run)", problems),
        ("store", options.db),
    ])
    sys.exit(EXIT_INPUT_PROBLEMS if stats.get("prospector/sitemap_errors") else EXIT_OK)


@main.command()
@draft_options
@db_option
def draft(db: str, **kwargs: Any) -> None:
    """Draft one outreach email per prospect contact, from templates/.

    \b
    Example:
      prospector draft --sender-name "Sam Lee" --sender-email sam@example.com \\
                       --sender-site https://example.com --do-not-contact skip.txt

    Only dead links with a suggested replacement are pitched, unless --include-unmatched.
    """
    sender, options, problems = draft_settings(kwargs)
    for line in problems:
        click.echo(f"  {line}", err=True)
    with open_store(db, must_exist=True) as store:
        summary = make_drafts(store, sender, options)
    print_summary("Draft finished", [*draft_rows(summary), ("store", db)])
    sys.exit(EXIT_INPUT_PROBLEMS if problems else EXIT_OK)


@main.command()
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the CSV files.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8"]), default="utf-8-sig",
              show_default=True, help="utf-8-sig adds the BOM Excel needs; utf-8 for other tools.")
@db_option
def export(out_dir: str, encoding: str, db: str) -> None:
    """Write the CSV files for spreadsheets.

    \b
    Example:
      prospector export --out outputs/ --encoding utf-8
    """
    from prospector.export import export_all

    with open_store(db, must_exist=True) as store:
        paths = export_all(store, out_dir, encoding)
        counts = store.counts()
    print_summary("Export finished", [
        ("dead", counts["dead"]),
        ("likely dead", counts["likely_dead"]),
        *[(f"{name}.csv", str(path)) for name, path in paths.items()],
    ])


@main.command()
@click.option("--prospects", "prospects_file", required=True, type=click.Path(dir_okay=False),
              help="Your prospect list (see 'prospector crawl --help').")
@click.option("--sitemap", metavar="URL|FILE", help="Your sitemap, or your site's URL.")
@click.option("--pages", "pages_file", type=click.Path(dir_okay=False), help="Or a CSV of your pages.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Pages fetched per prospect [50].")
@click.option("--max-depth", type=click.IntRange(min=0), help="Clicks from the start URL [2].")
@click.option("--recheck-after", type=click.FloatRange(min=0), metavar="DAYS", help="Re-check URLs older than this [7].")
@click.option("--out", "out_dir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the CSV files.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8"]), default="utf-8-sig", show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for the check stage (it is CPU-bound: up to one per core).")
@click.option("--soft404/--no-soft404", default=None, help="See 'prospector check --help' [on].")
@match_options
@draft_options
@network_options
def run(prospects_file: str, sitemap: str | None, pages_file: str | None, min_confidence: float | None,
        out_dir: str, encoding: str, workers: int, semantic: bool | None, **kwargs: Any) -> None:
    """Crawl, check, match, draft and export in one go.

    \b
    Example:
      prospector run --prospects prospects.csv --sitemap https://example.com/ \\
                     --sender-name "Sam Lee" --sender-email sam@example.com

    Every stage resumes from the store, so a stopped run can simply be started again.
    """
    from prospector.export import export_all
    from prospector.match.semantic import INSTALL_HINT, available
    from prospector.pipeline import run_stages

    if not (sitemap or pages_file):
        raise UsageProblem("give your site as --sitemap URL|FILE or --pages FILE.csv")
    if semantic and not available():
        raise UsageProblem(INSTALL_HINT)
    sender, draft_options, problems = draft_settings(kwargs)
    options = run_options(**kwargs)
    settings = scrapy_settings(options)
    mark = prepare_crawl(prospects_file, options.db)
    with stage_lock(options.db, "crawl", "check", "match"):
        with worker_failures():
            stats = run_stages(settings, prospects_file, sitemap or "", pages_file or "", workers)
        for line in problems:
            click.echo(f"  {line}", err=True)
        with open_store(options.db) as store:
            problem_count = print_problems(store, mark) + len(problems)
            if stats.interrupted:
                click.echo(f"Stopped during {stats.interrupted}; run the same command again to resume.")
                sys.exit(EXIT_INTERRUPTED)
            encoder = choose_encoder(semantic)  # after the stages: no forking with a model loaded
            matched = match_stored(store, min_confidence, encoder, options.progress)
            drafted = make_drafts(store, sender, draft_options)
            paths = export_all(store, out_dir, encoding)
            counts = store.counts()
    print_summary("Run finished", [
        ("prospects", counts["prospects"]),
        ("pages fetched", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        (APP_LINKS_ROW, stats.app_links),
        ("unique URLs checked", counts["checked"]),
        *[(f"  {v.replace('_', ' ')}", counts[v]) for v in ("dead", "likely_dead", "alive", "blocked", "unknown")],
        ("own pages", counts["own_pages"]),
        *match_rows(matched, min_confidence),
        *draft_rows(drafted),
        ("problems (this run)", problem_count),
        ("store", options.db),
        *[(f"{name}.csv", str(path)) for name, path in paths.items()],
    ])
    failed = stats.input_problems or problems
    sys.exit(EXIT_INPUT_PROBLEMS if failed else EXIT_OK)
