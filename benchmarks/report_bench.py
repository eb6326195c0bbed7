"""report.html with a big campaign: 10,000 opportunities (synthetic, with real-length text)
written as the export writes it, then opened in headless Chromium (Debian's, via Playwright):
the file's size, the time until the table is usable, and the time one sort and one filter
take in the page. Prints JSON; benchmarks/run.py merges it into results.json."""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from prospector.export import DEAD_LINK_COLUMNS, EMAIL_COLUMNS, OPPORTUNITY_COLUMNS, PROSPECT_COLUMNS  # noqa: E402
from prospector.report import write_report  # noqa: E402

WORDS = ["analytics", "consent", "banner", "cookie", "tracking", "funnel", "retention", "cohort", "churn",
         "attribution", "campaign", "search", "traffic", "dashboard", "privacy", "server", "speed", "conversion",
         "landing", "newsletter", "podcast", "migration"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def frames(n: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    prospects = [f"https://blog{i}.example.com/" for i in range(400)]
    rows = []
    for i in range(n):
        verdict = rng.choice(["dead"] * 4 + ["likely_dead"])
        suggested = rng.random() < 0.6
        rows.append({c: "" for c in OPPORTUNITY_COLUMNS} | {
            "prospect": rng.choice(prospects), "page_url": f"https://blog{i % 400}.example.com/post-{i}",
            "page_title": sentence(rng, 7), "anchor_text": sentence(rng, 4), "context": sentence(rng, 28),
            "placement": rng.choice(["content", "content", "sidebar", "footer"]),
            "rel": rng.choice(["", "", "nofollow"]),
            "dead_url": f"https://gone{i}.example.org/{'-'.join(rng.sample(WORDS, 4))}", "verdict": verdict,
            "reason": "404 Not Found" if verdict == "dead" else "soft 404: answers 200 but title says not found",
            "suggested_url": f"https://me.example.com/{rng.choice(WORDS)}" if suggested else "",
            "suggested_title": sentence(rng, 6) if suggested else "",
            "score": round(rng.random(), 3) if suggested else None,
            "confidence": round(rng.random(), 2), "match_reason": sentence(rng, 12), "priority": rng.randint(20, 95)})
    opportunities = pd.DataFrame(rows).sort_values("priority", ascending=False, kind="stable")
    dead = pd.DataFrame([{c: "" for c in DEAD_LINK_COLUMNS} | {"dead_url": r["dead_url"], "verdict": r["verdict"],
                                                               "referring_pages": 1, "referring_domains": 1}
                         for r in rows[:2000]])
    people = pd.DataFrame([{c: "" for c in PROSPECT_COLUMNS} | {"prospect": p, "name": p, "dead": 25, "likely_dead": 5}
                           for p in prospects])
    emails = pd.DataFrame([{c: "" for c in EMAIL_COLUMNS} | {"kind": "first", "to_email": f"editor@blog{i}.example.com",
                                                             "subject": sentence(rng, 6), "body": sentence(rng, 120)}
                           for i in range(400)])
    return {"opportunities": opportunities, "dead_links": dead, "prospects": people, "emails": emails}


def measure(n: int = 10_000) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return {"skipped": "no chromium"}
    counts = {k: n for k in ("prospects", "pages", "occurrences", "checked", "dead", "likely_dead", "alive", "blocked",
                             "unknown", "matched", "drafts")}
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        report = write_report(frames(n), counts, Path(work) / "report.html")
        written = time.perf_counter() - started
        size_mib = round(report.stat().st_size / 2**20, 1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            runs = []
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                t0 = time.perf_counter()
                page.goto(report.as_uri())
                page.wait_for_function("document.documentElement.dataset.ready !== undefined")
                opened = time.perf_counter() - t0
                sort_ms = page.evaluate("""() => {
                    const b = document.querySelector('#opp-table th[data-sort=prospect] button');
                    const t = performance.now(); b.click(); return performance.now() - t; }""")
                filter_ms = page.evaluate("""() => {
                    const s = document.querySelector('#f-verdict'); s.value = 'likely_dead';
                    const t = performance.now(); s.dispatchEvent(new Event('change'));
                    return performance.now() - t; }""")
                runs.append({"open_s": opened, "ready_ms": int(page.evaluate("document.documentElement.dataset.ready")),
                             "sort_ms": sort_ms, "filter_ms": filter_ms,
                             "shown": page.inner_text("#shown")})
                page.close()
            version = browser.version
            browser.close()
    best = min(runs, key=lambda r: r["open_s"])
    return {"opportunities": n, "size_mib": size_mib, "write_s": round(written, 2), "chromium": version,
            "open_s": round(best["open_s"], 2), "ready_ms": best["ready_ms"],
            "sort_ms": round(max(r["sort_ms"] for r in runs)), "filter_ms": round(max(r["filter_ms"] for r in runs)),
            "shown_after_filter": best["shown"], "runs": len(runs)}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)))
