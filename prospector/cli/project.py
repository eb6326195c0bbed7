"""Commands around the pipeline: demo, init, status."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prospector.arguments import DEFAULT_OUT
from prospector.cli.app import main
from prospector.cli.options import db_option, json_mode, make_campaign, print_summary, say
from prospector.outreach.render import TEMPLATES_DIR

EXAMPLE_CONFIG = Path(__file__).resolve().parents[1] / "prospector.example.toml"  # package data

SAMPLE_PROSPECTS = """url,name,email,notes,max_pages
https://blog.example.org/,Example Blog,,found via a resource page search,
https://news.example.net/resources/,Example News,editor@example.net,resource page,20
"""


@main.command()
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True,
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
    from prospector.demo import run_demo

    result = run_demo(out_dir, progress=not quiet and sys.stderr.isatty(),
                      notes=lambda line: click.echo(line, err=True))
    print_summary("Demo finished", result.summary.rows(), result.summary)
    say("\nTop opportunities (priority, the link on a prospect's page, your page to suggest)")
    for row in result.top.itertuples():
        say(f"  {row.priority:>3}  {row.anchor_text!r} on {row.page_url}\n"
            f"       dead link: {row.dead_url} ({row.reason})\n"
            f"       suggest:   {row.suggested_url or '(nothing of yours fits)'}")
    say(f"\nThe demo's store: {result.summary.db} — try: prospector status --db {result.summary.db}")


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
        target / "prospector.toml": EXAMPLE_CONFIG.read_text(encoding="utf-8"),
        target / "prospects.csv": SAMPLE_PROSPECTS,
        **{target / "templates" / name: (TEMPLATES_DIR / name).read_text(encoding="utf-8")
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
    print_summary("Starter files", rows)
    say("Next: edit prospector.toml ([sender], [match] sitemap) and prospects.csv, then run: prospector run")


@main.command()
@click.option("--problems", type=click.IntRange(min=1), metavar="N", is_flag=False, flag_value=20,
              help="Also list the N most recent problems recorded (crawl errors, bad rows …) [20].")
@db_option
def status(db: str, problems: int | None) -> None:
    """Counts per stage and verdict from the store.

    \b
    Examples:
      prospector status --db outputs/prospector.sqlite
      prospector status --problems        # and the 20 most recent problems
    """
    campaign = make_campaign({"db": db})
    held = campaign.status()  # what the store holds
    if problems:
        listed = campaign.problems(problems)
        for row in listed.itertuples():
            say(f"  {row.at}  {row.stage}  {row.source}: {row.message}")
        say(f"({len(listed)} most recent problems of {held.problems} recorded)")
    if json_mode():
        print_summary("Store", [], held)
        return
    click.echo(f"Store {held.db}")
    for title, rows in held.sections:
        print_summary(title, rows)


@main.command()
@click.argument("prospects", nargs=-1, required=True)
@db_option
def forget(prospects: tuple[str, ...], db: str) -> None:
    """Remove prospects from the store: their pages, links and the checks no other prospect
    needs. What you recorded of your outreach to them stays, so they are never pitched again
    by mistake.

    \b
    Examples:
      prospector forget https://blog.example.org/        # as listed in prospects.csv
      prospector forget example.net                      # every prospect of that domain
    """
    summary = make_campaign({"db": db}).forget(*prospects)
    print_summary(summary.title, summary.rows(), summary)


@main.command()
@click.argument("ranked_list", metavar="FILE", type=click.Path(dir_okay=False))
@db_option
def authority(ranked_list: str, db: str) -> None:
    """Read the authority of the prospects' domains from a ranked list you downloaded.

    Tranco (rank,domain), the Majestic Million, DomCop's Open PageRank or Common Crawl's host
    or domain ranks, gzipped or not, told apart by their first line. Only the prospects'
    domains are kept, so a list of millions costs little memory. A rank r is authority
    100 x (1 - log10(r) / 7) (rank 1: 100, 1,000: 57.1, 10 million: 0), an Open PageRank
    score s (0-10) is 10 x s. The next export writes it into prospects.csv and
    opportunities.csv and counts it in the priority (up to 4 points).

    \b
    Example:
      prospector authority tranco_XXXX.csv          # https://tranco-list.eu/
      prospector authority cc-main-domain-ranks.txt.gz
    """
    summary = make_campaign({"db": db}).authority(ranked_list)
    print_summary(summary.title, summary.rows(), summary)


@main.command("import")
@click.argument("exports", metavar="FILE…", nargs=-1, required=True, type=click.Path(dir_okay=False))
@db_option
def import_(exports: tuple[str, ...], db: str) -> None:
    """Read backlink exports into the store: who links where, as the tool saw it.

    Ahrefs (backlinks, broken backlinks; UTF-16 or UTF-8), Semrush, Majestic (.csv.gz too),
    Moz, Google Search Console's Links .zip, or a CSV with referring_url,target_url[,anchor],
    told apart by their header. Each referring page becomes a page to crawl (alone, with its
    site's start page) of its site's prospect — one per domain, or per author on medium.com,
    substack.com, blogspot.com and the like — and each target a link it is said to carry.
    Then crawl and run without --prospects work on them: the crawl confirms each link or counts
    it gone (never pitched), and the check decides whether a target is dead. The tool's own
    authority (Domain rating, Page ascore, TrustFlow, DA) is kept unless a ranked list gave one.

    \b
    Example:
      prospector import ahrefs-broken-backlinks.csv
      prospector run --sitemap https://example.com/ --sender-name "Sam Lee" --sender-email sam@example.com
    """
    summary = make_campaign({"db": db}).import_backlinks(*exports)
    print_summary(summary.title, summary.rows(), summary)
