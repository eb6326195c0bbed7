"""What campaigns left in a cluster's Redis database (queued and in-flight requests, results
not stored, dupefilters), listed by `prospector clear` and cleared by `prospector clear --campaign ID`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from prospector.cluster import keys
from prospector.cluster.coordinator import CoordinatorBusy
from prospector.cluster.queue import read


@dataclass(frozen=True)
class Leftovers:
    """What a campaign left in Redis: requests queued, held by workers, results not stored,
    and whether its dupefilter remains (a stage that did not finish)."""

    campaign: str
    store: str
    host: str
    queued: int
    in_flight: int
    results: int
    unfinished: bool

    def __str__(self) -> str:
        where = f" (store {self.store} on {self.host})" if self.store else ""
        return (f"campaign {self.campaign}{where}: {self.queued} requests queued, {self.in_flight} in flight, "
                f"{self.results} results not stored")


def leftovers(server: Any) -> list[Leftovers]:
    """Every campaign with work left in this Redis database (a stale `about` alone is removed)."""
    found: dict[str, Counter[str]] = {}
    for key in server.scan_iter(f"{keys.PREFIX}:c:*", count=1000):
        campaign, stage, kind = keys.parse(key)
        counts = found.setdefault(campaign, Counter())
        if stage == "about":
            counts["about"] += 1
        elif kind == "inflight":
            counts["in_flight"] += read(server.hlen, key, 0)
        elif kind == "results":
            counts["results"] += read(server.llen, key, 0)
        elif kind == "requests":
            counts["queued"] += read(server.zcard, key, 0)
        else:  # its dupefilter, or a key of a later version
            counts["unfinished"] += 1
    listed = []
    for campaign, counts in sorted(found.items()):
        if set(counts) == {"about"}:  # its work was all done
            server.delete(keys.about(campaign))
            continue
        about = _about(server.get(keys.about(campaign)))
        listed.append(Leftovers(campaign, about.get("store", ""), about.get("host", ""), counts["queued"],
                                counts["in_flight"], counts["results"], bool(counts["unfinished"])))
    return listed


def _about(value: bytes | None) -> dict[str, str]:
    try:
        about = json.loads(value or b"{}")
    except ValueError:
        return {}
    return {k: v for k, v in about.items() if isinstance(v, str)} if isinstance(about, dict) else {}


def clear_campaign(server: Any, campaign: str) -> int:
    """Delete everything a campaign left in Redis (its queues, in-flight hashes, results and
    dupefilters); how many keys. Refused while its coordinator runs."""
    if server.get(keys.COORDINATOR) and (server.get(keys.CAMPAIGN) or b"").decode() == campaign:
        holder = (server.get(keys.COORDINATOR) or b"").decode()
        raise CoordinatorBusy(f"campaign {campaign}'s coordinator ({holder}) is running; stop it first")
    doomed = list(server.scan_iter(f"{keys.scope(campaign)}:*", count=1000))
    if doomed:
        server.delete(*doomed)
    if (server.get(keys.CAMPAIGN) or b"").decode() == campaign:
        server.delete(keys.CAMPAIGN)
    return len(doomed)
