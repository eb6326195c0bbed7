"""What the matcher reads from one of the user's own pages. Pure: HTML in, fields out."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree

from prospector.crawl.extract import separate_blocks
from prospector.text import TITLE_MAX, clip, safe

TEXT_MAX = 20_000  # characters of main text kept per page: every passage of a long docs page
DESCRIPTION_MAX = 1_000
_BOILERPLATE = ("nav", "header", "footer", "aside", "script", "style", "noscript", "form", "template")


@dataclass(frozen=True)
class PageContent:
    title: str = ""
    description: str = ""
    headings: str = ""  # h1-h3, one per line
    text: str = ""


def read_own_page(html: str | bytes) -> PageContent:
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageContent()
    separate_blocks(doc)
    title_el = doc.find(".//title")
    title = _clean(title_el.text_content()) if title_el is not None else ""
    description = ""
    for meta in doc.xpath(".//meta[@name='description' or @property='og:description']"):
        description = _clean(meta.get("content") or "")
        if description:
            break
    headings = "\n".join(h for h in (_clean(el.text_content()) for el in doc.iter("h1", "h2", "h3")) if h)
    if not title:
        title = headings.split("\n", 1)[0]
    main = next(iter(doc.xpath("//main|//article|//*[@role='main']")), None)
    body = main if main is not None else doc.find(".//body")
    text = ""
    if body is not None:
        for el in body.xpath(" | ".join(f".//{tag}" for tag in _BOILERPLATE)):
            el.drop_tree()
        text = _clean(body.text_content())[:TEXT_MAX]
    return PageContent(title=clip(title, TITLE_MAX), description=clip(description, DESCRIPTION_MAX),
                       headings=headings, text=text)


def _clean(text: str) -> str:
    return " ".join(safe(text).split())
