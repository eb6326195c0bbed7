"""`prospector worker`: serve a cluster's Redis until stopped."""

from __future__ import annotations

from typing import Any

import click

from prospector.cli.app import main
from prospector.cli.options import cluster_options, make_campaign, network_options, print_summary


@main.command()
@cluster_options
@network_options
def worker(**kwargs: Any) -> None:
    """Crawl prospect pages and check URLs for the coordinator that queues them on --redis,
    until stopped (Ctrl-C or SIGTERM: the downloads under way finish, what is still held goes
    back to the queue).

    \b
    Example, on each machine of the cluster:
      prospector worker --redis redis://:PASSWORD@10.0.0.5:6379/0
    and on the one that coordinates (and keeps the store):
      prospector run --redis redis://:PASSWORD@10.0.0.5:6379/0 --prospects prospects.csv --sitemap …

    The network options (--nameserver, --timeout, --allow-network …) are this machine's own.
    Logs go to the terminal unless --set LOG_FILE=… is given.
    """
    kwargs.pop("db", None)
    kwargs["verbose"] = True  # a worker's log is its terminal's (or LOG_FILE's)
    summary = make_campaign(kwargs).work()
    print_summary(summary.title, summary.rows(), summary)


@main.command()
@click.option("--redis", metavar="URL", envvar="PROSPECTOR_REDIS_URL", show_envvar=False, required=True,
              help="The cluster's Redis [$PROSPECTOR_REDIS_URL].")
@click.option("--campaign", metavar="ID", help="Delete what this campaign left (its id as listed).")
def clear(redis: str, campaign: str | None) -> None:
    """List the campaigns whose work is left in a cluster's Redis, or clear one.

    \b
    Examples:
      prospector clear --redis redis://10.0.0.5:6379/0                  # what is left, by campaign
      prospector clear --redis redis://10.0.0.5:6379/0 --campaign 3f2a9c1b7d4e

    One campaign's work at a time uses a Redis database: a coordinator refuses to start while
    another campaign's requests are still queued there. Finish that campaign (run its command
    again with its store), or clear it here.
    """
    target = make_campaign({"redis": redis})
    if campaign:
        print_summary("Cleared", [("campaign", campaign), ("keys deleted", target.clear(campaign))])
        return
    found = target.leftovers()
    if not found:
        click.echo("Nothing left in this Redis database.")
    for left in found:
        click.echo(str(left))
