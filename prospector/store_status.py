"""What the store holds, stage by stage: `prospector status` and `Campaign.status()`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from prospector.shown import Rows
from prospector.stages import STAGES
from prospector.verdict import Verdict

if TYPE_CHECKING:
    from prospector.store import Store


LISTING = {True: "complete", False: "the next deadsite run goes on"}


@dataclass(frozen=True)
class StoreStatus:
    db: str
    sections: list[tuple[str, Rows]]  # (stage title, rows) in STAGES order, then the outreach history
    counts: dict[str, int] = field(default_factory=dict)  # the store's counts, as for --json

    @property
    def problems(self) -> int:
        return self.counts.get("problems", 0)

    @classmethod
    def of(cls, store: Store, db: str) -> StoreStatus:
        from prospector.outreach.history import FIRST, CampaignHistory

        c = store.counts()
        claimed = store.claimed_link_states()  # carried, gone, unread
        kinds = Counter(row.link_kind for row in store.dead_links())
        history = CampaignHistory.from_rows(store.history(), date.today())
        latest: dict[str, str] = {}
        for entry in history.entries:  # oldest first: the last status of each contact stands
            latest[entry.contact_key] = entry.status
        by_status = Counter(latest.values())
        outreach_rows: Rows = [("contacts recorded", len(latest)),
                               *[(f"  {s}", by_status.get(s, 0)) for s in ("sent", "replied", "won", "lost", "skip")],
                               ("first emails sent",
                                sum(e.kind == FIRST and e.status == "sent" for e in history.entries)),
                               (f"follow-ups due (sent {history.followup_after.days}+ days ago, no answer)",
                                len(history.due_followups()))]
        not_pitched = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()) if kind != "editorial") or "none"
        rows: dict[str, Rows] = {
            "crawl": [("prospects", c["prospects"]), ("pages fetched", c["pages"]),
                      ("pages with problems", c["page_errors"]), ("outbound links", c["occurrences"]),
                      ("unique outbound URLs", c["outbound_urls"]), ("contacts found", c["contacts"]),
                      *([("imported links: carried / gone / not read", " / ".join(map(str, claimed.values())))]
                        if any(claimed.values()) else []),
                      *[(f"dead site {s.domain}: pages listed", f"{s.pages} ({LISTING[s.complete]})")
                        for s in store.site_listings()]],
            "check": [("URLs checked", c["checked"]), *[(v.replace("_", " "), c[v]) for v in Verdict],
                      ("dead or likely dead, never pitched", not_pitched)],
            "match": [("own pages", c["own_pages"]), ("dead links with a suggestion", c["matched"]),
                      ("dead links, nothing fits", c["no_match"])],
            "draft": [("drafts", c["drafts"]), ("problems recorded", c["problems"])],
        }
        sections = [(stage.title, rows[stage.name]) for stage in STAGES if stage.name in rows]
        return cls(db, [*sections, ("Outreach", outreach_rows)], dict(c))
