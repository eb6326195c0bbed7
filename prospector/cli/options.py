"""Shared options, the campaign they make, and summary printing."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from prospector import settings as project
from prospector.arguments import (
    DEFAULT_DB,
    DEFAULT_ENCODING,
    DEFAULT_LEASE_S,
    DEFAULT_OUT,
    DEFAULT_VERIFY_WITHIN_HOURS,
    DRAFT_SETTINGS,
    RUN_WAYBACK_MINUTES,
    resolve_workers,
)
from prospector.campaign import Campaign
from prospector.errors import UsageError
from prospector.export import ENCODINGS
from prospector.match.confidence import CUTOFFS
from prospector.outreach.drafting import DEFAULT_MAX_LINKS
from prospector.outreach.history import DEFAULT_FOLLOWUP_AFTER_DAYS, DEFAULT_RECONTACT_AFTER_DAYS
from prospector.outreach.render import Sender

EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageProblem(click.ClickException):
    """A usage or configuration error: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE


class StageFailedExit(click.ClickException):
    """A stage that could not finish (a worker died): one line on stderr, exit code 1."""

    exit_code = EXIT_INPUT_PROBLEMS


class Workers(click.ParamType):
    """--workers N or auto (one per core)."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | str:
        """Checked as the library checks it (`resolve_workers`), so both say the same."""
        try:
            resolve_workers(value)
        except UsageError as exc:
            self.fail(str(exc).removeprefix("workers: "), param, ctx)
        return "auto" if str(value).strip().lower() == "auto" else int(value)


WORKERS_HELP = "Processes that check in parallel (the check is CPU-bound): a number, or auto for one per core."


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="The SQLite store every stage shares.")(f)


def network_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--nameserver", metavar="HOST[:PORT]",
                     help="DNS server to ask (default: the system's resolv.conf)."),
        click.option("--dns-timeout", type=click.FloatRange(min=0.1),
                     help=f"Seconds per DNS try [{project.PROSPECTOR_DNS_TIMEOUT:g}]."),
        click.option("--dns-retries", type=click.IntRange(min=0),
                     help=f"DNS retries after a failure [{project.PROSPECTOR_DNS_RETRIES}]."),
        click.option("--timeout", type=click.FloatRange(min=0.1),
                     help=f"Seconds per HTTP request [{project.DOWNLOAD_TIMEOUT}]."),
        click.option("--retries", type=click.IntRange(min=0),
                     help=f"HTTP retries for transient failures [{project.RETRY_TIMES}]."),
        click.option("--allow-private-networks", is_flag=True,
                     help="Allow connections to private, loopback and link-local addresses."),
        click.option("--allow-network", "allow_network", multiple=True, metavar="CIDR",
                     help="Allow one non-public network, e.g. 10.1.0.0/16 (repeatable)."),
        click.option("--set", "extra", multiple=True, metavar="SETTING=VALUE",
                     help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.5 (repeatable)."),
        click.option("--user-agent", help="The User-Agent to send (add a URL where site owners can reach you)."),
        click.option("--ca-bundle", type=click.Path(dir_okay=False),
                     help="Also trust the certificate authorities in this PEM file (a company proxy's, "
                          "a test CA) when checking https links; the system's stay trusted."),
        click.option("-v", "--verbose", is_flag=True, help="Scrapy's log on the terminal instead of a file."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
        db_option,
    ]
    return applied(options, f)


REDIS_HELP = ("Crawl and check on the workers serving this Redis (prospector worker); this machine "
              "coordinates and writes the store. redis://[:PASSWORD@]HOST:PORT/DB or rediss://… "
              "[$PROSPECTOR_REDIS_URL].")


def cluster_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--redis", metavar="URL", envvar="PROSPECTOR_REDIS_URL", show_envvar=False, help=REDIS_HELP),
        click.option("--lease", type=click.FloatRange(min=1), metavar="SECONDS",
                     help="How long a worker that stopped answering keeps its sites and requests before the "
                          f"others take them over [{DEFAULT_LEASE_S:g}]."),
    ]
    return applied(options, f)


def wayback_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--wayback-endpoint", metavar="URL",
                     help=f"The Wayback Machine to ask [{project.PROSPECTOR_WAYBACK_ENDPOINT}] (a mirror, a test "
                          "archive)."),
        click.option("--wayback-rate", type=click.FloatRange(min=0.1, max=600), metavar="PER_MINUTE",
                     help="Requests a minute to the archive, CDX and captures together "
                          f"[{project.PROSPECTOR_WAYBACK_RATE:g}]; its staff describe "
                          "about 30 as the limit, with hour-long blocks beyond."),
        click.option("--wayback-minutes", type=click.FloatRange(min=0), metavar="MINUTES",
                     help="Ask about no new dead link after this long; those under way finish, a later run asks "
                          f"the rest [run: {RUN_WAYBACK_MINUTES:g}; archive: no limit; 0: no limit]."),
    ]
    return applied(options, f)


def draft_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--sender-name", help="Your name, for the signature."),
        click.option("--sender-email", help="Your email address."),
        click.option("--sender-site", help="Your site, named in the email."),
        click.option("--template", type=click.Path(dir_okay=False),
                     help="Your own outreach template (Jinja; first line 'Subject: …') [templates/outreach.txt.j2]."),
        click.option("--followup-template", type=click.Path(dir_okay=False),
                     help="Your own follow-up template [templates/followup.txt.j2]."),
        click.option("--max-links-per-email", type=click.IntRange(min=1), default=DEFAULT_MAX_LINKS, show_default=True,
                     help="Dead links listed in one email, best first."),
        click.option("--include-likely-dead", is_flag=True, help="Also pitch likely-dead links (soft 404s, refused…)."),
        click.option("--include-unmatched", is_flag=True, help="Also pitch dead links with no suggested replacement."),
        click.option("--do-not-contact", type=click.Path(dir_okay=False),
                     help="A list of emails or domains never to draft for (one per line)."),
        click.option("--recontact-after", type=click.IntRange(min=0), metavar="DAYS",
                     help="No first email to a contact or domain recorded (prospector record) in the last "
                          f"DAYS [{DEFAULT_RECONTACT_AFTER_DAYS}]."),
        click.option("--followup-after", type=click.IntRange(min=0), metavar="DAYS",
                     help="A follow-up draft for each email recorded as sent DAYS ago or more, with no answer "
                          f"recorded [{DEFAULT_FOLLOWUP_AFTER_DAYS}]."),
        click.option("--verify-within", type=click.FloatRange(min=0), metavar="HOURS",
                     help="Check each dead link to pitch again first if its check is older than HOURS "
                          f"[{DEFAULT_VERIFY_WITHIN_HOURS:g}]."),
    ]
    return applied(options, f)




def make_campaign(options: dict[str, Any]) -> Campaign:
    """The campaign a command's remaining options describe (network, stage, --db, -q, -v)."""
    quiet, verbose = options.pop("quiet", False), options.pop("verbose", False)
    if options.get("lease") is None:
        options.pop("lease", None)
    return Campaign(options.pop("db", DEFAULT_DB), settings=options.pop("extra", ()), verbose=verbose,
                    progress=not quiet and not verbose and sys.stderr.isatty(),
                    notes=lambda line: click.echo(line, err=True),
                    config=None,  # the command group applied prospector.toml (or --config) already
                    **{k: v for k, v in options.items() if v is not None})


