"""What the archived copy of a dead page does for the matcher, measured on match-dev's opaque
cases (a vague anchor, a URL such as /?p=1832): a prospect blog links each with its real
anchor and context, a fake Internet Archive holds a copy of each dead page (title and
description, `archived.csv` beside `cases.csv`), and the whole path runs through the CLI:
crawl, check, match, then archive and match again."""

from __future__ import annotations

import csv
import html
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from prospector.fakeweb import FakeWeb, Site, WebSpec, page
from prospector.fakeweb.archive import ARCHIVE_HOST, Capture, FakeArchive
from prospector.testing.evaluate import MATCH_DEV_HOST, static_site_spec

READER_HOST = "notes-reader.com"


def load_archived_cases(folder: Path) -> list[dict[str, str]]:
    """The cases of `archived.csv`, each with its row of `cases.csv`."""
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as f:
        cases = {row["case_id"]: row for row in csv.DictReader(f)}
    with (folder / "archived.csv").open(encoding="utf-8", newline="") as f:
        return [{**cases[row["case_id"]], **row} for row in csv.DictReader(f)]


def reader_blog(cases: list[dict[str, str]]) -> Site:
    """One post per case, titled as the case's linking page, its context with the anchor linked."""
    pages = {"/": page("Reading notes", "".join(f'<a href="/{c["case_id"]}">{html.escape(c["page_title"])}</a>'
                                                 for c in cases))}
    for c in cases:
        context, anchor = html.escape(c["context"]), html.escape(c["anchor"])
        link = f'<a href="{html.escape(c["dead_url"])}">{anchor}</a>'
        text = context.replace(anchor, link, 1) if anchor in context else f"{context} ({link})"
        pages[f"/{c['case_id']}"] = page(html.escape(c["page_title"]), f"<main><article><p>{text}</p></article></main>")
    return Site(READER_HOST, pages)


def archive_of(cases: list[dict[str, str]]) -> FakeArchive:
    return FakeArchive(captures={c["dead_url"]: [Capture(
        "20220301101010", c["archived_title"], f"<main><p>{html.escape(c['archived_description'])}</p></main>",
        c["archived_description"])] for c in cases})


def first_is_right(db: Path, cases: list[dict[str, str]], base: str) -> list[bool]:
    """Per case: the first suggestion is an expected page, or nothing fits and none was expected."""
    with sqlite3.connect(db) as conn:
        first = dict(conn.execute("SELECT dead_url, own_url FROM suggestions WHERE rank = 1").fetchall())
    right = []
    for c in cases:
        expected = {base + p for p in [c["expected_path"], *c["also_ok"].split(";")] if p} \
            if c["expected_path"] else set()
        got = first.get(c["dead_url"])
        right.append(got in expected if expected else got is None)
    return right


def measure(folder: Path, work: Path, matching: str = "--lexical", fast: tuple[str, ...] = ()) -> dict[str, Any]:
    """Top-1 on the archived cases without and with the archive stage. `fast`: extra network
    options (short timeouts for tests)."""
    cases = load_archived_cases(folder)
    spec = static_site_spec(folder / "site")
    db = work / "store.sqlite"

    def prospector(*args: str) -> None:
        run = subprocess.run([sys.executable, "-m", "prospector", *args], capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            raise RuntimeError(f"prospector {args[0]} failed: {run.stderr.strip()[-500:]}")

    with FakeWeb(WebSpec([*spec.sites, reader_blog(cases), archive_of(cases)])) as web:
        net = ["--db", str(db), "--nameserver", web.nameserver, "--allow-private-networks", *fast]
        prospects = work / "prospects.txt"
        prospects.write_text(web.url(READER_HOST) + "\n", encoding="utf-8")
        base = web.url(MATCH_DEV_HOST).rstrip("/")
        prospector("crawl", "--prospects", str(prospects), "--max-pages", str(len(cases) + 5), *net)
        prospector("check", *net)
        prospector("match", matching, "--sitemap", web.url(MATCH_DEV_HOST), *net)
        without = first_is_right(db, cases, base)
        prospector("archive", "--wayback-endpoint", web.url(ARCHIVE_HOST).rstrip("/"), "--wayback-rate", "600", *net)
        with sqlite3.connect(db) as conn:
            captured = conn.execute("SELECT COUNT(*) FROM archive WHERE outcome = 'captured'").fetchone()[0]
        prospector("match", matching, *net)
        with_archive = first_is_right(db, cases, base)
    return {"cases": len(cases), "nothing_fits_cases": sum(not c["expected_path"] for c in cases),
            "captured": captured, "top1_without": sum(without), "top1_with": sum(with_archive),
            "per_case": {c["case_id"]: [a, b] for c, a, b in zip(cases, without, with_archive, strict=False)}}
