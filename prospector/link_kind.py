"""What an outbound link is for, from its URL alone: an editorial link (a citation a site owner
would replace with a better page) or a share button, a social profile, an ad or tracking
redirect, a feed, a login or comment-reply link. Only editorial links are matched, drafted
and ranked as opportunities; the others are still checked and listed in dead_links.csv.

The URL decides, not the place on the page: a share widget inside the article is still a
share widget. Pure, and tested on a table of real URLs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

EDITORIAL, SHARE, PROFILE, AD, FEED, LOGIN = "editorial", "share", "profile", "ad", "feed", "login"
KINDS = (EDITORIAL, SHARE, PROFILE, AD, FEED, LOGIN)


def _site(host: str) -> str:
    """`www.m.twitter.com` -> `twitter.com` (the few social hosts we know, with any subdomain)."""
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile.", "web.", "l.", "lm."):
        host = host.removeprefix(prefix)
    return host


# (host, path pattern) of share / "post this" endpoints.
_SHARE_ENDPOINTS = {
    "twitter.com": r"^/(intent/|share/?$|home/?$)",
    "x.com": r"^/(intent/|share/?$)",
    "facebook.com": r"^/(sharer(/sharer)?(\.php)?/?$|dialog/(share|feed|send))",
    "linkedin.com": r"^/(shareArticle|sharing/share-offsite|cws/share)",
    "pinterest.com": r"^/pin/(create|find)",
    "reddit.com": r"^/submit",
    "getpocket.com": r"^/(save|edit)",
    "tumblr.com": r"^/(share|widgets/share)",
    "flipboard.com": r"^/bookmarklet",
    "plus.google.com": r"^/share",
    "news.ycombinator.com": r"^/submitlink",
    "t.me": r"^/share",
    "telegram.me": r"^/share",
    "api.whatsapp.com": r"^/send",
    "wa.me": r"^/?$",
    "vk.com": r"^/share\.php",
    "buffer.com": r"^/add",
    "bufferapp.com": r"^/add",
    "digg.com": r"^/submit",
    "mix.com": r"^/add",
    "xing.com": r"^/(spi/shares|social/share)",
    "service.weibo.com": r"^/share",
    "threads.net": r"^/intent/",
    "bsky.app": r"^/intent/",
    "addtoany.com": r"^/(add_to|share)",
    "sharethis.com": r"^/share",
    "mastodonshare.com": r"",
}
_SHARE_PATTERNS = {host: re.compile(pattern, re.I) for host, pattern in _SHARE_ENDPOINTS.items()}
# A generic share endpoint: /share, /sharer, /share.php ... that carries the page to share.
_GENERIC_SHARE = re.compile(r"/(share|sharer|sharing|share-?article|sharethis)(\.php)?/?$", re.I)
_SHARED_PARAMS = {"url", "u", "link", "href", "text", "title", "body", "status"}

_AD_HOSTS = (
    "doubleclick.net", "googleadservices.com", "googlesyndication.com", "adservice.google.com",
    "amazon-adsystem.com", "adnxs.com", "criteo.com", "taboola.com", "outbrain.com", "adform.net",
    "linksynergy.com", "shareasale.com", "awin1.com", "anrdoezrs.net", "tkqlhce.com", "jdoqocy.com",
    "dpbolvw.net", "kqzyfj.com", "redirectingat.com", "prf.hn", "pntra.com", "avantlink.com",
    "impactradius.com", "sjv.io", "pxf.io", "clickbank.net", "ad.admitad.com", "bat.bing.com",
    "facebook.net", "google-analytics.com", "googletagmanager.com", "scorecardresearch.com",
)

# Social sites where a one-segment path (or these prefixes) is a person or brand, not content.
_PROFILE_SITES = {
    "twitter.com": r"^/(?!(intent|share|search|hashtag|i|home|explore|settings)(/|$))[A-Za-z0-9_]{1,15}/?$",
    "x.com": r"^/(?!(intent|share|search|hashtag|i|home|explore|settings)(/|$))[A-Za-z0-9_]{1,15}/?$",
    "instagram.com": r"^/(?!(p|reel|reels|tv|explore|stories)(/|$))[A-Za-z0-9_.]+/?$",
    "facebook.com": r"^/((?!(sharer|dialog|share|groups|events|photo|watch|story|permalink|notes)(\.php)?(/|$))"
                    r"[A-Za-z0-9.\-]+/?|profile\.php|pages/[^/]+/\d+/?|people/[^/]+/\d+/?)$",
    "linkedin.com": r"^/(in|company|school|pub)/[^/]+/?$",
    "youtube.com": r"^/(channel/[^/]+|c/[^/]+|user/[^/]+|@[^/]+)/?(featured|videos|about)?/?$",
    "tiktok.com": r"^/@[^/]+/?$",
    "pinterest.com": r"^/(?!(pin|search|ideas)(/|$))[A-Za-z0-9_]+/?$",
    "github.com": r"^/(?!(features|topics|about|pricing|marketplace|sponsors|orgs|settings|login)(/|$))"
                  r"[A-Za-z0-9\-]+/?$",
    "medium.com": r"^/@[^/]+/?$",
    "threads.net": r"^/@[^/]+/?$",
    "soundcloud.com": r"^/[^/]+/?$",
    "vimeo.com": r"^/(?!\d+(/|$))[A-Za-z][A-Za-z0-9_]*/?$",
    "dribbble.com": r"^/[^/]+/?$",
    "behance.net": r"^/[^/]+/?$",
    "t.me": r"^/(?!share(/|$))[A-Za-z0-9_]+/?$",
    "bsky.app": r"^/profile/[^/]+/?$",
}
_PROFILE_PATTERNS = {host: re.compile(pattern) for host, pattern in _PROFILE_SITES.items()}

_FEED = re.compile(r"(/feed/?$|/feeds?/|/rss/?$|/atom/?$|\.rss$|\.atom$|/rss\.xml$|/atom\.xml$|/feed\.xml$|"
                   r"/index\.xml$)", re.I)
# A blog platform's own admin and comment screens, linked from every page of its blogs.
_ADMIN_ENDPOINTS = {
    "blogger.com": re.compile(r"^/(rearrange|post-edit\.g|email-post\.g|comment\.g|comment/fullpage|navbar\.g|"
                              r"go/report-abuse|blog/post/edit|followers\.g)", re.I),
    "wordpress.com": re.compile(r"^/(wp-admin|wp-login\.php|log-?in|post/|reader/)", re.I),
}
_LOGIN = re.compile(r"(/wp-login\.php|/wp-admin(/|$)|/(log-?in|sign-?in|sign-?up|register|logout|log-?out)/?$|"
                    r"/account/(login|signin)|/oauth2?/authorize)", re.I)


@lru_cache(maxsize=100_000)
def link_kind(url: str) -> str:
    """One of KINDS for an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return EDITORIAL
    host, path = _site(parts.hostname or ""), parts.path or "/"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    pattern = _SHARE_PATTERNS.get(host)
    if pattern is not None and pattern.search(path):
        return SHARE
    if _GENERIC_SHARE.search(path) and _SHARED_PARAMS & {k.lower() for k in query}:
        return SHARE
    if any(host == ad or host.endswith("." + ad) for ad in _AD_HOSTS):
        return AD
    if "replytocom" in query or (host in _ADMIN_ENDPOINTS and _ADMIN_ENDPOINTS[host].search(path)):
        return LOGIN
    profile = _PROFILE_PATTERNS.get(host)
    if profile is not None and profile.search(path):
        return PROFILE
    if _FEED.search(path) or host.startswith("feeds.") or host == "feedburner.com":
        return FEED
    if _LOGIN.search(path):
        return LOGIN
    return EDITORIAL
