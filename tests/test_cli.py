"""The command line as a newcomer meets it: demo, init, status, help, config errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import prospector, summary

from prospector.cli import main

COMMANDS = sorted(main.commands)


def run_in(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "prospector", *args], cwd=folder, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, run_in(folder, "demo", "--out", "out")


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "out" / name, encoding="utf-8-sig", keep_default_na=False)


def test_demo_writes_the_csvs_and_a_summary(demo) -> None:
    folder, run = demo
    assert run.returncode == 0, run.stderr
    table = summary(run.stdout)
    assert (table["prospects"], table["drafts (one per contact)"], table["dead"]) == ("8", "8", "16")
    # the demo's own archive, on loopback like the rest of its web: three of its dead pages were captured
    assert (table["archive: dead links looked up (this run)"], table["archive: captures found (this run)"],
            table["archive: still to look up"]) == ("19", "3", "0")
    assert "left out: skip (your use column)" not in table  # nothing was skipped: the 8 unmatched are not skips
    assert "Top opportunities" in run.stdout
    assert sorted(p.name for p in (folder / "out").glob("*.csv")) == [
        "dead_links.csv", "demo_prospects.csv", "emails.csv", "opportunities.csv", "prospects.csv",
        "suggested_prospects.csv"]


def test_demo_dead_links(demo) -> None:
    dead = read(demo[0], "dead_links.csv")
    assert dead["verdict"].value_counts().to_dict() == {"dead": 16, "likely_dead": 3}
    assert not dead["dead_url"].str.contains("campaignbuilder|linkedin|emailmetrics|slowstats").any()


def test_demo_suggests_the_consent_benchmark_for_the_dead_consent_study(demo) -> None:
    opportunities = read(demo[0], "opportunities.csv")
    row = opportunities[opportunities["dead_url"].str.contains("cookiestudy.org")].iloc[0]
    assert row["suggested_url"].endswith("tallyfield.com:" + row["suggested_url"].split(":")[2].split("/")[0]
                                         + "/blog/consent-rates-benchmark")
    assert row["match_reason"].startswith("anchor 'consent rate study' matches title")


def test_demo_emails_the_demo_contacts(demo) -> None:
    emails = read(demo[0], "emails.csv").set_index("to_name")
    priya = emails.loc["Priya"]
    assert priya["to_email"] == "priya@measuredmarketing.com"
    assert priya["body"].startswith("Hi Priya,")
    assert "consent-rates-benchmark" in priya["body"] and "Alex Moreno" in priya["body"]
    assert emails.loc["Oliver Grant", "to_email"] == "" and emails.loc["Oliver Grant",
                                                                       "contact_url"].endswith("/contact/")


def test_init_writes_starter_files_and_keeps_existing(tmp_path: Path) -> None:
    (tmp_path / "prospects.csv").write_text("url\nhttps://mine.com/\n")
    run = run_in(tmp_path, "init")
    assert run.returncode == 0
    assert (tmp_path / "prospects.csv").read_text() == "url\nhttps://mine.com/\n"
    for name in ("prospector.toml", "templates/outreach.txt.j2", "templates/followup.txt.j2"):
        assert (tmp_path / name).is_file()
    assert "kept (already there)" in run.stdout
    # the written config is valid and used: status reads its [output] db
    assert "no store yet" in run_in(tmp_path, "status").stderr


def test_config_values_are_defaults_and_options_win(tmp_path: Path) -> None:
    (tmp_path / "prospector.toml").write_text('[output]\ndb = "elsewhere/store.sqlite"\n')
    assert "elsewhere/store.sqlite: no store yet" in run_in(tmp_path, "status").stderr
    assert "other.sqlite: no store yet" in run_in(tmp_path, "status", "--db", "other.sqlite").stderr


@pytest.mark.parametrize("toml,message", [
    ("[crawl]\nmax_pgaes = 3\n", "prospector.toml: unknown key 'max_pgaes' in [crawl] (did you mean 'max_pages'?)"),
    ("[crawler]\n", "prospector.toml: unknown section [crawler] (did you mean 'crawl'?)"),
    ("[crawl\n",
     "prospector.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7)"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "prospector.toml").write_text(toml)
    run = run_in(tmp_path, "status")
    assert run.returncode == 2
    assert run.stderr == f"Error: {message}\n"


def test_status_counts(demo) -> None:
    folder, _ = demo
    run = run_in(folder, "status", "--db", "out/demo.sqlite")
    assert run.returncode == 0
    table = summary(run.stdout)
    assert (table["prospects"], table["dead"], table["likely dead"], table["drafts"]) == ("8", "16", "3", "8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    run = prospector(command, "--help")
    assert run.returncode == 0
    assert "Example" in run.stdout and "prospector " + command in run.stdout


def test_unknown_option_is_a_usage_error() -> None:
    run = prospector("crawl", "--max-pagez", "3")
    assert run.returncode == 2
    assert "Error: No such option '--max-pagez'. (Did you mean one of: '--max-depth', '--max-pages'?)" in run.stderr


def test_walkthrough_init_edit_config_run(tmp_path: Path) -> None:
    """The README's five minutes: init, fill in prospector.toml and prospects.csv, `prospector run`."""
    from webs import outreach_sites, own_site_pages

    from prospector.fakeweb import FakeWeb, WebSpec
    from prospector.fakeweb.demo import own_site

    assert run_in(tmp_path, "init").returncode == 0
    with FakeWeb(WebSpec(outreach_sites() + [own_site(own_site_pages())])) as web:
        (tmp_path / "prospects.csv").write_text(f"url,name\n{web.url('blog-a.com')},Blog A\n")
        (tmp_path / "prospector.toml").write_text(f"""
[crawl]
prospects = "prospects.csv"
[match]
sitemap = "{web.url('tallyfield.com')}"
[archive]
in_run = false
[sender]
name = "Sam Lee"
email = "sam@tallyfield.com"
[network]
nameserver = "{web.nameserver}"
allow_private_networks = true
timeout = 1.0
dns_timeout = 0.5
retries = 1
[output]
db = "campaign/store.sqlite"
out = "campaign"
""")
        run = run_in(tmp_path, "run")
    assert run.returncode == 0, run.stderr
    emails = pd.read_csv(tmp_path / "campaign" / "emails.csv", encoding="utf-8-sig")
    assert emails["to_email"].tolist() == ["editor@blog-a.com"]
    assert emails["body"][0].rstrip().endswith("Sam Lee")
    assert (tmp_path / "campaign" / "store.sqlite").is_file()


