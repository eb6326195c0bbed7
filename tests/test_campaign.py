"""The library: a whole campaign through `Campaign`, in this process, gives the DataFrames whose
CSVs `prospector run` writes for the same web; its errors are the CLI's one-line messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import FAST, Run, network_args, prospector, summary
from webs import outreach_sites, own_site_pages

from prospector import STAGES, Campaign, Interrupted, ReasonCode, Sender, UsageError, Verdict
from prospector.export import neutralise
from prospector.fakeweb import FakeWeb, WebSpec
from prospector.fakeweb.demo import own_site

PROSPECTS = [("blog-a.com", "Blog A"), ("blog-b.org", "Speed notes"), ("blog-c.net", "C"), ("blog-d.com", "D")]
SENDER = Sender("Alex Moreno", "alex@tallyfield.com", "https://tallyfield.com")
FRAMES = ("opportunities", "dead_links", "emails", "prospects", "suggested_prospects")


def web_spec() -> WebSpec:
    return WebSpec(outreach_sites() + [own_site(own_site_pages())])


def prospect_list(web: FakeWeb, folder: Path) -> Path:
    path = folder / "prospects.csv"
    path.write_text("url,name\n" + "".join(f"{web.url(h)},{n}\n" for h, n in PROSPECTS), encoding="utf-8")
    return path


def fast_settings() -> dict[str, str]:
    """FAST's --set pairs, as the `settings` mapping of a Campaign."""
    pairs = [FAST[i + 1] for i, arg in enumerate(FAST) if arg == "--set"]
    return dict(pair.split("=", 1) for pair in pairs)


@dataclass
class Both:
    cli: Run
    cli_out: Path
    cli_port: int
    campaign: Campaign
    summaries: dict[str, object]
    port: int


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Both:
    """The same campaign twice, each against a fresh copy of the web (its 500s and 403s count
    requests): once as `prospector run`, once stage by stage through the API."""
    folder = tmp_path_factory.mktemp("campaign")
    dnc = folder / "dnc.txt"
    dnc.write_text("blog-c.net\n", encoding="utf-8")
    for name in ("cli_in", "api_in"):
        (folder / name).mkdir()
    with FakeWeb(web_spec()) as web:
        cli = prospector("run", "--no-wayback", "--prospects", str(prospect_list(web, folder / "cli_in")),
                         "--sitemap", web.url("tallyfield.com"), "--lexical",
                         "--sender-name", SENDER.name, "--sender-email", SENDER.email, "--sender-site", SENDER.site,
                         "--do-not-contact", str(dnc), "--max-links-per-email", "5", "--out", str(folder / "cli"),
                         *network_args(web, folder / "cli.sqlite"))
        cli_port = web.port
    with FakeWeb(web_spec()) as web:
        campaign = Campaign(folder / "api.sqlite", nameserver=web.nameserver, allow_private_networks=True,
                            dns_timeout=0.5, dns_retries=1, timeout=1, retries=2, semantic=False,
                            settings=fast_settings())
        summaries: dict[str, object] = {}
        summaries["crawl"] = campaign.crawl(prospect_list(web, folder / "api_in"))
        summaries["check"] = campaign.check()
        summaries["match"] = campaign.match(sitemap=web.url("tallyfield.com"))
        summaries["draft"] = campaign.draft(SENDER, do_not_contact=dnc, max_links_per_email=5)
        summaries["export"] = campaign.export(folder / "api")
        port = web.port
    return Both(cli, folder / "cli", cli_port, campaign, summaries, port)


def comparable(frame: pd.DataFrame, port: int) -> list[list[str]]:
    """Cells as a CSV holds them (spreadsheet formulas defused, missing values empty, dates as
    YYYY-MM-DD), with the web's port taken out: each run had a web of its own."""
    cells = frame.map(lambda v: "" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
                      else v.date().isoformat() if isinstance(v, pd.Timestamp) else v)
    return [[re.sub(rf":{port}\b", ":PORT", str(neutralise(v))) for v in row] for row in cells.itertuples(index=False)]


def test_the_run_and_every_stage_succeed(both: Both) -> None:
    assert both.cli.returncode == 0, both.cli.stderr
    table = summary(both.cli.stdout)
    crawl, check, match, draft = (both.summaries[name] for name in ("crawl", "check", "match", "draft"))
    assert (crawl.finished, check.finished) == (True, True)
    assert (crawl.counts["prospects"], crawl.counts["pages"]) == (int(table["prospects"]), int(table["pages fetched"]))
    assert check.counts[Verdict.DEAD] == int(table["dead"]) > 0
    assert (match.ranker, match.matched, match.no_match) == ("lexical", int(table["with a suggestion"]),
                                                            int(table["nothing fits (confidence < 0.29)"]))
    assert (draft.drafts, draft.suppressed, draft.links) == (1, 1, int(table["dead links in drafts"]))


