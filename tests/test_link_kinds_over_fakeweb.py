"""Only editorial links are pitched: a full `prospector run` over a blog whose pages carry share
buttons (inside the article too), social profiles, an ad link and editorial links, all dead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import Run, network_args, prospector, summary
from webs import own_site_pages

from prospector.fakeweb import FakeWeb, Site, WebSpec
from prospector.fakeweb.demo import own_site
from prospector.fakeweb.spec import PORT, page
from prospector.link_kind import link_kind

P = PORT
SHARES = [f"http://twitter.com:{P}/intent/tweet?text=Read&url=http://share-blog.com/post",
          f"http://twitter.com:{P}/share?url=http://share-blog.com/post",
          f"http://www.facebook.com:{P}/sharer/sharer.php?u=http://share-blog.com/post",
          f"http://www.linkedin.com:{P}/shareArticle?mini=true&url=http://share-blog.com/post"]
PROFILES = [f"http://twitter.com:{P}/danafox", f"http://www.linkedin.com:{P}/in/dana-fox",
            f"http://www.instagram.com:{P}/danafox/"]
AD = f"http://ad.doubleclick.net:{P}/clk?id=42"
UTM = f"http://gone-utm.com:{P}/utm-guide"
CONSENT = f"http://oldsite.com:{P}/consent-banners"


def blog() -> Site:
    share_widget = "".join(f'<a href="{u}">Share</a>' for u in SHARES) + '<a href="whatsapp://send?text=x">WhatsApp</a>'
    profiles = "".join(f'<a href="{u}">Follow me</a>' for u in PROFILES)
    post = page("Campaign tracking that works", f"""<main><article>
        <p>Tag every link: the <a href="{UTM}">UTM parameters guide</a> explains source and medium.</p>
        <div class="share">{share_widget}</div>
        <p>Sponsored: <a href="{AD}">best analytics deal</a>.</p></article></main>
        <aside class="sidebar"><p>On design, see <a href="{CONSENT}">consent banner design</a>.</p>{profiles}</aside>
        <footer><a href="mailto:editor@share-blog.com">Write to the editor</a></footer>""")
    second = page("More on campaign tracking", f"""<main><article>
        <p>Once more: the <a href="{UTM}">UTM parameters guide</a> covers campaign tags.</p>
        <div class="share">{share_widget}</div></article></main>""")
    return Site("share-blog.com", {"/": page("Share blog", '<a href="/post">Post</a> <a href="/post-2">Post 2</a>'),
                                   "/post": post, "/post-2": second})


@dataclass
class KindsRun:
    run: Run
    out: Path
    db: Path
    real: Callable[[str], str]  # a URL of this file with the fake web's real port

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.out / name, encoding="utf-8-sig", keep_default_na=False)


@pytest.fixture(scope="module")
def kinds_run(tmp_path_factory: pytest.TempPathFactory) -> KindsRun:
    folder = tmp_path_factory.mktemp("kinds")
    dead_hosts = ["twitter.com", "www.facebook.com", "www.linkedin.com", "www.instagram.com", "ad.doubleclick.net",
                  "gone-utm.com", "oldsite.com"]
    with FakeWeb(WebSpec([blog(), own_site(own_site_pages())] + [Site(h) for h in dead_hosts])) as web:
        prospects = folder / "prospects.txt"
        prospects.write_text(web.url("share-blog.com") + "\n")
        run = prospector("run", "--no-wayback", "--prospects", str(prospects), "--sitemap", web.url("tallyfield.com"),
                         "--sender-name", "Alex", "--sender-email", "alex@tallyfield.com", "--out", str(folder / "out"),
                         *network_args(web, folder / "store.sqlite"))
        port = web.port
    assert run.returncode == 0, run.stderr
    return KindsRun(run, folder / "out", folder / "store.sqlite", lambda url: url.replace(P, str(port)))


def test_every_dead_link_is_listed_with_its_kind(kinds_run: KindsRun) -> None:
    real = kinds_run.real
    dead = kinds_run.csv("dead_links.csv")
    assert dict(zip(dead["dead_url"], dead["link_kind"], strict=False)) == {
        **{real(u): "share" for u in SHARES}, **{real(u): "profile" for u in PROFILES}, real(AD): "ad",
        real(UTM): "editorial", real(CONSENT): "editorial"}


def test_only_editorial_links_become_opportunities_with_the_pitchable_first(kinds_run: KindsRun) -> None:
    real = kinds_run.real
    opps = kinds_run.csv("opportunities.csv")
    assert opps["dead_url"].tolist() == [real(UTM), real(UTM), real(CONSENT)]
    assert opps["placement"].tolist() == ["content", "content", "sidebar"]
    assert all(opps["suggested_url"] != "") and all(opps["confidence"] >= 0.47)
    assert opps["priority"].tolist() == sorted(opps["priority"], reverse=True)


def test_status_counts_the_dead_links_never_pitched(kinds_run: KindsRun) -> None:
    run = prospector("status", "--db", str(kinds_run.db))
    table = summary(run.stdout)
    assert table["dead or likely dead, never pitched"] == "ad 1, profile 3, share 4"
    assert (table["dead links with a suggestion"], table["dead links, nothing fits"]) == ("2", "0")


def test_the_email_pitches_each_editorial_dead_link_once(kinds_run: KindsRun) -> None:
    real = kinds_run.real
    emails = kinds_run.csv("emails.csv")
    assert emails["to_email"].tolist() == ["editor@share-blog.com"]
    body = emails.iloc[0]["body"]
    assert body.count(real(UTM)) == 1 and body.count(real(CONSENT)) == 1
    site = real(f"http://share-blog.com:{P}")
    # the pages best first: by priority, where post-2's resource score puts it ahead
    assert f"- On 2 pages ({site}/post-2, {site}/post)\n" in body
    for host in ("twitter.com", "facebook.com", "linkedin.com", "instagram.com", "doubleclick"):
        assert host not in body
    assert "whatsapp" not in kinds_run.run.stderr
    assert summary(kinds_run.run.stdout)["app links (whatsapp:, viber: …), not checked"] == "2"


@pytest.mark.parametrize("url,kind", [
    ("https://twitter.com/intent/tweet?text=a&url=https://b.com", "share"),
    ("https://x.com/intent/post?text=a", "share"),
    ("https://www.facebook.com/sharer.php?u=https://b.com", "share"),
    ("https://pinterest.com/pin/create/button/?url=https://b.com", "share"),
    ("https://www.reddit.com/submit?url=https://b.com", "share"),
    ("https://getpocket.com/save?url=https://b.com", "share"),
    ("https://www.tumblr.com/share/link?url=https://b.com", "share"),
    ("https://share.flipboard.com/bookmarklet/popout?url=https://b.com", "editorial"),
    ("https://flipboard.com/bookmarklet/popout?url=https://b.com", "share"),
    ("https://plus.google.com/share?url=https://b.com", "share"),
    ("https://example.com/share.php?url=https://b.com", "share"),
    ("https://example.com/share", "editorial"),
    ("https://www.instagram.com/someone/", "profile"),
    ("https://www.instagram.com/p/Cx12/", "editorial"),
    ("https://www.linkedin.com/company/acme/", "profile"),
    ("https://www.linkedin.com/pulse/how-we-grew-acme", "editorial"),
    ("https://www.facebook.com/AcmeBakery", "profile"),
    ("https://twitter.com/someone", "profile"),
    ("https://twitter.com/someone/status/123", "editorial"),
    ("https://www.youtube.com/channel/UC123", "profile"),
    ("https://www.youtube.com/@acme", "profile"),
    ("https://www.youtube.com/watch?v=abc", "editorial"),
    ("https://github.com/someone", "profile"),
    ("https://github.com/someone/project", "editorial"),
    ("https://ad.doubleclick.net/ddm/clk/1;2", "ad"),
    ("https://www.googleadservices.com/pagead/aclk?sa=L", "ad"),
    ("https://example.com/feed/", "feed"),
    ("https://feeds.feedburner.com/acme", "feed"),
    ("https://example.com/wp-login.php?action=register", "login"),
    ("https://example.com/post/?replytocom=12", "login"),
    ("https://www.blogger.com/rearrange?blogID=4&widgetType=HTML&widgetId=HTML1&action=editWidget", "login"),
    ("https://www.blogger.com/post-edit.g?blogID=4&postID=9&from=pencil", "login"),
    ("https://www.blogger.com/profile/0123456789", "editorial"),
    ("https://example.com/blog/how-to-share-a-spreadsheet", "editorial"),
])
def test_link_kind_table(url: str, kind: str) -> None:
    assert link_kind(url) == kind
