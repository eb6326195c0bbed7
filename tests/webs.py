"""The fake webs the tests crawl: every behaviour an acceptance test names, with known truth."""

from __future__ import annotations

import gzip
import random
import string

from prospector.fakeweb import PORT, Resource, Site, WebSpec, missing, page, redirect

# Outbound links of the verdict blog: (host, path, expected verdict, anchor).
VERDICT_CASES = {
    "404": ("gone.com", "/guide-to-metrics", "dead"),
    "410": ("gone.com", "/retired-report", "dead"),
    "301_to_404": ("moved.com", "/old-post", "dead"),
    "nxdomain": ("no-such-site.com", "/tools", "dead"),
    "no_address": ("noaddress.org", "/page", "dead"),
    "refused": ("refused.com", "/api-docs", "likely_dead"),
    "deep_to_home": ("moved.com", "/2019/analytics-checklist", "likely_dead"),
    "soft_404": ("soft.com", "/resources/cookie-audit", "likely_dead"),
    "200": ("alive.com", "/guide", "alive"),
    "301_to_200": ("alive.com", "/old-guide", "alive"),
    "head_405": ("headless.com", "/article", "alive"),
    "head_403": ("headless.com", "/post", "alive"),
    "403_always": ("fortress.com", "/members", "blocked"),
    "999": ("social.com", "/in/jane-doe", "blocked"),
    "bot_403": ("cloudwall.com", "/pricing", "blocked"),
    "429_then_200": ("busy.com", "/popular", "alive"),
    "503_once": ("flaky.com", "/status", "alive"),
    "500_always": ("broken.com", "/checkout", "unknown"),
    "servfail": ("servfail.net", "/", "unknown"),
    "dns_timeout": ("dns-timeout.net", "/", "unknown"),
    "http_timeout": ("slow.com", "/report", "unknown"),
    "big_gzip_page": ("bigpages.com", "/long-read", "alive"),
    "big_gzip_soft_404": ("bigpages.com", "/gone-read", "likely_dead"),
}


def case_url(port: int, case: str) -> str:
    host, path, _ = VERDICT_CASES[case]
    return f"http://{host}:{port}{path}"


def _big_gzipped(title: str) -> Resource:
    """~300 KB compressed: far more than a check reads (it stops after 64 KiB)."""
    rng = random.Random(title)
    text = "".join(rng.choice(string.ascii_letters + " ") for _ in range(400_000))
    html = f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>"
    return Resource(body=gzip.compress(html.encode()), headers={"Content-Encoding": "gzip"})


def verdict_sites() -> list[Site]:
    links = "".join(
        f'<p>Case {name}: see <a href="http://{host}:{PORT}{path}">{name} link</a> for details.</p>'
        for name, (host, path, _) in VERDICT_CASES.items()
    )
    html_ok = lambda title: page(title, f"<h1>{title}</h1><p>Real content about {title}.</p>")  # noqa: E731
    return [
        Site("verdicts-blog.com", {"/": page("Link roundup", f"<main>{links}</main>")}),
        Site("gone.com", {"/guide-to-metrics": missing(404), "/retired-report": missing(410)}),
        Site("moved.com", {
            "/old-post": redirect(f"http://moved.com:{PORT}/new-post"),
            "/new-post": missing(404),
            "/2019/analytics-checklist": redirect(f"http://moved.com:{PORT}/"),
            "/": html_ok("Moved Inc"),
        }),
        Site("refused.com", ip="127.0.0.3"),  # nothing listens there
        Site("soft.com", {"/resources/cookie-audit": page("Page not found - Soft Co", "<h1>Sorry!</h1>")}),
        Site("alive.com", {"/guide": html_ok("The guide"), "/old-guide": redirect(f"http://alive.com:{PORT}/guide")}),
        Site("headless.com", {
            "/article": Resource(body="<title>Article</title>ok", head_status=405),
            "/post": Resource(body="<title>Post</title>ok", head_status=403),
        }),
        Site("fortress.com", {"/members": Resource(status=403, body="<title>Forbidden</title>")}),
        Site("social.com", {"/in/jane-doe": Resource(status=999, body="")}),
        Site("cloudwall.com", {"/pricing": Resource(body="<title>Pricing</title>", block_robots=True)}),
        Site("busy.com", {"/popular": Resource(statuses=(429,), body="<title>Popular</title>",
                                               headers={"Retry-After": "1"})}),
        Site("flaky.com", {"/status": Resource(statuses=(503,), body="<title>Status</title>")}),
        Site("broken.com", {"/checkout": Resource(status=500, body="<title>Error</title>")}),
        Site("slow.com", {"/report": Resource(body="<title>Report</title>", delay=4.0)}),
        Site("bigpages.com", {"/long-read": _big_gzipped("A very long read"),
                              "/gone-read": _big_gzipped("Page not found")}),
    ]


