"""Backlink exports read row by row, each format told by its header: what each row claims
(referring page, target, anchor, context, rel, the tool's authority) as the tool wrote it, and
a row that cannot be read is one line and skipped."""

from __future__ import annotations

import gzip
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from prospector.backlinks import Backlink, read_backlinks
from prospector.tables import InputFileError

AHREFS = ["Referring page title", "Referring page URL", "Language", "Platform", "Referring page HTTP code",
          "Domain rating", "UR", "Domain traffic", "Referring domains", "Linked domains", "External links",
          "Page traffic", "Keywords", "Target URL", "Left context", "Anchor", "Right context", "Type", "Content",
          "Nofollow", "UGC", "Sponsored", "Rendered", "Raw", "First seen", "Last seen", "Lost"]
BROKEN = ["Target page HTTP code", "Target checked", "Ref. page checked"]


def _ahrefs_row(values: dict[str, str], columns: list[str]) -> list[str]:
    defaults = {"Language": "en", "Platform": "Blogs", "Referring page HTTP code": "200", "UR": "12",
                "Domain traffic": "1500", "Referring domains": "40", "Linked domains": "20", "External links": "31",
                "Page traffic": "10", "Keywords": "3", "Type": "text", "Content": "true", "Nofollow": "false",
                "UGC": "false", "Sponsored": "false", "Rendered": "false", "Raw": "true",
                "First seen": "2024-01-02 10:00:00", "Last seen": "2026-11-30 08:00:00", "Lost": ""}
    return [values.get(c, defaults.get(c, "")) for c in columns]


def _delimited(rows: list[list[str]], delimiter: str) -> str:
    return "".join(delimiter.join(f'"{cell}"' for cell in row) + "\r\n" for row in rows)


FIRST = {"Referring page title": "Best analytics tools", "Referring page URL": "https://blog.example.com/tools/",
         "Domain rating": "54", "Target URL": "https://competitor.com/guide", "Left context": "We liked",
         "Anchor": "this guide", "Right context": "a lot.", "Target page HTTP code": "404"}
SECOND = {"Referring page title": "Links", "Referring page URL": "https://other.org/links", "Domain rating": "31",
          "Target URL": "https://competitor.com/old", "Anchor": "old page", "Nofollow": "true", "UGC": "true",
          "Target page HTTP code": "410"}
AHREFS_EXPECTED = [
    Backlink("{path}:2", "https://blog.example.com/tools/", "https://competitor.com/guide", "this guide",
             "We liked this guide a lot.", "Best analytics tools", authority=54.0,
             authority_source="Ahrefs Domain rating", claimed_status=404),
    Backlink("{path}:3", "https://other.org/links", "https://competitor.com/old", "old page", "old page", "Links",
             nofollow=True, ugc=True, authority=31.0, authority_source="Ahrefs Domain rating", claimed_status=410),
]


def _expected(rows: list[Backlink], where: str) -> list[Backlink]:
    from dataclasses import replace

    return [replace(row, source=row.source.format(path=where)) for row in rows]


def test_ahrefs_broken_backlinks_utf16_tab_separated(tmp_path: Path) -> None:
    columns = AHREFS + BROKEN
    text = _delimited([columns, _ahrefs_row(FIRST, columns), _ahrefs_row(SECOND, columns)], "\t")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-16"))  # a BOM, then UTF-16: as Ahrefs writes it
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    read, rows = read_backlinks(path)
    assert list(rows) == _expected(AHREFS_EXPECTED, str(path))
    assert (read.format, read.rows_read, read.unread.count) == ("Ahrefs", 2, 0)
    assert read.unread.shown == [] and [row.rel for row in _expected(AHREFS_EXPECTED, "")] == ["", "nofollow ugc"]


def test_ahrefs_utf8_comma_variant(tmp_path: Path) -> None:
    path = tmp_path / "backlinks.csv"
    path.write_text(_delimited([AHREFS, _ahrefs_row(FIRST, AHREFS)], ","), encoding="utf-8-sig")
    read, rows = read_backlinks(path)
    first = _expected(AHREFS_EXPECTED, str(path))[0]
    assert list(rows) == [Backlink(**{**first.__dict__, "claimed_status": None})]
    assert read.format == "Ahrefs"


SEMRUSH = ("Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,Sponsored,"
           "Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link\n"
           "62,Resources,https://res.example.net/list,https://competitor.com/a,Guide A,80,40,false,true,false,true,"
           "false,false,false,false,2023-05-01,2026-11-20,false,false\n")
SEMRUSH_OLD = ("Page score,Page trust score,Source title,Source url,Target url,Anchor,External links,Internal links,"
               "Nofollow,Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link\n"
               "7,5,Resources,https://res.example.net/list,https://competitor.com/a,Guide A,80,40,true,false,false,"
               "true,false,false,false,false,2023-05-01,2026-11-20,false,false\n")


@pytest.mark.parametrize("text,expected", [
    (SEMRUSH, Backlink("{path}:2", "https://res.example.net/list", "https://competitor.com/a", "Guide A", "",
                       "Resources", sponsored=True, authority=62.0, authority_source="Semrush Page ascore")),
    (SEMRUSH_OLD, Backlink("{path}:2", "https://res.example.net/list", "https://competitor.com/a", "Guide A", "",
                           "Resources", nofollow=True, authority=7.0, authority_source="Semrush Page score")),
])
def test_semrush_both_variants(tmp_path: Path, text: str, expected: Backlink) -> None:
    path = tmp_path / "semrush.csv"
    path.write_text(text, encoding="utf-8")
    read, rows = read_backlinks(path)
    assert (list(rows), read.format) == (_expected([expected], str(path)), "Semrush")


