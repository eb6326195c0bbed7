"""The draft stage: pick each prospect's contact, gather its dead links, render one draft per
contact, honour the do-not-contact list and the outreach history (no second first email
within the recontact window, no URL pitched twice to a prospect, follow-ups when due), store
the drafts for export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from prospector.inputs import Suppression
from prospector.outreach.contacts import ChosenContact, choose_contact
from prospector.outreach.history import (
    DEFAULT_FOLLOWUP_AFTER_DAYS,
    DEFAULT_RECONTACT_AFTER_DAYS,
    FIRST,
    FOLLOWUP,
    CampaignHistory,
    HistoryEntry,
)
from prospector.outreach.opportunities import SKIP, Opportunity, read_opportunities
from prospector.outreach.render import (
    FOLLOWUP_TEMPLATE,
    OUTREACH,
    LinkToFix,
    ProspectRef,
    Sender,
    best_links,
    build_drafts,
    default_template,
    draft_context,
    load_template,
    render,
)
from prospector.shown import Shown
from prospector.store import Store
from prospector.store.rows import Draft
from prospector.urls import host_of, registered_domain
from prospector.verdict import PITCHABLE, Verdict

DEFAULT_MAX_LINKS = 3  # dead links listed in one email, best first

@dataclass(frozen=True)
class DraftOptions:
    include_likely_dead: bool = False
    include_unmatched: bool = False
    max_links_per_email: int = DEFAULT_MAX_LINKS
    template: Path | None = None  # the outreach template; default templates/outreach.txt.j2
    followup_template: Path | None = None
    suppression: Suppression = Suppression()
    problems: tuple[str, ...] = ()  # lines of the do-not-contact list that could not be read
    recontact_after_days: int = DEFAULT_RECONTACT_AFTER_DAYS
    followup_after_days: int = DEFAULT_FOLLOWUP_AFTER_DAYS
    today: date | None = None  # None: today; a test or a catch-up run may say otherwise

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return PITCHABLE if self.include_likely_dead else (Verdict.DEAD,)


@dataclass(frozen=True)
class DraftSummary(Shown):
    drafts: int  # first emails
    links: int  # dead links covered by the first emails
    without_suggestion: int  # left out: no suggestion (see --include-unmatched)
    suppressed: int  # contacts left out by the do-not-contact list
    without_email: int  # drafts addressed to a contact page rather than an address
    problems: tuple[str, ...] = ()  # lines of the do-not-contact list that could not be read
    followups: int = 0  # follow-up drafts: a sent email with no answer recorded, old enough
    recently_contacted: int = 0  # contacts left out: recorded in the last recontact_after days
    already_pitched: int = 0  # dead URLs left out: the prospect was told about them before
    skipped: int = 0  # links left out: 'skip' recorded in opportunities.csv's use column
    verified: int = 0  # dead links checked again just before drafting
    dropped_on_verify: int = 0  # ... and left out: alive again, or blocked or unknown now
    recontact_after_days: int = DEFAULT_RECONTACT_AFTER_DAYS
    exported: tuple[Path, ...] = ()  # the files written again with the drafts (draft --out)

    title = "Draft finished"

    def rows(self) -> list[tuple[str, object]]:
        return [("drafts (one per contact)", self.drafts), ("dead links in drafts", self.links),
                ("follow-ups due", self.followups),
                ("drafts to a contact page, no address", self.without_email),
                ("left out: no suggestion", self.without_suggestion),
                ("left out: do-not-contact", self.suppressed),
                (f"left out: contacted in the last {self.recontact_after_days} days", self.recently_contacted),
                ("left out: already pitched to that prospect", self.already_pitched),
                *([("left out: skip (your use column)", self.skipped)] if self.skipped else []),
                ("re-checked before drafting", self.verified),
                ("left out: no longer dead on re-check", self.dropped_on_verify),
                *[(path.name, str(path)) for path in self.exported]]


PLACEHOLDER_SENDERS = {"sam lee", "sam@example.com"}  # what `prospector init` writes in [sender]
PLACEHOLDER_DOMAINS = {"example.com", "example.org", "example.net"}


def sender_warnings(sender: Sender, drafts: list[Draft]) -> list[str]:
    """What looks wrong about who signs the drafts: the starter's placeholders, or a site of
    yours other than the one whose pages the drafts suggest."""
    found = []
    domain = registered_domain(host_of(sender.site)) if sender.site.startswith(("http://", "https://")) else ""
    if sender.name.strip().lower() in PLACEHOLDER_SENDERS or sender.email.strip().lower() in PLACEHOLDER_SENDERS or \
            sender.email.lower().rpartition("@")[2] in PLACEHOLDER_DOMAINS or domain in PLACEHOLDER_DOMAINS:
        found.append(f"the drafts are signed {sender.name} <{sender.email}>{', ' + sender.site if sender.site else ''}"
                     ": the starter's placeholders? Set [sender] in prospector.toml (or --sender-*) before sending")
    suggested = {registered_domain(host_of(url)) for d in drafts for url in d.suggested_urls.split()}
    if domain and suggested and domain not in suggested:
        found.append(f"your site is {domain} (--sender-site), but the pages the drafts suggest are on "
                     f"{', '.join(sorted(suggested))}")
    return found


def contacts_for(store: Store, opportunities: list[Opportunity]) -> dict[int, ChosenContact]:
    """The chosen contact of every prospect that has opportunities."""
    authors: dict[int, list[str]] = defaultdict(list)
    for o in opportunities:
        authors[o.prospect_id].append(o.author)
    prospects = {p.id: p for p in store.prospects()}
    return {pid: choose_contact(prospects[pid], store.contacts(pid), names) for pid, names in authors.items()}


@dataclass(frozen=True)
class ContactPitch:
    """What one contact's first email would pitch."""

    contact: ChosenContact
    prospects: dict[str, ProspectRef] = field(default_factory=dict)  # prospect URL -> (url, name, domain)
    links: dict[str, list[Opportunity]] = field(default_factory=dict)  # dead URL -> its occurrences


