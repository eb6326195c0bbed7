"""Authority from a ranked domain list the user downloaded: each format told by its first line,
the campaign's domains kept, the documented map, bad lines reported; then the sheets and the
priority carry it."""

from __future__ import annotations

import gzip
import sqlite3
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
from conftest import MainRun, prospector

from prospector.authority import DomainAuthority, from_rank, read_authority
from prospector.tables import InputFileError

WANTED = {"example.com", "blog.org", "absent.net"}
CC_HEADER = "#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev"


@pytest.mark.parametrize("rank,authority", [(1, 100.0), (2, 95.7), (10, 85.7), (1000, 57.1), (100_000, 28.6),
                                            (10_000_000, 0.0), (50_000_000, 0.0)])
def test_the_rank_map(rank: int, authority: float) -> None:
    assert from_rank(rank) == authority


def _write(path: Path, text: str, gz: bool = False) -> Path:
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name,text,gz,expected", [
    ("tranco.csv", "1,google.com\n2,example.com\n1000,blog.org\n", False,
     {"example.com": DomainAuthority("example.com", 95.7, "Tranco", 2),
      "blog.org": DomainAuthority("blog.org", 57.1, "Tranco", 1000)}),
    ("majestic_million.csv",
     "GlobalRank,TldRank,Domain,TLD,RefSubNets,RefIPs,IDN_Domain,IDN_TLD,PrevGlobalRank,PrevTldRank,PrevRefSubNets,"
     "PrevRefIPs\n1,1,google.com,com,495430,2330011,google.com,com,1,1,495042,2322442\n"
     "10,7,Example.com,com,100,200,example.com,com,9,7,100,200\n", False,
     {"example.com": DomainAuthority("example.com", 85.7, "Majestic Million", 10)}),
    ("opr.csv", '"Rank","Domain","Open Page Rank"\n"1","fonts.googleapis.com","10.00"\n'
     '"52","example.com","7.83"\n"","blog.org","4.5"\n', False,
     {"example.com": DomainAuthority("example.com", 78.3, "Open PageRank", 52),
      "blog.org": DomainAuthority("blog.org", 45.0, "Open PageRank", None)}),
    ("host-ranks.txt.gz", f"{CC_HEADER}\n3\t2.1e7\t9\t0.001\tcom.example.blog\n10\t2.0e7\t5\t0.002\tcom.example.www\n"
     "100000\t1.1e7\t80000\t0.0001\torg.blog\n", True,
     {"example.com": DomainAuthority("example.com", 85.7, "Common Crawl", 10),
      "blog.org": DomainAuthority("blog.org", 28.6, "Common Crawl", 100000)}),
    ("domain-ranks.txt", f"{CC_HEADER}\t#n_hosts\n1000\t1.7e7\t900\t0.01\tcom.example\t12\n", False,
     {"example.com": DomainAuthority("example.com", 57.1, "Common Crawl", 1000)}),
])
def test_each_format_is_told_by_its_first_line(tmp_path: Path, name: str, text: str, gz: bool,
                                               expected: dict[str, DomainAuthority]) -> None:
    read = read_authority(_write(tmp_path / name, text, gz), WANTED)
    assert read.found == expected
    assert (read.lines, read.unread.count, read.unread.shown) == (text.count("\n") - (name != "tranco.csv"), 0, [])


