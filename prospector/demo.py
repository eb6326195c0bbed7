"""`prospector demo`: the whole pipeline against the bundled demo web, on loopback only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prospector.config import RunOptions, build_settings
from prospector.export import export_all
from prospector.fakeweb import FakeWeb
from prospector.fakeweb.demo import DEMO_PROSPECTS, demo_web
from prospector.store import Store


@dataclass
class DemoResult:
    db: Path
    prospects: Path
    outputs: dict[str, Path]
    counts: dict[str, int]


def run_demo(out_dir: str | Path) -> DemoResult:
    from prospector.crawl.check import LinkCheckSpider
    from prospector.crawl.prospect import ProspectSpider
    from prospector.runner import run_spiders

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
            dns_timeout=1.0, dns_retries=1, timeout=2.0, retries=1,
            extra=("AUTOTHROTTLE_ENABLED=false", "PROSPECTOR_RETRY_BACKOFF=0.2"),
        ))
        run_spiders(settings, [(ProspectSpider, {"prospects": str(prospects)}), (LinkCheckSpider, {})])
    with Store(db) as store:
        return DemoResult(db, prospects, export_all(store, out), store.counts())
