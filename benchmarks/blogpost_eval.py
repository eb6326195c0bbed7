"""The matcher measured from the blog post, on the three dev sites.

For each site, every case is a blog post on a prospect site of its own (devsites.py); the whole
campaign runs through the CLI — crawl, check, archive (a fake Internet Archive holding the
copies of `archived.csv`), match, the user's site read from its sitemap — and each case is
scored on what the store then holds: a case lost by the crawl or the check is a miss. The
"direct" figure feeds the labelled context straight to the ranker, as earlier benchmarks did;
the difference is what extraction loses.

Rankings are re-made in this process from the store (its pages, the stored mentions of each
dead link, the archived copies), so every parameter of the matcher can be tried and fitted
without crawling again (fit_matcher.py).
"""

from __future__ import annotations

import functools
import html
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from devsites import FRIENDS_HOST, DevSite, blog_host, dev_site, post_html  # noqa: E402

from prospector.items import OwnPage  # noqa: E402
from prospector.match.query import LinkQuery, build_query  # noqa: E402
from prospector.match.rank import MatchResult  # noqa: E402

ARCHIVE_STAMP = "20220301101010"


def campaign_web(site: DevSite) -> Any:
    """The user's site, a prospect blog per case, the fake archive and the sites the blogs link
    to that are alive."""
    from prospector.fakeweb import Resource, Site, WebSpec, page
    from prospector.fakeweb.archive import Capture, FakeArchive
    from prospector.testing.evaluate import static_site_spec

    own = static_site_spec(site.site, site.host)
    blogs = []
    for case in site.cases:
        title, body = post_html(case)
        blogs.append(Site(blog_host(case), {"/post/": page(html.escape(title), body),
                                            "/": page("Home", '<a href="/post/">Latest</a>')}))
    archive = FakeArchive(captures={c.dead_url: [Capture(
        ARCHIVE_STAMP, c.archived_title, f"<main><p>{html.escape(c.archived_description)}</p></main>",
        c.archived_description)] for c in site.cases if c.archived_title})
    friends = Site(FRIENDS_HOST, {p: Resource(body="<title>Friendly links</title><p>Hello.</p>")
                                  for p in ("/", "/rss", "/jo", "/weekly")})
    return WebSpec([*own.sites, *blogs, archive, friends])


def run_campaign(site: DevSite, work: Path, extra: Sequence[str] = ()) -> tuple[Path, str]:
    """crawl, check, archive, match over the site's web; (the store, the own site's base URL).
    The match keeps every ranking (--min-confidence 0): cut-offs are applied when scoring."""
    from prospector.fakeweb import FakeWeb
    from prospector.fakeweb.archive import ARCHIVE_HOST

    work.mkdir(parents=True, exist_ok=True)
    db = work / "store.sqlite"
    for stale in work.glob("store.sqlite*"):
        stale.unlink()
    with FakeWeb(campaign_web(site)) as web:
        prospects = work / "prospects.txt"
        prospects.write_text("".join(web.url(blog_host(c), "/post/") + "\n" for c in site.cases), encoding="utf-8")
        net = ["--db", str(db), "--nameserver", web.nameserver, "--allow-private-networks", "-q",
               "--dns-timeout", "1", "--timeout", "5", "--set", "AUTOTHROTTLE_ENABLED=false"]

        def prospector(*args: str) -> None:
            done = subprocess.run([sys.executable, "-m", "prospector", *args], capture_output=True, text=True,
                                  timeout=3600)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"prospector {args[0]} failed: {done.stderr.strip()[-800:]}")

        prospector("crawl", "--prospects", str(prospects), "--max-pages", "1", "--max-depth", "0", *net)
        prospector("check", *net)
        if any(c.archived_title for c in site.cases):
            prospector("archive", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "600",
                       *net)
        _vectors(db, work.parent / "vectors.sqlite", into_store=True)
        prospector("match", "--min-confidence", "0", "--sitemap", web.url(site.host), *extra, *net)
        _vectors(db, work.parent / "vectors.sqlite", into_store=False)
        base = web.url(site.host).rstrip("/")
    return db, base