def test_templates_and_the_example_config_ship_as_package_data() -> None:
    """They are read from the package, not the checkout: pyproject's package-data must list them."""
    import tomllib

    import prospector
    from prospector.cli.project import EXAMPLE_CONFIG
    from prospector.outreach.render import TEMPLATES_DIR

    package = Path(prospector.__file__).parent
    assert package / "prospector.example.toml" == EXAMPLE_CONFIG and package / "outreach" / "templates" == TEMPLATES_DIR
    wanted = ["outreach/templates/outreach.txt.j2", "outreach/templates/followup.txt.j2", "prospector.example.toml"]
    patterns = tomllib.loads((package.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = {str(f.relative_to(package)) for pattern in patterns["prospector"] for f in package.glob(pattern)}
    assert set(wanted) <= shipped


def test_json_summaries_and_listed_problems(main_run) -> None:
    import json

    status = prospector("--json", "status", "--db", str(main_run.db))
    data = json.loads(status.stdout)
    assert (data["title"], data["counts"]["prospects"], data["counts"]["dead"]) == ("Store", 5, 13)
    export = prospector("--json", "export", "--db", str(main_run.db), "--out", str(main_run.db.parent / "json-out"))
    assert json.loads(export.stdout)["counts"]["likely_dead"] == 4
    listed = prospector("status", "--problems", "3", "--db", str(main_run.db))
    lines = [line for line in listed.stdout.splitlines() if line.startswith("  20")]
    assert len(lines) == 3 and f"({3} most recent problems of " in listed.stdout
