"""The commands of a campaign over weeks: what the dead pages were (archive), record what was
sent, verify before sending."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from prospector.cli.app import main
from prospector.cli.options import (
    EXIT_INTERRUPTED,
    db_option,
    make_campaign,
    network_options,
    print_summary,
    say,
    wayback_options,
)


@main.command()
@wayback_options
@network_options
def archive(**kwargs: Any) -> None:
    """Ask the Internet Archive what each dead link's page was.

    \b
    Example:
      prospector archive                      # after check and match; then: prospector match
      prospector archive --wayback-minutes 30

    The dead links whose match is least certain come first — not matched yet, below a
    confidence of 0.75, or with a vague anchor ("this post") or an opaque URL (/?p=2290) —
    then the others, most valuable first. For each, the archive's CDX API lists its last good
    captures and the newest that is not a parked domain or an error page is read for its
    title, description and text. The next 'prospector match' adds them to what the link is
    about, and templates can name the page ({{ link.archived_title }}). The archive is sent
    each dead URL and nothing else. One request at a time, at most --wayback-rate a minute,
    Retry-After honoured; after 3 refusals (429), or 3 failures in a row to reach it, it
    stops rather than get your address blocked. Each URL is asked once; a re-run resumes.
    'prospector run' does all this by default (--no-wayback: not).
    """
    campaign = make_campaign(kwargs)
    summary = campaign.archive()
    if summary.stopped:
        click.echo(f"  {summary.stopped}", err=True)
    print_summary(summary.title, [*summary.rows(), ("store", campaign.db)], summary)
    if not summary.finished:
        raise SystemExit(EXIT_INTERRUPTED)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--on", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date the statuses are for [today]; not in the future.")
@click.option("--redate", is_flag=True, help="Move what this file recorded before to the --on date (to correct a "
                                              "wrong date).")
@db_option
def record(file: str, on_date: dt.datetime | None, redate: bool, db: str) -> None:
    """Store the statuses you wrote into emails.csv, or the pages you chose in opportunities.csv.

    \b
    Example:
      prospector record outputs/emails.csv          # after sending some of the drafts
      prospector record emails.xlsx --on 2026-11-20
      prospector record outputs/opportunities.csv   # your picks in the use column

    Open emails.csv in a spreadsheet, write a status per row you acted on (sent, skip,
    replied, won or lost; leave the others empty), save (CSV with commas or semicolons, or
    .xlsx) and record it. The next draft run writes no first email to a contact or domain
    recorded in the last --recontact-after days, never pitches a prospect the same dead URL
    twice, and drafts a follow-up for each email sent --followup-after days ago with no answer
    recorded. An edited body is kept as sent.

    In opportunities.csv, the use column takes your pick for a row: one of other_suggestions'
    URLs or any URL of your site (the next draft suggests it), or skip (that link stays out of
    the emails); emptying a cell clears what was recorded. prospector.xlsx records both sheets.
    Any bad row (a URL that is not of your site …) and nothing is recorded. Recording a file
    again changes nothing: a wrong --on is corrected with --on RIGHT-DATE --redate.
    """
    if redate and not on_date:
        raise click.UsageError("--redate needs the right date: --on YYYY-MM-DD")
    summary = make_campaign({"db": db}).record(file, on_date.date() if on_date else None, redate)
    print_summary(summary.title, [*summary.rows(), ("store", db)], summary)


@main.command()
@click.option("--verify-within", type=click.FloatRange(min=0), default=24.0, show_default=True, metavar="HOURS",
              help="Check again the links whose check is older than this.")
@network_options
def verify(verify_within: float, **kwargs: Any) -> None:
    """Check the dead links of the drafts again, just before you send them.

    \b
    Example:
      prospector verify --verify-within 0     # every link of emails.csv, now

    A link that works again (or now answers 403, or times out) is listed with the contacts
    whose draft names it; run 'prospector draft' and 'prospector export' to drop it.
    """
    campaign = make_campaign(kwargs)
    summary = campaign.verify(verify_within)
    for url, verdict, contacts in summary.revived:
        say(f"  {url}: now {verdict or 'not checked'} (in the draft to {', '.join(contacts)})")
    print_summary(summary.title, [*summary.rows(), ("store", campaign.db)], summary)
    if summary.revived:
        say("Next: prospector draft, then prospector export, to leave them out of emails.csv.")
