"""report.html: one self-contained file (inline CSS, JavaScript and SVG; the data as JSON) that
opens offline in any browser and makes no network request. Rendered with Jinja's autoescaping
from the same DataFrames the CSVs are written from."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from prospector.columns import OPPORTUNITY_COLUMNS
from prospector.link_kind import link_kind
from prospector.report.charts import bar_chart
from prospector.resource_score import RESOURCE_PAGE
from prospector.text import safe
from prospector.verdict import Verdict
from prospector.version import __version__

HERE = Path(__file__).resolve().parent
ROWS_IN_HTML = 300  # rows of each table written as HTML, readable without JavaScript; the rest are in the JSON
MAILTO_MAX = 1800  # longer mailto: URLs are cut by some mail clients and browsers: copy instead
VERDICT_COLOURS = {"dead": "#b3261e", "likely_dead": "#e07b00", "alive": "#2e7d32", "blocked": "#6d4c9f",
                   "unknown": "#757575"}
OPPORTUNITY_FIELDS = ["priority", "prospect", "page_url", "page_title", "anchor_text", "context", "dead_url", "verdict",
                      "reason", "placement", "rel", "link_kind", "suggested_url", "suggested_title", "score",
                      "confidence", "match_reason", "other_suggestions", "use", "archived_title", "contact_email",
                      "prospect_notes", "resource_score", "page_kind"]
PAGE_KINDS = {True: "resource page", False: "other page"}  # by the page's resource score (resource_score.py)
VERDICT_HELP = {  # a verdict badge's tooltip
    "dead": "Certainly broken: 404 or 410, a redirect to one, or a domain that no longer exists",
    "likely_dead": "Almost surely broken (a 'not found' page, a parked domain, refused connections): look first",
    "alive": "Works", "blocked": "Refused robots (403, 999, a bot wall): it may work in a browser",
    "unknown": "Could not tell (timeouts, 5xx, rate limits): checked again next time"}


def safe_href(url: str) -> str:
    """The URL if it is a web or mail address a link may point to, else "" (javascript:, data:
    and anything unexpected are shown as text, never made a link)."""
    scheme = urlsplit(url.strip()).scheme.lower() if isinstance(url, str) else ""
    return url.strip() if scheme in ("http", "https", "mailto") else ""


def mailto(to: str, subject: str, body: str) -> str:
    """A mailto: URL with subject and body, or "" when there is no address or it would be too long."""
    if not to:
        return ""
    url = f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return url if len(url) <= MAILTO_MAX else ""


def _records(frame: pd.DataFrame, fields: list[str]) -> list[dict[str, Any]]:
    """Rows as plain dicts of plain values, missing ones as "" (for JSON and Jinja)."""
    chosen = frame.reindex(columns=fields)
    cleaned = chosen.astype(object).where(chosen.notna(), "")
    return [{k: safe(v) if isinstance(v, str) else v.item() if hasattr(v, "item") else v for k, v in row.items()}
            for row in cleaned.to_dict("records")]


def _json(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no "</script>", no HTML comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _about_prospects(opportunities: pd.DataFrame) -> list[str]:
    """Per row, the prospect list's notes and own columns in one line ("met at a conference ·
    DR: 54 · traffic: 1200")."""
    extra = [c for c in opportunities.columns if c not in OPPORTUNITY_COLUMNS and c != "link_kind"]
    about = []
    columns = [c for c in ["prospect_notes", *extra] if c in opportunities.columns]
    for row in opportunities[columns].astype(object).where(opportunities[columns].notna(), "").to_dict("records"):
        parts = [str(row.get("prospect_notes", "") or "")] + [f"{c}: {row[c]}" for c in extra if str(row[c])]
        about.append(" · ".join(p for p in parts if p))
    return about


def report_context(frames: dict[str, pd.DataFrame], counts: dict[str, int]) -> dict[str, Any]:
    opportunities = frames["opportunities"].copy()
    opportunities["link_kind"] = [link_kind(url) for url in opportunities["dead_url"]]
    opportunities["prospect_notes"] = _about_prospects(opportunities)
    scores = pd.to_numeric(opportunities["resource_score"], errors="coerce").fillna(0)
    opportunities["page_kind"] = [PAGE_KINDS[bool(score >= RESOURCE_PAGE)] for score in scores]
    rows = _records(opportunities, OPPORTUNITY_FIELDS)
    dead = frames["dead_links"]
    prospects = frames["prospects"]
    emails = frames["emails"]
    per_prospect = sorted(((r["name"] or r["prospect"], int(r["dead"]) + int(r["likely_dead"]))
                           for r in _records(prospects, ["prospect", "name", "dead", "likely_dead"])),
                          key=lambda pair: (-pair[1], pair[0]))[:25]
    wanted = (opportunities[opportunities["suggested_url"] != ""]
              .groupby(["suggested_url", "suggested_title"], as_index=False)
              .agg(dead_links=("dead_url", "nunique"), prospects=("prospect", "nunique"),
                   priority=("priority", "max"))
              .sort_values(["dead_links", "prospects", "priority", "suggested_url"],
                           ascending=[False, False, False, True], kind="stable"))
    drafts = []
    for e in _records(emails, list(emails.columns)):
        drafts.append({**e, "mailto": mailto(e["to_email"], e["subject"], e["body"]),
                       "dead": e["dead_urls"].split(), "suggested": e["suggested_urls"].split(),
                       "pages": e["page_urls"].split()})
    return {
        "version": __version__,
        "made_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "counts": counts,
        "verdict_chart": bar_chart([(v.replace("_", " "), counts.get(v, 0)) for v in Verdict], "URLs per verdict",
                                   {k.replace("_", " "): c for k, c in VERDICT_COLOURS.items()}),
        "prospect_chart": bar_chart(per_prospect, "Dead and likely-dead links per prospect"),
        "opportunities": rows[:ROWS_IN_HTML],
        "opportunities_total": len(rows),
        "opportunities_json": _json({"fields": OPPORTUNITY_FIELDS,
                                     "rows": [[r[f] for f in OPPORTUNITY_FIELDS] for r in rows]}),
        "wanted": _records(wanted, ["suggested_url", "suggested_title", "dead_links", "prospects", "priority"]),
        "drafts": drafts,
        "dead_links": _records(dead.head(ROWS_IN_HTML), list(dead.columns)),
        "dead_links_total": len(dead),
        "archived_any": bool((dead["archived_title"].fillna("") != "").any()) if len(dead) else False,
        "verdict_help": VERDICT_HELP,
        "verdict_help_json": _json(VERDICT_HELP),
        "ROWS_IN_HTML": ROWS_IN_HTML,
        "css": Markup((HERE / "report.css").read_text(encoding="utf-8")),
        "js": Markup((HERE / "report.js").read_text(encoding="utf-8")),
    }


def render_report(frames: dict[str, pd.DataFrame], counts: dict[str, int]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = safe_href
    return env.get_template("report.html.j2").render(**report_context(frames, counts))


def write_report(frames: dict[str, pd.DataFrame], counts: dict[str, int], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(frames, counts), encoding="utf-8")
    return path