MAJESTIC_HEADER = ("Target URL,Source URL,Anchor Text,Source Crawl Date,Source First Found Date,FlagNoFollow,"
                   "FlagImageLink,FlagRedirect,FlagFrame,FlagOldCrawl,FlagAltText,FlagMention,SourceCitationFlow,"
                   "SourceTrustFlow,TargetCitationFlow,TargetTrustFlow,SourceTopicalTrustFlow_Topic_0,"
                   "SourceTopicalTrustFlow_Value_0\n")


def test_majestic_gzipped_with_a_broken_row_and_a_url_with_spaces(tmp_path: Path) -> None:
    path = tmp_path / "majestic.csv.gz"
    rows_text = (MAJESTIC_HEADER
                 + "https://competitor.com/x,https://links.example.com/my page.html,x guide,2026-10-01,2020-01-01,"
                   "-,-,-,-,-,-,-,30,22,15,9,Computers,20\n"
                 + 'https://competitor.com/y,https://bad.example.com/,"broken anchor,2026-10-01,2020-01-01,-,-\n'
                 + "https://competitor.com/z,https://nf.example.com/,z,2026-10-01,2020-01-01,+,-,-,-,-,-,-,10,8,5,3,,\n")
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(rows_text)
    read, rows = read_backlinks(path)
    assert list(rows) == _expected([
        Backlink("{path}:2", "https://links.example.com/my%20page.html", "https://competitor.com/x", "x guide",
                 authority=22.0, authority_source="Majestic TrustFlow"),
        Backlink("{path}:4", "https://nf.example.com/", "https://competitor.com/z", "z", nofollow=True,
                 authority=8.0, authority_source="Majestic TrustFlow")], str(path))
    assert (read.format, read.rows_read, read.unread.count) == ("Majestic", 3, 1)
    assert read.unread.shown == [f"{path}:3: not a valid CSV row (unexpected end of data)"]


def test_moz_after_its_preamble(tmp_path: Path) -> None:
    path = tmp_path / "moz.csv"
    path.write_text("Link Explorer: Inbound Links\nTarget: competitor.com\nExported: 2026-12-01\n\n"
                    "URL,Title,Anchor Text,Spam Score,Domain Authority,Page Authority,Target URL\n"
                    "https://moz-fan.example.com/post,A post,read this,1%,47,30,https://competitor.com/p\n",
                    encoding="utf-8")
    read, rows = read_backlinks(path)
    assert list(rows) == [Backlink(f"{path}:6", "https://moz-fan.example.com/post", "https://competitor.com/p",
                                   "read this", "", "A post", authority=47.0, authority_source="Moz Domain Authority")]
    assert read.format == "Moz"


def test_search_console_links_zip(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Top target pages.csv", "Target page,Incoming links,Linking sites\nhttps://me.com/,10,4\n")
        archive.writestr("Latest links.csv", "Linking page,Last crawled\nhttps://fan.example.org/a,2026-11-28\n"
                                             "not a url,2026-11-28\n")
    read, rows = read_backlinks(path)
    assert list(rows) == [Backlink(f"{path}[Latest links.csv]:2", "https://fan.example.org/a", "")]
    assert (read.format, read.skipped_tables) == ("Search Console", [f"{path}[Top target pages.csv]"])
    assert read.unread.shown == [f"{path}[Latest links.csv]:3: linking page: not an http(s) URL: 'not a url'"]


def test_a_plain_csv(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("referring_url,target_url,anchor\nhttps://a.example.com/,https://b.example.com/c,see\n"
                    "https://a.example.com/2,ftp://b.example.com/,\n", encoding="utf-8")
    read, rows = read_backlinks(path)
    assert list(rows) == [Backlink(f"{path}:2", "https://a.example.com/", "https://b.example.com/c", "see")]
    assert read.unread.shown == [f"{path}:3: target_url: not an http(s) URL: 'ftp://b.example.com/'"]


def test_a_file_in_no_known_format_is_refused_naming_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("url,name\nhttps://a.example.com/,A\n", encoding="utf-8")
    with pytest.raises(InputFileError) as refused:
        read_backlinks(path)
    assert str(refused.value) == (f"{path}: not a backlink export prospector knows; give Ahrefs, Semrush, Majestic, "
                                  "Moz, Search Console or a CSV with referring_url,target_url[,anchor]")


def test_a_long_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-16") as handle:
        handle.write(_delimited([AHREFS], "\t"))
        for n in range(50_000):
            handle.write(_delimited([_ahrefs_row({**FIRST, "Referring page URL": f"https://b{n}.example.com/"},
                                                 AHREFS)], "\t"))
    tracemalloc.start()
    try:
        read, rows = read_backlinks(path)
        count = sum(1 for _ in rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (count, read.rows_read, read.unread.count) == (50_000, 50_000, 0)
    assert peak < 2 * 2**20, f"{peak / 2**20:.1f} MB"