def sender_and_settings(kwargs: dict[str, Any]) -> tuple[Sender, dict[str, Any]]:
    """(the sender, `Campaign.draft`'s keyword options), popped from `kwargs`."""
    sender = Sender(kwargs.pop("sender_name", None) or "", kwargs.pop("sender_email", None) or "",
                    kwargs.pop("sender_site", None) or "")
    settings = {name: kwargs.pop(name) for name in sorted(DRAFT_SETTINGS) if name in kwargs}
    return sender, {name: value for name, value in settings.items() if value is not None}


def json_mode() -> bool:
    """`prospector --json …`: the summary is one JSON object on stdout, nothing else is."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("json_output"))


def say(line: str) -> None:
    """A line for the reader of the summary (on stderr in --json mode: stdout is the JSON)."""
    click.echo(line, err=json_mode())


def print_summary(title: str, rows: Sequence[tuple[str, object]], data: Any = None) -> None:
    """The summary table; with --json, `data` (a summary dataclass) or the rows as JSON."""
    if json_mode():
        fields = _plain(data) if data is not None else {label: _plain(value) for label, value in rows}
        click.echo(json.dumps({"title": title, **fields}, ensure_ascii=False))
        return
    click.echo(title)
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        click.echo(f"  {label.ljust(width)}  {value}")


def _plain(value: Any) -> Any:
    """A summary's value as JSON has it: dataclasses as objects, paths and enums as strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


