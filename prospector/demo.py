"""`prospector demo`: `Campaign.run` over the bundled demo web, on loopback only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prospector.campaign import Campaign, RunSummary
from prospector.fakeweb import FakeWeb
from prospector.fakeweb.archive import ARCHIVE_HOST
from prospector.fakeweb.demo import DEMO_PROSPECTS, DEMO_SENDER, OWN_SITE_HOST, demo_web
from prospector.outreach.render import Sender


@dataclass(frozen=True)
class DemoResult:
    summary: RunSummary
    prospects: Path  # the prospect list written for the demo web's ports
    top: pd.DataFrame  # the first opportunities


def run_demo(out_dir: str | Path, progress: bool = False, notes: Callable[[str], None] | None = None,
             top: int = 5) -> DemoResult:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.sqlite"
    for stale in out.glob("demo.sqlite*"):  # the demo web's ports change every run
        stale.unlink()
    with FakeWeb(demo_web()) as web:
        prospects = out / "demo_prospects.csv"
        prospects.write_text("url,name\n" + "".join(f"{web.url(host)},{host}\n" for host in DEMO_PROSPECTS),
                             encoding="utf-8")
        campaign = Campaign(db, nameserver=web.nameserver, allow_private_networks=True, dns_timeout=1.0,
                            dns_retries=1, timeout=2.0, retries=1, workers=1, progress=progress, notes=notes,
                            wayback_endpoint=web.url(ARCHIVE_HOST).rstrip("/"), wayback_rate=600,
                            settings={"AUTOTHROTTLE_ENABLED": "false", "PROSPECTOR_RETRY_BACKOFF": 0.2,
                                      "PROSPECTOR_RETRY_AFTER_MAX": 2})
        summary = campaign.run(prospects, sitemap=web.url(OWN_SITE_HOST), sender=Sender(*DEMO_SENDER), out_dir=out)
    columns = ["priority", "page_url", "anchor_text", "dead_url", "reason", "suggested_url"]
    return DemoResult(summary, prospects, campaign.opportunities().head(top)[columns])
