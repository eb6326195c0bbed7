"""`prospector worker`: serve a cluster's Redis until stopped."""

from __future__ import annotations

from typing import Any


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
    print_summary(summary.title, summary.rows())