MIN_CONFIDENCE_HELP = ("Suggest a page only when the calibrated confidence that it is the right one reaches "
                       f"this [{CUTOFFS['hybrid']:g} semantic, {CUTOFFS['lexical']:g} words only]; below it the dead "
                       "link is reported as "
                       "'nothing fits'.")
SEMANTIC_HELP = ("Semantic matching (the packaged all-MiniLM-L6-v2 model, no torch) fused with word "
                 "matching [on when the model is installed]; --lexical: words only, fast.")


RECRAWL_HELP = ("Fetch again the pages stored more than DAYS ago (new posts are found, links a page no longer "
                "carries are never pitched) [never].")


def crawl_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """How much of each prospect is read, and when again: crawl and run."""
    return applied([
        click.option("--max-pages", type=click.IntRange(min=1),
                     help=f"Pages fetched per prospect [{project.PROSPECTOR_MAX_PAGES}]."),
        click.option("--max-depth", type=click.IntRange(min=0),
                     help=f"Clicks from the start URL [{project.PROSPECTOR_MAX_DEPTH}]."),
        click.option("--recrawl-after", type=click.FloatRange(min=0), metavar="DAYS", help=RECRAWL_HELP),
    ], f)


def check_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """How the outbound URLs are checked: check and run."""
    return applied([
        click.option("--recheck-after", type=click.FloatRange(min=0), metavar="DAYS",
                     help=f"Check again URLs last checked more than DAYS ago "
                          f"[{project.PROSPECTOR_RECHECK_AFTER_DAYS:g}]."),
        click.option("--soft404/--no-soft404", default=None,
                     help="Read the start of each page (GET) to spot soft 404s and parked domains [on]. "
                          "Off: HEAD first, GET only to confirm an error."),
        click.option("--workers", type=Workers(), default="auto", show_default=True, metavar="N|auto",
                     help=WORKERS_HELP),
    ], f)


def output_options(folder_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--out and --encoding, with what the folder is for."""
    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        return applied([
            click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True,
                         type=click.Path(file_okay=False), help=folder_help),
            click.option("--encoding", type=click.Choice(list(ENCODINGS)), default=DEFAULT_ENCODING,
                         show_default=True, help="utf-8-sig adds the BOM Excel needs; utf-8 for other tools."),
        ], f)
    return decorate


def match_options(command: Any) -> Any:
    """--min-confidence and --semantic/--lexical, shared by match and run."""
    for option in reversed([
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, help=MIN_CONFIDENCE_HELP),
        click.option("--semantic/--lexical", "semantic", default=None, help=SEMANTIC_HELP),
    ]):
        command = option(command)
    return command


def applied(options: list[Any], f: Callable[..., Any]) -> Callable[..., Any]:
    """`f` with the click options applied, the first one outermost (as decorators listed)."""
    for option in reversed(options):
        f = option(f)
    return f
