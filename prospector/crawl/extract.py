"""From a page's HTML to what prospector keeps: outbound links in context, internal links to
follow, contacts, title, author and date. Pure: takes text, returns values; no network."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from prospector.crawl.context import BlockText
from prospector.items import Contact, Occurrence
from prospector.resource_score import ResourceSignals, signals_of
from prospector.text import ANCHOR_MAX, NAME_MAX, TITLE_MAX, clip, safe
from prospector.urls import SKIPPED_SCHEMES, InvalidUrl, in_scope, normalise, same_site, scheme_of

CONTENT, NAV, HEADER, FOOTER, SIDEBAR, COMMENTS = "content", "nav", "header", "footer", "sidebar", "comments"
REL_TOKENS = ("nofollow", "sponsored", "ugc")
SHORT_CELL = 80  # a table cell with less text than this is read with its row; a list item, after its lead-in

_TAG_PLACEMENT = {"nav": NAV, "footer": FOOTER, "aside": SIDEBAR, "main": CONTENT, "article": CONTENT}
_ROLE_PLACEMENT = {
    "navigation": NAV, "banner": HEADER, "contentinfo": FOOTER, "complementary": SIDEBAR,
    "main": CONTENT, "article": CONTENT, "comment": COMMENTS,
}
# Class/id tokens, checked in this order: the first family with a match names the placement.
_TOKEN_PLACEMENT = (
    (COMMENTS, re.compile(r"comment|disqus|^respond$|^replies$|^reply$")),
    (SIDEBAR, re.compile(r"sidebar|^widget|widget-area|^secondary$|related-posts|blogroll")),
    (FOOTER, re.compile(r"footer|colophon")),
    (NAV, re.compile(r"^nav$|^navbar|navigation|^menu$|^menu-|-menu$|breadcrumb|^nav-|pagination")),
    (HEADER, re.compile(r"^header$|^site-header$|^masthead$|^topbar$|^top-bar$")),
    (CONTENT, re.compile(r"^content$|entry-content|post-content|article-body|post-body|^entry$|"
                         r"^post$|^article$|page-content|main-content")),
)
_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption",
           "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "aside", "footer",
           "nav", "header", "main", "body"}
_NOT_PAGES = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|zip|gz|tgz|rar|7z|tar|exe|dmg|msi|apk|iso|"
    r"mp3|mp4|m4a|wav|ogg|avi|mov|wmv|webm|css|js|json|xml|rss|atom|docx?|xlsx?|pptx?|odt|csv|"
    r"woff2?|ttf|eot)$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_CONTACT_KINDS = (
    ("write_for_us", re.compile(r"write[-_ ]for[-_ ]us|guest[-_ ]post|contribut|submit[-_ ]", re.I)),
    ("contact_page", re.compile(r"contact|get[-_ ]in[-_ ]touch|reach[-_ ]us", re.I)),
    ("about_page", re.compile(r"\babout\b|about[-_ ]us|^about", re.I)),
)
_AUTHOR_PATH = re.compile(r"/(author|authors|people|team|writers?|contributors?)/[^/]+", re.I)


@dataclass
class PageExtract:
    title: str = ""
    author: str = ""
    published: str = ""
    outbound: list[Occurrence] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)  # in scope, to follow; de-duplicated
    contacts: list[Contact] = field(default_factory=list)
    invalid_hrefs: list[str] = field(default_factory=list)  # one message per bad href
    app_links: int = 0  # whatsapp:, viber:, fb-messenger: … share/chat links: counted, not problems
    resource: ResourceSignals = field(default_factory=ResourceSignals)  # resource_score.py


def extract_page(html: str | bytes, url: str, domain: str, path_prefix: str = "") -> PageExtract:
    """Read one prospect page. `domain` is the prospect's registered domain: links off it are
    outbound; links on it (and under `path_prefix`) are followed."""
    result = PageExtract()
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return result
    separate_blocks(doc)
    base_el = doc.find(".//base[@href]")
    base = url
    if base_el is not None:
        with contextlib.suppress(InvalidUrl):
            base = normalise(base_el.get("href", ""), url)
    result.title = clip(_title(doc), TITLE_MAX)
    result.author = clip(_author(doc), NAME_MAX)
    result.published = clip(_published(doc), 40)
    placements: dict[etree._Element, str | None] = {}
    blocks: dict[etree._Element, BlockText] = {}
    seen_internal: set[str] = set()
    seen_contacts: set[tuple[str, str]] = set()
    result.resource = signals_of(doc, base, domain, result.title, result.published)

    for a in doc.iter("a"):
        href = a.get("href")
        if href is None or not href.strip() or href.strip().startswith("#"):
            continue
        scheme = scheme_of(href)
        if scheme == "mailto":
            _add_contact(result, seen_contacts, _mailto_contact(a, href, url))
            continue
        if scheme in SKIPPED_SCHEMES:
            continue
        if scheme not in ("", "http", "https"):
            result.app_links += 1
            continue
        try:
            target = normalise(href, base)
        except InvalidUrl as exc:
            result.invalid_hrefs.append(str(exc))
            continue
        if same_site(target, domain):
            _add_contact(result, seen_contacts, _page_contact(a, target, url))
            if target not in seen_internal and in_scope(target, domain, path_prefix) \
                    and not _NOT_PAGES.search(urlsplit(target).path):
                seen_internal.add(target)
                result.internal.append(target)
            continue
        anchor = _anchor_text(a)
        result.outbound.append(Occurrence(
            url=target,
            anchor_text=clip(anchor, ANCHOR_MAX),
            context=safe(_context(a, anchor, blocks)),
            rel=" ".join(t for t in REL_TOKENS if t in (a.get("rel") or "").lower().split()),
            placement=_placement(a, placements),
        ))
    return result


def separate_blocks(doc: etree._Element) -> None:
    """Put a space after every block element and line break, so that text_content() of
    `<h1>Plans</h1><p>From 9 euros</p>` reads "Plans From 9 euros", not "PlansFrom 9 euros"."""
    for el in doc.iter(*_BLOCKS, "br", "tr", "ul", "ol", "table", "img"):
        el.tail = " " + el.tail if el.tail else " "


def _text(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def _title(doc: etree._Element) -> str:
    for path in (".//title", ".//meta[@property='og:title']", ".//h1"):
        el = doc.find(path)
        if el is not None:
            value = el.get("content") if el.tag == "meta" else _text(el)
            if value and value.strip():
                return " ".join(value.split())
    return ""


def _author(doc: etree._Element) -> str:
    meta = doc.find(".//meta[@name='author']")
    if meta is not None and (meta.get("content") or "").strip():
        return meta.get("content").strip()
    ld = _json_ld_author(doc)
    if ld:
        return ld
    for xpath in (
        ".//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]",
        ".//*[@itemprop='author']",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]",
    ):
        for el in doc.xpath(xpath):
            name = _text(el)
            name = re.sub(r"^(written\s+)?by\s+", "", name, flags=re.I).strip(" ,|·-")
            name = re.split(r"\s+(on|in|·|\||—|–)\s+", name, maxsplit=1)[0].strip()
            if name and len(name) <= 80:
                return name
    return ""


def _json_ld_author(doc: etree._Element) -> str:
    for script in doc.xpath(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for node in data if isinstance(data, list) else data.get("@graph", [data]):
            author = node.get("author") if isinstance(node, dict) else None
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                return author["name"].strip()
            if isinstance(author, str) and not author.startswith("http"):
                return author.strip()
    return ""


def _published(doc: etree._Element) -> str:
    for xpath, attr in (
        (".//meta[@property='article:published_time']", "content"),
        (".//meta[@itemprop='datePublished']", "content"),
        (".//*[@itemprop='datePublished']", "datetime"),
        (".//meta[@name='date']", "content"),
        (".//time[@datetime]", "datetime"),
    ):
        for el in doc.xpath(xpath):
            value = (el.get(attr) or "").strip()
            if value:
                return value
    return ""


def _anchor_text(a: etree._Element) -> str:
    text = _text(a)
    if text:
        return text
    for img in a.iter("img"):
        alt = " ".join((img.get("alt") or "").split())
        if alt:
            return alt
    return " ".join((a.get("title") or a.get("aria-label") or "").split())


def _context(a: etree._Element, anchor: str, blocks: dict[etree._Element, BlockText]) -> str:
    """The link's sentence and enough of its paragraph (crawl/context.py), from its nearest
    block element. A table cell too short to say anything is read with its row, and a short
    list item after the sentence that introduces its list ("Tools we use for backups:")."""
    block = a.getparent()
    while block is not None and block.tag not in _BLOCKS:
        block = block.getparent()
    if block is None:
        return anchor
    short = len(_text(block)) < SHORT_CELL
    if block.tag in ("td", "th") and short:
        row = block.getparent()
        block = row if row is not None and row.tag == "tr" else block
    if block not in blocks:
        blocks[block] = BlockText.read(block)
    context = blocks[block].context(a) or anchor
    lead = _lead_in(block, blocks) if block.tag == "li" and short else ""
    return f"{lead} {context}" if lead else context


def _lead_in(item: etree._Element, blocks: dict[etree._Element, BlockText]) -> str:
    """The last sentence of the paragraph or heading just before an item's list, if any."""
    listed = item.getparent()
    before = listed.getprevious() if listed is not None and listed.tag in ("ul", "ol") else None
    while before is not None and not isinstance(before.tag, str):  # a comment between them
        before = before.getprevious()
    if before is None or before.tag not in ("p", "h2", "h3", "h4", "h5", "h6"):
        return ""
    if before not in blocks:
        blocks[before] = BlockText.read(before)
    return blocks[before].last_sentence()


