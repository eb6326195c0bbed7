"""Templates: the sandbox, strict undefined, the Subject line; the default templates' output."""

from __future__ import annotations

from pathlib import Path

import pytest

from prospector.outreach.contacts import ChosenContact
from prospector.outreach.render import (
    FOLLOWUP_TEMPLATE,
    OUTREACH,
    TEMPLATES_DIR,
    LinkToFix,
    ProspectRef,
    Sender,
    TemplateProblem,
    build_drafts,
    headline,
    load_template,
    problem_phrase,
    render,
)

SENDER = Sender("Alex Moreno", "alex@tallyfield.com", "https://tallyfield.com")


def link(dead: str, suggested: str = "https://tallyfield.com/utm", priority: int = 80, **kw) -> LinkToFix:
    values = dict(page_url="https://blog.com/post", page_title="Tagging links | The Blog", anchor="UTM guide",
                  dead_url=dead, verdict="dead", reason="404 Not Found", reason_code="http_404", status=404,
                  placement="content", rel="",
                  priority=priority, suggested_url=suggested, suggested_title="UTM parameters: a guide | Tallyfield")
    values.update(kw)
    return LinkToFix(**values)


def template(tmp_path: Path, text: str, name: str = "mine.txt.j2"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_template(path)


def drafts_for(links: list[LinkToFix], max_links: int = 3):
    contact = ChosenContact("jane@blog.com", "Jane Doe", "https://blog.com/contact", "email")
    return build_drafts([(contact, [ProspectRef("https://blog.com/", "The Blog", "blog.com")], links)], SENDER,
                        load_template(TEMPLATES_DIR / OUTREACH), load_template(TEMPLATES_DIR / FOLLOWUP_TEMPLATE),
                        max_links)


def test_undefined_variable_names_template_and_line(tmp_path: Path) -> None:
    t = template(tmp_path, "Subject: hi\n\nHello {{ contact.name }},\n{{ link.anchr }}\n")
    with pytest.raises(TemplateProblem) as err:
        render(t, {"contact": {"name": "Jane"}})
    assert str(err.value) == f"{tmp_path / 'mine.txt.j2'}:4: 'link' is undefined"


def test_misspelt_attribute_is_an_error_not_an_empty_field(tmp_path: Path) -> None:
    t = template(tmp_path, "Subject: hi\n{{ contact.nmae }}\n")
    with pytest.raises(TemplateProblem, match=r"mine\.txt\.j2:2: 'dict object' has no attribute 'nmae'"):
        render(t, {"contact": {"name": "Jane"}})


@pytest.mark.parametrize("escape", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ contact.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
])
def test_sandbox_escapes_fail_safely(tmp_path: Path, escape: str) -> None:
    t = template(tmp_path, f"Subject: x\n{escape}\n")
    with pytest.raises(TemplateProblem) as err:
        render(t, {"contact": {"name": "Jane"}})
    assert str(err.value).startswith(f"{tmp_path / 'mine.txt.j2'}:2")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt.j2"
    path.write_text("Subject: x\n\n{% if links %}\nno end\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"bad\.txt\.j2:\d+: Unexpected end of template"):
        load_template(path)


def test_first_line_must_be_the_subject(tmp_path: Path) -> None:
    with pytest.raises(TemplateProblem, match=r"mine\.txt\.j2:1: the first line must be 'Subject: …'"):
        render(template(tmp_path, "Hello\nSubject: late\n"), {})


def test_default_template_single_link() -> None:
    [draft] = drafts_for([link("https://gone.com/utm")])
    assert draft.subject == 'A broken link on "Tagging links"'
    assert draft.body == (
        "Hi Jane,\n\n"
        'I was reading "Tagging links" and noticed a link that no longer works:\n\n'
        "- On https://blog.com/post\n"
        '  the link "UTM guide" goes to https://gone.com/utm,\n'
        "  which returns a 404 (page not found) error.\n"
        '  A possible replacement: https://tallyfield.com/utm ("UTM parameters: a guide").\n\n'
        "Full disclosure: that page is on https://tallyfield.com, so I'd be glad if it helps, but either way "
        "your readers will thank you for fixing the link.\n\n"
        "Thanks for writing it,\nAlex Moreno\nhttps://tallyfield.com\n"
    )
    assert draft.followup_subject == 'Re: A broken link on "Tagging links"'


def test_links_best_first_and_capped() -> None:
    links = [link(f"https://gone.com/{i}", priority=p) for i, p in enumerate([50, 90, 70, 60])]
    [draft] = drafts_for(links, max_links=2)
    assert [chosen.dead_url for chosen in draft.links] == ["https://gone.com/1", "https://gone.com/2"]
    assert draft.subject == "2 broken links on The Blog"


def test_unmatched_link_gets_no_pitch() -> None:
    [draft] = drafts_for([link("https://gone.com/x", suggested="", suggested_title="")])
    assert "replacement" not in draft.body and "No agenda here" in draft.body


@pytest.mark.parametrize("title,expected", [
    ("Cookieless tracking | Privacy Weekly", "Cookieless tracking"),
    ("Page - Section - My Blog", "Page - Section"),
    ("How to fix - and prevent - broken links in large sites today",
     "How to fix - and prevent - broken links in large sites today"),
    ("Plain title", "Plain title"),
])
def test_headline_drops_the_site_name(title: str, expected: str) -> None:
    assert headline(title) == expected


@pytest.mark.parametrize("verdict,code,phrase", [
    ("dead", "http_404", "returns a 404 (page not found) error"),
    ("dead", "http_410", "has been removed (the server says 410 Gone)"),
    ("dead", "redirect_to_404", "now redirects to a page that doesn't exist"),
    ("dead", "redirect_to_410", "now redirects to a page that doesn't exist"),
    ("dead", "nxdomain", "is on a domain that no longer exists"),
    ("dead", "no_address", "is on a domain that no longer points to any server"),
    ("likely_dead", "soft_404", 'shows a "page not found" message'),
    ("likely_dead", "redirect_to_home", "now only redirects to the site's home page"),
    ("likely_dead", "parked", "leads to a parked domain"),
    ("likely_dead", "refused", "no longer responds (the server refuses connections)"),
    ("likely_dead", "tls", "no longer opens (its secure connection fails)"),
    ("likely_dead", "no_answer", "doesn't seem to work any more"),
    ("unknown", "timeout", "may not work"),
])
def test_problem_phrases_come_from_the_reason_code(verdict: str, code: str, phrase: str) -> None:
    assert problem_phrase(verdict, code) == phrase


def test_rewording_a_reason_does_not_change_the_email() -> None:
    def link(reason: str) -> LinkToFix:
        return LinkToFix("http://p.com/a", "A", "anchor", "http://gone.com/x", "dead", reason, 404, "content", "", 80,
                         reason_code="http_404")

    assert link("404 Not Found").problem == link("the server answered 404, page missing").problem == \
        "returns a 404 (page not found) error"


@pytest.mark.parametrize("body,message", [
    ("{{ 1/0 }}", r"mine\.txt\.j2:2: ZeroDivisionError: division by zero$"),
    ("{% for i in range(10**8) %}x{% endfor %}", r"mine\.txt\.j2:2: OverflowError: Range too big"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", r"mine\.txt\.j2: a macro calls itself without end$"),
    ('{{ "x" * 300000000 }}', r"mine\.txt\.j2:2: not allowed in a template \(a value of more than 100,000 items\)$"),
    ("{{ 9 ** (10**8) }}", r"mine\.txt\.j2:2: not allowed in a template \(a number too large\)$"),
    ("{% for i in range(90000) %}xxxxxxxxxx{% endfor %}",
     r"mine\.txt\.j2: the draft is longer than 100,000 characters; is a loop in the template running away\?$"),
])
def test_runaway_templates_are_one_line_errors(tmp_path: Path, body: str, message: str) -> None:
    t = template(tmp_path, f"Subject: x\n{body}\n")
    with pytest.raises(TemplateProblem, match=message):
        render(t, {})
