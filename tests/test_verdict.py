"""verdict.judge: one row per line of DESIGN.md's verdict table, plus the precision traps."""

from __future__ import annotations

import pytest

from prospector.verdict import Judgement, Observation, ReasonCode, Verdict, judge

U = "http://example.com/blog/some-post"
HOME = "http://example.com/"

CASES = [
    # id, observation, verdict, reason, reason code
    ("404", Observation(U, status=404, method="GET", head_status=404), "dead", "404 Not Found", "http_404"),
    ("410", Observation(U, status=410), "dead", "410 Gone", "http_410"),
    ("301_to_404", Observation(U, status=404, chain=((U, 301),), final_url="http://example.com/x"),
     "dead", "redirects (301) to a page that answers 404 Not Found", "redirect_to_404"),
    ("302_302_to_410", Observation(U, status=410, chain=((U, 302), ("http://example.com/b", 302))),
     "dead", "redirects (302 → 302) to a page that answers 410 Gone", "redirect_to_410"),
    ("nxdomain", Observation(U, dns_outcome="nxdomain"), "dead", "domain example.com does not exist (NXDOMAIN)",
     "nxdomain"),
    ("no_address", Observation(U, dns_outcome="no_address"), "dead",
     "domain example.com has no address (no A or AAAA record)", "no_address"),
    ("refused", Observation(U, error="refused", attempts=3), "likely_dead",
     "connection refused on every try (3 tries)", "refused"),
    ("tls", Observation(U, error="tls", attempts=3), "likely_dead",
     "secure connection failed on every try (3 tries): the TLS handshake failed", "tls"),
    ("tls_expired", Observation(U, error="tls",
                                error_detail="Error: [('SSL routines', '', 'certificate verify failed')]"
                                "; certificate has expired"), "likely_dead",
     "secure connection failed on every try: its certificate has expired", "tls"),
    ("deep_to_home", Observation(U, status=200, chain=((U, 301),), final_url=HOME), "likely_dead",
     "deep link redirected (301) to its site's home page", "redirect_to_home"),
    ("deep_to_other_home", Observation(U, status=200, chain=((U, 301),), final_url="https://new.org/"),
     "likely_dead", "deep link redirected (301) to the home page of new.org", "redirect_to_home"),
    ("soft_404_title", Observation(U, status=200, method="GET", title="Page Not Found | Example"),
     "likely_dead", "soft 404: answers 200 but title 'Page Not Found | Example' says not found", "soft_404"),
    ("soft_404_heading", Observation(U, status=200, method="GET", title="Example",
                                     text="Oops! That page can’t be found.\nmore"),
     "likely_dead", "soft 404: answers 200 but the page text says not found", "soft_404"),
    ("soft_404_heading_plain", Observation(U, status=200, method="GET", title="Example", text="404 - not found\nmore"),
     "likely_dead", "soft 404: answers 200 but the page text says not found", "soft_404"),
    ("not_found_words_later_in_text", Observation(U, status=200, method="GET", title="Example",
                                                  text="Welcome\nThe page not found errors are common"),
     "alive", "200 OK", "ok"),
    ("parked", Observation(HOME, status=200, method="GET", title="example.com is for sale"),
     "likely_dead", "parked domain page (title 'example.com is for sale')", "parked"),
    ("200", Observation(U, status=200), "alive", "200 OK", "ok"),
    ("301_to_200", Observation(U, status=200, chain=((U, 301),), final_url="http://example.com/blog/new"),
     "alive", "200 after redirect (301) to http://example.com/blog/new", "redirect_ok"),
    ("head_405_get_200", Observation(U, status=200, method="GET", head_status=405), "alive",
     "200 OK (HEAD answered 405)", "ok"),
    ("home_to_home", Observation(HOME, status=200, chain=((HOME, 301),), final_url="https://example.com/"),
     "alive", "200 after redirect (301) to https://example.com/", "redirect_ok"),
    ("403_both", Observation(U, status=403, method="GET", head_status=403), "blocked",
     "403 Forbidden on HEAD and GET: the site refuses robots", "bot_wall"),
    ("401", Observation(U, status=401, method="GET", head_status=401), "blocked",
     "401 Unauthorized on HEAD and GET: the site refuses robots", "bot_wall"),
    ("999", Observation(U, status=999, method="GET", head_status=999), "blocked",
     "999 (LinkedIn-style robot refusal) on HEAD and GET: the site refuses robots", "bot_wall"),
    ("address_refused", Observation(U, refused="example.com: 10.0.0.1 is a private address"), "blocked",
     "example.com: 10.0.0.1 is a private address", "network_policy"),
    ("429", Observation(U, status=429, attempts=3), "unknown", "429 Too Many Requests after 3 tries", "rate_limited"),
    ("429_long_wait", Observation(U, status=429, attempts=1, retry_after_refused=True), "unknown",
     "429 Too Many Requests after 1 tries; it asked to wait longer than allowed", "rate_limited"),
    ("503", Observation(U, status=503, attempts=3), "unknown", "503 Service Unavailable after 3 tries", "server_error"),
    ("timeout", Observation(U, error="timeout", attempts=3), "unknown", "timed out (3 tries)", "timeout"),
    ("servfail", Observation(U, dns_outcome="error", dns_detail="DNS server failure (SERVFAIL) after 3 tries"),
     "unknown", "DNS server failure (SERVFAIL) after 3 tries", "servfail"),
    ("loop", Observation(U, error="redirect_loop"), "unknown", "redirect loop", "redirect_loop"),
    ("400", Observation(U, status=400, method="GET", head_status=400), "unknown", "unexpected status 400 Bad Request",
     "unexpected_status"),
    ("article_about_404s", Observation(U, status=200, method="GET", title="How to fix 404 errors on your site"),
     "alive", "200 OK", "ok"),
]


