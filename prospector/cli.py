"""The `prospector` command: parse options, call a stage, print its summary. Nothing else."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from prospector.config import ConfigError, RunOptions, build_settings, load_config
from prospector.store import Store, StoreError

EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
REPO = Path(__file__).resolve().parent.parent


class UsageProblem(click.ClickException):
    """A usage or configuration error: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE
PROBLEM_LINES_SHOWN = 20


def _db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default="outputs/prospector.sqlite", show_default=True,
                        type=click.Path(dir_okay=False), help="The SQLite store every stage shares.")(f)


def _network_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--nameserver", metavar="HOST[:PORT]",
                     help="DNS server to ask (default: the system's resolv.conf)."),
        click.option("--dns-timeout", type=click.FloatRange(min=0.1), help="Seconds per DNS try [5]."),
        click.option("--dns-retries", type=click.IntRange(min=0), help="DNS retries after a failure [2]."),
        click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per HTTP request [20]."),
        click.option("--retries", type=click.IntRange(min=0), help="HTTP retries for transient failures [2]."),
        click.option("--allow-private-networks", is_flag=True,
                     help="Allow connections to private, loopback and link-local addresses."),
        click.option("--allow-network", "allow_network", multiple=True, metavar="CIDR",
                     help="Allow one non-public network, e.g. 10.1.0.0/16 (repeatable)."),
        click.option("--set", "extra", multiple=True, metavar="SETTING=VALUE",
                     help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.5 (repeatable)."),
        click.option("--user-agent", help="The User-Agent to send (add a URL where site owners can reach you)."),
        click.option("-v", "--verbose", is_flag=True, help="Scrapy's log on the terminal instead of a file."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
        _db_option,
    ]
    return functools.reduce(lambda acc, option: option(acc), reversed(options), f)


def _draft_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--sender-name", help="Your name, for the signature."),
        click.option("--sender-email", help="Your email address."),
        click.option("--sender-site", help="Your site, named in the email."),
        click.option("--template", type=click.Path(dir_okay=False),
                     help="Your own outreach template (Jinja; first line 'Subject: …') [templates/outreach.txt.j2]."),
        click.option("--followup-template", type=click.Path(dir_okay=False),
                     help="Your own follow-up template [templates/followup.txt.j2]."),
        click.option("--max-links-per-email", type=click.IntRange(min=1), default=3, show_default=True,
                     help="Dead links listed in one email, best first."),
        click.option("--include-likely-dead", is_flag=True, help="Also pitch likely-dead links (soft 404s, refused…)."),
        click.option("--include-unmatched", is_flag=True, help="Also pitch dead links with no suggested replacement."),
        click.option("--do-not-contact", type=click.Path(dir_okay=False),
                     help="A list of emails or domains never to draft for (one per line)."),
    ]
    return functools.reduce(lambda acc, option: option(acc), reversed(options), f)


def _draft_settings(kwargs: dict[str, Any]) -> tuple[Any, Any, list[str]]:
    """(Sender, DraftOptions, problems) from the draft options; usage errors raised."""
    from prospector.draft import Sender
    from prospector.inputs import InputFileError, Suppression, read_suppression
    from prospector.outreach import DraftOptions

    name, email = kwargs.pop("sender_name", None), kwargs.pop("sender_email", None)
    site = kwargs.pop("sender_site", None) or ""
    if not (name and email):
        raise UsageProblem("drafts need a sender: give --sender-name and --sender-email")
    suppression, problems = Suppression(), []
    do_not_contact = kwargs.pop("do_not_contact", None)
    if do_not_contact:
        try:
            suppression, found = read_suppression(do_not_contact)
        except InputFileError as exc:
            raise UsageProblem(str(exc)) from None
        problems = [str(p) for p in found]
    template, followup = kwargs.pop("template", None), kwargs.pop("followup_template", None)
    options = DraftOptions(
        include_likely_dead=kwargs.pop("include_likely_dead", False),
        include_unmatched=kwargs.pop("include_unmatched", False),
        max_links_per_email=kwargs.pop("max_links_per_email", 3),
        template=Path(template) if template else None,
        followup_template=Path(followup) if followup else None,
        suppression=suppression,
    )
    return Sender(name, email, site), options, problems


