"""Opportunities: one per (prospect page, dead link), with the priority that orders the work.

Priority, 0-100, documented in the README:
  verdict    dead 35, likely dead 15
  placement  content 25, sidebar 12, header/nav/footer/comments 4
  rel        dofollow (no nofollow, ugc or sponsored) 15
  page       +3 for each other dead link on the same page, up to +9 (one email fixes several)
  reach      +2 for each other prospect domain linking the same dead URL, up to +6
  fit        +10 when one of your pages is suggested as the replacement
"""

from __future__ import annotations

from dataclasses import dataclass

VERDICT_POINTS = {"dead": 35, "likely_dead": 15}
PLACEMENT_POINTS = {"content": 25, "sidebar": 12}
OTHER_PLACEMENT_POINTS = 4
DOFOLLOW_POINTS = 15
SUGGESTION_POINTS = 10


def priority(verdict: str, placement: str, rel: str, dead_on_page: int, referring_domains: int,
             has_suggestion: bool) -> int:
    return (
        VERDICT_POINTS.get(verdict, 0)
        + PLACEMENT_POINTS.get(placement, OTHER_PLACEMENT_POINTS)
        + (DOFOLLOW_POINTS if not rel else 0)
        + 3 * min(max(dead_on_page - 1, 0), 3)
        + 2 * min(max(referring_domains - 1, 0), 3)
        + (SUGGESTION_POINTS if has_suggestion else 0)
    )


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
    status: int | None
    suggested_url: str
    suggested_title: str
    score: float | None
    match_reason: str
    dead_on_page: int
    referring_domains: int

    @property
    def priority(self) -> int:
        return priority(self.verdict, self.placement, self.rel, self.dead_on_page, self.referring_domains,
                        bool(self.suggested_url))
