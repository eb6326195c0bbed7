"""What a dead link is about: its anchor text, the sentence around it, the words of its URL,
the title of the page that links to it and, when the archive had it, what the dead page said.
Pure functions, tested on tables of real-looking links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
# Anchors made only of these words say nothing about the target ("click here", "this post").
_VAGUE = (
    "here click this that these those link links read more post posts article articles page pages "
    "website site source sources learn see check out it great useful nice good resource resources "
    "blog piece story previous earlier following below above official homepage home view visit "
    "go find details info information now guide tutorial explainer overview writeup write up summary "
    "report study paper piece thread "
    # generic words for a reference, which say nothing of its topic ("this snippet", "the docs",
    # "the clearest explanation I've found", "official intro to that system")
    "note notes section sections walkthrough docs doc documentation recipe recipes explanation snippet snippets "
    "example examples intro introduction primer chapter course manual handbook reference references material "
    "older newer latest original clear clearer clearest best excellent classic famous handy neat helpful "
    "quick short simple deep dive step steps answer faq found ve ll really"
)
VAGUE_WORDS = frozenset(_VAGUE.split()) | STOP_WORDS
# URL path words that name the CMS, not the content.
SLUG_NOISE = frozenset(
    ["blog", "blogs", "post", "posts", "article", "articles", "page", "pages", "index", "default", "category",
     "categories", "tag", "tags", "wp", "content", "uploads", "amp", "en", "www", "html", "htm", "php", "asp", "aspx",
     "jsp", "cfm", "shtml", "pdf", "doc", "docx", "archive", "archives", "news", "p", "id", "item", "view", "node",
     "story", "entry", "entries", "s"]
)
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z0-9])(?=[A-Z][a-z])")
_SLUG_SPLIT = re.compile(r"[-_/.+,;:~%=&]+")
_ID_LIKE = re.compile(r"^(\d+|[0-9a-f]{8,}|[a-z]?\d+[a-z]?|\d+[a-z]\d+.*)$")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased content words of a text: no stop words; numbers only when short ("404",
    "301", "ga4" stay; years, prices and ids go)."""
    return [w for w in _WORD.findall(text.lower())
            if w not in STOP_WORDS and not (w.isdigit() and len(w) > 3)]


def analyze(text: str) -> list[str]:
    """Terms the ranker indexes and queries with: stemmed content words and their bigrams
    (so "tracking plan" prefers the page about tracking plans to one about plans)."""
    terms = [stem(w) for w in words(text)]
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)]


def slug_words(url: str) -> str:
    """`/blog/2019/05/fixBrokenLinks-fast.html?id=3` -> "fix broken links fast"."""
    path = unquote(urlsplit(url).path)
    found: list[str] = []
    for part in _SLUG_SPLIT.split(path):
        for token in _CAMEL.sub(" ", part).lower().split():
            if not token or token in SLUG_NOISE or token in STOP_WORDS or _ID_LIKE.match(token):
                continue
            found.append(token)
    return " ".join(found)


def is_vague(anchor: str) -> bool:
    """True for anchors that carry no meaning: "here", "this post", a bare URL, "[3]"."""
    text = anchor.strip().lower()
    if not text or text.startswith(("http://", "https://", "www.")):
        return True
    tokens = _WORD.findall(text)
    return not tokens or all(t in VAGUE_WORDS or t.isdigit() for t in tokens)


@dataclass(frozen=True)
class LinkQuery:
    """The search for a replacement of one dead URL, from every place that links to it."""

    dead_url: str
    anchor: str = ""  # meaningful anchors only, de-duplicated
    slug: str = ""
    context: str = ""
    page_title: str = ""
    archived: str = ""  # the title and description of the dead page's last good capture


def build_query(dead_url: str, mentions: Iterable[tuple[str, str, str]], limit: int = 5,
                archived: str = "") -> LinkQuery:
    """`mentions`: (anchor text, context sentence, linking page's title) for each occurrence;
    `archived`: what the Internet Archive's copy of the dead page says it was about."""
    anchors: list[str] = []
    contexts: list[str] = []
    titles: list[str] = []
    for anchor, context, title in mentions:
        for bucket, value in ((anchors, anchor if not is_vague(anchor) else ""), (contexts, context), (titles, title)):
            value = " ".join(value.split())
            if value and value not in bucket and len(bucket) < limit:
                bucket.append(value)
    return LinkQuery(dead_url=dead_url, anchor=" | ".join(anchors), slug=slug_words(dead_url),
                     context=" | ".join(contexts), page_title=" | ".join(titles), archived=" ".join(archived.split()))
