from __future__ import annotations

import pytest

from prospector.inputs import read_suppression
from prospector.items import Contact, Prospect
from prospector.outreach.contacts import choose_contact, person_name
from prospector.outreach.opportunities import priority

P = Prospect(url="https://blog.com/", domain="blog.com")


def test_given_email_wins() -> None:
    chosen = choose_contact(Prospect(url="https://blog.com/", domain="blog.com", email="Owner@Blog.com"),
                            [Contact("email", "editor@blog.com", "", "https://blog.com/contact")])
    assert (chosen.email, chosen.kind, chosen.others) == ("owner@blog.com", "given", ("editor@blog.com",))


def test_on_site_named_address_before_role_and_offsite() -> None:
    found = [Contact("email", "jane.writer@gmail.com", "Jane", "https://blog.com/about"),
             Contact("email", "info@blog.com", "", "https://blog.com/"),
             Contact("email", "sam@blog.com", "Sam Lee", "https://blog.com/post"),
             Contact("email", "noreply@blog.com", "", "https://blog.com/"),
             Contact("contact_page", "https://blog.com/contact", "", "https://blog.com/")]
    chosen = choose_contact(P, found)
    assert (chosen.email, chosen.name, chosen.url, chosen.kind) == ("sam@blog.com", "Sam Lee",
                                                                    "https://blog.com/contact", "email")
    assert chosen.others == ("info@blog.com", "jane.writer@gmail.com")


def test_no_address_falls_back_to_pages_in_order() -> None:
    found = [Contact("author_page", "https://blog.com/author/jane", "Jane Doe", ""),
             Contact("about_page", "https://blog.com/about", "", ""),
             Contact("write_for_us", "https://blog.com/write-for-us", "", "")]
    chosen = choose_contact(P, found, authors=["Jane Doe", "Jane Doe", "Bob"])
    assert (chosen.email, chosen.url, chosen.kind, chosen.name) == ("", "https://blog.com/write-for-us",
                                                                    "write_for_us", "Jane Doe")


def test_nothing_found() -> None:
    chosen = choose_contact(P, [])
    assert (chosen.kind, chosen.url, chosen.key) == ("none", "https://blog.com/", "https://blog.com/")


@pytest.mark.parametrize("text,name", [("Priya", "Priya"), ("Jane Doe", "Jane Doe"), ("email us", ""),
                                       ("the editor", ""), ("jane@blog.com", ""), ("Contact", ""),
                                       ("Mary-Jane O'Neil", "Mary-Jane O'Neil"), ("Send us a message today", "")])
def test_person_name(text: str, name: str) -> None:
    assert person_name(text) == name


@pytest.mark.parametrize("args,points", [
    (("dead", "content", "", 1, 1, True, 0.8), 83),
    (("dead", "content", "", 4, 4, True, 1.0), 100),
    (("dead", "content", "", 9, 9, True, 1.0), 100),
    (("likely_dead", "content", "", 1, 1, True, 0.8), 65),
    (("dead", "sidebar", "", 1, 1, True, 0.8), 76),
    (("dead", "footer", "", 1, 1, True, 0.8), 70),
    (("dead", "content", "nofollow", 1, 1, True, 0.8), 75),
    (("dead", "content", "", 1, 1, False, 0.8), 53),
    (("dead", "content", "", 4, 4, False, 0.0), 65),  # the most a link with nothing to pitch gets
    (("dead", "content", "", 1, 1, True, 0.29), 70),  # the least a pitchable one gets at the lowest default cut-off
    # the page's standing: 2 x the authority / 100, and 2 x the resource score
    (("dead", "content", "", 4, 4, False, 0.0, 100.0, 1.0), 69),  # still below any link with a suggestion
    (("dead", "content", "", 4, 4, False, 0.0, 100.0, 0.0), 67),
    (("dead", "content", "", 1, 1, False, 0.0, 0.0, 1.0), 55),
    (("dead", "content", "", 4, 4, True, 1.0, 100.0, 1.0), 100),  # never above 100
])
def test_priority_points(args: tuple, points: int) -> None:
    assert priority(*args) == points


def test_content_dofollow_dead_outranks_nofollow_footer_likely_dead() -> None:
    assert priority("dead", "content", "", 1, 1, False) > priority("likely_dead", "footer", "ugc", 3, 3, True)


def test_suppression_list(tmp_path) -> None:
    path = tmp_path / "dnc.csv"
    path.write_text("email_or_domain\nBoss@Blog.com\n*.example.org\nnot valid\n# comment\nbad@\n")
    suppression, problems = read_suppression(path)
    assert suppression.blocks("boss@blog.com") and not suppression.blocks("other@blog.com")
    assert suppression.blocks("x@news.example.org") and suppression.blocks("", "example.org")
    assert [str(p) for p in problems] == [f"{path}:4: neither an email nor a domain: 'not valid'",
                                         f"{path}:6: invalid email 'bad@'"]
