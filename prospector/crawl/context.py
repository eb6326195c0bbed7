"""The context of a link: the sentence that holds it and enough of its paragraph to tell what
it points to. Pure: an lxml element in, text out.

A blogger often says what a link is about in one sentence and links it in the next ("Item 17:
point your analytics at the new domain without losing the old history. We followed [this] and
nothing broke."). So the context is the link's own sentence with the sentence before it, and
the one after it too when the link's sentence says little (it is short) or opens the paragraph
— within CONTEXT_MAX characters, the link's sentence kept first. The link is found by where it
stands in the paragraph, never by searching for its anchor text (an anchor "here" is also in
"There"). Line breaks (`<br>`) end a sentence; a table cell too short to say anything is read
with its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from prospector.store import Store

CONTEXT_MAX = 600  # characters kept around a link
SHORT_SENTENCE = 120  # a link's sentence shorter than this (its anchor aside) brings the next one too
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
_SKIPPED = {"script", "style", "noscript", "template"}
_APART = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table", "caption", "figcaption",
          "blockquote", "section", "article", "aside", "h1", "h2", "h3", "h4", "h5", "h6"}  # never run into a neighbour


@dataclass
class BlockText:
    """A block's text (whitespace collapsed), where each of its links stands in it, and where
    its sentences end."""

    text: str
    spans: dict[etree._Element, tuple[int, int]]
    sentences: list[tuple[int, int]]

    @classmethod
    def read(cls, block: etree._Element) -> BlockText:
        flat = _Flattened()
        flat.walk(block)
        text = "".join(flat.parts)
        return cls(text, flat.spans, _sentences(text, flat.breaks))

    def context(self, link: etree._Element) -> str:
        """The link's sentence, the one before, and the one after when the link's says little."""
        span = self.spans.get(link)
        if span is None or not self.sentences:
            return self.text[:CONTEXT_MAX]
        at = next((i for i, (s, e) in enumerate(self.sentences) if s <= span[0] < e or span[0] < s),
                  len(self.sentences) - 1)
        own = self.sentences[at]
        said = (own[1] - own[0]) - (span[1] - span[0])
        wanted = [at]
        if at > 0:
            wanted.insert(0, at - 1)
        if (said < SHORT_SENTENCE or at == 0) and at + 1 < len(self.sentences):
            wanted.append(at + 1)
        while len(wanted) > 1 and self._length(wanted) > CONTEXT_MAX:  # the farther neighbour goes first
            wanted.remove(at + 1 if at + 1 in wanted else at - 1)
        if self._length(wanted) <= CONTEXT_MAX:
            return " ".join(self.text[s:e].strip() for s, e in (self.sentences[i] for i in wanted))
        return _clip(self.text[own[0]:own[1]].strip(), span[0] - own[0], span[1] - own[0])

    def last_sentence(self) -> str:
        if not self.sentences:
            return ""
        start, end = self.sentences[-1]
        return self.text[start:end].strip() if end - start <= SHORT_SENTENCE else ""

    def _length(self, chosen: list[int]) -> int:
        return sum(self.sentences[i][1] - self.sentences[i][0] + 1 for i in chosen)


class _Flattened:
    """A block's text as one line of words, with where each link and each <br> falls in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.space = False  # a word break is due before the next word
        self.spans: dict[etree._Element, tuple[int, int]] = {}
        self.breaks: list[int] = []

    def walk(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIPPED:
            return
        if el.tag == "br":
            self.breaks.append(self.pos)
        if el.tag == "br" or el.tag in _APART:
            self.space = True
        start = self._link_start() if el.tag == "a" else None
        self.emit(el.text)
        for child in el:
            self.walk(child)
            self.emit(child.tail)
        if start is not None:
            self.spans[el] = (start, self.pos)
        if el.tag in _APART:
            self.space = True

    def emit(self, raw: str | None) -> None:
        if not raw:
            return
        words = raw.split()
        if not words:
            self.space = True
            return
        if (raw[0].isspace() or self.space) and self.pos:
            self._add(" ")
        self._add(" ".join(words))
        self.space = raw[-1].isspace()

    def _link_start(self) -> int:
        if self.space and self.pos:  # the link starts after the space it follows
            self._add(" ")
            self.space = False
        return self.pos

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)


def _sentences(text: str, breaks: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`: ended by punctuation and a capital, or a <br>."""
    ends = sorted({m.start() for m in _SENTENCE_END.finditer(text)} | set(breaks))
    bounds, start = [], 0
    for end in ends:
        if start < end <= len(text):
            bounds.append((start, end))
            start = end
    bounds.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in bounds if text[s:e].strip()]


def _clip(text: str, start: int, end: int) -> str:
    """CONTEXT_MAX characters of one long sentence, centred on the link (start:end)."""
    room = max(0, CONTEXT_MAX - (end - start))
    left = max(0, start - room // 2)
    left = text.rfind(" ", 0, left) + 1 if left else 0
    right = min(len(text), left + CONTEXT_MAX)
    if right < len(text):
        space = text.rfind(" ", left, right)
        right = space if space > end else right
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def older_contexts_note(store: Store) -> str | None:
    """A note when stored pages' link contexts were written by an older extractor (only each
    link's own sentence): a re-crawl reads them again."""
    older = store.pages_read_by_older_versions()
    if not older:
        return None
    return (f"Note: {older} stored page{'s were' if older > 1 else ' was'} read by an older prospector, which kept "
            "only each link's own sentence as its context; a crawl with --recrawl-after DAYS (any number) reads "
            "them again.")