def test_a_domain_listed_twice_keeps_its_best_and_bad_lines_are_described(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.csv", "5,example.com\nfive,blog.org\n0,blog.org\n\n1,example.com\n3\n")
    read = read_authority(path, WANTED)
    assert read.found == {"example.com": DomainAuthority("example.com", 100.0, "Tranco", 1)}
    assert read.unread.lines() == [f"{path}:2: rank 'five' is not a whole number",
                                    f"{path}:3: rank 0 is not a rank (1 is the top)",
                                    f"{path}:6: expected rank,domain"]
    assert (read.lines, read.unread.count) == (5, 3)


def test_after_twenty_bad_lines_a_count(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.csv", "1,example.com\n" + "x,blog.org\n" * 25)
    read = read_authority(path, WANTED)
    assert len(read.unread.shown) == 20 and read.unread.lines()[-1] == "… and 5 more lines that could not be read"


def test_a_file_in_no_known_format_is_refused_naming_the_formats(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlinks.csv", "Referring page URL,Target URL\nhttps://a.com/,https://b.com/\n")
    with pytest.raises(InputFileError) as refused:
        read_authority(path, WANTED)
    assert str(refused.value).startswith(f"{path}: not a ranked domain list prospector knows; give Tranco (rank,")


def test_a_long_list_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """The benchmark reads a million lines (benchmarks/results.md); here 200,000, gzipped."""
    path = tmp_path / "big.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(CC_HEADER + "\n")
        handle.writelines(f"{n}\t1.0\t{n}\t0.1\tcom.site{n}.www\n" for n in range(1, 200_001))
    tracemalloc.start()
    try:
        read = read_authority(path, {"site7.com", "site150000.com"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (read.lines, sorted(read.found)) == (200_000, ["site150000.com", "site7.com"])
    assert read.found["site7.com"].authority == from_rank(7) == 87.9
    assert peak < 2 * 2**20, f"{peak / 2**20:.1f} MB"


def _copy(db: Path, to: Path) -> Path:
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    return to


def test_export_with_authority_fills_the_sheets_and_the_priority(main_run: MainRun, tmp_path: Path) -> None:
    db = _copy(main_run.db, tmp_path / "store.sqlite")
    before = prospector("export", "--db", str(db), "--out", str(tmp_path / "before"))
    assert before.returncode == 0, before.stderr
    ranks = _write(tmp_path / "tranco.csv", "1,google.com\n10,verdicts-blog.com\n1000,scope-blog.co.uk\nx,y\n")
    after = prospector("export", "--db", str(db), "--out", str(tmp_path / "after"), "--authority", str(ranks))
    assert after.returncode == 0, after.stderr
    assert "with an authority             2" in after.stdout and "prospect domains              5" in after.stdout
    assert f"{ranks}:4: rank 'x' is not a whole number" in after.stderr
    prospects = pd.read_csv(tmp_path / "after" / "prospects.csv", encoding="utf-8-sig").set_index("prospect")
    given = prospects["authority"].dropna()
    assert {url.split("//")[1].split(":")[0]: a for url, a in given.items()} == {"verdicts-blog.com": 85.7,
                                                                                 "scope-blog.co.uk": 57.1}
    assert set(prospects["authority_source"].dropna()) == {"Tranco"}
    old = pd.read_csv(tmp_path / "before" / "opportunities.csv", encoding="utf-8-sig")
    new = pd.read_csv(tmp_path / "after" / "opportunities.csv", encoding="utf-8-sig")
    key = ["page_url", "dead_url"]
    both = old.merge(new, on=key, suffixes=("_old", "_new"))
    assert len(both) == len(old) == len(new) > 0
    gain = both["priority_new"] - both["priority_old"]
    on_verdicts = both["prospect_new"].str.contains("verdicts-blog.com")
    assert on_verdicts.any() and set(gain[on_verdicts]) <= {1, 2}  # + 2 x 85.7 / 100 = 1.71, then rounded
    assert gain[on_verdicts].sum() > 0
    assert set(gain[~on_verdicts & ~both["prospect_new"].str.contains("scope-blog")]) == {0}
    assert set(both.loc[on_verdicts, "authority_new"]) == {85.7}


def test_run_refuses_a_list_in_no_known_format_before_it_crawls(tmp_path: Path) -> None:
    listed = _write(tmp_path / "prospects.csv", "url\nhttps://blog.example.com/\n")
    wrong = _write(tmp_path / "links.csv", "Referring page URL,Target URL\n")
    run = prospector("run", "--prospects", str(listed), "--sitemap", "https://mine.example.com/", "--sender-name",
                     "Sam", "--sender-email", "sam@mine.example.com", "--authority", str(wrong), "--nameserver",
                     "127.0.0.1:9", "--db", str(tmp_path / "store.sqlite"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert f"{wrong}: not a ranked domain list prospector knows" in run.stderr
    assert not (tmp_path / "out" / "opportunities.csv").exists()
