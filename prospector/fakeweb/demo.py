"""The bundled demo web: eight blogs about web analytics and privacy, the sites they link to
(some long gone), and the marketer's own site, Tallyfield, with its sitemap.

Every outbound link has a known fate: dead (404, 410, a redirect to a 404, a domain that no
longer exists), likely dead (soft 404, a deep link sent to a home page, a refused
connection), alive (also behind a HEAD-hating server or a 429), blocked to robots (403, 999)
and unknown (a server error, a server too slow to answer).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from prospector.fakeweb.archive import Capture, FakeArchive
from prospector.fakeweb.spec import PORT, Resource, Site, WebSpec, missing, page, redirect

OWN_SITE_HOST = "tallyfield.com"
OWN_SITE_DATA = Path(__file__).parent / "demo_data" / "own_site.json"
DEMO_SENDER = ("Alex Moreno", "alex@tallyfield.com", "https://tallyfield.com")


def _ok(title: str, text: str) -> Resource:
    return page(title, f"<main><h1>{title}</h1><p>{text}</p></main>")


# key -> (host, path, what the server does). Hosts not listed under TARGETS do not resolve.
TARGETS: dict[str, tuple[str, str, Resource | None]] = {
    "consent-study": ("cookiestudy.org", "/2021/consent-rates", missing(404)),
    "sst-docs": ("tagserver.io", "/docs/server-side-setup", redirect(f"http://tagserver.io:{PORT}/docs/v2/setup")),
    "gdpr-checklist": ("auditkit.com", "/resources/gdpr-analytics-checklist",
                       page("Page not found | AuditKit", "<h1>Sorry, we couldn't find that page</h1>")),
    "utm-conventions": ("growthnotes.com", "/2019/utm-naming-conventions", redirect(f"http://growthnotes.com:{PORT}/")),
    "fingerprinting": ("fingerprint-facts.com", "/why-fingerprinting-fails", None),
    "priya-linkedin": ("linkedin.com", "/in/priya-shah-analytics", Resource(status=999)),
    "consent-mode-course": ("analyticsacademy.com", "/courses/consent-mode",
                            Resource(body="<title>Consent mode</title>", block_robots=True)),
    "utm-builder": ("campaignbuilder.net", "/utm-builder", _ok("UTM builder", "Build tagged links.")),
    "tracker-test": ("eff-like.org", "/tools/tracker-test",
                     Resource(body="<title>Tracker test</title><h1>Tracker test</h1>", head_status=405)),
    "newsletter": ("newsletterhub.com", "/privacy-weekly", _ok("Privacy Weekly on NewsletterHub", "Subscribe.")),
    "hosting": ("statichost.com", "/", _ok("StaticHost", "Fast static hosting.")),
    "slow-benchmark": ("slowstats.io", "/reports/analytics-benchmark",
                       Resource(body="<title>Benchmark</title>", delay=6.0)),
    "blocker-share": ("adblock-research.net", "/2020/blocker-share", missing(410)),
    "referrer-spam-list": ("referrerwatch.com", "/spam-domains", None),
    "cwv-field-data": ("cwv-guide.dev", "/field-data", missing(404)),
    "attribution": ("attribution-lab.com", "/models/compared",
                    redirect(f"http://attribution-lab.com:{PORT}/archive/models")),
    "retention-guidance": ("dataretention.eu", "/guidance/analytics", missing(404)),
    "ip-masking": ("ipmasking.org", "/how-it-works", None),
    "ccpa": ("ccpa-explained.com", "/ccpa-vs-gdpr", None),  # resolves, refuses connections
    "heatmap-study": ("heatmapstudy.com", "/recordings-vs-heatmaps", missing(404)),
    "tag-governance": ("tagmanagers.io", "/governance-checklist", missing(404)),
    "email-tracking": ("emailmetrics.co", "/tracking-guide", Resource(status=500, body="<title>Error</title>")),
    "privacy-tools": ("privacytools-list.org", "/analytics",
                      Resource(statuses=(429,), headers={"Retry-After": "1"},
                               body="<title>Privacy-friendly analytics tools</title>")),
    "first-party-playbook": ("firstpartydata.com", "/playbook", missing(404)),
    "banner-gallery": ("cookie-banner-gallery.com", "/examples", missing(404)),
    "k8s-monitoring": ("kubernetes-monitoring.io", "/guide", missing(404)),
    "sourdough": ("sourdough-academy.com", "/starter", missing(404)),
    "encyclopedia": ("open-encyclopedia.org", "/wiki/Web_analytics", _ok("Web analytics", "An encyclopedia entry.")),
    "cohorts": ("saasplaybook.com", "/retention-cohorts", missing(404)),
    "shop-setup": ("shoptools.net", "/ecommerce-analytics-setup", _ok("Ecommerce analytics setup", "A guide.")),
    "speed-study": ("perfstudies.com", "/speed-conversion-study",
                    redirect(f"http://perfstudies.com:{PORT}/speed-conversion-study-2024")),
    "dpa-template": ("legaltemplates.eu", "/dpa", _ok("DPA template", "A data processing agreement template.")),
}
EXTRA_PAGES = {  # redirect targets
    ("tagserver.io", "/docs/v2/setup"): missing(404),
    ("growthnotes.com", "/"): _ok("Growth Notes", "Notes on growth."),
    ("attribution-lab.com", "/archive/models"): missing(410),
    ("perfstudies.com", "/speed-conversion-study-2024"): _ok("Speed and conversions, 2024 update", "The study."),
}
REFUSING = {"ccpa-explained.com": "127.0.0.3"}  # an address where nothing listens
# key -> what the Internet Archive holds of the dead page (the demo's web.archive.org)
ARCHIVED: dict[str, Capture] = {
    "fingerprinting": Capture("20210412093000", "Why browser fingerprinting fails as a cookie replacement",
                              "<h1>Why fingerprinting fails</h1><p>Fingerprinting a browser to count visitors "
                              "without cookies is still tracking under the GDPR and ePrivacy rules, and browsers "
                              "randomise the signals it relies on. Cookieless analytics that counts without "
                              "identifying anyone is the lawful way to measure without a consent banner.</p>"),
    "blocker-share": Capture("20200905120000", "Ad blocker share report 2020",
                             "<h1>Ad blocker share 2020</h1><p>A quarter of desktop visitors block analytics "
                             "scripts. We measured how much of your traffic ad blockers hide from your reports "
                             "and which data goes missing.</p>"),
    "cohorts": Capture("20220117080000", "Retention cohorts for SaaS, explained",
                       "<h1>Retention cohorts</h1><p>Group customers by signup month and follow what share "
                       "still pays after one, three and twelve months.</p>"),
}


def a(key: str, text: str, rel: str = "") -> str:
    """A link to one of the TARGETS."""
    host, path, _ = TARGETS[key]
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="http://{host}:{PORT}{path}"{rel_attr}>{text}</a>'


@dataclass
class Post:
    slug: str
    title: str
    date: str
    paragraphs: list[str]
    comments: list[tuple[str, str]] = field(default_factory=list)  # (commenter, text with links)


@dataclass
class Blog:
    host: str
    name: str
    tagline: str
    author: str
    about: str
    contact: str  # HTML of the contact page's main text
    posts: list[Post]
    sidebar: str = ""
    footer: str = ""


def _shell(blog: Blog, title: str, main: str) -> Resource:
    nav = ('<nav class="main-menu"><a href="/">Home</a> <a href="/about/">About</a> '
           '<a href="/contact/">Contact</a></nav>')
    recent = "".join(f'<li><a href="/{p.slug}/">{p.title}</a></li>' for p in blog.posts)
    sidebar = (f'<aside class="sidebar"><div class="widget"><h3>Recent posts</h3><ul>{recent}</ul></div>'
               f'<div class="widget blogroll"><h3>Worth reading</h3>{blog.sidebar}</div></aside>')
    footer = f"<footer class=\"site-footer\"><p>&copy; 2026 {blog.name}. {blog.footer}</p></footer>"
    header = f'<header class="site-header"><a href="/">{blog.name}</a> <span>{blog.tagline}</span></header>'
    return page(f"{title} | {blog.name}", f"{header}{nav}<main>{main}</main>{sidebar}{footer}",
                head=f'<meta name="author" content="{blog.author}">')


def _post_page(blog: Blog, post: Post) -> Resource:
    comments = ""
    if post.comments:
        items = "".join(f'<li class="comment"><cite>{who}</cite> <p>{text}</p></li>' for who, text in post.comments)
        comments = (f'<section id="comments" class="comments-area"><h2>Comments</h2>'
                    f'<ol class="comment-list">{items}</ol></section>')
    body = "".join(f"<p>{p}</p>" for p in post.paragraphs)
    article = (f'<article><header><h1>{post.title}</h1><p class="byline">By {blog.author} · '
               f'<time datetime="{post.date}">{post.date}</time></p></header>{body}</article>{comments}')
    return _shell(blog, post.title, article)


def blog_site(blog: Blog) -> Site:
    listing = "".join(f'<h2><a href="/{p.slug}/">{p.title}</a></h2><p>{p.paragraphs[0][:160]}…</p>'
                      for p in blog.posts)
    pages = {
        "/": _shell(blog, blog.tagline, f"<h1>{blog.name}</h1>{listing}"),
        "/about/": _shell(blog, "About", f"<h1>About</h1><p>{blog.about}</p>"),
        "/contact/": _shell(blog, "Contact", f"<h1>Contact</h1>{blog.contact}"),
    }
    pages.update({f"/{p.slug}/": _post_page(blog, p) for p in blog.posts})
    return Site(blog.host, pages, robots="User-agent: *\nDisallow: /wp-admin/\n")


BLOGS = [
    Blog("measuredmarketing.com", "Measured Marketing", "Practical analytics for small teams", "Priya Shah",
         "Measured Marketing is written by Priya Shah, an analyst who spent eight years building reports "
         "nobody read before learning to ask better questions.",
         '<p>Corrections, ideas and guest posts: email <a href="mailto:priya@measuredmarketing.com">Priya</a>.</p>',
         [Post("privacy-first-analytics", "Privacy-first analytics in 2026", "2024-03-12", [
             f"Cookie banners cost you data. The {a('consent-study', 'consent rate study')} found that fewer "
             "than half of visitors accept tracking, and the share keeps falling.",
             f"Server-side tagging helps; the {a('sst-docs', 'server-side setup docs')} walk through it step by "
             f"step. Before you change anything, run through {a('gdpr-checklist', 'this GDPR analytics checklist')}.",
             f"If you want to see what leaks from your own site, try the {a('tracker-test', 'tracker test')}."],
             [("Marco", "Great summary. I also liked "
                        f"{a('privacy-tools', 'this list of privacy-friendly tools', 'ugc')}.")]),
          Post("utm-tagging", "UTM tagging that survives your CMS", "2023-10-02", [
              f"Use one naming scheme across the team. The {a('utm-builder', 'UTM builder')} keeps values "
              "lowercase, which saves a surprising amount of cleanup.",
              f"We adopted {a('utm-conventions', 'these UTM naming conventions')} two years ago and have not had "
              "a split campaign row since."]),
          Post("reporting-without-cookies", "Reporting without cookies", "2024-06-20", [
              f"Fingerprinting is not the answer; {a('fingerprinting', 'this piece on why fingerprinting fails')} "
              "explains the legal and technical problems.",
              f"For the background on how counting works, the "
              f"{a('encyclopedia', 'encyclopedia entry on web analytics')} "
              "is a fine start."])],
         sidebar=f"<p>{a('newsletter', 'Privacy Weekly')}</p><p>{a('priya-linkedin', 'Priya on LinkedIn')}</p>",
         footer=f"Hosted by {a('hosting', 'StaticHost')}."),
    Blog("privacyweekly.org", "Privacy Weekly", "A newsletter about privacy and the web", "Tom Becker",
         "Privacy Weekly has collected the week's privacy news for marketers since 2019. Edited by Tom Becker.",
         '<p>Tips and corrections: <a href="mailto:tips@privacyweekly.org">tips@privacyweekly.org</a>.</p>',
         [Post("issue-112", "Issue 112: cookieless tracking explained", "2024-02-05", [
             f"Ad blockers now hide a large share of visits: the {a('blocker-share', 'blocker share report')} "
             "put it at a quarter of desktop traffic in 2020.",
             f"IP addresses are personal data; {a('ip-masking', 'IP masking explained')} shows what truncation "
             "does and does not protect."]),
          Post("issue-118", "Issue 118: retention periods and referrer spam", "2024-05-13", [
              f"How long should you keep raw analytics data? The "
              f"{a('retention-guidance', 'data retention guidance for analytics')} "
              "suggests fourteen months for raw events.",
              f"And if your reports are full of strange referring domains, the "
              f"{a('referrer-spam-list', 'referrer spam domain list')} "
              "is the place to start filtering."]),
          Post("issue-121", "Issue 121: consent mode, again", "2024-07-01", [
              f"Google's consent mode is confusing, but the free {a('consent-mode-course', 'consent mode course')} "
              "covers it well.",
              f"Readers asked for a comparison of the two big laws: {a('ccpa', 'CCPA vs GDPR, side by side')}."])],
         sidebar=f"<p>{a('newsletter', 'Subscribe on NewsletterHub')}</p>"),
    Blog("thedatadesk.co.uk", "The Data Desk", "Marketing analytics from London", "Oliver Grant",
         "The Data Desk is Oliver Grant's notebook on marketing measurement for UK agencies.",
         '<p>Get in touch through the <a href="/contact/form">contact form</a>; we read everything.</p>',
         [Post("attribution-models", "Which attribution model should an agency use?", "2023-11-21", [
             f"Last-click undervalues everything that starts a journey. The "
             f"{a('attribution', 'attribution models compared')} "
             "write-up made the case better than I can.",
             f"For speed, note that {a('speed-study', 'page speed affects conversions')} more than most agencies "
             f"admit."]),
          Post("email-reporting", "Reporting on email campaigns", "2024-01-30", [
              f"Open rates are dead. Measure clicks and revenue instead, as the "
              f"{a('email-tracking', 'email tracking guide')} "
              "recommends.",
              f"Tag every newsletter link with the {a('utm-builder', 'campaign URL builder')} first."]),
          Post("heatmaps", "Heatmaps or recordings?", "2024-04-08", [
              f"The {a('heatmap-study', 'study on recordings versus heatmaps')} found recordings answer "
              "usability questions faster but cost far more in privacy work.",
              f"Tag managers make this worse; a {a('tag-governance', 'tag manager governance checklist')} helps."])]),
    Blog("growthlog.io", "Growth Log", "SaaS growth experiments, written up", "Maya Chen",
         "Growth Log documents Maya Chen's experiments growing two bootstrapped SaaS products.",
         '<p>Say hello: <a href="mailto:maya@growthlog.io">Maya Chen</a>.</p>',
         [Post("retention", "Retention is the only growth metric", "2023-09-14", [
             f"A {a('cohorts', 'cohort analysis for retention')} showed us that onboarding changes worked.",
             f"We collect {a('first-party-playbook', 'first-party data')} with consent and use it for onboarding "
             f"emails."]),
          Post("monitoring", "Our tiny ops stack", "2024-03-03", [
              f"We run one small cluster; {a('k8s-monitoring', 'Kubernetes cluster monitoring')} was overkill for us.",
              f"Performance budgets matter too: watch {a('cwv-field-data', 'Core Web Vitals field data')} per "
              f"template."])]),
    Blog("smallshopsanalytics.com", "Small Shops Analytics", "Analytics for independent shops", "Lena Vogel",
         "Lena Vogel helps independent shops make sense of their numbers.",
         '<p>Questions about your shop\'s numbers? <a href="mailto:hello@smallshopsanalytics.com">Email us</a>.</p>',
         [Post("setup", "Setting up ecommerce tracking in an afternoon", "2024-02-19", [
             f"Start with the {a('shop-setup', 'ecommerce analytics setup guide')}; it is the clearest I know.",
             f"Then design your banner carefully: the {a('banner-gallery', 'cookie banner gallery')} has good and bad "
             f"examples."]),
          Post("bakery", "A bakery's pre-orders", "2024-05-27", [
              f"One client, a bakery, also wanted to teach customers: they linked a "
              f"{a('sourdough', 'sourdough starter recipe')} "
              "from every order confirmation.",
              f"Slow pages hurt them; the {a('slow-benchmark', 'analytics performance benchmark')} was "
              f"eye-opening."])]),
    Blog("webperf-notes.dev", "Web Perf Notes", "Making sites fast, one template at a time", "Sam Okafor",
         "Sam Okafor writes about web performance for content sites.",
         '<p>Write to <a href="mailto:sam@webperf-notes.dev">Sam</a>.</p>',
         [Post("field-data", "Lab data lies", "2024-01-11", [
             f"Field data beats lab tests. The {a('cwv-field-data', 'guide to Core Web Vitals field data')} explains "
             f"why.",
             f"Third-party scripts are the usual culprit; see "
             f"{a('blocker-share', 'how many visitors block them anyway')}."]),
          Post("speed-revenue", "Speed and revenue", "2024-04-22", [
              f"The {a('speed-study', 'speed and conversion study')} was updated this year with a bigger sample.",
              "Our own numbers agree: the checkout template matters most."])]),
    Blog("consentmatters.eu", "Consent Matters", "Privacy law for marketers, in plain words", "Elena Rossi",
         "Elena Rossi is a privacy lawyer who explains European rules to marketing teams.",
         '<p>For questions, write to <a href="mailto:office@consentmatters.eu">the office</a>.</p>',
         [Post("dpa", "Do you need a data processing agreement?", "2023-12-04", [
             f"Yes, with every vendor. A {a('dpa-template', 'DPA template')} gets you started.",
             f"Then set retention: {a('retention-guidance', 'guidance on analytics data retention')} is a sound "
             f"default."]),
          Post("banners", "Banners that regulators accept", "2024-06-10", [
              f"The {a('banner-gallery', 'gallery of cookie banner designs')} shows which patterns are fined.",
              f"And read {a('gdpr-checklist', 'the GDPR analytics checklist')} before launching anything."])]),
    Blog("indiemakers-journal.net", "Indie Makers Journal", "Building small software businesses", "Jonas Berg",
         "Jonas Berg interviews founders of small, profitable software companies.",
         '<p>Pitch a story: <a href="mailto:jonas@indiemakers-journal.net">Jonas Berg</a>.</p>',
         [Post("analytics-stack", "The analytics stack of ten indie founders", "2024-03-18", [
             f"Most use a privacy-first tool; the {a('privacy-tools', 'list of privacy-friendly analytics tools')} "
             "is where half of them found theirs.",
             f"One founder swears by {a('first-party-playbook', 'a first-party data playbook')}.",
             f"Another keeps a {a('referrer-spam-list', 'list of referrer spam domains')} in the repo."])]),
]

DEMO_PROSPECTS = tuple(blog.host for blog in BLOGS)


def demo_web() -> WebSpec:
    sites: dict[str, Site] = {blog.host: blog_site(blog) for blog in BLOGS}
    for host, path, resource in TARGETS.values():
        if host in REFUSING:
            sites.setdefault(host, Site(host, ip=REFUSING[host]))
        elif resource is not None:
            sites.setdefault(host, Site(host)).pages[path] = resource
    for (host, path), resource in EXTRA_PAGES.items():
        sites.setdefault(host, Site(host)).pages[path] = resource
    own = own_site(json.loads(OWN_SITE_DATA.read_text(encoding="utf-8")))
    return WebSpec(sites=[*sites.values(), own, demo_archive()])


def demo_archive() -> FakeArchive:
    """What the archive holds of some dead pages; the others it never captured."""
    return FakeArchive(captures={f"http://{TARGETS[key][0]}:{PORT}{TARGETS[key][1]}": [capture]
                                 for key, capture in ARCHIVED.items()})


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
