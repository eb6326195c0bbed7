"""Rendering outreach drafts from Jinja templates, one per contact, for a person to send.

Templates run in Jinja's SandboxedEnvironment with StrictUndefined: a typo such as
`{{ link.anchr }}` stops with an error naming the template and line instead of sending an
email with a hole in it, and a template cannot reach Python internals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from prospector.errors import UsageError
from prospector.outreach.contacts import ChosenContact
from prospector.text import ANCHOR_MAX, TITLE_MAX, clip, safe_values
from prospector.verdict import PITCHABLE, ReasonCode

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"  # the ones that ship (package data)


def default_template(name: str) -> Path:
    """./templates/NAME when the user has one (prospector init writes them), else the shipped one."""
    local = Path("templates") / name
    return local if local.is_file() else TEMPLATES_DIR / name
OUTREACH, FOLLOWUP_TEMPLATE = "outreach.txt.j2", "followup.txt.j2"


class TemplateProblem(UsageError):
    """A template that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Sender:
    name: str
    email: str
    site: str = ""


@dataclass(frozen=True)
class ProspectRef:
    """A prospect as a draft names it: what a template sees as `prospect`."""

    url: str
    name: str
    domain: str
    notes: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # the prospect list's other columns


@dataclass(frozen=True)
class LinkToFix:
    """One dead URL of a prospect, with the replacement to propose (if any). `page_url` is the
    page of its best occurrence; `pages` every (url, title) of the prospect that links to it."""

    page_url: str
    page_title: str
    anchor: str
    dead_url: str
    verdict: str
    reason: str
    status: int | None
    placement: str
    rel: str
    priority: int
    suggested_url: str = ""
    suggested_title: str = ""
    match_reason: str = ""
    pages: tuple[tuple[str, str], ...] = ()
    reason_code: str = ""  # verdict.ReasonCode
    archived_title: str = ""  # what the dead page was called, from the Internet Archive
    archived_url: str = ""

    @property
    def problem(self) -> str:
        return problem_phrase(self.verdict, self.reason_code)


@dataclass(frozen=True)
class Draft:
    contact: ChosenContact
    prospects: tuple[str, ...]  # prospect URLs covered
    prospect_name: str
    subject: str
    body: str
    followup_subject: str
    followup_body: str
    links: tuple[LinkToFix, ...] = field(default_factory=tuple)
    domains: tuple[str, ...] = ()  # the prospects' registered domains


PROBLEMS: dict[str, str] = {
    ReasonCode.REDIRECT_TO_404: "now redirects to a page that doesn't exist",
    ReasonCode.REDIRECT_TO_410: "now redirects to a page that doesn't exist",
    ReasonCode.HTTP_404: "returns a 404 (page not found) error",
    ReasonCode.HTTP_410: "has been removed (the server says 410 Gone)",
    ReasonCode.NXDOMAIN: "is on a domain that no longer exists",
    ReasonCode.NO_ADDRESS: "is on a domain that no longer points to any server",
    ReasonCode.REDIRECT_TO_HOME: "now only redirects to the site's home page",
    ReasonCode.SOFT_404: "shows a \"page not found\" message",
    ReasonCode.PARKED: "leads to a parked domain",
    ReasonCode.REFUSED: "no longer responds (the server refuses connections)",
    ReasonCode.TLS: "no longer opens (its secure connection fails)",
}


def problem_phrase(verdict: str, reason_code: str) -> str:
    """How to say in an email what is wrong with a link: from the check's reason code, never
    its wording, so rewording a reason cannot change an email."""
    if reason_code in PROBLEMS:
        return PROBLEMS[reason_code]
    return "doesn't seem to work any more" if verdict in PITCHABLE else "may not work"


_TITLE_SEPARATOR = re.compile(r"\s+[|–—·-]\s+")


