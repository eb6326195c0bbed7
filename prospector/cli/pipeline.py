"""The pipeline's commands: crawl, check, match, draft, export, and run for all of them.
Each parses its options, calls the Campaign method of the same name and prints the summary."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from prospector.cli.app import main
from prospector.cli.options import (
    EXIT_INPUT_PROBLEMS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    applied,
    check_options,
    cluster_options,
    crawl_options,
    db_option,
    draft_options,
    json_mode,
    make_campaign,
    match_options,
    network_options,
    output_options,
    print_summary,
    sender_and_settings,
    wayback_options,
)

AUTHORITY_HELP = ("A ranked list of domains you downloaded (Tranco, the Majestic Million, Open PageRank, Common "
                  "Crawl's host or domain ranks; gzipped or not): each prospect's authority, 0-100, in the sheets "
                  "and the priority. See 'prospector authority --help'.")
XLSX_HELP = ("Also write prospector.xlsx: every sheet in one workbook, numbers and dates as such whatever your "
             "spreadsheet's locale (rewritten by every export from then on).")


@main.command()
@click.option("--prospects", "prospects_file", type=click.Path(dir_okay=False),
              help="Here or as [crawl] prospects in prospector.toml (without: the prospects 'prospector import' "
                   "stored). CSV or .xlsx with a 'url' column (optional name,email,notes,max_pages,max_depth,"
                   "path_prefix), or text with one URL per line.")
@crawl_options
@cluster_options
@network_options
def crawl(prospects_file: str, **kwargs: Any) -> None:
    """Crawl each prospect site and store its outbound links with their context.

    \b
    Example:
      prospector crawl --prospects prospects.csv --max-pages 100 --max-depth 3

    A re-run resumes: pages already stored are not fetched again (with --recrawl-after DAYS,
    pages fetched longer ago are, and links they no longer carry are never pitched).
    """
    summary = make_campaign(kwargs).crawl(prospects_file)
    print_summary(summary.title, summary.rows(), summary)
    if not summary.finished:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_INPUT_PROBLEMS if summary.bad_rows or summary.unreachable_prospects else EXIT_OK)


@main.command()
@check_options
@cluster_options
@network_options
def check(**kwargs: Any) -> None:
    """Check every unique outbound URL once: DNS, then HTTP (HEAD, then GET when needed).

    \b
    Example:
      prospector check --nameserver 1.1.1.1 --timeout 10

    Verdicts: dead, likely_dead, alive, blocked, unknown (see the README).
    """
    summary = make_campaign(kwargs).check()
    print_summary(summary.title, summary.rows(), summary)
    sys.exit(EXIT_OK if summary.finished else EXIT_INTERRUPTED)


@main.command()
@click.option("--sitemap", metavar="URL|FILE",
              help="Your sitemap (index, .xml.gz), a local sitemap file, or your site's URL "
                   "(its robots.txt names the sitemaps).")
@click.option("--pages", "pages_file", type=click.Path(dir_okay=False),
              help="Instead of a sitemap: a CSV of your pages (url, optional title, description).")
@click.option("--refresh", is_flag=True, help="Fetch every own page again, even if its lastmod is unchanged.")
@match_options
@network_options
def match(sitemap: str | None, pages_file: str | None, refresh: bool, **kwargs: Any) -> None:
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
    campaign = make_campaign(kwargs)
    summary = campaign.match(sitemap, pages_file, refresh)
    print_summary(summary.title, [*summary.rows(), ("store", campaign.db)], summary)
    sys.exit(EXIT_INPUT_PROBLEMS if summary.sitemap_errors else EXIT_OK)


@main.command()
@output_options("The export written again with the drafts (emails.csv, the report …).")
@draft_options
@network_options  # for checking the links to pitch again (--verify-within)
def draft(out_dir: str, encoding: str, **kwargs: Any) -> None:
    """Draft one outreach email per prospect contact, from templates/.

    \b
    Example:
      prospector draft --sender-name "Sam Lee" --sender-email sam@example.com \\
                       --sender-site https://example.com --do-not-contact skip.txt

    Only dead links with a suggested replacement are pitched, unless --include-unmatched.
    The outreach history (prospector record) is honoured: no first email to a contact or
    domain recorded in the last --recontact-after days, no dead URL pitched twice to a
    prospect, a follow-up for each sent email left unanswered --followup-after days. Links
    checked more than --verify-within hours ago are checked again first. The export in --out
    is written again with the drafts, so emails.csv always matches them (statuses typed into
    it and not recorded yet stop the draft: record them first).
    """
    sender, settings = sender_and_settings(kwargs)
    campaign = make_campaign(kwargs)
    summary = campaign.draft(sender, out_dir, encoding, **settings)
    print_summary(summary.title, [*summary.rows(), ("store", campaign.db)], summary)
    sys.exit(EXIT_INPUT_PROBLEMS if summary.problems else EXIT_OK)


@main.command()
@output_options("Folder for the CSV files.")
@click.option("--xlsx", is_flag=True, help=XLSX_HELP)
@click.option("--authority", type=click.Path(dir_okay=False), metavar="FILE", help=AUTHORITY_HELP)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@db_option
def export(out_dir: str, encoding: str, xlsx: bool, authority: str | None, quiet: bool, **kwargs: Any) -> None:
    """Write the CSV files for spreadsheets, and report.html.

    \b
    Example:
      prospector export --out outputs/ --encoding utf-8
      prospector export --xlsx           # also outputs/prospector.xlsx, typed cells
      prospector export --authority tranco.csv
    """
    campaign = make_campaign(kwargs)
    if authority is not None:
        read = campaign.authority(authority)
        if not quiet:
            print_summary(read.title, read.rows(), read)
    summary = campaign.export(out_dir, encoding, xlsx)
    if not quiet:
        print_summary(summary.title, summary.rows(), summary)


def run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of `run` and of `competitor` (which runs the pipeline too)."""
    return applied([
            click.option("--sitemap", metavar="URL|FILE", help="Your sitemap, or your site's URL."),
            click.option("--pages", "pages_file", type=click.Path(dir_okay=False), help="Or a CSV of your pages."),
            crawl_options, check_options, output_options("Folder for the CSV files."),
            click.option("--xlsx", is_flag=True, help=XLSX_HELP),
            click.option("--authority", type=click.Path(dir_okay=False), metavar="FILE", help=AUTHORITY_HELP),
            click.option("--wayback/--no-wayback", default=None,
                         help="Ask the Internet Archive what the dead pages were, the least certain matches first, "
                              "for at most --wayback-minutes, and match them again with what it said [on]. It is "
                              "sent each dead URL, nothing else (see 'prospector archive --help')."),
            wayback_options, match_options, draft_options, cluster_options, network_options], command)


