"""`prospector demo`: the whole pipeline against the bundled demo web, on loopback only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prospector.config import RunOptions, build_settings
from prospector.draft import Sender
from prospector.export import export_all
from prospector.fakeweb import FakeWeb
from prospector.fakeweb.demo import DEMO_PROSPECTS, DEMO_SENDER, OWN_SITE_HOST, demo_web
from prospector.store import Store


@dataclass
class DemoResult:
    db: Path
    prospects: Path
    outputs: dict[str, Path]
    counts: dict[str, int]


def run_demo(out_dir: str | Path, progress: bool = False) -> DemoResult:
    from prospector.match.suggest import match_dead_links
    from prospector.outreach import DraftOptions, draft_all
    from prospector.pipeline import run_stages

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.sqlite"
    for stale in out.glob("demo.sqlite*"):  # the demo web's ports change every run
        stale.unlink()
    with FakeWeb(demo_web()) as web:
        prospects = out / "demo_prospects.csv"
        prospects.write_text("url,name\n" + "".join(f"{web.url(host)},{host}\n" for host in DEMO_PROSPECTS),
                             encoding="utf-8")
        settings = build_settings(RunOptions(
            db=str(db), nameserver=web.nameserver, allow_private_networks=True,
            dns_timeout=1.0, dns_retries=1, timeout=2.0, retries=1, progress=progress,
            extra=("AUTOTHROTTLE_ENABLED=false", "PROSPECTOR_RETRY_BACKOFF=0.2", "PROSPECTOR_RETRY_AFTER_MAX=2"),
        ))
        run_stages(settings, str(prospects), sitemap=web.url(OWN_SITE_HOST))
    from prospector.match.semantic import available, load_encoder

    with Store(db) as store:
        match_dead_links(store, encoder=load_encoder() if available() else None)
        draft_all(store, Sender(*DEMO_SENDER), DraftOptions())
        return DemoResult(db, prospects, export_all(store, out), store.counts())


def top_opportunities(result: DemoResult, n: int = 5) -> pd.DataFrame:
    frame = pd.read_csv(result.outputs["opportunities"], encoding="utf-8-sig", keep_default_na=False)
    return frame.head(n)[["priority", "page_url", "anchor_text", "verdict", "suggested_url"]]