def _draft(store: Store, sender: Any, options: Any) -> Any:
    from prospector.draft import TemplateProblem
    from prospector.outreach import draft_all

    try:
        return draft_all(store, sender, options)
    except TemplateProblem as exc:
        raise UsageProblem(str(exc)) from None


def _draft_rows(summary: Any) -> list[tuple[str, object]]:
    return [
        ("drafts (one per contact)", summary.drafts),
        ("dead links in drafts", summary.links),
        ("drafts to a contact page, no address", summary.without_email),
        ("left out: no suggestion", summary.without_suggestion),
        ("left out: do-not-contact", summary.suppressed),
    ]


def _options(**kwargs: Any) -> RunOptions:
    known = RunOptions.__dataclass_fields__
    quiet = kwargs.pop("quiet", False)
    options = RunOptions(**{k: v for k, v in kwargs.items() if k in known and v is not None})
    options.progress = not quiet and not options.verbose and sys.stderr.isatty()
    return options


def _open_store(db: str) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        raise UsageProblem(str(exc)) from None


def _settings(options: RunOptions) -> Any:
    try:
        return build_settings(options)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _prepare_crawl(prospects_file: str, db: str) -> int:
    """Fail early on an unreadable prospect list; return the store's problem mark."""
    from prospector.inputs import InputFileError, read_prospects

    try:
        read_prospects(prospects_file)
    except InputFileError as exc:
        raise UsageProblem(str(exc)) from None
    with _open_store(db) as store:
        return store.last_problem_id()


def _print_problems(store: Store, since_id: int) -> int:
    problems = store.problems_since(since_id)
    for source, message in problems[:PROBLEM_LINES_SHOWN]:
        click.echo(f"  {source}: {message}", err=True)
    if len(problems) > PROBLEM_LINES_SHOWN:
        click.echo(f"  … and {len(problems) - PROBLEM_LINES_SHOWN} more (all in the log file)", err=True)
    return len(problems)


def _exit_code(stats: dict[str, Any], failed: bool) -> int:
    if stats.get("finish_reason") not in ("finished", None):
        return EXIT_INTERRUPTED
    return EXIT_INPUT_PROBLEMS if failed else EXIT_OK


