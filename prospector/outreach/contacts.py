"""Who to write to at a prospect: the best contact, and the others kept. Pure.

Order of preference, as outreach practice has it: the address the user gave for the prospect;
then a mailto address on the prospect's own domain (one with a person's name first, then one
found on a contact page, then role addresses such as editor@ before other ones); then any
other mailto address; with no address at all, the contact form, the write-for-us page, the
about page, an author page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prospector.items import Contact, Prospect
from prospector.urls import registered_domain

ROLE_MAILBOXES = {"editor", "editors", "hello", "hi", "contact", "info", "team", "press", "tips",
                  "write", "writers", "submissions", "content", "blog", "news", "partnerships"}
UNUSABLE = re.compile(r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|abuse|bounce)", re.I)
PAGE_KINDS = ("contact_page", "write_for_us", "about_page", "author_page")
GENERIC_NAMES = {"email", "e-mail", "mail", "contact", "us", "me", "here", "write", "to", "the", "editor",
                 "editors", "team", "tips", "send", "a", "message", "click", "our", "get", "in", "touch",
                 "hello", "info", "press", "admin", "webmaster", "support", "newsletter"}


@dataclass(frozen=True)
class ChosenContact:
    email: str  # may be empty: then `url` is where to reach them (a contact form)
    name: str
    url: str  # contact page, or the page the address was found on
    kind: str  # given, email, contact_page, write_for_us, about_page, author_page, none
    others: tuple[str, ...] = ()  # every other address or page found

    @property
    def key(self) -> str:
        """Drafts are one per contact: the same address reached via two prospects is one."""
        return self.email.lower() if self.email else self.url


def person_name(text: str) -> str:
    """`Priya` or `Jane Doe` from a mailto's text; "" for "email us", "the editor", addresses."""
    text = " ".join(text.split()).strip(" ,.:;!")
    words = text.split()
    if not 1 <= len(words) <= 3 or "@" in text:
        return ""
    if any(w.lower() in GENERIC_NAMES or not w[:1].isupper() or not w.replace("-", "").replace("'", "").isalpha()
           for w in words):
        return ""
    return text


def choose_contact(prospect: Prospect, found: Sequence[Contact], authors: Iterable[str] = ()) -> ChosenContact:
    """The best way to reach a prospect; `authors`: bylines of its pages with dead links."""
    emails = [c for c in found if c.kind == "email" and not UNUSABLE.match(c.value)]
    emails.sort(key=lambda c: _email_rank(c, prospect.domain))
    pages = sorted((c for c in found if c.kind in PAGE_KINDS), key=lambda c: (PAGE_KINDS.index(c.kind), c.value))
    contact_page = next((c.value for c in pages if c.kind == "contact_page"), "")
    author = _most_common(authors)
    everything = [c.value for c in emails] + [c.value for c in pages]
    if prospect.email:
        chosen = ChosenContact(prospect.email.lower(), prospect.contact_name or author, contact_page, "given")
    elif emails:
        best = emails[0]
        chosen = ChosenContact(best.value, person_name(best.name) or author, contact_page or best.source_page, "email")
    elif pages:
        best_page = pages[0]
        name = person_name(best_page.name) if best_page.kind == "author_page" else ""
        chosen = ChosenContact("", name or author, best_page.value, best_page.kind)
    else:
        chosen = ChosenContact("", author, prospect.url, "none")
    others = tuple(v for v in dict.fromkeys(everything) if v not in (chosen.email, chosen.url))
    return ChosenContact(chosen.email, chosen.name, chosen.url, chosen.kind, others)


def _email_rank(contact: Contact, domain: str) -> tuple[bool, bool, bool, bool, str]:
    local, _, host = contact.value.partition("@")
    return (
        registered_domain(host) != domain,
        not person_name(contact.name),
        "contact" not in contact.source_page.lower(),
        local.split("+")[0].lower() not in ROLE_MAILBOXES,
        contact.value,
    )


def _most_common(names: Iterable[str]) -> str:
    counts = Counter(n for n in (person_name(a) for a in names) if n)
    return counts.most_common(1)[0][0] if counts else ""