def crawl_sites() -> list[Site]:
    """Prospects for the crawl tests: scope, limits, robots, placement, bad pages."""
    p = PORT
    nav = f'<nav><a href="/">Home</a> <a href="/about">About</a> <a href="http://partner-nav.com:{p}/">Partner</a></nav>'
    scoped_home = page("Scope home", f"""{nav}
        <main><article><p>Our <a href="http://www.scope-blog.co.uk:{p}/sub">sister subdomain</a> and
        <a href="http://elsewhere.co.uk:{p}/a">another .co.uk site</a> and
        <a href="http://scope-blog.com:{p}/b">the .com namesake</a>.</p>
        <p><a href="/private/secret">Members area</a> <a href="/files/report">Report</a>
        <a href="/huge">Huge page</a> <a href="/broken">Broken internal</a></p></article></main>""",
        head='<meta name="author" content="Ada Lovelace">')
    limits_pages = {"/": page("Limits home", "".join(f'<a href="/p{i}">Page {i}</a> ' for i in range(1, 9)))}
    for i in range(1, 9):
        limits_pages[f"/p{i}"] = page(f"Page {i}",
                                      f'<p>Page {i} links <a href="http://out{i}.com:{p}/">out {i}</a>.</p>')
    depth_pages = {
        "/": page("Depth 0", f'<a href="/d1">next</a> <a href="http://depth0-out.com:{p}/">out</a>'),
        "/d1": page("Depth 1", f'<a href="/d2">next</a> <a href="http://depth1-out.com:{p}/">out</a>'),
        "/d2": page("Depth 2", f'<a href="/d3">next</a> <a href="http://depth2-out.com:{p}/">out</a>'),
        "/d3": page("Depth 3", f'<a href="http://depth3-out.com:{p}/">out</a>'),
    }
    return [
        Site("scope-blog.co.uk", {
            "/": scoped_home,
            "/about": page("About", '<p>Write to <a href="mailto:editor@scope-blog.co.uk">the editor</a>.</p>'),
            "/private/secret": page("Secret", f'<a href="http://secret-out.com:{p}/">secret</a>'),
            "/files/report": Resource(body=b"%PDF-1.4 not html", content_type="application/pdf"),
            "/huge": Resource(body="<title>Huge</title>", size=3 * 1024 * 1024),
            "/broken": missing(404),
        }, robots="User-agent: *\nDisallow: /private/\n"),
        Site("www.scope-blog.co.uk", {"/sub": page("Subdomain page",
                                                   f'<a href="http://sub-out.com:{p}/">sub out</a>')}),
        Site("limits-blog.com", limits_pages),
        Site("depth-blog.com", depth_pages),
    ]


def placement_html(port: int) -> str:
    """A page with a link in every placement, and every rel token."""
    o = lambda name: f"http://{name}.com:{port}/"  # noqa: E731
    return f"""<!doctype html><html><head><title>Placement test</title></head><body>
    <header><a href="{o('in-header')}">Header link</a></header>
    <nav><a href="{o('in-nav')}">Nav link</a></nav>
    <div id="main"><article>
      <header><h1>Post</h1></header>
      <p>Start. Read the <a href="{o('in-content')}">content link</a> carefully. End here.</p>
      <p><a href="{o('nofollow')}" rel="nofollow noopener">nf</a>
         <a href="{o('sponsored')}" rel="sponsored">sp</a>
         <a href="{o('ugc')}" rel="UGC nofollow">ugc</a></p>
      <p><a href="{o('image')}"><img src="x.png" alt="Logo of Image Co"></a></p>
      <section class="comments-area"><ol class="comment-list"><li>
        <a href="{o('in-comments')}" rel="ugc">commenter site</a></li></ol></section>
    </article></div>
    <div class="sidebar"><div class="widget"><a href="{o('in-widget')}">Widget link</a></div></div>
    <aside><a href="{o('in-aside')}">Aside link</a></aside>
    <div role="navigation"><a href="{o('in-role-nav')}">Role nav</a></div>
    <footer><a href="{o('in-footer')}">Footer link</a></footer>
    <div class="site-footer"><a href="{o('in-footer-class')}">Footer class</a></div>
    </body></html>"""


def main_web() -> WebSpec:
    return WebSpec(
        sites=verdict_sites() + crawl_sites(),
        servfail={"servfail.net"},
        dns_timeout={"dns-timeout.net"},
        no_address={"noaddress.org"},
    )


# --- the user's own site, for the match stage ---------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from prospector.fakeweb.demo import own_page  # noqa: E402
from prospector.fakeweb.demo import sitemap as urlset  # noqa: E402

DATA = Path(__file__).parent / "data"
OWN_HOST = "tallyfield.com"


def own_site_pages() -> list[dict]:
    return json.loads((DATA / "own_site.json").read_text(encoding="utf-8"))


