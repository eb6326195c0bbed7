"""Resource pages over the fake web: every crawled page gets a resource score (in prospects.csv,
opportunities.csv and the priority), and the pages prospects link to on other sites that look
like resource pages — read from what the check already fetched, nothing crawled — are listed in
suggested_prospects.csv, one row per site, never a prospect's or your own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import network_args, prospector

from prospector.fakeweb import PORT, FakeWeb, Resource, Site, WebSpec, missing, page

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py


def link_list(title: str, hosts: list[str]) -> Resource:
    items = "".join(f'<li><a href="http://{host}:{PORT}/">{host}</a>: worth a visit.</li>' for host in hosts)
    return page(title, f"<main><h1>{title}</h1><p>Our picks.</p><ul>{items}</ul></main>")


TOOLS = [f"tool-{n}.com" for n in range(12)]
ESSAY = "<main><p>" + " ".join(["A long essay about writing well."] * 60) + \
    f' See <a href="http://elsewhere.com:{PORT}/">this</a>.</p></main>'
POST = (f'<main><p>Start with <a href="http://toolbox.org:{PORT}/useful-resources/">these resources</a>, then read '
        f'<a href="http://writer.com:{PORT}/essay/">this essay</a>. Our friends keep '
        f'<a href="http://blog-two.com:{PORT}/links/">a list</a>, and so do '
        f'<a href="http://mine.com:{PORT}/resources/">we</a>. The old '
        f'<a href="http://gone-tools.com:{PORT}/list">tool list</a> is gone.</p></main>')


def web_spec() -> WebSpec:
    return WebSpec(sites=[
        Site("blog-one.com", {"/": page("Blog one", '<p><a href="/post/">Post</a> '
                                                    '<a href="mailto:ed@blog-one.com">Ed</a></p>'),
                              "/post/": page("How I write", POST)}),
        Site("blog-two.com", {"/": page("Blog two", '<p><a href="/links/">Links</a></p>'),
                              "/links/": link_list("Links we like", TOOLS)}),
        Site("toolbox.org", {"/useful-resources/": link_list("Useful resources", TOOLS)}),
        Site("writer.com", {"/essay/": page("An essay", ESSAY)}),
        Site("mine.com", {"/resources/": link_list("Resources", TOOLS),
                          "/tool-list/": page("The writing tool list", "<p>Tools for writers, listed.</p>")}),
        Site("gone-tools.com", {"/list": missing()}),
        *[Site(host, {"/": page(host, "<p>A tool.</p>")}) for host in [*TOOLS, "elsewhere.com"]],
    ])


def test_resource_pages_are_scored_and_the_ones_linked_suggested(tmp_path: Path) -> None:
    with FakeWeb(web_spec()) as web:
        prospects = tmp_path / "prospects.txt"
        prospects.write_text(f"{web.url('blog-one.com')}\n{web.url('blog-two.com')}\n", encoding="utf-8")
        pages = tmp_path / "pages.csv"
        pages.write_text(f"url\n{web.url('mine.com', '/resources/')}\n{web.url('mine.com', '/tool-list/')}\n",
                         encoding="utf-8")
        out = tmp_path / "out"
        run = prospector("run", "--prospects", str(prospects), "--pages", str(pages), "--lexical", "--no-wayback",
                         "--include-unmatched", "--sender-name", "Sam Lee", "--sender-email", "sam@mine.com",
                         "--out", str(out), *network_args(web, tmp_path / "store.sqlite"), timeout=180)
        assert run.returncode == 0, run.stderr
        port = web.port

    suggested = pd.read_csv(out / "suggested_prospects.csv", encoding="utf-8-sig")
    assert suggested.values.tolist() == [[
        "toolbox.org", f"http://toolbox.org:{port}/useful-resources/", 0.98,
        "12 links to other sites, 12 of them in lists; 18.8 per 100 words; resource words in its title or address",
        1, "blog-one.com"]]
    listed = pd.read_csv(out / "prospects.csv", encoding="utf-8-sig")
    assert listed[["prospect", "resource_score"]].values.tolist() == [
        [f"http://blog-one.com:{port}/", 0.21], [f"http://blog-two.com:{port}/", 0.98]]
    opportunities = pd.read_csv(out / "opportunities.csv", encoding="utf-8-sig")
    # a short post dense with links: not a resource page, but not nothing either
    assert opportunities[["page_url", "resource_score", "priority"]].values.tolist() == [
        [f"http://blog-one.com:{port}/post/", 0.21, 74]]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<select id="f-page_kind" data-field="page_kind">' in report
