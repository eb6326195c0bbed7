"""From what a check observed to a verdict with its reason. Pure: no I/O, table-tested.

Precision first: `dead` only for answers that leave no doubt (404, 410, a redirect ending in
one, a domain that does not exist). Anything a server might say to a robot it does not like,
or to anyone while it is having a bad day, is `blocked` or `unknown`, never `dead`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from urllib.parse import urlsplit


class Verdict(StrEnum):
    """What a check concluded about a URL, most certain first. Equal to its string ("dead")."""

    DEAD = "dead"
    LIKELY_DEAD = "likely_dead"
    ALIVE = "alive"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"


class ReasonCode(StrEnum):
    """Why, as a stable code stored beside the human reason: drafts, filters and reports key on
    the code, so rewording a reason changes nothing downstream."""

    HTTP_404 = "http_404"
    HTTP_410 = "http_410"
    REDIRECT_TO_404 = "redirect_to_404"
    REDIRECT_TO_410 = "redirect_to_410"
    NXDOMAIN = "nxdomain"
    NO_ADDRESS = "no_address"
    REDIRECT_TO_HOME = "redirect_to_home"
    SOFT_404 = "soft_404"
    PARKED = "parked"
    REFUSED = "refused"
    TLS = "tls"
    OK = "ok"
    REDIRECT_OK = "redirect_ok"
    BOT_WALL = "bot_wall"
    NETWORK_POLICY = "network_policy"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    RESET = "reset"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_REDIRECT = "bad_redirect"
    UNEXPECTED_STATUS = "unexpected_status"
    SERVFAIL = "servfail"
    DNS_TIMEOUT = "dns_timeout"
    DNS_ERROR = "dns_error"
    NO_ANSWER = "no_answer"


DEAD, LIKELY_DEAD, ALIVE, BLOCKED, UNKNOWN = Verdict  # the short names the rules below use
PITCHABLE = (DEAD, LIKELY_DEAD)  # what outreach may pitch, and exports list

# Transport errors, as classified by the check spider.
TIMEOUT, REFUSED, TLS, RESET, REDIRECT_LOOP, TOO_MANY_REDIRECTS, OTHER = (
    "timeout", "refused", "tls", "reset", "redirect_loop", "too_many_redirects", "other",
)

GONE_STATUSES = {404: "404 Not Found", 410: "410 Gone"}
BLOCKING_STATUSES = {401, 403, 407, 451, 999}

# Soft 404s are judged per title segment ("Page not found | Site" -> "Page not found"), and
# only on short segments that are not about 404s ("How to fix 404 errors" is an article).
SOFT_404_SEGMENT = re.compile(
    r"^(error\s+)?404(\s*[-:]?\s*(error|not\s+found|page\s+not\s+found))?$|^not\s+found$|"
    r"\b(page|file|article|post|content|resource)s?\s+(was\s+)?(not\s+found|"
    r"(can ?not|can[’']t|could\s+not|couldn[’']t)\s+be\s+found|"
    r"(does\s+not|doesn[’']t|no\s+longer)\s+exists?|is\s+no\s+longer\s+available)|"
    r"\bnothing\s+(was\s+)?found\b",
    re.IGNORECASE,
)
# The same in the languages of most of the web: what CMSs and sites title their error pages.
SOFT_404_FOREIGN = re.compile(
    r"\b(seite|datei|artikel)\s+(wurde\s+)?nicht\s+gefunden|^nicht\s+gefunden$|seite\s+existiert\s+nicht|"  # de
    r"\bpage\s+(non\s+trouv[ée]e|introuvable)|^introuvable$|page\s+n['’]existe\s+(pas|plus)|"  # fr
    r"\bp[áa]gina\s+(no\s+encontrada|n[ãa]o\s+encontrada|no\s+existe|non\s+trovata|nu\s+a\s+fost\s+g[ăa]sit[ăa])|"
    r"^(no\s+encontrad[ao]|n[ãa]o\s+encontrad[ao]|non\s+trovat[ao])$|"  # es, pt, it, ro
    r"\bpagina\s+(niet\s+gevonden|non\s+trovata)|^niet\s+gevonden$|"  # nl, it
    r"страниц[аы]\s+не\s+найден|^не\s+найдено$|сторінк[уа]\s+не\s+знайдено|"  # ru, uk
    r"nie\s+znaleziono\s+strony|strona\s+nie\s+(została\s+znaleziona|istnieje)|"  # pl
    r"str[áa]nka\s+(nenalezena|nebyla\s+nalezena)|sayfa\s+bulunamad[ıi]|"  # cs, tr
    r"sidan\s+hittades\s+inte|siden\s+(blev\s+ikke\s+fundet|ble\s+ikke\s+funnet)|"  # sv, da, no
    r"sivua\s+ei\s+l[öo]ytynyt|"  # fi
    r"az\s+oldal\s+nem\s+tal[áa]lhat[óo]|η\s+σελίδα\s+δεν\s+βρέθηκε|halaman\s+tidak\s+ditemukan|"  # hu, el, id
    r"kh[ôo]ng\s+t[ìi]m\s+th[ấa]y\s+trang|الصفحة\s+غير\s+موجودة|הדף\s+לא\s+נמצא|"  # vi, ar, he
    r"ページが見つかりません|お探しのページは見つかりませんでした|页面不存在|页面未找到|找不到(该)?页面|"  # ja, zh
    r"頁面不存在|找不到(該)?(網頁|頁面)|페이지를\s*찾을\s*수\s*없습니다",  # zh-tw, ko
    re.IGNORECASE,
)
SEGMENT_SEPARATORS = re.compile(r"\s+[-|–—·:]\s+|\s*[|–—·]\s*|[!.?]\s+")
ABOUT_404S = re.compile(r"^(how|why|what|fix|fixing|guide|avoid|find|finding)\b", re.IGNORECASE)
SEGMENT_MAX_WORDS = 8
PARKED = re.compile(
    r"\b(this\s+)?domain\s+(name\s+)?(is\s+)?(for\s+sale|may\s+be\s+for\s+sale|has\s+expired|"
    r"is\s+parked)|\b(is|are)\s+for\s+sale\b|\bbuy\s+this\s+domain\b|\bparked\s+(free|domain)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str  # for people: "redirects (301) to a page that answers 404 Not Found"
    code: ReasonCode  # for programs: redirect_to_404


@dataclass(frozen=True)
class Observation:
    """Everything one check learnt about one URL. Fields left at their defaults were not seen."""

    url: str
    dns_outcome: str = ""  # nxdomain, no_address or error, when the lookup failed
    dns_detail: str = ""
    refused: str = ""  # why the address policy refused the host
    error: str = ""  # a transport error kind (above) when no HTTP answer came
    error_detail: str = ""
    status: int | None = None  # the decisive answer's status, after redirects
    method: str = "HEAD"
    head_status: int | None = None  # what HEAD said, when a GET decided
    chain: tuple[tuple[str, int], ...] = ()  # each redirecting (url, status), in order
    final_url: str = ""
    title: str = ""
    text: str = ""  # the start of the page's text, for soft-404 detection
    attempts: int = 1
    retry_after_refused: bool = False  # the server asked us to wait longer than allowed


def judge(o: Observation) -> Judgement:
    if o.dns_outcome == "nxdomain":
        return Judgement(DEAD, f"domain {_host(o.url)} does not exist (NXDOMAIN)", ReasonCode.NXDOMAIN)
    if o.dns_outcome == "no_address":
        return Judgement(DEAD, f"domain {_host(o.url)} has no address (no A or AAAA record)",
                        ReasonCode.NO_ADDRESS)
    if o.dns_outcome:
        return Judgement(UNKNOWN, o.dns_detail or "DNS lookup failed", _dns_code(o.dns_detail))
    if o.refused:
        return Judgement(BLOCKED, o.refused, ReasonCode.NETWORK_POLICY)
    if o.status is None:
        return _transport(o)
    return _http(o)


def _transport(o: Observation) -> Judgement:
    tries = f" ({o.attempts} tries)" if o.attempts > 1 else ""
    if o.error == REFUSED:
        return Judgement(LIKELY_DEAD, f"connection refused on every try{tries}", ReasonCode.REFUSED)
    if o.error == TLS:
        return Judgement(LIKELY_DEAD, f"secure connection failed on every try{tries}: {tls_problem(o.error_detail)}",
                        ReasonCode.TLS)
    if o.error == TIMEOUT:
        return Judgement(UNKNOWN, f"timed out{tries}", ReasonCode.TIMEOUT)
    if o.error == RESET:
        return Judgement(UNKNOWN, f"connection reset or closed early{tries}", ReasonCode.RESET)
    if o.error == REDIRECT_LOOP:
        return Judgement(UNKNOWN, "redirect loop", ReasonCode.REDIRECT_LOOP)
    if o.error == TOO_MANY_REDIRECTS:
        return Judgement(UNKNOWN, "too many redirects", ReasonCode.TOO_MANY_REDIRECTS)
    return Judgement(UNKNOWN, o.error_detail or "no answer", ReasonCode.NO_ANSWER)


def _http(o: Observation) -> Judgement:
    status = o.status
    assert status is not None
    hops = " → ".join(str(s) for _, s in o.chain)
    if status in GONE_STATUSES:
        if o.chain:
            return Judgement(DEAD, f"redirects ({hops}) to a page that answers {GONE_STATUSES[status]}",
                             ReasonCode.REDIRECT_TO_404 if status == 404 else ReasonCode.REDIRECT_TO_410)
        return Judgement(DEAD, GONE_STATUSES[status], ReasonCode.HTTP_404 if status == 404 else ReasonCode.HTTP_410)
    if 200 <= status < 300:
        return _answered(o, hops)
    if status in BLOCKING_STATUSES:
        both = " on HEAD and GET" if o.method == "GET" and o.head_status in BLOCKING_STATUSES else ""
        return Judgement(BLOCKED, f"{status} {_status_phrase(status)}{both}: the site refuses robots",
                         ReasonCode.BOT_WALL)
    if status == 429:
        wait = "; it asked to wait longer than allowed" if o.retry_after_refused else ""
        return Judgement(UNKNOWN, f"429 Too Many Requests after {o.attempts} tries{wait}", ReasonCode.RATE_LIMITED)
    if 500 <= status < 600:
        return Judgement(UNKNOWN, f"{status} {_status_phrase(status)} after {o.attempts} tries",
                         ReasonCode.SERVER_ERROR)
    if 300 <= status < 400:
        return Judgement(UNKNOWN, f"{status} redirect without a usable Location", ReasonCode.BAD_REDIRECT)
    return Judgement(UNKNOWN, f"unexpected status {status} {_status_phrase(status)}".rstrip(),
                     ReasonCode.UNEXPECTED_STATUS)


def _answered(o: Observation, hops: str) -> Judgement:
    final = o.final_url or o.url
    if o.chain and _is_deep(o.url) and not _is_deep(final):
        where = "its site's home page" if _host(final) == _host(o.url) else f"the home page of {_host(final)}"
        return Judgement(LIKELY_DEAD, f"deep link redirected ({hops}) to {where}", ReasonCode.REDIRECT_TO_HOME)
    if PARKED.search(o.title) or (not o.title and PARKED.search(o.text[:300])):
        return Judgement(LIKELY_DEAD, f"parked domain page (title {o.title!r})", ReasonCode.PARKED)
    if _is_deep(o.url) and (says_not_found(o.title) or says_not_found(o.text.strip().split("\n", 1)[0])):
        said = f"title {o.title!r}" if says_not_found(o.title) else "the page text"
        return Judgement(LIKELY_DEAD, f"soft 404: answers {o.status} but {said} says not found", ReasonCode.SOFT_404)
    if o.chain:
        return Judgement(ALIVE, f"{o.status} after redirect ({hops}) to {final}", ReasonCode.REDIRECT_OK)
    via = f" (HEAD answered {o.head_status})" if o.head_status and o.head_status != o.status else ""
    return Judgement(ALIVE, f"{o.status} OK{via}", ReasonCode.OK)


TLS_PROBLEMS = (
    (re.compile(r"certificate has expired|certificate expired", re.I), "its certificate has expired"),
    (re.compile(r"DNSMismatch|hostname mismatch|not valid for|VerificationError", re.I),
     "its certificate is for another host name"),
    (re.compile(r"self[- ]signed|unable to get local issuer|unknown ca|untrusted", re.I),
     "its certificate is not trusted (self-signed or an unknown issuer)"),
    (re.compile(r"protocol version|unsupported protocol|wrong version number", re.I),
     "it offers only an outdated TLS version"),
)


def tls_problem(detail: str) -> str:
    """What a browser would tell its reader about a failed secure connection."""
    for pattern, phrase in TLS_PROBLEMS:
        if pattern.search(detail):
            return phrase
    return "the TLS handshake failed"


def says_not_found(line: str) -> bool:
    """Whether a title or heading reads like an error page's ("Page not found | Site")."""
    for segment in SEGMENT_SEPARATORS.split(line.strip()[:200]):
        segment = segment.strip(" !.?\"'“”")
        if not segment or len(segment.split()) > SEGMENT_MAX_WORDS or ABOUT_404S.match(segment):
            continue
        if SOFT_404_SEGMENT.search(segment) or SOFT_404_FOREIGN.search(segment):
            return True
    return False


def _dns_code(detail: str) -> ReasonCode:
    if "SERVFAIL" in detail:
        return ReasonCode.SERVFAIL
    return ReasonCode.DNS_TIMEOUT if "timeout" in detail.lower() else ReasonCode.DNS_ERROR


def _is_deep(url: str) -> bool:
    parts = urlsplit(url)
    path = re.sub(r"/(index|default|home)\.(html?|php|aspx?)$", "/", parts.path or "/")
    return path.strip("/") != "" or bool(parts.query)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(LinkedIn-style robot refusal)" if status == 999 else ""
