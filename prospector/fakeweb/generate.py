"""Generate a large fake web with known truth, for benchmarks: prospect blogs whose pages link
to many target sites, each target URL given a fate from the verdict table."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from prospector.fakeweb.demo import OWN_SITE_DATA, own_site
from prospector.fakeweb.spec import PORT, Resource, Site, WebSpec, missing, page, redirect

# fate -> (share of target URLs, expected verdict). Shares add up to 1.
FATES: dict[str, tuple[float, str]] = {
    "ok": (0.56, "alive"),
    "not_found": (0.10, "dead"),
    "gone": (0.03, "dead"),
    "redirect_ok": (0.06, "alive"),
    "redirect_404": (0.03, "dead"),
    "nxdomain": (0.04, "dead"),
    "head_405": (0.03, "alive"),
    "forbidden": (0.03, "blocked"),
    "soft_404": (0.02, "likely_dead"),
    "to_home": (0.02, "likely_dead"),
    "server_error": (0.02, "unknown"),
    "rate_limited": (0.03, "alive"),  # 429 with Retry-After: 1, then 200
    "robot_999": (0.01, "blocked"),
    "slow": (0.01, "unknown"),  # answers after SLOW_SECONDS: past a 5 s timeout
    "refused": (0.01, "likely_dead"),  # resolves, but nothing listens there
}
WAITING_FATES = ("slow", "rate_limited")  # what makes a checker wait rather than work
SLOW_SECONDS = 8.0
REFUSING_ADDRESS = "127.0.0.3"
WORDS = ["analytics", "privacy", "consent", "tracking", "cookies", "dashboard", "metrics", "funnel", "retention",
         "cohort", "attribution", "campaign", "search", "content", "audit", "report", "guide", "checklist", "tool",
         "setup", "server"]


@dataclass
class GeneratedWeb:
    spec: WebSpec
    prospects: list[str]  # host names of the prospect blogs
    truth: dict[str, str] = field(default_factory=dict)  # target URL (with %PORT%) -> verdict


def generate_web(sites: int = 100, pages_per_site: int = 20, links_per_page: int = 4,
                 popular_per_page: int = 1, seed: int = 7, waiting: bool = True) -> GeneratedWeb:
    """`sites` prospect blogs of `pages_per_site` pages each; every page links to
    `links_per_page` target URLs of its own and `popular_per_page` shared ones. Without
    `waiting`, no URL is slow or rate-limited (their share goes to "ok"): a web that measures
    how fast a checker works rather than how patiently it waits."""
    rng = random.Random(seed)
    spec = WebSpec()
    web = GeneratedWeb(spec, [])
    targets: dict[str, Site] = {}
    fates = [f for f in FATES if waiting or f not in WAITING_FATES]
    weights = [FATES[f][0] + (0 if waiting or f != "ok" else sum(FATES[w][0] for w in WAITING_FATES))
               for f in fates]
    unique_needed = sites * pages_per_site * links_per_page
    popular = [_target(spec, web, targets, rng, i, "ok") for i in range(50)]
    target_urls = [_target(spec, web, targets, rng, 50 + i, rng.choices(fates, weights)[0])
                   for i in range(unique_needed)]
    linked: set[str] = set()
    for s in range(sites):
        host = f"blog{s:04d}-{rng.choice(WORDS)}.com"
        web.prospects.append(host)
        pages: dict[str, Resource] = {}
        for p in range(pages_per_site):
            first = (s * pages_per_site + p) * links_per_page
            links = target_urls[first:first + links_per_page] + rng.sample(popular, popular_per_page)
            linked.update(links)
            internal = [_path((p + k) % pages_per_site) for k in (1, 2, 3)]
            pages[_path(p)] = _blog_page(host, p, links, internal, rng)
        spec.add(Site(host, pages, robots="User-agent: *\nDisallow: /wp-admin/\n"))
    spec.add(own_site(json.loads(OWN_SITE_DATA.read_text(encoding="utf-8"))))  # for `prospector run`
    web.truth = {url: verdict for url, verdict in web.truth.items() if url in linked}
    return web


def _path(number: int) -> str:
    return "/" if number == 0 else f"/post-{number}"


def _target(spec: WebSpec, web: GeneratedWeb, targets: dict[str, Site], rng: random.Random,
            index: int, fate: str) -> str:
    topic = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
    if fate in ("nxdomain", "refused"):
        host = f"{'expired' if fate == 'nxdomain' else 'closed'}-{index:05d}-{topic}.com"
        if fate == "refused":  # nxdomain hosts are simply never added to the spec
            spec.addresses[host] = REFUSING_ADDRESS
        url = f"http://{host}:{PORT}/{topic}"
        web.truth[url] = FATES[fate][1]
        return url
    host = f"site{index % 400:03d}.{rng.choice(['com', 'org', 'net', 'co.uk', 'io'])}"
    site = targets.get(host) or targets.setdefault(host, spec.add(Site(host, {"/": page("Home", "<h1>Home</h1>")})))
    path = f"/{topic}/{index}"
    base = f"http://{host}:{PORT}"
    site.pages[path] = {
        "ok": lambda: page(topic.replace("-", " ").title(), f"<h1>{topic}</h1><p>Useful content.</p>"),
        "not_found": lambda: missing(404),
        "gone": lambda: missing(410),
        "redirect_ok": lambda: redirect(f"{base}{path}/new"),
        "redirect_404": lambda: redirect(f"{base}{path}/moved"),
        "head_405": lambda: Resource(body=f"<title>{topic}</title>", head_status=405),
        "forbidden": lambda: Resource(status=403, body="<title>Forbidden</title>"),
        "soft_404": lambda: page("Page not found", "<h1>Nothing here</h1>"),
        "to_home": lambda: redirect(f"{base}/"),
        "server_error": lambda: Resource(status=500, body="<title>Error</title>"),
        "rate_limited": lambda: Resource(statuses=(429,), headers={"Retry-After": "1"},
                                         body=f"<title>{topic}</title><h1>{topic}</h1>"),
        "robot_999": lambda: Resource(status=999),
        "slow": lambda: Resource(delay=SLOW_SECONDS, body=f"<title>{topic}</title>"),
    }[fate]()
    if fate == "redirect_ok":
        site.pages[f"{path}/new"] = page(topic, "<h1>Moved here</h1>")
    web.truth[f"{base}{path}"] = FATES[fate][1]
    return f"{base}{path}"


def _blog_page(host: str, number: int, links: list[str], internal: list[str], rng: random.Random) -> Resource:
    paragraphs = "".join(
        f"<p>{' '.join(rng.choices(WORDS, k=12)).capitalize()}: see "
        f'<a href="{url}">{" ".join(rng.choices(WORDS, k=3))}</a> for more.</p>'
        for url in links
    )
    nav = "".join(f'<a href="{path}">{path[1:]}</a> ' for path in internal)
    return page(f"Post {number} | {host}",
                f'<nav><a href="/">Home</a> {nav}</nav><main><article><h1>Post {number}</h1>{paragraphs}'
                f'</article></main><footer><p>Written by Sam Writer.</p></footer>',
                head='<meta name="author" content="Sam Writer">')
