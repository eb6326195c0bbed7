"""--recheck-after: URLs checked recently are not checked again; older ones are."""

from __future__ import annotations

from pathlib import Path

from conftest import network_args, prospector, summary

from prospector.fakeweb import PORT, FakeWeb, Site, WebSpec, missing, page


def test_recent_checks_are_kept_until_recheck_after(tmp_path: Path) -> None:
    spec = WebSpec([
        Site("recheck-blog.com", {"/": page("Blog", f'<a href="http://target.org:{PORT}/a">a</a> '
                                                    f'<a href="http://target.org:{PORT}/b">b</a>')}),
        Site("target.org", {"/a": page("A", "a"), "/b": missing(404)}),
    ])
    with FakeWeb(spec) as web:
        db = tmp_path / "s.sqlite"
        prospects = tmp_path / "p.txt"
        prospects.write_text(web.url("recheck-blog.com") + "\n")
        prospector("crawl", "--prospects", str(prospects), *network_args(web, db))
        first = prospector("check", *network_args(web, db))
        second = prospector("check", *network_args(web, db))
        forced = prospector("check", "--recheck-after", "0", *network_args(web, db))
        assert [summary(r.stdout)["URLs checked (this run)"] for r in (first, second, forced)] == ["2", "0", "2"]
        assert web.http.count("target.org") == 4
        assert summary(forced.stdout)["dead (total)"] == "1"


def test_two_workers_check_every_url_once(tmp_path: Path) -> None:
    links = " ".join(f'<a href="http://target.org:{PORT}/p{i}">p{i}</a>' for i in range(12))
    spec = WebSpec([Site("shard-blog.com", {"/": page("Blog", links)}),
                    Site("target.org", {f"/p{i}": page(f"P{i}", "x") if i % 2 else missing(404) for i in range(12)})])
    with FakeWeb(spec) as web:
        db = tmp_path / "s.sqlite"
        prospects = tmp_path / "p.txt"
        prospects.write_text(web.url("shard-blog.com") + "\n")
        prospector("crawl", "--prospects", str(prospects), *network_args(web, db))
        run = prospector("check", "--workers", "2", *network_args(web, db))
        assert run.returncode == 0, run.stderr
        table = summary(run.stdout)
        assert (table["URLs checked (this run)"], table["dead (total)"], table["alive (total)"]) == ("12", "6", "6")
        assert all(web.http.count("target.org", f"/p{i}") == 1 for i in range(12))