def headline(title: str) -> str:
    """A page title without its site-name suffix: "Cookieless tracking | Privacy Weekly" ->
    "Cookieless tracking". Only a short last segment is taken for a site name."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) > 1 and len(parts[-1].split()) <= 4 and parts[0]:
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title.strip()


MAX_DRAFT_CHARS = 100_000  # an email longer than this is a template gone wrong


class DraftEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, plus: `*` and `**` may not build values too big for an email (a
    template must not be able to take gigabytes of memory: "x" * 10**9, 9 ** 10**8)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object, right: object) -> object:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                        and len(seq) * times > MAX_DRAFT_CHARS:
                    raise jinja2.exceptions.SecurityError(f"a value of more than {MAX_DRAFT_CHARS:,} items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                abs(left) > 1 and right * max(1, abs(left).bit_length()) > 100_000:
            raise jinja2.exceptions.SecurityError("a number too large")
        return super().call_binop(context, operator, left, right)


def environment(template_dirs: Iterable[Path]) -> SandboxedEnvironment:
    return DraftEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text email
        keep_trailing_newline=True,
    )


def load_template(path: Path | str) -> jinja2.Template:
    """A template by file path; errors name the file and line."""
    path = Path(path)
    if not path.is_file():
        raise TemplateProblem(f"{path}: template file not found")
    try:
        return environment([path.parent]).get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{path}:{exc.lineno}: {exc.message}") from None


def render(template: jinja2.Template, context: dict[str, object]) -> tuple[str, str]:
    """(subject, body). The first line must be `Subject: …`."""
    try:
        parts, size = [], 0
        for part in template.generate(**context):  # streamed, so a runaway loop stops early
            size += len(part)
            if size > MAX_DRAFT_CHARS:
                raise TemplateProblem(f"{template.filename}: the draft is longer than {MAX_DRAFT_CHARS:,} "
                                      "characters; is a loop in the template running away?")
            parts.append(part)
        text = "".join(parts)
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"{_where(template, exc)}: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateProblem(f"{_where(template, exc)}: not allowed in a template ({exc})") from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{_where(template, exc)}: {exc}") from None
    except RecursionError:
        raise TemplateProblem(f"{template.filename}: a macro calls itself without end") from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as exc:  # {{ 1/0 }}, range(10**8)
        raise TemplateProblem(f"{_where(template, exc)}: {type(exc).__name__}: {exc}") from None
    text = text.lstrip("\n")
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateProblem(f"{template.filename}:1: the first line must be 'Subject: …'")
    body = re.sub(r"\n{3,}", "\n\n", rest.strip("\n")) + "\n"
    return first[len("Subject:"):].strip(), body


def _where(template: jinja2.Template, exc: BaseException) -> str:
    """file:line of the template frame that failed (Jinja rewrites tracebacks to point there)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == template.filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{template.filename}:{line}" if line else str(template.filename)


def build_drafts(
    groups: Sequence[tuple[ChosenContact, list[ProspectRef], list[LinkToFix]]],
    sender: Sender,
    outreach: jinja2.Template,
    followup: jinja2.Template,
    max_links: int = 3,
) -> list[Draft]:
    """One draft per contact. `groups`: (contact, its prospects, links)."""
    drafts = []
    for contact, prospects, links in groups:
        best = best_links(links, max_links)
        context = draft_context(contact, prospects, best, sender)
        subject, body = render(outreach, context)
        followup_subject, followup_body = render(followup, context)
        drafts.append(Draft(contact, tuple(p.url for p in prospects), prospects[0].name or prospects[0].domain, subject,
                            body, followup_subject, followup_body, tuple(best),
                            tuple(dict.fromkeys(p.domain for p in prospects))))
    return drafts


def best_links(links: Sequence[LinkToFix], max_links: int) -> list[LinkToFix]:
    return sorted(links, key=lambda link: (-link.priority, link.page_url, link.dead_url))[:max_links]


def draft_context(contact: ChosenContact, prospects: Sequence[ProspectRef], links: Sequence[LinkToFix],
                  sender: Sender) -> dict[str, object]:
    """What a template sees: prospect, contact, links, sender (README)."""
    first = prospects[0]
    return safe_values({  # text from other people's pages: no bidi overrides in an email
        "prospect": {"url": first.url, "name": first.name, "domain": first.domain, "notes": first.notes,
                     "extra": dict(first.extra)},
        "contact": {"name": contact.name, "first_name": contact.name.split(" ")[0] if contact.name else "",
                    "email": contact.email, "url": contact.url},
        "links": [_link_context(link) for link in links],
        "sender": {"name": sender.name, "email": sender.email, "site": sender.site},
    })


def _link_context(link: LinkToFix) -> dict[str, object]:
    return {
        "page_url": link.page_url, "page_title": headline(clip(link.page_title, TITLE_MAX)) or link.page_url,
        "anchor": clip(link.anchor, ANCHOR_MAX),
        "dead_url": link.dead_url, "verdict": str(link.verdict), "reason": link.reason,
        "reason_code": str(link.reason_code), "status": link.status,
        "problem": link.problem, "placement": link.placement, "rel": link.rel,
        "suggested_url": link.suggested_url, "suggested_title": headline(clip(link.suggested_title, TITLE_MAX)),
        "match_reason": link.match_reason, "archived_title": headline(clip(link.archived_title, TITLE_MAX)),
        "archived_url": link.archived_url,
        "pages": [{"url": url, "title": headline(clip(title, TITLE_MAX)) or url} for url, title in link.pages or
                  ((link.page_url, link.page_title),)],
    }
