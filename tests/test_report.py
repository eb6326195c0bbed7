"""report.html in a real browser: Debian's Chromium, headless, driven by Playwright (no browser
download). The demo's report sorts and filters as a reader would; it makes no request but for
the file itself and logs no error; hostile titles and URLs stay text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from prospector.export import DEAD_LINK_COLUMNS, EMAIL_COLUMNS, OPPORTUNITY_COLUMNS, PROSPECT_COLUMNS
from prospector.report import write_report

DOCS = Path(__file__).resolve().parents[1] / "docs"
CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (make test installs Debian's chromium with apt-get; "
                             "it could not here)")


class Browser:
    """One page at a time, recording console errors and every request the page makes."""

    def __init__(self, browser: object):
        self.browser = browser

    def open(self, path: Path, width: int = 1366) -> tuple[object, list[str], list[str]]:
        page = self.browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        return page, errors, requests


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield Browser(launched)
        launched.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report_demo")
    run = subprocess.run([sys.executable, "-m", "prospector", "demo", "--out", str(out), "-q"], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def shown(page: object) -> list[list[str]]:
    """(priority, prospect, anchor) of each row the opportunities table shows."""
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#opp-table tbody tr",
        "rows => rows.map(r => [r.cells[0].textContent.trim(), r.cells[1].querySelector('a, span').textContent, "
        "r.cells[2].querySelector('b').textContent])")


def test_the_demo_report_sorts_and_filters_offline(browser: Browser, demo: Path) -> None:
    report = demo / "report.html"
    page, errors, requests = browser.open(report)
    frame = pd.read_csv(demo / "opportunities.csv", encoding="utf-8-sig", keep_default_na=False)
    assert page.inner_text("#shown") == f"{len(frame)} of {len(frame)} shown"
    if os.environ.get("PROSPECTOR_UPDATE_SCREENSHOT"):  # README's picture: PROSPECTOR_UPDATE_SCREENSHOT=1 make test
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "report.png"))

    page.click("#opp-table th[data-sort=priority] button")  # descending (the default) -> ascending
    ascending = [int(r[0]) for r in shown(page)]
    assert ascending == sorted(frame["priority"])[:len(ascending)]
    assert page.get_attribute("#opp-table th[data-sort=priority]", "aria-sort") == "ascending"
    page.focus("#opp-table th[data-sort=priority] button")
    page.keyboard.press("Enter")  # sorting works from the keyboard
    assert [int(r[0]) for r in shown(page)] == sorted(frame["priority"], reverse=True)[:len(ascending)]

    prospect = frame[frame["verdict"] == "likely_dead"]["prospect"].iloc[0]
    page.select_option("#f-verdict", "likely_dead")
    page.select_option("#f-prospect", prospect)
    wanted = frame[(frame["verdict"] == "likely_dead") & (frame["prospect"] == prospect)]
    assert shown(page) == [[str(r.priority), r.prospect, r.anchor_text] for r in wanted.itertuples()]
    assert page.inner_text("#shown") == f"{len(wanted)} of {len(frame)} shown"

    page.fill("#f-text", "no such words anywhere")
    assert shown(page) == [] and page.inner_text("#shown") == f"0 of {len(frame)} shown"
    assert errors == []
    assert requests == [report.as_uri()]


def test_drafts_have_a_mail_link_and_copy(browser: Browser, demo: Path) -> None:
    from urllib.parse import parse_qs, urlsplit

    context = browser.browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((demo / "report.html").as_uri())
    emails = pd.read_csv(demo / "emails.csv", encoding="utf-8-sig", keep_default_na=False)
    assert page.locator("article.draft").count() == len(emails)
    first, email = page.locator("article.draft").first, emails.iloc[0]
    href = urlsplit(first.locator("a.button").get_attribute("href"))
    assert (href.scheme, href.path) == ("mailto", email["to_email"])
    assert parse_qs(href.query) == {"subject": [email["subject"]], "body": [email["body"]]}
    first.locator("button.copy").click()
    page.wait_for_function("document.querySelector('article.draft button.copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == f"Subject: {email['subject']}\n\n{email['body']}"
    assert errors == []
    context.close()


def test_without_javascript_the_tables_are_there(browser: Browser, demo: Path) -> None:
    context = browser.browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((demo / "report.html").as_uri())
    rows = page.locator("#opp-table tbody tr").count()
    assert rows == len(pd.read_csv(demo / "opportunities.csv", encoding="utf-8-sig"))
    assert page.locator("#recreate tbody tr").count() > 0
    context.close()


HOSTILE = "<script>window.pwned = 1</script>"


def hostile_frames() -> dict[str, pd.DataFrame]:
    opportunity = {c: "" for c in OPPORTUNITY_COLUMNS} | {
        "prospect": "javascript:window.pwned=1", "page_url": "javascript:window.pwned=1", "page_title": HOSTILE,
        "author": "", "anchor_text": '<img src=x onerror="window.pwned=1">', "context": '=HYPERLINK("http://x","y")',
        "rel": "", "placement": "content", "dead_url": "http://gone.com/</script><script>window.pwned=1</script>",
        "verdict": "dead", "reason": "404 Not Found", "reason_code": "http_404", "status": 404,
        "suggested_url": "javascript:window.pwned=1", "suggested_title": HOSTILE, "score": 0.5, "confidence": 0.9,
        "match_reason": HOSTILE, "priority": 80, "archived_title": HOSTILE}
    dead = {c: "" for c in DEAD_LINK_COLUMNS} | {"dead_url": opportunity["dead_url"], "verdict": "dead",
                                                 "referring_pages": 1, "referring_domains": 1, "link_kind": "editorial",
                                                 "archived_url": "javascript:window.pwned=1", "archived_title": HOSTILE}
    email = {c: "" for c in EMAIL_COLUMNS} | {"kind": "first", "to_email": "a@b.com", "subject": HOSTILE,
                                              "body": HOSTILE, "contact_url": "javascript:window.pwned=1"}
    prospect = {c: "" for c in PROSPECT_COLUMNS} | {"prospect": "http://p.com/", "name": HOSTILE, "dead": 1,
                                                    "likely_dead": 0}
    return {"opportunities": pd.DataFrame([opportunity]), "dead_links": pd.DataFrame([dead]),
            "emails": pd.DataFrame([email]), "prospects": pd.DataFrame([prospect])}


def test_hostile_titles_and_urls_stay_text(browser: Browser, tmp_path: Path) -> None:
    counts = {k: 1 for k in ("prospects", "pages", "occurrences", "checked", "dead", "likely_dead", "alive",
                             "blocked", "unknown", "matched", "drafts")}
    report = write_report(hostile_frames(), counts, tmp_path / "report.html")
    page, errors, requests = browser.open(report)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.eval_on_selector_all("a[href^='javascript']", "links => links.length") == 0
    row = page.locator("#opp-table tbody tr").first
    assert HOSTILE in row.inner_text()
    assert '<img src=x onerror="window.pwned=1">' in row.inner_text()
    assert '=HYPERLINK("http://x","y")' in row.inner_text()
    assert HOSTILE in page.locator("article.draft pre").inner_text()
    assert errors == [] and requests == [report.as_uri()]


def test_the_report_reads_on_a_phone(browser: Browser, demo: Path) -> None:
    """At 400 px: nothing scrolls sideways, each opportunity is a card of labelled fields, the
    legend says what the numbers mean."""
    page, errors, _ = browser.open(demo / "report.html", width=400)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    first = page.locator("#opp-table tbody tr").first
    assert first.bounding_box()["width"] <= 400
    assert page.eval_on_selector("#opp-table tbody tr td:nth-child(4)", "td => td.dataset.label") == "Dead URL"
    page.click("#legend summary")
    assert "How to read this table" in page.inner_text("#legend")
    assert "Confidence (0–1) is how sure prospector is" in page.inner_text("#legend")
    assert page.get_attribute("#opp-table tbody tr .v", "title")
    assert errors == []


def test_the_filtered_rows_download_as_csv_and_the_view_is_in_the_address(browser: Browser, demo: Path) -> None:
    import io

    frame = pd.read_csv(demo / "opportunities.csv", encoding="utf-8-sig", keep_default_na=False)
    page, errors, requests = browser.open(demo / "report.html")
    page.select_option("#f-verdict", "likely_dead")
    assert page.evaluate("location.hash") == "#opportunities?verdict=likely_dead"
    with page.expect_download() as download:
        page.click("#download")
    saved = Path(download.value.path()).read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(saved), encoding="utf-8-sig", keep_default_na=False)
    wanted = frame[frame["verdict"] == "likely_dead"]
    assert sorted(rows["dead_url"]) == sorted(wanted["dead_url"]) and len(rows) == len(wanted)

    again, _, _ = browser.open(demo / "report.html")  # a reload, a bookmark, a link sent to a colleague
    again.goto((demo / "report.html").as_uri() + "#opportunities?verdict=likely_dead&sort=dead_url&dir=1")
    again.reload()
    assert again.input_value("#f-verdict") == "likely_dead"
    assert again.inner_text("#shown") == f"{len(wanted)} of {len(frame)} shown"
    urls = again.eval_on_selector_all("#opp-table tbody tr td:nth-child(4) .url",
                                      "spans => spans.map(s => s.textContent)")
    assert urls == sorted(wanted["dead_url"])
    assert errors == [] and all(r.startswith("file:") or r.startswith("blob:") for r in requests)
