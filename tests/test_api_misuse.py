"""The Python API used wrongly says what is wrong in one line (UsageError), as the CLI does,
and works from threads other than the main one."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import rows
from test_record import db  # noqa: F401  (the fixture)
from webs import main_web

from prospector import Campaign, Sender, UsageError
from prospector.fakeweb import FakeWeb


@pytest.mark.parametrize("options, message", [
    ({"max_pages": -5}, "max_pages: expected a number at least 1, not -5"),
    ({"max_pages": 2.5}, "max_pages: expected a whole number, not 2.5"),
    ({"min_confidence": 5}, "min_confidence: expected a number from 0 to 1, not 5"),
    ({"timeout": 0}, "timeout: expected a number at least 0.1, not 0"),
    ({"retries": "3"}, "retries: expected a whole number, not '3'"),
    ({"wayback_rate": 1000}, "wayback_rate: expected a number from 0.1 to 600, not 1000"),
])
def test_options_out_of_range_are_refused(db: Path, options: dict, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        Campaign(db, **options)
    assert str(refused.value) == message


@pytest.mark.parametrize("call, message", [
    (lambda c: c.crawl(123), "prospects: expected a file path, not 123"),
    (lambda c: c.match(sitemap=123), "sitemap: expected a file path or a URL, not 123"),
    (lambda c: c.draft("Sam"), "sender: expected Sender(name, email, site), not 'Sam'"),
    (lambda c: c.record("emails.csv", on="next tuesday"), "on: expected a date as YYYY-MM-DD, not 'next tuesday'"),
    (lambda c: c.record("emails.csv", on=20261201), "on: expected a date, not int"),
    (lambda c: c.run("p.csv", sitemap=["https://a.com/"]), "sitemap: expected a file path or a URL, not "
                                                              "['https://a.com/']"),
])
def test_arguments_of_the_wrong_kind_are_one_line(db: Path, call, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        call(Campaign(db))
    assert str(refused.value) == message


def test_two_campaigns_crawl_at_once_from_two_threads(tmp_path: Path) -> None:
    with FakeWeb(main_web()) as web:
        _crawl_in_two_threads(web, tmp_path)


def _crawl_in_two_threads(web: FakeWeb, tmp_path: Path) -> None:
    outcomes: dict[str, object] = {}

    def crawl(name: str, site: str) -> None:
        (tmp_path / f"{name}.txt").write_text(web.url(site) + "\n", encoding="utf-8")
        campaign = Campaign(tmp_path / f"{name}.sqlite", nameserver=web.nameserver, allow_private_networks=True,
                            dns_timeout=0.5, timeout=1, notes=lambda line: None)
        try:
            outcomes[name] = campaign.crawl(tmp_path / f"{name}.txt").finish_reason
        except Exception as exc:  # noqa: BLE001 (reported by the assertion)
            outcomes[name] = exc

    threads = [threading.Thread(target=crawl, args=args) for args in (("a", "limits-blog.com"),
                                                                      ("b", "depth-blog.com"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert outcomes == {"a": "finished", "b": "finished"}
    assert rows(tmp_path / "a.sqlite", "SELECT COUNT(*) FROM pages WHERE url LIKE '%limits-blog.com%'")[0][0] > 1
    assert rows(tmp_path / "b.sqlite", "SELECT COUNT(*) FROM pages WHERE url LIKE '%depth-blog.com%'")[0][0] > 1


def test_a_campaign_takes_its_defaults_from_prospector_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "prospector.toml").write_text(
        '[crawl]\nprospects = "mine.csv"\nmax_pages = 7\n[network]\nnameserver = "127.0.0.1:5353"\n'
        'allow_network = ["10.1.0.0/16"]\n[sender]\nname = "Ana"\nemail = "ana@mine.com"\n'
        '[output]\ndb = "campaign/store.sqlite"\nout = "sheets"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    campaign = Campaign(max_pages=9)  # what is given wins over the file
    assert (campaign.db, campaign.options.nameserver, campaign.options.max_pages) == (
        "campaign/store.sqlite", "127.0.0.1:5353", 9)
    assert campaign.options.allow_network == ("10.1.0.0/16",)
    assert campaign.defaults["prospects_file"] == "mine.csv"
    assert campaign.defaults.sender() == Sender("Ana", "ana@mine.com", "")
    assert Campaign(config=None).db == "outputs/prospector.sqlite"
    with pytest.raises(UsageError, match="prospects: give it, or set \\[crawl\\] prospects in prospector.toml"):
        Campaign(config=None).crawl()


def test_summaries_read_well_in_a_notebook() -> None:
    from prospector.campaign import ForgetSummary

    summary = ForgetSummary(("https://a.com/",), 3, 12, 2, "s.sqlite")
    assert str(summary).splitlines()[:3] == ["Forgotten", "  prospect                                      https://a.com/",
                                             "  pages removed                                 3"]
    assert "<caption style='text-align:left'><b>Forgotten</b></caption>" in summary._repr_html_()
