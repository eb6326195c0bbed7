"""The bundled demo web: a few analytics and privacy blogs whose outbound links meet every fate
the checker knows (dead, moved, gone to a home page, blocked to robots, slow, soft 404)."""

from __future__ import annotations

import json
from pathlib import Path

from prospector.fakeweb.spec import PORT, Resource, Site, WebSpec, missing, page, redirect

OWN_SITE_HOST = "tallyfield.com"
OWN_SITE_DATA = Path(__file__).parent / "demo_data" / "own_site.json"

SHELL = """<header class="site-header"><a href="/">{name}</a></header>
<nav><a href="/">Home</a> <a href="/blog/">Blog</a> <a href="/about/">About</a> <a href="/contact/">Contact</a></nav>
<main><article>{article}</article></main>
<aside class="sidebar"><div class="widget"><h3>Tools we like</h3>{sidebar}</div></aside>
<footer><p>&copy; 2026 {name}. Hosted by <a href="http://{host_link}:{port}/">{host_name}</a>.</p></footer>"""


def _post(name: str, title: str, author: str, paragraphs: list[str], sidebar: str = "",
          host_link: str = "statichost.com", host_name: str = "StaticHost") -> Resource:
    article = f'<h1>{title}</h1><p class="byline">By {author}</p>' + "".join(f"<p>{p}</p>" for p in paragraphs)
    body = SHELL.format(name=name, article=article, sidebar=sidebar, host_link=host_link,
                        host_name=host_name, port=PORT)
    return page(f"{title} | {name}", body, head=f'<meta name="author" content="{author}">')