@pytest.mark.parametrize("observation,verdict,reason,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_verdict_table(observation: Observation, verdict: str, reason: str, code: str) -> None:
    assert judge(observation) == Judgement(Verdict(verdict), reason, ReasonCode(code))


def test_every_code_the_issue_names_is_a_reason_code() -> None:
    named = ["http_404", "http_410", "nxdomain", "no_address", "redirect_to_404", "soft_404", "parked", "refused",
             "tls", "bot_wall", "rate_limited", "timeout", "servfail", "network_policy"]
    assert [ReasonCode(code).value for code in named] == named
    assert [v.value for v in Verdict] == ["dead", "likely_dead", "alive", "blocked", "unknown"]
    assert Verdict.DEAD == "dead" and f"{Verdict.LIKELY_DEAD}" == "likely_dead"


@pytest.mark.parametrize("detail,code", [("DNS server failure (SERVFAIL) after 3 tries", "servfail"),
                                         ("DNS timeout after 2 tries", "dns_timeout"),
                                         ("lookup failed", "dns_error")])
def test_dns_failures_have_their_own_codes(detail: str, code: str) -> None:
    judgement = judge(Observation(U, dns_outcome="error", dns_detail=detail))
    assert (judgement.verdict, judgement.reason, judgement.code) == ("unknown", detail, code)


@pytest.mark.parametrize("title", [
    "Page not found - Soft Co", "404 Not Found", "Error 404 | Example", "Not Found",
    "Oops! That page can’t be found.", "Nothing found for “analytics”", "404",
    "Page Not Found – Acme", "This article no longer exists", "404 - Page not found",
])
def test_error_page_titles_say_not_found(title: str) -> None:
    from prospector.verdict import says_not_found

    assert says_not_found(title)


@pytest.mark.parametrize("title", [
    "How to fix 404 errors on your site", "How to Fix Page Not Found Errors", "Acme Analytics",
    "The 404 club: founders who failed", "Why your page can't be found on Google and what to do",
    "Finding lost content after a redesign", "",
])
def test_ordinary_titles_do_not(title: str) -> None:
    from prospector.verdict import says_not_found

    assert not says_not_found(title)


@pytest.mark.parametrize("title", [
    "Seite nicht gefunden | Beispiel", "Die Seite wurde nicht gefunden", "Page introuvable – Le Blog",
    "Page non trouvée", "Página no encontrada - Blog", "Página não encontrada", "Pagina non trovata",
    "Pagina niet gevonden", "Страница не найдена", "Сторінку не знайдено", "Nie znaleziono strony",
    "Sayfa bulunamadı", "Sidan hittades inte", "ページが見つかりません", "页面不存在 - 站点",
    "페이지를 찾을 수 없습니다",
])
def test_soft_404_titles_in_other_languages(title: str) -> None:
    assert judge(Observation(U, status=200, method="GET", title=title)).verdict == "likely_dead"


@pytest.mark.parametrize("title", ["Wie man Seiten findet", "Nicht gefundene Schätze der Küche: unser Rezept",
                                   "Páginas web encontradas", "ページの作り方", "Как найти страницу"])
def test_ordinary_titles_in_other_languages_stay_alive(title: str) -> None:
    assert judge(Observation(U, status=200, method="GET", title=title)).verdict == "alive"
