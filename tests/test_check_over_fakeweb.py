"""The check stage through the real spider, resolver and fake web: one test per verdict row,
in both modes (GET-first with soft-404 detection, the default; HEAD-first with --no-soft404)."""

from __future__ import annotations

import json

import pytest
from conftest import MainRun, rows
from webs import VERDICT_CASES, case_url

# In HEAD-first mode pages are not read, so a soft 404 cannot be seen.
HEAD_MODE_VERDICTS = {**{case: verdict for case, (_, _, verdict) in VERDICT_CASES.items()},
                      "soft_404": "alive", "big_gzip_soft_404": "alive"}


def check_of(run: MainRun, case: str) -> dict:
    found = rows(run.db, "SELECT verdict, reason, status, final_url, redirect_chain, method, attempts "
                         "FROM checks WHERE url = ?", case_url(run.web.port, case))
    assert found, f"{case} was not checked"
    verdict, reason, status, final_url, chain, method, attempts = found[0]
    return {"verdict": verdict, "reason": reason, "status": status, "final_url": final_url,
            "chain": json.loads(chain), "method": method, "attempts": attempts}


@pytest.mark.parametrize("case", sorted(VERDICT_CASES))
def test_verdict_row(main_run: MainRun, case: str) -> None:
    assert check_of(main_run, case)["verdict"] == VERDICT_CASES[case][2]


@pytest.mark.parametrize("case", sorted(VERDICT_CASES))
def test_verdict_row_head_first(head_run: MainRun, case: str) -> None:
    assert check_of(head_run, case)["verdict"] == HEAD_MODE_VERDICTS[case]


def test_404_reason_and_status(main_run: MainRun) -> None:
    c = check_of(main_run, "404")
    assert (c["status"], c["reason"], c["method"]) == (404, "404 Not Found", "GET")


def test_head_404_is_confirmed_with_get(head_run: MainRun) -> None:
    c = check_of(head_run, "404")
    assert (c["status"], c["reason"], c["method"]) == (404, "404 Not Found", "GET")
    assert head_run.web.http.count("gone.com", "/guide-to-metrics") == 2


def test_410_is_gone(main_run: MainRun) -> None:
    assert check_of(main_run, "410")["reason"] == "410 Gone"


def test_redirect_chain_to_404_is_stored(main_run: MainRun) -> None:
    c = check_of(main_run, "301_to_404")
    port = main_run.web.port
    assert c["chain"] == [[f"http://moved.com:{port}/old-post", 301]]
    assert c["final_url"] == f"http://moved.com:{port}/new-post"
    assert c["reason"] == "redirects (301) to a page that answers 404 Not Found"


def test_nxdomain_reason(main_run: MainRun) -> None:
    assert check_of(main_run, "nxdomain")["reason"] == "domain no-such-site.com does not exist (NXDOMAIN)"


def test_no_address_reason(main_run: MainRun) -> None:
    assert check_of(main_run, "no_address")["reason"] == "domain noaddress.org has no address (no A or AAAA record)"


def test_servfail_is_not_dead(main_run: MainRun) -> None:
    assert check_of(main_run, "servfail")["reason"] == "DNS server failure (SERVFAIL) after 2 tries"


def test_dns_timeout_reason(main_run: MainRun) -> None:
    assert check_of(main_run, "dns_timeout")["reason"] == "DNS timeout after 2 tries"


def test_refused_retried_then_likely_dead(main_run: MainRun) -> None:
    c = check_of(main_run, "refused")
    assert (c["reason"], c["attempts"]) == ("connection refused on every try (3 tries)", 3)


def test_deep_link_to_home(main_run: MainRun, head_run: MainRun) -> None:
    for run in (main_run, head_run):
        assert check_of(run, "deep_to_home")["reason"] == "deep link redirected (301) to its site's home page"
    assert head_run.web.http.count("moved.com", "/2019/analytics-checklist", "GET") == 0


def test_soft_404_read_from_title(main_run: MainRun) -> None:
    assert check_of(main_run, "soft_404")["reason"] == (
        "soft 404: answers 200 but title 'Page not found - Soft Co' says not found")


def test_get_first_reads_each_live_page_once(main_run: MainRun) -> None:
    http = main_run.web.http
    assert (http.count("soft.com", method="GET"), http.count("soft.com", method="HEAD")) == (1, 0)


def test_head_405_falls_back_to_get(head_run: MainRun) -> None:
    c = check_of(head_run, "head_405")
    assert (c["status"], c["method"], c["reason"]) == (200, "GET", "200 OK (HEAD answered 405)")


def test_head_403_then_get_200_is_alive(head_run: MainRun) -> None:
    assert check_of(head_run, "head_403")["reason"] == "200 OK (HEAD answered 403)"


def test_403_on_head_and_get_is_blocked(head_run: MainRun) -> None:
    assert check_of(head_run, "403_always")["reason"] == "403 Forbidden on HEAD and GET: the site refuses robots"


def test_403_on_get_is_blocked(main_run: MainRun) -> None:
    assert check_of(main_run, "403_always")["reason"] == "403 Forbidden: the site refuses robots"


def test_999_is_blocked(main_run: MainRun) -> None:
    assert check_of(main_run, "999")["reason"] == "999 (LinkedIn-style robot refusal): the site refuses robots"


def test_429_honours_retry_after_then_alive(main_run: MainRun) -> None:
    c = check_of(main_run, "429_then_200")
    assert (c["reason"], c["attempts"]) == ("200 OK", 2)
    assert main_run.web.http.count("busy.com", "/popular") == 2


def test_500_always_retried_then_unknown(main_run: MainRun, head_run: MainRun) -> None:
    c = check_of(main_run, "500_always")
    assert (c["reason"], c["status"]) == ("500 Internal Server Error after 3 tries", 500)
    assert main_run.web.http.count("broken.com", "/checkout") == 3
    assert head_run.web.http.count("broken.com", "/checkout", "HEAD") == 3
    assert head_run.web.http.count("broken.com", "/checkout", "GET") == 3


def test_http_timeout_is_unknown(main_run: MainRun) -> None:
    assert check_of(main_run, "http_timeout")["reason"] == "timed out (3 tries)"


def test_each_url_checked_once_however_many_pages_link_it(main_run: MainRun) -> None:
    # alive.com/guide is requested once as itself and once as /old-guide's redirect target.
    assert main_run.web.http.count("alive.com", "/guide") == 2
    assert rows(main_run.db, "SELECT COUNT(*) FROM checks")[0][0] == rows(
        main_run.db, "SELECT COUNT(DISTINCT url) FROM occurrences")[0][0]


def test_check_summary_counts(main_run: MainRun) -> None:
    assert main_run.check.returncode == 0, main_run.check.stderr
    assert "dead (total)" in main_run.check.stdout