def _summary(title: str, rows: list[tuple[str, object]]) -> None:
    click.echo(title)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        click.echo(f"  {label.ljust(width)}  {value}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prospector")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Defaults for every option [./prospector.toml, if there is one].")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """prospector: find dead outbound links on prospect sites, suggest your page as the
    replacement, and draft the outreach email.

    \b
    Typical use:
      prospector init                 # a starter prospector.toml and prospects.csv
      prospector run                  # crawl, check, match, draft, export
      prospector status               # what the store holds
    \b
    Or stage by stage: crawl, check, match, draft, export. Try: prospector demo
    """
    path = config_path or ("prospector.toml" if Path("prospector.toml").is_file() else None)
    if not path:
        return
    try:
        values = load_config(path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    ctx.default_map = {name: {p.name: values[p.name] for p in command.params if p.name in values}
                       for name, command in main.commands.items()}


@main.command()
@click.option("--prospects", "prospects_file", required=True, type=click.Path(dir_okay=False),
              help="[crawl] prospects in prospector.toml. CSV with a 'url' column (optional name,email,notes,max_pages,max_depth,"
                   "path_prefix), or text with one URL per line.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Pages fetched per prospect [50].")
@click.option("--max-depth", type=click.IntRange(min=0), help="Clicks from the start URL [2].")
@_network_options
def crawl(prospects_file: str, **kwargs: Any) -> None:
    """Crawl each prospect site and store its outbound links with their context.

    \b
    Example:
      prospector crawl --prospects prospects.csv --max-pages 100 --max-depth 3

    A re-run resumes: pages already stored are not fetched again.
    """
    from prospector.crawl.prospect import ProspectSpider
    from prospector.runner import run_spiders

    options = _options(**kwargs)
    settings = _settings(options)
    mark = _prepare_crawl(prospects_file, options.db)
    stats = run_spiders(settings, [(ProspectSpider, {"prospects": prospects_file})])[0]
    with _open_store(options.db) as store:
        problems = _print_problems(store, mark)
        counts = store.counts()
    _summary("Crawl finished" if stats.get("finish_reason") == "finished" else
             f"Crawl stopped ({stats.get('finish_reason')}); run again to resume", [
        ("prospects", counts["prospects"]),
        ("pages fetched (this run)", stats.get("prospector/pages_fetched", 0)),
        ("pages fetched (total)", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        ("unique outbound URLs", counts["outbound_urls"]),
        ("contacts", counts["contacts"]),
        ("bad input rows", stats.get("prospector/bad_rows", 0)),
        ("unreachable prospects", stats.get("prospector/unreachable_prospects", 0)),
        ("problems (this run)", problems),
        ("store", options.db),
    ])
    failed = stats.get("prospector/bad_rows", 0) or stats.get("prospector/unreachable_prospects", 0)
    sys.exit(_exit_code(stats, failed))


@main.command()
@click.option("--recheck-after", type=click.FloatRange(min=0), metavar="DAYS",
              help="Check again URLs last checked more than DAYS ago [7].")
@click.option("--soft404/--no-soft404", default=None,
              help="Read the start of each page (GET) to spot soft 404s and parked domains [on]. "
                   "Off: HEAD first, GET only to confirm an error.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that check in parallel (the check is CPU-bound: up to one per core).")
@_network_options
def check(recheck_after: float | None, soft404: bool | None, workers: int, **kwargs: Any) -> None:
    """Check every unique outbound URL once: DNS, then HTTP (HEAD, then GET when needed).

    \b
    Example:
      prospector check --nameserver 1.1.1.1 --timeout 10

    Verdicts: dead, likely_dead, alive, blocked, unknown (see the README).
    """
    from prospector.crawl.check import LinkCheckSpider
    from prospector.runner import run_sharded, run_spiders

    options = _options(recheck_after=recheck_after, soft404=soft404, **kwargs)
    settings = _settings(options)
    if workers > 1:
        shards = run_sharded(settings, LinkCheckSpider, {}, workers)
        reasons = {s.get("finish_reason") for s in shards}
        stats = {"item_scraped_count": sum(s.get("item_scraped_count", 0) for s in shards),
                 "finish_reason": "finished" if reasons == {"finished"} else ", ".join(sorted(map(str, reasons)))}
    else:
        stats = run_spiders(settings, [(LinkCheckSpider, {})])[0]
    with _open_store(options.db) as store:
        counts = store.counts()
    rows: list[tuple[str, object]] = [("URLs checked (this run)", stats.get("item_scraped_count", 0))]
    rows += [(f"{v} (total)", counts[v]) for v in ("dead", "likely_dead", "alive", "blocked", "unknown")]
    rows.append(("store", options.db))
    _summary("Check finished" if stats.get("finish_reason") == "finished" else
             f"Check stopped ({stats.get('finish_reason')}); run again to resume", rows)
    sys.exit(_exit_code(stats, failed=False))


@main.command()
@click.option("--sitemap", metavar="URL|FILE",
              help="Your sitemap (index, .xml.gz), a local sitemap file, or your site's URL "
                   "(its robots.txt names the sitemaps).")
@click.option("--pages", "pages_file", type=click.Path(dir_okay=False),
              help="Instead of a sitemap: a CSV of your pages (url, optional title, description).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Below this score a dead link gets no suggestion [0.12].")
@click.option("--refresh", is_flag=True, help="Fetch every own page again, even if its lastmod is unchanged.")
@click.option("--embeddings", is_flag=True,
              help='Blend in semantic similarity (needs: pip install "prospector[embeddings]"); '
                   "its min score defaults to 0.30.")
@_network_options
def match(sitemap: str | None, pages_file: str | None, min_score: float | None, refresh: bool,
          embeddings: bool, **kwargs: Any) -> None:
    """Suggest a page of your own site to replace each dead link.

    \b
    Examples:
      prospector match --sitemap https://example.com/sitemap.xml
      prospector match --pages my-pages.csv --min-score 0.2
      prospector match            # re-rank with the pages already stored

    Each page is fetched once and again only when its sitemap lastmod changes.
    """
    from prospector.match.embed import DEFAULT_HYBRID_MIN_SCORE, EmbeddingsUnavailable, load_encoder
    from prospector.match.rank import DEFAULT_MIN_SCORE
    from prospector.match.sitemap import OwnSiteSpider
    from prospector.match.suggest import match_dead_links
    from prospector.runner import run_spiders

    options = _options(**kwargs)
    settings = _settings(options)
    encoder = None
    if embeddings:
        try:
            encoder = load_encoder()
        except EmbeddingsUnavailable as exc:
            raise UsageProblem(str(exc)) from None
    with _open_store(options.db) as store:
        mark = store.last_problem_id()
        if not (sitemap or pages_file) and not store.own_pages():
            raise UsageProblem("no pages of your site stored yet: give --sitemap URL|FILE or --pages FILE.csv")
    stats: dict[str, Any] = {}
    if sitemap or pages_file:
        stats = run_spiders(settings, [(OwnSiteSpider, {"sitemap": sitemap or "", "pages": pages_file or "",
                                                        "refresh": refresh})])[0]
        if stats.get("finish_reason") not in ("finished", None):
            sys.exit(EXIT_INTERRUPTED)
    default = DEFAULT_HYBRID_MIN_SCORE if encoder else DEFAULT_MIN_SCORE
    threshold = default if min_score is None else min_score
    with _open_store(options.db) as store:
        problems = _print_problems(store, mark)
        summary = match_dead_links(store, threshold, encoder)
    _summary("Match finished", [
        ("own pages listed (this run)", stats.get("prospector/own_pages_listed", "-")),
        ("own pages fetched (this run)", stats.get("prospector/own_pages_fetched", 0)),
        ("own pages to match on", summary.own_pages),
        ("dead links", summary.dead_links),
        ("with a suggestion", summary.matched),
        (f"nothing fits (score < {threshold:.2f})", summary.no_match),
        ("index / ranking seconds", f"{summary.index_seconds:.2f} / {summary.rank_seconds:.2f}"),
        ("problems (this run)", problems),
        ("store", options.db),
    ])
    sys.exit(EXIT_INPUT_PROBLEMS if stats.get("prospector/sitemap_errors") else EXIT_OK)


@main.command()
@_draft_options
@_db_option
def draft(db: str, **kwargs: Any) -> None:
    """Draft one outreach email per prospect contact, from templates/.

    \b
    Example:
      prospector draft --sender-name "Sam Lee" --sender-email sam@example.com \\
                       --sender-site https://example.com --do-not-contact skip.txt

    Only dead links with a suggested replacement are pitched, unless --include-unmatched.
    """
    sender, options, problems = _draft_settings(kwargs)
    for line in problems:
        click.echo(f"  {line}", err=True)
    with _open_store(db) as store:
        summary = _draft(store, sender, options)
    _summary("Draft finished", [*_draft_rows(summary), ("store", db)])
    sys.exit(EXIT_INPUT_PROBLEMS if problems else EXIT_OK)


@main.command()
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the CSV files.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8"]), default="utf-8-sig",
              show_default=True, help="utf-8-sig adds the BOM Excel needs; utf-8 for other tools.")
@_db_option
def export(out_dir: str, encoding: str, db: str) -> None:
    """Write the CSV files for spreadsheets.

    \b
    Example:
      prospector export --out outputs/ --encoding utf-8
    """
    from prospector.export import export_all

    with _open_store(db) as store:
        paths = export_all(store, out_dir, encoding)
        counts = store.counts()
    _summary("Export finished", [
        ("dead", counts["dead"]),
        ("likely dead", counts["likely_dead"]),
        *[(f"{name}.csv", str(path)) for name, path in paths.items()],
    ])


@main.command()
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the demo's store and CSV files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo(out_dir: str, quiet: bool) -> None:
    """Run the whole pipeline on the bundled demo web (served on 127.0.0.1, offline).

    \b
    Example:
      prospector demo --out outputs/

    Eight analytics blogs are crawled, their outbound links checked, the dead ones matched to
    the pages of a made-up analytics company, Tallyfield, and outreach emails drafted.
    """
    from prospector.demo import run_demo, top_opportunities

    result = run_demo(out_dir, progress=not quiet and sys.stderr.isatty())
    counts = result.counts
    _summary("Demo finished", [
        ("prospects", counts["prospects"]),
        ("pages fetched", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        ("unique URLs checked", counts["checked"]),
        *[(f"  {verdict.replace('_', ' ')}", counts[verdict])
          for verdict in ("dead", "likely_dead", "alive", "blocked", "unknown")],
        ("own pages", counts["own_pages"]),
        ("dead links with a suggestion", counts["matched"]),
        ("drafts", counts["drafts"]),
        ("store", str(result.db)),
        *[(f"{name}.csv", str(path)) for name, path in result.outputs.items()],
    ])
    click.echo("\nTop opportunities")
    for row in top_opportunities(result).itertuples():
        target = row.suggested_url or "(nothing of yours fits)"
        click.echo(f"  {row.priority:>3}  {row.anchor_text!r} on {row.page_url}\n       {row.verdict} -> {target}")


@main.command()
@click.option("--prospects", "prospects_file", required=True, type=click.Path(dir_okay=False),
              help="Your prospect list (see 'prospector crawl --help').")
@click.option("--sitemap", metavar="URL|FILE", help="Your sitemap, or your site's URL.")
@click.option("--pages", "pages_file", type=click.Path(dir_okay=False), help="Or a CSV of your pages.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Pages fetched per prospect [50].")
@click.option("--max-depth", type=click.IntRange(min=0), help="Clicks from the start URL [2].")
@click.option("--recheck-after", type=click.FloatRange(min=0), metavar="DAYS", help="Re-check URLs older than this [7].")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Minimum score of a suggestion [0.12].")
@click.option("--out", "out_dir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the CSV files.")
@click.option("--encoding", type=click.Choice(["utf-8-sig", "utf-8"]), default="utf-8-sig", show_default=True)
@_draft_options
@_network_options
def run(prospects_file: str, sitemap: str | None, pages_file: str | None, min_score: float | None,
        out_dir: str, encoding: str, **kwargs: Any) -> None:
    """Crawl, check, match, draft and export in one go.

    \b
    Example:
      prospector run --prospects prospects.csv --sitemap https://example.com/ \\
                     --sender-name "Sam Lee" --sender-email sam@example.com

    Every stage resumes from the store, so a stopped run can simply be started again.
    """
    from prospector.export import export_all
    from prospector.match.rank import DEFAULT_MIN_SCORE
    from prospector.match.suggest import match_dead_links
    from prospector.pipeline import run_stages

    if not (sitemap or pages_file):
        raise UsageProblem("give your site as --sitemap URL|FILE or --pages FILE.csv")
    sender, draft_options, problems = _draft_settings(kwargs)
    options = _options(**kwargs)
    settings = _settings(options)
    mark = _prepare_crawl(prospects_file, options.db)
    stats = run_stages(settings, prospects_file, sitemap or "", pages_file or "")
    for line in problems:
        click.echo(f"  {line}", err=True)
    with _open_store(options.db) as store:
        problem_count = _print_problems(store, mark) + len(problems)
        if stats.interrupted:
            click.echo(f"Stopped during {stats.interrupted}; run the same command again to resume.")
            sys.exit(EXIT_INTERRUPTED)
        matched = match_dead_links(store, DEFAULT_MIN_SCORE if min_score is None else min_score)
        drafted = _draft(store, sender, draft_options)
        paths = export_all(store, out_dir, encoding)
        counts = store.counts()
    _summary("Run finished", [
        ("prospects", counts["prospects"]),
        ("pages fetched", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        ("unique URLs checked", counts["checked"]),
        *[(f"  {v.replace('_', ' ')}", counts[v]) for v in ("dead", "likely_dead", "alive", "blocked", "unknown")],
        ("own pages", counts["own_pages"]),
        ("dead links with a suggestion", matched.matched),
        ("dead links, nothing fits", matched.no_match),
        *_draft_rows(drafted),
        ("problems (this run)", problem_count),
        ("store", options.db),
        *[(f"{name}.csv", str(path)) for name, path in paths.items()],
    ])
    failed = stats.input_problems or problems
    sys.exit(EXIT_INPUT_PROBLEMS if failed else EXIT_OK)


SAMPLE_PROSPECTS = """url,name,email,notes,max_pages
https://blog.example.org/,Example Blog,,found via a resource page search,
https://news.example.net/resources/,Example News,editor@example.net,resource page,20
"""


@main.command()
@click.option("--dir", "folder", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the starter files.")
def init(folder: str) -> None:
    """Write a starter prospector.toml, a sample prospects.csv and the email templates.

    \b
    Example:
      mkdir my-campaign && cd my-campaign && prospector init

    Existing files are kept, never overwritten.
    """
    target = Path(folder)
    files = {
        target / "prospector.toml": (REPO / "prospector.example.toml").read_text(encoding="utf-8"),
        target / "prospects.csv": SAMPLE_PROSPECTS,
        **{target / "templates" / name: (REPO / "templates" / name).read_text(encoding="utf-8")
           for name in ("outreach.txt.j2", "followup.txt.j2")},
    }
    rows = []
    for path, text in files.items():
        if path.exists():
            rows.append((str(path), "kept (already there)"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append((str(path), "written"))
    _summary("Starter files", rows)
    click.echo("Next: edit prospector.toml ([sender], [match] sitemap) and prospects.csv, then run: prospector run")


@main.command()
@_db_option
def status(db: str) -> None:
    """Counts per stage and verdict from the store.

    \b
    Example:
      prospector status --db outputs/prospector.sqlite
    """
    if not Path(db).exists():
        raise UsageProblem(f"{db}: no store yet; run 'prospector crawl' first")
    with _open_store(db) as store:
        c = store.counts()
    sections = {
        "Crawl": [("prospects", c["prospects"]), ("pages fetched", c["pages"]), ("pages with problems", c["page_errors"]),
                  ("outbound links", c["occurrences"]), ("unique outbound URLs", c["outbound_urls"]),
                  ("contacts found", c["contacts"])],
        "Check": [("URLs checked", c["checked"]), *[(v.replace("_", " "), c[v]) for v in
                                                    ("dead", "likely_dead", "alive", "blocked", "unknown")]],
        "Match": [("own pages", c["own_pages"]), ("dead links with a suggestion", c["matched"]),
                  ("dead links, nothing fits", c["no_match"])],
        "Draft": [("drafts", c["drafts"]), ("problems recorded", c["problems"])],
    }
    click.echo(f"Store {db}")
    for title, rows in sections.items():
        _summary(title, rows)


if __name__ == "__main__":
    main()
