"""Opportunities: one per (prospect page, dead editorial link), with the priority that orders
the work: what can be sent comes first.

Priority, 0-100, documented in the README:
  verdict    dead 30, likely dead 12
  placement  content 15, sidebar 8, header/nav/footer/comments 2
  rel        dofollow (no nofollow, ugc or sponsored) 8
  page       +2 for each other dead link on the same page, up to +6 (one email fixes several)
  reach      +2 for each other prospect domain linking the same dead URL, up to +6
  fit        with a suggestion: 10 + 25 x its confidence (0-1)
At the default cut-offs (confidence 0.47 with semantic matching, 0.29 on words only), a dead,
dofollow link in the content with a suggestion (at least 70) always outranks one with nothing
to pitch (at most 65), which stays listed as content worth recreating.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from prospector.link_kind import EDITORIAL, link_kind
from prospector.outreach.render import ProspectRef
from prospector.store.crawl import extra_columns
from prospector.verdict import PITCHABLE, Verdict

if TYPE_CHECKING:
    from prospector.store import Store

VERDICT_POINTS: dict[str, int] = {Verdict.DEAD: 30, Verdict.LIKELY_DEAD: 12}
PLACEMENT_POINTS: dict[str, int] = {"content": 15, "sidebar": 8}
OTHER_PLACEMENT_POINTS = 2
DOFOLLOW_POINTS = 8
SUGGESTION_POINTS, CONFIDENCE_POINTS = 10, 25
# The page's standing: the prospect's authority (authority.py; 0-100, none given: none) and the
# page's resource score (resource_score.py; 0-1), 2 points at most each. Small enough that a
# link with a page to suggest still ranks above any without (70 or more against 65 + 4 at most).
AUTHORITY_POINTS, RESOURCE_POINTS = 2, 2
SKIP = "skip"  # in the `use` column: leave this link out of the emails


def priority(verdict: str, placement: str, rel: str, dead_on_page: int, referring_domains: int,
             has_suggestion: bool, confidence: float = 0.0, authority: float = 0.0, resource_score: float = 0.0) -> int:
    return min(100, round(
        VERDICT_POINTS.get(verdict, 0)
        + PLACEMENT_POINTS.get(placement, OTHER_PLACEMENT_POINTS)
        + (DOFOLLOW_POINTS if not rel else 0)
        + 2 * min(max(dead_on_page - 1, 0), 3)
        + 2 * min(max(referring_domains - 1, 0), 3)
        + (SUGGESTION_POINTS + CONFIDENCE_POINTS * confidence if has_suggestion else 0)
        + AUTHORITY_POINTS * authority / 100 + RESOURCE_POINTS * resource_score
    ))


@dataclass(frozen=True)
class Opportunity:
    prospect_id: int
    prospect: str  # the prospect's URL
    prospect_name: str
    prospect_domain: str
    page_url: str
    page_title: str
    author: str
    anchor_text: str
    context: str
    rel: str
    placement: str
    dead_url: str
    verdict: str
    reason: str
    reason_code: str
    status: int | None
    suggested_url: str
    suggested_title: str
    score: float | None
    match_reason: str
    dead_on_page: int
    referring_domains: int
    confidence: float | None  # of the match; None when the link was not matched yet
    other_suggestions: str = ""  # the next two pages: "url (score); url (score)"
    archived_url: str = ""  # the dead page's last good capture in the Internet Archive
    archived_at: str = ""
    archived_title: str = ""
    prospect_notes: str = ""  # the prospect list's notes and other columns
    prospect_extra: tuple[tuple[str, str], ...] = ()
    use: str = ""  # the reviewer's pick, recorded from the `use` column: an own page, SKIP, or ""
    use_title: str = ""  # the chosen page's title, when it is a page the store read
    authority: float | None = None  # the prospect's domain's, 0-100, from a ranked list (--authority)
    authority_source: str = ""  # that list: Tranco, Majestic Million, Open PageRank, Common Crawl
    resource_score: float | None = None  # the page's, 0-1 (resource_score.py); None: read before it was kept

    @property
    def prospect_ref(self) -> ProspectRef:
        return ProspectRef(self.prospect, self.prospect_name, self.prospect_domain, self.prospect_notes,
                           self.prospect_extra)

    @property
    def priority(self) -> int:
        return priority(self.verdict, self.placement, self.rel, self.dead_on_page, self.referring_domains,
                        bool(self.suggested_url), self.confidence or 0.0, self.authority or 0.0,
                        self.resource_score or 0.0)

    def as_chosen(self) -> Opportunity:
        """As the drafts pitch it: the page the reviewer chose in place of the matcher's."""
        if not self.use or self.use == SKIP:
            return self
        return replace(self, suggested_url=self.use, suggested_title=self.use_title,
                       match_reason="chosen by you")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Opportunity:
        values = {f.name: row[f.name] for f in fields(cls) if f.name in row}
        values["prospect_extra"] = extra_columns(row.get("prospect_extra", "{}"))
        return cls(**values)


def read_opportunities(store: Store, verdicts: tuple[str, ...] = PITCHABLE) -> list[Opportunity]:
    """Every occurrence of a dead editorial URL on a prospect page (share buttons, profiles,
    ads … are never opportunities)."""
    return [Opportunity.from_row(row) for row in store.opportunity_rows(verdicts)
            if link_kind(row["dead_url"]) == EDITORIAL]