def _placement(a: etree._Element, memo: dict[etree._Element, str | None]) -> str:
    """Where on the page the link sits: the nearest ancestor that says so decides."""
    chain = []
    el = a.getparent()
    found: str | None = None
    while el is not None:
        if el in memo:
            found = memo[el]
            if found is not None:
                break
            el = el.getparent()
            continue
        chain.append(el)
        found = _own_placement(el)
        if found is not None:
            break
        el = el.getparent()
    for visited in chain:
        memo.setdefault(visited, found)
    return found or CONTENT


def _own_placement(el: etree._Element) -> str | None:
    if not isinstance(el.tag, str):
        return None
    if el.tag in _TAG_PLACEMENT:
        return _TAG_PLACEMENT[el.tag]
    if el.tag == "header" and _nearest(el, ("article", "main")) is None:
        return HEADER
    role = (el.get("role") or "").strip().lower()
    if role in _ROLE_PLACEMENT:
        return _ROLE_PLACEMENT[role]
    tokens = [t for t in f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()]
    if not tokens:
        return None
    for placement, pattern in _TOKEN_PLACEMENT:
        if any(pattern.search(t) for t in tokens):
            return placement
    return None


def _nearest(el: etree._Element, tags: tuple[str, ...]) -> etree._Element | None:
    el = el.getparent()
    while el is not None:
        if el.tag in tags:
            return el
        el = el.getparent()
    return None


def _mailto_contact(a: etree._Element, href: str, page: str) -> Contact | None:
    address = unquote(href.strip()[len("mailto:"):].split("?", 1)[0]).strip().split(",")[0]
    if not _EMAIL.match(address):
        return None
    name = clip(_text(a), NAME_MAX)
    return Contact("email", address.lower(), "" if "@" in name else name, page)


def _page_contact(a: etree._Element, target: str, page: str) -> Contact | None:
    path = urlsplit(target).path
    anchor = _text(a)
    if _AUTHOR_PATH.search(path):
        return Contact("author_page", target, anchor if len(anchor) <= 80 else "", page)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    for kind, pattern in _CONTACT_KINDS:
        if pattern.search(last) or (len(anchor) <= 40 and pattern.search(anchor)):
            return Contact(kind, target, "", page)
    return None


def _add_contact(result: PageExtract, seen: set[tuple[str, str]], contact: Contact | None) -> None:
    if contact and (contact.kind, contact.value) not in seen:
        seen.add((contact.kind, contact.value))
        result.contacts.append(contact)
