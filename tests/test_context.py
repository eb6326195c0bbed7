"""The context stored for a link (crawl/context.py through extract_page): its sentence and
enough of its paragraph to say what it points to, in every shape a page puts a link in."""

from __future__ import annotations

from pathlib import Path

import pytest

from prospector.crawl.context import CONTEXT_MAX
from prospector.crawl.extract import extract_page

PAGE = "http://blog.example.com/post"
DEV3_POST = Path(__file__).parent / "data" / "match_dev3" / "site" / "blog" / "2025" / \
    "go-opentelemetry-io-expired-certificate" / "index.html"


def contexts(body: str) -> list[str]:
    html = f"<html><body><main>{body}</main><aside><p>Popular posts</p></aside></body></html>"
    return [o.context for o in extract_page(html, PAGE, "example.com").outbound]


@pytest.mark.parametrize("body,expected", [
    # what the link is about is said in the sentence before it
    ('<p>Item 17: point your analytics at the new domain without losing the old history. '
     'We followed <a href="http://x.org/">this</a> and nothing broke.</p>',
     "Item 17: point your analytics at the new domain without losing the old history. "
     "We followed this and nothing broke."),
    # found by where it stands, not by its text: "here" is also in "There"
    ('<p>There is a lot to say about caching. Our notes are <a href="http://x.org/">here</a>. '
     'Thanks for reading the whole series!</p>',
     "There is a lot to say about caching. Our notes are here. Thanks for reading the whole series!"),
    # a link that opens its paragraph brings the sentence after it
    ('<p><a href="http://x.org/">This guide</a> is great. It shows how to rotate TLS certificates without downtime. '
     'We use it every quarter. Nothing else here.</p>',
     "This guide is great. It shows how to rotate TLS certificates without downtime."),
    # a sentence that says enough alone keeps only the one before
    ('<p>Short intro. The <a href="http://x.org/">restore checklist</a> walks through every step of bringing a '
     'Postgres replica back after the primary fails, including the checks that tell you it caught up. '
     'Unrelated closing words here.</p>',
     "Short intro. The restore checklist walks through every step of bringing a Postgres replica back after the "
     "primary fails, including the checks that tell you it caught up."),
    # list items: their own text, and a short one after the sentence that introduces its list
    ('<p>We tried many. The tools we use for backups:</p><!-- list follows --><ul>'
     '<li><a href="http://x.org/">pgBackRest</a></li>'
     '<li>Barman, for <a href="http://y.org/">the other servers</a></li></ul>',
     "The tools we use for backups: pgBackRest"),
    # a short table cell is read with its row
    ('<table><tr><td>Monitoring</td><td><a href="http://x.org/">Uptime guide</a></td>'
     '<td>How to watch an API from five regions</td></tr></table>',
     "Monitoring Uptime guide How to watch an API from five regions"),
    # captions
    ('<figure><img src="a.png"><figcaption>Figure 2: latency before and after, from '
     '<a href="http://x.org/">the vendor\'s benchmark</a>.</figcaption></figure>',
     "Figure 2: latency before and after, from the vendor's benchmark."),
    # <br> ends a sentence; the lines around a short one come with it
    ('<p>Tools we use:<br>Uptime checks with <a href="http://x.org/">this one</a><br>Log search with another'
     '<br>And more</p>',
     "Tools we use: Uptime checks with this one Log search with another"),
    # an HTML comment is not text
    ('<p>We moved. <!-- old: see the archive --> Read <a href="http://x.org/">the migration notes</a> first.</p>',
     "We moved. Read the migration notes first."),
])
def test_context_of_a_link(body: str, expected: str) -> None:
    assert contexts(body)[0] == expected


def test_a_list_item_that_says_enough_is_read_alone() -> None:
    body = ('<p>The tools we use for backups:</p><ul><li><a href="http://x.org/">pgBackRest</a></li>'
            '<li>Barman, for <a href="http://y.org/">the other servers</a> we keep in a second region and rarely '
            'touch except in drills</li></ul>')
    assert contexts(body) == ["The tools we use for backups: pgBackRest",
                              "Barman, for the other servers we keep in a second region and rarely touch except in "
                              "drills"]


def test_a_link_in_a_reader_comment_reads_its_comment() -> None:
    html = ('<html><body><article><p>The post.</p></article><section id="comments"><div class="comment">'
            '<p>Great read, thanks. I wrote up how we did it in <a href="http://z.org/">my own post</a>.</p>'
            '</div></section></body></html>')
    [link] = extract_page(html, PAGE, "example.com").outbound
    assert (link.placement, link.context) == (
        "comments", "Great read, thanks. I wrote up how we did it in my own post.")


def test_long_neighbours_are_left_out_and_the_cap_holds() -> None:
    long = "This sentence goes on " + "and on " * 80 + "to the end."
    body = f'<p>{long} We read <a href="http://x.org/">this</a>. {long}</p>'
    context = contexts(body)[0]
    assert context == "We read this." and len(long) > CONTEXT_MAX // 2


def test_a_real_post_from_the_dev_set() -> None:
    """The OpenTelemetry blog's incident post (tests/data/match_dev3): the link's sentence says
    what will be done, the one before says why."""
    found = extract_page(DEV3_POST.read_bytes(), "http://www.otel-blog.com/blog/2025/x/", "otel-blog.com")
    by_anchor = {o.anchor_text: o.context for o in found.outbound}
    assert by_anchor["going to look"] == (
        "We need to ensure this application is not a snowflake anymore, so we can operate it the same way we "
        "operate every other public website OpenTelemetry maintains. We are therefore going to look into moving "
        "away from the AppEngine platform and into Netlify, the platform that runs the opentelemetry.io website.")
    assert by_anchor["improving our playbooks"] == (
        "We have started improving our playbooks to access the AppEngine console, so we can get access more quickly.")
