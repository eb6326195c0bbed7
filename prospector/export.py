"""From the store to CSV files that open cleanly in Excel and Google Sheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from prospector.outreach.contacts import ChosenContact, choose_contact
from prospector.outreach.opportunities import Opportunity, read_opportunities
from prospector.outreach.stage import contacts_for
from prospector.spreadsheet import neutralise
from prospector.store import Store
from prospector.verdict import Verdict

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}

DEAD_LINK_COLUMNS = ["dead_url", "link_kind", "verdict", "reason", "reason_code", "status", "referring_pages",
                     "referring_domains", "archived_url", "archived_at", "archived_title"]
OPPORTUNITY_COLUMNS = ["prospect", "page_url", "page_title", "author", "anchor_text", "context", "rel", "placement",
                       "dead_url", "verdict", "reason", "reason_code", "status", "suggested_url", "suggested_title", "score",
                       "confidence", "match_reason", "other_suggestions", "contact_email", "contact_url",
                       "priority", "archived_url", "archived_at", "archived_title"]
# `status` is left empty for the user to fill in (sent, skip, replied, won, lost): `prospector record`.
EMAIL_COLUMNS = ["status", "kind", "to_email", "to_name", "contact_url", "subject", "body", "followup_body", "prospect",
                 "page_urls", "dead_urls", "suggested_urls", "last_contacted"]
PROSPECT_COLUMNS = ["prospect", "name", "pages_crawled", "outbound_links", "dead", "likely_dead", "contact_found",
                    "contact_email", "contact_url", "errors", "other_contacts"]


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> Path:
    """Write with fixed columns, neutralised text cells, and the chosen encoding (BOM for Excel)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe.to_csv(path, index=False, encoding=ENCODINGS[encoding], lineterminator="\r\n")
    return path


def dead_links_frame(store: Store) -> pd.DataFrame:
    rows = store.dead_links()
    frame = pd.DataFrame([r.__dict__ for r in rows], columns=DEAD_LINK_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    order = frame["verdict"].map({Verdict.DEAD: 0, Verdict.LIKELY_DEAD: 1})
    frame = frame.assign(_order=order).sort_values(
        ["_order", "referring_domains", "referring_pages", "dead_url"],
        ascending=[True, False, False, True], kind="stable",
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def opportunities_frame(opportunities: list[Opportunity], contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    rows = [{
        **{c: getattr(o, c) for c in OPPORTUNITY_COLUMNS if hasattr(o, c)},
        "prospect": o.prospect,
        "contact_email": contacts[o.prospect_id].email,
        "contact_url": contacts[o.prospect_id].url,
        "priority": o.priority,
    } for o in opportunities]
    frame = pd.DataFrame(rows, columns=OPPORTUNITY_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64").round(3)
    frame["confidence"] = frame["confidence"].astype("Float64").round(2)
    return frame.sort_values(["priority", "prospect", "page_url", "dead_url"], ascending=[False, True, True, True],
                             kind="stable").reset_index(drop=True)


def emails_frame(store: Store) -> pd.DataFrame:
    frame = pd.DataFrame(store.drafts(), columns=EMAIL_COLUMNS)
    frame["status"] = ""
    return frame.sort_values(["prospect", "to_email", "contact_url", "kind"], kind="stable").reset_index(drop=True)


def prospects_frame(store: Store, contacts: dict[int, ChosenContact]) -> pd.DataFrame:
    """`contacts`: the chosen contact of each prospect with opportunities; the others are
    chosen here."""
    stats = store.prospect_stats()
    prospects = {p.id: p for p in store.prospects()}
    rows = []
    for row in stats:
        contact = contacts.get(row["id"]) or choose_contact(prospects[row["id"]], store.contacts(row["id"]))
        rows.append({**row, "contact_found": "yes" if contact.kind != "none" else "no",
                     "contact_email": contact.email, "contact_url": contact.url if contact.kind != "none" else "",
                     "other_contacts": " ".join(contact.others)})
    return pd.DataFrame(rows, columns=PROSPECT_COLUMNS)


def export_all(store: Store, out_dir: str | Path, encoding: str = "utf-8-sig",
               counts: dict[str, int] | None = None) -> dict[str, Path]:
    """Write every CSV prospector produces, and report.html from the same tables and the
    store's `counts` (read here unless given); return name -> path."""
    from prospector.report import write_report

    out = Path(out_dir)
    opportunities = read_opportunities(store)
    contacts = contacts_for(store, opportunities)
    frames = {
        "opportunities": opportunities_frame(opportunities, contacts),
        "emails": emails_frame(store),
        "dead_links": dead_links_frame(store),
        "prospects": prospects_frame(store, contacts),
    }
    paths = {name: write_csv(frame, out / f"{name}.csv", encoding) for name, frame in frames.items()}
    paths["report"] = write_report(frames, counts or store.counts(), out / "report.html")
    return paths
