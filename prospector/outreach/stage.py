"""The draft stage: pick each prospect's contact, gather its dead links, render one draft per
contact, honour the do-not-contact list, store the drafts for export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from prospector.outreach.contacts import ChosenContact, choose_contact
from prospector.outreach.render import (
    FOLLOWUP,
    OUTREACH,
    LinkToFix,
    Sender,
    build_drafts,
    default_template,
    load_template,
)
from prospector.inputs import Suppression
from prospector.outreach.opportunities import Opportunity, read_opportunities
from prospector.store import Store
from prospector.verdict import PITCHABLE, Verdict


@dataclass(frozen=True)
class DraftOptions:
    include_likely_dead: bool = False
    include_unmatched: bool = False
    max_links_per_email: int = 3
    template: Path | None = None  # the outreach template; default templates/outreach.txt.j2
    followup_template: Path | None = None
    suppression: Suppression = Suppression()
    problems: tuple[str, ...] = ()  # lines of the do-not-contact list that could not be read


@dataclass(frozen=True)
class DraftSummary:
    drafts: int
    links: int  # dead links covered by the drafts
    without_suggestion: int  # left out: no suggestion (see --include-unmatched)
    suppressed: int  # contacts left out by the do-not-contact list
    without_email: int  # drafts addressed to a contact page rather than an address
    problems: tuple[str, ...] = ()  # lines of the do-not-contact list that could not be read

    title = "Draft finished"

    def rows(self) -> list[tuple[str, object]]:
        return [("drafts (one per contact)", self.drafts), ("dead links in drafts", self.links),
                ("drafts to a contact page, no address", self.without_email),
                ("left out: no suggestion", self.without_suggestion),
                ("left out: do-not-contact", self.suppressed)]


def contacts_for(store: Store, opportunities: list[Opportunity]) -> dict[int, ChosenContact]:
    """The chosen contact of every prospect that has opportunities."""
    authors: dict[int, list[str]] = defaultdict(list)
    for o in opportunities:
        authors[o.prospect_id].append(o.author)
    prospects = {p.id: p for p in store.prospects()}
    return {pid: choose_contact(prospects[pid], store.contacts(pid), names) for pid, names in authors.items()}


def draft_all(store: Store, sender: Sender, options: DraftOptions) -> DraftSummary:
    outreach = load_template(options.template or default_template(OUTREACH))
    followup = load_template(options.followup_template or default_template(FOLLOWUP))
    verdicts = PITCHABLE if options.include_likely_dead else (Verdict.DEAD,)
    opportunities = read_opportunities(store, verdicts)
    contacts = contacts_for(store, opportunities)
    without_suggestion = len({(o.page_url, o.dead_url) for o in opportunities if not o.suggested_url})
    if not options.include_unmatched:
        opportunities = [o for o in opportunities if o.suggested_url]
    # contact -> (contact, prospects, dead URL -> its occurrences): one bullet per dead URL
    groups: dict[str, tuple[ChosenContact, dict[str, tuple[str, str, str]], dict[str, list[Opportunity]]]] = {}
    suppressed: set[str] = set()
    for o in opportunities:
        contact = contacts[o.prospect_id]
        if options.suppression.blocks(contact.email, o.prospect_domain):
            suppressed.add(contact.key)
            continue
        _, prospects, links = groups.setdefault(contact.key, (contact, {}, {}))
        prospects.setdefault(o.prospect, (o.prospect, o.prospect_name, o.prospect_domain))
        links.setdefault(o.dead_url, []).append(o)
    drafts = build_drafts([(c, list(p.values()), [_link(found) for found in l.values()])
                           for c, p, l in groups.values()],
                          sender, outreach, followup, options.max_links_per_email)
    store.save_drafts([{
        "contact_key": d.contact.key, "to_email": d.contact.email, "to_name": d.contact.name,
        "contact_url": d.contact.url, "subject": d.subject, "body": d.body,
        "followup_subject": d.followup_subject, "followup_body": d.followup_body,
        "prospect": " ".join(d.prospects),
        "page_urls": " ".join(dict.fromkeys(url for link in d.links for url, _ in link.pages)),
        "dead_urls": " ".join(dict.fromkeys(link.dead_url for link in d.links)),
        "suggested_urls": " ".join(dict.fromkeys(link.suggested_url for link in d.links if link.suggested_url)),
    } for d in drafts])
    return DraftSummary(
        drafts=len(drafts),
        links=sum(len(d.links) for d in drafts),
        without_suggestion=0 if options.include_unmatched else without_suggestion,
        suppressed=len(suppressed),
        without_email=sum(not d.contact.email for d in drafts),
        problems=options.problems,
    )


def _link(occurrences: list[Opportunity]) -> LinkToFix:
    """One dead URL of one contact: its best occurrence speaks for it, every page is listed."""
    ranked = sorted(occurrences, key=lambda o: (-o.priority, o.page_url))
    o = ranked[0]
    pages = tuple(dict.fromkeys((x.page_url, x.page_title) for x in ranked))
    return LinkToFix(pages=pages, page_url=o.page_url, page_title=o.page_title, anchor=o.anchor_text,
                     dead_url=o.dead_url, verdict=o.verdict, reason=o.reason, reason_code=o.reason_code,
                     status=o.status, placement=o.placement, rel=o.rel,
                     priority=o.priority, suggested_url=o.suggested_url, suggested_title=o.suggested_title,
                     match_reason=o.match_reason)