def _l(host: str, path: str, text: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="http://{host}:{PORT}{path}"{rel_attr}>{text}</a>'


def demo_web() -> WebSpec:
    sites = [
        Site("measuredmarketing.com", {
            "/": _post("Measured Marketing", "Welcome", "Priya Shah", [
                "Practical notes on web analytics for small teams. Start with the "
                '<a href="/blog/privacy-first-analytics/">privacy-first analytics guide</a>.']),
            "/blog/": _post("Measured Marketing", "Blog", "Priya Shah", [
                '<a href="/blog/privacy-first-analytics/">Privacy-first analytics</a>',
                '<a href="/blog/utm-tagging/">UTM tagging that survives your CMS</a>']),
            "/blog/privacy-first-analytics/": _post("Measured Marketing", "Privacy-first analytics in 2026", "Priya Shah", [
                f"Cookie banners cost you data. The {_l('cookiestudy.org', '/2021/consent-rates', 'consent rate study')} "
                "found that fewer than half of visitors accept tracking.",
                f"Server-side tagging helps; the {_l('tagserver.io', '/docs/server-side-setup', 'server-side setup docs')} "
                "walk through it step by step.",
                f"For a checklist, see {_l('auditkit.com', '/resources/gdpr-analytics-checklist', 'this GDPR analytics checklist')}.",
            ], sidebar=_l("linkedin.com", "/in/priya-shah-analytics", "Priya on LinkedIn")),
            "/blog/utm-tagging/": _post("Measured Marketing", "UTM tagging that survives your CMS", "Priya Shah", [
                f"Use one naming scheme. The {_l('campaignbuilder.net', '/utm-builder', 'UTM builder')} keeps it consistent.",
                f"We also liked {_l('growthnotes.com', '/2019/utm-naming-conventions', 'these UTM naming conventions')}.",
            ]),
            "/about/": _post("Measured Marketing", "About", "Priya Shah", ["Written by Priya Shah, an analyst."]),
            "/contact/": _post("Measured Marketing", "Contact", "Priya Shah", [
                'Email <a href="mailto:priya@measuredmarketing.com">Priya</a> with ideas or corrections.']),
        }, robots="User-agent: *\nDisallow: /wp-admin/\n"),
        Site("privacyweekly.org", {
            "/": _post("Privacy Weekly", "Privacy Weekly", "Tom Becker", [
                '<a href="/issues/cookieless-tracking/">Cookieless tracking explained</a>']),
            "/issues/cookieless-tracking/": _post("Privacy Weekly", "Cookieless tracking explained", "Tom Becker", [
                f"Fingerprinting is not the answer; {_l('fingerprint-facts.com', '/', 'this explainer')} shows why.",
                f"The {_l('eff-like.org', '/tools/tracker-test', 'tracker test')} lets readers see what leaks.",
                f"A good primer on {_l('analyticsacademy.com', '/courses/consent-mode', 'consent mode')} is free.",
            ], sidebar=_l("newsletterhub.com", "/privacy-weekly", "Subscribe", rel="sponsored")),
            "/contact/": _post("Privacy Weekly", "Contact", "Tom Becker", [
                'Tips: <a href="mailto:tips@privacyweekly.org">tips@privacyweekly.org</a>']),
        }),
        # Where the links go.
        Site("cookiestudy.org", {"/2021/consent-rates": missing(404)}),
        Site("tagserver.io", {"/docs/server-side-setup": redirect(f"http://tagserver.io:{PORT}/docs/v2/setup"),
                              "/docs/v2/setup": missing(404)}),
        Site("auditkit.com", {"/resources/gdpr-analytics-checklist": page("Page not found | AuditKit", "<h1>Sorry</h1>")}),
        Site("linkedin.com", {"/in/priya-shah-analytics": Resource(status=999)}),
        Site("campaignbuilder.net", {"/utm-builder": page("UTM builder", "<h1>Build UTM links</h1>")}),
        Site("growthnotes.com", {"/2019/utm-naming-conventions": redirect(f"http://growthnotes.com:{PORT}/"),
                                 "/": page("Growth Notes", "<h1>Growth Notes</h1>")}),
        Site("eff-like.org", {"/tools/tracker-test": Resource(body="<title>Tracker test</title>", head_status=405)}),
        Site("analyticsacademy.com", {"/courses/consent-mode": Resource(status=403, block_robots=True,
                                                                          body="<title>Consent mode</title>")}),
        Site("newsletterhub.com", {"/privacy-weekly": page("Privacy Weekly newsletter", "<h1>Subscribe</h1>")}),
        Site("statichost.com", {"/": page("StaticHost", "<h1>Hosting</h1>")}),
    ]
    # fingerprint-facts.com is not in the DNS at all: NXDOMAIN.
    return WebSpec(sites=[*sites, own_site(json.loads(OWN_SITE_DATA.read_text(encoding="utf-8")))])


def own_page(p: dict[str, str], site_name: str = "Tallyfield") -> Resource:
    """A page of the marketer's own site from {url, title, description, headings, text}."""
    headings = "".join(f"<h2>{h}</h2>" for h in p["headings"].split("\n") if h)
    return page(f"{p['title']} | {site_name}",
                '<nav><a href="/">Home</a> <a href="/blog/">Blog</a> <a href="/pricing">Pricing</a></nav>'
                f"<main><h1>{p['title']}</h1>{headings}<p>{p['text']}</p></main>"
                f"<footer>{site_name}, privacy-first analytics.</footer>",
                head=f'<meta name="description" content="{p["description"]}">')


def sitemap(urls: list[tuple[str, str]]) -> str:
    """A urlset of (loc, lastmod)."""
    entries = "".join(f"<url><loc>{u}</loc><lastmod>{m}</lastmod></url>" for u, m in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def own_site(pages: list[dict[str, str]], host: str = OWN_SITE_HOST) -> Site:
    """The marketer's site: its pages, a sitemap, and robots.txt pointing at it."""
    base = f"http://{host}:{PORT}"
    resources = {p["url"]: own_page(p) for p in pages}
    resources["/sitemap.xml"] = Resource(body=sitemap([(base + p["url"], "2026-01-15") for p in pages]),
                                         content_type="application/xml")
    return Site(host, resources, robots=f"User-agent: *\nSitemap: {base}/sitemap.xml\n")


DEMO_PROSPECTS = ("measuredmarketing.com", "privacyweekly.org")