def test_the_dataframes_have_na_and_dates_as_pandas_users_expect(both: Both) -> None:
    emails, dead = both.campaign.emails(), both.campaign.dead_links()
    assert str(emails["last_contacted"].dtype).startswith("datetime64") and emails["last_contacted"].isna().all()
    assert str(dead["archived_at"].dtype).startswith("datetime64")
    assert emails["status"].isna().all()  # nothing typed yet: NA, not ""


@pytest.mark.parametrize("name", FRAMES)
def test_each_dataframe_equals_the_csv_of_prospector_run(both: Both, name: str) -> None:
    frame = getattr(both.campaign, name)()
    csv = pd.read_csv(both.cli_out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(csv.columns)
    # these prospects link to no resource page of another site (tests/test_suggested_prospects.py has some)
    assert len(frame) == 0 if name == "suggested_prospects" else len(frame) > 0
    assert comparable(frame, both.port) == comparable(csv, both.cli_port)


def test_the_api_export_writes_the_same_files(both: Both) -> None:
    paths = both.summaries["export"].paths
    assert sorted(paths) == sorted([*FRAMES, "report"])
    for name in FRAMES:
        path = paths[name]
        ours = path.read_text(encoding="utf-8-sig").replace(f":{both.port}", ":PORT")
        theirs = (both.cli_out / f"{name}.csv").read_text(encoding="utf-8-sig").replace(f":{both.cli_port}", ":PORT")
        assert ours == theirs, name


def test_frames_carry_verdicts_and_reason_codes(both: Both) -> None:
    dead = both.campaign.dead_links()
    assert set(dead["verdict"]) <= {Verdict.DEAD, Verdict.LIKELY_DEAD}
    assert set(dead["reason_code"]) <= {code.value for code in ReasonCode}
    gone = dead[dead["dead_url"].str.contains("oldsite.com")].iloc[0]
    assert (gone["verdict"], gone["reason_code"]) == ("dead", "http_404")
    nxdomain = dead[dead["dead_url"].str.contains("gone-utm.com")].iloc[0]
    assert (nxdomain["verdict"], nxdomain["reason_code"]) == ("dead", "nxdomain")


def test_status_follows_the_stage_list(both: Both) -> None:
    status = both.campaign.status()
    assert [title for title, _ in status.sections] == ["Crawl", "Check", "Match", "Draft", "Outreach"]
    assert [stage.name for stage in STAGES] == ["crawl", "check", "match", "archive", "draft", "export"]
    check_rows = dict(status.sections[1][1])
    assert check_rows["dead"] == both.summaries["check"].counts["dead"]


def test_api_errors_are_the_cli_lines(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    with pytest.raises(UsageError) as raised:
        Campaign(missing).export(tmp_path / "out")
    cli = prospector("export", "--db", str(missing), "--out", str(tmp_path / "out"))
    assert cli.returncode == 2 and cli.stderr.strip() == f"Error: {raised.value}"
    assert str(raised.value) == f"{missing}: no store yet; run 'prospector crawl' first (or check --db)"
    assert not missing.exists()
    with pytest.raises(UsageError, match=r"^drafts need a sender: give --sender-name and --sender-email$"):
        Campaign(tmp_path / "s.sqlite").draft(Sender("", ""))
    with pytest.raises(UsageError, match=r"^Campaign: unknown option 'time_out' \(did you mean 'timeout'\?\)$"):
        Campaign(tmp_path / "s.sqlite", time_out=3)
    with pytest.raises(UsageError, match=r"^give your site as --sitemap URL\|FILE or --pages FILE.csv$"):
        Campaign(tmp_path / "s.sqlite").run(tmp_path / "p.csv", sender=SENDER)
    with pytest.raises(UsageError, match=r"^workers: expected 1 to 64 or 'auto', not 0$"):
        Campaign(tmp_path / "s.sqlite", workers=0)
    assert issubclass(Interrupted, Exception) and not issubclass(Interrupted, UsageError)


def test_workers_auto_is_one_per_core(tmp_path: Path) -> None:
    import os

    assert Campaign(tmp_path / "s.sqlite").workers == len(os.sched_getaffinity(0))
    assert Campaign(tmp_path / "s.sqlite", workers="3").workers == 3


def test_the_cli_check_uses_one_worker_per_core_by_default(main_run) -> None:
    import os

    assert main_run.check.returncode == 0, main_run.check.stderr
    assert summary(main_run.check.stdout)["workers"] == str(len(os.sched_getaffinity(0)))