def own_site() -> list[Site]:
    """tallyfield.com: robots.txt -> sitemap index -> a plain, a gzipped, a malformed and a
    missing child sitemap; a foreign-host URL and a duplicate to drop."""
    base = f"http://{OWN_HOST}:{PORT}"
    pages = own_site_pages()
    blog = [p for p in pages if p["url"].startswith("/blog/")]
    rest = [p for p in pages if not p["url"].startswith("/blog/")]
    blog_map = urlset([(base + p["url"], "2026-01-10") for p in blog]
                      + [(f"http://elsewhere-cdn.com:{PORT}/blog/copied", "2026-01-10"), (base + blog[0]["url"],
                                                                                          "2026-01-10")])
    rest_map = urlset([(base + p["url"], "2026-02-01") for p in rest])
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<sitemap><loc>{base}{path}</loc></sitemap>" for path in
                       ("/sitemap-blog.xml", "/sitemap-rest.xml.gz", "/sitemap-broken.xml", "/sitemap-missing.xml"))
             + f"<sitemap><loc>http://elsewhere-cdn.com:{PORT}/sitemap.xml</loc></sitemap></sitemapindex>")
    resources = {p["url"]: own_page(p) for p in pages}
    resources.update({
        "/sitemap_index.xml": Resource(body=index, content_type="application/xml"),
        "/sitemap-blog.xml": Resource(body=blog_map, content_type="application/xml"),
        "/sitemap-rest.xml.gz": Resource(body=rest_map, content_type="application/gzip", gzip=True),
        "/sitemap-broken.xml": Resource(body=urlset([(base + "/extra", "2026-01-01")])[:-30],
                                        content_type="application/xml"),
    })
    return [Site(OWN_HOST, resources, robots=f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap_index.xml\n"),
            Site("elsewhere-cdn.com", {"/sitemap.xml": Resource(body=urlset([]), content_type="application/xml")})]


# Dead links on a prospect blog, and the own page each should be matched to ("" = none).
MATCH_LINKS = [
    ("utm", "UTM parameters guide",
     "If you are new to campaign tagging, this UTM parameters guide explains each field.",
     "/blog/utm-parameters-guide"),
    ("consent", "consent banner design", "Good consent banner design gives accept and reject the same weight.",
     "/blog/cookie-consent-banner-design"),
    ("session", "what is a session", "If you wonder what is a session in analytics, it is a group of interactions.",
     "/glossary/session"),
    ("crm", "CRM comparison", "We published a CRM comparison for small sales teams.", ""),
]


def match_prospect() -> Site:
    links = "".join(
        "<p>" + context.replace(anchor, f'<a href="http://gone-{key}.com:{PORT}/{key}-article">{anchor}</a>') + "</p>"
        for key, anchor, context, _ in MATCH_LINKS)
    return Site("match-blog.com", {"/": page("Marketing reading list", f"<main>{links}</main>")})


# --- outreach: prospects whose dead links must (or must not) end up in emails ---------------

def outreach_sites() -> list[Site]:
    p = PORT
    blog_a = page("Analytics reading list | Blog A", f"""<main><article>
        <p>Start with the <a href="http://gone-utm.com:{p}/utm-guide">UTM parameters guide</a> for tagging.</p>
        <p>Read up on <a href="http://oldsite.com:{p}/consent-banners">consent banner design</a> before launch.</p>
        <p>The <a href="http://alive.com:{p}/guide">live guide</a>, the <a href="http://fortress.com:{p}/members">members
        area</a> and <a href="http://broken.com:{p}/checkout">the shop</a> are fine or unknown.</p>
        <p>Write to <a href="mailto:editor@blog-a.com">Dana</a>.</p></article></main>""",
        head='<meta name="author" content="Dana Fox">')
    tools = page('=HYPERLINK("http://x","y")', f"""<main><p>Wondering
        <a href="http://gone-session.com:{p}/sessions">what is a session</a>, "Über" café 中文 🎉?</p></main>""")
    return [
        Site("blog-a.com", {"/": page("Blog A", '<a href="/reading">Reading</a> <a href="/tools">Tools</a>'),
                            "/reading": blog_a, "/tools": tools}),
        Site("blog-b.org", {"/": page("Speed notes", f"""<main><p>Monitor
            <a href="http://gone-cwv.com:{p}/core-web-vitals">Core Web Vitals</a> with field data.</p>
            <p><a href="mailto:editor@blog-a.com">Dana</a> edits this blog too.</p></main>""")}),
        Site("blog-c.net", {"/": page("Do not contact", f"""<main><p>See
            <a href="http://gone-retention.com:{p}/cohorts">cohort analysis</a> for retention.</p>
            <a href="mailto:owner@blog-c.net">Owner</a></main>""")}),
        Site("blog-d.com", {"/": page("Sales", f"""<main><p>Our
            <a href="http://gone-crm.com:{p}/crm-comparison">CRM comparison</a> for small sales teams.</p>
            <a href="mailto:sales@blog-d.com">Sales</a></main>""")}),
        Site("oldsite.com", {}),
        Site("alive.com", {"/guide": page("Guide", "ok")}),
        Site("fortress.com", {"/members": Resource(status=403)}),
        Site("broken.com", {"/checkout": Resource(status=500)}),
    ]
