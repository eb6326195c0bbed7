"""The three blind-labelled dev sites (tests/data/match_dev, match_dev2, match_dev3), and each of
their cases rendered as a blog post on a prospect site of its own, as the matcher meets them in
a campaign: a real article page — navigation, sidebar, share buttons, footer, comments — whose
paragraph holds the case's context among the ordinary sentences a post has around it, the link
where the anchor is. The dead URL answers nothing (its host does not resolve), and where the
set has `archived.csv` a fake Internet Archive holds the dead page's copy.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FRIENDS_HOST = "friendly-links.com"  # where the blogs' sidebars, comments and profiles point: alive


@dataclass(frozen=True)
class DevCase:
    case_id: str
    page_title: str
    context: str
    anchor: str
    dead_url: str
    expected: frozenset[str]  # acceptable paths ("/tutorial/body/"); empty: nothing fits
    archived_title: str = ""
    archived_description: str = ""


@dataclass(frozen=True)
class DevSite:
    name: str
    folder: Path
    host: str
    cases: tuple[DevCase, ...] = field(default_factory=tuple)

    @property
    def site(self) -> Path:
        return self.folder / "site"


SITES = {"match-dev": ("match_dev", "www.fastapi-docs.org"), "match-dev2": ("match_dev2", "www.eleventy-docs.org"),
         "match-dev3": ("match_dev3", "www.otel-blog.com")}


def dev_site(name: str) -> DevSite:
    folder_name, host = SITES[name]
    folder = DATA / folder_name
    archived: dict[str, dict[str, str]] = {}
    if (folder / "archived.csv").exists():
        with (folder / "archived.csv").open(encoding="utf-8", newline="") as f:
            archived = {row["case_id"]: row for row in csv.DictReader(f)}
    cases = []
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            paths = [row["expected_path"], *row["also_ok"].split(";")] if row["expected_path"] else []
            copy = archived.get(row["case_id"], {})
            cases.append(DevCase(row["case_id"], row["page_title"], row["context"], row["anchor"], row["dead_url"],
                                 frozenset(_path(p) for p in paths if p), copy.get("archived_title", ""),
                                 copy.get("archived_description", "")))
    return DevSite(name, folder, host, tuple(cases))


def _path(path: str) -> str:
    path = path.strip()
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


# --- the blog post around a case --------------------------------------------------------------

# What posts say around a link that says nothing of what it links to: asides, transitions,
# the writer's situation. Chosen per case by a hash of its id (the same post every run).
ORDINARY = (
    "That took us longer than I would like to admit.",
    "I will come back to this in a later post.",
    "Your mileage may vary, of course.",
    "We learned this the hard way, over a couple of sprints.",
    "It is one of those things nobody tells you at the start.",
    "Here is what we ended up doing.",
    "A colleague pointed me to it during a code review.",
    "I had bookmarked it months ago and forgotten about it.",
    "This is the part most teams skip.",
    "It is not glamorous work, but it pays off.",
    "We tried a few options before settling on this one.",
    "Honestly, the first attempt was a mess.",
    "The rest of the setup stayed exactly as it was.",
    "Let me explain why that matters.",
    "If you only take one thing from this post, take this.",
    "We are a small team, so every hour counts.",
    "The documentation has improved a lot since then.",
    "I would do it the same way again.",
    "That was the turning point for us.",
    "Nothing else in the stack had to change.",
    "It sounds obvious in hindsight.",
    "Our on-call rotation was the first to notice the difference.",
    "More on the trade-offs below.",
    "We shipped it on a Friday, which I do not recommend.",
)
CLOSING = ("Thanks for reading; questions are welcome in the comments.", "That is all for this one.",
           "If you try this, let me know how it goes.", "See you in the next post.")
SECTION_HEADINGS = ("Background", "What we changed", "The details", "Lessons learned", "Where we landed")


def _pick(case_id: str, pool: tuple[str, ...], n: int, salt: str = "") -> list[str]:
    digest = hashlib.sha1(f"{case_id}{salt}".encode()).digest()
    chosen: list[str] = []
    for byte in digest:
        sentence = pool[byte % len(pool)]
        if sentence not in chosen:
            chosen.append(sentence)
        if len(chosen) == n:
            break
    return chosen


def blog_host(case: DevCase) -> str:
    words = re.findall(r"[a-z]+", case.page_title.lower())[:3] or ["notes"]
    return f"{'-'.join(words)}-{case.case_id.lower().replace('-', '')}.com"


def linked_context(case: DevCase) -> str:
    """The case's context (escaped) with the anchor made the link, where it stands."""
    context, anchor = html.escape(case.context), html.escape(case.anchor)
    link = f'<a href="{html.escape(case.dead_url)}">{anchor}</a>'
    return context.replace(anchor, link, 1) if anchor in context else f"{context} ({link})"


def post_html(case: DevCase, port_placeholder: str = "%PORT%") -> tuple[str, str]:
    """(title, body) of the article page holding `case`."""
    host = blog_host(case)
    friends = f"http://{FRIENDS_HOST}:{port_placeholder}"
    before, after = _pick(case.case_id, ORDINARY, 2, "before"), _pick(case.case_id, ORDINARY, 2, "after")
    intro = _pick(case.case_id, ORDINARY, 2, "intro")
    heading = _pick(case.case_id, SECTION_HEADINGS, 1)[0]
    title = html.escape(case.page_title)
    share = (f'<div class="share-buttons"><a href="https://twitter.com/intent/tweet?url=http://{host}/post/">Tweet</a> '
             f'<a href="https://www.facebook.com/sharer/sharer.php?u=http://{host}/post/">Share</a></div>')
    body = f"""
<header class="site-header"><nav class="main-nav"><a href="/">Home</a> <a href="/about/">About</a>
  <a href="/archive/">Archive</a> <a href="{friends}/rss">RSS</a></nav></header>
<main><article class="post">
  <h1>{title}</h1>
  <p class="byline">By Sam Writer · <time datetime="2024-05-02">2 May 2024</time></p>
  {share}
  <p>{" ".join(intro)}</p>
  <h2>{heading}</h2>
  <p>{before[0]} {linked_context(case)} {after[0]}</p>
  <p>{before[1]} {after[1]}</p>
  <p>{_pick(case.case_id, CLOSING, 1)[0]}</p>
</article>
<section id="comments" class="comments">
  <h3>2 comments</h3>
  <div class="comment"><p>Great write-up, thanks! We did something similar at
    <a href="{friends}/jo" rel="nofollow ugc">my shop</a>.</p></div>
  <div class="comment"><p>Bookmarked. <a href="/post/?replytocom=7">Reply</a></p></div>
</section></main>
<aside class="sidebar"><h3>Blogroll</h3><ul><li><a href="{friends}/">Friendly links</a></li>
  <li><a href="{friends}/weekly">A weekly newsletter</a></li></ul></aside>
<footer class="site-footer"><p>© 2024 {title}. <a href="/privacy/">Privacy</a>
  <a href="https://github.com/sam-writer">GitHub</a></p></footer>"""
    return case.page_title, body