@dataclass
class PitchPlan:
    """What a draft run would pitch, before anything is rendered."""

    history: CampaignHistory
    groups: dict[str, ContactPitch]  # contact key -> its pitch
    followups: list[HistoryEntry]  # the sent first emails a follow-up is due for
    without_suggestion: int
    suppressed: set[str]
    recently_contacted: set[str]
    already_pitched: set[tuple[str, str]]
    by_url: dict[str, list[Opportunity]]  # every occurrence of each dead URL (for follow-ups)
    skipped: int = 0  # links on prospect pages the reviewer wrote 'skip' for

    def dead_urls(self) -> set[str]:
        """Every dead URL the drafts would name, follow-ups included (to re-check them first)."""
        first = {url for pitch in self.groups.values() for url in pitch.links}
        return first | {url for sent in self.followups for url in sent.dead_urls}


def plan_pitches(store: Store, options: DraftOptions) -> PitchPlan:
    history = CampaignHistory.from_rows(store.history(), options.today or date.today(), options.recontact_after_days,
                                        options.followup_after_days)
    found = read_opportunities(store, options.verdicts)
    opportunities = [o.as_chosen() for o in found if o.use != SKIP]  # the reviewer's picks
    contacts = contacts_for(store, opportunities)
    without_suggestion = len({(o.page_url, o.dead_url) for o in opportunities if not o.suggested_url})
    by_url: dict[str, list[Opportunity]] = defaultdict(list)
    for o in opportunities:
        by_url[o.dead_url].append(o)
    if not options.include_unmatched:
        opportunities = [o for o in opportunities if o.suggested_url]
    plan = PitchPlan(history, {}, history.due_followups(), without_suggestion, set(), set(), set(), by_url,
                     skipped=sum(o.use == SKIP for o in found))
    for o in opportunities:
        contact = contacts[o.prospect_id]
        if options.suppression.blocks(contact.email, o.prospect_domain):
            plan.suppressed.add(contact.key)
        elif history.already_told(o.prospect_domain, o.dead_url):
            plan.already_pitched.add((o.prospect_domain, o.dead_url))
        elif history.contacted_recently(contact.key, [o.prospect_domain]):
            plan.recently_contacted.add(contact.key)
        else:
            pitch = plan.groups.setdefault(contact.key, ContactPitch(contact))
            pitch.prospects.setdefault(o.prospect, o.prospect_ref)
            pitch.links.setdefault(o.dead_url, []).append(o)
    plan.followups = [sent for sent in plan.followups if not options.suppression.blocks(sent.to_email, *sent.domains)]
    return plan