BACKLINKS_HELP = ("A backlink export (Ahrefs, Semrush, Majestic, Moz, Search Console's Links .zip, or a CSV of "
                  "referring_url,target_url); repeat for more. See 'prospector import --help'.")


@main.command()
@click.option("--prospects", "prospects_file", type=click.Path(dir_okay=False),
              help="Your prospect list (see 'prospector crawl --help'), here or in prospector.toml; without "
                   "one, the prospects 'prospector import' stored.")
@click.option("--competitor", metavar="DOMAIN",
              help="Competitor mode on DOMAIN's backlinks (--backlinks): see 'prospector competitor --help'.")
@click.option("--backlinks", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help=BACKLINKS_HELP + " Without --competitor: imported, then run on with the rest.")
@run_options
def run(prospects_file: str, competitor: str | None, backlinks: tuple[str, ...], **kwargs: Any) -> None:
    """Crawl, check, match, draft and export in one go.

    \b
    Example:
      prospector run --prospects prospects.csv --sitemap https://example.com/ \\
                     --sender-name "Sam Lee" --sender-email sam@example.com

    Every stage resumes from the store, so a stopped run can simply be started again.
    """
    if competitor is not None:
        if prospects_file is not None:
            raise click.UsageError("--prospects does not go with --competitor: competitor mode's prospects are the "
                                   "pages linking to the competitor's lost pages")
        run_competitor(competitor, backlinks, kwargs)
    run_args, sender = pipeline_args(kwargs)
    campaign = make_campaign(kwargs)
    if backlinks:
        imported = campaign.import_backlinks(*backlinks)
        if not json_mode():  # --json prints one object: the run's
            print_summary(imported.title, imported.rows(), imported)
    summary = campaign.run(prospects_file, sender=sender, **run_args)
    print_summary(summary.title, summary.rows(), summary)
    sys.exit(EXIT_INPUT_PROBLEMS if summary.input_problems else EXIT_OK)


