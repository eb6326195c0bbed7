"""The crawl stage over the fake web: scope, limits, robots.txt, bad pages and bad input."""

from __future__ import annotations

from conftest import MainRun, rows, summary


def pages_of(run: MainRun, host: str) -> list[str]:
    prefix = f"http://{host}:{run.web.port}"
    return sorted(u[len(prefix):] for (u,) in rows(
        run.db, "SELECT url FROM pages WHERE url LIKE ? AND status IS NOT NULL", prefix + "/%"))


def outbound_of(run: MainRun, page_host: str) -> list[str]:
    return sorted(u for (u,) in rows(run.db, "SELECT url FROM occurrences WHERE page_url LIKE ?",
                                     f"http://{page_host}:%"))


def test_subdomain_is_internal_and_other_suffixes_outbound(main_run: MainRun) -> None:
    port = main_run.web.port
    assert pages_of(main_run, "www.scope-blog.co.uk") == ["/sub"]
    assert outbound_of(main_run, "scope-blog.co.uk") == [
        f"http://elsewhere.co.uk:{port}/a",
        f"http://partner-nav.com:{port}/",
        f"http://scope-blog.com:{port}/b",
    ]


def test_max_pages_per_prospect(main_run: MainRun) -> None:
    assert len(pages_of(main_run, "limits-blog.com")) == 3


def test_max_depth_per_prospect(main_run: MainRun) -> None:
    assert pages_of(main_run, "depth-blog.com") == ["/", "/d1"]
    assert main_run.web.http.count("depth-blog.com", "/d2") == 0


def test_robots_disallow_is_obeyed(main_run: MainRun) -> None:
    assert main_run.web.http.count("scope-blog.co.uk", "/private/secret") == 0
    assert rows(main_run.db, "SELECT error FROM pages WHERE url LIKE '%/private/secret'") == [
        ("disallowed by robots.txt",)]


def test_non_html_pages_are_recorded_and_huge_ones_read_up_to_the_cap(main_run: MainRun) -> None:
    errors = {url: (error, truncated) for url, error, truncated in rows(
        main_run.db, "SELECT url, error, truncated FROM pages WHERE url LIKE 'http://scope-blog.co.uk:%'")}
    base = f"http://scope-blog.co.uk:{main_run.web.port}"
    assert errors[base + "/files/report"] == ("not HTML (application/pdf)", 0)
    assert errors[base + "/huge"] == ("", 1)
    assert errors[base + "/broken"] == ("HTTP 404", 0)


def test_page_title_and_author_stored(main_run: MainRun) -> None:
    assert rows(main_run.db, "SELECT title, author FROM pages WHERE url = ?",
                main_run.web.url("scope-blog.co.uk")) == [("Scope home", "Ada Lovelace")]


def test_contacts_found_while_crawling(main_run: MainRun) -> None:
    found = sorted(rows(main_run.db, "SELECT kind, value, name FROM contacts"))
    assert found == [
        ("about_page", main_run.web.url("scope-blog.co.uk", "/about"), ""),
        ("email", "editor@scope-blog.co.uk", "the editor"),
    ]


def test_bad_rows_and_unreachable_prospect_reported_and_run_goes_on(main_run: MainRun) -> None:
    crawl = main_run.crawl
    assert crawl.returncode == 1
    assert f"{main_run.prospects}:7: not a public host name: 'not a url at all'" in crawl.stderr
    assert f"{main_run.prospects}:8: max_pages must be a whole number, got 'zero'" in crawl.stderr
    assert f"{main_run.web.url('unreachable-prospect.com')}: domain does not exist (NXDOMAIN)" in crawl.stderr
    table = summary(crawl.stdout)
    assert (table["bad input rows"], table["unreachable prospects"], table["prospects"]) == ("2", "1", "5")


def test_missing_prospects_file_is_a_usage_error(tmp_path) -> None:
    from conftest import prospector

    run = prospector("crawl", "--prospects", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "s.sqlite"))
    assert run.returncode == 2
    assert f"{tmp_path / 'nope.csv'}: file not found" in run.stderr