def _vectors(db: Path, cache: Path, into_store: bool) -> None:
    """Share encoded vectors between runs (the encoder is deterministic): a rerun of the
    campaign encodes only what changed."""
    from prospector.store import Store

    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("ATTACH DATABASE ? AS cache", (str(cache),))
        conn.execute("CREATE TABLE IF NOT EXISTS cache.vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        source, target = ("cache.vectors", "main.vectors") if into_store else ("main.vectors", "cache.vectors")
        conn.execute(f"INSERT OR IGNORE INTO {target} SELECT key, vector FROM {source}")


@dataclass(frozen=True)
class Material:
    """What the matcher works from for one site: the own pages, and per case the query the
    campaign built (None: the crawl or the check lost it) and the labelled one."""

    site: DevSite
    pages: list[OwnPage]
    base: str
    path_queries: dict[str, LinkQuery | None]  # case id -> query from the store
    direct_queries: dict[str, LinkQuery]  # case id -> query from cases.csv (with the archived copy)
    store: Path


def material(site: DevSite, db: Path, base: str) -> Material:
    from prospector.match.suggest import _archived_text
    from prospector.store import Store

    with Store(db) as store:
        pages = store.own_pages()
        mentions = store.dead_link_mentions()
        archived = store.archived()
    path: dict[str, LinkQuery | None] = {}
    direct: dict[str, LinkQuery] = {}
    for case in site.cases:
        found = mentions.get(case.dead_url)
        copy = _archived_text(archived.get(case.dead_url))
        path[case.case_id] = build_query(case.dead_url, found, archived=copy) if found else None
        direct[case.case_id] = build_query(case.dead_url, [(case.anchor, case.context, case.page_title)],
                                           archived=copy)
    return Material(site, pages, base, path, direct, db)


@dataclass(frozen=True)
class Figures:
    cases: int
    top1: float
    top3: float  # of answerable cases: an acceptable page among the first three, whatever the cut-off
    no_match_precision: float
    no_match_recall: float
    lost: int  # cases the crawl or the check lost (no query)
    right: tuple[str, ...]  # ids of the cases answered right

    def row(self) -> dict[str, Any]:
        return {"top1": round(self.top1, 3), "top3": round(self.top3, 3),
                "no_match_precision": round(self.no_match_precision, 3),
                "no_match_recall": round(self.no_match_recall, 3), "lost": self.lost, "cases": self.cases}


def figures(site: DevSite, base: str, queries: dict[str, LinkQuery | None],
            rank: Callable[[list[LinkQuery]], list[MatchResult]], cutoff: float) -> Figures:
    """Score one ranking of the site's cases at a confidence cut-off."""
    asked = [(case, queries[case.case_id]) for case in site.cases]
    results = dict(zip([c.case_id for c, q in asked if q is not None],
                       rank([q for _, q in asked if q is not None]), strict=False))
    top1 = top3 = said_none = said_none_right = lost = 0
    right = []
    answerable = sum(bool(c.expected) for c in site.cases)
    for case in site.cases:
        result = results.get(case.case_id)
        if result is None:
            lost += 1
            continue
        ranked = [s.url.removeprefix(base) for s in result.suggestions] if result.suggestions else []
        first = ranked[0] if ranked and result.confidence >= cutoff else None
        if case.expected and any(p in case.expected for p in ranked[:3]):
            top3 += 1
        ok = (first in case.expected) if case.expected else first is None
        top1 += ok
        if ok:
            right.append(case.case_id)
        if first is None:
            said_none += 1
            said_none_right += not case.expected
    unanswerable = len(site.cases) - answerable
    return Figures(len(site.cases), top1 / len(site.cases), top3 / max(1, answerable),
                   said_none_right / said_none if said_none else 1.0,
                   said_none_right / unanswerable if unanswerable else 1.0, lost, tuple(right))


def load(name: str, work: Path, rerun: bool = False) -> Material:
    """The site's campaign run once (its store kept in `work`) and read back."""
    site = dev_site(name)
    db = work / name / "store.sqlite"
    meta = work / name / "base.json"
    if rerun or not db.exists() or not meta.exists():
        db, base = run_campaign(site, work / name)
        meta.write_text(json.dumps({"base": base}), encoding="utf-8")
    base = json.loads(meta.read_text(encoding="utf-8"))["base"]
    return material(site, db, base)


def stored_first(db: Path) -> dict[str, tuple[str, float]]:
    """dead URL -> (first suggestion, confidence) as the campaign's match stored them."""
    with sqlite3.connect(db) as conn:
        return {url: (own, conf) for url, own, conf in conn.execute(
            """SELECT s.dead_url, s.own_url, m.confidence FROM suggestions s
               JOIN match_outcomes m ON m.dead_url = s.dead_url WHERE s.rank = 1""")}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=HERE / "work" / "blogpost")
    parser.add_argument("--rerun", action="store_true", help="crawl and match again")
    parser.add_argument("sites", nargs="*", default=["match-dev", "match-dev2", "match-dev3"])
    args = parser.parse_args()
    from prospector.match.confidence import CUTOFFS
    from prospector.match.semantic import HybridRanker, load_encoder
    from prospector.store import Store

    encoder = load_encoder()
    out = {}
    for name in args.sites:
        m = load(name, args.work, args.rerun)
        with Store(m.store) as store:
            ranker = HybridRanker(m.pages, encoder, store)
            rank = functools.partial(ranker.rank, min_confidence=0.0)
            out[name] = {"path": figures(m.site, m.base, m.path_queries, rank, CUTOFFS["hybrid"]).row(),
                         "direct": figures(m.site, m.base, m.direct_queries, rank, CUTOFFS["hybrid"]).row()}
        print(name, out[name], flush=True)
    print(json.dumps(out))
