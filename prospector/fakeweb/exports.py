"""Backlink exports as the tools write them, for the fake web's tests: the exact headers,
encodings and quirks of each (Ahrefs' UTF-16 with tabs, Majestic's gzip and its rows that are
not valid CSV, Moz's preamble lines, Search Console's zip of tables) over rows the test gives."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

AHREFS = ["Referring page title", "Referring page URL", "Language", "Platform", "Referring page HTTP code",
          "Domain rating", "UR", "Domain traffic", "Referring domains", "Linked domains", "External links",
          "Page traffic", "Keywords", "Target URL", "Left context", "Anchor", "Right context", "Type", "Content",
          "Nofollow", "UGC", "Sponsored", "Rendered", "Raw", "First seen", "Last seen", "Lost",
          "Target page HTTP code", "Target checked", "Ref. page checked"]  # the broken-backlinks export's
SEMRUSH = ["Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links", "Internal links",
           "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide", "First seen", "Last seen",
           "New link", "Lost link"]
MAJESTIC = ["Target URL", "Source URL", "Anchor Text", "Source Crawl Date", "Source First Found Date", "FlagNoFollow",
            "FlagImageLink", "FlagRedirect", "FlagFrame", "FlagOldCrawl", "FlagAltText", "FlagMention",
            "SourceCitationFlow", "SourceTrustFlow", "TargetCitationFlow", "TargetTrustFlow",
            "SourceTopicalTrustFlow_Topic_0", "SourceTopicalTrustFlow_Value_0"]
MOZ = ["URL", "Title", "Anchor Text", "Spam Score", "Domain Authority", "Page Authority", "Target URL"]
MOZ_PREAMBLE = "Link Explorer: Inbound Links for competitor\nExported 2026-11-30\n\n"
PLAIN = ["referring_url", "target_url", "anchor"]


@dataclass(frozen=True)
class ExportRow:
    """One backlink as a tool lists it."""

    referring_url: str
    target_url: str
    anchor: str = ""
    left: str = ""  # the text before the anchor (Ahrefs)
    right: str = ""  # and after
    title: str = ""  # the referring page's
    nofollow: bool = False
    authority: int = 0  # the tool's own: Domain rating, Page ascore, TrustFlow, Domain Authority
    status: int = 404  # the target's HTTP code as the tool saw it (Ahrefs' broken backlinks)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _csv(header: list[str], rows: list[list[str]], delimiter: str = ",", quote_all: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([header, *rows])
    return out.getvalue()


def _ahrefs_rows(rows: list[ExportRow]) -> list[list[str]]:
    def one(r: ExportRow) -> list[str]:
        values = {"Referring page title": r.title, "Referring page URL": r.referring_url, "Language": "en",
                  "Platform": "Blogs", "Referring page HTTP code": "200", "Domain rating": str(r.authority),
                  "UR": "12", "Domain traffic": "1500", "Referring domains": "40", "Linked domains": "20",
                  "External links": "31", "Page traffic": "10", "Keywords": "3", "Target URL": r.target_url,
                  "Left context": r.left, "Anchor": r.anchor, "Right context": r.right, "Type": "text",
                  "Content": "true", "Nofollow": _flag(r.nofollow), "UGC": "false", "Sponsored": "false",
                  "Rendered": "false", "Raw": "true", "First seen": "2023-01-05 10:00:00",
                  "Last seen": "2026-11-20 08:00:00", "Lost": "", "Target page HTTP code": str(r.status),
                  "Target checked": "2026-11-21 09:00:00", "Ref. page checked": "2026-11-20 08:00:00"}
        return [values[c] for c in AHREFS]
    return [one(r) for r in rows]


def ahrefs(path: Path, rows: list[ExportRow]) -> Path:
    """Ahrefs' export as it downloads: UTF-16 LE with a BOM, tabs, every field quoted."""
    path.write_bytes(_csv(AHREFS, _ahrefs_rows(rows), "\t", quote_all=True).encode("utf-16"))
    return path


def ahrefs_utf8(path: Path, rows: list[ExportRow]) -> Path:
    """Ahrefs' other variant: UTF-8 (with a BOM) and commas."""
    path.write_text(_csv(AHREFS, _ahrefs_rows(rows)), encoding="utf-8-sig")
    return path


def semrush(path: Path, rows: list[ExportRow]) -> Path:
    path.write_text(_csv(SEMRUSH, [[str(r.authority), r.title, r.referring_url, r.target_url, r.anchor, "80", "40",
                                    _flag(r.nofollow), "false", "false", "true", "false", "false", "false", "false",
                                    "2023-05-01", "2026-11-20", "false", "false"] for r in rows]), encoding="utf-8")
    return path


def majestic(path: Path, rows: list[ExportRow]) -> Path:
    """Majestic's large export: gzipped, with one row that is not valid CSV (an unclosed quote)
    after the others, as some of its exports have, and URLs with spaces as they come."""
    lines = [[r.target_url, r.referring_url, r.anchor, "2026-10-01", "2020-01-01", "+" if r.nofollow else "-",
              "-", "-", "-", "-", "-", "-", "30", str(r.authority), "15", "9", "Computers", "20"] for r in rows]
    text = _csv(MAJESTIC, lines) + '"https://competitor.com/broken,"https://x.com/,unclosed\r\n'
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def moz(path: Path, rows: list[ExportRow]) -> Path:
    """Moz Link Explorer's inbound links, with the preamble lines before the header."""
    path.write_text(MOZ_PREAMBLE + _csv(MOZ, [[r.referring_url, r.title, r.anchor, "1%", str(r.authority), "40",
                                               r.target_url] for r in rows]), encoding="utf-8")
    return path


def search_console(path: Path, rows: list[ExportRow]) -> Path:
    """Google Search Console's Links export: a zip of tables told apart by their headers; the
    linking pages are in "Latest links" (no target: your site is the target)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Latest links.csv", _csv(["Linking page", "Last crawled"],
                                                  [[r.referring_url, "2026-11-28"] for r in rows]))
        archive.writestr("Top linking sites.csv",
                         _csv(["Site", "Linking pages", "Target pages"], [["a.com", "3", "2"]]))
    return path


def plain(path: Path, rows: list[ExportRow]) -> Path:
    path.write_text(_csv(PLAIN, [[r.referring_url, r.target_url, r.anchor] for r in rows]), encoding="utf-8")
    return path


WRITERS: dict[str, Callable[[Path, list[ExportRow]], Path]] = {
    "ahrefs.csv": ahrefs, "ahrefs-utf8.csv": ahrefs_utf8, "semrush.csv": semrush, "majestic.csv.gz": majestic,
    "moz.csv": moz, "search-console.zip": search_console, "links.csv": plain}