def draft_all(store: Store, sender: Sender, options: DraftOptions, verified: tuple[int, int] = (0, 0),
              plan: PitchPlan | None = None, note: Callable[[str], None] | None = None) -> DraftSummary:
    """Render and store the drafts: first emails by the plan, and the follow-ups due whose dead
    links are still dead. `verified`: (links re-checked just before, of which no longer dead);
    `plan`: one made since the last check, if there is one (else it is made here); `note`:
    given what a reader would notice about the sender, a line each (sender_warnings)."""
    outreach = load_template(options.template or default_template(OUTREACH))
    followup = load_template(options.followup_template or default_template(FOLLOWUP_TEMPLATE))
    plan = plan or plan_pitches(store, options)
    history = plan.history
    drafts = build_drafts([(p.contact, list(p.prospects.values()), [_link(found) for found in p.links.values()])
                           for p in plan.groups.values()],
                          sender, outreach, followup, options.max_links_per_email)
    still_dead = store.urls_with_verdict(plan.dead_urls(), options.verdicts)
    followups = []
    for sent in plan.followups:
        dead_now = tuple(url for url in sent.dead_urls if url in still_dead)
        if dead_now:
            subject, body = _followup_text(sent, dead_now, plan, sender, followup, options.max_links_per_email)
            followups.append((sent, dead_now, subject, body))
    store.save_drafts([*({
        "contact_key": d.contact.key, "kind": FIRST, "to_email": d.contact.email, "to_name": d.contact.name,
        "contact_url": d.contact.url, "subject": d.subject, "body": d.body,
        "followup_subject": d.followup_subject, "followup_body": d.followup_body,
        "prospect": " ".join(d.prospects), "domains": " ".join(d.domains),
        "page_urls": " ".join(dict.fromkeys(url for link in d.links for url, _ in link.pages)),
        "dead_urls": " ".join(dict.fromkeys(link.dead_url for link in d.links)),
        "suggested_urls": " ".join(dict.fromkeys(link.suggested_url for link in d.links if link.suggested_url)),
        "last_contacted": history.last_contacted(d.contact.key),
    } for d in drafts), *({
        "contact_key": sent.contact_key, "kind": FOLLOWUP, "to_email": sent.to_email, "to_name": sent.to_name,
        "contact_url": sent.contact_url, "subject": subject, "body": body, "followup_subject": "",
        "followup_body": "", "prospect": sent.prospect, "domains": " ".join(sent.domains), "page_urls": "",
        "dead_urls": " ".join(dead_now), "suggested_urls": "",
        "last_contacted": history.last_contacted(sent.contact_key),
    } for sent, dead_now, subject, body in followups)])
    if note is not None:
        for line in sender_warnings(sender, store.drafts()):
            note(f"Note: {line}")
    return DraftSummary(
        drafts=len(drafts),
        links=sum(len(d.links) for d in drafts),
        without_suggestion=0 if options.include_unmatched else plan.without_suggestion,
        suppressed=len(plan.suppressed),
        without_email=sum(not d.contact.email for d in drafts),
        problems=options.problems,
        followups=len(followups),
        recently_contacted=len(plan.recently_contacted - set(plan.groups)),
        already_pitched=len(plan.already_pitched),
        skipped=plan.skipped,
        verified=verified[0],
        dropped_on_verify=verified[1],
        recontact_after_days=options.recontact_after_days,
    )


def _followup_text(sent: HistoryEntry, dead_now: tuple[str, ...], plan: PitchPlan, sender: Sender,
                   template: jinja2.Template, max_links: int) -> tuple[str, str]:
    """The follow-up drafted with the email that was sent (as the user left it) while all its
    links are still dead; when some work again, the follow-up template over the others only,
    so a follow-up never says a working link is still broken."""
    if len(dead_now) == len(sent.dead_urls) or not sent.domains:
        return sent.followup_subject, sent.followup_body
    found = {url: [o for o in plan.by_url.get(url, []) if o.prospect_domain in sent.domains] for url in dead_now}
    links = [_link(occurrences) for occurrences in found.values() if occurrences]
    if not links:
        return sent.followup_subject, sent.followup_body
    prospects = list(dict.fromkeys(o.prospect_ref for occurrences in found.values() for o in occurrences))
    contact = ChosenContact(sent.to_email, sent.to_name, sent.contact_url, "given")
    return render(template, draft_context(contact, prospects, best_links(links, max_links), sender))


def _link(occurrences: list[Opportunity]) -> LinkToFix:
    """One dead URL of one contact: its best occurrence speaks for it, every page is listed."""
    ranked = sorted(occurrences, key=lambda o: (-o.priority, o.page_url))
    o = ranked[0]
    pages = tuple(dict.fromkeys((x.page_url, x.page_title) for x in ranked))
    return LinkToFix(pages=pages, page_url=o.page_url, page_title=o.page_title, anchor=o.anchor_text,
                     dead_url=o.dead_url, verdict=o.verdict, reason=o.reason, reason_code=o.reason_code,
                     status=o.status, placement=o.placement, rel=o.rel,
                     priority=o.priority, suggested_url=o.suggested_url, suggested_title=o.suggested_title,
                     match_reason=o.match_reason, archived_title=o.archived_title, archived_url=o.archived_url)