@main.command()
@click.argument("domain")
@click.option("--backlinks", multiple=True, required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help=BACKLINKS_HELP)
@run_options
def competitor(domain: str, backlinks: tuple[str, ...], **kwargs: Any) -> None:
    """Find prospects in a competitor's lost backlinks: its dead pages that others still link to.

    \b
    Example:
      prospector competitor rival.com --backlinks ahrefs-best-by-links.csv \\
                 --sitemap https://example.com/ --sender-name "Sam Lee" --sender-email sam@example.com

    DOMAIN's pages the exports name are checked first (an export's "404" is a claim: the check
    decides; a parked domain is likely dead). Only the backlinks to the pages found dead or
    likely dead are imported: their referring pages, with their sites' contact pages, are the
    prospects, and nothing else is crawled. Then the pipeline runs as 'prospector run' does
    (a page that no longer carries its link is never pitched), the Internet Archive is asked
    what each lost page was, most referring domains first, and competitor_pages.csv lists
    them: the content worth recreating, and who still links to it. Same as
    'prospector run --competitor DOMAIN --backlinks FILE'.
    """
    run_competitor(domain, backlinks, kwargs)


@main.command()
@click.argument("domain")
@click.option("--backlinks", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help=BACKLINKS_HELP + " Its links to the lost pages are imported: prospects for 'prospector run'.")
@output_options("Folder for deadsite_pages.csv.")
@wayback_options
@network_options
def deadsite(domain: str, backlinks: tuple[str, ...], out_dir: str | None, encoding: str | None,
             **kwargs: Any) -> None:
    """The pages a dead or moved site had, which of them are gone, and what each was.

    \b
    Examples:
      prospector deadsite old-rival.com
      prospector deadsite old-rival.com --backlinks majestic-old-rival.csv.gz
      prospector run --sitemap https://example.com/ --sender-name "Sam Lee" --sender-email sam@example.com

    The Internet Archive lists the pages it captured on DOMAIN and its subdomains (answers
    200, HTML, one row per URL, page by page with its resume key: a stopped listing resumes).
    Each is checked now (a parked domain is likely dead). The archive is asked for each lost
    page's title, most referenced first, at --wayback-rate for at most --wayback-minutes; a
    later run asks the rest. deadsite_pages.csv lists the lost pages: the content worth
    recreating. With --backlinks, each shows who links to it, and those links are imported:
    'prospector run' then crawls the pages still linking and drafts the emails.
    """
    summary = make_campaign(kwargs).deadsite(domain, *backlinks, out_dir=out_dir, encoding=encoding)
    if not json_mode() and summary.imported is not None:
        print_summary(summary.imported.title, summary.imported.rows(), summary.imported)
    print_summary(summary.title, summary.rows(), summary)
    sys.exit(EXIT_OK)


def pipeline_args(kwargs: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """`Campaign.run`'s keyword arguments from the options (the campaign's were taken out by
    make_campaign), and the sender."""
    sender, settings = sender_and_settings(kwargs)
    names = ("sitemap", "pages_file", "out_dir", "encoding", "wayback", "xlsx", "authority")
    given = {name: kwargs.pop(name) for name in names}
    return {**{("pages" if k == "pages_file" else k): v for k, v in given.items()}, **settings}, sender


def run_competitor(domain: str, backlinks: tuple[str, ...], kwargs: dict[str, Any]) -> None:
    run_args, sender = pipeline_args(kwargs)
    wayback = run_args.pop("wayback")
    summary = make_campaign(kwargs).competitor(domain, *backlinks, wayback=wayback, sender=sender, **run_args)
    if not json_mode():
        for part in (summary.imported, summary.run):
            if part is not None:
                print_summary(part.title, part.rows(), part)
    print_summary(summary.title, summary.rows(), summary)
    sys.exit(EXIT_INPUT_PROBLEMS if summary.run and summary.run.input_problems else EXIT_OK)
